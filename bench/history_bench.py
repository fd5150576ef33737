"""How long the history's writes, pruning and chart queries take at its size bound.

    uv run python bench/history_bench.py [--rows 500000]

Fills a fresh store (a temporary folder) to ``--rows`` rows: 20 series (10 nodes x 2
metrics, as a big cluster's node charts) with a sample every 30 s going back as far as
the rows reach, then times, median of 7: one sampling round's write (40 samples) plus
the prune that keeps the bound, the overview's query (2 metrics x 10 nodes, 3 hours, 180
points), and a 7-day query of one series. Prints one line per figure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from spark_control.history import History, HistorySample
from spark_control.store import Store

NODES = [f"node-{i}" for i in range(10)]
METRICS = ["gpu_memory_used_bytes", "gpu_utilization_pct"]


async def timed(fn, rounds: int = 7) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


async def main(rows: int) -> None:
    now = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        async with Store(Path(tmp) / "db.sqlite") as store:
            history = History(store, max_rows=rows, max_age_s=365 * 86_400, clock=time.time)
            await history.setup()
            per_series = rows // (len(NODES) * len(METRICS))
            batch: list[HistorySample] = []
            for i in range(per_series):
                t = now - 30 * (per_series - i)
                batch.extend(HistorySample(m, n, float(i % 100), t) for m in METRICS for n in NODES)
                if len(batch) >= 20_000:
                    await history.record("core", batch)
                    batch = []
            await history.record("core", batch)

            async def round_() -> None:
                fresh = [HistorySample(m, n, 1.0) for m in METRICS for n in NODES]
                await history.record("core", fresh)
                await history.prune()

            async def overview() -> None:
                await history.query(METRICS, NODES, time.time() - 3 * 3600, time.time(), 180)

            async def week() -> None:
                await history.query(
                    ["gpu_memory_used_bytes"],
                    ["node-0"],
                    time.time() - 7 * 86_400,
                    time.time(),
                    300,
                )

            count = (await store.fetchone("SELECT COUNT(*) AS n FROM core_history"))["n"]  # type: ignore[index]
            size = (Path(tmp) / "db.sqlite").stat().st_size
            print(f"rows {count}, database {size / 2**20:.0f} MiB")
            print(f"sampling round (40 samples + prune): {await timed(round_):.1f} ms")
            label = "overview query (2 metrics x 10 nodes, 3 h, 180 points)"
            print(f"{label}: {await timed(overview):.1f} ms")
            print(f"one series over 7 days, 300 points: {await timed(week):.1f} ms")
            print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500_000)
    asyncio.run(main(parser.parse_args().rows))
