"""A replica that does not lead forwards gated actions to the leader (issue 26: every
replica serves the API). Two gateways (real HTTP) on one real PostgreSQL, each
advertising where it is reached (``gateway.advertise_url``): a gated action posted to
the follower is checked there (key, scope, body), done by the leader, and answered with
the leader's answer and who served it; a leader out of reach, one that advertises no
URL, and a forwarded request that reaches a replica that does not lead (the loop guard)
answer 503 with the reason. Skipped, with the reason, where PostgreSQL is not installed."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from spark_control import forwarding, hookimpl
from spark_control.access import requires
from spark_control.contrib import Action
from spark_control.server import bind_loopback
from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway, make_config, running_gateway
from tests.coordination.lease_backends import fresh_schema

ACT = "/api/echo/act"


class Order(BaseModel):
    item: str
    count: int


class GatedEcho:
    """``PUT /api/echo/act`` (scope ``swap``): asks the gate ``echo.act``, then records
    what reached it and answers 201 with a header of its own."""

    def __init__(self) -> None:
        self.host: Any = None
        self.done: list[dict[str, Any]] = []

    @hookimpl
    def spark_routes(self, host: Any, register: Any) -> None:
        self.host = host
        router = APIRouter()

        @router.put(ACT, status_code=201, dependencies=[requires("swap")])
        async def act(order: Order, request: Request) -> Any:
            await host.require_gate(Action("echo.act", params=order.model_dump(), actor="Alice"))
            seen = {
                "order": order.model_dump(),
                "query": dict(request.query_params),
                "authorization": request.headers.get("authorization"),
                "actor": request.headers.get("x-actor"),
                "replica": host.leadership.replica,
            }
            self.done.append(seen)
            return JSONResponse(seen, status_code=201, headers={"X-Echo": "done"})

        register(router)


def replica_config(tmp_path: Path, dsn: str, advertise: str | None, extra: dict[str, Any]) -> Any:
    gateway: dict[str, Any] = {"database_url": dsn, "leader_lease_s": 3}
    if advertise is not None:
        gateway["advertise_url"] = advertise
    return make_config(tmp_path, {"plugins": {"enabled": []}, **extra, "gateway": gateway})


def url_of(sock: socket.socket) -> str:
    return f"http://127.0.0.1:{sock.getsockname()[1]}"


@contextlib.asynccontextmanager
async def pair(
    tmp_path: Path,
    dsn: str,
    *,
    leader_advertises: str | None,
    leader_sock: socket.socket | None = None,
    follower_sock: socket.socket | None = None,
    extra: dict[str, Any] | None = None,
    follower_extra: dict[str, Any] | None = None,
) -> AsyncIterator[tuple[RunningGateway, RunningGateway, GatedEcho, GatedEcho]]:
    """A leader (started first, so it takes the lead) advertising ``leader_advertises``
    and a follower advertising its own URL, each with its own :class:`GatedEcho`."""
    follower_sock = follower_sock or bind_loopback()
    echo_a, echo_b = GatedEcho(), GatedEcho()
    async with (
        running_gateway(
            replica_config(tmp_path / "a", dsn, leader_advertises, extra or {}),
            extra_plugins={"echo": echo_a},
            sock=leader_sock,
        ) as a,
        running_gateway(
            replica_config(
                tmp_path / "b",
                dsn,
                url_of(follower_sock),
                {**(extra or {}), **(follower_extra or {})},
            ),
            extra_plugins={"echo": echo_b},
            sock=follower_sock,
        ) as b,
    ):
        assert a.host.leadership.is_leader and not b.host.leadership.is_leader
        yield a, b, echo_a, echo_b


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def stops(cluster: SimCluster) -> int:
    """How many times the head node was asked to stop vLLM."""
    log = cluster.server(cluster.head.name).exec_log
    return sum("launch-cluster.sh" in r.command and " stop" in r.command for r in log)


async def test_a_gated_action_posted_to_the_follower_is_checked_there_and_done_by_the_leader(
    tmp_path: Path, spark_postgres: str, spark_sim_cluster: SimCluster
) -> None:
    cluster = spark_sim_cluster
    leader_sock = bind_loopback()
    extra = {
        "access": {"require_keys": True, "key_cache_s": 0},
        "plugins": {"enabled": ["vllm"]},
        "nodes": cluster.topology_config(),
    }
    async with (
        fresh_schema(spark_postgres) as dsn,
        pair(
            tmp_path,
            dsn,
            leader_advertises=url_of(leader_sock),
            leader_sock=leader_sock,
            extra=extra,
            # The follower trusts a checked key for a minute, the leader not at all.
            follower_extra={"access": {"require_keys": True, "key_cache_s": 60}},
        ) as (a, b, echo_a, echo_b),
    ):
        access = a.gateway.access
        _, key = await access.keys.create("alice-ci", ["swap"], access.known_scopes())
        _, reader = await access.keys.create("bob-read", ["read"], access.known_scopes())
        leader, follower = a.host.leadership.replica, b.host.leadership.replica
        view = (await b.client.get("/api/leadership", headers=bearer(key))).json()
        assert (view["holder"], view["leader_url"]) == (leader, url_of(leader_sock))

        # The dashboard's dry run on the follower passes the leadership gate: it would
        # forward (the other gates still answer).
        dry = (await b.client.get("/api/gates/echo.act", headers=bearer(key))).json()
        assert dry["allowed"] is True, dry

        # Done by the leader: method, path, query, body and the caller's headers reach
        # it; its status, headers and body come back, saying who served it.
        order = {"item": "bolts", "count": 3}
        answer = await b.client.put(
            ACT, params={"x": "1"}, json=order, headers={**bearer(key), "X-Actor": "Alice"}
        )
        assert answer.status_code == 201, answer.text
        assert answer.headers["x-echo"] == "done"
        assert answer.headers["x-spark-served-by"] == leader
        assert answer.headers["x-spark-forwarded-by"] == follower
        assert answer.json() == {
            "order": order,
            "query": {"x": "1"},
            "authorization": f"Bearer {key}",
            "actor": "Alice",
            "replica": leader,
        }
        assert len(echo_a.done) == 1 and echo_b.done == []

        # Checked on the follower first, and not forwarded: no key, a key without the
        # scope, a body that does not validate.
        for headers, body, status in (
            ({}, order, 401),
            (bearer(reader), order, 403),
            (bearer(key), {"item": "bolts"}, 422),
        ):
            refused = await b.client.put(ACT, json=body, headers=headers)
            assert refused.status_code == status, refused.text
            assert "x-spark-served-by" not in refused.headers
        assert len(echo_a.done) == 1

        # A real action on the (simulated) cluster: the follower's stop is the leader's.
        before = stops(cluster)
        stopped = await b.client.post("/api/vllm/stop", headers={**bearer(key), "X-Actor": "Alice"})
        assert stopped.status_code == 200, stopped.text
        assert stopped.headers["x-spark-served-by"] == leader
        assert stopped.json()["model"] is None, stopped.json()
        assert stops(cluster) > before
        entries = (await a.client.get("/api/audit", headers=bearer(key))).json()["entries"]
        assert [(e["action"], e["actor"], e["result"]) for e in entries][:1] == [
            ("vllm.stop", "Alice", "ok")
        ]

        # The leader checks the key again: one revoked after the follower cached it
        # passes the follower and is refused by the leader.
        _, doomed = await access.keys.create("carol-ci", ["swap"], access.known_scopes())
        assert (await b.client.get("/api/leadership", headers=bearer(doomed))).status_code == 200
        await access.keys.revoke("carol-ci")
        refused = await b.client.put(ACT, json=order, headers=bearer(doomed))
        assert refused.status_code == 401, refused.text
        assert refused.headers["x-spark-served-by"] == leader
        assert len(echo_a.done) == 1

        # The leader's own answers are its own (nothing forwarded, nothing marked).
        direct = await a.client.put(ACT, json=order, headers=bearer(key))
        assert direct.status_code == 201 and "x-spark-served-by" not in direct.headers


async def test_the_follower_answers_503_when_the_leader_cannot_be_reached_or_named(
    tmp_path: Path, spark_postgres: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = {"item": "nuts", "count": 1}
    # A leader advertising a port nobody listens on.
    closed = bind_loopback()
    nowhere = url_of(closed)
    closed.close()
    async with (
        fresh_schema(spark_postgres) as dsn,
        pair(tmp_path / "1", dsn, leader_advertises=nowhere) as (a, b, echo_a, echo_b),
    ):
        answer = await b.client.put(ACT, json=order)
        assert answer.status_code == 503, answer.text
        assert answer.headers["retry-after"] == "3"
        error = answer.json()["error"]
        assert error["type"] == "gate_refused"
        assert a.host.leadership.replica in error["message"] and nowhere in error["message"]
        assert "nothing was done" in error["message"]
        assert error["detail"]["forwarded"] is False
        assert echo_a.done == [] and echo_b.done == []

    # A leader whose URL takes the request and never answers: 504, it may have acted.
    async def black_hole(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(Exception):
            while await reader.read(65536):  # until the follower gives up and hangs up
                pass
        writer.close()

    monkeypatch.setattr(forwarding, "TIMEOUT", httpx.Timeout(1.0, connect=3.0))
    server = await asyncio.start_server(black_hole, "127.0.0.1", 0)
    silent = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    async with (
        server,
        fresh_schema(spark_postgres) as dsn,
        pair(tmp_path / "3", dsn, leader_advertises=silent) as (a, b, _, _),
    ):
        answer = await b.client.put(ACT, json=order)
        assert answer.status_code == 504, answer.text
        error = answer.json()["error"]
        assert error["type"] == "timeout" and "may have acted" in error["message"]
        assert error["detail"]["forwarded"] is True and silent in error["message"]
        server.close()

    # A leader that advertises no URL: today's refusal, naming it and why.
    async with (
        fresh_schema(spark_postgres) as dsn,
        pair(tmp_path / "2", dsn, leader_advertises=None) as (a, b, echo_a, _),
    ):
        answer = await b.client.put(ACT, json=order)
        assert answer.status_code == 503, answer.text
        assert answer.headers["x-spark-leader"] == a.host.leadership.replica
        error = answer.json()["error"]
        assert error["detail"]["gate"] == "core.leadership"
        assert "advertise_url" in error["message"]
        assert "x-spark-served-by" not in answer.headers and echo_a.done == []
        dry = (await b.client.get("/api/gates/echo.act")).json()
        assert dry["allowed"] is False and dry["refusal"]["gate"] == "core.leadership"


async def test_a_forwarded_request_is_never_forwarded_again(
    tmp_path: Path, spark_postgres: str
) -> None:
    order = {"item": "washers", "count": 2}
    # The leader (wrongly) advertises the follower's URL: the follower forwards to
    # itself once, and that request, marked as forwarded, is refused, not sent on.
    follower_sock = bind_loopback()
    async with (
        fresh_schema(spark_postgres) as dsn,
        pair(
            tmp_path, dsn, leader_advertises=url_of(follower_sock), follower_sock=follower_sock
        ) as (a, b, echo_a, echo_b),
    ):
        follower = b.host.leadership.replica
        answer = await b.client.put(ACT, json=order)
        assert answer.status_code == 503, answer.text
        assert answer.headers["x-spark-served-by"] == follower
        assert answer.headers["x-spark-forwarded-by"] == follower
        assert answer.headers["x-spark-leader"] == a.host.leadership.replica
        assert answer.json()["error"]["detail"]["gate"] == "core.leadership"
        # A caller's own mark is a forwarded request too: answered here, unforwarded.
        marked = await b.client.put(ACT, json=order, headers={"X-Spark-Forwarded-By": "Bob"})
        assert marked.status_code == 503 and marked.headers["x-spark-served-by"] == follower
        assert echo_a.done == [] and echo_b.done == []
