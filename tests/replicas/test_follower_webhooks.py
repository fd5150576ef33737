"""Webhook delivery is the leader's (issue 26 item 3): a replica that does not lead
keeps what it queues in the outbox and sends nothing; once it leads, each delivery is
sent, once, with the id it was queued under. A delivery a follower queues wakes the
leader through the event relay (NOTIFY), so it goes out at once, not at the leader's
next look at the outbox. Only the sender that leads logs open attempts as interrupted:
a replica starting, or following, leaves a live leader's attempt alone. The outboxes
here are one SQLite store's; the two gateways share a real PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

import httpx
import pytest

from spark_control.store import Store
from spark_control.testing import make_config, running_gateway
from spark_control_coordination import outbox as outbox_module
from spark_control_coordination.outbox import INTERRUPTED, Deliverer, Outbox
from spark_control_coordination.settings import CoordinationSettings
from tests.coordination.conftest import SECRET, receiver
from tests.coordination.lease_backends import fresh_schema


async def test_a_follower_keeps_webhooks_for_the_leader_and_sends_them_once_it_leads(
    tmp_path: Path,
) -> None:
    leading = False
    async with (
        receiver() as rec,
        Store(tmp_path / "spark-control.db") as store,
        httpx.AsyncClient(trust_env=False) as client,
    ):
        outbox = Outbox(store)
        await outbox.setup()
        settings = CoordinationSettings.model_validate(
            {"webhooks": [{"url": rec.url + "/ok", "secrets": [SECRET]}]}
        )
        deliverer = Deliverer(outbox, settings, client, may_send=lambda: leading)
        task = asyncio.create_task(deliverer.run())
        try:
            (queued,) = await deliverer.enqueue("swap_started", b'{"type":"test"}', test=True)
            await asyncio.sleep(1.5)  # past the follower's look at the outbox
            assert rec.requests == []
            (row,) = await store.fetchall(
                "SELECT state, attempts FROM coordination_webhook_deliveries WHERE id = ?",
                (queued,),
            )
            assert (row["state"], row["attempts"]) == ("pending", 0)

            leading = True
            deliverer.wake()
            (got,) = await rec.wait_for("/ok", 1)
            assert got.headers["webhook-id"] == queued
            await asyncio.sleep(0.5)
            assert len(rec.at("/ok")) == 1
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def attempts(store: Store, delivery: str) -> list[tuple[Any, ...]]:
    rows = await store.fetchall(
        "SELECT attempt, finished_at IS NULL AS open, status, error "
        "FROM coordination_webhook_attempts WHERE delivery = ? ORDER BY attempt",
        (delivery,),
    )
    return [(r["attempt"], bool(r["open"]), r["status"], r["error"]) for r in rows]


async def until(check: Any, timeout: float = 20.0) -> None:
    async with asyncio.timeout(timeout):
        while not await check():
            await asyncio.sleep(0.05)


async def test_only_the_sender_that_leads_logs_an_open_attempt_as_interrupted(
    tmp_path: Path,
) -> None:
    leading_b = False
    async with (
        receiver() as rec,
        Store(tmp_path / "spark-control.db") as store_a,
        Store(tmp_path / "spark-control.db") as store_b,
        httpx.AsyncClient(trust_env=False) as client,
    ):
        settings = CoordinationSettings.model_validate(
            {"webhooks": [{"url": rec.url + "/hang", "secrets": [SECRET]}], "webhook_timeout_s": 5}
        )
        outbox_a, outbox_b = Outbox(store_a), Outbox(store_b)
        await outbox_a.setup()
        a = Deliverer(outbox_a, settings, client)  # the leader
        task_a = asyncio.create_task(a.run())
        (queued,) = await a.enqueue("swap_started", b'{"type":"test"}', test=True)
        await rec.wait_for("/hang", 1)  # a's attempt is open: the receiver holds it
        assert await attempts(store_a, queued) == [(1, True, None, None)]

        # Another replica starts and follows: a's attempt stays open.
        await outbox_b.setup()
        b = Deliverer(outbox_b, settings, client, may_send=lambda: leading_b)
        task_b = asyncio.create_task(b.run())
        try:
            await asyncio.sleep(0.5)  # b has looked at the outbox as a follower
            assert await attempts(store_b, queued) == [(1, True, None, None)]

            # a dies mid-attempt; b takes the lead: the open attempt was a's, and b
            # logs it as interrupted, then sends the delivery again, same id.
            task_a.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task_a
            assert await attempts(store_b, queued) == [(1, True, None, None)]
            leading_b = True
            b.wake()
            await until(lambda: _first_closed(store_b, queued))
            assert (await attempts(store_b, queued))[0] == (1, False, None, INTERRUPTED)
            again = await rec.wait_for("/hang", 2)  # after the attempt's time limit
            assert [r.headers["webhook-id"] for r in again] == [queued, queued]
            # b loses the lead and gets it back while its own attempt is in flight:
            # that one is not an earlier sender's, and stays open.
            leading_b = False
            b.wake()
            await asyncio.sleep(0.3)
            leading_b = True
            b.wake()
            await asyncio.sleep(0.3)
            # (Open, unless the machine stalled past its time limit; never interrupted.)
            assert (await attempts(store_b, queued))[1][3] != INTERRUPTED
        finally:
            task_b.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task_b


async def _first_closed(store: Store, delivery: str) -> bool:
    found = await attempts(store, delivery)
    return bool(found) and not found[0][1]


async def test_a_webhook_a_follower_queues_is_sent_by_the_leader_at_once(
    tmp_path: Path, spark_postgres: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The leader's own look at the outbox never comes in this test: only the follower's
    # NOTIFY (through the event relay) can wake it.
    monkeypatch.setattr(outbox_module, "IDLE_POLL_S", 3600.0)
    async with receiver() as rec, fresh_schema(spark_postgres) as dsn:

        def config(name: str) -> Any:
            return make_config(
                tmp_path / name,
                {
                    "plugins": {"enabled": ["coordination"]},
                    "gateway": {"database_url": dsn, "leader_lease_s": 3},
                    "coordination": {"webhooks": [{"url": rec.url + "/ok", "secrets": [SECRET]}]},
                },
            )

        async with running_gateway(config("a")) as a, running_gateway(config("b")) as b:
            assert a.host.leadership.is_leader and not b.host.leadership.is_leader
            await asyncio.sleep(1.0)  # the leader has looked at the empty outbox and sleeps
            queued = await b.client.post(
                "/api/coordination/webhooks/test", headers={"X-Actor": "Alice"}
            )
            assert queued.status_code == 202, queued.text
            (delivery,) = queued.json()["deliveries"]
            # A generous deadline, far below the look the leader is not taking.
            (got,) = await rec.wait_for("/ok", 1, timeout=20)
            assert got.headers["webhook-id"] == delivery

            async def delivered() -> bool:
                log = await a.client.get("/api/coordination/webhooks/deliveries")
                (row,) = log.json()["deliveries"]
                return bool(row["state"] == "delivered" and row["attempts"] == 1)

            await until(delivered)
            assert len(rec.at("/ok")) == 1
