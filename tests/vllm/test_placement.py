"""The placement planner: property tests over random clusters, and worked examples."""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import random

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from spark_control_vllm.placement import (
    GIB,
    Instance,
    NodeMemory,
    NoPlacement,
    estimate_need,
    kv_cache_mib,
    plan_placement,
    usable_mib,
)

MARGIN = 2 * GIB


@st.composite
def clusters(draw: st.DrawFn) -> tuple[list[NodeMemory], list[Instance], object]:
    """Nodes, the instances resident on them (fitting, as a past plan left them), and a
    model to place."""
    count = draw(st.integers(1, 5))
    nodes = [
        NodeMemory(
            f"node-{i}",
            total_mib=draw(st.integers(8, 128)) * GIB,
            others_mib=draw(st.integers(0, 12)) * GIB,
        )
        for i in range(count)
    ]
    free = {n.name: usable_mib(n, MARGIN) for n in nodes}
    residents: list[Instance] = []
    for slot in range(draw(st.integers(0, 8))):
        width = draw(st.sampled_from([1, 2] if count > 1 else [1]))
        chosen = tuple(sorted(draw(st.permutations([n.name for n in nodes]))[:width]))
        held = draw(st.integers(1, 40)) * GIB
        level = draw(st.sampled_from([0, 0, 0, 1, 2]))
        weights = draw(st.integers(0, held))
        instance = Instance(
            slot=f"slot-{slot}",
            model=f"model-{slot}",
            nodes=chosen,
            weights_mib=weights,
            kv_mib=held - weights,
            last_used=draw(st.floats(0, 1000, allow_nan=False)),
            pinned=draw(st.booleans()),
            sleep_level=level,
        )
        if all(free[n] >= instance.held_mib for n in chosen):
            residents.append(instance)
            for n in chosen:
                free[n] -= instance.held_mib
    need = estimate_need(
        "new-model",
        weights_mib=draw(st.integers(1, 100)) * GIB,
        kv_mib=draw(st.integers(0, 20)) * GIB,
        nodes_needed=draw(st.integers(1, min(2, count))),
    )
    # The least share it may run with: none (never shrunk), or a floor to shrink to.
    floor = draw(st.one_of(st.none(), st.integers(1, 100).map(lambda g: g * GIB)))
    return nodes, residents, dataclasses.replace(need, floor_mib=floor)


def _fits_somewhere(nodes: list[NodeMemory], residents: list[Instance], need: object) -> bool:
    """Brute force: does any node set hold the model once every unpinned instance goes?"""
    assert hasattr(need, "per_node_mib") and hasattr(need, "nodes_needed")
    for chosen in itertools.combinations([n.name for n in nodes], need.nodes_needed):
        if all(
            usable_mib(n, MARGIN)
            - sum(i.held_mib for i in residents if i.pinned and n.name in i.nodes)
            >= need.least_mib
            for n in nodes
            if n.name in chosen
        ):
            return True
    return False


@settings(max_examples=400, deadline=None)
@given(clusters())
# Found by hypothesis: 0.58 x 25600 is 14847.999... in floating point, short of 14848.
@example(
    (
        [NodeMemory("node-0", 25600, 0), NodeMemory("node-1", 25600, 0)],
        [],
        estimate_need("new-model", weights_mib=1024, kv_mib=14336, nodes_needed=2),
    )
)
def test_a_plan_never_over_commits_a_node_and_never_evicts_a_pinned_model(case: tuple) -> None:
    nodes, residents, need = case
    try:
        plan = plan_placement(need, nodes, residents, margin_mib=MARGIN)
    except NoPlacement as refusal:
        assert not _fits_somewhere(nodes, residents, need), refusal
        return
    by_slot = {i.slot: i for i in residents}
    assert all(not by_slot[slot].pinned for slot in plan.evict)
    assert len(plan.nodes) == need.nodes_needed
    # The share: the full one, or shrunk to no less than the floor (to evict fewer).
    assert need.least_mib <= plan.need_mib <= need.per_node_mib
    assert (plan.share == "preferred") == (plan.need_mib == need.per_node_mib)
    if plan.share == "shrunk":
        full = dataclasses.replace(need, floor_mib=None)
        with contextlib.suppress(NoPlacement):
            assert len(plan.evict) < len(
                plan_placement(full, nodes, residents, margin_mib=MARGIN).evict
            )
    # Recomputed from scratch, not from the plan's own figures.
    for node in nodes:
        kept = [i for i in residents if i.slot not in plan.evict and node.name in i.nodes]
        held = sum(i.held_mib for i in kept)
        if node.name in plan.nodes:
            held += plan.need_mib
            assert held <= usable_mib(node, MARGIN)
        assert plan.used_after_mib[node.name] == held
        # What vLLM is told covers what was planned and never exceeds the node.
        if node.name in plan.nodes:
            assert plan.gpu_memory_utilization * node.total_mib >= plan.need_mib or (
                plan.gpu_memory_utilization == 0.95
            )


