"""One leader for the cluster's side effects (issue 26 item 3), on a real PostgreSQL:
the lease row and its fencing number with the database's clock set by the test, the
fence in the SSH executor, and a leader paused with SIGSTOP in a process of its own
that resumes after losing the lead and runs nothing more. Skipped, with the reason,
where PostgreSQL is not installed."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path

import psycopg
import pytest

from spark_control.leadership import NotLeader, PostgresLeadership, SoloLeadership
from spark_control.sim import SimCluster
from spark_control.ssh import HostKeyStore, RemoteCommand, SSHExecutor, Target
from tests.coordination.lease_backends import fresh_schema

START = 1_767_225_600.0
NOW_SQL = "(SELECT now FROM leader_test_clock)"
CHILD = Path(__file__).with_name("paused_leader.py")


class Clocks:
    """The database's clock (a one-row table the lease's SQL reads) and a monotonic
    clock per replica, all moved only by the test."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.db = START
        self.local: dict[str, float] = {}

    async def setup(self) -> None:
        async with await psycopg.AsyncConnection.connect(self.dsn, autocommit=True) as conn:
            await conn.execute("CREATE TABLE leader_test_clock (now DOUBLE PRECISION NOT NULL)")
            await conn.execute("INSERT INTO leader_test_clock VALUES (%s)", (self.db,))

    async def advance(self, seconds: float, *, replicas: tuple[str, ...] = ()) -> None:
        """Move the database's clock, and the monotonic clocks of ``replicas`` (the
        others were paused meanwhile)."""
        self.db += seconds
        for name in replicas:
            self.local[name] += seconds
        async with await psycopg.AsyncConnection.connect(self.dsn, autocommit=True) as conn:
            await conn.execute("UPDATE leader_test_clock SET now = %s", (self.db,))

    def replica(self, name: str, ttl_s: float = 10.0) -> PostgresLeadership:
        self.local[name] = 0.0
        return PostgresLeadership(
            self.dsn,
            replica=name,
            ttl_s=ttl_s,
            now_sql=NOW_SQL,
            monotonic=lambda: self.local[name],
        )


@contextlib.asynccontextmanager
async def clocked(dsn: str) -> AsyncIterator[Clocks]:
    async with fresh_schema(dsn) as where:
        clocks = Clocks(where)
        await clocks.setup()
        yield clocks


async def test_one_gateway_alone_always_leads_and_its_fence_never_waits() -> None:
    solo = SoloLeadership()
    await solo.start()
    assert solo.is_leader and solo.fencing == 0
    await solo.fence()
    await asyncio.wait_for(solo.wait_leader(), 1)
    assert solo.view()["backend"] == "solo"


async def test_one_holder_and_a_higher_fencing_number_for_each_new_leader(
    spark_postgres: str,
) -> None:
    async with clocked(spark_postgres) as clocks:
        a, b = clocks.replica("a"), clocks.replica("b")
        changes: list[bool] = []
        a.on_change(changes.append)
        try:
            await a._setup()
            assert await a.attempt() is True
            assert await b.attempt() is False
            assert (a.fencing, b.fencing, b.holder) == (1, None, "a")
            await a.fence()

            # Renewed within its time, the lease keeps its fencing number.
            await clocks.advance(3, replicas=("a", "b"))
            assert await a.attempt() is True and a.fencing == 1
            assert await b.attempt() is False

            # a pauses past its lease: b takes over with a higher number ...
            await clocks.advance(11, replicas=("b",))
            assert await b.attempt() is True and b.fencing == 2
            # ... and a, whose own clock has not moved (it was paused), believes it
            # still leads, but the database says no before it acts.
            assert a.is_leader
            with pytest.raises(NotLeader) as refused:
                await a.fence()
            assert "not the cluster's leader" in refused.value.message
            assert not a.is_leader and changes == [True, False]
            assert await a.attempt() is False and a.holder == "b"

            # Handed back at shutdown, the lead is free at once (no waiting out the TTL).
            await b.aclose()
            assert await a.attempt() is True and a.fencing == 3
        finally:
            await a.aclose()
            await b.aclose()


