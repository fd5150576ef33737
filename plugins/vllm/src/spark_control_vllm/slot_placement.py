"""Which slot takes a model no slot serves, and which slots' models must go first.

The inputs are gathered here (each node's ``/proc/meminfo``, what each slot runs and
when it last served a request); the choice is the placement planner's
(``placement.plan_placement``): for each slot that could run the model, the plan with
that slot's own model gone, never evicting (nor replacing) a pinned slot or one that is
swapping. Among those the fewest models dropped win (the slot's own counts), then a
full share over a shrunk one, then the least recently used ones, then the fullest node
set (binpack), then the slot's name.

Memory per instance is what vLLM takes: ``--gpu-memory-utilization`` x the node's total
(``dryrun.share_mib``); what a node holds besides our instances is its reading less
theirs. A model's share is its catalog one unless that would cost an eviction: then the
planner shrinks it, never below ``dryrun.floor_mib`` (its weights and some room), and
the launch passes the shrunk figure (``SlotPlan.launch_utilization``); the slot keeps
the figure (``SwapManager.shares``) so that the planner counts what it really holds.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from spark_control.api import SparkError
from spark_control_vllm.placement import (
    Instance,
    Need,
    NodeMemory,
    NoPlacement,
    Plan,
    Policy,
    plan_placement,
)
from spark_control_vllm.swap.dryrun import (
    DryRun,
    LaunchShare,
    Reading,
    floor_mib,
    share_mib,
    utilization,
)

if TYPE_CHECKING:
    from spark_control_vllm.catalog import Catalog, CatalogEntry
    from spark_control_vllm.swap.manager import SwapManager


@dataclass(frozen=True)
class SlotPlan:
    """Swap ``slot`` to the model after stopping the ``evict`` slots."""

    slot: SwapManager
    evict: tuple[SwapManager, ...]
    plan: Plan
    #: Per node (every node read): MiB in use now and once the plan is carried out.
    memory: tuple[dict[str, Any], ...] = ()

    @property
    def evicted_models(self) -> list[dict[str, str | None]]:
        """Every slot whose model goes, the chosen slot's own first."""
        own = [self.slot] if self.slot.current_model is not None else []
        return [{"slot": s.name, "model": s.current_model} for s in (*own, *self.evict)]

    @property
    def launch_share(self) -> LaunchShare | None:
        """What the launch must pass when the planner shrank the share (None: the
        catalog's, as a swap without a plan runs)."""
        if self.plan.share != "shrunk":
            return None
        return LaunchShare(self.plan.gpu_memory_utilization, self.plan.need_mib / 1024)

    def utilization(self) -> tuple[float, str]:
        """The utilisation the launch runs with, and whence (as the dry run says it)."""
        if self.launch_share is not None:
            return self.launch_share.utilization, "planner"
        return utilization(self.slot.catalog.get(self.plan.model))

    def public(self) -> dict[str, Any]:
        """The plan as the API shows it (memory per node in MiB)."""
        fraction, source = self.utilization()
        return {
            "model": self.plan.model,
            "slot": self.slot.name,
            "nodes": list(self.plan.nodes),
            # The one shape of both dry runs: ``evict`` the models that stop (ids, as
            # ``POST /api/vllm/swap?dry_run=true`` always answered), ``evicted`` the
            # same with their slots.
            "evict": [row["model"] for row in self.evicted_models],
            "evicted": self.evicted_models,
            "need_mib": self.plan.need_mib,
            "gpu_memory_utilization": fraction,
            "gpu_memory_utilization_source": source,
            "share": self.plan.share,
            "memory": list(self.memory),
        }


def nodes_of(slot: SwapManager, entry: CatalogEntry) -> tuple[str, ...]:
    """The nodes ``entry`` runs on in ``slot``: its head, and a worker for TP 2."""
    settings = slot.settings
    if entry.tensor_parallel_size == 2:
        return (settings.head_node, *settings.worker_nodes[:1])
    return (settings.head_node,)


def instances(
    slots: Sequence[SwapManager], catalog: Catalog, totals: Mapping[str, int]
) -> dict[str, Instance]:
    """Each slot's resident (or loading) model as the planner sees it."""
    found: dict[str, Instance] = {}
    for slot in slots:
        swap = slot.running_swap
        model = swap.model if swap is not None else slot.current_model
        if model is None or model not in catalog:
            continue
        entry = catalog.get(model)
        nodes = tuple(n for n in nodes_of(slot, entry) if n in totals)
        if not nodes:
            continue
        held = max(slot.held_share_mib(entry, totals[n]) for n in nodes)
        # The weights' share per node (the checkpoint split over its nodes), so that a
        # sleeper counts what sleep mode keeps: level 1 the weights, level 2 nothing.
        size_gb = entry.disk_gb if entry.disk_gb else entry.memory_gb
        weights = min(held, math.ceil(size_gb * 1024 / entry.tensor_parallel_size))
        found[slot.name] = Instance(
            slot=slot.name,
            model=model,
            nodes=nodes,
            weights_mib=weights,
            kv_mib=held - weights,
            sleep_level=slot.idle.sleep_level if swap is None else 0,  # type: ignore[arg-type]
            last_used=slot.last_used,
            # A slot mid-swap is never evicted: it is busy, not idle.
            pinned=slot.pinned or swap is not None,
        )
    return found


