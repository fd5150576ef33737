"""A hang-up of the SSH channel ends the command, even one still being spawned."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import asyncssh

from spark_control.sim.sshd import SimNodeServer, make_client_key


def _running_with(marker: str) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read()
            with open(f"/proc/{entry}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in cmdline and state != "Z":
            pids.append(int(entry))
    return pids


async def test_commands_closed_at_once_leave_no_process(tmp_path: Path) -> None:
    key = make_client_key(tmp_path / "keys", "alice")
    async with SimNodeServer(
        tmp_path / "node", address="127.0.0.70", users={"alice": [key.public_openssh]}
    ) as node:
        async with asyncssh.connect(
            node.address,
            node.port,
            username="alice",
            client_keys=[str(key.private_path)],
            known_hosts=None,
            agent_path=None,
        ) as conn:
            for _ in range(10):
                process = await conn.create_process("sleep 4242.5")
                process.close()
        async with asyncio.timeout(5):
            while _running_with("4242.5"):
                await asyncio.sleep(0.05)
        assert _running_with("4242.5") == []
