"""Forwarding and webhook wake-up benchmark (issue 26): what a follower's hop to the
leader costs a gated action, and how soon a webhook queued on a follower leaves the
leader.

Run from the repository root, inside a network namespace:
  bench/netns-run uv run --frozen python bench/replicas_forwarding.py [--requests 50]
  [--webhooks 10]
It starts a throwaway PostgreSQL (Debian's ``postgresql`` package,
``spark_control.pg_cluster``) on loopback, two gateways (real HTTP, in this process)
on it, each advertising its own URL (``gateway.advertise_url``), with the coordination
plugin and a small plugin whose ``POST /api/bench/act`` asks the gate and answers;
and a webhook receiver on loopback. It times ``--requests`` gated actions sent to the
leader directly and as many sent to the follower (forwarded), one at a time, then
``--webhooks`` test webhooks queued through the follower, each from the request until
the receiver has it.

Then the ``/v1`` hop (``--v1``, default as many as ``--requests``; 0: skipped): a
simulated cluster and two more gateways with the vllm plugin and on-demand swaps, the
leader serving one model. A chat completion for another catalog model, sent to the
follower, is refused there by the leadership gate and sent on to the leader, whose
answer comes back: the leader keeps models at least ``min_residency_s`` (600 s) and
answers at once with its 503 ``min_residency``, so the hop is timed, not a swap (the
follower's own residency is 0, so it asks the gate). Timed against the same request
sent to the leader directly, and a completion of the loaded model on the follower
(served there). Prints medians and 95th percentiles; stops everything. Ends by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from aiohttp import web
from fastapi import APIRouter

from spark_control import hookimpl
from spark_control.contrib import Action
from spark_control.pg_cluster import PostgresCluster, postgres_unavailable
from spark_control.plugins import load_plugins
from spark_control.server import bind_loopback
from spark_control.sim import SimCluster
from spark_control.sim.registry import collect_simulation
from spark_control.testing import make_config, running_gateway, sim_base_address

LOADED, OTHER = "llama-3.1-8b-instruct", "gpt-oss-20b"


class GatedAct:
    """``POST /api/bench/act``: asks the gate ``bench.act``, then answers."""

    @hookimpl
    def spark_routes(self, host: Any, register: Any) -> None:
        router = APIRouter()

        @router.post("/api/bench/act")
        async def act() -> dict[str, str]:
            await host.require_gate(Action("bench.act", params={}, actor="Alice"))
            return {"replica": host.leadership.replica}

        register(router)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def show(name: str, seconds: list[float]) -> None:
    ms = [s * 1000 for s in seconds]
    print(
        f"{name}: median {statistics.median(ms):.1f} ms, p95 {pct(ms, 0.95):.1f} ms, "
        f"min {min(ms):.1f} ms, max {max(ms):.1f} ms (n={len(ms)})"
    )


async def timed(
    label: str, client: Any, body: dict[str, Any], status: int, n: int, served_by: str | None
) -> None:
    took = []
    for _ in range(n):
        start = time.perf_counter()
        answer = await client.post("/v1/chat/completions", json=body)
        took.append(time.perf_counter() - start)
        assert answer.status_code == status, answer.text
        assert answer.headers.get("x-spark-served-by") == served_by, answer.headers
    show(label, took)


async def serving(gw: Any, model: str) -> None:
    """Until ``gw`` shows ``model`` loaded (at most two minutes)."""
    for _ in range(600):
        if (await gw.client.get("/api/vllm/swap")).json()["model"] == model:
            return
        await asyncio.sleep(0.2)
    raise TimeoutError(f"{gw.url} never showed {model} loaded")


async def v1_hop(tmp: Path, dsn: str, n: int) -> None:
    """The /v1 phase: see the module's docstring."""
    pm, _ = load_plugins(None, {}, {})
    with SimCluster(
        tmp / "sim", registry=collect_simulation(pm), base_address=sim_base_address()
    ) as cluster:

        def config(name: str, sock: Any, residency: float) -> Any:
            return make_config(
                tmp / name,
                {
                    "plugins": {"enabled": ["vllm"]},
                    "nodes": cluster.topology_config(),
                    "vllm": {"proxy": {"on_demand_swap": True, "min_residency_s": residency}},
                    "gateway": {
                        "database_url": dsn,
                        "advertise_url": f"http://127.0.0.1:{sock.getsockname()[1]}",
                        "access_log": "off",
                    },
                },
            )

        sa, sb = bind_loopback(), bind_loopback()
        async with (
            running_gateway(config("v1a", sa, 600), sock=sa) as a,
            running_gateway(config("v1b", sb, 0), sock=sb) as b,
        ):
            assert a.host.leadership.is_leader and not b.host.leadership.is_leader
            try:
                swap = await a.client.post("/api/vllm/swap", json={"model": LOADED})
                assert swap.status_code == 202, swap.text
                for gw in (a, b):  # the follower follows through the relay
                    await serving(gw, LOADED)
                other = {"model": OTHER, "messages": [{"role": "user", "content": "hi"}]}
                loaded = {**other, "model": LOADED, "max_tokens": 1}
                leader = a.host.leadership.replica
                for label, gw, body, status, served_by in (
                    ("/v1 min_residency 503 from the leader directly", a, other, 503, None),
                    ("/v1 the same through the follower (sent on)", b, other, 503, leader),
                    ("/v1 completion of the loaded model on the follower", b, loaded, 200, None),
                ):
                    await timed(label, gw.client, body, status, n, served_by)
            finally:
                await a.client.post("/api/vllm/stop")


