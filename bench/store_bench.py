"""What the store's calls cost on each backend: SQLite (the file) and PostgreSQL (a
throwaway local cluster, durability off as in tests, so a lower bound for a real one).

    uv run python bench/store_bench.py [--rounds 300]

Times, median over ``--rounds`` calls each: an audit-style ``insert``, a ``fetchone``
by primary key, a ``transaction`` that reads a row and writes what it implies, an
``executemany`` of 100 rows (a health-log flush), and 200 read-then-write transactions
from two stores (two gateways) at once, in total. Prints one line per figure and
backend. Needs Debian's ``postgresql`` package for the second backend.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from spark_control.pg_cluster import PostgresCluster, postgres_unavailable
from spark_control.store import Store, store_for

STEPS = [
    """
    CREATE TABLE bench_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT, time REAL NOT NULL, action TEXT NOT NULL,
        detail TEXT
    );
    CREATE TABLE bench_counter (name TEXT PRIMARY KEY, n INTEGER NOT NULL);
    INSERT INTO bench_counter (name, n) VALUES ('c', 0);
    """
]


async def median_ms(fn: Callable[[], Awaitable[Any]], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def increment(conn: Any) -> int:
    (n,) = conn.execute("SELECT n FROM bench_counter WHERE name = 'c'").fetchone()
    conn.execute("UPDATE bench_counter SET n = ? WHERE name = 'c'", (n + 1,))
    return int(n) + 1


async def run(name: str, make: Callable[[], Store], rounds: int) -> None:
    async with make() as store, make() as other:
        await store.migrate("bench", STEPS)
        insert = "INSERT INTO bench_log (time, action, detail) VALUES (?, ?, ?)"
        figures = {
            "insert": await median_ms(
                lambda: store.insert(insert, (time.time(), "bench.x", '{"a": 1}')), rounds
            ),
            "fetchone by id": await median_ms(
                lambda: store.fetchone("SELECT * FROM bench_log WHERE id = ?", (1,)), rounds
            ),
            "transaction (read, then write)": await median_ms(
                lambda: store.transaction(increment), rounds
            ),
            "executemany 100 rows": await median_ms(
                lambda: store.executemany(
                    insert, [(time.time(), "bench.y", None) for _ in range(100)]
                ),
                max(rounds // 10, 5),
            ),
        }
        started = time.perf_counter()
        await asyncio.gather(
            *(s.transaction(increment) for _ in range(100) for s in (store, other))
        )
        figures["200 transactions from two gateways, total"] = (
            time.perf_counter() - started
        ) * 1000
        for figure, ms in figures.items():
            print(f"{name:<10} {figure:<44} {ms:8.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=300)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run("sqlite", lambda: store_for(Path(tmp), None), rounds))
    reason = postgres_unavailable()
    if reason is not None:
        print(f"postgres   skipped: {reason}")
        return
    with PostgresCluster() as cluster:
        asyncio.run(run("postgres", lambda: store_for(Path("."), cluster.dsn), rounds))


if __name__ == "__main__":
    main()
