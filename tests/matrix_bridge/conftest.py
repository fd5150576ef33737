"""Shared pieces of the matrix_bridge tests: a simulated cluster with a bot user of its
own, a gateway on it, and helpers. Addresses: 127.0.5.0/24 only."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, Literal

import pytest

from spark_control import hookimpl
from spark_control.contrib import Action, Refusal
from spark_control.plugins import new_manager
from spark_control.sim import SimCluster
from spark_control.sim.registry import collect_simulation
from spark_control.testing import RunningGateway, make_config, running_gateway
from spark_control_matrix_bridge.manager import BotManager
from spark_control_matrix_bridge.plugin import MatrixBridgePlugin
from spark_control_matrix_bridge.sim import (
    release_compose,
    set_build_failure,
    set_fetch_refused,
    wait_until_ready,
)

BOT_USER = "matrixbot"
NODE = "spark-1"
BOT = "relay"


@contextlib.contextmanager
def sim_cluster(
    root: Path, base_address: str, engine: Literal["docker"] | None = None
) -> Iterator[SimCluster]:
    """A simulated cluster with this plugin's world; ``alice`` is the nodes' usual
    user and ``matrixbot`` the bot's own (``engine="docker"``: on real engines)."""
    pm = new_manager()
    pm.register(MatrixBridgePlugin, name="matrix_bridge")
    with SimCluster(
        root,
        registry=collect_simulation(pm),
        base_address=base_address,
        users=("alice", BOT_USER),
        engine=engine,
    ) as sim:
        wait_until_ready(sim, NODE)
        yield sim


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("matrix-bridge-sim"), "127.0.5.10") as sim:
        yield sim


@pytest.fixture(autouse=True)
def _switches_off(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "cluster" in request.fixturenames:
        sim = request.getfixturevalue("cluster")
        set_build_failure(sim, NODE, None)
        set_fetch_refused(sim, NODE, False)
        release_compose(sim, NODE)


class Gate:
    """Refuses matrix_bridge actions while ``closed``."""

    closed = False
    seen: list[Action] = []

    @hookimpl
    def spark_gate(self, action: Action) -> Refusal | None:
        if action.name.startswith("matrix_bridge."):
            self.seen.append(action)
            if self.closed:
                return Refusal(423, "bot maintenance is locked by Bob")
        return None


def bot_config(cluster: SimCluster, **extra: Any) -> dict[str, Any]:
    node = cluster.nodes[NODE]
    return {
        "bots": {
            BOT: {
                "node": NODE,
                "user": BOT_USER,
                "key_path": str(node.keys[BOT_USER]),
                **extra,
            }
        },
    }


@contextlib.asynccontextmanager
async def open_gateway(
    tmp_path: Path,
    cluster: SimCluster,
    section: dict[str, Any] | None = None,
    gate: Gate | None = None,
) -> AsyncIterator[RunningGateway]:
    config = make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["matrix_bridge"]},
            "matrix_bridge": section if section is not None else bot_config(cluster),
        },
    )
    async with running_gateway(config, extra_plugins={"gate": gate or Gate()}) as gw:
        yield gw


def manager(gw: RunningGateway) -> BotManager:
    return gw.plugin("matrix_bridge").manager()


async def finished(gw: RunningGateway, bot: str = BOT, timeout: float = 30) -> dict[str, Any]:
    """``GET .../update`` once the update ended."""
    async with asyncio.timeout(timeout):
        while True:
            update = (await gw.client.get(f"/api/matrix-bridge/{bot}/update")).json()
            if update["state"] != "running":
                return update
            await asyncio.sleep(0.05)
