"""Count false positives on ``negatives.jsonl`` (texts with no personal data), in
process: the real spaCy model and the real detector with its defaults (every type,
context cues on), a new session per text.

    uv run python bench/redaction/negatives/score_negatives.py [--show]

Prints, per kind, how many texts got anything replaced, and the replaced values by
type (``--show`` lists them per text). The set was written for this (see README.md), so
reading its false positives is allowed; it is not the held-out corpus.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from spark_control_redaction import detect  # noqa: E402
from spark_control_redaction.entities import DETECTABLE_TYPES, LITERAL  # noqa: E402
from spark_control_redaction.mapping import Mapping  # noqa: E402
from spark_control_redaction.ner import NerModel  # noqa: E402
from spark_control_redaction.settings import DEFAULT_MODEL  # noqa: E402

TYPES = frozenset(DETECTABLE_TYPES)


def false_positives(
    texts: list[str],
    model: NerModel,
    *,
    places_need_someone: bool = False,
    places_need_a_sign: bool = False,
) -> list[list[tuple[str, str]]]:
    """What the detector replaces in each text (escapes of placeholder-shaped input,
    ``LITERAL``, are no detection)."""
    lists = detect.Lists(
        places_need_someone=places_need_someone, places_need_a_sign=places_need_a_sign
    )
    out = []
    for text, ner in zip(texts, model.find_sync(texts), strict=True):
        spans = detect.detect_sync(text, ner, Mapping(), lists, TYPES)
        out.append([(s.type, text[s.start : s.end]) for s in spans if s.type != LITERAL])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list each text's replaced values")
    parser.add_argument("--corpus", type=Path, default=HERE / "negatives.jsonl")
    parser.add_argument(
        "--places-need-someone",
        action="store_true",
        help="the setting places_need_someone on (default: off, as shipped)",
    )
    parser.add_argument(
        "--places-need-a-sign",
        action="store_true",
        help="the setting places_need_a_sign on (default: off, as shipped)",
    )
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.corpus.read_text().splitlines() if line]
    found = false_positives(
        [r["text"] for r in rows],
        NerModel(DEFAULT_MODEL, cache=0),
        places_need_someone=args.places_need_someone,
        places_need_a_sign=args.places_need_a_sign,
    )
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_type: Counter[str] = Counter()
    for row, spans in zip(rows, found, strict=True):
        per_kind[row["kind"]][1] += 1
        if spans:
            per_kind[row["kind"]][0] += 1
            by_type.update(t for t, _ in spans)
            if args.show:
                print(f"{row['id']}: {spans}")
    total = sum(v[0] for v in per_kind.values())
    print(f"texts with a false positive: {total} of {len(rows)}")
    for kind, (fp, n) in sorted(per_kind.items()):
        print(f"  {kind:<10} {fp:>3} of {n}")
    print("replaced spans by type:", dict(by_type.most_common()))


if __name__ == "__main__":
    main()
