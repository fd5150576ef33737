"""Swaps through the HTTP API against the simulated cluster: the launcher stand-in on the
head node, the vLLM stand-in, real SSH, real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

import spark_control_vllm.plugin as vllm_plugin
from spark_control import hookimpl
from spark_control.contrib import Action, Refusal
from spark_control.plugins import new_manager
from spark_control.sim import SimCluster
from spark_control.sim.registry import collect_simulation
from spark_control.testing import RunningGateway, make_config, running_gateway
from spark_control_vllm.sim import set_vllm_failure, set_vllm_load_time

FIRST, SECOND = "llama-3.1-8b-instruct", "gpt-oss-20b"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    pm = new_manager()
    pm.register(vllm_plugin, name="vllm")
    with SimCluster(
        tmp_path_factory.mktemp("swap-sim"),
        registry=collect_simulation(pm),
        base_address="127.0.0.90",
    ) as sim:
        yield sim


class Gate:
    closed = False

    @hookimpl
    def spark_gate(self, action: Action) -> Refusal | None:
        if self.closed and action.name == "vllm.swap":
            return Refusal(423, "the swap lock is held by Bob", detail={"holder": "Bob"})
        return None


@pytest.fixture
async def gateway(tmp_path: Path, cluster: SimCluster) -> AsyncIterator[RunningGateway]:
    overrides = tmp_path / "models.yaml"
    overrides.write_text(
        yaml.safe_dump(
            {
                "models": [
                    {
                        "id": "too-big",
                        "display_name": "Too big",
                        "hf_repo": "example/huge",
                        "memory_gb": 500,
                    }
                ]
            }
        )
    )
    set_vllm_failure(cluster, "spark-1", None)
    set_vllm_load_time(cluster, "spark-1", None)
    config = make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["vllm"]},
            "vllm": {
                "catalog_overrides": str(overrides),
                "load_deadline_s": 20,
                "download_deadline_s": 20,
            },
        },
    )
    async with running_gateway(config, extra_plugins={"gate": Gate()}) as gw:
        yield gw
        await gw.client.post("/api/vllm/stop")


async def _settled(gw: RunningGateway, timeout: float = 30) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            status = (await gw.client.get("/api/swap")).json()
            if status["state"] != "swapping":
                return status
            await asyncio.sleep(0.1)


async def _swap(gw: RunningGateway, model: str) -> httpx.Response:
    return await gw.client.post("/api/swap", json={"model": model}, headers={"X-Actor": "Alice"})


async def _completion(gw: RunningGateway, served: str) -> int:
    node = gw.host.topology.node("spark-1")
    async with httpx.AsyncClient(trust_env=False, timeout=10) as client:
        response = await client.post(
            f"http://{node.address}:8888/v1/chat/completions",
            json={
                "model": served,
                "max_tokens": 1,
                "messages": [{"role": "user", "content": "hi"}],
            },
        )
    return response.status_code


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
