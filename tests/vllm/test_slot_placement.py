"""Which slot takes a model no slot serves (``slot_placement.choose``): real swap managers
of a configured gateway (not started: nothing runs), the shipped catalog, and node
readings as ``/proc/meminfo`` would give them. Property: a plan never over-commits a
node, never evicts or replaces a pinned slot, and names exactly what it drops."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spark_control.gateway import Gateway
from spark_control.testing import make_config
from spark_control_vllm.catalog import SHIPPED_CATALOG, Catalog
from spark_control_vllm.placement import GIB, NoPlacement
from spark_control_vllm.settings import VllmSettings
from spark_control_vllm.slot_placement import choose, nodes_of
from spark_control_vllm.swap import SwapManager
from spark_control_vllm.swap.dryrun import Reading, floor_mib, share_mib

TOTAL_MIB = 122572  # a DGX Spark's 119.7 GiB
BASE_MIB = 6 * GIB  # the OS and the node's other services
MARGIN = 4 * GIB
NODES = ["spark-1", "spark-2", "spark-3", "spark-4"]
SLOTS = [
    {"name": "a", "container": "vllm_a", "port": 8890, "head_node": "spark-1"},
    {"name": "b", "container": "vllm_b", "port": 8888, "head_node": "spark-2"},
    {"name": "c", "container": "vllm_c", "port": 8888, "head_node": "spark-3"},
    {
        "name": "d",
        "container": "vllm_d",
        "port": 8888,
        "head_node": "spark-4",
        "worker_nodes": ["spark-3"],
    },
]
CATALOG = Catalog.load(SHIPPED_CATALOG)


@pytest.fixture(scope="module")
def managers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SwapManager]:
    tmp = tmp_path_factory.mktemp("slot-placement")
    vllm = {"head_node": "spark-1", "worker_nodes": ["spark-2"], "slots": SLOTS}
    host = Gateway(make_config(Path(tmp), {"vllm": vllm})).host
    found = host.plugin_settings("vllm")
    assert isinstance(found, VllmSettings)
    return {
        name: SwapManager(host, found.slot_settings(name), CATALOG, name)
        for name in found.slot_names()
    }


def arrange(
    managers: dict[str, SwapManager],
    models: dict[str, str | None],
    *,
    pinned: frozenset[str] = frozenset(),
    used: dict[str, float] | None = None,
) -> dict[str, Reading]:
    """Put ``models`` in the slots and answer the nodes' readings that follow."""
    held = dict.fromkeys(NODES, BASE_MIB)
    for name, slot in managers.items():
        model = models.get(name)
        slot.state.current_model = model
        slot.last_used = (used or {}).get(name, 0.0)
        slot.settings = slot.settings.model_copy(update={"pinned": name in pinned})
        if model is not None:
            entry = CATALOG.get(model)
            for node in nodes_of(slot, entry):
                held[node] += share_mib(entry, TOTAL_MIB)
    return {n: Reading(n, TOTAL_MIB, TOTAL_MIB - held[n]) for n in NODES}


def test_an_empty_slot_beats_replacing_a_model(managers: dict[str, SwapManager]) -> None:
    readings = arrange(managers, {"default": "llama-3.1-8b-instruct"})
    plan = choose(CATALOG.get("gpt-oss-20b"), list(managers.values()), CATALOG, readings,
                  margin_mib=MARGIN)  # fmt: skip
    assert plan.slot.name == "a" and plan.evict == ()  # beside llama on spark-1
    assert plan.evicted_models == []
    [row] = [m for m in plan.memory if m["node"] == "spark-1"]
    assert row["used_after_mib"] == row["used_before_mib"] + share_mib(
        CATALOG.get("gpt-oss-20b"), TOTAL_MIB
    )


def test_spread_puts_a_model_on_the_emptiest_nodes_instead(
    managers: dict[str, SwapManager],
) -> None:
    readings = arrange(managers, {"default": "llama-3.1-8b-instruct"})
    plan = choose(CATALOG.get("gpt-oss-20b"), list(managers.values()), CATALOG, readings,
                  margin_mib=MARGIN, policy="spread")  # fmt: skip
    # An empty node (spark-2, the first by name) rather than beside llama on spark-1.
    assert plan.slot.name == "b" and plan.evict == ()
    assert plan.plan.nodes == ("spark-2",)


def test_the_least_recently_used_goes_and_a_pinned_one_never(
    managers: dict[str, SwapManager],
) -> None:
    # Every node holds a big model; qwen3-next (0.85) needs one to itself.
    full = {
        "default": "qwen3-30b-a3b-fp8",
        "b": "gpt-oss-120b",
        "c": "qwen3-30b-a3b-fp8",
        "d": "gpt-oss-120b",
    }
    used = {"default": 5.0, "b": 1.0, "c": 3.0, "d": 4.0}
    slots = list(managers.values())
    big = CATALOG.get("qwen3-next-80b-a3b-fp8")
    plan = choose(big, slots, CATALOG, arrange(managers, full, used=used), margin_mib=MARGIN)
    assert (plan.slot.name, plan.evicted_models) == ("b", [{"slot": "b", "model": "gpt-oss-120b"}])

    plan = choose(
        big, slots, CATALOG, arrange(managers, full, used=used, pinned=frozenset({"b"})),
        margin_mib=MARGIN,
    )  # fmt: skip
    assert plan.slot.name == "c"  # the next least recently used; b is pinned

    everything = frozenset(full)
    with pytest.raises(NoPlacement, match="no slot can take qwen3-next-80b-a3b-fp8"):
        choose(big, slots, CATALOG, arrange(managers, full, pinned=everything), margin_mib=MARGIN)


