"""A leader in a process of its own, for the SIGSTOP test: it takes the lead, then runs
``echo from-a-<n>`` on a node every 0.1 s through a fenced SSH executor and prints each
attempt: ``ran <n> <time the attempt began> <its fencing number>`` or ``refused …``.

Usage: python paused_leader.py DSN ADDRESS PORT USER KEY KNOWN_HOSTS TTL_S
"""

from __future__ import annotations

import asyncio
import sys
import time

from spark_control.leadership import NotLeader, PostgresLeadership
from spark_control.ssh import HostKeyStore, RemoteCommand, SSHExecutor, Target

WORDS = [f"from-a-{n}" for n in range(10_000)]


async def main(
    dsn: str, address: str, port: str, user: str, key: str, known: str, ttl: str
) -> None:
    lead = PostgresLeadership(dsn, replica="replica-a", ttl_s=float(ttl))
    ssh = SSHExecutor(
        host_keys=HostKeyStore(known), fence=lead.fence, connect_timeout=5, command_timeout=10
    )
    target = Target("spark-1", address, user, key, int(port))
    await lead.start()
    print("started", lead.is_leader, flush=True)
    for n, word in enumerate(WORDS):
        began, fencing = time.time(), lead.fencing or 0
        try:
            await ssh.run(target, RemoteCommand("echo", word), check=True)
            print("ran", n, began, fencing, flush=True)
        except NotLeader:
            print("refused", n, began, fencing, flush=True)
        await asyncio.sleep(0.1)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:8]))
