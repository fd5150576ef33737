"""A tensor-parallel-2 model spans both nodes; restart brings the same model back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from spark_control.sim import SimCluster
from spark_control_vllm.launch import container_state_command, parse_container_state
from tests.vllm.conftest import open_gateway, settled, sim_cluster, swap

TWO_NODE = "llama-3.3-70b-fp8-tp2"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("tp2-sim"), "127.0.0.140") as sim:
        yield sim


async def _container_state(gw: object, node: str) -> str:
    host = gw.host  # type: ignore[attr-defined]
    result = await host.ssh.run(host.topology.node(node), container_state_command("vllm_node"))
    return parse_container_state(result.exit_status, result.stdout)


async def test_a_two_node_model_runs_on_both_nodes_and_stops_on_both(
    tmp_path: Path, cluster: SimCluster
) -> None:
    head, worker = cluster.nodes["spark-1"].address, cluster.nodes["spark-2"].address
    async with open_gateway(
        tmp_path, cluster, head_ip=head, worker_ip=worker, load_deadline_s=20
    ) as gw:
        started = await swap(gw, TWO_NODE)
        assert started.status_code == 202, started.text
        status = await settled(gw, 60)
        assert (status["state"], status["model"]) == ("ready", TWO_NODE), status
        assert await _container_state(gw, "spark-1") == "running"
        assert await _container_state(gw, "spark-2") == "running"

        restarted = await gw.client.post("/api/vllm/restart")
        assert restarted.status_code == 202, restarted.text
        status = await settled(gw, 60)
        assert (status["state"], status["model"]) == ("ready", TWO_NODE)

        assert (await gw.client.post("/api/vllm/stop")).status_code == 200
        assert await _container_state(gw, "spark-1") != "running"
        assert await _container_state(gw, "spark-2") != "running"
        assert (await gw.client.get("/api/swap")).json()["state"] == "stopped"
