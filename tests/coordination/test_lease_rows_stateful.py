"""A stateful property test of the lease as database rows, on SQLite and on a real
PostgreSQL: three gateways (each its own connection) acquire, renew, release, force and
write under the lease while the database's clock moves. A gateway may be paused (it
does nothing while time runs past its lease's end and another gateway tries for the
lock, as under SIGSTOP, then resumes with the token it had) or cut off from the
database (its connection fails: PostgreSQL is dialled on a port nobody listens on,
SQLite's store is closed), then healed.

Whatever the sequence: never two holders (every grant, renewal and write the database
allows is one a simple model of the lease allows, and at most one lease row is open),
the fencing number only grows, and a stale token's writes are refused.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from spark_control.store import StoreError
from spark_control_coordination.lease import hash_token
from spark_control_coordination.lease_rows import (
    LeaseDatabaseUnavailable,
    LeaseRows,
    PostgresLeaseRows,
    SqliteLeaseRows,
)
from tests.coordination.lease_backends import Backend, backend

T = TypeVar("T")
GATEWAYS = st.integers(min_value=0, max_value=2)
TTLS = st.integers(min_value=1, max_value=60)
UNREACHABLE = "postgresql://nobody@127.0.0.1:1/none"
CUT_OFF = (LeaseDatabaseUnavailable, StoreError)


class Gateway:
    def __init__(self, rows: LeaseRows) -> None:
        self.rows = rows
        self.token: str | None = None  # the token this gateway believes holds the lock
        self.cut = False
        self.dsn = rows.dsn if isinstance(rows, PostgresLeaseRows) else ""


class LeaseRowsMachine(RuleBasedStateMachine):
    kind = "sqlite"
    dsn: str | None = None

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.dir = tempfile.TemporaryDirectory(prefix="lease-rows-")
        self.cm = backend(self.kind, Path(self.dir.name), self.dsn)
        self.db: Backend = self.run(self.cm.__aenter__())
        self.gateways = [Gateway(self.run(self.db.replica())) for _ in range(3)]
        # The model: the token holding the lock, who holds it, when it ends (DB time).
        self.token: str | None = None
        self.deadline = 0.0
        self.fencing = 0
        self.issued = 0
        self.written: str | None = None  # the value the fenced key must hold

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coro)

    def teardown(self) -> None:
        for gw in self.gateways:
            if gw.cut:
                self.heal_gateway(gw)
        self.run(self.cm.__aexit__(None, None, None))
        self.loop.close()
        self.dir.cleanup()

    def live(self) -> str | None:
        if self.token is not None and self.db.now >= self.deadline:
            self.token = None
        return self.token

    def call(self, gw: Gateway, coro: Coroutine[Any, Any, T]) -> T | None:
        """Run a gateway's request; None when it cannot reach the database."""
        if not gw.cut:
            return self.run(coro)
        with pytest.raises(CUT_OFF):
            self.run(coro)
        return None

    def heal_gateway(self, gw: Gateway) -> None:
        gw.cut = False
        if isinstance(gw.rows, PostgresLeaseRows):
            gw.rows.dsn = gw.dsn
        elif isinstance(gw.rows, SqliteLeaseRows):
            self.run(gw.rows.store.open())

    # --- rules -------------------------------------------------------------------------

    @rule(i=GATEWAYS, ttl=TTLS)
    def acquire(self, i: int, ttl: int) -> None:
        gw = self.gateways[i]
        self.issued += 1
        token = hash_token(f"token-{self.issued}")
        was = self.live()
        got = self.call(gw, gw.rows.acquire(f"gw{i}", "", ttl, token))
        if got is None:
            return
        assert got.ok == (was is None), f"granted={got.ok} while the model holder is {was}"
        if got.ok:
            assert got.fencing > self.fencing
            self.fencing = got.fencing
            self.token, self.deadline, gw.token = token, self.db.now + ttl, token

    @rule(i=GATEWAYS, ttl=TTLS)
    def renew(self, i: int, ttl: int) -> None:
        gw = self.gateways[i]
        if gw.token is None:
            return
        valid = self.live() == gw.token
        got = self.call(gw, gw.rows.renew(gw.token, ttl))
        if got is None:
            return
        assert got.ok == valid, f"renewal ok={got.ok}, model says {valid}"
        if got.ok:
            self.deadline = self.db.now + ttl

    @rule(i=GATEWAYS)
    def release(self, i: int) -> None:
        gw = self.gateways[i]
        if gw.token is None:
            return
        valid = self.live() == gw.token
        got = self.call(gw, gw.rows.release(gw.token))
        if got is None:
            return
        assert got.ok == valid
        gw.token = None
        if valid:
            self.token = None

    @rule(i=GATEWAYS, value=st.integers(0, 9))
    def write_under_the_lease(self, i: int, value: int) -> None:
        gw = self.gateways[i]
        if gw.token is None:
            return
        valid = self.live() == gw.token
        got = self.call(gw, gw.rows.record(gw.token, "swap", f"gw{i}:{value}"))
        if got is None:
            return
        assert got.ok == valid, "a stale token wrote" if got.ok else "the holder was refused"
        if got.ok:
            self.written = f"gw{i}:{value}"

    @rule(i=GATEWAYS)
    def force(self, i: int) -> None:
        gw = self.gateways[i]
        got = self.call(gw, gw.rows.force())
        if got is None:
            return
        assert got.fencing == self.fencing + 1
        assert (got.ended is not None) == (self.live() is not None)
        self.fencing, self.token = got.fencing, None

    @rule(seconds=st.sampled_from([0.5, 1, 5, 30, 61]))
    def time_passes(self, seconds: float) -> None:
        self.run(self.db.advance(seconds))

    @rule(i=GATEWAYS, other=GATEWAYS, overshoot=st.sampled_from([0, 0.5, 1, 10]))
    def paused_through_expiry(self, i: int, other: int, overshoot: float) -> None:
        """Gateway ``i`` stops (SIGSTOP) holding what it believes is the lock; time runs
        to ``overshoot`` seconds past the lease's end; ``other`` tries for the lock; then
        ``i`` resumes where it was: its write and its renewal, with its old token."""
        if self.live() is not None:
            self.time_passes(self.deadline - self.db.now + overshoot)
        self.acquire(other, 30)
        self.write_under_the_lease(i, 0)
        self.renew(i, 30)

    @precondition(lambda self: not all(gw.cut for gw in self.gateways))
    @rule(i=GATEWAYS)
    def partition(self, i: int) -> None:
        gw = self.gateways[i]
        if gw.cut:
            return
        gw.cut = True
        if isinstance(gw.rows, PostgresLeaseRows):
            gw.rows.dsn = UNREACHABLE
            gw.rows.connect_timeout_s = 1
            self.run(gw.rows.close())
        elif isinstance(gw.rows, SqliteLeaseRows):
            self.run(gw.rows.store.close())

    @rule(i=GATEWAYS)
    def heal(self, i: int) -> None:
        if self.gateways[i].cut:
            self.heal_gateway(self.gateways[i])

    # --- invariants --------------------------------------------------------------------

    @invariant()
    def the_database_agrees_with_the_model(self) -> None:
        open_rows = self.run(
            self.db.sql(
                "SELECT token_hash, expires_at FROM coordination_leases WHERE ended_at IS NULL"
            )
        )
        assert len(open_rows) <= 1, "two open leases"
        live = [r["token_hash"] for r in open_rows if r["expires_at"] > self.db.now]
        assert live == ([self.token] if self.live() else []), "never two holders"
        counter = self.run(
            self.db.sql("SELECT value FROM coordination_counters WHERE name = 'fencing'")
        )
        assert counter[0]["value"] == self.fencing, "the fencing number only grows"
        stored = self.run(self.db.sql("SELECT value FROM coordination_fenced"))
        assert [r["value"] for r in stored] == ([self.written] if self.written else [])


SETTINGS = settings(
    max_examples=25,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_the_lease_under_pauses_and_partitions(lease_backend: tuple[str, str | None]) -> None:
    kind, dsn = lease_backend
    machine = type(f"LeaseRowsMachine_{kind}", (LeaseRowsMachine,), {"kind": kind, "dsn": dsn})
    run_state_machine_as_test(machine, settings=SETTINGS)
