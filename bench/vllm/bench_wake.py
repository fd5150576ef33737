"""Wake from sleep against a cold start, on the simulated cluster (issue 25).

Starts the simulated two-node cluster (real SSH servers on loopback, the vLLM stand-in
as a real process) and, per sleep level, a gateway with ``sleep_mode`` on, a short
``ttl_s`` and on-demand swaps. Each run then times two requests through the
proxy, from sending to the whole (one-token) answer:

- cold: vLLM is stopped; the request starts the model (an on-demand swap: stop,
  pre-flight, launch, the engine's load, readiness) and is held until it answers;
- wake: the model fell asleep after the TTL; the request wakes it (level 1: one
  ``/wake_up``; level 2: wake the weights, ``reload_weights``, wake the KV cache) and
  is held until it answers.

The stand-in's load takes ``--load-s`` seconds (``set_vllm_load_time``) and its sleep
and wake take their share of a real GB10's times on the same scale, so the ratio
between the two is what a real node would show; the gateway's own overhead is real.
Loopback only; stops what it started. Run it inside a private netns:

  bench/netns-run uv run python bench/vllm/bench_wake.py --runs 5
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from spark_control.plugins import new_manager
from spark_control.sim import SimCluster
from spark_control.sim.registry import collect_simulation
from spark_control.testing import RunningGateway, make_config, running_gateway
from spark_control_vllm.plugin import VllmPlugin
from spark_control_vllm.sim import set_vllm_load_time

MODEL = "llama-3.1-8b-instruct"


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(math.ceil(q * len(ordered)) - 1, 0)]


async def answered(client: httpx.AsyncClient) -> float:
    """Seconds from sending a one-token chat completion to its whole answer."""
    started = time.monotonic()
    response = await client.post(
        "/v1/chat/completions",
        json={"model": MODEL, "max_tokens": 1, "messages": [{"role": "user", "content": "hi"}]},
    )
    took = time.monotonic() - started
    if response.status_code != 200:
        sys.exit(f"the request failed: {response.status_code} {response.text}")
    return took


async def until_asleep(gw: RunningGateway, level: int, limit_s: float) -> None:
    deadline = time.monotonic() + limit_s
    while (await gw.client.get("/api/vllm/swap")).json()["idle"]["sleeping"] != level:
        if time.monotonic() > deadline:
            sys.exit(f"the model did not fall asleep within {limit_s:g} s")
        await asyncio.sleep(0.05)


async def one_level(
    cluster: SimCluster, root: Path, level: int, args: argparse.Namespace
) -> dict[str, Any]:
    config = make_config(
        root / f"level-{level}",
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["vllm"]},
            "gateway": {"access_log": "off"},
            "vllm": {
                "ttl_s": args.ttl_s,
                "sleep_mode": True,
                "sleep_level": level,
                "load_deadline_s": 120,
                "proxy": {"on_demand_swap": True, "min_residency_s": 0},
            },
        },
    )
    cold: list[float] = []
    wake: list[float] = []
    woke_in: list[float] = []
    async with (
        running_gateway(config) as gw,
        httpx.AsyncClient(base_url=gw.url, timeout=300, trust_env=False) as client,
    ):
        set_vllm_load_time(cluster, "spark-1", args.load_s)
        for _ in range(args.runs):
            stopped = await gw.client.post("/api/vllm/stop")
            if stopped.status_code != 200:
                sys.exit(f"stop failed: {stopped.text}")
            cold.append(await answered(client))
            await until_asleep(gw, level, args.ttl_s + 60)
            wake.append(await answered(client))
            woken = [e for e in gw.host.events.buffered() if e.type == "vllm.model_woken"]
            woke_in.append(woken[-1].data["took_s"])
        await gw.client.post("/api/vllm/stop")
    return {"level": level, "cold": cold, "wake": wake, "woke_in": woke_in}


def show(result: dict[str, Any]) -> None:
    def line(name: str, values: list[float]) -> str:
        return (
            f"    {name:<34} p50 {statistics.median(values):6.2f} s  "
            f"p90 {pct(values, 0.9):6.2f} s  max {max(values):6.2f} s"
        )

    cold, wake = result["cold"], result["wake"]
    print(f"  level {result['level']}, {len(cold)} runs:")
    print(line("cold start (on-demand swap)", cold))
    print(line("wake from sleep (request held)", wake))
    print(line("  of which the wake itself", result["woke_in"]))
    print(f"    wake / cold (p50): {statistics.median(wake) / statistics.median(cold):.1%}")


async def run(args: argparse.Namespace) -> None:
    pm = new_manager()
    pm.register(VllmPlugin, name="vllm")
    with (
        tempfile.TemporaryDirectory() as tmp,
        SimCluster(
            Path(tmp) / "sim", registry=collect_simulation(pm), base_address=args.address
        ) as cluster,
    ):
        results = [await one_level(cluster, Path(tmp), level, args) for level in args.levels]
    load = os.getloadavg()
    print(
        f"wake from sleep vs cold start, {MODEL}, engine load time {args.load_s:g} s, "
        f"idle TTL {args.ttl_s:g} s"
    )
    print(f"  load average (1/5 min): {load[0]:.1f} / {load[1]:.1f} on {os.cpu_count()} cores")
    for result in results:
        show(result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--load-s", type=float, default=4.0, help="the engine's own load time")
    parser.add_argument("--ttl-s", type=float, default=0.5, help="idle TTL before it sleeps")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 2], choices=[1, 2])
    parser.add_argument("--address", default="127.0.6.60", help="the cluster's first address")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
