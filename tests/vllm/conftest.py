"""Shared pieces of the swap tests: a simulated cluster per module, a gateway on it, and
small HTTP helpers. Each module starts its own cluster on its own loopback addresses."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, Literal

import httpx
import yaml

from spark_control import hookimpl
from spark_control.contrib import Action, Refusal
from spark_control.plugins import new_manager
from spark_control.sim import SimCluster
from spark_control.sim.registry import collect_simulation
from spark_control.testing import RunningGateway, make_config, running_gateway
from spark_control_vllm.plugin import VllmPlugin
from spark_control_vllm.sim import (
    set_launcher_cleanup_delay,
    set_vllm_failure,
    set_vllm_load_time,
)

FIRST, SECOND = "llama-3.1-8b-instruct", "gpt-oss-20b"
SERVED = {FIRST: "meta-llama/Llama-3.1-8B-Instruct", SECOND: "openai/gpt-oss-20b"}
TOO_BIG = {"id": "too-big", "display_name": "Too big", "hf_repo": "example/huge", "memory_gb": 500}


@contextlib.contextmanager
def sim_cluster(
    root: Path, base_address: str, engine: Literal["docker"] | None = None
) -> Iterator[SimCluster]:
    """The simulated cluster with the vllm plugin's images and commands (``engine``:
    on real docker engines)."""
    pm = new_manager()
    pm.register(VllmPlugin, name="vllm")
    registry = collect_simulation(pm)
    with SimCluster(root, registry=registry, base_address=base_address, engine=engine) as sim:
        yield sim


class Gate:
    closed = False

    @hookimpl
    def spark_gate(self, action: Action) -> Refusal | None:
        if self.closed and action.name == "vllm.swap":
            return Refusal(423, "the swap lock is held by Bob", detail={"holder": "Bob"})
        return None


def reset_switches(cluster: SimCluster) -> None:
    """Every vLLM start on the head node healthy and fast again."""
    set_vllm_failure(cluster, "spark-1", None)
    set_vllm_load_time(cluster, "spark-1", None)
    set_launcher_cleanup_delay(cluster, "spark-1", None)


@contextlib.asynccontextmanager
async def open_gateway(
    tmp_path: Path, cluster: SimCluster, **vllm: Any
) -> AsyncIterator[RunningGateway]:
    """A gateway on ``cluster`` with its data under ``tmp_path`` (the same ``tmp_path``
    twice is the same gateway restarted); ``vllm`` overrides the plugin's settings."""
    overrides = tmp_path / "models.yaml"
    overrides.write_text(yaml.safe_dump({"models": [TOO_BIG]}))
    config = make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["vllm"]},
            "vllm": {"catalog_overrides": str(overrides), **vllm},
        },
    )
    async with running_gateway(config, extra_plugins={"gate": Gate()}) as gw:
        yield gw


def manager(gw: RunningGateway) -> Any:
    """The gateway's swap manager (for what the HTTP API does not show)."""
    return gw.plugin("vllm").manager()


async def settled(gw: RunningGateway, timeout: float = 30) -> dict[str, Any]:
    """``GET /api/swap`` once no swap (or rollback) runs."""
    async with asyncio.timeout(timeout):
        while True:
            status = (await gw.client.get("/api/swap")).json()
            if status["state"] != "swapping":
                return status
            await asyncio.sleep(0.1)


async def swap(gw: RunningGateway, model: str) -> httpx.Response:
    return await gw.client.post("/api/swap", json={"model": model}, headers={"X-Actor": "Alice"})


async def swap_detail(gw: RunningGateway, swap_id: str) -> dict[str, Any]:
    response = await gw.client.get(f"/api/swap/{swap_id}")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def completion(gw: RunningGateway, served: str) -> int:
    """Status of a one-token chat completion asked of vLLM directly (not the proxy)."""
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
