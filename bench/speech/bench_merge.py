"""Label merge of a 2-hour meeting: 20,000 words x 2,000 diarizer turns, with segments.

Builds a synthetic meeting (four speakers, turns of varying length with jittery edges,
some overlapping speech, some words in gaps; the ASR's segments are runs of 5-30 words
cut anywhere, 1 % of them without words) and times:

- ``merge``: the library's label merge end to end (speaker per word, flip smoothing,
  the ASR's segments split where the speaker changes), as /api/speech/transcribe runs it;
- ``read+merge``: the same meeting as WhisperX JSON (segments with their own words,
  2 % of the words without timestamps) read and merged, as POST /api/speech/merge
  runs it after parsing;
- with ``--http``: POST /api/speech/merge round trip on a local gateway (JSON encoding
  and validation included).

It prints CPU time (what the merge costs) and wall time (what a caller waits, which on a
shared machine includes waiting for a core).

    uv run python bench/speech/bench_merge.py [--runs 30] [--http]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from spark_control_speech.asr_input import read
from spark_control_speech.merge import MergeRules, diarize_transcript
from spark_control_speech.shapes import Segment, Turn, Word

HOURS = 2.0
WORDS = 20_000
TURNS = 2_000


def meeting(seed: int = 1) -> tuple[list[Word], list[Segment], list[Turn]]:
    rng = random.Random(seed)  # noqa: S311 - a reproducible meeting, not a secret
    total = HOURS * 3600
    cuts = sorted(rng.uniform(0, total) for _ in range(TURNS - 1))
    edges = [0.0, *cuts, total]
    turns = []
    speaker = "A"
    for start, end in itertools.pairwise(edges):
        speaker = rng.choice([s for s in "ABCD" if s != speaker])
        jitter = rng.uniform(-0.3, 0.3)  # overlapping speech or a small gap
        turns.append(Turn(max(0.0, min(start + jitter, end - 0.05)), end, speaker))
    step = total / WORDS
    words = []
    for k in range(WORDS):
        start = k * step + rng.uniform(0, step * 0.3)
        words.append(Word(start, start + step * rng.uniform(0.4, 0.7), f"w{k}"))
    segments = []
    k = 0
    while k < len(words):
        n = rng.randint(5, 30)
        run = words[k : k + n]
        segments.append(Segment(run[0].start, run[-1].end, " ".join(w.word for w in run)))
        k += n
        if rng.random() < 0.01 and k < len(words):  # [inaudible] in the next gap
            gap_start = run[-1].end
            segments.append(Segment(gap_start, gap_start + 0.01, "[inaudible]"))
    rng.shuffle(turns)  # the diarizer's order is not trusted: the merge sorts
    return words, segments, turns


def whisperx(words: list[Word], segments: list[Segment], seed: int = 2) -> dict[str, Any]:
    """The meeting as WhisperX answers: segments with their words, some untimed."""
    rng = random.Random(seed)  # noqa: S311
    out = []
    k = 0
    for segment in segments:
        own = []
        while (
            k < len(words) and words[k].start < segment.end + 1e-9 and segment.text != "[inaudible]"
        ):
            w = words[k]
            if rng.random() < 0.02:
                own.append({"word": w.word})
            else:
                own.append({"word": w.word, "start": w.start, "end": w.end, "score": 0.9})
            k += 1
        out.append({"start": segment.start, "end": segment.end, "text": segment.text, "words": own})
    return {"segments": out}


def timed(fn: Callable[[], Any], runs: int) -> tuple[list[float], list[float], Any]:
    wall, cpu = [], []
    result = None
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = fn()
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return wall, cpu, result


def report(label: str, wall: list[float], cpu: list[float] | None) -> None:
    print(label)
    for name, timings in (("cpu", cpu), ("wall", wall)):
        if timings is None:
            continue
        timings = sorted(timings)
        p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
        print(
            f"  {name}: runs={len(timings)} median={statistics.median(timings):.1f} ms "
            f"p95={p95:.1f} ms min={timings[0]:.1f} ms"
        )


async def http_round_trips(body: bytes, runs: int) -> list[float]:
    from spark_control.testing import make_config, running_gateway

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        node = {"address": "127.0.0.1", "user": "alice"}
        config = make_config(
            Path(tmp), {"nodes": {"spark-1": node}, "plugins": {"enabled": ["speech"]}}
        )
        async with running_gateway(config) as gw:
            headers = {"content-type": "application/json"}
            for _ in range(runs):
                started = time.perf_counter()
                response = await gw.client.post("/api/speech/merge", content=body, headers=headers)
                if response.status_code != 200:
                    raise RuntimeError(response.text[:500])
                out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--http", action="store_true", help="also time the HTTP route")
    args = parser.parse_args()
    words, segments, turns = meeting()
    rules = MergeRules()
    print(
        f"load average (1/5 min): {os.getloadavg()[0]:.1f} / {os.getloadavg()[1]:.1f} "
        f"on {os.cpu_count()} cores"
    )

    wall, cpu, (labelled, out) = timed(
        lambda: diarize_transcript(words, segments, turns, rules), args.runs
    )
    report(
        f"merge: {len(labelled)} words x {len(turns)} turns, {len(segments)} ASR segments "
        f"-> {len(out)} segments",
        wall,
        cpu,
    )

    body = whisperx(words, segments)

    def read_and_merge() -> Any:
        heard = read(body)
        return diarize_transcript(heard.words, heard.segments, turns, rules, heard.members)

    wall, cpu, _ = timed(read_and_merge, args.runs)
    untimed = read(body).interpolated
    report(f"read+merge: WhisperX JSON, {untimed} words without timestamps", wall, cpu)

    if args.http:
        payload = {
            **body,
            "turns": [{"start": t.start, "end": t.end, "speaker": t.speaker} for t in turns],
        }
        raw = json.dumps(payload).encode()
        trips = asyncio.run(http_round_trips(raw, max(5, args.runs // 3)))
        report(f"POST /api/speech/merge: {len(raw) / 1e6:.1f} MB body, round trip", trips, None)


if __name__ == "__main__":
    main()
