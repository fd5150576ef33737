"""Failover mid-bot-update (issue 26 item 7): a leader gateway in a process of its own
runs a matrix_bridge Update on the simulated cluster; the node's ``docker compose``
stand-in holds it mid-way (``hold_compose``) and the leader is killed with SIGKILL.
The other gateway, on the same PostgreSQL, started as a follower while the update ran
(so it must leave that update alone), takes the lead and ends the update as
docs/REPLICAS.md says:

- held in ``build`` (the container untouched): the update is recorded ``failed`` while
  ``building``, "interrupted", and the bot keeps running its old container; nothing is
  built or recreated again;
- held in ``recreate`` (the dead leader had removed the old container and not started
  the new one): the new leader finishes the update (``compose up`` again, once), which
  ends ``done`` on the new commit with ``resumed_by`` naming it, and the bot runs the
  new version in one container.

The node's SSH log shows that no step ran twice that should not. Skipped, with the
reason, where PostgreSQL is not installed."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path
from typing import Any

import httpx
import pytest

from spark_control.settings import write_config
from spark_control.sim import SimCluster
from spark_control.ssh import RemoteCommand, const
from spark_control.testing import RunningGateway, gateway_process, make_config, running_gateway
from spark_control_matrix_bridge.sim import (
    CONTAINER,
    checkout,
    head_of,
    held_compose,
    hold_compose,
    push_upstream_commit,
    release_compose,
    wait_until_ready,
)
from tests.coordination.lease_backends import fresh_schema

LEASE_S = 2.0
BOT = "matrix-bridge"  # the one bot of the simulator's settings
UPDATE = f"/api/matrix-bridge/{BOT}/update"
REVISION = "org.opencontainers.image.revision"


def steps(log: list[Any], since: int) -> dict[str, int]:
    """How often each update step (and each container command) reached the node."""
    commands = [r.command for r in log[since:]]
    return {
        word: sum(word in c for c in commands)
        for word in (
            "git fetch",
            "docker compose build",
            "docker compose up",
            "docker stop",
            "docker restart",
            "docker rm",
        )
    }


async def containers(gw: RunningGateway, node: str) -> list[str]:
    """Every container of the bot's compose service on the node, running or not."""
    listed = await gw.host.ssh.run(
        gw.host.topology.node(node),
        RemoteCommand(
            "docker",
            "ps",
            "--all",
            "--filter",
            "label=com.docker.compose.service=bot",
            "--format",
            const("{{.Names}} {{.State}}"),
        ),
        observe=True,
    )
    assert listed.ok, listed.stderr
    return listed.stdout.split("\n")[:-1] if listed.stdout else []


