"""Score the detector's rules on ``rulecases.jsonl`` in process, without the NER model.

    uv run python bench/redaction/rulecases/score_rules.py [--slice tuning] [--summary]

A quick loop for fixing rule types (a second per run, no gateway, no spaCy): every
text through ``detect.detect_sync`` with no NER spans, every type, defaults, a new
session each; the scrubbed text replaces each span with a placeholder. The figures and
their tables are those of ``../independent/score.py`` (its ``score`` and ``report``),
whose run through the gateway with the model gives the reported figures; round trips
are not checked here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "independent"))

from score import load, report, score, select  # noqa: E402

from spark_control_redaction.detect import Lists, detect_sync  # noqa: E402
from spark_control_redaction.entities import DETECTABLE_TYPES  # noqa: E402
from spark_control_redaction.mapping import Mapping  # noqa: E402

TYPES = frozenset(DETECTABLE_TYPES)


def answer(text: str, lists: Lists) -> dict[str, Any]:
    spans = detect_sync(text, [], Mapping(), lists, TYPES)
    out, at = [], 0
    for n, s in enumerate(spans):
        out.append(text[at : s.start] + f"<{s.type}_{n}>")
        at = s.end
    out.append(text[at:])
    entities = [{"type": s.type, "start": s.start, "end": s.end} for s in spans]
    return {"text": "".join(out), "entities": entities, "round_trip": True}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=HERE / "rulecases.jsonl")
    parser.add_argument("--slice", choices=("tuning", "heldout", "all"), default="tuning")
    parser.add_argument("--summary", action="store_true", help="tables only, no value")
    args = parser.parse_args()
    rows = select(load(args.corpus), args.slice)
    lists = Lists()
    answers = [answer(row["text"], lists) for row in rows]
    print(report(score(rows, answers), lists=not args.summary))


if __name__ == "__main__":
    main()