async def main(requests: int, webhooks: int, v1: int) -> None:
    arrived: asyncio.Queue[float] = asyncio.Queue()

    async def receive(request: web.Request) -> web.Response:
        await request.read()
        arrived.put_nowait(time.perf_counter())
        return web.Response(status=204)

    receiver = web.Application()
    receiver.router.add_route("POST", "/hook", receive)
    runner = web.AppRunner(receiver, handle_signals=False, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    hook = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/hook"  # type: ignore[union-attr]
    with tempfile.TemporaryDirectory(prefix="spark-fwd-bench-") as tmp, PostgresCluster() as pg:
        dsn = pg.dsn

        def config(name: str, sock: Any) -> Any:
            port = sock.getsockname()[1]
            return make_config(
                Path(tmp) / name,
                {
                    "plugins": {"enabled": ["coordination"]},
                    "gateway": {
                        "database_url": dsn,
                        "advertise_url": f"http://127.0.0.1:{port}",
                        "access_log": "off",
                    },
                    "coordination": {"webhooks": [{"url": hook, "secrets": [SECRET]}]},
                },
            )

        sa, sb = bind_loopback(), bind_loopback()
        try:
            async with (
                running_gateway(config("a", sa), extra_plugins={"b": GatedAct()}, sock=sa) as a,
                running_gateway(config("b", sb), extra_plugins={"b": GatedAct()}, sock=sb) as b,
            ):
                assert a.host.leadership.is_leader and not b.host.leadership.is_leader
                for label, gw in (("to the leader", a), ("through the follower", b)):
                    took = []
                    for _ in range(requests):
                        start = time.perf_counter()
                        answer = await gw.client.post("/api/bench/act")
                        took.append(time.perf_counter() - start)
                        assert answer.status_code == 200, answer.text
                    show(f"gated action {label}", took)
                await asyncio.sleep(1.0)
                took = []
                for _ in range(webhooks):
                    start = time.perf_counter()
                    queued = await b.client.post("/api/coordination/webhooks/test")
                    assert queued.status_code == 202, queued.text
                    took.append(await asyncio.wait_for(arrived.get(), 40) - start)
                    await asyncio.sleep(0.2)
                show("webhook queued on the follower -> at the receiver", took)
            if v1:
                # Its own schema: the gateways above left their lead and tables behind.
                await v1_hop(Path(tmp), await pg_schema(dsn, "v1hop"), v1)
        finally:
            await runner.cleanup()
    print(f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f}")


async def pg_schema(dsn: str, name: str) -> str:
    """A DSN whose tables land in a new schema ``name`` of ``dsn``'s database."""
    async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
        await conn.execute(f"CREATE SCHEMA {name}")
    sep = "&" if "?" in dsn else "?"
    return f"{dsn}{sep}options={quote(f'-csearch_path={name}')}"


SECRET = "whsec_" + base64.b64encode(b"forwarding-bench-key-24b").decode()

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--webhooks", type=int, default=10)
    parser.add_argument("--v1", type=int, default=None, help="/v1 requests (0: skipped)")
    args = parser.parse_args()
    why = postgres_unavailable()
    if why:
        raise SystemExit(f"PostgreSQL is not available here: {why}")
    with contextlib.suppress(KeyboardInterrupt):
        v1 = args.requests if args.v1 is None else args.v1
        asyncio.run(main(args.requests, args.webhooks, v1))
