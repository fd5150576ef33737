"""The placement planner on a large simulated fleet: 16 nodes, 50 resident models.

Usage: uv run python bench/vllm/bench_placement.py [--nodes 16] [--models 50] [--runs 200]

Places one more model (single node, then a tensor-parallel pair) into a fleet that is
nearly full, so every plan must consider evictions, and prints the p50/p95/max time of
one plan. The goal (issue 25) is <= 10 ms a plan. Pure CPU: no server is started.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import statistics
import time

from spark_control_vllm.placement import GIB, Instance, NodeMemory, estimate_need, plan_placement


def fleet(nodes: int, models: int, seed: int) -> tuple[list[NodeMemory], list[Instance]]:
    rnd = random.Random(seed)  # noqa: S311 - a repeatable fleet, not a secret
    memory = [NodeMemory(f"node-{i:02}", 128 * GIB, rnd.randint(6, 14) * GIB) for i in range(nodes)]
    free = {n.name: n.total_mib - n.others_mib - 4 * GIB for n in memory}
    residents: list[Instance] = []
    for k in range(models):
        held = rnd.randint(4, 30) * GIB
        pair = k % 7 == 0
        names = sorted(free, key=lambda name: -free[name])[: 2 if pair else 1]
        if any(free[name] < held for name in names):
            held = min(free[name] for name in names)
        weights = held * 2 // 3
        residents.append(
            Instance(
                f"slot-{k}",
                f"model-{k}",
                tuple(names),
                weights,
                held - weights,
                last_used=rnd.random() * 1000,
                pinned=rnd.random() < 0.1,
            )
        )
        for name in names:
            free[name] -= held
    return memory, residents


def _spread(times: list[float]) -> str:
    times = sorted(times)
    p95 = times[int(len(times) * 0.95) - 1]
    return f"p50 {statistics.median(times):.2f} ms, p95 {p95:.2f} ms, max {times[-1]:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=16)
    parser.add_argument("--models", type=int, default=50)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    nodes, residents = fleet(args.nodes, args.models, seed=25)
    for label, need in (
        ("one node", estimate_need("new", weights_mib=40 * GIB, kv_mib=20 * GIB)),
        (
            "node pair",
            estimate_need("new-tp", weights_mib=120 * GIB, kv_mib=10 * GIB, nodes_needed=2),
        ),
        # A floor below the full share: a plan that evicts is planned twice (full, shrunk).
        (
            "one node, shrinkable",
            dataclasses.replace(
                estimate_need("new", weights_mib=40 * GIB, kv_mib=20 * GIB), floor_mib=20 * GIB
            ),
        ),
    ):
        wall, cpu = [], []
        for _ in range(args.runs):
            started, started_cpu = time.perf_counter(), time.thread_time()
            plan = plan_placement(need, nodes, residents)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
        print(
            f"{args.nodes} nodes x {args.models} models, {label}: wall {_spread(wall)};"
            f" CPU {_spread(cpu)}; plan: {plan.nodes}, evicts {len(plan.evict)}, {plan.share}"
        )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
