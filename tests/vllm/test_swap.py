"""Swaps through the HTTP API against the simulated cluster: the launcher stand-in on the
head node, the vLLM stand-in, real SSH, real HTTP."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway
from spark_control_vllm.sim import set_vllm_failure, set_vllm_load_time
from tests.vllm.conftest import FIRST, SECOND, Gate, open_gateway, reset_switches, sim_cluster
from tests.vllm.conftest import completion as _completion
from tests.vllm.conftest import settled as _settled
from tests.vllm.conftest import swap as _swap


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("swap-sim"), "127.0.0.90") as sim:
        yield sim


@pytest.fixture
async def gateway(tmp_path: Path, cluster: SimCluster) -> AsyncIterator[RunningGateway]:
    reset_switches(cluster)
    async with open_gateway(tmp_path, cluster, load_deadline_s=20, download_deadline_s=20) as gw:
        yield gw
        await gw.client.post("/api/vllm/stop")


async def test_a_swap_loads_the_model_and_a_repeat_is_a_no_op(gateway: RunningGateway) -> None:
    started = await _swap(gateway, FIRST)
    assert started.status_code == 202, started.text
    swap_id = started.json()["id"]
    assert swap_id.startswith("swp_")
    status = await _settled(gateway)
    detail = (await gateway.client.get(f"/api/swap/{swap_id}")).json()
    assert (status["state"], status["model"]) == ("ready", FIRST), (
        detail["reason"],
        detail["log_excerpt"],
    )

    history = (await gateway.client.get("/api/swap/history")).json()["swaps"]
    assert history[0]["id"] == swap_id and history[0]["state"] == "complete"
    phases = {
        e.data.get("phase")
        for e in gateway.host.events.buffered()
        if e.type == "vllm.swap_phase" and e.data["swap_id"] == swap_id
    }
    assert {"stopping", "launching", "loading", "checking"} <= phases

    again = await _swap(gateway, FIRST)
    assert again.status_code == 200 and again.json()["model"] == FIRST
    models = {
        m["id"]: m["state"] for m in (await gateway.client.get("/api/models")).json()["models"]
    }
    assert models[FIRST] == "running" and models[SECOND] == "available"


async def test_an_oom_fails_the_swap_with_its_log_and_rolls_back(
    gateway: RunningGateway, cluster: SimCluster
) -> None:
    assert (await _swap(gateway, FIRST)).status_code in (200, 202)
    assert (await _settled(gateway))["model"] == FIRST
    set_vllm_failure(cluster, "spark-1", "oom", times=1)
    failing = (await _swap(gateway, SECOND)).json()["id"]
    status = await _settled(gateway, 60)
    failed = (await gateway.client.get(f"/api/swap/{failing}")).json()
    assert failed["state"] == "failed"
    assert failed["reason"] == "vLLM ran out of GPU memory"
    assert "CUDA out of memory" in failed["log_excerpt"]
    assert (status["state"], status["model"]) == ("ready", FIRST), "rolled back"
    assert await _completion(gateway, "meta-llama/Llama-3.1-8B-Instruct") == 200
    rolled = [e for e in gateway.host.events.buffered() if e.type == "vllm.swap_rolled_back"]
    assert rolled and rolled[-1].data["failed_swap_id"] == failing


async def test_one_swap_at_a_time_and_a_cancel_rolls_back(
    gateway: RunningGateway, cluster: SimCluster
) -> None:
    assert (await _swap(gateway, FIRST)).status_code in (200, 202)
    await _settled(gateway)
    set_vllm_load_time(cluster, "spark-1", 30)
    slow = (await _swap(gateway, SECOND)).json()["id"]
    busy = await _swap(gateway, FIRST)
    assert busy.status_code == 409
    assert busy.json()["error"]["detail"]["swap_id"] == slow
    set_vllm_load_time(cluster, "spark-1", None)
    cancelled = await gateway.client.delete(f"/api/swap/{slow}")
    assert cancelled.status_code == 200
    status = await _settled(gateway, 60)
    assert (status["state"], status["model"]) == ("ready", FIRST)
    assert (await gateway.client.get(f"/api/swap/{slow}")).json()["state"] == "cancelled"


async def test_bad_requests_get_clear_4xx(gateway: RunningGateway) -> None:
    unknown = await _swap(gateway, "no-such-model")
    assert unknown.status_code == 404
    malformed = await gateway.client.post("/api/swap", json={"modle": FIRST})
    assert malformed.status_code == 422 and "model" in malformed.json()["error"]["message"]
    too_big = await _swap(gateway, "too-big")
    assert too_big.status_code == 422
    assert "500 GiB" in too_big.json()["error"]["message"]
    assert (await gateway.client.get("/api/swap/swp_nothing")).status_code == 404


async def test_a_gate_refusal_stops_the_swap_with_its_status(gateway: RunningGateway) -> None:
    Gate.closed = True
    try:
        refused = await _swap(gateway, SECOND)
    finally:
        Gate.closed = False
    assert refused.status_code == 423
    assert refused.json()["error"]["message"] == "the swap lock is held by Bob"
    assert (await gateway.client.get("/api/swap")).json()["state"] != "swapping"


async def test_a_swaps_event_stream_carries_its_phases_log_and_outcome(
    gateway: RunningGateway, cluster: SimCluster
) -> None:
    set_vllm_load_time(cluster, "spark-1", 1.5)
    swap_id = (await _swap(gateway, SECOND)).json()["id"]
    types: list[str] = []
    phases: list[str] = []
    async with gateway.client.stream("GET", f"/api/swap/{swap_id}/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        async for line in stream.aiter_lines():
            if line.startswith("data: "):
                event = json.loads(line.removeprefix("data: "))
                assert event["data"]["swap_id"] == swap_id
                types.append(event["type"])
                if event["type"] == "vllm.swap_phase":
                    phases.append(event["data"]["phase"])
    assert types[-1] == "vllm.swap_complete", "the stream ends with the outcome"
    assert "vllm.swap_log" in types and "loading" in phases
    missing = await gateway.client.get("/api/swap/swp_0000000000000000/events")
    assert missing.status_code == 404


async def test_pre_flight_refuses_a_download_the_disk_cannot_hold(
    gateway: RunningGateway, cluster: SimCluster
) -> None:
    assert (await _swap(gateway, FIRST)).status_code in (200, 202)
    assert (await _settled(gateway))["model"] == FIRST
    cluster.set_disk("spark-1", 2 * 2**40, 10 * 2**30)
    try:
        failing = (await _swap(gateway, "qwen3-30b-a3b-fp8")).json()["id"]
        status = await _settled(gateway, 60)
    finally:
        cluster.set_disk("spark-1", 3_720_000_000_000, 3_100_000_000_000)
    failed = (await gateway.client.get(f"/api/swap/{failing}")).json()
    assert failed["state"] == "failed"
    assert failed["reason"].startswith("spark-1 has 10.0 GiB of disk free, 22.0 GiB short")
    assert (status["state"], status["model"]) == ("ready", FIRST), "rolled back"