@settings(max_examples=200, deadline=None)
@given(clusters())
def test_the_plan_evicts_nothing_when_the_model_fits_as_it_is(case: tuple) -> None:
    nodes, residents, need = case
    room = {
        n.name: usable_mib(n, MARGIN) - sum(i.held_mib for i in residents if n.name in i.nodes)
        for n in nodes
    }
    fits_now = any(
        all(room[name] >= need.per_node_mib for name in chosen)
        for chosen in itertools.combinations(sorted(room), need.nodes_needed)
    )
    if fits_now:
        assert plan_placement(need, nodes, residents, margin_mib=MARGIN).evict == ()


@settings(max_examples=200, deadline=None)
@given(clusters(), st.randoms(use_true_random=False))
def test_the_same_cluster_in_any_order_gives_the_same_plan(case: tuple, rnd: random.Random) -> None:
    nodes, residents, need = case
    shuffled_nodes, shuffled_residents = list(nodes), list(residents)
    rnd.shuffle(shuffled_nodes)
    rnd.shuffle(shuffled_residents)
    try:
        first = plan_placement(need, nodes, residents, margin_mib=MARGIN)
    except NoPlacement:
        with pytest.raises(NoPlacement):
            plan_placement(need, shuffled_nodes, shuffled_residents, margin_mib=MARGIN)
        return
    assert plan_placement(need, shuffled_nodes, shuffled_residents, margin_mib=MARGIN) == first


def _spark(name: str, others_gib: int = 10) -> NodeMemory:
    return NodeMemory(name, total_mib=128 * GIB, others_mib=others_gib * GIB)


def test_two_sparks_evict_the_least_recently_used_unpinned_model() -> None:
    nodes = [_spark("spark-1"), _spark("spark-2")]
    residents = [
        Instance("chat", "chat-70b", ("spark-1",), 40 * GIB, 30 * GIB, last_used=50.0),
        Instance("coder", "coder-7b", ("spark-1",), 8 * GIB, 10 * GIB, last_used=10.0),
        Instance("embed", "embed", ("spark-2",), 2 * GIB, 4 * GIB, last_used=5.0, pinned=True),
        Instance("vision", "vl-32b", ("spark-2",), 30 * GIB, 40 * GIB, last_used=20.0),
    ]
    need = estimate_need("big-90b", weights_mib=60 * GIB, kv_mib=20 * GIB)
    plan = plan_placement(need, nodes, residents, margin_mib=4 * GIB)
    # spark-1: 114 usable, 88 held: evicting coder (LRU there) frees 18: not enough;
    # spark-2: 114 usable, 76 held: evicting vision (20.0) frees 70: one eviction.
    assert plan.nodes == ("spark-2",)
    assert plan.evict == ("vision",)
    assert plan.used_before_mib["spark-2"] == 76 * GIB
    assert plan.used_after_mib["spark-2"] == 86 * GIB
    assert plan.gpu_memory_utilization == 0.625  # 80 of 128 GiB


def test_binpack_fills_the_fuller_node_and_spread_the_emptier() -> None:
    nodes = [_spark("spark-1"), _spark("spark-2")]
    residents = [Instance("chat", "chat", ("spark-1",), 30 * GIB, 20 * GIB, last_used=1.0)]
    need = estimate_need("coder", weights_mib=8 * GIB, kv_mib=8 * GIB)
    assert plan_placement(need, nodes, residents, policy="binpack").nodes == ("spark-1",)
    assert plan_placement(need, nodes, residents, policy="spread").nodes == ("spark-2",)


