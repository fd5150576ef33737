"""Fixtures for the simulator tests: one simulated cluster for the whole folder, and a
fresh gateway-side SSH executor per test."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from spark_control.plugins import new_manager
from spark_control.sim import SimCluster
from spark_control.sim.registry import collect_simulation
from spark_control.ssh import (
    CommandResult,
    HostKeyStore,
    RemoteCommand,
    SSHExecutor,
    Target,
    arg,
    const,
)
from tests.sim.fakes import FakesPlugin, free_port

BASE_ADDRESS = "127.0.0.10"


@pytest.fixture(scope="session")
def service_port() -> int:
    return free_port(BASE_ADDRESS)


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory, service_port: int) -> Iterator[SimCluster]:
    pm = new_manager()
    pm.register(FakesPlugin(service_port), name="fakes")
    sim = SimCluster(
        tmp_path_factory.mktemp("sim"),
        registry=collect_simulation(pm),
        base_address=BASE_ADDRESS,
    )
    with sim:
        yield sim


def target(cluster: SimCluster, name: str = "spark-1") -> Target:
    node = cluster.nodes[name]
    return Target(node.name, node.address, node.user, node.key_path, node.ssh_port)


class Shell:
    """Runs builder-made commands on simulated nodes through the gateway's executor."""

    def __init__(self, cluster: SimCluster, executor: SSHExecutor) -> None:
        self.cluster = cluster
        self.executor = executor

    async def run(self, *words: Any, node: str = "spark-1", timeout: float = 15) -> CommandResult:
        return await self.executor.run(
            target(self.cluster, node), RemoteCommand(*words), timeout=timeout
        )

    async def docker(self, *words: Any, node: str = "spark-1") -> CommandResult:
        return await self.run("docker", *words, node=node)

    async def inspect(self, name: str, node: str = "spark-1") -> dict[str, Any]:
        result = await self.docker("inspect", arg.container(name), node=node)
        assert result.exit_status == 0, result.stderr
        found = json.loads(result.stdout)
        assert len(found) == 1
        return dict(found[0])

    async def state(self, name: str, node: str = "spark-1") -> str:
        fmt = const("{{.State.Status}} {{.State.ExitCode}}")
        result = await self.docker("inspect", "-f", fmt, arg.container(name), node=node)
        return result.stdout.strip()

    async def start_web(self, name: str, port: int, image: str = "sim/web:1") -> str:
        result = await self.docker(
            "run", "-d", "--name", arg.container(name), "-e", f"PORT={port}", image
        )
        assert result.exit_status == 0, result.stderr
        return result.stdout.strip()


@pytest.fixture
async def shell(cluster: SimCluster, tmp_path: Path) -> AsyncIterator[Shell]:
    executor = SSHExecutor(
        host_keys=HostKeyStore(tmp_path / "known_hosts"), connect_timeout=5, command_timeout=15
    )
    yield Shell(cluster, executor)
    await executor.close()


async def until(condition: Callable[[], Any], timeout: float = 5.0, step: float = 0.02) -> Any:
    """Poll ``condition`` (sync or async) until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(step)


def process_alive(pid: int) -> bool:
    """Whether ``pid`` runs; a zombie waiting to be reaped counts as ended."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return fields[0] != "Z"


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes in process group ``pgid``."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command name: state, ppid, pgrp.
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members
