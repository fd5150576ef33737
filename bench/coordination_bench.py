"""Benchmark of the coordination plugin on loopback: the gate on the swap path, the
lock API, webhook delivery throughput and latency, and the schedule view.

Run from the repository root:  uv run python bench/coordination_bench.py
It serves a gateway (coordination plugin only, plus a throwaway plugin naming two
models) and a webhook receiver on 127.0.1.x, prints the figures and ends by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from aiohttp import web

from spark_control import hookimpl
from spark_control.testing import make_config, running_gateway
from spark_control_coordination.outbox import event_body
from spark_control_coordination.schedule import Job, conflicts

RECEIVER = "127.0.1.220"
SECRET = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo="


class Models:
    @hookimpl
    def spark_models(self, host: Any) -> list[dict[str, str]]:
        return [{"id": "model-a", "served_name": "a"}, {"id": "model-b", "served_name": "b"}]


def summary(name: str, samples_s: list[float], unit: str = "ms") -> str:
    scale = 1000 if unit == "ms" else 1_000_000
    ordered = sorted(samples_s)
    p50 = statistics.median(ordered) * scale
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * scale
    return f"{name:<44} n={len(ordered):<5} p50 {p50:8.3f} {unit}  p99 {p99:8.3f} {unit}"


async def timed(n: int, call: Callable[[], Awaitable[Any]]) -> list[float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - start)
    return samples


async def receiver(
    arrivals: list[float], expected: int, all_in: asyncio.Event
) -> tuple[web.AppRunner, str]:
    async def handle(request: web.Request) -> web.Response:
        await request.read()
        arrivals.append(time.time())
        if len(arrivals) >= expected:
            all_in.set()
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, RECEIVER, 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://{RECEIVER}:{port}/hook"


async def main(n: int, deliveries: int, jobs: int) -> None:
    arrivals: list[float] = []
    all_in = asyncio.Event()
    runner, url = await receiver(arrivals, deliveries, all_in)
    tmp = Path(tempfile.mkdtemp(prefix="coordination-bench-"))
    config = make_config(
        tmp,
        {
            "plugins": {"enabled": ["coordination"]},
            "coordination": {"webhooks": [{"url": url, "secrets": [SECRET]}]},
        },
    )
    try:
        async with running_gateway(config, extra_plugins={"models": Models()}) as gw:
            client: httpx.AsyncClient = gw.client
            plugin = gw.gateway.pm.get_plugin("coordination")
            lock = (
                await client.post("/api/coordination/lock", json={"holder": "bench", "ttl_s": 3600})
            ).json()
            token = {"X-Swap-Lock-Token": lock["token"]}

            # The gate as the swap path calls it, in process (lock held, token right/wrong).
            book = plugin.book.value
            assert book is not None, "the coordination plugin has not started"
            good = {"x-swap-lock-token": lock["token"]}
            for label, headers in (("token matches", good), ("no token (refused)", {})):
                start = time.perf_counter()
                for _ in range(n * 10):
                    book.refusal("vllm.swap", headers)
                per = (time.perf_counter() - start) / (n * 10)
                print(f"{'gate, in process, ' + label:<44} n={n * 10:<5} mean {per * 1e6:8.2f} µs")

            print(
                summary(
                    "GET /api/gates/vllm.swap (held, refused)",
                    await timed(n, lambda: client.get("/api/gates/vllm.swap")),
                )
            )
            print(
                summary(
                    "GET /api/coordination/lock",
                    await timed(n, lambda: client.get("/api/coordination/lock")),
                )
            )
            print(
                summary(
                    "POST /api/coordination/lock (renew)",
                    await timed(
                        n,
                        lambda: client.post(
                            "/api/coordination/lock", json={"ttl_s": 3600}, headers=token
                        ),
                    ),
                )
            )

            async def cycle() -> None:
                await client.delete("/api/coordination/lock", headers=token)
                fresh = await client.post(
                    "/api/coordination/lock", json={"holder": "bench", "ttl_s": 60}
                )
                token["X-Swap-Lock-Token"] = fresh.json()["token"]

            print(summary("release + acquire (2 requests)", await timed(n, cycle)))

            # Webhooks: a burst of events straight into the outbox (as swap events arrive),
            # then wait until the receiver has every one.
            sender = plugin.deliverer
            start = time.time()
            for i in range(deliveries):
                await sender.enqueue("test", event_body("test", {"n": i}, time.time()), test=True)
            queued = time.time() - start
            async with asyncio.timeout(120):
                await all_in.wait()
            total = time.time() - start
            log = (
                await client.get("/api/coordination/webhooks/deliveries", params={"limit": 500})
            ).json()
            latencies = [
                d["finished_at"] - d["created_at"]
                for d in log["deliveries"]
                if d["state"] == "delivered"
            ]
            print(
                f"{'webhooks: ' + str(deliveries) + ' test events':<44} queued in {queued:.2f} s, "
                f"all delivered in {total:.2f} s ({deliveries / total:.0f}/s)"
            )
            print(summary("webhook: event queued → receiver answered", latencies))

            # Schedule: the registry view with many jobs (next runs, conflicts).
            for i in range(jobs):
                await client.post(
                    "/api/coordination/schedule",
                    json={
                        "name": f"job-{i}",
                        "owner": "Alice",
                        "cron": f"{(i * 7) % 60} */{1 + i % 4} * * *",
                        "model": "model-a" if i % 2 else "model-b",
                        "expected_duration_s": 900,
                    },
                )
            declared = [
                Job(**{k: row[k] for k in Job.__dataclass_fields__})
                for row in (await client.get("/api/coordination/schedule")).json()["jobs"]
            ]
            start = time.perf_counter()
            found = conflicts(declared, datetime.now(UTC), timedelta(days=7))
            spent = time.perf_counter() - start
            print(
                f"{'conflict search, in process (uncached)':<44} {spent * 1000:8.1f} ms "
                f"({jobs} jobs, {len(found)} conflicting pairs, 7-day horizon)"
            )
            print(
                summary(
                    "GET /api/coordination/schedule, again within the minute",
                    await timed(max(5, n // 10), lambda: client.get("/api/coordination/schedule")),
                )
            )
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="samples per HTTP figure")
    parser.add_argument("--deliveries", type=int, default=200, help="test events to deliver")
    parser.add_argument("--jobs", type=int, default=50, help="jobs in the schedule")
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.requests, args.deliveries, args.jobs)))
