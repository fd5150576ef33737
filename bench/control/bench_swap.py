"""Swap overhead, and the first token of a request that arrives during a swap.

Starts the simulated two-node cluster (real SSH servers on loopback, the simulated
vLLM as a real process) and a gateway with the vllm plugin on it, makes each
``vllm serve`` take ``--load-s`` seconds to become ready, then swaps between two
catalog models ``--swaps`` times. Per swap it records the time from ``POST /api/vllm/swap``
to the ``vllm.swap_complete`` event, minus the engine's own load time: the gateway's
overhead, split by the swap's phase events (stopping, preflight, launching, then the
engine's loading phases, checking). During every swap, ``--during-at`` seconds after
the POST, a streamed chat completion naming the new model goes through the proxy; its
time to first token is set against the rest of the swap (the request is held, then
served). Loopback only; stops what it started. Run it inside a private netns:

  bench/netns-run uv run python bench/control/bench_swap.py --swaps 20
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from spark_control.plugins import new_manager
from spark_control.sim import SimCluster
from spark_control.sim.registry import collect_simulation
from spark_control.testing import make_config, running_gateway
from spark_control_vllm.plugin import VllmPlugin
from spark_control_vllm.sim import set_vllm_load_time

MODELS = ("llama-3.1-8b-instruct", "gpt-oss-20b")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def first_token(url: str, model: str) -> tuple[float, int]:
    """Seconds to the first streamed byte of a chat completion, and its status."""
    started = time.monotonic()
    async with (
        httpx.AsyncClient(timeout=120, trust_env=False) as client,
        client.stream(
            "POST",
            url + "/v1/chat/completions",
            json={
                "model": model,
                "stream": True,
                "max_tokens": 4,
                "messages": [{"role": "user", "content": "hi"}],
            },
        ) as response,
    ):
        async for _ in response.aiter_raw():
            return time.monotonic() - started, response.status_code
        return time.monotonic() - started, response.status_code


async def run(args: argparse.Namespace) -> None:
    pm = new_manager()
    pm.register(VllmPlugin, name="vllm")
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
            },
        )
        async with running_gateway(config) as gw:
            set_vllm_load_time(cluster, "spark-1", args.load_s)
            events = gw.host.events.subscribe()
            overheads: list[float] = []
            phases: dict[str, list[float]] = {}
            held: list[tuple[float, float, int]] = []
            for i in range(args.swaps + 1):
                model = MODELS[i % 2]
                posted = time.time()
                answer = await gw.client.post(
                    "/api/vllm/swap", json={"model": model}, headers={"X-Actor": "Alice"}
                )
                if answer.status_code >= 300:
                    sys.exit(f"swap {i} refused: {answer.status_code} {answer.text}")
                swap_id = answer.json()["id"]
                probe = None
                if i > 0:  # the first swap loads from nothing: not counted
                    await asyncio.sleep(args.during_at)
                    probe = asyncio.create_task(first_token(gw.url, model))
                marks: list[tuple[str, float]] = [("post", posted)]
                async with asyncio.timeout(args.load_s + 120):
                    async for event in events:
                        if event.data.get("swap_id") != swap_id:
                            continue
                        if event.type == "vllm.swap_phase":
                            marks.append((event.data["phase"], event.time))
                        elif event.type == "vllm.swap_complete":
                            marks.append(("complete", event.time))
                            break
                        elif event.type in ("vllm.swap_failed", "vllm.swap_rolled_back"):
                            sys.exit(f"swap {i} failed: {event.data}")
                done = marks[-1][1]
                if probe is not None:
                    ttft, status = await probe
                    arrived = posted + args.during_at
                    held.append((ttft, done - arrived, status))
                if i == 0:
                    continue
                overheads.append(done - posted - args.load_s)
                # Time spent in each phase (up to the next phase event).
                for (name, at), (_, until) in itertools.pairwise(marks):
                    phases.setdefault(name, []).append(until - at)
                if args.each:
                    steps = " ".join(
                        f"{name}={(until - at) * 1000:.0f}"
                        for (name, at), (_, until) in itertools.pairwise(marks)
                    )
                    print(f"  swap {i} to {model}: overhead={overheads[-1] * 1000:.0f} ms {steps}")
            await events.__aexit__(None, None, None)
    load = os.getloadavg()
    print(f"swap overhead, {args.swaps} swaps, engine load time {args.load_s:g} s")
    print(f"  load average (1/5 min): {load[0]:.1f} / {load[1]:.1f} on {os.cpu_count()} cores")
    print(
        f"  POST to ready minus load time: p50={statistics.median(overheads) * 1000:.0f} ms "
        f"p95={pct(overheads, 0.95) * 1000:.0f} ms max={max(overheads) * 1000:.0f} ms"
    )
    print("  where the time goes (median per swap, ms; 'loading' phases include the engine's):")
    for name, values in phases.items():
        print(
            f"    {name:<12} p50={statistics.median(values) * 1000:8.0f}  "
            f"p95={pct(values, 0.95) * 1000:8.0f}"
        )
    ttfts = [h[0] for h in held]
    rest = [h[1] for h in held]
    extra = [h[0] - h[1] for h in held]
    print(f"  request arriving {args.during_at:g} s into a swap, streamed, through the proxy:")
    print(f"    statuses: {sorted({h[2] for h in held})}")
    print(
        f"    time to first token p50={statistics.median(ttfts) * 1000:.0f} ms, "
        f"rest of the swap p50={statistics.median(rest) * 1000:.0f} ms, "
        f"first token after the swap's end p50={statistics.median(extra) * 1000:.0f} ms "
        f"p95={pct(extra, 0.95) * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--swaps", type=int, default=20)
    parser.add_argument("--load-s", type=float, default=2.0, help="the engine's own load time")
    parser.add_argument("--during-at", type=float, default=0.3)
    parser.add_argument("--each", action="store_true", help="print each swap's phases (ms)")
    parser.add_argument("--address", default="127.0.6.10", help="the cluster's first address")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