def choose(
    entry: CatalogEntry,
    slots: Sequence[SwapManager],
    catalog: Catalog,
    readings: Mapping[str, Reading],
    *,
    margin_mib: int,
    only: SwapManager | None = None,
    policy: Policy = "binpack",
) -> SlotPlan:
    """The best slot for ``entry`` and its evictions, or :class:`NoPlacement` saying why
    none can take it (``only``: that slot's plan). Pure: the readings are given."""
    totals = {name: r.total_mib for name, r in readings.items()}
    residents = instances(slots, catalog, totals)
    ours = dict.fromkeys(totals, 0)
    for instance in residents.values():
        for node in instance.nodes:
            ours[node] += instance.held_mib
    nodes = [
        NodeMemory(name, r.total_mib, max(r.used_mib - ours[name], 0))
        for name, r in sorted(readings.items())
    ]
    by_name = {s.name: s for s in slots}
    best: tuple[tuple[Any, ...], SlotPlan] | None = None
    reasons: list[str] = []
    for slot in slots:
        if only is not None and slot is not only:
            continue
        own = residents.get(slot.name)
        if slot.busy or slot.stopping or (own is not None and own.pinned):
            reasons.append(f"{slot.name}: busy or pinned")
            continue
        wanted_nodes = nodes_of(slot, entry)
        if len(wanted_nodes) < entry.tensor_parallel_size or any(
            n not in totals for n in wanted_nodes
        ):
            reasons.append(f"{slot.name}: cannot run it on its nodes")
            continue
        # Its catalog share, or what it really held in its last runs in this slot.
        need_mib = max(
            max(share_mib(entry, totals[n]) for n in wanted_nodes),
            slot.observed.largest(entry.id) or 0,
        )
        others = [i for name, i in residents.items() if name != slot.name]
        try:
            plan = plan_placement(
                Need(
                    entry.id,
                    weights_mib=need_mib,
                    kv_mib=0,
                    nodes_needed=len(wanted_nodes),
                    allowed=frozenset(wanted_nodes),
                    floor_mib=floor_mib(entry),
                ),
                nodes,
                others,
                policy=policy,
                margin_mib=margin_mib,
            )
        except NoPlacement as exc:
            reasons.append(f"{slot.name}: {exc}")
            continue
        evict = tuple(by_name[name] for name in plan.evict)
        gone = [i for i in (own, *(residents[n] for n in plan.evict)) if i is not None]
        left = sum(plan.usable_mib[n] - plan.used_after_mib[n] for n in plan.nodes)
        key = (
            len(gone),  # the fewest models dropped (the slot's own counts)
            plan.share == "shrunk",  # then a full share over a shrunk one
            max((i.last_used for i in gone), default=-1.0),  # the least recently used
            # binpack: the fullest node set, keeping whole nodes free; spread: the emptiest
            left if policy == "binpack" else -left,
            slot.name,
        )
        if best is None or key < best[0]:
            memory = _memory(readings, gone, plan)
            best = (key, SlotPlan(slot, evict, plan, memory))
    if best is None:
        raise NoPlacement(f"no slot can take {entry.id} ({'; '.join(reasons)})")
    return best[1]


def _memory(
    readings: Mapping[str, Reading], gone: Sequence[Instance], plan: Plan
) -> tuple[dict[str, Any], ...]:
    rows = []
    for name, reading in sorted(readings.items()):
        freed = sum(i.held_mib for i in gone if name in i.nodes)
        added = plan.need_mib if name in plan.nodes else 0
        after = max(reading.used_mib - freed, 0) + added
        rows.append(
            {
                "node": name,
                "total_mib": reading.total_mib,
                "used_before_mib": reading.used_mib,
                "used_after_mib": after,
                "available_after_mib": reading.total_mib - after,
            }
        )
    return tuple(rows)


async def read_nodes(slots: Sequence[SwapManager]) -> dict[str, Reading]:
    """Every slot node's memory now, read side by side (a node that does not answer
    is left out: nothing is placed on it)."""
    reader = DryRun(slots[0])
    topology = slots[0].host.topology
    names = sorted({n for s in slots for n in s.nodes if n in topology.nodes})

    async def read(name: str) -> Reading | None:
        try:
            return await reader.read(topology.nodes[name])
        except (SparkError, OSError):
            return None

    found = await asyncio.gather(*(read(name) for name in names))
    return {name: r for name, r in zip(names, found, strict=True) if r is not None}
