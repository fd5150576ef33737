"""A core of the swap fault matrix again, on real docker engines.

The same test functions as ``test_swap_faults.py`` with this module's ``cluster``
(``engine="docker"``): the launcher stand-in's ``docker run -d --name ...`` makes a real
container (``--gpus`` dropped by the node's shim), vLLM runs in it through a real
``docker exec``, and stops, name conflicts and removals are the engine's. The whole
matrix in engine mode is ``test_engine_swap_full.py`` (slow).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from spark_control.sim import SimCluster
from spark_control.ssh import RemoteCommand
from tests.vllm import test_swap_faults
from tests.vllm.conftest import FIRST, SERVED, completion, sim_cluster
from tests.vllm.test_swap_faults import (  # noqa: F401 - collected again here
    _clean_switches,
    test_a_hung_load_fails_at_the_load_deadline_stops_the_launch_and_rolls_back,
    test_the_preflight_refuses_a_model_the_available_memory_cannot_hold,
    test_vllm_exiting_during_the_load_fails_with_its_traceback_and_rolls_back,
)
from tests.vllm.test_swap_two_nodes import (  # noqa: F401 - the worker's container is
    test_a_two_node_model_runs_on_both_nodes_and_stops_on_both,  # on spark-2's engine
)

pytestmark = [pytest.mark.asyncio, pytest.mark.engine]


@pytest.fixture(autouse=True)
def _engine_deadlines(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    # A load on a real engine adds a docker run and a docker exec (a few hundred ms,
    # seconds on a loaded machine): the stand-in's 3 s load deadline is too tight for
    # a load meant to succeed. The hung-load test is about the deadline, but its first
    # load and its rollback are meant to succeed under it too: 3 s was missed by a
    # healthy first load at load average 17, so it gets 10 (its hung load then fails
    # at 10 s, and the test reads the deadline it was given).
    deadline = 10 if "hung_load" in request.node.name else 15
    monkeypatch.setitem(test_swap_faults.FAST, "load_deadline_s", deadline)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    root = tmp_path_factory.mktemp("swap-engine")
    with sim_cluster(root, "127.0.0.140", engine="docker") as sim:
        yield sim


async def test_a_vllm_node_container_run_by_hand_before_does_not_kill_later_launches(
    tmp_path: Path, cluster: SimCluster
) -> None:
    # A ``vllm-node`` container run without the launcher's ``--entrypoint=`` runs the
    # image's own init, which locked a file to tell exec'd processes it is alive. Kept
    # in the node's folder under the container's name, that file outlived the container
    # unlocked, and every vLLM the launcher exec'd later took it for a dead init and
    # exited at once (137). Now it lives in the container's own /run.
    async with test_swap_faults.gateway(tmp_path, cluster) as gw:
        node = gw.host.topology.node("spark-1")
        run = RemoteCommand("docker", "run", "-d", "--name", "vllm_node", "vllm-node")
        assert (await gw.host.ssh.run(node, run)).exit_status == 0
        assert cluster.container("spark-1", "vllm_node")["State"]["Running"] is True
        removed = await gw.host.ssh.run(node, RemoteCommand("docker", "rm", "-f", "vllm_node"))
        assert removed.exit_status == 0
        await test_swap_faults.ready_on(gw, FIRST)
        assert await completion(gw, SERVED[FIRST]) == 200
