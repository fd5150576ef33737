"""``POST /api/vllm/swap?dry_run=true`` on the simulated cluster: it changes nothing, and
what it predicts (evictions, memory after) is what the real swap then does, measured by
the node's own memory reading (the vLLM stand-in's memory model, not the planner's)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway
from spark_control_vllm.sim import GPU_TOTAL_GIB
from tests.vllm.conftest import FIRST, SECOND, Gate, open_gateway, reset_switches, sim_cluster
from tests.vllm.conftest import settled as _settled
from tests.vllm.conftest import swap as _swap

HEAD = "spark-1"
CONTAINER = "vllm_node"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("dry-run-sim"), "127.0.0.150") as sim:
        # A DGX Spark's MemTotal: the 119.7 GiB vLLM sees as the GPU's total.
        for name in sim.nodes:
            sim.set_memory(name, GPU_TOTAL_GIB)
        yield sim


@pytest.fixture
async def gateway(tmp_path: Path, cluster: SimCluster) -> AsyncIterator[RunningGateway]:
    reset_switches(cluster)
    async with open_gateway(tmp_path, cluster, load_deadline_s=20, download_deadline_s=20) as gw:
        yield gw
        await gw.client.post("/api/vllm/stop")


async def dry_run(gw: RunningGateway, model: str, path: str = "/api/vllm/swap") -> dict[str, Any]:
    response = await gw.client.post(
        f"{path}?dry_run=true", json={"model": model}, headers={"X-Actor": "Alice"}
    )
    assert response.status_code == 200, response.text
    plan: dict[str, Any] = response.json()
    assert plan["dry_run"] is True
    return plan


def used_mib(cluster: SimCluster, node: str = HEAD) -> int:
    """MemTotal - MemAvailable of the node's ``/proc/meminfo``, in MiB."""
    text = (cluster.nodes[node].proc_root / "meminfo").read_text()
    figures = dict(re.findall(r"^(\w+):\s+(\d+) kB", text, re.M))
    return (int(figures["MemTotal"]) - int(figures["MemAvailable"])) // 1024


async def steady_used_mib(cluster: SimCluster, node: str = HEAD) -> int:
    """The node's reading once it stopped changing (the simulator rewrites /proc each
    second, as a node's figures settle after vLLM takes or frees memory)."""
    last = used_mib(cluster, node)
    for _ in range(20):
        await asyncio.sleep(1.1)  # more than one rewrite apart
        now = used_mib(cluster, node)
        if now == last:
            return now
        last = now
    raise AssertionError("the node's memory never settled")


async def snapshot(gw: RunningGateway, cluster: SimCluster) -> dict[str, Any]:
    history = (await gw.client.get("/api/vllm/swap/history")).json()["swaps"]
    container = cluster.container(HEAD, CONTAINER)
    return {
        "status": (await gw.client.get("/api/vllm/swap")).json(),
        "history": history,
        "container": None if container is None else (container["Id"], container["State"]),
        "events": [e.type for e in gw.host.events.buffered() if e.source == "vllm"],
    }


async def test_a_dry_run_changes_nothing_and_predicts_what_the_swap_does(
    gateway: RunningGateway, cluster: SimCluster
) -> None:
    # Nothing runs: the plan starts FIRST on the head, evicting nothing.
    before = await snapshot(gateway, cluster)
    plan = await dry_run(gateway, FIRST)
    assert (plan["outcome"], plan["nodes"], plan["evict"]) == ("swap", [HEAD], [])
    assert (plan["gpu_memory_utilization"], plan["gpu_memory_utilization_source"]) == (
        0.25,
        "catalog",
    )
    assert plan["fits"] is True and plan["downtime"]["note"] == "no history yet"
    assert plan["downtime"]["p50_s"] is None
    assert await snapshot(gateway, cluster) == before  # state, history, container, events

    started = await _swap(gateway, FIRST)
    assert started.status_code == 202, started.text
    assert (await _settled(gateway))["model"] == FIRST
    first_took = (await gateway.client.get(f"/api/swap/{started.json()['id']}")).json()

    # FIRST runs: a dry run for SECOND evicts it, on the deprecated alias too.
    reading = await steady_used_mib(cluster)
    before = await snapshot(gateway, cluster)
    plan = await dry_run(gateway, SECOND, path="/api/swap")
    assert await snapshot(gateway, cluster) == before
    assert (plan["outcome"], plan["nodes"], plan["evict"]) == ("swap", [HEAD], [FIRST])
    [memory] = plan["memory"]
    assert memory["node"] == HEAD and memory["used_before_mib"] == reading
    assert plan["downtime"]["samples"] == 0

    started = await _swap(gateway, SECOND)
    assert started.status_code == 202, started.text
    status = await _settled(gateway)
    assert (status["model"], started.json()["previous"]) == (SECOND, FIRST)  # evicted: FIRST
    after = await steady_used_mib(cluster)
    assert abs(memory["used_after_mib"] - after) <= 0.05 * after, (memory, after)

    # Back to FIRST: its one past swap is its downtime.
    plan = await dry_run(gateway, FIRST)
    took = round(first_took["finished_at"] - first_took["started_at"], 1)
    assert plan["evict"] == [SECOND]
    assert plan["downtime"] == {
        "samples": 1,
        "p50_s": took,
        "p90_s": took,
        "note": None,
        "scope": "slot",
    }


async def test_a_dry_run_tells_a_no_op_a_refusal_and_a_model_that_cannot_fit(
    gateway: RunningGateway,
) -> None:
    Gate.closed = True
    try:
        plan = await dry_run(gateway, FIRST)
    finally:
        Gate.closed = False
    assert plan["outcome"] == "refused" and "Bob" in plan["reason"]
    too_big = await dry_run(gateway, "too-big")
    assert too_big["outcome"] == "refused" and "500 GiB" in too_big["reason"]

    assert (await _swap(gateway, FIRST)).status_code == 202
    await _settled(gateway)
    again = await dry_run(gateway, FIRST)
    assert (again["outcome"], again["evict"]) == ("no-op", [])
    assert again["memory"][0]["used_after_mib"] == again["memory"][0]["used_before_mib"]


async def test_a_dry_run_of_an_unknown_model_is_a_404(gateway: RunningGateway) -> None:
    response = await gateway.client.post("/api/vllm/swap?dry_run=true", json={"model": "nope"})
    assert response.status_code == 404
    bad = await gateway.client.post("/api/vllm/swap?dry_run=maybe", json={"model": FIRST})
    assert bad.status_code == 422
