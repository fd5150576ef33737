"""The model's spans on every text of the four corpora, to prove a speed change of the
NER pass changes nothing it finds (issue 21 item 4: no speed change may raise a leak).

Run from the repository root:
    uv run python bench/redaction/ner_spans.py --save before.json   # on the old code
    uv run python bench/redaction/ner_spans.py --compare before.json
The texts: the evaluation set's tuned part and held-out slice, the independent corpus
and the second frozen set. Only counts are printed (texts whose spans differ, per
corpus), never a text or a span, so reading it looks at no held-out failure. When no
span differs, every leak figure of every corpus is unchanged by construction: the rules
after the model see the same input. Also prints the NER pass's process CPU time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from spark_control_redaction.ner import NerModel  # noqa: E402
from spark_control_redaction.settings import DEFAULT_MODEL  # noqa: E402
from tests.redaction.evalset import build  # noqa: E402


def corpora() -> dict[str, list[str]]:
    def jsonl(path: Path) -> list[str]:
        rows = path.read_text(encoding="utf-8").splitlines()
        return [json.loads(row)["text"] for row in rows if row]

    here = ROOT / "bench" / "redaction"
    return {
        "evalset tuned": [s.text for s in build("tuned")],
        "evalset held-out": [s.text for s in build("heldout")],
        "independent": jsonl(here / "independent" / "corpus.jsonl"),
        "second": jsonl(here / "second" / "second.jsonl"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", type=Path, help="write the spans here")
    parser.add_argument("--compare", type=Path, help="count texts whose spans differ")
    args = parser.parse_args()
    try:  # no cache: a text met twice would cost nothing and flatter the CPU figure
        model = NerModel(DEFAULT_MODEL, cache=0)
    except TypeError:  # the code from before the cache (run as the "before" side)
        model = NerModel(DEFAULT_MODEL)
    model.find_sync(["Warm up: Alice met Bob in Paris."])
    found: dict[str, list[list[tuple[str, int, int]]]] = {}
    for name, texts in corpora().items():
        started = time.process_time()
        spans = model.find_sync(texts)
        cpu = time.process_time() - started
        found[name] = [sorted((s.type, s.start, s.end) for s in t) for t in spans]
        print(f"{name:<17} {len(texts):>5} texts, NER {1000 * cpu / len(texts):6.2f} ms CPU each")
    if args.save:
        args.save.write_text(json.dumps(found))
    if args.compare:
        before = json.loads(args.compare.read_text())
        for name, now in found.items():
            old = [[tuple(s) for s in t] for t in before[name]]
            differ = sum(a != b for a, b in zip(old, now, strict=True))
            print(f"{name:<17} texts whose NER spans differ: {differ} of {len(now)}")


if __name__ == "__main__":
    main()
