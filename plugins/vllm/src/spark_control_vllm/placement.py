"""Where a model goes: a pure, deterministic placement plan over unified memory.

A DGX Spark's GPU and CPU share one pool of memory, so a vLLM instance competes with
the OS and every other service on the node, not only with other models. The planner
sees each node as its total memory less what everything that is not one of our
instances holds (as the probes read it) less a safety margin, and each resident
instance as what it holds on each of its nodes. It answers which node(s) a model goes
to, which resident instances must go first (least recently used first, never a pinned
one), every node's memory before and after, and the ``--gpu-memory-utilization`` that
makes the new instance take exactly what was planned for it.

Memory is counted in whole MiB so plans are exact and repeatable. Nothing here does
I/O: the swap code gathers the inputs, the dry run shows the plan, a swap carries it
out.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

Policy = Literal["binpack", "spread"]
SleepLevel = Literal[0, 1, 2]

#: The most of a node vLLM is told it may take (its own upper bound, catalog.py).
MAX_UTILIZATION = 0.95
GIB = 1024


class NoPlacement(ValueError):
    """No node (set) can hold the model even after evicting every evictable instance."""


@dataclass(frozen=True)
class NodeMemory:
    """One node's memory as the probes read it."""

    name: str
    total_mib: int
    #: Held by the OS and every service that is not one of our vLLM instances.
    others_mib: int


@dataclass(frozen=True)
class Instance:
    """A resident vLLM instance (one slot), holding memory on each of its nodes."""

    slot: str
    model: str
    nodes: tuple[str, ...]
    #: Per node: the weights' share (tensor parallel splits them) and the rest it was
    #: allowed (KV cache, activations, CUDA graphs).
    weights_mib: int
    kv_mib: int
    last_used: float
    pinned: bool = False
    #: vLLM sleep mode: level 1 frees the KV cache but keeps the weights in (the same,
    #: unified) memory; level 2 frees both.
    sleep_level: SleepLevel = 0

    @property
    def held_mib(self) -> int:
        """What it holds on each of its nodes now."""
        if self.sleep_level == 2:
            return 0
        if self.sleep_level == 1:
            return self.weights_mib
        return self.weights_mib + self.kv_mib


@dataclass(frozen=True)
class Need:
    """What one model needs on each node it runs on."""

    model: str
    weights_mib: int
    kv_mib: int
    #: Tensor parallel size: how many nodes it spans (1, or 2 for a pair of Sparks).
    nodes_needed: int = 1
    #: Nodes it may run on (None: any).
    allowed: frozenset[str] | None = None
    #: The least it can run with per node (None: weights + KV, no less). When the
    #: preferred share (weights + KV) would cost an eviction, or does not fit, the plan
    #: shrinks the instance down to this rather than drop another model.
    floor_mib: int | None = None

    @property
    def per_node_mib(self) -> int:
        return self.weights_mib + self.kv_mib

    @property
    def least_mib(self) -> int:
        """The smallest share per node the plan may give it."""
        if self.floor_mib is None:
            return self.per_node_mib
        return min(self.floor_mib, self.per_node_mib)


@dataclass(frozen=True)
class Plan:
    model: str
    nodes: tuple[str, ...]
    evict: tuple[str, ...]  # slots, least recently used first
    gpu_memory_utilization: float
    need_mib: int  # per node
    used_before_mib: Mapping[str, int] = field(default_factory=dict)
    used_after_mib: Mapping[str, int] = field(default_factory=dict)
    usable_mib: Mapping[str, int] = field(default_factory=dict)
    #: ``preferred``: the model's full share; ``shrunk``: less (at least its floor), so
    #: that it fits beside the residents with fewer evictions.
    share: Literal["preferred", "shrunk"] = "preferred"


