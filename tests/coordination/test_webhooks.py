"""Swap webhooks: signed deliveries to a real HTTP receiver from a persisted outbox,
off the swap path, retried with the same webhook-id, across restarts, never following
redirects."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway
from spark_control_vllm.sim import set_vllm_failure, set_vllm_load_time
from tests.coordination.conftest import (
    OTHER_SECRET,
    SECRET,
    Receiver,
    coordination_gateway,
    receiver,
    verify_spark,
    verify_standard,
)
from tests.vllm.conftest import FIRST, SECOND, reset_switches, settled, sim_cluster


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("coordination-webhooks-sim"), "127.0.1.10") as sim:
        yield sim


@pytest.fixture(autouse=True)
def _healthy(cluster: SimCluster) -> Iterator[None]:
    reset_switches(cluster)
    yield
    reset_switches(cluster)


def hooks(rec: Receiver, path: str = "/ok", **extra: Any) -> dict[str, Any]:
    return {"webhooks": [{"url": rec.url + path, "secrets": [SECRET], **extra}]}


async def swap(gw: RunningGateway, model: str) -> dict[str, Any]:
    response = await gw.client.post("/api/swap", json={"model": model})
    assert response.status_code == 202, response.text
    result: dict[str, Any] = response.json()
    return result


async def deliveries(gw: RunningGateway) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (await gw.client.get("/api/webhooks/deliveries")).json()[
        "deliveries"
    ]
    return found


async def wait_for_delivery(
    gw: RunningGateway, event: str, state: str, timeout: float = 20
) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            for delivery in await deliveries(gw):
                if delivery["event"] == event and delivery["state"] == state:
                    return delivery
            await asyncio.sleep(0.1)


def body_of(received: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(received.body)
    return data


@pytest.mark.slow
async def test_a_swap_sends_signed_started_and_complete_events(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with receiver() as rec, coordination_gateway(tmp_path, cluster, **hooks(rec)) as gw:
        started = await swap(gw, FIRST)
        await settled(gw)
        # Deliveries run concurrently: order by the event's own timestamp.
        got = sorted(await rec.wait_for("/ok", 2), key=lambda r: body_of(r)["timestamp"])
        events = [body_of(r) for r in got]
        assert [e["type"] for e in events] == ["swap_started", "swap_complete"]
        complete = events[1]["data"]
        assert complete["swap_id"] == started["id"]
        assert complete["model"] == FIRST
        assert complete["previous_model"] is None
        assert complete["slot"] == "default"  # a vllm plugin without slots
        assert complete["phase"] == "ready"
        assert complete["error"] is None
        assert 0 < complete["duration_s"] < 30
        assert events[1]["timestamp"].endswith("Z")

        for r in got:
            assert verify_standard(SECRET, r.headers, r.body)
            assert verify_spark(SECRET, r.headers, r.body)
            assert not verify_standard(OTHER_SECRET, r.headers, r.body)
            assert not verify_spark(OTHER_SECRET, r.headers, r.body)
            assert r.headers["webhook-id"].startswith("msg_")
            # A body changed on the way no longer verifies.
            assert not verify_standard(SECRET, r.headers, r.body + b" ")
        assert got[0].headers["webhook-id"] != got[1].headers["webhook-id"]

        await swap(gw, SECOND)
        await settled(gw)
        later = [body_of(r) for r in (await rec.wait_for("/ok", 4))[2:]]
        second = next(e for e in later if e["type"] == "swap_complete")
        assert second["data"]["model"] == SECOND
        assert second["data"]["previous_model"] == FIRST
        log = await deliveries(gw)
        assert all(d["state"] == "delivered" and d["attempts"] == 1 for d in log)
        await gw.client.post("/api/vllm/stop")


@pytest.mark.slow
async def test_a_failed_swap_and_its_rollback_are_reported_with_the_phase_and_error(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with receiver() as rec, coordination_gateway(tmp_path, cluster, **hooks(rec)) as gw:
        await swap(gw, FIRST)
        await settled(gw)
        set_vllm_failure(cluster, "spark-1", "oom", times=1)
        failed = await swap(gw, SECOND)
        status = await settled(gw)
        assert status["model"] == FIRST
        # first swap: started, complete; the failed one: started, failed; the rollback:
        # started, complete, rolled_back.
        got = [body_of(r) for r in await rec.wait_for("/ok", 7)]
        types = sorted(e["type"] for e in got)
        assert types == sorted(
            ["swap_started", "swap_complete"] * 2
            + ["swap_started", "swap_failed", "swap_rolled_back"]
        )
        failure = next(e["data"] for e in got if e["type"] == "swap_failed")
        assert failure["swap_id"] == failed["id"]
        assert failure["model"] == SECOND
        assert failure["previous_model"] == FIRST
        assert failure["phase"] not in (None, "failed", "ready")
        assert "memory" in failure["error"].lower()
        rolled = next(e for e in got if e["type"] == "swap_rolled_back")
        assert rolled["data"]["model"] == FIRST
        assert rolled["data"]["failed_swap_id"] == failed["id"]
        await gw.client.post("/api/vllm/stop")


@pytest.mark.slow
async def test_a_hanging_receiver_never_delays_a_swap(tmp_path: Path, cluster: SimCluster) -> None:
    async with receiver() as rec:
        settings = {**hooks(rec, "/hang"), "webhook_timeout_s": 6}
        async with coordination_gateway(tmp_path, cluster, **settings) as gw:
            started = await swap(gw, FIRST)
            await settled(gw)
            finished_at = (await gw.client.get(f"/api/swap/{started['id']}")).json()["finished_at"]
            first = await wait_for_delivery(gw, "swap_started", "pending")
            attempt = first["attempt_log"][0]
            # The started event reached the receiver while the swap ran, the swap
            # finished, and only then did that first attempt time out.
            assert rec.at("/hang")[0].at < finished_at
            assert attempt["finished_at"] is None or attempt["finished_at"] > finished_at
            timed_out = await wait_for_delivery_attempt_done(gw, first["id"])
            assert timed_out["finished_at"] > finished_at
            assert "no answer within 6 s" in timed_out["error"]
            await gw.client.post("/api/vllm/stop")


async def wait_for_delivery_attempt_done(gw: RunningGateway, delivery_id: str) -> dict[str, Any]:
    async with asyncio.timeout(20):
        while True:
            for delivery in await deliveries(gw):
                if delivery["id"] == delivery_id and delivery["attempt_log"][0]["finished_at"]:
                    attempt: dict[str, Any] = delivery["attempt_log"][0]
                    return attempt
            await asyncio.sleep(0.1)


async def test_a_swap_cut_short_by_a_gateway_crash_ends_with_swap_failed_after_the_restart(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with receiver() as rec:
        async with coordination_gateway(tmp_path, cluster, **hooks(rec)) as gw:
            set_vllm_load_time(cluster, "spark-1", 3)
            interrupted = await swap(gw, FIRST)
            async with asyncio.timeout(20):
                while (await gw.client.get("/api/swap")).json()["swap"]["phase"] != "loading":
                    await asyncio.sleep(0.05)
        # The gateway is gone mid-swap (the launch carries on, detached).
        async with coordination_gateway(tmp_path, cluster, **hooks(rec)) as gw:
            failed = [
                e.data
                for e in gw.host.events.buffered()
                if e.type == "vllm.swap_failed" and e.data["swap_id"] == interrupted["id"]
            ]
            assert failed and failed[0]["reason"] == "the gateway restarted during this swap"
            async with asyncio.timeout(20):
                while True:
                    got = [body_of(r) for r in rec.at("/ok")]
                    ends = [e for e in got if e["type"] == "swap_failed"]
                    if ends:
                        break
                    await asyncio.sleep(0.05)
            (end,) = ends
            assert end["data"]["swap_id"] == interrupted["id"]
            assert end["data"]["model"] == FIRST
            assert end["data"]["error"].startswith("the gateway restarted during this swap")
            assert end["data"]["phase"] == "loading"
            await settled(gw)
            await gw.client.post("/api/vllm/stop")
