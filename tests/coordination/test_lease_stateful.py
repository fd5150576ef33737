"""A stateful property test of the swap lock: acquire, renew, release, force, time
passing, swaps with and without a token, and gateway restarts, driven against the real
lease book on a real SQLite store with a fake clock.

Whatever the sequence: never two holders, the fencing number only grows, a stale token
never acts, and what the book shows is what a simple model of the lease expects.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import tempfile
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar, cast

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from spark_control.contrib import Action
from spark_control.store import Store
from spark_control_coordination.lease import (
    LEASE_MIGRATIONS,
    OWNER,
    LeaseBook,
    LockConflict,
)
from spark_control_coordination.plugin import CoordinationPlugin
from spark_control_coordination.settings import CoordinationSettings

T = TypeVar("T")
GATED = "vllm.swap"
MAX_TTL = 1000
HOLDERS = st.sampled_from(["Alice", "Bob", "Carol"])
# Whole seconds keep the model's arithmetic exact, so a lease ends at one instant.
TTLS = st.integers(min_value=1, max_value=MAX_TTL)
#: Which token a request sends: the current one, one that held before, one that never
#: held, or none.
CHOICES = st.sampled_from(["current", "stale", "garbage", "none"])


class FakeClock:
    """Wall time moves only when told; the monotonic clock restarts from an arbitrary
    value at every (simulated) boot, as a real one does."""

    def __init__(self) -> None:
        self.now = 1_767_225_600
        self.boot = self.now - 5000

    def time(self) -> float:
        return float(self.now)

    def monotonic(self) -> float:
        return float(self.now - self.boot)

    def reboot(self, uptime: int) -> None:
        self.boot = self.now - uptime


class LeaseMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.dir = Path(tempfile.mkdtemp(prefix="lease-machine-"))
        self.clock = FakeClock()
        self.store: Store | None = None
        self.book: LeaseBook
        # The model: the token holding the lock and when its lease ends (wall time).
        self.token: str | None = None
        self.holder: str | None = None
        self.deadline = 0
        self.ended: list[str] = []  # tokens whose lease ended: stale forever
        self.fencing = 0

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coro)

    def boot(self) -> None:
        self.store = Store(self.dir / "spark-control.db")
        self.run(self.store.open())
        self.book = LeaseBook(self.store, self.clock, gated=[GATED], max_ttl_s=MAX_TTL)
        self.run(self.book.setup())
        # The plugin's own spark_gate hook answers from this book, as in the gateway.
        self.plugin = CoordinationPlugin(cast(Any, None), CoordinationSettings(), self.clock)
        self.plugin.book.value = self.book

    def teardown(self) -> None:
        if self.store is not None:
            self.run(self.store.close())
        self.loop.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    # --- the model -------------------------------------------------------------------

    def held(self) -> bool:
        self.expire_in_model()
        return self.token is not None

    def expire_in_model(self) -> None:
        if self.token is not None and self.clock.now >= self.deadline:
            self.ended.append(self.token)
            self.token = self.holder = None

    def pick(self, choice: str) -> str | None:
        if choice == "current":
            return self.token if self.held() else "never-granted-token"
        if choice == "stale":
            return self.ended[-1] if self.ended else None
        if choice == "garbage":
            return "never-granted-token"
        return None

    # --- rules -------------------------------------------------------------------------

    @initialize()
    def start(self) -> None:
        self.boot()

    @rule(holder=HOLDERS, ttl=TTLS)
    def acquire(self, holder: str, ttl: int) -> None:
        was_held = self.held()
        try:
            granted = self.run(self.book.acquire(holder, "test", ttl))
        except LockConflict as exc:
            assert was_held, f"refused while the model says the lock is free: {exc.message}"
            assert exc.detail["holder"] == self.holder
            return
        assert not was_held, f"granted to {holder} while {self.holder} holds it"
        assert granted.lease.fencing > self.fencing
        self.token, self.holder, self.deadline = granted.token, holder, self.clock.now + ttl

    @rule(choice=CHOICES, ttl=TTLS)
    def renew(self, choice: str, ttl: int) -> None:
        token = self.pick(choice)
        if token is None:
            return
        valid = self.held() and token == self.token
        try:
            lease = self.run(self.book.renew(token, ttl))
        except LockConflict:
            assert not valid, "the holder's renewal was refused"
            return
        assert valid, f"a {choice} token renewed the lease"
        assert lease.holder == self.holder
        self.deadline = self.clock.now + ttl

    @rule(choice=CHOICES)
    def release(self, choice: str) -> None:
        token = self.pick(choice)
        if token is None:
            return
        valid = self.held() and token == self.token
        try:
            result = self.run(self.book.release(token))
        except LockConflict:
            assert self.held() and not valid and token not in self.ended
            return
        assert result.released == valid, (choice, result)
        if valid:
            assert self.token is not None
            self.ended.append(self.token)
            self.token = self.holder = None

    @rule()
    def force(self) -> None:
        before = self.book.fencing
        ended, fencing = self.run(self.book.force_release())
        assert fencing == before + 1
        if self.held():
            assert ended is not None and ended.holder == self.holder
            assert self.token is not None
            self.ended.append(self.token)
            self.token = self.holder = None
        else:
            assert ended is None

    @rule(seconds=st.integers(min_value=0, max_value=1200))
    def time_passes(self, seconds: int) -> None:
        self.clock.now += seconds

    @precondition(lambda self: self.store is not None)
    @rule()
    def expiry_timer_fires(self) -> None:
        ended = self.run(self.book.expire_due())
        assert self.store is not None
        open_rows = self.run(
            self.store.fetchall("SELECT holder FROM coordination_leases WHERE ended_at IS NULL")
        )
        if ended:
            assert not self.held(), "a lease ended before its time"
        # Once the timer has looked, a lease whose time is up is ended in the database too.
        assert len(open_rows) == (1 if self.held() else 0)

    @rule(choice=CHOICES)
    def swap(self, choice: str) -> None:
        token = self.pick(choice)
        headers = {"x-swap-lock-token": token} if token is not None else {}
        refusal = self.plugin.spark_gate(Action(GATED, params={"model": "m"}, headers=headers))
        if token is not None and token in self.ended:
            assert refusal is not None, "a stale token passed the gate"
        if self.held():
            if token == self.token:
                assert refusal is None, "the holder's swap was refused"
            else:
                assert refusal is not None and refusal.status == 423
                assert refusal.detail["holder"] == self.holder
                assert refusal.retry_after is not None
                assert 0 < refusal.retry_after <= self.deadline - self.clock.now
        elif token is None:
            assert refusal is None, f"refused with the lock free: {refusal}"
        else:
            assert refusal is not None and refusal.status == 409

    @rule(uptime=st.integers(min_value=0, max_value=10**6))
    def gateway_restarts(self, uptime: int) -> None:
        assert self.store is not None
        self.run(self.store.close())
        self.clock.reboot(uptime)
        self.boot()

    # --- invariants --------------------------------------------------------------------

    @invariant()
    def fencing_only_grows(self) -> None:
        if self.store is None:
            return
        assert self.book.fencing >= self.fencing
        self.fencing = self.book.fencing

    @invariant()
    def at_most_one_holder_and_it_is_the_models(self) -> None:
        if self.store is None:
            return
        open_rows = self.run(
            self.store.fetchall("SELECT holder FROM coordination_leases WHERE ended_at IS NULL")
        )
        assert len(open_rows) <= 1
        shown = self.book.public()
        assert shown["held"] == self.held()
        if self.held():
            assert shown["holder"] == self.holder
            assert shown["expires_in_s"] == pytest.approx(self.deadline - self.clock.now)


LeaseMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestLease = pytest.mark.slow(LeaseMachine.TestCase)


async def test_the_database_itself_refuses_a_second_open_lease(tmp_path: Path) -> None:
    async with Store(tmp_path / "db.sqlite") as store:
        await store.migrate(OWNER, LEASE_MIGRATIONS)
        insert = (
            "INSERT INTO coordination_leases (fencing, holder, reason, token_hash, ttl_s, "
            "granted_at, expires_at) VALUES (?, ?, '', ?, 60, 0, 60)"
        )
        await store.execute(insert, (1, "Alice", "a"))
        with pytest.raises(sqlite3.IntegrityError):
            await store.execute(insert, (2, "Bob", "b"))


async def test_a_clock_set_back_across_a_restart_cannot_stretch_a_lease(tmp_path: Path) -> None:
    clock = FakeClock()
    async with Store(tmp_path / "db.sqlite") as store:
        book = LeaseBook(store, clock, max_ttl_s=MAX_TTL)
        await book.setup()
        await book.acquire("Alice", "test", 100)
        clock.now += 40
    clock.now -= 3600  # the system clock is stepped back an hour while the gateway is down
    clock.reboot(7)
    async with Store(tmp_path / "db.sqlite") as store:
        book = LeaseBook(store, clock, max_ttl_s=MAX_TTL)
        await book.setup()
        lease = book.current()
        assert lease is not None
        # Not 3660 s: never more than the lease's own TTL.
        assert book.seconds_left(lease) == 100
    clock.now += 7200  # and the clock is put right again while it is down
    async with Store(tmp_path / "db.sqlite") as store:
        book = LeaseBook(store, clock, max_ttl_s=MAX_TTL)
        await book.setup()
        assert book.current() is None
        row = await store.fetchone("SELECT ended_how FROM coordination_leases")
        assert row == {"ended_how": "expired"}
