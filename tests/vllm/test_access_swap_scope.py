"""With API keys on, swapping needs the ``swap`` scope: a read key is refused with 403
before anything happens; a swap key swaps and its name is in the audit log and is the
swap record's actor."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from spark_control.sim import SimCluster
from spark_control.testing import make_config, running_gateway
from tests.vllm.conftest import FIRST, settled, sim_cluster

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("access-sim"), "127.0.6.100") as sim:
        yield sim


async def test_a_read_key_cannot_swap_and_a_swap_key_can(
    tmp_path: Path, cluster: SimCluster
) -> None:
    config = make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["vllm"]},
            "access": {"require_keys": True},
        },
    )
    async with running_gateway(config) as gw:
        access = gw.gateway.access
        _, reader = await access.keys.create("dashboard-viewer", ["read"], access.known_scopes())
        _, swapper = await access.keys.create("ci-bot", ["swap"], access.known_scopes())
        read = {"Authorization": f"Bearer {reader}"}
        swap = {"Authorization": f"Bearer {swapper}"}

        refused = await gw.client.post("/api/swap", json={"model": FIRST}, headers=read)
        assert refused.status_code == 403
        assert refused.json()["error"]["detail"] == {
            "required_scope": "swap",
            "key": "dashboard-viewer",
        }
        for path in ("/api/vllm/stop", "/api/vllm/restart"):
            assert (await gw.client.post(path, headers=read)).status_code == 403
        status = (await gw.client.get("/api/swap", headers=read)).json()
        assert status["state"] != "swapping"
        history = (await gw.client.get("/api/swap/history", headers=read)).json()
        assert history["swaps"] == []

        started = await gw.client.post("/api/swap", json={"model": FIRST}, headers=swap)
        assert started.status_code == 202, started.text
        assert started.json()["actor"] == "ci-bot"  # the key's name, not "anonymous"
        gw.client.headers.update(read)
        status = await settled(gw)
        assert (status["state"], status["model"]) == ("ready", FIRST)
        history = (await gw.client.get("/api/swap/history")).json()["swaps"]
        assert [s["actor"] for s in history] == ["ci-bot"]

        stopped = await gw.client.post("/api/vllm/stop", headers=swap)
        assert stopped.status_code == 200, stopped.text
        entries = (await gw.client.get("/api/audit?action=vllm.stop")).json()["entries"]
        assert [(e["key"], e["actor"], e["result"]) for e in entries] == [
            ("ci-bot", "ci-bot", "ok")
        ]
        # Adding a model to the catalog is an admin's business.
        added = await gw.client.post(
            "/api/models", json={"id": "mine", "local_path": "~/models/mine"}, headers=swap
        )
        assert added.status_code == 403