async def test_the_leaders_advertised_url_is_stored_with_the_lead_and_checked_when_read(
    spark_postgres: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with clocked(spark_postgres) as clocks:
        a, b = clocks.replica("a"), clocks.replica("b")
        a.url, b.url = "http://gateway-a.internal:9999", "http://gateway-b.internal:9999"
        try:
            await a._setup()
            assert await a.attempt() is True and await b.attempt() is False
            assert (a.leader_url, b.leader_url) == (a.url, a.url)
            assert b.view()["leader_url"] == a.url
            # Anything but a gateway's http(s) URL in the row is not believed.
            for bad in ("file:///etc/passwd", "http://user:s3cr3tpw@evil.example", "http://a/x?y"):
                async with await psycopg.AsyncConnection.connect(clocks.dsn) as conn:
                    await conn.execute("UPDATE spark_leader SET url = %s", (bad,))
                assert await b.attempt() is False
                assert (b.holder, b.leader_url) == ("a", None), bad
            assert "ignoring the leader's advertised URL" in caplog.text
            assert "evil.example" in caplog.text and "s3cr3tpw" not in caplog.text
            # The leader's next renewal writes its URL again.
            assert await a.attempt() is True and await b.attempt() is False
            assert b.leader_url == a.url
        finally:
            await a.aclose()
            await b.aclose()


async def test_a_leader_whose_own_clock_passed_its_lease_refuses_without_asking(
    spark_postgres: str,
) -> None:
    async with clocked(spark_postgres) as clocks:
        a = clocks.replica("a")
        try:
            await a._setup()
            assert await a.attempt() is True
            # Its process was stopped for longer than the lease: on waking, before any
            # renewal, it knows by its own monotonic clock that it may have lost the lead.
            clocks.local["a"] += 10
            assert not a.is_leader
            with pytest.raises(NotLeader):
                await a.fence()
        finally:
            await a.aclose()


async def test_a_database_out_of_reach_means_no_remote_action(spark_postgres: str) -> None:
    async with clocked(spark_postgres) as clocks:
        a = clocks.replica("a")
        try:
            await a._setup()
            assert await a.attempt() is True
            a.dsn = "postgresql://nobody@127.0.0.1:1/none"  # a partition
            await a._conn.close()
            with pytest.raises(NotLeader) as refused:
                await a.fence()
            assert "cannot confirm" in refused.value.message
        finally:
            await a.aclose()


async def test_the_executor_awaits_the_fence_before_every_command_but_observations(
    spark_sim_cluster: SimCluster, tmp_path: Path
) -> None:
    node = spark_sim_cluster.head
    target = Target(node.name, node.address, node.user, node.key_path, node.ssh_port)
    asked: list[str] = []
    leading = True

    async def fence() -> None:
        asked.append("fence")
        if not leading:
            raise NotLeader("this gateway replica is not the cluster's leader")

    ssh = SSHExecutor(host_keys=HostKeyStore(tmp_path / "known_hosts"), fence=fence)
    log = spark_sim_cluster.server(node.name).exec_log
    try:
        assert (await ssh.run(target, RemoteCommand("echo", "fenced-1"))).exit_status == 0
        assert asked == ["fence"]
        leading = False
        with pytest.raises(NotLeader):
            await ssh.run(target, RemoteCommand("echo", "fenced-2"))
        with pytest.raises(NotLeader):
            async for _ in ssh.stream(target, RemoteCommand("echo", "fenced-3"), time_cap=5):
                pass
        with pytest.raises(NotLeader):
            async with ssh.password_connection(target, "not-used"):
                pass
        # A command that only reads runs on every replica, without asking.
        seen = await ssh.run(target, RemoteCommand("echo", "observed"), observe=True)
        assert seen.stdout.strip() == "observed" and len(asked) == 4
    finally:
        await ssh.close()
    commands = " ".join(r.command for r in log)
    assert "fenced-1" in commands and "observed" in commands
    assert "fenced-2" not in commands and "fenced-3" not in commands


# --- a real second process, paused with SIGSTOP ------------------------------------------


class Child:
    """The paused leader's process and every line it printed (read by a thread)."""

    def __init__(self, argv: list[str]) -> None:
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
        self.lines: list[list[str]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.split())

    async def line(self, kind: str, *, after: float = 0.0, timeout: float = 30.0) -> list[str]:
        """The first line of ``kind`` (for attempts: one begun at ``after`` or later)."""
        async with asyncio.timeout(timeout):
            while True:
                for words in list(self.lines):
                    if words[0] == kind and (len(words) < 3 or float(words[2]) >= after):
                        return words
                if self.proc.poll() is not None:
                    raise AssertionError(f"the paused leader exited: {self.lines[-5:]}")
                await asyncio.sleep(0.05)

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.proc.pid, signal.SIGCONT)
        self.proc.kill()
        self.proc.wait(timeout=10)
        self._reader.join(timeout=10)

    def attempts(self) -> dict[int, tuple[float, int]]:
        """Attempt number -> (when it began, the fencing number it began under)."""
        return {
            int(w[1]): (float(w[2]), int(w[3])) for w in self.lines if w[0] in ("ran", "refused")
        }


