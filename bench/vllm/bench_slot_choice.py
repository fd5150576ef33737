"""Choosing the slot for an on-demand model (``slot_placement.choose``) on a large fleet.

Usage: uv run python bench/vllm/bench_slot_choice.py [--nodes 16] [--slots 50] [--runs 100]

Builds a gateway's real swap managers (not started: nothing runs, no server) for
``--slots`` slots spread over ``--nodes`` nodes, fills them with shipped catalog models
as long as they fit, then times the choice for one more model: one planner run per
candidate slot. This runs once per on-demand placement (a request for a model no slot
serves), never per proxied request. Pure CPU.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from spark_control.gateway import Gateway
from spark_control.testing import make_config
from spark_control_vllm.catalog import SHIPPED_CATALOG, Catalog
from spark_control_vllm.placement import GIB
from spark_control_vllm.settings import VllmSettings
from spark_control_vllm.slot_placement import choose, nodes_of
from spark_control_vllm.swap import SwapManager
from spark_control_vllm.swap.dryrun import Reading, share_mib

TOTAL_MIB = 122572
BASE_MIB = 6 * GIB
MARGIN = 4 * GIB


def managers(root: Path, nodes: int, slots: int) -> list[SwapManager]:
    extra = [
        {
            "name": f"s{k}",
            "container": f"vllm_s{k}",
            "port": 9000 + k,
            "head_node": f"node-{k % nodes:02}",
        }
        for k in range(1, slots)
    ]
    vllm = {"head_node": "node-00", "worker_nodes": ["node-01"], "slots": extra}
    host = Gateway(make_config(root, {"vllm": vllm})).host
    settings = host.plugin_settings("vllm")
    assert isinstance(settings, VllmSettings)
    catalog = Catalog.load(SHIPPED_CATALOG)
    return [
        SwapManager(host, settings.slot_settings(name), catalog, name)
        for name in settings.slot_names()
    ]


def fill(slots: list[SwapManager], nodes: int, seed: int) -> dict[str, Reading]:
    rnd = random.Random(seed)  # noqa: S311 - a repeatable fleet, not a secret
    catalog = slots[0].catalog
    entries = [e for e in catalog.entries() if e.tensor_parallel_size == 1]
    held = {f"node-{i:02}": BASE_MIB for i in range(nodes)}
    for slot in slots:
        entry = rnd.choice(entries)
        share = share_mib(entry, TOTAL_MIB)
        node = nodes_of(slot, entry)[0]
        if held[node] + share <= TOTAL_MIB - MARGIN:
            held[node] += share
            slot.state.current_model = entry.id
            slot.last_used = rnd.random() * 1000
    return {n: Reading(n, TOTAL_MIB, TOTAL_MIB - used) for n, used in held.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=16)
    parser.add_argument("--slots", type=int, default=50)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        slots = managers(Path(root), args.nodes, args.slots)
        readings = fill(slots, args.nodes, seed=25)
        catalog = slots[0].catalog
        resident = sum(s.current_model is not None for s in slots)
        for model in ("gpt-oss-20b", "qwen3-next-80b-a3b-fp8"):
            entry = catalog.get(model)
            wall, cpu = [], []
            for _ in range(args.runs):
                started, started_cpu = time.perf_counter(), time.thread_time()
                plan = choose(entry, slots, catalog, readings, margin_mib=MARGIN)
                wall.append((time.perf_counter() - started) * 1000)
                cpu.append((time.thread_time() - started_cpu) * 1000)
            wall.sort()
            cpu.sort()
            p95 = int(len(cpu) * 0.95) - 1
            print(
                f"{args.nodes} nodes, {args.slots} slots ({resident} resident), {model}: "
                f"CPU p50 {statistics.median(cpu):.2f} ms, p95 {cpu[p95]:.2f} ms; "
                f"wall p50 {statistics.median(wall):.2f} ms, p95 {wall[p95]:.2f} ms; "
                f"slot {plan.slot.name}, drops {len(plan.evicted_models)}"
            )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