@pytest.mark.parametrize("point", ["build", "recreate"])
async def test_the_new_leader_ends_a_bot_update_the_killed_leader_left(
    point: str, tmp_path: Path, spark_postgres: str, spark_sim_cluster: SimCluster
) -> None:
    cluster = spark_sim_cluster
    node = cluster.registry.settings["matrix_bridge"]["node"]
    user = cluster.registry.settings["matrix_bridge"]["user"]
    wait_until_ready(cluster, node)
    server = cluster.server(node)
    before = cluster.container(node, CONTAINER)
    assert before is not None and before["State"]["Status"] == "running"
    old_commit = head_of(checkout(cluster, node, user))
    new_commit = push_upstream_commit(cluster, node, user, f"Held at {point}")
    data = {
        "plugins": {"enabled": ["matrix_bridge"]},
        "nodes": cluster.topology_config(),
        "matrix_bridge": cluster.registry.settings["matrix_bridge"],
    }
    async with fresh_schema(spark_postgres) as dsn:
        shared = {"database_url": dsn, "leader_lease_s": LEASE_S}
        a_config = write_config(
            tmp_path / "a.yaml", {**data, "gateway": {**shared, "data_dir": str(tmp_path / "a")}}
        )
        hold_compose(cluster, node, point)
        try:
            with gateway_process(a_config, log_path=tmp_path / "a.log") as a:
                async with httpx.AsyncClient(base_url=a.url, trust_env=False) as client:
                    seen_a = (await client.get("/api/leadership")).json()
                    assert seen_a["leader"] is True, a.log()
                    logged = len(server.exec_log)
                    started = await client.post(UPDATE, headers={"X-Actor": "Alice"})
                    assert started.status_code == 202, started.text
                    update_id = started.json()["id"]
                    async with asyncio.timeout(60):
                        while held_compose(cluster, node) is None:
                            await asyncio.sleep(0.05)
                if point == "recreate":  # the worst moment: no bot container at all
                    assert cluster.container(node, CONTAINER) is None

                # A replica that starts while the update runs leaves it alone.
                b_config = make_config(tmp_path / "b", {**data, "gateway": shared})
                async with running_gateway(b_config) as b:
                    assert (await b.client.get("/api/leadership")).json()["leader"] is False
                    assert (await b.client.get(UPDATE)).json()["state"] == "running"

                    a.process.send_signal(signal.SIGKILL)
                    a.process.wait(timeout=10)
                    async with asyncio.timeout(60):
                        while not (await b.client.get("/api/leadership")).json()["leader"]:
                            await asyncio.sleep(0.1)
                        while (update := (await b.client.get(UPDATE)).json())["state"] == (
                            "running"
                        ):
                            await asyncio.sleep(0.1)
                    assert update["id"] == update_id
                    ran = steps(server.exec_log, logged)
                    after = cluster.container(node, CONTAINER)
                    assert after is not None and after["State"]["Status"] == "running", after
                    assert await containers(b, node) == [f"{CONTAINER} running"]
                    if point == "build":
                        assert (update["state"], update["failed_phase"]) == ("failed", "building")
                        assert update["reason"].startswith("interrupted: "), update
                        assert after["Id"] == before["Id"], "the old container was touched"
                        assert after["Config"]["Labels"][REVISION] == old_commit
                        assert ran["docker compose up"] == 0, ran
                    else:
                        assert update["state"] == "done", update
                        assert (update["from_commit"], update["to_commit"]) == (
                            old_commit,
                            new_commit,
                        )
                        assert update["resumed_by"] == b.host.leadership.replica
                        assert after["Config"]["Labels"][REVISION] == new_commit
                        # The killed leader's compose up, then the new leader's, once.
                        assert ran["docker compose up"] == 2, ran
                    assert (ran["git fetch"], ran["docker compose build"]) == (1, 1), ran
                    assert ran["docker stop"] == ran["docker restart"] == ran["docker rm"] == 0
                    # The record is the one every replica reads, and it stays ended.
                    history = (await b.client.get(f"/api/matrix-bridge/{BOT}/updates")).json()
                    assert history["updates"][0]["state"] == update["state"], history
        finally:
            release_compose(cluster, node)


async def test_a_follower_shows_the_update_the_leader_runs(
    tmp_path: Path, spark_postgres: str, spark_sim_cluster: SimCluster
) -> None:
    """A follower running before the update starts shows it as the leader does: the
    leader's update events reach it through the relay, the record through the store."""
    cluster = spark_sim_cluster
    node = cluster.registry.settings["matrix_bridge"]["node"]
    user = cluster.registry.settings["matrix_bridge"]["user"]
    wait_until_ready(cluster, node)
    new_commit = push_upstream_commit(cluster, node, user, "Seen from the follower")
    data = {
        "plugins": {"enabled": ["matrix_bridge"]},
        "nodes": cluster.topology_config(),
        "matrix_bridge": cluster.registry.settings["matrix_bridge"],
    }
    async with fresh_schema(spark_postgres) as dsn:
        shared = {"database_url": dsn, "leader_lease_s": LEASE_S}
        async with (
            running_gateway(make_config(tmp_path / "a", {**data, "gateway": shared})) as a,
            running_gateway(make_config(tmp_path / "b", {**data, "gateway": shared})) as b,
        ):
            assert (await a.client.get("/api/leadership")).json()["leader"] is True
            assert (await b.client.get("/api/leadership")).json()["leader"] is False
            started = await a.client.post(UPDATE, headers={"X-Actor": "Alice"})
            assert started.status_code == 202, started.text
            async with asyncio.timeout(60):
                while (seen := (await b.client.get(UPDATE)).json()).get("state") != "done":
                    await asyncio.sleep(0.1)
            assert seen["id"] == started.json()["id"]
            assert seen["to_commit"] == new_commit
            assert (await a.client.get(UPDATE)).json() == seen
