"""Failover mid-swap and mid-webhook with three gateways (issue 26 item 7): two gateway
processes and one in this process, on one PostgreSQL and one simulated cluster, with
the vllm and coordination plugins and a webhook receiver on loopback that holds the
first request it gets. The leader (process A) starts a swap; while vLLM is loading and
the ``swap_started`` webhook is held at the receiver, A is killed with SIGKILL.

Then: another replica takes the lead (a higher fencing number); it reconciles, so the
interrupted swap ends ``failed`` ("the gateway restarted during this swap") and the
launch A left running is followed to its end (a new swap, ``resumed_from`` the old) or,
if it already serves, adopted as the current model; the node was asked to launch vLLM
once (no second launch while one runs); every webhook queued is delivered, the held one
again with the same id and body, each signature verifying (``standardwebhooks``)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
from aiohttp import web
from standardwebhooks import Webhook

from spark_control.settings import write_config
from spark_control.sim import SimCluster
from spark_control.testing import gateway_process, make_config, running_gateway
from spark_control_coordination.outbox import INTERRUPTED
from spark_control_vllm.sim import set_vllm_load_time
from tests.coordination.conftest import RECEIVER_ADDRESS, SECRET
from tests.coordination.lease_backends import fresh_schema

LEASE_S = 2.0
MODEL = "llama-3.1-8b-instruct"
SWAP = "/api/vllm/swap"
RESTARTED = "the gateway restarted during this swap"


@dataclass
class HoldingReceiver:
    """Answers 204, except the very first request, which it holds until the test ends
    (its sender is killed meanwhile)."""

    url: str = ""
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    held: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        headers = {k.lower(): v for k, v in request.headers.items()}
        self.requests.append((headers, body))
        if not self.held.is_set():
            self.held.set()
            await self.release.wait()
        return web.Response(status=204)


@contextlib.asynccontextmanager
async def holding_receiver() -> AsyncIterator[HoldingReceiver]:
    rec = HoldingReceiver()
    app = web.Application()
    app.router.add_route("POST", "/{tail:.*}", rec.handle)
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, RECEIVER_ADDRESS, 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    rec.url = f"http://{RECEIVER_ADDRESS}:{port}"
    try:
        yield rec
    finally:
        rec.release.set()
        await runner.cleanup()


def launches(log: list[Any]) -> list[str]:
    """The commands in a node's SSH log that launch vLLM (not the launcher's stop)."""
    return [r.command for r in log if "launch-cluster.sh" in r.command and " stop" not in r.command]


async def get_json(url: str, path: str) -> Any:
    async with httpx.AsyncClient(base_url=url, trust_env=False, timeout=10) as client:
        return (await client.get(path)).json()


async def test_three_gateways_lose_their_leader_mid_swap_and_mid_webhook(
    tmp_path: Path, spark_postgres: str, spark_sim_cluster: SimCluster
) -> None:
    cluster = spark_sim_cluster
    head = cluster.head.name
    node_log = cluster.server(head).exec_log
    async with fresh_schema(spark_postgres) as dsn, holding_receiver() as rec:
        data = {
            "plugins": {"enabled": ["vllm", "coordination"]},
            "nodes": cluster.topology_config(),
            "vllm": {"load_deadline_s": 30, "download_deadline_s": 30},
            "coordination": {
                "webhooks": [{"url": rec.url + "/hooks", "secrets": [SECRET]}],
                "webhook_timeout_s": 15,
            },
        }
        shared = {"database_url": dsn, "leader_lease_s": LEASE_S}

        def process_config(name: str) -> Path:
            return write_config(
                tmp_path / f"{name}.yaml",
                {**data, "gateway": {**shared, "data_dir": str(tmp_path / name)}},
            )

        set_vllm_load_time(cluster, head, 8)  # the load outlasts the takeover
        logged_before = len(node_log)
        with contextlib.ExitStack() as processes:
            # The two processes start side by side; whichever takes the lead is killed.
            a, b = await asyncio.gather(
                *(
                    asyncio.to_thread(
                        processes.enter_context,
                        gateway_process(process_config(name), log_path=tmp_path / f"{name}.log"),
                    )
                    for name in ("a", "b")
                )
            )
            seen_a, seen_b = [await get_json(p.url, "/api/leadership") for p in (a, b)]
            if seen_b["leader"]:
                (a, seen_a), (b, seen_b) = (b, seen_b), (a, seen_a)
            assert seen_a["leader"] is True and seen_b["leader"] is False, (seen_a, seen_b)
            c_config = make_config(tmp_path / "c", {**data, "gateway": shared})
            async with running_gateway(c_config) as c:
                try:
                    async with httpx.AsyncClient(base_url=a.url, trust_env=False) as client:
                        started = await client.post(
                            SWAP, json={"model": MODEL}, headers={"X-Actor": "Alice"}
                        )
                    assert started.status_code == 202, started.text
                    swap_id = started.json()["id"]
                    # Mid-swap (vLLM launched, loading) and mid-webhook (swap_started
                    # held; the leader's attempt lasts up to webhook_timeout_s).
                    async with asyncio.timeout(60):
                        await rec.held.wait()
                        while not (await get_json(a.url, SWAP))["swap"]["launcher_pid"]:
                            await asyncio.sleep(0.1)
                        # The other replicas show the leader's swap (the relay's events).
                        for url in (b.url, c.url):
                            while (await get_json(url, SWAP))["state"] != "swapping":
                                await asyncio.sleep(0.1)
                            assert (await get_json(url, SWAP))["swap"]["id"] == swap_id
                    a.process.send_signal(signal.SIGKILL)
                    a.process.wait(timeout=10)

                    # Another replica takes the lead, with a higher fencing number.
                    async with asyncio.timeout(60):
                        while True:
                            seen = (await c.client.get("/api/leadership")).json()
                            if seen["holder"] not in (None, seen_a["replica"]):
                                break
                            await asyncio.sleep(0.1)
                    leader = c.url if seen["holder"] == seen["replica"] else b.url
                    now = await get_json(leader, "/api/leadership")
                    assert now["leader"] is True and now["fencing"] > seen_a["fencing"]

                    # The interrupted swap is failed; the launch is followed, not redone.
                    async with asyncio.timeout(90):
                        while True:
                            status = await get_json(leader, SWAP)
                            if status["state"] == "ready" or status.get("reason"):
                                break
                            await asyncio.sleep(0.2)
                    old = await get_json(leader, f"/api/vllm/swap/{swap_id}")
                    assert (old["state"], old["reason"]) == ("failed", RESTARTED), old
                    assert (status["state"], status["model"]) == ("ready", MODEL), status
                    history = await get_json(leader, "/api/vllm/swap/history")
                    resumed = [s for s in history["swaps"] if s.get("resumed_from") == swap_id]
                    for swap in resumed:
                        assert swap["launcher_pid"] == old["launcher_pid"], "a new launch"
                        assert swap["state"] == "complete", swap
                    assert len(launches(node_log[logged_before:])) == 1, launches(
                        node_log[logged_before:]
                    )

                    # Every webhook queued is delivered; the held one again, same id.
                    async with await psycopg.AsyncConnection.connect(dsn) as db:
                        async with asyncio.timeout(60):
                            while True:
                                cur = await db.execute(
                                    "SELECT id, state, body FROM coordination_webhook_deliveries"
                                )
                                rows = await cur.fetchall()
                                await db.commit()
                                if rows and all(r[1] == "delivered" for r in rows):
                                    break
                                await asyncio.sleep(0.2)
                        cur = await db.execute(
                            "SELECT delivery, attempt, error, status "
                            "FROM coordination_webhook_attempts ORDER BY delivery, attempt"
                        )
                        attempts = await cur.fetchall()
                    hook = Webhook(SECRET)
                    got = Counter(h["webhook-id"] for h, _ in rec.requests)
                    bodies = {r[0]: bytes(r[2]) for r in rows}
                    assert set(got) == set(bodies), "a delivery lost, or one not queued"
                    for headers, body in rec.requests:
                        assert body == bodies[headers["webhook-id"]]
                        assert hook.verify(body, headers) == json.loads(body)
                    first_id = rec.requests[0][0]["webhook-id"]
                    assert json.loads(bodies[first_id])["type"] == "swap_started"
                    assert got[first_id] >= 2, "the held webhook was not sent again"
                    # The killed leader's attempt never finished (no status): the new
                    # leader, once it led, logged it as interrupted.
                    assert [(n, e, st) for d, n, e, st in attempts if d == first_id][:1] == [
                        (1, INTERRUPTED, None)
                    ], attempts
                    types = sorted(json.loads(b)["type"] for b in bodies.values())
                    assert "swap_failed" in types and "swap_complete" in types, types
                finally:
                    set_vllm_load_time(cluster, head, None)
                    with contextlib.suppress(Exception):
                        for url in (b.url, c.url):
                            async with httpx.AsyncClient(base_url=url, trust_env=False) as cl:
                                await cl.post("/api/vllm/stop", headers={"X-Actor": "Alice"})
