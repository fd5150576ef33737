"""A follower sends a ``/v1`` request that needs an on-demand swap to the leader (issue 26:
every replica serves ``/v1``). Two gateways (real HTTP) on one real PostgreSQL and the
simulated cluster, with on-demand swaps on: a chat completion for a model not loaded,
posted to the follower, streamed or not and through the official ``openai`` client, is
answered by the leader, which swapped once, and says who served it; once the follower
sees the model up it serves it itself. A request without a valid key is refused on the
follower; a leader without an advertised URL, out of reach, or silent, and a request
forwarded already (the loop guard) get the 503 / 504 saying why. Skipped, with the
reason, where PostgreSQL is not installed."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import openai

from spark_control.server import bind_loopback
from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway
from tests.coordination.lease_backends import fresh_schema
from tests.replicas.test_forwarding import bearer, pair, url_of
from tests.replicas.test_three_gateways import launches

FIRST, SECOND, NEMOTRON = "llama-3.1-8b-instruct", "gpt-oss-20b", "nemotron-nano-9b-v2"
SERVED = {
    FIRST: "meta-llama/Llama-3.1-8B-Instruct",
    SECOND: "openai/gpt-oss-20b",
    NEMOTRON: "nvidia/NVIDIA-Nemotron-Nano-9B-v2",
}
CHAT = "/v1/chat/completions"
# A swap on the simulated cluster takes seconds; on a loaded machine far longer.
SLOW = httpx.Timeout(180.0, connect=10.0)


def chat(model: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": text}], **extra}


def streamed_text(body: str) -> str:
    """The text of a streamed chat completion (its Server-Sent Events)."""
    parts = []
    for line in body.splitlines():
        if line.startswith("data: ") and line != "data: [DONE]":
            for choice in json.loads(line.removeprefix("data: "))["choices"]:
                parts.append(choice["delta"].get("content") or "")
    return "".join(parts)


def config(cluster: SimCluster, proxy: dict[str, Any], access: dict[str, Any]) -> dict[str, Any]:
    return {
        "access": access,
        "plugins": {"enabled": ["vllm"]},
        "nodes": cluster.topology_config(),
        "vllm": {"proxy": {"on_demand_swap": True, "min_residency_s": 0, **proxy}},
    }


async def nothing_loaded(leader: RunningGateway, follower: RunningGateway, **headers: str) -> None:
    """vLLM stopped by the leader (an earlier test may have left a model up), and the
    follower's view following."""
    stopped = await leader.client.post("/api/vllm/stop", headers=headers)
    assert stopped.status_code == 200, stopped.text
    async with asyncio.timeout(60):
        while (await follower.client.get("/api/swap", headers=headers)).json()["model"]:
            await asyncio.sleep(0.1)


async def swaps_on(gw: RunningGateway, headers: dict[str, str]) -> list[dict[str, Any]]:
    history = await gw.client.get("/api/vllm/swap/history", headers=headers)
    assert history.status_code == 200, history.text
    swaps: list[dict[str, Any]] = history.json()["swaps"]
    return swaps


