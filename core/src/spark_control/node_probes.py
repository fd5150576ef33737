"""The core's own probe per node: can the gateway run a command there over SSH?"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spark_control.health import HealthState, Probe, ProbeResult
from spark_control.ssh import RemoteCommand

if TYPE_CHECKING:
    from spark_control.host import Host
    from spark_control.topology import Node


def ssh_probes(host: Host) -> list[Probe]:
    return [_ssh_probe(host, node) for node in host.topology.nodes.values()]


def _ssh_probe(host: Host, node: Node) -> Probe:
    async def check() -> ProbeResult:
        # Only reads: every replica probes, so each dashboard shows the nodes.
        result = await host.ssh.run(node, RemoteCommand("true"), observe=True)
        if result.exit_status != 0:
            return ProbeResult(HealthState.DOWN, f"'true' exited {result.exit_status}")
        return ProbeResult(HealthState.OK, f"ssh {node.user}@{node.address}:{node.port}")

    return Probe(name=f"node:{node.name}", check=check, node=node.name, owner="core")