def test_what_a_model_really_held_last_time_is_its_need_when_more_than_its_share(
    managers: dict[str, SwapManager],
) -> None:
    slot = managers["b"]
    gpt = CATALOG.get("gpt-oss-20b")
    share = share_mib(gpt, TOTAL_MIB)
    try:
        # Measured 20 GiB over its share last time: the plan for it needs that much.
        slot.observed.held = {gpt.id: [share - GIB, share + 20 * GIB]}
        readings = arrange(managers, {})
        plan = choose(gpt, [slot], CATALOG, readings, margin_mib=MARGIN, only=slot)
        assert plan.plan.need_mib == share + 20 * GIB
        # Resident, it counts as its share (the excess is in the node's reading).
        assert slot.held_share_mib(gpt, TOTAL_MIB) == share
        slot.observed.held = {gpt.id: [share - GIB]}  # less than the share: the share
        plan = choose(gpt, [slot], CATALOG, readings, margin_mib=MARGIN, only=slot)
        assert plan.plan.need_mib == share
    finally:
        slot.observed.held = {}


def test_a_two_node_model_needs_a_slot_with_a_worker(managers: dict[str, SwapManager]) -> None:
    tp2 = CATALOG.get("llama-3.3-70b-fp8-tp2")
    plan = choose(tp2, list(managers.values()), CATALOG, arrange(managers, {}), margin_mib=MARGIN)
    assert plan.slot.name in ("default", "d") and len(plan.plan.nodes) == 2


MODELS = [e.id for e in CATALOG.entries()]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.data(),
    wanted=st.sampled_from(MODELS),
)
def test_a_plan_never_over_commits_nor_touches_a_pinned_slot(
    managers: dict[str, SwapManager], data: st.DataObject, wanted: str
) -> None:
    # Residents that fit, as earlier plans left them.
    models: dict[str, str | None] = {}
    held = dict.fromkeys(NODES, BASE_MIB)
    for name, slot in managers.items():
        model = data.draw(st.sampled_from([None, *MODELS]), label=name)
        if model is None:
            continue
        entry = CATALOG.get(model)
        nodes = nodes_of(slot, entry)
        share = share_mib(entry, TOTAL_MIB)
        if len(nodes) < entry.tensor_parallel_size or any(
            held[n] + share > TOTAL_MIB - MARGIN for n in nodes
        ):
            continue
        for n in nodes:
            held[n] += share
        models[name] = model
    pinned = frozenset(data.draw(st.sets(st.sampled_from(list(managers))), label="pinned"))
    used = {name: float(data.draw(st.integers(0, 100), label=f"used-{name}")) for name in managers}
    readings = arrange(managers, models, pinned=pinned, used=used)
    entry = CATALOG.get(wanted)
    try:
        plan = choose(entry, list(managers.values()), CATALOG, readings, margin_mib=MARGIN)
    except NoPlacement:
        return
    dropped = {row["slot"] for row in plan.evicted_models}
    assert not dropped & pinned, (plan.evicted_models, pinned)
    assert plan.slot.name not in pinned or models.get(plan.slot.name) is None
    assert set(plan.plan.nodes) == set(nodes_of(plan.slot, entry))
    for row in plan.memory:
        # What the plan leaves is what the readings say, less what goes, plus the new one.
        freed = sum(
            share_mib(CATALOG.get(models[s]), TOTAL_MIB)
            for s in dropped
            if row["node"] in nodes_of(managers[s], CATALOG.get(models[s]))
        )
        added = plan.plan.need_mib if row["node"] in plan.plan.nodes else 0
        assert row["used_after_mib"] == row["used_before_mib"] - freed + added
        if row["node"] in plan.plan.nodes:
            assert row["used_after_mib"] <= TOTAL_MIB - MARGIN, row
    # The share: the catalog's, or shrunk (never below the floor) to drop fewer models.
    full, floor = share_mib(entry, TOTAL_MIB), floor_mib(entry)
    if plan.plan.share == "preferred":
        assert plan.plan.need_mib == full and plan.launch_share is None
    else:
        assert floor is not None and floor <= plan.plan.need_mib < full
        assert plan.launch_share is not None
        assert plan.launch_share.utilization == plan.plan.gpu_memory_utilization
        assert plan.launch_share.utilization * TOTAL_MIB >= plan.plan.need_mib
