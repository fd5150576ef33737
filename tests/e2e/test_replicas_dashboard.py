"""The dashboard through either replica (issue 26): two gateways (real HTTP) on one real
PostgreSQL, the dashboard open in Chromium on the one that does not lead: a swap lock
taken and released through the leader shows up on it live, and so does a webhook the
leader delivered (its news reaches the follower only through the event relay).
Skipped, with the reason, where PostgreSQL or Chromium is not installed."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest

from spark_control.settings import LoadedConfig
from spark_control.testing import make_config, running_gateway
from tests.coordination.conftest import SECRET, acquire, receiver
from tests.coordination.lease_backends import fresh_schema
from tests.e2e.helpers import open_dashboard
from tests.replicas.test_two_gateways import leadership

pytestmark = pytest.mark.asyncio(loop_scope="session")

LOCK = '[data-tile="coordination-lock"]'
WEBHOOKS = '[data-tile="coordination-webhooks"]'


def replica(tmp_path: Path, dsn: str, receiver_url: str) -> LoadedConfig:
    return make_config(
        tmp_path,
        {
            "plugins": {"enabled": ["coordination"]},
            "gateway": {"database_url": dsn, "leader_lease_s": 3},
            "coordination": {"webhooks": [{"url": receiver_url, "secrets": [SECRET]}]},
        },
    )


@pytest.mark.slow
async def test_a_lock_taken_through_one_replica_shows_live_on_the_others_dashboard(
    page: Any, tmp_path: Path, spark_postgres: str
) -> None:
    async with (
        receiver() as rec,
        fresh_schema(spark_postgres) as dsn,
        contextlib.AsyncExitStack() as stack,
    ):
        url = rec.url + "/ok"
        a = await stack.enter_async_context(running_gateway(replica(tmp_path / "a", dsn, url)))
        b = await stack.enter_async_context(running_gateway(replica(tmp_path / "b", dsn, url)))
        assert (await leadership(a))["leader"] is True
        assert (await leadership(b))["leader"] is False

        await open_dashboard(page, b)
        lock = page.locator(LOCK)
        await lock.locator(".coord-free").wait_for()
        banner = lock.locator(".coord-banner")
        assert await banner.is_hidden()

        # Taken through a (the leader): b's open page shows it without a reload.
        taken = await acquire(a, "Alice", ttl_s=600)
        await banner.wait_for(timeout=20_000)
        text = await banner.text_content() or ""
        assert "Swaps are paused: the swap lock is held by Alice" in text

        # Released through a: b's banner goes, and the tile says the lock is free.
        released = await a.client.delete(
            "/api/coordination/lock", headers={"X-Swap-Lock-Token": taken["token"]}
        )
        assert released.status_code == 200, released.text
        await banner.wait_for(state="hidden", timeout=20_000)
        await lock.locator(".coord-free").wait_for(timeout=20_000)

        # A test webhook sent by a, the leader: b's delivery log shows it delivered. b
        # neither sends webhooks nor re-reads its log unprompted; the news that makes it
        # re-read (coordination.webhook_delivery) comes from a through the relay.
        hooks = page.locator(WEBHOOKS)
        await hooks.locator("text=Nothing sent yet.").wait_for()
        sent = await a.client.post("/api/coordination/webhooks/test")
        assert sent.status_code == 202, sent.text
        delivered = hooks.locator('.coord-delivery[data-state="delivered"][data-event="test"]')
        await delivered.wait_for(timeout=20_000)
        assert len(rec.at("/ok")) == 1