def kv_cache_mib(
    max_model_len: int, kv_bytes_per_token: int, sequences: int = 1, nodes: int = 1
) -> int:
    """KV cache for ``sequences`` full-length sequences, per node (tensor parallel
    splits the heads, so each node holds its share)."""
    total = max_model_len * kv_bytes_per_token * sequences
    return -(-total // (nodes * 1024 * 1024))


def estimate_need(
    model: str,
    *,
    weights_mib: int,
    kv_mib: int,
    nodes_needed: int = 1,
    observed_mib: int | None = None,
    allowed: Iterable[str] | None = None,
) -> Need:
    """A model's need per node from its files (``weights_mib`` in all) and its KV cache
    (per node), refined by what an earlier run of it really used on one node.

    What was observed wins when it is larger: the formula misses activations and CUDA
    graphs; the KV share grows so that weights plus KV equal the observed figure.
    """
    if weights_mib < 0 or kv_mib < 0 or nodes_needed < 1:
        raise ValueError("memory must be >= 0 and nodes_needed >= 1")
    per_node_weights = -(-weights_mib // nodes_needed)
    if observed_mib is not None and observed_mib > per_node_weights + kv_mib:
        kv_mib = observed_mib - per_node_weights
    return Need(
        model=model,
        weights_mib=per_node_weights,
        kv_mib=kv_mib,
        nodes_needed=nodes_needed,
        allowed=None if allowed is None else frozenset(allowed),
    )


def usable_mib(node: NodeMemory, margin_mib: int) -> int:
    """What our instances may hold on ``node`` in all."""
    return max(0, node.total_mib - node.others_mib - margin_mib)


def plan_placement(
    need: Need,
    nodes: Sequence[NodeMemory],
    residents: Sequence[Instance],
    *,
    policy: Policy = "binpack",
    margin_mib: int = 4 * GIB,
) -> Plan:
    """The plan for starting ``need``'s model, or :class:`NoPlacement` saying why.

    Among node sets that fit, the fewest evictions win; then, for ``binpack``, the set
    left with the least free memory (keeping whole nodes free for large models), for
    ``spread`` the one left with the most; then node names, so equal inputs always give
    the same plan whatever their order.
    """
    by_name = {n.name: n for n in sorted(nodes, key=lambda n: n.name)}
    usable = {name: usable_mib(n, margin_mib) for name, n in by_name.items()}
    used = _used(by_name, residents)
    candidates = [n for n in by_name if need.allowed is None or n in need.allowed]
    if len(candidates) < need.nodes_needed:
        raise NoPlacement(
            f"{need.model} needs {need.nodes_needed} node(s); {len(candidates)} may hold it"
        )
    best = _best_choice(need.per_node_mib, need, candidates, usable, used, residents, policy)
    share_mib = need.per_node_mib
    if need.least_mib < need.per_node_mib and (best is None or best[1]):
        # The full share costs an eviction (or cannot fit): a smaller share that costs
        # fewer wins, and then takes what the chosen nodes have left, up to the full one.
        small = _best_choice(need.least_mib, need, candidates, usable, used, residents, policy)
        if small is not None and (best is None or len(small[1]) < len(best[1])):
            best = small
            share_mib = min(
                need.per_node_mib,
                *(
                    usable[n] - used[n] + sum(i.held_mib for i in small[1] if n in i.nodes)
                    for n in small[0]
                ),
            )
    if best is None:
        raise NoPlacement(_why_not(need, candidates, usable, used, residents))
    chosen, evicted = best
    after = dict(used)
    for instance in evicted:
        for name in instance.nodes:
            after[name] -= instance.held_mib
    for name in chosen:
        after[name] += share_mib
    return Plan(
        model=need.model,
        nodes=chosen,
        evict=tuple(i.slot for i in evicted),
        gpu_memory_utilization=_utilization(share_mib, by_name, chosen),
        need_mib=share_mib,
        used_before_mib=used,
        used_after_mib=after,
        usable_mib=usable,
        share="preferred" if share_mib == need.per_node_mib else "shrunk",
    )


def _evictable_by_node(
    residents: Sequence[Instance], names: Iterable[str]
) -> tuple[dict[int, int], dict[str, list[Instance]]]:
    """Each node's evictable instances, least recently used first, and every such
    instance's rank in that order (an index, so a plan over a node pair looks only at
    the instances on those two nodes)."""
    lru = sorted((r for r in residents if not r.pinned), key=lambda r: (r.last_used, r.slot))
    rank = {id(instance): k for k, instance in enumerate(lru)}
    on_node: dict[str, list[Instance]] = {name: [] for name in names}
    for instance in lru:
        for name in instance.nodes:
            if name in on_node and instance.held_mib:
                on_node[name].append(instance)
    return rank, on_node


def _best_choice(
    share_mib: int,
    need: Need,
    candidates: Sequence[str],
    usable: Mapping[str, int],
    used: Mapping[str, int],
    residents: Sequence[Instance],
    policy: Policy,
) -> tuple[tuple[str, ...], tuple[Instance, ...]] | None:
    """The node set and evictions that score best, or None when no set can fit."""
    rank, on_node = _evictable_by_node(residents, usable)
    best: tuple[tuple[float, ...], tuple[str, ...], tuple[Instance, ...]] | None = None
    for chosen in itertools.combinations(candidates, need.nodes_needed):
        nearby = {id(i): i for name in chosen for i in on_node[name]}
        order = sorted(nearby.values(), key=lambda i: rank[id(i)])
        evicted = _evictions(share_mib, chosen, usable, used, order)
        if evicted is None:
            continue
        key = _score(share_mib, chosen, evicted, usable, used, policy)
        if best is None or key < best[0]:
            best = (key, chosen, evicted)
    return None if best is None else (best[1], best[2])


def _used(by_name: Mapping[str, NodeMemory], residents: Sequence[Instance]) -> dict[str, int]:
    used = dict.fromkeys(by_name, 0)
    for instance in residents:
        for name in instance.nodes:
            if name in used:
                used[name] += instance.held_mib
    return used


def _evictions(
    need_mib: int,
    chosen: tuple[str, ...],
    usable: Mapping[str, int],
    used: Mapping[str, int],
    lru: Sequence[Instance],
) -> tuple[Instance, ...] | None:
    """The least recently used instances to evict so ``need_mib`` fits on every chosen
    node (only ones on a node still short), or None when even all of them cannot."""
    if any(need_mib > usable[name] for name in chosen):
        return None
    free = {name: usable[name] - used[name] for name in chosen}
    evicted: list[Instance] = []
    for instance in lru:
        short = [name for name in chosen if free[name] < need_mib]
        if not short:
            break
        if instance.held_mib and any(name in short for name in instance.nodes):
            evicted.append(instance)
            for name in instance.nodes:
                if name in free:
                    free[name] += instance.held_mib
    if any(free[name] < need_mib for name in chosen):
        return None
    return tuple(evicted)


def _score(
    share_mib: int,
    chosen: tuple[str, ...],
    evicted: tuple[Instance, ...],
    usable: Mapping[str, int],
    used: Mapping[str, int],
    policy: Policy,
) -> tuple[float, ...]:
    freed = {name: sum(i.held_mib for i in evicted if name in i.nodes) for name in chosen}
    left = sum(usable[n] - used[n] + freed[n] - share_mib for n in chosen)
    return (len(evicted), left if policy == "binpack" else -left)


def _utilization(need_mib: int, by_name: Mapping[str, NodeMemory], chosen: Iterable[str]) -> float:
    """vLLM's fraction of a node's total memory that equals ``need_mib`` (the smallest
    total among the chosen nodes decides), rounded up to a thousandth."""
    total = min(by_name[name].total_mib for name in chosen)
    if not total:
        return MAX_UTILIZATION
    thousandths = -(-need_mib * 1000 // total)
    # vLLM multiplies in floating point: 0.58 x 25600 is 14847.999..., short of 14848.
    if thousandths / 1000 * total < need_mib:
        thousandths += 1
    return min(thousandths / 1000, MAX_UTILIZATION)


def _why_not(
    need: Need,
    candidates: Sequence[str],
    usable: Mapping[str, int],
    used: Mapping[str, int],
    residents: Sequence[Instance],
) -> str:
    pinned = {
        name: sum(i.held_mib for i in residents if i.pinned and name in i.nodes)
        for name in candidates
    }
    room = ", ".join(
        f"{name}: {max(0, usable[name] - pinned[name]) // GIB} GiB" for name in candidates
    )
    return (
        f"{need.model} needs {need.least_mib // GIB} GiB on each of "
        f"{need.nodes_needed} node(s); at most (after evicting every unpinned model) {room}"
    )
