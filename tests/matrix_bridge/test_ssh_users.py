"""The bot's user gets a pooled SSH connection of its own next to the node's usual
user, and both may open their first connection at the same moment (the host key is
pinned once and then trusted by both)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from spark_control.sim import SimCluster
from spark_control.ssh import HostKeyStore, RemoteCommand, SSHExecutor, Target
from tests.matrix_bridge.conftest import BOT_USER, NODE


async def test_two_users_connect_to_a_fresh_node_at_once(
    tmp_path: Path, cluster: SimCluster
) -> None:
    node = cluster.nodes[NODE]
    for attempt in range(5):  # the race needs both handshakes in flight together
        executor = SSHExecutor(host_keys=HostKeyStore(tmp_path / f"pins-{attempt}"))
        targets = [
            Target(NODE, node.address, user, node.keys[user], node.ssh_port)
            for user in ("alice", BOT_USER)
        ]
        try:
            results = await asyncio.gather(
                *(executor.run(t, RemoteCommand("id", "-un")) for t in targets)
            )
        finally:
            await executor.close()
        # The simulated node runs every user as the same OS account; what tells them
        # apart is the user the SSH session logged in as.
        assert all(r.ok for r in results), results
        assert executor.connections_opened == 2
    logged_in = {record.user for record in cluster.server(NODE).exec_log[-10:]}
    assert {"alice", BOT_USER} <= logged_in
