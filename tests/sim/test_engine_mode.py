"""Engine mode (``SimCluster(engine="docker")``) against the stand-in, and its cleanup.

The differential runs one script of the docker commands the gateway sends
(``docker_script.py``) against the stand-in and a real engine and compares exit
statuses and outputs; the cleanup test counts what is left after a cluster stops.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from spark_control.plugins import new_manager
from spark_control.sim import SimCluster, SimNodeSpec
from spark_control.sim.engine import STARTED_EXEC_ROOTS, leftover_daemons, mounts_under
from spark_control.sim.registry import collect_simulation
from spark_control.ssh import HostKeyStore, RemoteCommand, SSHExecutor, const
from tests.sim.conftest import target
from tests.sim.docker_script import SCRIPT, both_worlds, differences
from tests.sim.fakes import FakesPlugin, free_port

pytestmark = pytest.mark.engine


def test_the_gateways_docker_commands_answer_the_same_on_the_stand_in_and_the_engine(
    tmp_path: Path,
) -> None:
    stand_in, engine = both_worlds(tmp_path)
    assert len(stand_in) == len(engine) == len(SCRIPT)
    found = list(differences(stand_in, engine))
    assert found == [], "\n\n".join(found)


async def test_an_engine_cluster_leaves_no_daemon_container_or_socket_behind(
    tmp_path: Path,
) -> None:
    pm = new_manager()
    pm.register(FakesPlugin(free_port("127.0.9.30")), name="fakes")
    cluster = SimCluster(
        tmp_path / "sim",
        registry=collect_simulation(pm),
        base_address="127.0.9.30",
        nodes=[SimNodeSpec("spark-1", "head")],
        engine="docker",
    )
    executor = SSHExecutor(host_keys=HostKeyStore(tmp_path / "known_hosts"))
    started = len(STARTED_EXEC_ROOTS)
    with cluster:
        docker_host = cluster.engine_host("spark-1")
        assert docker_host is not None
        node = target(cluster)
        # The node's SSH sessions name its own engine.
        env = await executor.run(node, RemoteCommand("sh", "-c", const('echo "$DOCKER_HOST"')))
        assert env.stdout.strip() == docker_host
        run = RemoteCommand(
            "docker", "run", "-d", "--gpus", "all", "--name", "kept", "-e", "PORT=0", "sim/web:1"
        )
        assert (await executor.run(node, run)).exit_status == 0
        quick = RemoteCommand("docker", "run", "--name", "ended", "sim/echo:1", "bye", "0")
        assert (await executor.run(node, quick)).stdout == "bye\n"
        assert cluster.container("spark-1", "kept")["State"]["Running"] is True
        log = (cluster.nodes["spark-1"].sandbox / "node.log").read_text()
        assert "dropped --gpus all" in log
        await executor.close()
        sock = Path(docker_host.removeprefix("unix://"))
        data = cluster.nodes["spark-1"].sandbox / "engine" / "data"
        exec_roots = STARTED_EXEC_ROOTS[started:]
    assert exec_roots, "the cluster started no daemon"
    assert _left_behind(data, exec_roots, sock) == ([], [], False, [], [])


def _left_behind(
    data: Path, exec_roots: list[str], sock: Path
) -> tuple[list[int], list[str], bool, list[str], list[str]]:
    """Daemons (dockerd by its data root; containerd and shims by the exec root) still
    running, containers the daemon still keeps, whether its socket is still there,
    mounts left in the exec roots (dockerd leaves its netns file mounted) or the data
    root (containers' overlays), and exec roots still on disk."""
    daemons = leftover_daemons(str(data)) + [
        pid for root in exec_roots for pid in leftover_daemons(root)
    ]
    mounts = [m for root in [*exec_roots, str(data)] for m in mounts_under(root)]
    roots = [root for root in exec_roots if Path(root).exists()]
    return daemons, sorted(os.listdir(data / "containers")), sock.exists(), mounts, roots