async def test_a_leader_paused_past_its_lease_runs_nothing_when_it_resumes(
    spark_postgres: str, spark_sim_cluster: SimCluster, tmp_path: Path
) -> None:
    cluster = spark_sim_cluster
    node = cluster.head
    ttl = 3.0
    async with fresh_schema(spark_postgres) as dsn:
        child = Child(
            [
                sys.executable,
                str(CHILD),
                dsn,
                node.address,
                str(node.ssh_port),
                node.user,
                str(node.key_path),
                str(tmp_path / "known_hosts_a"),
                str(ttl),
            ]
        )
        b = PostgresLeadership(dsn, replica="replica-b", ttl_s=ttl)
        ssh_b = SSHExecutor(host_keys=HostKeyStore(tmp_path / "known_hosts_b"), fence=b.fence)
        try:
            assert (await child.line("started", timeout=60))[1] == "True"
            await child.line("ran")

            child.proc.send_signal(signal.SIGSTOP)
            stopped_at = time.time()
            # b takes over once a's lease has run out by the database's clock, and
            # keeps renewing (its own task) while a sleeps and wakes.
            await b.start()
            async with asyncio.timeout(30):
                while not b.is_leader:
                    await asyncio.sleep(0.1)
            b_fencing = b.fencing
            assert b_fencing is not None and b_fencing >= 2
            target = Target(node.name, node.address, node.user, node.key_path, node.ssh_port)
            await ssh_b.run(target, RemoteCommand("echo", "from-b"), check=True)

            resumed_at = time.time()
            child.proc.send_signal(signal.SIGCONT)
            await child.line("refused", after=resumed_at)
        finally:
            child.stop()
            await ssh_b.close()
            await b.aclose()

    log = cluster.server(node.name).exec_log
    attempts = child.attempts()
    ran = [(int(m.group(1)), r.at) for r in log if (m := re.search(r"from-a-(\d+)", r.command))]
    assert any(at < stopped_at for _, at in ran), "the leader ran commands before its pause"
    for n, at in ran:
        if at < resumed_at:
            continue
        # A command whose fence passed just before the pause may reach the node after
        # it (the window that remote actions' idempotence covers). Nothing begun after
        # the resume runs, unless a took the lead back for real (a higher number).
        began, fencing = attempts.get(n, (resumed_at, 0))
        assert began < stopped_at or fencing > b_fencing, (n, at, began, fencing)
    assert any("from-b" in r.command and r.at >= stopped_at for r in log)
