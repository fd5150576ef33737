"""A swap's dry run: what ``POST /api/vllm/swap?dry_run=true`` answers.

It changes nothing. It reads the nodes' ``/proc/meminfo`` over SSH, asks the gates
whether they would let the swap through (a dry-run action, which takes no lease), reads
the swap history, and lays out what the swap would do: the node(s) the model goes to,
the model(s) evicted (today one slot, so the one running), each node's memory in use
before and after, the ``--gpu-memory-utilization`` the launch passes, and how long the
model has taken to come up before (the downtime, p50 and p90 of its past swaps).

Memory: vLLM takes ``--gpu-memory-utilization`` x the node's total (unified memory: the
node's MemTotal) at start-up whatever the model, and holds it until it stops. So what a
node holds after = what it holds now - the evicted instance's share + the new one's.
The placement planner (``placement.plan_placement``) checks that the share fits beside
the OS and the node's other services with its safety margin; a plan that does not fit
is shown with ``fits: false`` and the planner's reason. With several slots the share may
be the planner's shrunk one (``LaunchShare``, given by the route): the same figure the
swap then launches with.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from spark_control.api import Action
from spark_control_vllm.placement import NodeMemory, NoPlacement, estimate_need, plan_placement
from spark_control_vllm.swap.errors import SwapRefused
from spark_control_vllm.swap.remote import meminfo_command, parse_meminfo

if TYPE_CHECKING:
    from spark_control.api import Host, Node
    from spark_control_vllm.catalog import CatalogEntry
    from spark_control_vllm.swap.manager import SwapManager

#: vLLM's own ``--gpu-memory-utilization`` when none is passed.
VLLM_DEFAULT_UTILIZATION = 0.9
MIB = 2**20
NO_HISTORY = "no history yet"


@dataclass(frozen=True)
class Reading:
    """One node's memory as ``/proc/meminfo`` says now, in MiB."""

    name: str
    total_mib: int
    available_mib: int

    @property
    def used_mib(self) -> int:
        return self.total_mib - self.available_mib


def utilization(entry: CatalogEntry) -> tuple[float, str]:
    """The ``--gpu-memory-utilization`` a launch of ``entry`` runs with, and whence."""
    if entry.gpu_memory_utilization is not None:
        return entry.gpu_memory_utilization, "catalog"
    return VLLM_DEFAULT_UTILIZATION, "vLLM default"


def share_mib(entry: CatalogEntry, total_mib: int) -> int:
    """What a running ``entry`` holds on each of its nodes."""
    return math.ceil(utilization(entry)[0] * total_mib)


@dataclass(frozen=True)
class LaunchShare:
    """A share the placement planner chose instead of the catalog's: the launch's
    ``--gpu-memory-utilization`` and the memory (GiB per node) the pre-flight then
    waits for, never more than the catalog's ``memory_gb``."""

    utilization: float
    memory_gb: float

    def apply(self, entry: CatalogEntry) -> CatalogEntry:
        """``entry`` as launched with this share."""
        return entry.model_copy(
            update={
                "gpu_memory_utilization": self.utilization,
                "memory_gb": min(entry.memory_gb, self.memory_gb),
            }
        )


#: What an instance needs beyond its weights at the least (activations, CUDA graphs and
#: a KV cache for a few sequences): the planner never shrinks a share below weights +
#: this. A rule of thumb, not a measurement.
FLOOR_HEADROOM_MIB = 4 * 1024


def floor_mib(entry: CatalogEntry) -> int | None:
    """The least share per node ``entry`` may be launched with: its checkpoint's
    weights split over its nodes plus ``FLOOR_HEADROOM_MIB``; None (never shrunk)
    when the catalog does not give the checkpoint's size."""
    if not entry.disk_gb:
        return None
    return math.ceil(entry.disk_gb * 1024 / entry.tensor_parallel_size) + FLOOR_HEADROOM_MIB


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(math.ceil(q * len(ordered)) - 1, 0)]


def downtime(load_times: list[float], scope: str = "slot") -> dict[str, Any]:
    if not load_times:
        return {"samples": 0, "p50_s": None, "p90_s": None, "note": NO_HISTORY, "scope": None}
    return {
        "samples": len(load_times),
        "p50_s": round(percentile(load_times, 0.5), 1),
        "p90_s": round(percentile(load_times, 0.9), 1),
        "note": None,
        "scope": scope,
    }


async def slot_downtime(slot: SwapManager, model: str) -> dict[str, Any]:
    """The downtime of a swap of ``slot`` to ``model``: from its past swaps in that slot
    (its nodes: ``scope`` ``slot``); with none there, from any slot's (``any slot``)."""
    times = await slot.journal.load_times(model, slot=slot.name)
    if times:
        return downtime(times, "slot")
    return downtime(await slot.journal.load_times(model), "any slot")


