"""Two gateways (real HTTP) on one real PostgreSQL (issue 26 items 3 and 4): one leads
and the other refuses gated actions with the leader's name; an event published on one
arrives on the other's SSE stream, a large one too; the one that stops hands the lead
to the other at once. Skipped, with the reason, where PostgreSQL is not installed."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import psycopg

from spark_control.settings import LoadedConfig
from spark_control.testing import RunningGateway, make_config, running_gateway
from tests.coordination.conftest import acquire
from tests.coordination.lease_backends import fresh_schema


def replica_config(tmp_path: Path, dsn: str) -> LoadedConfig:
    return make_config(
        tmp_path,
        {
            "plugins": {"enabled": ["coordination"]},
            "gateway": {"database_url": dsn, "leader_lease_s": 3},
        },
    )


async def next_event(
    lines: AsyncIterator[str],
    kind: str,
    where: Callable[[dict[str, Any]], bool] = lambda data: True,
    timeout: float = 20.0,
) -> dict[str, Any]:
    """The next SSE event of type ``kind`` (whose data passes ``where``) on the stream."""
    async with asyncio.timeout(timeout):
        async for line in lines:
            if line.startswith("data: "):
                event: dict[str, Any] = json.loads(line.removeprefix("data: "))
                if event["type"] == kind and where(event["data"]):
                    return event
    raise AssertionError(f"the stream ended before a {kind} event")


async def leadership(gw: RunningGateway) -> dict[str, Any]:
    answer = await gw.client.get("/api/leadership")
    assert answer.status_code == 200, answer.text
    view: dict[str, Any] = answer.json()
    return view


async def test_one_leads_the_other_refuses_gated_actions_and_events_reach_both(
    tmp_path: Path, spark_postgres: str
) -> None:
    async with fresh_schema(spark_postgres) as dsn, contextlib.AsyncExitStack() as stack:
        a = await stack.enter_async_context(running_gateway(replica_config(tmp_path / "a", dsn)))
        async with running_gateway(replica_config(tmp_path / "b", dsn)) as b:
            seen_a, seen_b = await leadership(a), await leadership(b)
            assert seen_a["backend"] == "postgres" and seen_a["leader"] is True
            assert seen_b["leader"] is False and seen_b["holder"] == seen_a["replica"]
            assert seen_a["fencing"] >= 1 and seen_b["fencing"] is None

            gate = (await b.client.get("/api/gates/vllm.swap")).json()
            assert gate["allowed"] is False
            assert gate["refusal"]["status"] == 503
            assert gate["refusal"]["gate"] == "core.leadership"
            assert seen_a["replica"] in gate["refusal"]["reason"]
            assert (await a.client.get("/api/gates/vllm.swap")).json()["allowed"] is True

            heard_on_b: list[str] = []
            b.host.events.add_listener("test-probe", lambda e: heard_on_b.append(e.type))
            async with b.client.stream("GET", "/api/events") as stream:
                lines = stream.aiter_lines()
                # Published on a, streamed by b (a small one by NOTIFY, a large one
                # through the relay's table).
                a.host.events.publish("test.ping", {"n": 1}, source="test")
                got = await next_event(lines, "test.ping")
                assert (got["data"], got["source"]) == ({"n": 1}, "test")
                big = "x" * 20_000
                a.host.events.publish("test.big", {"text": big}, source="test")
                assert (await next_event(lines, "test.big"))["data"]["text"] == big
                # A lock taken through a reaches b's dashboard as it happens.
                await acquire(a, "Alice", ttl_s=60)
                changed = await next_event(lines, "coordination.lock_changed", lambda d: d["held"])
                assert changed["data"]["holder"] == "Alice"
                # The listening connections drop (a server restart, a proxy's idle cut):
                # b listens again, tells its dashboard to refetch, and the relay goes on.
                async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as admin:
                    await admin.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE query LIKE 'LISTEN %'"
                    )
                reset = await next_event(lines, "stream.reset")
                assert reset["data"] == {"reason": "relay_gap"}
                a.host.events.publish("test.after", {"n": 2}, source="test")
                assert (await next_event(lines, "test.after"))["data"] == {"n": 2}
            # b's plugins hear only b's own events: a's reached its stream, not them.
            b.host.events.publish("test.local", {}, source="test")
            await b.host.events.drain()
            assert "test.local" in heard_on_b
            assert not {"test.ping", "test.big"} & set(heard_on_b)

        # b stopped: a still leads, with the same fencing number.
        assert (await leadership(a))["fencing"] == seen_a["fencing"]


async def test_the_leader_that_stops_hands_the_lead_over_at_once(
    tmp_path: Path, spark_postgres: str
) -> None:
    async with fresh_schema(spark_postgres) as dsn, contextlib.AsyncExitStack() as leader:
        a = await leader.enter_async_context(running_gateway(replica_config(tmp_path / "a", dsn)))
        async with running_gateway(replica_config(tmp_path / "b", dsn)) as b:
            before = await leadership(a)
            assert before["leader"] is True
            async with b.client.stream("GET", "/api/events") as stream:
                lines = stream.aiter_lines()
                await leader.aclose()  # a stops and hands the lead back
                # b's next try (a third of the lease) takes it, without waiting out
                # a's lease, and b's dashboard hears of it.
                changed = await next_event(lines, "leadership.changed", lambda d: d["leader"])
            assert changed["data"]["leader"] is True
            assert changed["data"]["replica"] == (await leadership(b))["replica"]
            assert changed["data"]["fencing"] > before["fencing"]
            assert (await b.client.get("/api/gates/vllm.swap")).json()["allowed"] is True


async def events_until(
    lines: AsyncIterator[str], done: Callable[[list[dict[str, Any]]], bool], timeout: float = 20.0
) -> list[dict[str, Any]]:
    """Every SSE event on the stream, in order, until ``done`` says enough."""
    got: list[dict[str, Any]] = []
    async with asyncio.timeout(timeout):
        async for line in lines:
            if line.startswith("data: "):
                got.append(json.loads(line.removeprefix("data: ")))
                if done(got):
                    return got
    raise AssertionError(f"the stream ended after {len(got)} events")


def of_type(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] == kind]


async def test_event_ids_come_from_one_sequence_and_a_browser_resumes_on_the_other_replica(
    tmp_path: Path, spark_postgres: str
) -> None:
    burst = 40
    async with fresh_schema(spark_postgres) as dsn, contextlib.AsyncExitStack() as stack:
        a = await stack.enter_async_context(running_gateway(replica_config(tmp_path / "a", dsn)))
        b = await stack.enter_async_context(running_gateway(replica_config(tmp_path / "b", dsn)))
        streams = [
            await stack.enter_async_context(gw.client.stream("GET", "/api/events")) for gw in (a, b)
        ]
        on_a, on_b = (s.aiter_lines() for s in streams)
        # A burst published on both replicas at once, interleaved.
        for n in range(burst):
            (a if n % 2 else b).host.events.publish("test.burst", {"n": n}, source="test")

        def enough(got: list[dict[str, Any]]) -> bool:
            return len(of_type(got, "test.burst")) == burst

        seen_a = of_type(await events_until(on_a, enough), "test.burst")
        seen_b = of_type(await events_until(on_b, enough), "test.burst")
        # One order and the same ids on both replicas: the database's.
        ids = [e["id"] for e in seen_a]
        assert ids == [e["id"] for e in seen_b]
        assert len(set(ids)) == burst
        assert len({i.partition("-")[0] for i in ids}) == 1
        assert sorted(e["data"]["n"] for e in seen_a) == list(range(burst))
        # Each replica's own events keep the order they were published in.
        for parity in (0, 1):
            mine = [e["data"]["n"] for e in seen_a if e["data"]["n"] % 2 == parity]
            assert mine == sorted(mine)

        # A browser that read the first ten on a moves to b: exactly the rest, no reset.
        async with b.client.stream(
            "GET", "/api/events", headers={"Last-Event-ID": ids[9]}
        ) as moved:
            replay = await events_until(
                moved.aiter_lines(), lambda got: len(of_type(got, "test.burst")) == burst - 10
            )
        assert not of_type(replay, "stream.reset")
        assert [e["id"] for e in of_type(replay, "test.burst")] == ids[10:]

        # An event only a shows (its own health) is numbered after the shared one before
        # it; resuming on b from it gives what was shared since.
        a.host.events.publish("health.changed", {"probe": "test", "state": "ok"})
        local = (await next_event(on_a, "health.changed"))["id"]
        assert local.startswith(ids[0].partition("-")[0] + "-")
        b.host.events.publish("test.after", {"n": 1}, source="test")
        async with b.client.stream("GET", "/api/events", headers={"Last-Event-ID": local}) as moved:
            after = await events_until(
                moved.aiter_lines(), lambda got: bool(of_type(got, "test.after"))
            )
        assert not of_type(after, "stream.reset")
        assert not of_type(after, "test.burst")  # seen already
        # An id the database never gave is a gap: reset, then everything buffered.
        async with b.client.stream(
            "GET", "/api/events", headers={"Last-Event-ID": ids[0].partition("-")[0] + "-999999"}
        ) as moved:
            reset = await next_event(moved.aiter_lines(), "stream.reset")
        assert reset["data"]["reason"] == "gap"
