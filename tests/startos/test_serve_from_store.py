"""A store filled with the simulated cluster's nodes, turned into environment by the
package's own env.ts (as main.ts does), starts ``spark-control serve`` against it."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from spark_control.plugins import load_plugins
from spark_control.sim import SimCluster
from spark_control.sim.registry import collect_simulation
from tests.startos.envcheck import ROOT, clean_environ, package_env

# This module's loopback range (127.0.7.0/24).
BASE_ADDRESS = "127.0.7.1"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    pm, _ = load_plugins(None, {}, {})
    with SimCluster(
        tmp_path_factory.mktemp("startos-sim"),
        registry=collect_simulation(pm),
        base_address=BASE_ADDRESS,
    ) as sim:
        yield sim


def store_for(cluster: SimCluster) -> dict[str, Any]:
    """What "Configure Sparks" would save for the simulated cluster."""
    return {
        "nodes": [
            {"address": n.address, "user": n.user, "port": n.ssh_port}
            for n in cluster.nodes.values()
        ],
        # The simulated nodes authorize their users' keys, not a gateway-generated one.
        "sshKeyPath": str(cluster.head.key_path),
        "disabledServices": [],
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def serving(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "spark_control.cli", "serve"],
            env=clean_environ(env),
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(check: Any, timeout: float, process: subprocess.Popen[bytes], log: Path) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        assert process.poll() is None, f"serve exited:\n{log.read_text()}"
        try:
            last = check()
            if last:
                return last
        except httpx.HTTPError as exc:
            last = exc
        time.sleep(0.2)
    raise AssertionError(f"timed out; last: {last!r}\n{log.read_text()[-3000:]}")


@pytest.mark.slow
def test_the_store_env_serves_the_simulated_cluster(
    cluster: SimCluster, env_tool: Path, tmp_path: Path
) -> None:
    port = free_port()
    env = package_env(env_tool, store_for(cluster), {"hostnames": ["127.0.0.1"], "origins": []})
    # Only what differs between the container and a test run: where data lives and which
    # address the gateway binds (the container binds 0.0.0.0 on 9999); a fast poll.
    env.update(
        SPARK_CONTROL__GATEWAY__DATA_DIR=str(tmp_path / "data"),
        SPARK_CONTROL__GATEWAY__HOST="127.0.0.1",
        SPARK_CONTROL__GATEWAY__PORT=str(port),
        SPARK_CONTROL__HEALTH__INTERVAL_S="0.5",
    )
    log = tmp_path / "serve.log"
    url = f"http://127.0.0.1:{port}"
    with serving(env, log) as process, httpx.Client(base_url=url, trust_env=False) as client:

        def healthy() -> bool:
            return client.get("/health").json() == {"status": "ok"}

        def nodes_ok() -> list[dict[str, Any]] | None:
            nodes: list[dict[str, Any]] = client.get("/api/nodes").json()
            return nodes if nodes and all(n["state"] == "ok" for n in nodes) else None

        wait_for(healthy, 60, process, log)
        nodes = wait_for(nodes_ok, 60, process, log)

    expected = {
        f"spark-{i}": (n.address, n.user, n.ssh_port)
        for i, n in enumerate(cluster.nodes.values(), start=1)
    }
    assert {n["name"]: (n["address"], n["user"], n["port"]) for n in nodes} == expected
    assert all(n["address"].startswith("127.0.7.") for n in nodes)
    assert os.path.isdir(tmp_path / "data")
