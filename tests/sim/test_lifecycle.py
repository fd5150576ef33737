"""Starting and stopping simulated clusters: nothing is left running, restarts keep
addresses and host keys, and the single-address fallback works."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from spark_control import hookimpl
from spark_control.plugins import new_manager
from spark_control.settings import NodeSettings
from spark_control.sim import SimCluster
from spark_control.sim.registry import CORE_COMMANDS, SimConflict, collect_simulation
from spark_control.sim.standins import SCRIPTS
from spark_control.ssh import HostKeyStore, RemoteCommand, SSHExecutor, arg
from tests.sim.conftest import process_alive, target
from tests.sim.fakes import FakesPlugin, free_port

ADDRESS = "127.0.0.40"


def _cluster(root: Path, **options: object) -> SimCluster:
    pm = new_manager()
    pm.register(FakesPlugin(free_port("127.0.0.1")), name="fakes")
    return SimCluster(root, registry=collect_simulation(pm), **options)  # type: ignore[arg-type]


def _carrying(socket_path: Path) -> list[int]:
    """Live processes whose environment names this cluster's controller socket."""
    marker = f"SPARK_SIM_SOCKET={socket_path}\0".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environ = (entry / "environ").read_bytes()
            except OSError:
                continue
            if marker in environ and process_alive(int(entry.name)):
                found.append(int(entry.name))
    return found


async def test_start_stop_twice_leaves_nothing_and_keeps_host_keys(tmp_path: Path) -> None:
    cluster = _cluster(tmp_path / "c", base_address=ADDRESS)
    executor = SSHExecutor(host_keys=HostKeyStore(tmp_path / "known_hosts"), connect_timeout=5)
    try:
        cluster.start()
        ports = {name: node.ssh_port for name, node in cluster.nodes.items()}
        head = target(cluster)
        run = RemoteCommand("docker", "run", "-d", "--name", "life", "-e", "PORT=1", "sim/web:1")
        assert (await executor.run(head, run)).ok
        pid = cluster.container("spark-1", "life")["State"]["Pid"]  # type: ignore[index]
        assert process_alive(pid)
        log = arg.path(str(tmp_path / "detached.log"))
        detached = await executor.run(head, RemoteCommand("sleep", "30").detached(log))
        sleeper = int(detached.stdout.strip())
        assert process_alive(sleeper)
        socket_path = cluster.socket_path
        cluster.stop()

        assert not process_alive(pid) and not process_alive(sleeper)
        assert _carrying(socket_path) == []
        assert not socket_path.exists()

        cluster.start()
        # Same ports and host keys: the gateway's pins still hold (no HostKeyChanged).
        assert {name: node.ssh_port for name, node in cluster.nodes.items()} == ports
        again = await executor.run(target(cluster, "spark-2"), RemoteCommand("hostname"))
        assert again.stdout == "spark-2\n"
        listed = await executor.run(head, RemoteCommand("docker", "ps", "-aq"))
        assert listed.stdout == ""  # container state does not survive a restart
    finally:
        cluster.stop()
        await executor.close()
    assert _carrying(cluster.socket_path) == []

    with _cluster(tmp_path / "c", base_address=ADDRESS) as second:
        assert (tmp_path / "c" / "nodes" / "spark-1" / "proc" / "meminfo").exists()
        assert second.nodes["spark-1"].key_path == tmp_path / "c" / "keys" / "alice_ed25519"


async def test_single_address_fallback_uses_distinct_ports(tmp_path: Path) -> None:
    executor = SSHExecutor(host_keys=HostKeyStore(tmp_path / "known_hosts"), connect_timeout=5)
    with _cluster(tmp_path / "f", fallback_single_address=True) as cluster:
        config = cluster.topology_config()
        assert {n["address"] for n in config.values()} == {"127.0.0.1"}
        assert config["spark-1"]["port"] != config["spark-2"]["port"]
        try:
            hop = await executor.run(
                target(cluster), RemoteCommand("ssh", arg.host("spark-2"), "hostname")
            )
            assert hop.stdout == "spark-2\n"
        finally:
            await executor.close()


def test_topology_config_is_valid_gateway_node_settings(tmp_path: Path) -> None:
    with _cluster(tmp_path / "t", base_address=ADDRESS) as cluster:
        config = cluster.topology_config()
    nodes = {name: NodeSettings.model_validate(entry) for name, entry in config.items()}
    assert list(nodes) == ["spark-1", "spark-2"]
    assert nodes["spark-1"].labels == ["head"] and nodes["spark-2"].labels == ["worker"]
    assert nodes["spark-2"].proc_root == str(tmp_path / "t" / "nodes" / "spark-2" / "proc")
    assert nodes["spark-1"].key_path == tmp_path / "t" / "keys" / "alice_ed25519"


def test_plugins_cannot_replace_the_core_stand_ins() -> None:
    assert set(SCRIPTS) | {"hostname"} == CORE_COMMANDS

    class Hijack:
        @hookimpl
        def spark_sim(self, sim: Any) -> None:
            sim.command("docker", "#!/bin/sh\necho not docker\n")

    pm = new_manager()
    pm.register(Hijack(), name="hijack")
    with pytest.raises(SimConflict, match="core's stand-in"):
        collect_simulation(pm)
