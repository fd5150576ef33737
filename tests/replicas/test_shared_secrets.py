"""Two gateways (real HTTP) on one real PostgreSQL with data folders of their own and one
shared ``gateway.secrets_dir`` (issue 26 item 2): started at the same moment they end
with one SSH key (the key route answers the same on both) and one vault key, so a text
scrubbed through one is rehydrated through the other; the simulated cluster's host keys,
pinned by both at once as they probe the nodes, are in the one shared known_hosts once
each. Skipped, with the reason, where PostgreSQL is not installed."""

from __future__ import annotations

import asyncio
import contextlib
import stat
from pathlib import Path
from typing import Any

from spark_control.settings import LoadedConfig
from spark_control.sim import SimCluster
from spark_control.ssh import RemoteCommand
from spark_control.testing import RunningGateway, make_config, running_gateway
from spark_control_redaction.vault import KEY_FILE
from tests.coordination.lease_backends import fresh_schema

TEXT = "Write to alice@example.com from 81.2.69.144 about Project Bluebird."


def replica_config(
    tmp_path: Path, dsn: str, secrets_dir: Path, nodes: dict[str, Any]
) -> LoadedConfig:
    return make_config(
        tmp_path,
        {
            "plugins": {"enabled": ["redaction"]},
            "nodes": nodes,
            "gateway": {"database_url": dsn, "secrets_dir": str(secrets_dir)},
            # Rules only: the vault is what is shared, not the model.
            "redaction": {"ner": False, "deny_list": ["Project Bluebird"]},
        },
    )


async def public_key(gw: RunningGateway) -> str:
    answer = await gw.client.get("/api/ssh/public-key")
    assert answer.status_code == 200, answer.text
    key: str = answer.json()["public_key"]
    return key


async def test_replicas_sharing_a_secrets_dir_share_the_ssh_key_and_the_vault(
    tmp_path: Path, spark_postgres: str, spark_sim_cluster: SimCluster
) -> None:
    secrets = tmp_path / "secrets"
    sim_nodes = spark_sim_cluster.topology_config()
    # A node with no key of its own uses the gateway's (never reached: nothing listens).
    nodes = {**sim_nodes, "spare": {"address": "127.0.0.1", "port": 9, "user": "alice"}}
    async with fresh_schema(spark_postgres) as dsn, contextlib.AsyncExitStack() as stack:
        # Both start at once on an empty secrets folder: each may find the keys missing.
        a, b = await asyncio.gather(
            *(
                stack.enter_async_context(
                    running_gateway(replica_config(tmp_path / name, dsn, secrets, nodes))
                )
                for name in ("a", "b")
            )
        )
        key_a, key_b = await public_key(a), await public_key(b)
        assert key_a == key_b and key_a.startswith("ssh-ed25519 ")
        assert (secrets / "ssh" / "id_ed25519.pub").read_text().strip() == key_a
        assert a.host.secrets_dir == b.host.secrets_dir == secrets.resolve()
        for gw in (a, b):
            spare = gw.host.topology.node("spare")
            assert spare.key_path == secrets.resolve() / "ssh" / "id_ed25519"
            for name in sim_nodes:  # each replica reaches each node (observe: not fenced)
                node = gw.host.topology.node(name)
                done = await gw.host.ssh.run(node, RemoteCommand("echo", "ok"), observe=True)
                assert done.stdout.strip() == "ok"
        pins = (secrets / "known_hosts").read_text().splitlines()
        assert len(pins) == len(sim_nodes), pins

        scrubbed = await a.client.post("/api/scrub", json={"text": TEXT})
        assert scrubbed.status_code == 200, scrubbed.text
        body = scrubbed.json()
        for value in ("alice@example.com", "81.2.69.144", "Project Bluebird"):
            assert value not in body["text"]
        back = await b.client.post(
            "/api/rehydrate", json={"text": body["text"], "session_id": body["session_id"]}
        )
        assert back.status_code == 200, back.text
        assert back.json()["text"] == TEXT

    # The keys are in the shared folder, private, and in neither replica's data folder.
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o700
    assert stat.S_IMODE((secrets / "ssh").stat().st_mode) == 0o700
    for private in (secrets / KEY_FILE, secrets / "ssh" / "id_ed25519"):
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
    for name in ("a", "b"):
        data = tmp_path / name / "data"
        assert not (data / KEY_FILE).exists() and not (data / "ssh").exists()
        assert not (data / "known_hosts").exists()
