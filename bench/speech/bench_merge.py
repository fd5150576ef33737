"""Label merge of a 2-hour meeting: 20,000 words x 2,000 diarizer turns.

Builds a synthetic meeting (four speakers, turns of varying length with jittery edges,
some overlapping speech, some words in gaps) and times the library's label merge
(speaker assignment, flip smoothing, segments) end to end. It prints CPU time (what
the merge costs) and wall time (what a caller waits, which on a shared machine
includes waiting for a core).

    uv run python bench/speech/bench_merge.py [--runs 30]
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import time

from spark_control_speech.merge import MergeRules, label_words, segments_from_words
from spark_control_speech.shapes import Turn, Word

HOURS = 2.0
WORDS = 20_000
TURNS = 2_000


def meeting(seed: int = 1) -> tuple[list[Word], list[Turn]]:
    rng = random.Random(seed)  # noqa: S311 - a reproducible meeting, not a secret
    total = HOURS * 3600
    # Turn boundaries: 2,000 turns over two hours, each a random speaker of four.
    cuts = sorted(rng.uniform(0, total) for _ in range(TURNS - 1))
    edges = [0.0, *cuts, total]
    turns = []
    speaker = "A"
    for start, end in itertools.pairwise(edges):
        speaker = rng.choice([s for s in "ABCD" if s != speaker])
        jitter = rng.uniform(-0.3, 0.3)  # overlapping speech or a small gap
        turns.append(Turn(max(0.0, start + jitter), end, speaker))
    step = total / WORDS
    words = []
    for k in range(WORDS):
        start = k * step + rng.uniform(0, step * 0.3)
        words.append(Word(start, start + step * rng.uniform(0.4, 0.7), f"w{k}"))
    rng.shuffle(turns)  # the diarizer's order is not trusted: the merge sorts
    return words, turns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    words, turns = meeting()
    rules = MergeRules()
    wall, cpu = [], []
    for _ in range(args.runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        labelled = label_words(words, turns, rules)
        segments = segments_from_words(labelled, rules)
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    print(f"label merge: {len(words)} words x {len(turns)} turns -> {len(segments)} segments")
    print(f"  load average (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, timings in (("cpu", cpu), ("wall", wall)):
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
        print(
            f"  {name}: runs={args.runs} median={statistics.median(timings):.1f} ms "
            f"p95={p95:.1f} ms min={timings[0]:.1f} ms"
        )


if __name__ == "__main__":
    main()
