"""A speed change switched on and off in one process, interleaved, so that the load of
other processes on a shared machine falls on both sides alike.

Run from the repository root:
    uv run python bench/redaction/speed_ab.py [--rounds 6]
Side A is main's code path before round 16 (the patterns ``round16_speed`` chose scan as
their modules wrote them), side B this round's (each behind its look-ahead at a first
character, its test of literals, or both). Round 14 switched its guarded patterns and
per-text caches the same way, round 11 thinc's layers against ``encoder.fuse``: see
their sections of docs/PERFORMANCE.md and this file's history.
Each round runs the engine (``compare_presidio.py``'s ``ours`` worker: NER and rules, a
new session per text) over the same texts on both sides, the order alternating between
rounds: 400 texts one at a time, then the 2,600 texts of the evaluation set batched,
then the passes after NER alone on those 2,600 (the model's spans computed once).
Prints texts per CPU-second (``time.process_time``) per side, the sum over all rounds,
and checks both sides replace the same spans.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from spark_control_redaction import round16_speed  # noqa: E402
from spark_control_redaction.detect import Lists, detect_sync  # noqa: E402
from spark_control_redaction.entities import DETECTABLE_TYPES  # noqa: E402
from spark_control_redaction.mapping import Mapping  # noqa: E402
from spark_control_redaction.ner import NerModel  # noqa: E402
from spark_control_redaction.scrub import apply  # noqa: E402
from spark_control_redaction.settings import DEFAULT_MODEL  # noqa: E402
from tests.redaction.evalset import build  # noqa: E402

Spans = list[tuple[str, int, int]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    model = NerModel(DEFAULT_MODEL, cache=0)
    model.find_sync(["Warm up: Alice met Bob in Paris."])
    applied = round16_speed.APPLIED
    assert applied, "no pattern was made faster"
    types, lists = frozenset(DETECTABLE_TYPES), Lists()
    texts = [s.text for s in build("tuned")] + [s.text for s in build("heldout")]
    alone = texts[:400]

    def side(name: str) -> None:
        for module, attribute, before, faster in applied:
            setattr(module, attribute, before if name == "A" else faster)

    def finish(text: str, ner: Any) -> Spans:
        mapping = Mapping()
        scrubbed = apply(text, detect_sync(text, ner, mapping, lists, types), mapping)
        return [(e.type, e.start, e.end) for e in scrubbed.entities if e.type != "LITERAL"]

    def timed(work: Callable[[], list[Spans]]) -> tuple[float, list[Spans]]:
        started = time.process_time()
        out = work()
        return time.process_time() - started, out

    ner = model.find_sync(texts)
    cpu = {(s, k): 0.0 for s in "AB" for k in ("one", "batched", "after")}
    outputs: dict[str, list[Spans]] = {}
    for n in range(args.rounds):
        for name in "AB" if n % 2 == 0 else "BA":
            side(name)
            one, _ = timed(lambda: [finish(t, model.find_sync([t])[0]) for t in alone])
            batched, out = timed(
                lambda: [finish(t, s) for t, s in zip(texts, model.find_sync(texts), strict=True)]
            )
            after, _ = timed(lambda: [finish(t, s) for t, s in zip(texts, ner, strict=True)])
            cpu[name, "one"] += one
            cpu[name, "batched"] += batched
            cpu[name, "after"] += after
            outputs.setdefault(name, out)
            print(
                f"round {n + 1} side {name}: one at a time {len(alone) / one:6.1f}, "
                f"batched {len(texts) / batched:6.1f} texts/CPU-s, "
                f"after NER {1000 * after / len(texts):5.3f} ms each",
                flush=True,
            )
    side("B")
    for kind, count in (("one", len(alone)), ("batched", len(texts))):
        a = count * args.rounds / cpu["A", kind]
        b = count * args.rounds / cpu["B", kind]
        print(f"{kind:>8}: A {a:6.1f}, B {b:6.1f} texts/CPU-s ({100 * (b / a - 1):+.1f} %)")
    a, b = (1000 * cpu[x, "after"] / (len(texts) * args.rounds) for x in "AB")
    print(f"after NER: A {a:5.3f}, B {b:5.3f} ms CPU per text ({100 * (b / a - 1):+.1f} %)")
    differ = sum(x != y for x, y in zip(outputs["A"], outputs["B"], strict=True))
    print(f"texts whose replaced spans differ between A and B: {differ} of {len(texts)}")


if __name__ == "__main__":
    main()
