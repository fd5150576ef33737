"""Shared pieces of the swap tests: a simulated cluster per module, a gateway on it, and
small HTTP helpers. Each module starts its own cluster on its own loopback addresses."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Iterator
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


#: The longest any wait on a swap lasts, however much the swap moves (a loop of swaps
#: must still end a test).
WAIT_CAP_S = 300.0


async def swap_status_when(
    gw: RunningGateway, done: Callable[[dict[str, Any]], bool], still_s: float
) -> dict[str, Any]:
    """``GET /api/swap`` once ``done`` says so; a ``TimeoutError`` once the swap has
    stood still (same swap, state, phase and progress) for ``still_s``.

    Stuck, not slow, is what these waits catch: on real engines (``-m engine``) each
    step of a swap is a few SSH round trips, ``docker`` CLI runs and container starts,
    and on a loaded two-core machine a failing swap and its rollback take over a
    minute of wall time while every step moves. The swap's own deadlines, which the
    tests are about, are the gateway's and unchanged.
    """
    began = moved = time.monotonic()
    last: tuple[Any, ...] | None = None
    while True:
        status: dict[str, Any] = (await gw.client.get("/api/swap")).json()
        if done(status):
            return status
        swap = status["swap"] or {}
        now = time.monotonic()
        mark = (status["state"], swap.get("id"), swap.get("state"), swap.get("phase"),
                swap.get("progress"), swap.get("launcher_pid"))  # fmt: skip
        if mark != last:
            last, moved = mark, now
        elif now - moved > still_s:
            raise TimeoutError(f"the swap stood still for {still_s:g} s: {status}")
        if now - began > WAIT_CAP_S:
            raise TimeoutError(f"the swap still ran after {WAIT_CAP_S:g} s: {status}")
        await asyncio.sleep(0.1)


async def settled(gw: RunningGateway, timeout: float = 30) -> dict[str, Any]:
    """``GET /api/swap`` once no swap (or rollback) runs (``timeout``: the longest the
    swap may stand still, see ``swap_status_when``)."""
    return await swap_status_when(gw, lambda status: status["state"] != "swapping", timeout)


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
