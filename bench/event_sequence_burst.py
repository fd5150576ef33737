"""Event relay burst benchmark (issue 26 item 1): how fast a burst of events published
on one replica is numbered by the database's sequence and streamed on two, and in how
many statements it went out.

Run from the repository root:  uv run python bench/event_sequence_burst.py [--events 2000]
[--rounds 3] [--batch 200]. It starts a throwaway PostgreSQL (Debian's ``postgresql`` package,
``spark_control.pg_cluster``) on loopback and two event buses with their relays
(``spark_control.event_relay``, what each gateway runs), publishes ``--events`` small
events on the first at once and waits until both buses streamed all of them. It prints
per round the time to the last event on each bus, events per second, and the number of
send statements (one per batch; ``--batch 1`` is one statement per event, the relay
before batching); then stops the cluster. Ends by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from spark_control import event_relay
from spark_control.event_relay import PostgresEventRelay
from spark_control.events import EventBus
from spark_control.pg_cluster import PostgresCluster, postgres_unavailable


async def streamed(bus: EventBus, kind: str, count: int) -> float:
    """When (``perf_counter``) the ``count``-th event of ``kind`` was streamed on ``bus``."""
    got = 0
    async with bus.subscribe() as sub:
        async for event in sub:
            if event.type == kind:
                got += 1
                if got == count:
                    return time.perf_counter()
    raise RuntimeError("the stream ended early")


async def one_round(dsn: str, events: int, n: int) -> tuple[float, float, int]:
    a, b = EventBus(buffer_size=events + 10), EventBus(buffer_size=events + 10)
    relays = [PostgresEventRelay(dsn, a, "a"), PostgresEventRelay(dsn, b, "b")]
    for relay in relays:
        await relay.start()
    kind = f"bench.burst{n}"
    try:
        waits = [asyncio.create_task(streamed(bus, kind, events)) for bus in (a, b)]
        await asyncio.sleep(0.1)  # both subscribed
        batches_before = relays[0].batches
        start = time.perf_counter()
        for i in range(events):
            a.publish(kind, {"i": i, "note": "x" * 100}, source="bench")
        on_a, on_b = await asyncio.wait_for(asyncio.gather(*waits), 120)
        return on_a - start, on_b - start, relays[0].batches - batches_before
    finally:
        for relay in relays:
            await relay.aclose()


async def main(events: int, rounds: int) -> None:
    with PostgresCluster() as cluster:
        results = [await one_round(cluster.dsn, events, n) for n in range(rounds)]
    for n, (on_a, on_b, batches) in enumerate(results, 1):
        print(
            f"round {n}: {events} events; last on the publisher's stream {on_a:.3f} s, "
            f"on the other's {on_b:.3f} s ({events / on_b:.0f} events/s); "
            f"{batches} send statements"
        )
    print(
        f"median: publisher {statistics.median(r[0] for r in results):.3f} s, "
        f"other {statistics.median(r[1] for r in results):.3f} s"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, default=event_relay.BATCH)
    args = parser.parse_args()
    event_relay.BATCH = args.batch
    reason = postgres_unavailable()
    if reason:
        raise SystemExit(reason)
    asyncio.run(main(args.events, args.rounds))
