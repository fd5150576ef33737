"""Node cards and node checks against the simulated cluster, over real SSH."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spark_control import hookimpl
from spark_control.contrib import CheckResult
from spark_control.gateway import Gateway
from spark_control.node_checks import run_node_checks
from spark_control.plugins import new_manager
from spark_control.settings import write_config
from spark_control.sim import ContainerContext, ProcessSpec, SimCluster
from spark_control.sim.registry import SimRegistrar, collect_simulation
from spark_control.ssh import RemoteCommand
from spark_control.testing import RunningGateway, running_gateway
from tests.core.distributions import install_plugin_distribution
from tests.core.helpers import core_config

MODEL_IMAGE = "example/llm:*"
MODEL_MEMORY_GB = 40


def start_idle(ctx: ContainerContext) -> ProcessSpec:
    return ProcessSpec([sys.executable, "-c", "import time; time.sleep(3600)"])


class ModelImage:
    @hookimpl
    def spark_sim(self, sim: SimRegistrar) -> None:
        sim.image(MODEL_IMAGE, start_idle, memory_gb=MODEL_MEMORY_GB)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    pm = new_manager()
    pm.register(ModelImage(), name="models")
    with SimCluster(
        tmp_path_factory.mktemp("sim"), registry=collect_simulation(pm), base_address="127.0.0.50"
    ) as sim:
        yield sim


async def test_spark_gateway_fixture_serves_node_cards_of_the_simulated_cluster(
    spark_gateway: RunningGateway,
) -> None:
    await spark_gateway.client.get("/api/health/deep")
    await spark_gateway.gateway.facts.refresh_all()
    nodes = {n["name"]: n for n in (await spark_gateway.client.get("/api/nodes")).json()}
    assert set(nodes) == {"spark-1", "spark-2"}
    for node in nodes.values():
        assert node["state"] == "ok"
        facts = node["facts"]
        assert facts["errors"] == []
        assert facts["gpu"]["name"] == "NVIDIA GB10"
        assert facts["gpu"]["memory_total_mib"] is None, "GB10 reports memory as [N/A]"
        assert facts["memory"]["source"] == "meminfo"
        assert facts["vpn"]["interface"] == "wg0"
        assert facts["uptime_s"] >= 0


async def test_memory_and_disk_facts_follow_what_runs_on_the_node(
    tmp_path: Path, cluster: SimCluster
) -> None:
    config = core_config(tmp_path, {"nodes": cluster.topology_config()})
    async with running_gateway(config) as gw:
        node = gw.host.topology.node("spark-1")
        before = await gw.gateway.facts.refresh(node)
        assert before.memory is not None

        run = RemoteCommand("docker", "run", "-d", "--name", "big", "example/llm:1")
        assert (await gw.host.ssh.run(node, run)).exit_status == 0
        try:
            during = await gw.gateway.facts.refresh(node)
            assert during.memory is not None
            used = before.memory.available_bytes - during.memory.available_bytes
            assert used == MODEL_MEMORY_GB * 2**30
        finally:
            await gw.host.ssh.run(node, RemoteCommand("docker", "rm", "-f", "big"))
        after = await gw.gateway.facts.refresh(node)
        assert after.memory == before.memory

        cluster.set_disk("spark-1", 2 * 2**40, 5 * 2**30)
        disk = (await gw.gateway.facts.refresh(node)).disk
        assert disk is not None and disk.free_bytes == 5 * 2**30
        cluster.set_disk("spark-1", 3_720_000_000_000, 3_100_000_000_000)


class LauncherCheck:
    @hookimpl
    def spark_node_checks(self, register: Any) -> None:
        async def launcher(host: Any, node: Any) -> CheckResult:
            found = await host.ssh.run(node, RemoteCommand("which", "launch-cluster.sh"))
            return CheckResult(found.ok, "present" if found.ok else "launch-cluster.sh not found")

        register("launcher", launcher)


async def test_node_checks_pass_the_core_and_name_a_missing_prerequisite(
    tmp_path: Path, cluster: SimCluster
) -> None:
    config = core_config(
        tmp_path,
        {"nodes": cluster.topology_config(), "health": {"min_free_disk_gb": 1}},
    )
    gateway = Gateway(config, extra_plugins={"launching": LauncherCheck()})
    async with gateway.app.router.lifespan_context(gateway.app):
        rows = await run_node_checks(gateway)
    by_check = {(r.node, r.check): r for r in rows}
    for node in ("spark-1", "spark-2"):
        for check in ("ssh", "docker", "gpu", "memory", "disk"):
            assert by_check[(node, check)].ok, by_check[(node, check)]
        launcher = by_check[(node, "launcher")]
        assert not launcher.ok and launcher.owner == "launching"
        assert launcher.detail == "launch-cluster.sh not found"


@pytest.mark.slow
def test_nodes_check_command_reports_each_check_and_fails_on_a_missing_one(
    tmp_path: Path, cluster: SimCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    install_plugin_distribution(
        site,
        monkeypatch,
        dist="spark-control-launching",
        module="spark_control_launching",
        source=(
            "from spark_control.api import CheckResult, Plugin, RemoteCommand, hookimpl\n\n"
            "class Launching(Plugin[None]):\n"
            "    @hookimpl\n"
            "    def spark_node_checks(self, register):\n"
            "        async def launcher(host, node):\n"
            "            r = await host.ssh.run(\n"
            "                node, RemoteCommand('which', 'launch-cluster.sh')\n"
            "            )\n"
            "            return CheckResult(r.ok, 'launch-cluster.sh not found')\n"
            "        register('launcher', launcher)\n"
        ),
        entry_points={"launching": "spark_control_launching:Launching"},
    )
    path = write_config(
        tmp_path / "c.yaml",
        {
            "gateway": {"data_dir": str(tmp_path / "data")},
            "nodes": cluster.topology_config(),
            "health": {"min_free_disk_gb": 1},
            "plugins": {"enabled": ["launching"]},
        },
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPARK")}
    result = subprocess.run(
        [sys.executable, "-m", "spark_control.cli", "nodes", "check", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**env, "PYTHONPATH": str(site)},
    )
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("ok") and "spark-2" in line and "docker" in line for line in lines)
    assert any(
        line.startswith("FAIL") and "launcher (launching)" in line and "not found" in line
        for line in lines
    )
    assert lines[-1] == "10 of 12 checks passed"
