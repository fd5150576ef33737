"""``spark-control demo`` as a user runs it: start, serve, Ctrl-C, and again."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from spark_control.app import Gateway
from spark_control.demo import DemoOptions, demo_cluster
from tests.core.distributions import install_plugin_distribution


def _run_demo_once(data_dir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPARK")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "spark_control.cli",
            "demo",
            "--port",
            "0",
            "--data-dir",
            str(data_dir),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        url = None
        ports: list[tuple[str, int]] = []
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            assert line, "the demo exited before printing its URL"
            ports += [(a, int(p)) for a, p in re.findall(r"at ([\d.]+):(\d+)", line)]
            match = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
            url = match.group(1) if match else None
        assert url is not None and len(ports) == 2
        with httpx.Client(base_url=url, trust_env=False, timeout=10) as client:
            while time.monotonic() < deadline:
                nodes = client.get("/api/nodes").json()
                if all(n["state"] == "ok" for n in nodes):
                    break
                time.sleep(0.2)
            assert [n["state"] for n in nodes] == ["ok", "ok"]
            assert "<html" in client.get("/").text.lower()
            refused = client.get("/api/nodes", headers={"Host": "spark.example"})
            assert refused.status_code == 400
            assert "--allow-host" in refused.json()["error"]["message"]
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 130  # stopped by Ctrl-C, after a clean shutdown
        output = process.stdout.read()
        assert "Traceback" not in output, output
        for address, port in ports:
            with socket.socket() as sock:
                assert sock.connect_ex((address, port)) != 0, "a simulated node outlived the demo"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.slow
def test_demo_command_runs_twice_in_a_row(tmp_path: Path) -> None:
    data_dir = tmp_path / "demo"
    _run_demo_once(data_dir)
    _run_demo_once(data_dir)


SAMPLER = """
from spark_control.api import Plugin, PluginSettings, hookimpl

class Settings(PluginSettings):
    sample_text: str = ""

class Sampler(Plugin[Settings]):
    settings_model = Settings

    @staticmethod
    @hookimpl
    def spark_sim(sim):
        sim.settings({"sample_text": "Alice emailed bob@example.com"})
"""


def test_demo_config_carries_the_settings_plugins_give_their_simulated_world(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_plugin_distribution(
        tmp_path / "site",
        monkeypatch,
        dist="spark-control-sampler",
        module="spark_control_sampler",
        source=SAMPLER,
        entry_points={"sampler": "spark_control_sampler:Sampler"},
    )
    with demo_cluster(DemoOptions(port=0, data_dir=tmp_path / "demo")) as (cluster, config):
        assert set(cluster.nodes) == {"spark-1", "spark-2"}
        gateway = Gateway(config)
        settings = gateway.host.plugin_settings("sampler")
        assert settings is not None
        assert settings.sample_text == "Alice emailed bob@example.com"
