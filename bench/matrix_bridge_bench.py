"""Benchmark of the matrix_bridge plugin against the simulated cluster (127.0.5.200).

Measures what the owner waits for: reading a bot's badge (``GET .../status``: one
``docker inspect`` over the pooled SSH connection of the bot's user), a Restart, and
a whole Update (fetch + fast-forward, build, restart) with one new upstream commit,
split into its phases as the events report them. The simulated build takes
milliseconds, so the Update figure is the gateway's and SSH's own overhead, not a real
``docker compose build``.

    uv run python bench/matrix_bridge_bench.py [--rounds 50] [--updates 5]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spark_control.testing import make_config, running_gateway  # noqa: E402
from spark_control_matrix_bridge.sim import push_upstream_commit  # noqa: E402
from tests.matrix_bridge.conftest import (  # noqa: E402
    BOT,
    BOT_USER,
    NODE,
    bot_config,
    finished,
    sim_cluster,
)


def summary(name: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"{name:<28} n={len(samples):<4} median {statistics.median(samples) * 1000:7.1f} ms"
        f"   p95 {p95 * 1000:7.1f} ms   max {max(samples) * 1000:7.1f} ms"
    )


async def bench(rounds: int, updates: int) -> None:
    with tempfile.TemporaryDirectory(prefix="mb-bench-") as tmp:
        root = Path(tmp)
        with sim_cluster(root / "sim", "127.0.5.200") as cluster:
            config = make_config(
                root / "gw",
                {
                    "nodes": cluster.topology_config(),
                    "plugins": {"enabled": ["matrix_bridge"]},
                    "matrix_bridge": bot_config(cluster),
                },
            )
            async with running_gateway(config) as gw:
                client = gw.client
                await client.get(f"/api/matrix_bridge/{BOT}/status")  # open the SSH pool
                status: list[float] = []
                for _ in range(rounds):
                    started = time.perf_counter()
                    response = await client.get(f"/api/matrix_bridge/{BOT}/status")
                    status.append(time.perf_counter() - started)
                    assert response.status_code == 200
                restart: list[float] = []
                for _ in range(max(3, rounds // 10)):
                    started = time.perf_counter()
                    response = await client.post(f"/api/matrix_bridge/{BOT}/restart")
                    restart.append(time.perf_counter() - started)
                    assert response.status_code == 200, response.text
                whole: list[float] = []
                phases: dict[str, list[float]] = {}
                for index in range(updates):
                    push_upstream_commit(cluster, NODE, BOT_USER, f"bench change {index}")
                    marks: list[tuple[str, float]] = []

                    async def listen(marks: list[tuple[str, float]] = marks) -> None:
                        async with gw.host.events.subscribe(None) as events:
                            async for event in events:
                                if event.type == "matrix_bridge.update_phase":
                                    marks.append((event.data["phase"], time.perf_counter()))
                                elif event.type in (
                                    "matrix_bridge.update_done",
                                    "matrix_bridge.update_failed",
                                ):
                                    marks.append(("end", time.perf_counter()))
                                    return

                    listener = asyncio.create_task(listen())
                    await asyncio.sleep(0.05)
                    started = time.perf_counter()
                    response = await client.post(f"/api/matrix_bridge/{BOT}/update")
                    assert response.status_code == 202, response.text
                    result = await finished(gw, timeout=120)
                    whole.append(time.perf_counter() - started)
                    await asyncio.wait_for(listener, 10)
                    assert result["state"] == "done", result
                    for (phase, at), (_, after) in itertools.pairwise(marks):
                        phases.setdefault(phase, []).append(after - at)
    print(summary("status (docker inspect)", status))
    print(summary("restart + fresh status", restart))
    print(summary("update, one new commit", whole))
    for phase, samples in phases.items():
        print(summary(f"  phase {phase}", samples))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--updates", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(bench(args.rounds, args.updates))


if __name__ == "__main__":
    main()