async def test_a_follower_sends_a_v1_request_needing_a_swap_to_the_leader(
    tmp_path: Path, spark_postgres: str, spark_sim_cluster: SimCluster
) -> None:
    cluster = spark_sim_cluster
    node_log = cluster.server(cluster.head.name).exec_log
    leader_sock = bind_loopback()
    extra = config(cluster, {}, {"require_keys": True, "key_cache_s": 0})
    async with (
        fresh_schema(spark_postgres) as dsn,
        pair(
            tmp_path,
            dsn,
            leader_advertises=url_of(leader_sock),
            leader_sock=leader_sock,
            extra=extra,
        ) as (a, b, _, _),
    ):
        access = a.gateway.access
        _, secret = await access.keys.create("alice-ci", ["read", "swap"], access.known_scopes())
        key = bearer(secret)
        leader, follower = a.host.leadership.replica, b.host.leadership.replica
        try:
            await nothing_loaded(a, b, **key)
            launched_before = len(launches(node_log))

            # Two requests side by side, one streamed: both sent on, one swap for both.
            # The plain one comes from a browser page of the follower's: the leader checks
            # its Origin against the Host the caller used (the follower's), not its own.
            page = {**key, "origin": b.url}

            async def streamed() -> tuple[httpx.Response, str]:
                async with b.client.stream(
                    "POST", CHAT, json=chat(FIRST, "a b c", stream=True), headers=key, timeout=SLOW
                ) as response:
                    return response, (await response.aread()).decode()

            plain, (stream, text) = await asyncio.gather(
                b.client.post(CHAT, json=chat(FIRST, "two words"), headers=page, timeout=SLOW),
                streamed(),
            )
            assert plain.status_code == 200, plain.text
            assert plain.json()["model"] == SERVED[FIRST]
            assert plain.json()["choices"][0]["message"]["content"] == "Echo: two words"
            assert stream.status_code == 200, text
            assert stream.headers["content-type"].startswith("text/event-stream")
            assert text.rstrip().endswith("data: [DONE]") and streamed_text(text) == "Echo: a b c"
            for answer in (plain, stream):
                assert answer.headers["x-spark-served-by"] == leader
                assert answer.headers["x-spark-forwarded-by"] == follower

            # The leader swapped, once; the follower neither swapped nor logged a refusal.
            swaps = await swaps_on(a, key)
            assert [(s["model"], s["actor"], s["state"]) for s in swaps] == [
                (FIRST, "on-demand", "complete")
            ]
            assert len(launches(node_log)) == launched_before + 1
            entries = (await a.client.get("/api/audit", headers=key)).json()["entries"]
            assert [(e["actor"], e["result"]) for e in entries if e["action"] == "vllm.swap"] == [
                ("on-demand", f"started {swaps[0]['id']}")
            ], entries

            # Once the follower sees the model up, it serves it itself.
            async with asyncio.timeout(60):
                while (await b.client.get("/api/swap", headers=key)).json()["model"] != FIRST:
                    await asyncio.sleep(0.1)
            local = await b.client.post(CHAT, json=chat(FIRST, "here"), headers=key)
            assert local.status_code == 200, local.text
            assert local.json()["choices"][0]["message"]["content"] == "Echo: here"
            assert "x-spark-served-by" not in local.headers
            assert "x-spark-forwarded-by" not in local.headers

            # The official client, pointed at the follower, for another model not loaded.
            async with openai.AsyncOpenAI(
                base_url=b.url + "/v1", api_key=secret, max_retries=0, timeout=180
            ) as client:
                raw = await client.chat.completions.with_raw_response.create(
                    model=SECOND, messages=[{"role": "user", "content": "via the leader"}]
                )
            reply = raw.parse()
            assert reply.model == SERVED[SECOND]
            assert reply.choices[0].message.content == "Echo: via the leader"
            assert raw.headers["x-spark-served-by"] == leader
            swaps = await swaps_on(a, key)
            assert [(s["model"], s["actor"]) for s in swaps][:1] == [(SECOND, "on-demand")]
            assert len(swaps) == 2

            # A missing or wrong key is refused on the follower: nothing is sent on.
            for headers in ({}, bearer("sk-not-a-key")):
                refused = await b.client.post(CHAT, json=chat(FIRST, "x"), headers=headers)
                assert refused.status_code == 401, refused.text
                assert "x-spark-served-by" not in refused.headers
            assert len(await swaps_on(a, key)) == 2
        finally:
            await a.client.post("/api/vllm/stop", headers=key)


class Door:
    """The leader's advertised address, which the test opens step by step: bound but not
    listening (connections refused), then taking requests and never answering, then
    passing connections through to ``target``."""

    def __init__(self) -> None:
        self.sock = bind_loopback()
        self.url = url_of(self.sock)
        self.target: tuple[str, int] | None = None
        self.server: asyncio.Server | None = None
        self.writers: list[asyncio.StreamWriter] = []

    async def open(self) -> None:
        self.server = await asyncio.start_server(self._handle, sock=self.sock)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.append(writer)
        with contextlib.suppress(OSError):
            if self.target is None:
                while await reader.read(65536):  # until the caller gives up and hangs up
                    pass
            else:
                up_reader, up_writer = await asyncio.open_connection(*self.target)
                self.writers.append(up_writer)
                await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        writer.close()

    async def close(self) -> None:
        for writer in self.writers:
            writer.close()
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
        else:
            self.sock.close()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.close()


@contextlib.asynccontextmanager
async def door() -> AsyncIterator[Door]:
    opened = Door()
    try:
        yield opened
    finally:
        await opened.close()


def address(gw: RunningGateway) -> tuple[str, int]:
    host, _, port = gw.url.removeprefix("http://").rpartition(":")
    return host, int(port)


