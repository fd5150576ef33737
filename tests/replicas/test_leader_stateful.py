"""A stateful property test of the cluster's leader row (``spark_leader``) on a real
PostgreSQL, like the swap lease's (tests/coordination/test_lease_rows_stateful.py):
three replicas, each with its own connection and its own monotonic clock, and the
database's clock, all moved only by the test. Replicas try for the lead (take or
renew); time passes for everyone; a replica is paused (its process stopped: the
others and the database run on, its own clock either stands, as in a suspended VM,
or runs, as under SIGSTOP); a replica is cut off from the database (dialled on a port
nobody listens on) and healed.

Whatever the sequence, at every step each replica is asked :meth:`fence` — what the
SSH executor awaits before every remote command — and never do two pass it at the
same instant; the one that passes is the live holder the database names, with the
fencing number it holds; and a new leader's fencing number is always higher than
every earlier leader's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

import psycopg
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from spark_control.leadership import NotLeader, PostgresLeadership
from tests.coordination.lease_backends import fresh_schema
from tests.replicas.test_leadership import NOW_SQL, START

T = TypeVar("T")
NAMES = ("a", "b", "c")
REPLICAS = st.sampled_from(NAMES)
TTL_S = 9.0
UNREACHABLE = "postgresql://nobody@127.0.0.1:1/none"
STEPS = st.sampled_from([0.5, 1.0, 2.9, 3.0, 8.0, 9.0, 10.0, 30.0])


class LeaderMachine(RuleBasedStateMachine):
    dsn: str = ""

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.schema = fresh_schema(self.dsn)
        self.where: str = self.run(self.schema.__aenter__())
        self.db_now = START
        self.local = dict.fromkeys(NAMES, 0.0)
        self.cut: set[str] = set()
        self.admin: Any = self.run(psycopg.AsyncConnection.connect(self.where, autocommit=True))
        self.run(self.admin.execute("CREATE TABLE leader_test_clock (now DOUBLE PRECISION)"))
        self.run(self.admin.execute("INSERT INTO leader_test_clock VALUES (%s)", (START,)))
        self.replicas = {name: self.replica(name) for name in NAMES}
        self.run(self.replicas["a"]._setup())
        # The highest fencing number any replica has passed the fence with, and by whom.
        self.highest = 0
        self.highest_by: str | None = None

    def replica(self, name: str) -> PostgresLeadership:
        return PostgresLeadership(
            self.where,
            replica=name,
            ttl_s=TTL_S,
            now_sql=NOW_SQL,
            monotonic=lambda: self.local[name],
            connect_timeout_s=1.0,
        )

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coro)

    def teardown(self) -> None:
        for replica in self.replicas.values():
            self.run(replica.aclose())
        self.run(self.admin.close())
        self.run(self.schema.__aexit__(None, None, None))
        self.loop.close()

    def set_db_time(self, seconds: float) -> None:
        self.db_now += seconds
        self.run(self.admin.execute("UPDATE leader_test_clock SET now = %s", (self.db_now,)))

    # --- rules -------------------------------------------------------------------------

    @rule(name=REPLICAS)
    def attempt(self, name: str) -> None:
        """The replica's periodic try: take the lead if free, renew it if its own."""
        replica = self.replicas[name]
        try:
            self.run(replica.attempt())
        except Exception:
            assert name in self.cut, "an attempt failed on a reachable database"

    @rule(seconds=STEPS)
    def time_passes(self, seconds: float) -> None:
        self.set_db_time(seconds)
        for name in NAMES:
            self.local[name] += seconds

    @rule(name=REPLICAS, seconds=STEPS, clock_runs=st.booleans(), other=REPLICAS)
    def paused(self, name: str, seconds: float, clock_runs: bool, other: str) -> None:
        """``name`` is stopped while ``seconds`` pass and ``other`` tries for the lead;
        its own clock stands (a suspended VM) or runs (SIGSTOP); then it resumes."""
        self.set_db_time(seconds)
        for each in NAMES:
            if each != name or clock_runs:
                self.local[each] += seconds
        if other != name:
            self.attempt(other)

    @rule(name=REPLICAS, seconds=st.sampled_from([0.05, 0.2, 0.5]))
    def slow_clock(self, name: str, seconds: float) -> None:
        """The database's clock runs a little ahead of one replica's (clock rates: the
        fence keeps a margin for this)."""
        self.set_db_time(seconds)
        for each in NAMES:
            if each != name:
                self.local[each] += seconds

    @precondition(lambda self: len(self.cut) < len(NAMES))
    @rule(name=REPLICAS)
    def partition(self, name: str) -> None:
        if name in self.cut:
            return
        self.cut.add(name)
        replica = self.replicas[name]
        replica.dsn = UNREACHABLE
        if replica._conn is not None:
            self.run(replica._conn.close())

    @rule(name=REPLICAS)
    def heal(self, name: str) -> None:
        if name in self.cut:
            self.cut.discard(name)
            self.replicas[name].dsn = self.where

    # --- invariants --------------------------------------------------------------------

    @invariant()
    def never_two_holders_pass_the_fence(self) -> None:
        passed: list[str] = []
        for name, replica in self.replicas.items():
            believed = replica._fencing
            try:
                self.run(replica.fence())
            except NotLeader:
                continue
            passed.append(name)
            assert name not in self.cut, "a replica cut off from the database passed"
            assert believed is not None and replica.fencing == believed
        assert len(passed) <= 1, f"two holders passed the fence at once: {passed}"
        rows = self.run(
            self.admin.execute(
                "SELECT holder, fencing, expires_at FROM spark_leader WHERE name = 'cluster'"
            )
        )
        row = self.run(rows.fetchone())
        if passed:
            (name,) = passed
            assert row is not None and row[0] == name and row[2] > self.db_now
            fencing = self.replicas[name].fencing
            assert fencing is not None and row[1] == fencing
            if name != self.highest_by:
                # A new leader: its number is higher than every earlier leader's.
                assert fencing > self.highest, "a new leader's fencing number did not grow"
            assert fencing >= self.highest
            self.highest, self.highest_by = fencing, name
        if row is not None:
            assert row[1] >= self.highest, "the row's fencing number went back"


SETTINGS = settings(
    max_examples=20,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_the_leader_row_under_pauses_and_partitions(spark_postgres: str) -> None:
    machine = type("LeaderMachine_pg", (LeaderMachine,), {"dsn": spark_postgres})
    run_state_machine_as_test(machine, settings=SETTINGS)
