"""Redaction benchmark: precision and recall per entity type on the generated corpus,
scrub throughput (texts per second) and latency per 1 KB text.

Run from the repository root:  uv run python bench/redaction/bench_redaction.py
Everything runs in this process and on loopback; it ends by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the tests' corpus helpers

from spark_control.testing import make_config, running_gateway
from spark_control_redaction.detect import Lists, detect_sync
from spark_control_redaction.entities import DETECTABLE_TYPES
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.ner import NerModel
from spark_control_redaction.scrub import apply
from spark_control_redaction.settings import DEFAULT_MODEL
from tests.redaction.corpus import NER_TYPES, RULE_TYPES, Sample, generate
from tests.redaction.evaluate import score, scrub_all

TYPES = frozenset(DETECTABLE_TYPES)


def quality(samples: list[Sample], model: NerModel) -> None:
    scored = score(samples, scrub_all(samples, model))
    print(f"\nQuality on {len(samples)} generated texts (a third hard cases)")
    print(f"{'type':<12} {'labelled':>8} {'recall':>7} {'precision':>9} {'leaks':>6}")
    for type_ in (*NER_TYPES, *RULE_TYPES):
        leaks = len(scored.leaks_of([type_]))
        print(
            f"{type_:<12} {scored.labelled[type_]:>8} {scored.recall(type_):>7.3f} "
            f"{scored.precision(type_):>9.3f} {leaks:>6}"
        )


def one_kb_texts(samples: list[Sample], count: int) -> list[str]:
    texts, current = [], ""
    for sample in samples * 4:
        current = f"{current} {sample.text}" if current else sample.text
        if len(current) >= 1024:
            texts.append(current[: current.rfind(" ", 0, 1024)])
            current = ""
            if len(texts) == count:
                break
    return texts


async def engine_sequential(model: NerModel, texts: list[str]) -> tuple[float, list[float]]:
    """One text at a time through the model's thread, the way one request goes;
    returns the CPU seconds used and each text's latency."""
    latencies = []
    cpu = time.process_time()
    for text in texts:
        started = time.perf_counter()
        ner = await model.find(text)
        mapping = Mapping()
        apply(text, detect_sync(text, ner, mapping, Lists(), TYPES), mapping)
        latencies.append(time.perf_counter() - started)
    return time.process_time() - cpu, latencies


async def engine_concurrent(
    model: NerModel, texts: list[str], concurrency: int
) -> tuple[float, float]:
    """``concurrency`` scrubs in flight, as a busy gateway sees them: the model's thread
    batches whatever waits. Returns wall and CPU seconds."""
    queue = list(texts)

    async def worker() -> None:
        while queue:
            text = queue.pop()
            ner = await model.find(text)
            mapping = Mapping()
            apply(text, detect_sync(text, ner, mapping, Lists(), TYPES), mapping)

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, time.process_time() - cpu


async def http_concurrent(
    texts: list[str], concurrency: int, workers: int
) -> tuple[float, float, list[float]]:
    """Through the gateway's real HTTP API with ``concurrency`` requests in flight, sent
    by a client in another process (so it does not share the gateway's CPU or event
    loop). Returns wall seconds, the gateway process's CPU seconds, latencies."""
    with tempfile.TemporaryDirectory() as tmp:
        config = make_config(
            Path(tmp),
            {
                "plugins": {"enabled": ["redaction"]},
                # No cache: the runs send the same texts, each should pay for its model pass.
                "redaction": {"ner_workers": workers, "ner_cache": 0},
            },
        )
        async with running_gateway(config) as gw:
            await gw.client.post("/api/redaction/scrub", json={"text": "Warm up, Alice."})
            await asyncio.sleep(2)  # the other workers load their copies
            texts_file = Path(tmp) / "texts.json"
            texts_file.write_text(json.dumps(texts))
            cpu = time.process_time()
            client = await asyncio.create_subprocess_exec(
                sys.executable, __file__, "--client", gw.url, str(concurrency), str(texts_file),
                stdout=asyncio.subprocess.PIPE,
            )  # fmt: skip
            out, _ = await client.communicate()
            result = json.loads(out)
            return result["wall"], time.process_time() - cpu, result["latencies"]


async def _client(url: str, concurrency: int, queue: list[str]) -> None:
    """The client side of ``http_concurrent``; prints wall time and latencies as JSON."""
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=url, trust_env=False, timeout=60) as client:

        async def worker() -> None:
            while queue:
                text = queue.pop()
                started = time.perf_counter()
                response = await client.post("/api/redaction/scrub", json={"text": text})
                response.raise_for_status()
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        print(json.dumps({"wall": time.perf_counter() - started, "latencies": latencies}))


def ms(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000 if len(values) > 1 else 0.0


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=1000, help="corpus size for quality")
    parser.add_argument("--speed-texts", type=int, default=600, help="texts per speed run")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument(
        "--ner-workers", type=int, default=2, help="NER threads (setting ner_workers)"
    )
    args = parser.parse_args()

    started = time.perf_counter()
    # No cache: every phase reads the same texts, and none should cost nothing.
    model = NerModel(DEFAULT_MODEL, args.ner_workers, cache=0)
    await model.warm_up()
    await asyncio.sleep(2)  # the other workers load their copies
    print(
        f"{args.ner_workers} NER workers; spaCy model {DEFAULT_MODEL} loaded in "
        f"{time.perf_counter() - started:.2f} s"
    )
    samples = generate(args.texts, args.seed)
    quality(samples, model)

    short = [s.text for s in generate(args.speed_texts, args.seed + 1)]
    mean_chars = statistics.mean(len(t) for t in short)
    print(f"\nSpeed, {len(short)} texts of {mean_chars:.0f} characters on average")
    print(f"  (load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; wall-clock")
    print("   figures shrink on a busy machine, CPU time per text much less so)")
    cpu, latencies = await engine_sequential(model, short)
    n = len(short)
    print(
        f"  engine, one at a time:  {n / sum(latencies):7.1f} texts/s wall, "
        f"{n / cpu:7.1f} texts/s per CPU-second, p50 {ms(latencies, 50):.1f} ms"
    )
    wall, cpu = await engine_concurrent(model, short, args.concurrency)
    print(
        f"  engine, {args.concurrency} in flight:   {n / wall:7.1f} texts/s wall, "
        f"{n / cpu:7.1f} texts/s per CPU-second"
    )
    for concurrency in (args.concurrency, 1):
        wall, cpu, latencies = await http_concurrent(short, concurrency, args.ner_workers)
        print(
            f"  HTTP, {concurrency:>2} in flight:     {n / wall:7.1f} texts/s wall, "
            f"{n / cpu:7.1f} texts/s per gateway CPU-second, "
            f"p50 {ms(latencies, 50):.1f} ms, p95 {ms(latencies, 95):.1f} ms"
        )

    kb = one_kb_texts(samples, 200)
    cpu, latencies = await engine_sequential(model, kb)
    print(
        f"\nPer 1 KB text ({len(kb)} texts, one at a time): p50 {ms(latencies, 50):.1f} ms, "
        f"p95 {ms(latencies, 95):.1f} ms wall; {cpu / len(kb) * 1000:.1f} ms CPU each"
    )
    print(f"  (load average after: {os.getloadavg()[0]:.1f})")
    model.close()


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--client":  # the other process of the HTTP runs
        texts = json.loads(Path(sys.argv[4]).read_text())
        asyncio.run(_client(sys.argv[2], int(sys.argv[3]), texts))
    else:
        asyncio.run(main())
