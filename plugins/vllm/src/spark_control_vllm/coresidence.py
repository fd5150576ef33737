"""Whether several catalog models can be resident at once: the vllm plugin's answer to
``spark_co_resident`` (``host.co_resident``), which the coordination plugin asks for the
schedule registry's conflicts without importing this plugin.

The answer is the placement planner's: each model, largest first, is placed with
:func:`~spark_control_vllm.placement.plan_placement` beside the ones placed before it,
pinned so that none is evicted. Yes means the planner itself would hold them all at
once, within every node's memory less what the OS and the other services hold and the
safety margin; a packing the planner would not find in that order counts as no (the
safe side: a "no" only keeps a conflict on the schedule).

The nodes are every slot's nodes (the default slot's ``vllm.head_node`` and
``vllm.worker_nodes``, and each of ``vllm.slots``') as their ``/proc/meminfo`` reads
now; what our own running models hold is not counted as the node's "others", since
they would be among the models placed. A node that cannot be
read, or a model not in the catalog, makes the answer None (nobody knows).
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, cast

from spark_control.api import CommandTimeout, Host, HostKeyChanged, SSHUnreachable, hookimpl
from spark_control_vllm.placement import (
    GIB,
    Instance,
    Need,
    NodeMemory,
    NoPlacement,
    Plan,
    Policy,
    estimate_need,
    plan_placement,
)
from spark_control_vllm.swap.dryrun import DryRun, read_memory, share_mib

if TYPE_CHECKING:
    from spark_control_vllm.catalog import Catalog, CatalogEntry
    from spark_control_vllm.plugin import VllmPlugin
    from spark_control_vllm.settings import VllmSettings
    from spark_control_vllm.swap.manager import SwapManager

#: Node readings are reused this long: the schedule asks for several model sets at once.
READ_TTL_S = 30.0
MARGIN_MIB = 4 * GIB


def need_of(entry: CatalogEntry, allowed: Iterable[str] | None = None) -> Need:
    """What ``entry`` needs on each of its nodes: the catalog's ``memory_gb`` (GiB per
    node), on ``tensor_parallel_size`` nodes."""
    per_node = math.ceil(entry.memory_gb * 1024)
    nodes = entry.tensor_parallel_size
    return estimate_need(
        entry.id, weights_mib=per_node * nodes, kv_mib=0, nodes_needed=nodes, allowed=allowed
    )


def place_together(
    needs: Sequence[Need],
    nodes: Sequence[NodeMemory],
    *,
    policy: Policy = "binpack",
    margin_mib: int = MARGIN_MIB,
) -> list[Plan]:
    """The planner's plan for each model, largest first (then by id), each placed beside
    the ones before it and evicting none; :class:`NoPlacement` when one finds no room."""
    placed: list[Instance] = []
    plans: list[Plan] = []
    for need in sorted(needs, key=lambda n: (-n.per_node_mib * n.nodes_needed, n.model)):
        plan = plan_placement(need, nodes, placed, policy=policy, margin_mib=margin_mib)
        placed.append(
            Instance(
                slot=need.model,
                model=need.model,
                nodes=plan.nodes,
                weights_mib=need.weights_mib,
                kv_mib=need.kv_mib,
                last_used=0.0,
                pinned=True,  # what is placed stays: the question is "all at once"
            )
        )
        plans.append(plan)
    return plans


def fit_together(
    needs: Sequence[Need],
    nodes: Sequence[NodeMemory],
    *,
    policy: Policy = "binpack",
    margin_mib: int = MARGIN_MIB,
) -> bool:
    try:
        place_together(needs, nodes, policy=policy, margin_mib=margin_mib)
    except NoPlacement:
        return False
    return True


class Residency:
    """Answers ``spark_co_resident`` for one gateway's vllm plugin, reading the vLLM
    nodes' memory at most every ``READ_TTL_S``."""

    def __init__(
        self,
        host: Host,
        settings: VllmSettings,
        catalog: Catalog,
        managers: Callable[[], Iterable[SwapManager]],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.host = host
        self.settings = settings
        self.catalog = catalog
        self.managers = managers
        self.clock = clock
        self._nodes: tuple[float, list[NodeMemory] | None] | None = None

    def node_names(self) -> list[str]:
        """Every slot's nodes (the default slot's: ``vllm.head_node`` and
        ``vllm.worker_nodes``), each once."""
        slots = [self.settings.slot_settings(name) for name in self.settings.slot_names()]
        names = [node for slot in slots for node in (slot.head_node, *slot.worker_nodes)]
        return list(dict.fromkeys(n for n in names if n in self.host.topology.nodes))

    async def answer(self, models: Sequence[str]) -> bool | None:
        if not all(model in self.catalog for model in models):
            return None
        nodes = await self.nodes()
        if not nodes:
            return None
        names = [n.name for n in nodes]
        needs = [need_of(self.catalog.get(model), names) for model in models]
        return fit_together(needs, nodes)

    async def nodes(self) -> list[NodeMemory] | None:
        now = self.clock()
        if self._nodes is None or now - self._nodes[0] >= READ_TTL_S:
            self._nodes = (now, await self._read())
        return self._nodes[1]

    async def _read(self) -> list[NodeMemory] | None:
        """Each vLLM node's total and what others hold (used now, less what our running
        models hold there); None if a node cannot be read."""
        ours: list[tuple[CatalogEntry, set[str]]] = []
        for manager in self.managers():
            current = manager.current_model
            if current is not None and current in manager.catalog:
                entry = manager.catalog.get(current)
                ours.append((entry, {n.name for n in DryRun(manager).nodes_for(entry)}))
        found: list[NodeMemory] = []
        for name in self.node_names():
            try:
                reading = await read_memory(self.host, self.host.topology.nodes[name])
            except (SSHUnreachable, CommandTimeout, HostKeyChanged):  # nobody knows
                return None
            if reading is None:
                return None
            held = sum(share_mib(e, reading.total_mib) for e, on in ours if name in on)
            found.append(NodeMemory(name, reading.total_mib, max(reading.used_mib - held, 0)))
        return found


class CoResidence:
    """Mixed into :class:`~spark_control_vllm.plugin.VllmPlugin`: its
    ``spark_co_resident``. The models that hold memory now come from the plugin's swap
    managers, one per slot (``co_resident_managers``)."""

    @hookimpl
    async def spark_co_resident(self, models: list[str]) -> bool | None:
        return await self.residency.answer(models)

    @functools.cached_property
    def residency(self) -> Residency:
        plugin = cast("VllmPlugin", self)
        return Residency(plugin.host, plugin.settings, plugin.catalog, self.co_resident_managers)

    def co_resident_managers(self) -> list[SwapManager]:
        """Every started slot's swap manager (none before start-up)."""
        plugin = cast("VllmPlugin", self)
        return list(plugin.slots.values()) if plugin.manager.value is not None else []