def test_sleep_level_one_still_holds_the_weights_on_unified_memory() -> None:
    nodes = [_spark("spark-1", others_gib=0)]
    asleep = Instance("chat", "chat", ("spark-1",), 60 * GIB, 40 * GIB, 1.0, sleep_level=1)
    need = estimate_need("coder", weights_mib=50 * GIB, kv_mib=10 * GIB)
    # 124 usable; level 1 holds 60 (weights): 64 free, the coder's 60 fits.
    assert plan_placement(need, nodes, [asleep]).evict == ()
    bigger = estimate_need("coder", weights_mib=60 * GIB, kv_mib=10 * GIB)
    assert plan_placement(bigger, nodes, [asleep]).evict == ("chat",)
    deeper = Instance("chat", "chat", ("spark-1",), 60 * GIB, 40 * GIB, 1.0, sleep_level=2)
    assert plan_placement(bigger, nodes, [deeper]).evict == ()


def test_a_share_shrinks_to_stay_beside_a_resident_rather_than_evict_it() -> None:
    nodes = [_spark("spark-1", others_gib=0)]  # 124 usable with the 4 GiB margin
    chat = Instance("chat", "chat", ("spark-1",), 30 * GIB, 50 * GIB, last_used=1.0)
    full = estimate_need("coder", weights_mib=16 * GIB, kv_mib=60 * GIB)  # 76: needs chat gone
    assert plan_placement(full, nodes, [chat]).evict == ("chat",)
    shrinkable = dataclasses.replace(full, floor_mib=20 * GIB)
    plan = plan_placement(shrinkable, nodes, [chat])
    # Beside chat's 80 there are 44 left: more than the floor, less than the 76 wanted.
    assert (plan.evict, plan.share, plan.need_mib) == ((), "shrunk", 44 * GIB)
    assert plan.gpu_memory_utilization == 0.344  # 44 of 128 GiB, rounded up
    assert plan.used_after_mib["spark-1"] == 124 * GIB
    # A floor that does not fit beside it either: the full share, with the eviction.
    too_big = dataclasses.replace(full, floor_mib=50 * GIB)
    assert plan_placement(too_big, nodes, [chat]).share == "preferred"


def test_a_pinned_model_is_never_evicted_and_the_refusal_says_what_room_there_is() -> None:
    nodes = [_spark("spark-1")]
    pinned = Instance("chat", "chat", ("spark-1",), 70 * GIB, 30 * GIB, 1.0, pinned=True)
    need = estimate_need("coder", weights_mib=20 * GIB, kv_mib=10 * GIB)
    with pytest.raises(NoPlacement, match=r"needs 30 GiB .* spark-1: 14 GiB"):
        plan_placement(need, nodes, [pinned])


def test_tensor_parallel_splits_the_weights_and_needs_two_nodes() -> None:
    need = estimate_need("huge", weights_mib=200 * GIB, kv_mib=10 * GIB, nodes_needed=2)
    assert need.weights_mib == 100 * GIB
    plan = plan_placement(need, [_spark("spark-1"), _spark("spark-2")], [])
    assert plan.nodes == ("spark-1", "spark-2")
    with pytest.raises(NoPlacement, match="needs 2 node"):
        plan_placement(need, [_spark("spark-1")], [])


def test_what_a_node_really_used_last_time_refines_the_estimate() -> None:
    assert estimate_need("m", weights_mib=10 * GIB, kv_mib=GIB, observed_mib=15 * GIB).kv_mib == (
        5 * GIB
    )
    # A smaller observation does not shrink the need below the formula.
    assert estimate_need("m", weights_mib=10 * GIB, kv_mib=GIB, observed_mib=GIB).kv_mib == GIB


def test_kv_cache_from_max_model_len() -> None:
    # 32 layers x 8 KV heads x 128 dims x 2 (K and V) x 2 bytes = 128 KiB a token.
    per_token = 32 * 8 * 128 * 2 * 2
    assert kv_cache_mib(32_768, per_token) == 4 * GIB
    assert kv_cache_mib(32_768, per_token, sequences=2, nodes=2) == 4 * GIB


def test_eight_nodes_hold_eight_models_without_over_commit() -> None:
    nodes = [_spark(f"spark-{i}") for i in range(1, 9)]
    residents: list[Instance] = []
    for k in range(8):
        need = estimate_need(f"model-{k}", weights_mib=(50 + 5 * k) * GIB, kv_mib=20 * GIB)
        plan = plan_placement(need, nodes, residents, policy="spread")
        assert plan.evict == ()
        residents.append(
            Instance(f"slot-{k}", need.model, plan.nodes, need.weights_mib, need.kv_mib, k)
        )
    for node in nodes:
        held = sum(i.held_mib for i in residents if node.name in i.nodes)
        assert held <= usable_mib(node, 4 * GIB)
    assert len({i.nodes for i in residents}) == 8
