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
