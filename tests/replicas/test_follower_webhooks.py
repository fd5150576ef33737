"""Webhook delivery is the leader's (issue 26 item 3): a replica that does not lead
keeps what it queues in the outbox and sends nothing; once it leads, each delivery is
sent, once, with the id it was queued under. The outbox here is one SQLite store; with
several gateways it is the shared database's."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import httpx

from spark_control.store import Store
from spark_control_coordination.outbox import Deliverer, Outbox
from spark_control_coordination.settings import CoordinationSettings
from tests.coordination.conftest import SECRET, receiver


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