async def test_a_v1_request_the_follower_cannot_send_on_gets_the_reason(
    tmp_path: Path, spark_postgres: str, spark_sim_cluster: SimCluster
) -> None:
    cluster = spark_sim_cluster
    node_log = cluster.server(cluster.head.name).exec_log
    # A leader silent for the read timeout plus the on-demand wait is given up on.
    extra = config(cluster, {"read_timeout_s": 1, "on_demand_wait_s": 1, "swap_wait_s": 1}, {})
    request = chat(FIRST, "x")

    # A leader that advertises no URL: the refusal stays, naming it and why.
    async with (
        fresh_schema(spark_postgres) as dsn,
        pair(tmp_path / "1", dsn, leader_advertises=None, extra=extra) as (a, b, _, _),
    ):
        await nothing_loaded(a, b)
        launched_before = len(launches(node_log))
        answer = await b.client.post(CHAT, json=request)
        assert answer.status_code == 503, answer.text
        assert answer.headers["x-spark-leader"] == a.host.leadership.replica
        error = answer.json()["error"]
        assert (error["type"], error["detail"]["gate"]) == ("gate_refused", "core.leadership")
        assert "advertise_url" in error["message"]
        assert "x-spark-served-by" not in answer.headers
        assert len(launches(node_log)) == launched_before

    async with (
        door() as leaders_door,
        fresh_schema(spark_postgres) as dsn,
        pair(tmp_path / "2", dsn, leader_advertises=leaders_door.url, extra=extra) as (
            a,
            b,
            _,
            _,
        ),
    ):
        leader, follower = a.host.leadership.replica, b.host.leadership.replica
        await nothing_loaded(a, b)
        launched_before = len(launches(node_log))

        # Out of reach (connection refused): nothing was done, ask again shortly.
        answer = await b.client.post(CHAT, json=request)
        assert answer.status_code == 503, answer.text
        assert answer.headers["retry-after"] == "3"
        assert answer.headers["x-spark-leader"] == leader
        error = answer.json()["error"]
        assert error["type"] == "gate_refused" and error["detail"]["forwarded"] is False
        assert leader in error["message"] and leaders_door.url in error["message"]
        assert "nothing was done" in error["message"]

        # Sent, and no answer: 504, the leader may have acted.
        await leaders_door.open()
        answer = await b.client.post(CHAT, json=request)
        assert answer.status_code == 504, answer.text
        error = answer.json()["error"]
        assert error["type"] == "timeout" and "may have acted" in error["message"]
        assert error["detail"]["forwarded"] is True and leaders_door.url in error["message"]

        # The door leads back to the follower: the request it forwarded arrives marked,
        # is refused there (it does not lead) and not sent on again.
        leaders_door.target = address(b)
        answer = await b.client.post(CHAT, json=request)
        assert answer.status_code == 503, answer.text
        assert answer.headers["x-spark-served-by"] == follower
        assert answer.headers["x-spark-forwarded-by"] == follower
        assert answer.headers["x-spark-leader"] == leader
        assert answer.json()["error"]["detail"]["gate"] == "core.leadership"
        # A caller's own mark is a forwarded request too: answered here, not sent on.
        marked = await b.client.post(CHAT, json=request, headers={"X-Spark-Forwarded-By": "Bob"})
        assert marked.status_code == 503, marked.text
        assert marked.headers["x-spark-served-by"] == follower
        assert "x-spark-forwarded-by" not in marked.headers
        assert len(launches(node_log)) == launched_before


async def test_with_slots_the_leader_places_what_a_follower_sends_on(
    tmp_path: Path, spark_postgres: str, spark_sim_cluster: SimCluster
) -> None:
    """The same with several slots: the follower's placement is refused by the gate (the
    planner's path, not the one-slot swap), and the leader places the model."""
    cluster = spark_sim_cluster
    head = cluster.head.name
    extra = config(cluster, {}, {})
    coder = {"name": "coder", "container": "vllm_coder", "port": 8890, "head_node": head}
    extra["vllm"] |= {"head_node": head, "worker_nodes": [], "slots": [coder]}
    leader_sock = bind_loopback()
    async with (
        fresh_schema(spark_postgres) as dsn,
        pair(
            tmp_path,
            dsn,
            leader_advertises=url_of(leader_sock),
            leader_sock=leader_sock,
            extra=extra,
        ) as (a, b, _, _),
    ):
        try:
            await nothing_loaded(a, b)
            answer = await b.client.post(CHAT, json=chat(NEMOTRON, "placed"), timeout=SLOW)
            assert answer.status_code == 200, answer.text
            assert answer.json()["model"] == SERVED[NEMOTRON]
            assert answer.json()["choices"][0]["message"]["content"] == "Echo: placed"
            assert answer.headers["x-spark-served-by"] == a.host.leadership.replica
            entries = (await a.client.get("/api/audit")).json()["entries"]
            placed = [e for e in entries if e["action"] == "vllm.swap"]
            assert [(e["actor"], e["result"].split()[0]) for e in placed] == [
                ("on-demand", "started")
            ], placed
            slot = placed[0]["detail"]["slot"]
            rows = (await a.client.get("/api/vllm/slots")).json()["slots"]
            assert {r["name"]: r["model"] for r in rows}[slot] == NEMOTRON, rows
        finally:
            for name in ("default", "coder"):
                await a.client.post(f"/api/vllm/slots/{name}/stop")
