"""``spark-control demo --engine docker``: the demo's nodes on real engines, whose
containers a newcomer can list with ``docker ps``; everything stops with the demo."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from spark_control.sim.engine import docker_cli, leftover_daemons

pytestmark = pytest.mark.engine


def test_demo_on_real_engines_shows_containers_in_docker_ps_and_stops_them(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "demo"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPARK")}
    argv = [sys.executable, "-m", "spark_control.cli", "demo", "--engine", "docker"]
    process = subprocess.Popen(
        [*argv, "--port", "0", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        url, hosts = None, {}
        deadline = time.monotonic() + 90
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            assert line, "the demo exited before printing its URL"
            for node, host in re.findall(r"(\S+)'s engine: DOCKER_HOST=(\S+) docker ps", line):
                hosts[node] = host
            match = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
            url = match.group(1) if match else None
        assert url is not None and set(hosts) == {"spark-1", "spark-2"}
        with httpx.Client(base_url=url, trust_env=False, timeout=10) as client:
            while time.monotonic() < deadline:
                nodes = client.get("/api/nodes").json()
                if all(n["state"] == "ok" for n in nodes):
                    break
                time.sleep(0.2)
            assert [n["state"] for n in nodes] == ["ok", "ok"]
        # The services start beside the gateway: wait for them rather than race them.
        listed: list[str] = []
        while "matrix-bridge-bot" not in listed and time.monotonic() < deadline:
            listed = subprocess.run(
                [docker_cli() or "docker", "-H", hosts["spark-1"], "ps", "--format", "{{.Names}}"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            time.sleep(0.2)
        # The demo's bot and the speech and embedding backends are real containers.
        assert "matrix-bridge-bot" in listed, listed
        assert len(listed) >= 3, listed
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 130
        output = process.stdout.read()
        assert "Traceback" not in output, output
        assert leftover_daemons(str(data_dir)) == [], "a node's dockerd outlived the demo"
    finally:
        # On a failed assertion the demo is still up: stop it by its clean path (SIGTERM),
        # so its engines go too; SIGKILL would orphan them with their mounts.
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for pid in leftover_daemons(str(data_dir)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
