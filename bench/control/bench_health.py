"""A 16-node simulated cluster: one full health sweep, and how soon a dead node is seen.

Starts 16 simulated nodes (real SSH servers on loopback) and a core-only gateway on
them with the default health settings (5 s interval, damping 2). Times ``--sweeps``
full deep sweeps (every probe at once, as ``GET /api/health?deep=true`` runs them),
then, ``--deaths`` times, takes one node off the network at a random moment of its
poll interval (after it was published ok) and times until its probe is published down,
and how soon it is published ok again once back. Loopback only; stops what it started.
Run it inside a private netns:

  bench/netns-run uv run python bench/control/bench_health.py
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from spark_control.sim import SimCluster
from spark_control.sim.cluster import SimNodeSpec
from spark_control.testing import make_config, running_gateway


async def run(args: argparse.Namespace) -> None:
    specs = [SimNodeSpec("spark-1", "head")]
    specs += [SimNodeSpec(f"spark-{i}") for i in range(2, args.nodes + 1)]
    with (
        tempfile.TemporaryDirectory() as tmp,
        SimCluster(Path(tmp) / "sim", nodes=specs, base_address=args.address) as cluster,
    ):
        config = make_config(
            Path(tmp),
            {
                "nodes": cluster.topology_config(),
                "plugins": {"enabled": []},
                "gateway": {"access_log": "off"},
                # The shipped health settings (make_config's are the tests' fast ones).
                "health": {"interval_s": 5.0, "probe_timeout_s": 3.0, "damping": 2},
            },
        )
        async with running_gateway(config) as gw:
            monitor = gw.gateway.health
            sweeps = []
            for _ in range(args.sweeps):
                started = time.monotonic()
                results = await monitor.deep()
                sweeps.append(time.monotonic() - started)
            states = sorted({s.state.value for s in results.values()})
            victim = f"spark-{args.nodes}"
            probe = f"node:{victim}"
            deaths: list[float] = []
            recoveries: list[float] = []
            rng = random.Random(args.seed)  # noqa: S311 - spreads a timing, not a secret
            for _ in range(args.deaths):
                # From a clean state: the node published ok, then a random moment of
                # its poll interval, so the figure is not one lucky phase.
                await _until(lambda: monitor.snapshot()[probe].state.value == "ok", 60)
                await asyncio.sleep(rng.uniform(0, monitor.interval_s))
                await asyncio.to_thread(cluster.set_node_down, victim, True)
                died = time.monotonic()  # the simulator has cut the node off
                await _until(lambda: monitor.snapshot()[probe].state.value == "down", 120)
                deaths.append(time.monotonic() - died)
                await asyncio.sleep(rng.uniform(0, 20))  # down a while: its polls back off
                await asyncio.to_thread(cluster.set_node_down, victim, False)
                back = time.monotonic()
                await _until(lambda: monitor.snapshot()[probe].state.value == "ok", 120)
                recoveries.append(time.monotonic() - back)
    load = os.getloadavg()
    print(f"health: {args.nodes} simulated nodes, {len(results)} probes ({', '.join(states)})")
    print(f"  load average (1/5 min): {load[0]:.1f} / {load[1]:.1f} on {os.cpu_count()} cores")
    print(
        f"  full deep sweep: runs={len(sweeps)} median={statistics.median(sweeps) * 1000:.0f} ms "
        f"max={max(sweeps) * 1000:.0f} ms"
    )
    print(
        f"  node taken off the network -> published down ({len(deaths)} times): "
        f"median={statistics.median(deaths):.1f} s max={max(deaths):.1f} s "
        f"(poll interval {monitor.interval_s:g} s, damping {monitor.damping})"
    )
    print(
        f"  node back on the network -> published ok: median={statistics.median(recoveries):.1f} s "
        f"max={max(recoveries):.1f} s (polls of a down node back off to at most 15 s)"
    )


async def _until(condition: Callable[[], bool], limit_s: float) -> None:
    async with asyncio.timeout(limit_s):
        while not condition():  # noqa: ASYNC110 - the monitor offers no event per probe
            await asyncio.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=16)
    parser.add_argument("--sweeps", type=int, default=10)
    parser.add_argument("--address", default="127.0.7.10", help="the cluster's first address")
    parser.add_argument("--deaths", type=int, default=3, help="times the node is taken down")
    parser.add_argument("--seed", type=int, default=23)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
