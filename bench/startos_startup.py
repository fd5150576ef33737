"""How long the StartOS service takes from "start" to usable, on the simulated cluster.

Each run builds the daemon's environment from a store with the package's own env.ts
(as main.ts does), starts ``spark-control serve`` with it, and times two moments: the
first 200 from /health (what StartOS's health check waits for; the package gives it a
60 s grace period) and every node's SSH probe "ok" on /api/nodes (the dashboard usable).
Loopback only (127.0.7.0/24); ends by itself.

    uv run python bench/startos_startup.py [--runs 5]

Needs Node.js and the package's modules (cd startos && npm ci).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test suite's helpers build the env like main.ts

from spark_control.plugins import load_plugins  # noqa: E402
from spark_control.sim import SimCluster  # noqa: E402
from spark_control.sim.registry import collect_simulation  # noqa: E402
from tests.startos.envcheck import PACKAGE, build_env_tool, clean_environ, package_env  # noqa: E402
from tests.startos.test_serve_from_store import BASE_ADDRESS, free_port, store_for  # noqa: E402


def one_run(tool: Path, cluster: SimCluster, work: Path) -> tuple[float, float, float]:
    """(env build, /health up, all nodes ok) in seconds, from the start of the run."""
    started = time.perf_counter()
    env = package_env(tool, store_for(cluster), {"hostnames": ["127.0.0.1"], "origins": []})
    env_done = time.perf_counter() - started
    port = free_port()
    env.update(
        SPARK_CONTROL__GATEWAY__DATA_DIR=str(work / "data"),
        SPARK_CONTROL__GATEWAY__HOST="127.0.0.1",
        SPARK_CONTROL__GATEWAY__PORT=str(port),
        SPARK_CONTROL__HEALTH__INTERVAL_S="0.5",
    )
    launched = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "spark_control.cli", "serve"],
        env=clean_environ(env),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    health = nodes = None
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", trust_env=False) as client:
            deadline = launched + 120
            while nodes is None and time.perf_counter() < deadline:
                if process.poll() is not None:
                    raise RuntimeError("spark-control serve exited")
                try:
                    if health is None and client.get("/health").status_code == 200:
                        health = time.perf_counter() - launched
                    if health is not None:
                        listed = client.get("/api/nodes").json()
                        if listed and all(n["state"] == "ok" for n in listed):
                            nodes = time.perf_counter() - launched
                except httpx.HTTPError:
                    pass
                time.sleep(0.05)
    finally:
        process.terminate()
        process.wait(timeout=15)
    if health is None or nodes is None:
        raise RuntimeError("the gateway did not become ready within 120 s")
    return env_done, health, nodes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        tool = build_env_tool(PACKAGE, root / "tool")
        pm, _ = load_plugins(None, {}, {})
        with SimCluster(
            root / "sim", registry=collect_simulation(pm), base_address=BASE_ADDRESS
        ) as cluster:
            runs = [one_run(tool, cluster, root / f"run-{i}") for i in range(args.runs)]
    for label, index in (("env from store", 0), ("/health 200", 1), ("all nodes ok", 2)):
        values = sorted(r[index] for r in runs)
        print(
            f"{label:<15} median {statistics.median(values):6.2f} s   "
            f"max {values[-1]:6.2f} s   ({args.runs} runs)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
