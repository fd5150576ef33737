"""docs/VLLM.md's worked example ("Several models: placement, dry run and a worked
example") is what the placement planner returns, and its plans fit."""

from __future__ import annotations

from pathlib import Path

from spark_control_vllm.coresidence import fit_together, place_together
from spark_control_vllm.placement import GIB, usable_mib
from tests.vllm.placement_example import (
    CHAT,
    CODER,
    EMBED,
    END,
    LARGE,
    MARGIN_MIB,
    NODES,
    RESIDENT,
    START,
    render,
    steps,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "VLLM.md"


def test_the_documented_worked_example_is_what_the_planner_returns() -> None:
    text = DOC.read_text(encoding="utf-8")
    shown = text[text.index(START) : text.index(END) + len(END)]
    assert shown == render(), "re-run: uv run python -m tests.vllm.placement_example"


def test_the_worked_example_plans_fit_and_evict_the_least_recently_used() -> None:
    usable = {node.name: usable_mib(node, MARGIN_MIB) for node in NODES}
    assert usable == {"spark-1": 114 * GIB, "spark-2": 114 * GIB}
    plans = {model.id: plan for model, plan in steps()}
    for plan in plans.values():
        assert all(plan.used_after_mib[n] <= usable[n] for n in usable), plan
    # The chat model fills most of spark-1, so the coder goes to spark-2 and the
    # embedder (binpack) back beside the chat model.
    assert [plans[m.id].nodes for m in (CHAT, CODER, EMBED)] == [
        ("spark-1",),
        ("spark-2",),
        ("spark-1",),
    ]
    assert all(plans[m.id].evict == () for m in RESIDENT)
    # The two-node model needs 55 GiB on spark-1 too: the embedder (used longest ago)
    # goes first, the chat model next; the coder on spark-2 stays.
    assert plans[LARGE.id].nodes == ("spark-1", "spark-2")
    assert plans[LARGE.id].evict == (EMBED.id, CHAT.id)
    # vLLM is told a fraction of the node that covers exactly the planned need.
    for model, plan in steps():
        assert plan.gpu_memory_utilization * 128 * GIB >= model.need().per_node_mib


def test_co_residence_is_the_planner_placing_each_model_beside_the_others() -> None:
    needs = [m.need() for m in RESIDENT]
    assert fit_together(needs, NODES, margin_mib=MARGIN_MIB)
    placed = place_together(needs, NODES, margin_mib=MARGIN_MIB)
    assert [p.model for p in placed] == [CHAT.id, CODER.id, EMBED.id]  # largest first
    assert not fit_together([*needs, LARGE.need()], NODES, margin_mib=MARGIN_MIB)
    assert fit_together([CODER.need(), EMBED.need(), LARGE.need()], NODES, margin_mib=MARGIN_MIB)
