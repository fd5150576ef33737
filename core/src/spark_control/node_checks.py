"""``spark-control nodes check``: each node's prerequisites, the core's and the plugins'.

The core checks what every plugin relies on (SSH, docker without sudo, the GPU tool,
the memory view, free disk); plugins add theirs through ``spark_node_checks``. Every
check runs concurrently under its own timeout, and a failure says what to fix.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spark_control.contrib import CheckResult, NodeCheck
from spark_control.node_facts import _path, parse_df, parse_meminfo
from spark_control.ssh import RemoteCommand, arg

if TYPE_CHECKING:
    from spark_control.gateway import Gateway
    from spark_control.host import Host
    from spark_control.topology import Node

CHECK_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class CheckRow:
    node: str
    check: str
    owner: str
    ok: bool
    detail: str


async def check_ssh(host: Host, node: Node) -> CheckResult:
    result = await host.ssh.run(node, RemoteCommand("true"), observe=True)
    return CheckResult(result.ok, f"ssh {node.user}@{node.address}:{node.port} works")


async def check_docker(host: Host, node: Node) -> CheckResult:
    result = await host.ssh.run(node, RemoteCommand("docker", "info"), observe=True)
    if result.ok:
        return CheckResult(True, "docker answers without sudo")
    why = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
    return CheckResult(
        False,
        f"docker is not usable by {node.user} without sudo ({why[0][:160]}); "
        f"add the user to the docker group",
    )


async def check_gpu(host: Host, node: Node) -> CheckResult:
    result = await host.ssh.run(node, RemoteCommand("nvidia-smi", "-L"), observe=True)
    if result.ok and result.stdout.strip():
        return CheckResult(True, result.stdout.strip().splitlines()[0])
    return CheckResult(False, "nvidia-smi is missing or lists no GPU")


async def check_memory_view(host: Host, node: Node) -> CheckResult:
    path = arg.path(f"{node.proc_root.rstrip('/')}/meminfo", "proc_root")
    result = await host.ssh.run(node, RemoteCommand("cat", path), observe=True)
    memory = parse_meminfo(result.stdout) if result.ok else None
    if memory is None:
        return CheckResult(False, f"cannot read {node.proc_root}/meminfo")
    return CheckResult(True, f"{memory.available_bytes / 2**30:.1f} GiB available")


def check_disk(min_free_gb: float) -> NodeCheck:
    async def check(host: Host, node: Node) -> CheckResult:
        result = await host.ssh.run(
            node, RemoteCommand("df", "-P", "-k", _path(node.disk_path, "disk_path")), observe=True
        )
        disk = parse_df(result.stdout, node.disk_path) if result.ok else None
        if disk is None:
            return CheckResult(False, f"cannot read free space of {node.disk_path}")
        free_gb = disk.free_bytes / 2**30
        ok = free_gb >= min_free_gb
        need = "" if ok else f", below the {min_free_gb:g} GiB minimum"
        return CheckResult(ok, f"{free_gb:.1f} GiB free on {node.disk_path}{need}")

    return check


def core_checks(host: Host) -> list[tuple[str, NodeCheck]]:
    return [
        ("ssh", check_ssh),
        ("docker", check_docker),
        ("gpu", check_gpu),
        ("memory", check_memory_view),
        ("disk", check_disk(host.settings.health.min_free_disk_gb)),
    ]


async def run_node_checks(gateway: Gateway) -> list[CheckRow]:
    """Every check on every node, concurrently; the order of the rows is stable: the
    core's (its ``core.nodes`` default plugin registers :func:`core_checks`) first."""
    host = gateway.host
    checks = [
        (plugin, name, fn)
        for plugin, contribution in gateway.contributions.items()
        for name, fn in contribution.checks
    ]
    jobs = [
        (node, owner, name, fn)
        for node in host.topology.nodes.values()
        for owner, name, fn in checks
    ]
    results = await asyncio.gather(*(_one(host, node, fn) for node, _, _, fn in jobs))
    return [
        CheckRow(node.name, name, owner, result.ok, result.detail)
        for (node, owner, name, _), result in zip(jobs, results, strict=True)
    ]


async def _one(host: Host, node: Node, check: NodeCheck) -> CheckResult:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_S):
            result: CheckResult = await check(host, node)
            return result
    except TimeoutError:
        return CheckResult(False, f"no answer within {CHECK_TIMEOUT_S:g} s")
    except Exception as exc:
        return CheckResult(False, str(exc) or type(exc).__name__)
