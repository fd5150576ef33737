"""Every span the engine replaces (rules and NER together) on every text of the four
corpora, to prove a speed change of the passes after NER changes nothing they find.

Run from the repository root:
    uv run python bench/redaction/engine_spans.py --save before.json   # on the old code
    uv run python bench/redaction/engine_spans.py --compare before.json
The texts are those of ``ner_spans.py`` (the evaluation set's tuned part and held-out
slice, the independent corpus, the second frozen set) and every set of rounds 8-13 under
``rulecases/`` and ``negatives/`` (rule cases, texts without personal data, people in
everyday and lower-case texts, secrets in prose); each is read with a new session
and the defaults (every type, cues on). Only counts are printed (texts whose replaced
spans differ, per corpus), never a text or a span, so reading it looks at no held-out
failure. Also prints the CPU time of the passes after NER.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "redaction"))

from ner_spans import corpora  # noqa: E402

from spark_control_redaction import detect  # noqa: E402
from spark_control_redaction.entities import DETECTABLE_TYPES  # noqa: E402
from spark_control_redaction.mapping import Mapping  # noqa: E402
from spark_control_redaction.ner import NerModel  # noqa: E402
from spark_control_redaction.settings import DEFAULT_MODEL  # noqa: E402

TYPES = frozenset(DETECTABLE_TYPES)
HERE = ROOT / "bench" / "redaction"


def all_corpora() -> dict[str, list[str]]:
    """``ner_spans.py``'s four corpora, then each ``.jsonl`` set of the later rounds."""
    found = corpora()
    for folder in ("rulecases", "negatives"):
        for path in sorted((HERE / folder).glob("*.jsonl")):
            rows = path.read_text(encoding="utf-8").splitlines()
            found[f"{folder}/{path.stem}"] = [json.loads(row)["text"] for row in rows if row]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", type=Path, help="write the spans here")
    parser.add_argument("--compare", type=Path, help="count texts whose spans differ")
    args = parser.parse_args()
    model = NerModel(DEFAULT_MODEL, cache=0)
    lists = detect.Lists()
    found: dict[str, list[list[tuple[str, int, int]]]] = {}
    for name, texts in all_corpora().items():
        ner = model.find_sync(texts)
        started = time.process_time()
        spans = [
            detect.detect_sync(text, t, Mapping(), lists, TYPES)
            for text, t in zip(texts, ner, strict=True)
        ]
        cpu = time.process_time() - started
        found[name] = [[(s.type, s.start, s.end) for s in t] for t in spans]
        each = 1000 * cpu / len(texts)
        print(f"{name:<30} {len(texts):>5} texts, after NER {each:6.3f} ms CPU each")
    if args.save:
        args.save.write_text(json.dumps(found))
    if args.compare:
        before = json.loads(args.compare.read_text())
        for name, now in found.items():
            old = [[tuple(s) for s in t] for t in before[name]]
            differ = sum(a != b for a, b in zip(old, now, strict=True))
            print(f"{name:<30} texts whose replaced spans differ: {differ} of {len(now)}")


if __name__ == "__main__":
    main()
