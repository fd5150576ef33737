"""A 16-node simulated cluster: one full health sweep, and how soon a dead node is seen.

Starts 16 simulated nodes (real SSH servers on loopback) and a core-only gateway on
them with the default health settings (5 s interval, damping 2). Times ``--sweeps``
full deep sweeps (every probe at once, as ``GET /api/health?deep=true`` runs them),
then takes one node off the network and times until its probe is published down
(the ``health.changed`` event). Loopback only; stops what it started. Run it inside a
private netns:

  /work/bin/netns-run uv run python bench/control/bench_health.py
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
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
            events = gw.host.events.subscribe()
            await asyncio.sleep(1)  # the damping of the deep runs' results settles
            asked = time.monotonic()
            await asyncio.to_thread(cluster.set_node_down, victim, True)
            died = time.monotonic()  # the simulator has cut the node off
            async with asyncio.timeout(120):
                async for event in events:
                    data = event.data
                    if os.environ.get("BENCH_DEBUG"):
                        print(round(time.monotonic() - died, 1), event.type, str(data)[:150])
                    if (
                        event.type == "health.changed"
                        and data.get("probe") == f"node:{victim}"
                        and data.get("state") == "down"
                    ):
                        break
            detected = time.monotonic() - died
            await events.__aexit__(None, None, None)
    load = os.getloadavg()
    print(f"health: {args.nodes} simulated nodes, {len(results)} probes ({', '.join(states)})")
    print(f"  load average (1/5 min): {load[0]:.1f} / {load[1]:.1f} on {os.cpu_count()} cores")
    print(
        f"  full deep sweep: runs={len(sweeps)} median={statistics.median(sweeps) * 1000:.0f} ms "
        f"max={max(sweeps) * 1000:.0f} ms"
    )
    print(
        f"  node taken off the network -> published down: {detected:.1f} s "
        f"(taking it off took {died - asked:.1f} s; a probe may already have run then)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=16)
    parser.add_argument("--sweeps", type=int, default=10)
    parser.add_argument("--address", default="127.0.7.10", help="the cluster's first address")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
