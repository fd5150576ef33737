"""The worked example of docs/VLLM.md ("Several models: placement, dry run and a worked
example"), computed by the real planner. ``uv run python -m tests.vllm.placement_example``
prints the block the document shows; ``test_placement_docs.py`` checks they agree."""

from __future__ import annotations

from dataclasses import dataclass

from spark_control_vllm.coresidence import fit_together
from spark_control_vllm.placement import (
    GIB,
    Instance,
    Need,
    NodeMemory,
    Plan,
    estimate_need,
    kv_cache_mib,
    plan_placement,
)

START, END = "<!-- placement-example:start -->", "<!-- placement-example:end -->"
MARGIN_MIB = 4 * GIB
#: Two DGX Sparks, 128 GiB each; the OS, Docker and the other services hold 10 GiB.
NODES = [NodeMemory("spark-1", 128 * GIB, 10 * GIB), NodeMemory("spark-2", 128 * GIB, 10 * GIB)]


@dataclass(frozen=True)
class Model:
    """A model as the planner's inputs describe it: its files, and its KV cache from
    ``--max-model-len``, the bytes each token takes and the full-length sequences."""

    id: str
    weights_mib: int  # the checkpoint's files, all nodes together
    max_model_len: int
    kv_bytes_per_token: int  # layers x KV heads x head dim x 2 (K and V) x 2 bytes
    sequences: int
    nodes: int = 1
    last_used: float = 0.0

    def need(self) -> Need:
        kv = kv_cache_mib(self.max_model_len, self.kv_bytes_per_token, self.sequences, self.nodes)
        return estimate_need(
            self.id, weights_mib=self.weights_mib, kv_mib=kv, nodes_needed=self.nodes
        )


CHAT = Model("gpt-oss-120b", 61 * GIB, 131_072, 36 * 8 * 64 * 2 * 2, 4, last_used=300)
CODER = Model("qwen2.5-coder-7b", 14_540, 32_768, 28 * 4 * 128 * 2 * 2, 4, last_used=250)
EMBED = Model("bge-m3", 2_166, 8_192, 24 * 16 * 64 * 2 * 2, 8, last_used=200)
LARGE = Model(
    "llama-3.3-70b-fp8-tp2", 70 * GIB, 65_536, 80 * 8 * 128 * 2 * 2, 2, nodes=2, last_used=400
)
RESIDENT = [CHAT, CODER, EMBED]


def steps() -> list[tuple[Model, Plan]]:
    """Start the three models one after the other (as slots do), then the large one:
    each plan is made with the instances the earlier plans left resident."""
    resident: list[Instance] = []
    done: list[tuple[Model, Plan]] = []
    for model in [*RESIDENT, LARGE]:
        need = model.need()
        plan = plan_placement(need, NODES, resident, margin_mib=MARGIN_MIB)
        done.append((model, plan))
        resident = [i for i in resident if i.slot not in plan.evict]
        resident.append(
            Instance(
                slot=model.id,
                model=model.id,
                nodes=plan.nodes,
                weights_mib=need.weights_mib,
                kv_mib=need.kv_mib,
                last_used=model.last_used,
            )
        )
    return done


def _gib(mib: int) -> str:
    return f"{mib / GIB:.1f}"


def render() -> str:
    """The document's block: inputs, each plan, and the co-residence answers."""
    lines = [
        START,
        "| model | weights, all nodes (MiB) | KV cache per node (MiB) | need per node (MiB) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for model in [*RESIDENT, LARGE]:
        need = model.need()
        used = f"last used t={model.last_used:g}" if model in RESIDENT else "the fourth"
        lines.append(
            f"| `{model.id}` (TP {model.nodes}, {used}) "
            f"| {model.weights_mib} | {need.kv_mib} | {need.per_node_mib} |"
        )
    lines += [
        "",
        "| start | nodes | evicts | held by models before → after (GiB) "
        "| `--gpu-memory-utilization` |",
        "| --- | --- | --- | --- | ---: |",
    ]
    for model, plan in steps():
        memory = ", ".join(
            f"{node} {_gib(plan.used_before_mib[node])} → {_gib(plan.used_after_mib[node])}"
            for node in sorted(plan.used_before_mib)
        )
        evicts = ", ".join(f"`{slot}`" for slot in plan.evict) or "—"
        lines.append(
            f"| `{model.id}` | {', '.join(plan.nodes)} | {evicts} | {memory} "
            f"| {plan.gpu_memory_utilization:.3f} |"
        )
    three = fit_together([m.need() for m in RESIDENT], NODES, margin_mib=MARGIN_MIB)
    four = fit_together([m.need() for m in [*RESIDENT, LARGE]], NODES, margin_mib=MARGIN_MIB)
    lines += [
        "",
        "Resident all at once (what `spark_co_resident` answers on these nodes): "
        f"the three: {'yes' if three else 'no'}; "
        f"with `{LARGE.id}` too: {'yes' if four else 'no'}.",
        END,
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(render())
