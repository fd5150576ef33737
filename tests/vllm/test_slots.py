"""Slots (issue 25): several vLLM instances at once on the simulated two-Spark cluster,
each its own swap manager, routed by model, placed on demand by the planner; and eight
models on eight simulated nodes. The nodes' memory is the vLLM stand-in's own model
(each instance claims its share at start-up, an over-commit fails like vLLM), not the
planner's formula."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from spark_control.gateway import Gateway
from spark_control.plugins import new_manager
from spark_control.sim import SimCluster, SimNodeSpec
from spark_control.sim.registry import collect_simulation
from spark_control.testing import RunningGateway, make_config, running_gateway
from spark_control_vllm.plugin import VllmPlugin
from spark_control_vllm.sim import GPU_TOTAL_GIB
from tests.vllm.conftest import Gate, sim_cluster

LLAMA, NEMOTRON, GPT = "llama-3.1-8b-instruct", "nemotron-nano-9b-v2", "gpt-oss-20b"
BIG = "qwen3-next-80b-a3b-fp8"  # 0.85 of a node: needs spark-1 to itself
SERVED = {
    LLAMA: "meta-llama/Llama-3.1-8B-Instruct",
    NEMOTRON: "nvidia/NVIDIA-Nemotron-Nano-9B-v2",
    GPT: "openai/gpt-oss-20b",
    BIG: "Qwen/Qwen3-Next-80B-A3B-Instruct-FP8",
}
#: Where each of the three lives: default and coder share spark-1, chat2 has spark-2.
HOME = {"default": LLAMA, "coder": NEMOTRON, "chat2": GPT}
SLOTS = [
    {"name": "coder", "container": "vllm_coder", "port": 8890, "head_node": "spark-1"},
    {
        "name": "chat2",
        "container": "vllm_chat2",
        "port": 8888,
        "head_node": "spark-2",
        "pinned": True,
    },
]
#: Every wait in here ends; a loaded two-core machine makes swaps slow, never stuck.
WAIT_S = 120.0


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("slots-sim"), "127.0.4.10") as sim:
        # A DGX Spark's MemTotal: the 119.7 GiB vLLM sees as the GPU's total.
        for name in sim.nodes:
            sim.set_memory(name, GPU_TOTAL_GIB)
        yield sim


def vllm_section(**extra: Any) -> dict[str, Any]:
    return {
        "head_node": "spark-1",
        "worker_nodes": [],
        "load_deadline_s": 60,
        "download_deadline_s": 60,
        "slots": SLOTS,
        "proxy": {"on_demand_swap": True, "min_residency_s": 0, "swap_wait_s": 60},
        **extra,
    }


@contextlib.asynccontextmanager
async def gateway_on(
    tmp_path: Path, cluster: SimCluster, vllm: dict[str, Any], *, stop: bool = True
) -> AsyncIterator[RunningGateway]:
    config = make_config(
        tmp_path,
        {"nodes": cluster.topology_config(), "plugins": {"enabled": ["vllm"]}, "vllm": vllm},
    )
    async with running_gateway(config, extra_plugins={"gate": Gate()}) as gw:
        try:
            yield gw
        finally:
            # What runs is stopped, side by side (an empty slot has nothing to stop).
            running = (
                []
                if not stop
                else [
                    name
                    for name, slot in gw.plugin("vllm").slots.items()
                    if slot.current_model is not None or slot.busy
                ]
            )
            await asyncio.gather(
                *(gw.client.post(f"/api/vllm/slots/{name}/stop") for name in running),
                return_exceptions=True,
            )


async def slots(gw: RunningGateway) -> dict[str, dict[str, Any]]:
    response = await gw.client.get("/api/vllm/slots")
    assert response.status_code == 200, response.text
    return {row["name"]: row for row in response.json()["slots"]}


async def slots_when(gw: RunningGateway, done: Any) -> dict[str, dict[str, Any]]:
    give_up = time.monotonic() + WAIT_S
    while True:
        rows = await slots(gw)
        if done(rows):
            return rows
        if time.monotonic() > give_up:
            raise TimeoutError(f"slots never settled: {rows}")
        await asyncio.sleep(0.2)


def chat(model: str) -> dict[str, Any]:
    return {"model": model, "max_tokens": 4, "messages": [{"role": "user", "content": "hi"}]}


def used_mib(cluster: SimCluster, node: str) -> int:
    text = (cluster.nodes[node].proc_root / "meminfo").read_text()
    figures = dict(re.findall(r"^(\w+):\s+(\d+) kB", text, re.M))
    return (int(figures["MemTotal"]) - int(figures["MemAvailable"])) // 1024


async def steady_used_mib(cluster: SimCluster, node: str) -> int:
    last = used_mib(cluster, node)
    for _ in range(20):
        await asyncio.sleep(1.1)  # the simulator rewrites /proc each second
        now = used_mib(cluster, node)
        if now == last:
            return now
        last = now
    raise AssertionError("the node's memory never settled")


async def failed_swaps(gw: RunningGateway) -> list[dict[str, Any]]:
    rows = await gw.host.store.fetchall("SELECT * FROM vllm_swaps WHERE state != 'complete'")
    return [dict(r) for r in rows]


async def test_three_models_at_once_routed_by_model_then_a_fourth_evicts_per_the_plan(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with gateway_on(tmp_path, cluster, vllm_section()) as gw:
        rows = await slots(gw)
        assert list(rows) == ["default", "coder", "chat2"]
        assert rows["chat2"]["pinned"] is True and rows["coder"]["probe"] == "vllm-coder"
        assert rows["default"]["probe"] == "vllm" and rows["default"]["state"] == "stopped"
        assert {s.name for s in gw.host.topology.services_of_kind("vllm")} == {
            "vllm",
            "vllm-coder",
            "vllm-chat2",
        }

        # Three slots swap side by side.
        started = await asyncio.gather(
            *(
                gw.client.post(f"/api/vllm/slots/{slot}/swap", json={"model": model})
                for slot, model in HOME.items()
            )
        )
        assert [r.status_code for r in started] == [202, 202, 202], [r.text for r in started]
        assert {r.json()["slot"] for r in started} == set(HOME)
        rows = await slots_when(gw, lambda rows: all(rows[s]["state"] == "ready" for s in HOME))
        assert {name: row["model"] for name, row in rows.items()} == HOME
        catalog = (await gw.client.get("/api/vllm/models")).json()["models"]
        running = sorted(m["id"] for m in catalog if m["state"] == "running")
        assert running == sorted(HOME.values())

        # /v1/models lists all three; concurrent requests to each, by served name and by
        # catalog id, all answered by the slot serving it.
        listed = (await gw.client.get("/v1/models")).json()["data"]
        assert sorted(card["id"] for card in listed) == sorted(SERVED[m] for m in HOME.values())
        names = [n for m in HOME.values() for n in (m, SERVED[m])] * 4
        answers = await asyncio.gather(
            *(gw.client.post("/v1/chat/completions", json=chat(n)) for n in names)
        )
        for name, answer in zip(names, answers, strict=True):
            assert answer.status_code == 200, answer.text
            assert answer.json()["model"] == SERVED.get(name, name)
        assert await failed_swaps(gw) == []  # zero out-of-memory (or any) failures

        # A fourth model needs spark-1 to itself; chat2 is pinned. The plan:
        reading = await steady_used_mib(cluster, "spark-1")
        plan = (await gw.client.get(f"/api/vllm/slots/plan?model={BIG}")).json()
        assert plan["dry_run"] is True and plan["nodes"] == ["spark-1"]
        # Either spark-1 slot drops both models; the tie goes by name.
        assert plan["slot"] == "coder"
        assert plan["evicted"] == [
            {"slot": "coder", "model": NEMOTRON},
            {"slot": "default", "model": LLAMA},
        ]
        assert plan["evict"] == [NEMOTRON, LLAMA]  # the same shape as the swap's dry run
        [memory] = [m for m in plan["memory"] if m["node"] == "spark-1"]
        assert memory["used_before_mib"] == reading
        unchanged = {n: (r["state"], r["model"]) for n, r in (await slots(gw)).items()}
        assert unchanged == {n: ("ready", m) for n, m in HOME.items()}  # changed nothing

        served = await gw.client.post("/v1/chat/completions", json=chat(BIG))
        assert served.status_code == 200, served.text
        assert served.json()["model"] == SERVED[BIG]
        rows = await slots(gw)
        assert {name: row["model"] for name, row in rows.items()} == {
            "default": None,
            "coder": BIG,
            "chat2": GPT,
        }
        after = await steady_used_mib(cluster, "spark-1")
        assert abs(memory["used_after_mib"] - after) <= 0.05 * after, (memory, after)
        assert await failed_swaps(gw) == []
        # The pinned one still answers; the evicted ones are gone from /v1/models.
        gpt = await gw.client.post("/v1/chat/completions", json=chat(GPT))
        assert gpt.status_code == 200, gpt.text
        listed = (await gw.client.get("/v1/models")).json()["data"]
        assert sorted(card["id"] for card in listed) == sorted([SERVED[BIG], SERVED[GPT]])
        started_events = [e for e in gw.host.events.buffered() if e.type == "vllm.swap_started"]
        assert started_events[-1].data["slot"] == "coder"
        assert started_events[-1].data["actor"] == "on-demand"


#: Two models whose catalog shares (0.6 each) over-commit one node together.
SHARED = [
    {
        "id": f"sim-share-{x}",
        "display_name": f"Shared {x}",
        "hf_repo": f"example/share-{x}-8b",
        "tensor_parallel_size": 1,
        "gpu_memory_utilization": 0.6,
        "memory_gb": 72,
        "disk_gb": 16,
    }
    for x in ("a", "b")
]


async def test_a_swap_beside_another_model_launches_with_the_planners_smaller_share(
    tmp_path: Path, cluster: SimCluster
) -> None:
    overrides = tmp_path / "models.yaml"
    overrides.write_text(yaml.safe_dump({"models": SHARED}))
    a, b = (m["id"] for m in SHARED)
    async with gateway_on(tmp_path, cluster, vllm_section(catalog_overrides=str(overrides))) as gw:
        # Alone on spark-1, the first takes its catalog share.
        first = await gw.client.post("/api/vllm/slots/default/swap?dry_run=true", json={"model": a})
        assert first.status_code == 200, first.text
        assert (first.json()["gpu_memory_utilization"], first.json()["evict"]) == (0.6, [])
        assert first.json()["gpu_memory_utilization_source"] == "catalog"
        assert (
            await gw.client.post("/api/vllm/slots/default/swap", json={"model": a})
        ).status_code == 202
        await slots_when(gw, lambda rows: rows["default"]["state"] == "ready")

        # Beside it, 0.6 more would over-commit the node (the stand-in would refuse):
        # the dry run and the swap both use the planner's smaller share.
        before = await steady_used_mib(cluster, "spark-1")
        plan = await gw.client.post("/api/vllm/slots/coder/swap?dry_run=true", json={"model": b})
        assert plan.status_code == 200, plan.text
        body = plan.json()
        assert body["gpu_memory_utilization_source"] == "planner"
        share = body["gpu_memory_utilization"]
        assert (16 + 4) / GPU_TOTAL_GIB <= share < 0.6 and 0.6 + share <= 1.0, body
        assert body["evict"] == [] and body["evicted"] == []
        [memory] = [m for m in body["memory"] if m["node"] == "spark-1"]
        assert memory["used_before_mib"] == before
        swap = await gw.client.post("/api/vllm/slots/coder/swap", json={"model": b})
        assert swap.status_code == 202, swap.text
        rows = await slots_when(
            gw,
            lambda rows: (
                rows["coder"]["state"] in ("ready", "down", "stopped") and not rows["coder"]["swap"]
            ),
        )
        assert (rows["default"]["model"], rows["coder"]["model"]) == (a, b), (
            rows["coder"]["reason"],
            await failed_swaps(gw),
        )
        assert await failed_swaps(gw) == []
        coder = gw.plugin("vllm").slots["coder"]
        [kept] = coder.shares.values()
        assert kept.utilization == share
        # What the instance really held once ready (MemAvailable before - after) is
        # kept for the planner: the stand-in's claim, share x total, within 5 %.
        for _ in range(100):  # read a moment after the swap ended
            if coder.observed.largest(b) is not None:
                break
            await asyncio.sleep(0.2)
        held, claimed = coder.observed.largest(b), share * GPU_TOTAL_GIB * 1024
        assert held is not None and abs(held - claimed) <= 0.05 * claimed, (held, claimed)
        remembered = await coder.journal.recall()
        assert remembered[f"held_mib:{b}"] == f"[{held}]"
        # Both answer; the node holds what the dry run said (within 5 %).
        for model in (a, b):
            answer = await gw.client.post("/v1/chat/completions", json=chat(model))
            assert answer.status_code == 200, answer.text
        after = await steady_used_mib(cluster, "spark-1")
        assert abs(memory["used_after_mib"] - after) <= 0.05 * after, (memory, after)

        # Downtime per slot: b's one swap was in coder; the default slot has none of
        # its own, so its dry run falls back to every slot's.
        own = (
            await gw.client.post("/api/vllm/slots/coder/swap?dry_run=true", json={"model": b})
        ).json()
        assert (own["downtime"]["samples"], own["downtime"]["scope"]) == (1, "slot")
        mine = (
            await gw.client.post("/api/vllm/slots/default/swap?dry_run=true", json={"model": b})
        ).json()
        assert (mine["downtime"]["samples"], mine["downtime"]["scope"]) == (1, "any slot")
        placed = (await gw.client.get(f"/api/vllm/slots/plan?model={LLAMA}")).json()
        assert placed["downtime"] == {
            "samples": 0,
            "p50_s": None,
            "p90_s": None,
            "note": "no history yet",
            "scope": None,
        }


async def test_slot_routes_refuse_an_unknown_slot_and_the_default_keeps_its_old_routes(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with gateway_on(tmp_path, cluster, vllm_section()) as gw:
        for method, path, body in (
            ("POST", "/api/vllm/slots/nope/swap", {"model": LLAMA}),
            ("POST", "/api/vllm/slots/nope/stop", None),
        ):
            response = await gw.client.request(method, path, json=body)
            assert response.status_code == 404, response.text
            assert "no slot 'nope'" in response.json()["error"]["message"]
        unknown = await gw.client.get("/api/vllm/slots/plan?model=not-a-model")
        assert unknown.status_code == 404
        # The old route acts on the default slot; its dry run per slot changes nothing.
        dry = await gw.client.post(
            "/api/vllm/slots/coder/swap?dry_run=true", json={"model": NEMOTRON}
        )
        assert dry.status_code == 200 and dry.json()["nodes"] == ["spark-1"]
        assert (await slots(gw))["coder"]["state"] == "stopped"


async def test_each_slot_keeps_its_own_record_across_a_gateway_restart(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with gateway_on(tmp_path, cluster, vllm_section(), stop=False) as gw:
        # The old route acts on the default slot, the new one on its slot.
        assert (await gw.client.post("/api/swap", json={"model": LLAMA})).status_code == 202
        coder = await gw.client.post("/api/vllm/slots/coder/swap", json={"model": NEMOTRON})
        assert coder.status_code == 202, coder.text
        rows = await slots_when(
            gw, lambda rows: rows["default"]["state"] == rows["coder"]["state"] == "ready"
        )
        assert (rows["default"]["model"], rows["coder"]["model"]) == (LLAMA, NEMOTRON)
        status = (await gw.client.get("/api/vllm/swap")).json()
        assert (status["slot"], status["model"]) == ("default", LLAMA)
    # A new gateway on the same data finds each slot's model answering on its port.
    async with gateway_on(tmp_path, cluster, vllm_section()) as gw:
        rows = await slots(gw)
        assert {n: (r["state"], r["model"]) for n, r in rows.items()} == {
            "default": ("ready", LLAMA),
            "coder": ("ready", NEMOTRON),
            "chat2": ("stopped", None),
        }
        history = (await gw.client.get("/api/vllm/swap/history")).json()["swaps"]
        assert [(s["slot"], s["model"]) for s in history] == [("default", LLAMA)]
        assert gw.plugin("vllm").slot("coder").last_good == NEMOTRON


@pytest.mark.parametrize(
    ("slots_value", "words"),
    [
        ([{"name": "Bad!", "container": "c", "port": 1, "head_node": "spark-1"}], "pattern"),
        ([{"name": "default", "container": "c", "port": 9000, "head_node": "spark-2"}], "twice"),
        (
            [{"name": "a", "container": "vllm_node", "port": 9000, "head_node": "spark-1"}],
            "container vllm_node on spark-1",
        ),
        (
            [{"name": "a", "container": "other", "port": 8888, "head_node": "spark-1"}],
            "port 8888 on spark-1",
        ),
        (
            [{"name": "a", "container": "bad; rm", "port": 9000, "head_node": "spark-1"}],
            "container",
        ),
    ],
)
def test_slot_settings_that_cannot_work_leave_the_plugin_out_with_the_reason(
    tmp_path: Path, slots_value: list[dict[str, Any]], words: str
) -> None:
    config = make_config(tmp_path, {"vllm": {"slots": slots_value}})
    record = Gateway(config).records["vllm"]
    assert record.status == "failed"
    assert record.reason is not None and words in record.reason, record.reason


# --- eight nodes, eight models --------------------------------------------------------

EIGHT = [SimNodeSpec(f"node-{i}", "head" if i == 1 else "worker") for i in range(1, 9)]
#: Each takes 0.55 of a node: two on one node would over-commit (vLLM's ValueError).
MODELS = [
    {
        "id": f"sim-model-{i}",
        "display_name": f"Sim model {i}",
        "hf_repo": f"example/sim-model-{i}",
        "tensor_parallel_size": 1,
        "gpu_memory_utilization": 0.55,
        "memory_gb": 60,
    }
    for i in range(1, 9)
]


@pytest.fixture(scope="module")
def eight(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    pm = new_manager()
    pm.register(VllmPlugin, name="vllm")
    root = tmp_path_factory.mktemp("slots-eight")
    with SimCluster(
        root, nodes=EIGHT, registry=collect_simulation(pm), base_address="127.0.4.100"
    ) as sim:
        for name in sim.nodes:
            sim.set_memory(name, GPU_TOTAL_GIB)
        yield sim


async def test_eight_models_on_eight_nodes_are_placed_without_over_commit(
    tmp_path: Path, eight: SimCluster
) -> None:
    """Two slots per node, eight models of 0.55 of a node each, asked for at once: the
    planner puts one per node (two on a node would fail like vLLM)."""
    overrides = tmp_path / "models.yaml"
    overrides.write_text(yaml.safe_dump({"models": MODELS}))
    extra = [
        {"name": f"n{i}{half}", "container": f"vllm_{half}", "port": port, "head_node": f"node-{i}"}
        for i in range(1, 9)
        for half, port in (("a", 8890), ("b", 8891))
        if (i, half) != (1, "a")
    ]
    vllm = vllm_section(head_node="node-1", slots=extra, catalog_overrides=str(overrides))
    async with gateway_on(tmp_path, eight, vllm) as gw:
        answers = await asyncio.gather(
            *(gw.client.post("/v1/chat/completions", json=chat(m["id"])) for m in MODELS)
        )
        assert [a.status_code for a in answers] == [200] * 8, [a.text for a in answers]
        rows = await slots(gw)
        placed: dict[str, str] = {}
        for row in rows.values():
            if row["model"] is not None:
                assert row["head_node"] not in placed, rows  # one per node
                placed[row["head_node"]] = row["model"]
        assert sorted(placed.values()) == sorted(m["id"] for m in MODELS)
        assert sorted(placed) == sorted(eight.nodes)
        for node in eight.nodes:
            assert used_mib(eight, node) <= GPU_TOTAL_GIB * 1024
        assert await failed_swaps(gw) == []
