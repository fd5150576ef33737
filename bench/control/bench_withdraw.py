"""A head node that dies: how soon it is published down, and how soon after that the
gateway withdraws the model it served.

Starts the simulated cluster (real SSH servers on loopback, the simulated vLLM as a
real process) and a gateway with the vllm plugin and the **shipped** health settings
(5 s interval, damping 2), swaps to a model, then ``--deaths`` times, at a random
moment of the poll interval: takes the head node off the network (SSH refused) and
freezes its vLLM (SIGSTOP: connections are accepted by the kernel, nothing answers, as
with a hung or unplugged node). It times

- detection: from the cut to ``health.changed`` publishing ``node:spark-1`` down;
- withdrawal: from that event to ``vllm.state_changed`` saying vLLM is down (from then
  on the proxy answers requests for the model itself);
- a ``/v1/chat/completions`` request for the model sent right after the withdrawal:
  its status and how long it took (the proxy's read timeout toward a frozen node is
  600 s).

Then it thaws vLLM, puts the node back and waits for the model to be taken up again.
Loopback only; stops what it started. Run it inside a private netns:

  bench/netns-run uv run python bench/control/bench_withdraw.py --deaths 5
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from spark_control.plugins import new_manager
from spark_control.sim import SimCluster
from spark_control.sim.registry import collect_simulation
from spark_control.testing import make_config, running_gateway
from spark_control_vllm.plugin import VllmPlugin

MODEL, SERVED = "llama-3.1-8b-instruct", b"meta-llama/Llama-3.1-8B-Instruct"
NODE = "spark-1"


def vllm_pids(cluster: SimCluster) -> list[int]:
    """This cluster's ``vllm serve`` processes."""
    marker = f"SPARK_SIM_SOCKET={cluster.socket_path}\0".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker in environ and b"serve" in argv and SERVED in argv:
            found.append(int(entry.name))
    return found


async def both_events(events: Any, limit_s: float = 120) -> tuple[float, float]:
    """When the node was published down and when vLLM went down, in either order (its
    own probe may see it first)."""
    down = withdrawn = None
    async with asyncio.timeout(limit_s):
        async for event in events:
            if event.type == "health.changed" and event.data.get("probe") == f"node:{NODE}":
                if event.data.get("state") == "down":
                    down = event.time
            elif event.type == "vllm.state_changed" and event.data.get("state") == "down":
                withdrawn = event.time
            if down is not None and withdrawn is not None:
                return down, withdrawn
    raise RuntimeError("the event bus closed")


async def run(args: argparse.Namespace) -> None:
    pm = new_manager()
    pm.register(VllmPlugin, name="vllm")
    rng = random.Random(args.seed)  # noqa: S311 - spreads a timing, not a secret
    detections: list[float] = []
    withdrawals: list[float] = []
    requests: list[tuple[int, float, str]] = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        SimCluster(
            Path(tmp) / "sim", registry=collect_simulation(pm), base_address=args.address
        ) as cluster,
    ):
        config = make_config(
            Path(tmp),
            {
                "nodes": cluster.topology_config(),
                "plugins": {"enabled": ["vllm"]},
                "gateway": {"access_log": "off"},
                # The shipped health settings (make_config's are the tests' fast ones).
                "health": {"interval_s": 5.0, "probe_timeout_s": 3.0, "damping": 2},
            },
        )
        async with running_gateway(config) as gw:
            monitor = gw.gateway.health
            answer = await gw.client.post(
                "/api/vllm/swap", json={"model": MODEL}, headers={"X-Actor": "Alice"}
            )
            if answer.status_code >= 300:
                sys.exit(f"swap refused: {answer.status_code} {answer.text}")
            for _ in range(args.deaths):
                async with asyncio.timeout(180):
                    while not (  # noqa: ASYNC110 - polls the HTTP API as a client would
                        (await gw.client.get("/api/vllm/swap")).json()["state"] == "ready"
                        and monitor.snapshot()[f"node:{NODE}"].state.value == "ok"
                    ):
                        await asyncio.sleep(0.1)
                await asyncio.sleep(rng.uniform(0, monitor.interval_s))
                frozen = vllm_pids(cluster)
                if not frozen:
                    sys.exit("no vLLM process to freeze")
                async with gw.host.events.subscribe() as events:
                    await asyncio.to_thread(cluster.set_node_down, NODE, True)
                    for pid in frozen:
                        os.kill(pid, signal.SIGSTOP)
                    cut = time.time()
                    try:
                        down, withdrawn = await both_events(events)
                        detections.append(down - cut)
                        withdrawals.append(withdrawn - down)
                        sent = time.monotonic()
                        reply = await gw.client.post(
                            "/v1/chat/completions",
                            json={
                                "model": MODEL,
                                "max_tokens": 1,
                                "messages": [{"role": "user", "content": "hi"}],
                            },
                            timeout=60,
                        )
                        kind = reply.json().get("error", {}).get("type", "")
                        requests.append((reply.status_code, time.monotonic() - sent, kind))
                    finally:
                        for pid in frozen:
                            with contextlib.suppress(ProcessLookupError):
                                os.kill(pid, signal.SIGCONT)
                        await asyncio.to_thread(cluster.set_node_down, NODE, False)
    load = os.getloadavg()
    print(f"withdrawal: head node {NODE} dies {len(detections)} times (vllm plugin, {MODEL})")
    print(f"  load average (1/5 min): {load[0]:.1f} / {load[1]:.1f} on {os.cpu_count()} cores")
    print(
        f"  cut -> node published down: median={statistics.median(detections):.1f} s "
        f"max={max(detections):.1f} s (poll interval 5 s, damping 2)"
    )
    median, worst = statistics.median(withdrawals) * 1000, max(withdrawals) * 1000
    print(
        f"  published down -> model withdrawn: median={median:.0f} ms max={worst:.0f} ms "
        "(negative: vLLM's own probe saw it first)"
    )
    statuses = sorted({f"{s} {k}" for s, _, k in requests})
    took = [t for _, t, _ in requests]
    print(
        f"  a request for the model after the withdrawal: {', '.join(statuses)}; "
        f"answered in median={statistics.median(took) * 1000:.0f} ms max={max(took) * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deaths", type=int, default=5)
    parser.add_argument("--address", default="127.0.7.60", help="the cluster's first address")
    parser.add_argument("--seed", type=int, default=23)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