async def read_memory(host: Host, node: Node) -> Reading | None:
    """``node``'s memory from its ``/proc/meminfo`` over SSH; None if it cannot say."""
    # A read: every replica may do it, leader or not.
    result = await host.ssh.run(node, meminfo_command(node), timeout=10, observe=True)
    figures = parse_meminfo(result.stdout)
    if result.exit_status != 0 or "MemTotal" not in figures:
        return None
    total, available = figures["MemTotal"], figures.get("MemAvailable", 0)
    return Reading(node.name, total // MIB, available // MIB)


class DryRun:
    """Plans a swap on one manager's slot without touching it."""

    def __init__(self, manager: SwapManager) -> None:
        self.manager = manager

    def nodes_for(self, entry: CatalogEntry) -> list[Node]:
        """The nodes a launch of ``entry`` runs on: the head, and a worker for TP 2."""
        settings, topology = self.manager.settings, self.manager.host.topology
        names = [settings.head_node]
        if entry.tensor_parallel_size == 2:
            names += settings.worker_nodes[:1]
        return [topology.nodes[n] for n in names if n in topology.nodes]

    async def read(self, node: Node) -> Reading | None:
        return await read_memory(self.manager.host, node)

    async def outcome(self, entry: CatalogEntry, action: Action) -> tuple[str, str | None]:
        """What ``POST /api/vllm/swap`` would answer now: ``swap``, ``no-op``, ``busy``
        (409) or ``refused`` (a gate or the fit check), and why."""
        manager = self.manager
        running = manager.running_swap
        if running is not None:
            return "busy", f"swap {running.id} to {running.model!r} is still running"
        refusal = await manager.host.gate(action)
        if refusal is not None:
            return "refused", refusal.reason
        if entry.id == manager.current_model and await manager.readiness.ready(entry, quick=True):
            return "no-op", f"{entry.id} is already loaded and answering"
        try:
            await manager.preflight.check_fits(entry)
        except SwapRefused as exc:
            return "refused", str(exc)
        return "swap", None

    async def plan(
        self, entry: CatalogEntry, action: Action, *, share: LaunchShare | None = None
    ) -> dict[str, Any]:
        """The plan; ``share``: the planner's when the swap launches with it rather than
        the catalog's (``ProxyApp.slot_share``)."""
        manager = self.manager
        if share is not None:
            entry = share.apply(entry)
        outcome, reason = await self.outcome(entry, action)
        current_id = manager.current_model
        current = (
            manager.catalog.get(current_id)
            if current_id is not None and current_id in manager.catalog
            else None
        )
        # A no-op changes nothing; otherwise the plan is the swap's, allowed or not.
        starts = outcome != "no-op"
        evicting = current is not None and starts
        targets = self.nodes_for(entry)
        involved = {n.name: n for n in targets}
        if evicting and current is not None:
            involved |= {n.name: n for n in self.nodes_for(current)}
        readings = {n: await self.read(node) for n, node in involved.items()}
        memory, fits, warning = self._memory(
            entry if starts else None, current if evicting else None, readings
        )
        fraction, source = utilization(entry)
        if share is not None:
            source = "planner"
        evicted = [{"slot": manager.name, "model": current_id}] if evicting else []
        return {
            "dry_run": True,
            "model": entry.id,
            "outcome": outcome,
            "reason": reason,
            "nodes": [n.name for n in targets],
            # One shape with ``GET /api/vllm/slots/plan``: ids, and with their slots.
            "evict": [row["model"] for row in evicted],
            "evicted": evicted,
            "gpu_memory_utilization": fraction,
            "gpu_memory_utilization_source": source,
            "fits": fits,
            "warning": warning,
            "memory": memory,
            "downtime": await slot_downtime(manager, entry.id),
        }

    def _held_mib(self, current: CatalogEntry, total_mib: int) -> int:
        """What the running model holds on each of its nodes: its share; asleep at
        level 1 only its weights (on unified memory their "CPU" copy stays in the same
        memory, as the planner's ``Instance.held_mib`` counts it), read as its
        checkpoint's size split over its nodes (``disk_gb``, else ``memory_gb``);
        at level 2 nothing."""
        share = self.manager.held_share_mib(current, total_mib)
        level = self.manager.idle.sleep_level
        if level == 2:
            return 0
        if level == 1:
            size_gb = current.disk_gb if current.disk_gb else current.memory_gb
            weights = math.ceil(size_gb * 1024 / current.tensor_parallel_size)
            return min(weights, share)
        return share

    def _memory(
        self,
        entry: CatalogEntry | None,
        current: CatalogEntry | None,
        readings: dict[str, Reading | None],
    ) -> tuple[list[dict[str, Any]], bool | None, str | None]:
        """Each node's memory before and after, whether the planner finds room, and
        its reason when it does not (None: a node's memory could not be read)."""
        targets = [n.name for n in self.nodes_for(entry)] if entry else []
        held_by = {n.name for n in self.nodes_for(current)} if current else set()
        rows: list[dict[str, Any]] = []
        nodes: list[NodeMemory] = []
        need_mib = 0
        for name, reading in readings.items():
            if reading is None:
                rows.append({"node": name, "total_mib": None, "used_before_mib": None,
                             "used_after_mib": None, "available_after_mib": None})  # fmt: skip
                continue
            freed = self._held_mib(current, reading.total_mib) if current and name in held_by else 0
            added = share_mib(entry, reading.total_mib) if entry and name in targets else 0
            need_mib = max(need_mib, added)
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
            others = max(reading.used_mib - freed, 0)
            nodes.append(NodeMemory(name, reading.total_mib, others))
        if any(readings[name] is None for name in targets):
            return rows, None, "a node's memory could not be read"
        if entry is None:
            return rows, True, None
        need = estimate_need(
            entry.id,
            weights_mib=min(math.ceil(entry.memory_gb * 1024), need_mib) * len(targets),
            kv_mib=need_mib - min(math.ceil(entry.memory_gb * 1024), need_mib),
            nodes_needed=len(targets),
            allowed=targets,
        )
        try:
            plan_placement(need, nodes, [])
        except NoPlacement as exc:
            return rows, False, str(exc)
        return rows, True, None
