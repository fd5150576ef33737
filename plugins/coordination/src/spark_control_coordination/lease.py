"""The swap reservation lock: one holder at a time, a secret token, a fencing number.

The lease is a database row (:mod:`spark_control_coordination.lease_rows`), and the
database decides: every change is one transaction by the database's clock, so several
gateways on one PostgreSQL agree on who holds it and until when. This book keeps the
answer of the last change for the gate (which cannot wait on a database), with its
deadline on the monotonic clock.

With SQLite (one gateway) the database's clock is this process's wall clock anchored
to the monotonic clock at start, so setting the system clock neither shortens nor
stretches a lease while the gateway runs. After a restart the wall clock is read anew
and the time left is clamped to the lease's own TTL, so a clock stepped back across
the restart cannot stretch it past one TTL (the rows do the same with PostgreSQL's
clock). Tokens are kept only as SHA-256 hashes.

The fencing number grows with every grant and every force-release and never shrinks:
a consumer that stores it with its work can tell that a later holder has taken over.
A token whose lease has ended (expired, released, forced) never acts again: the gate
refuses it, renewal refuses it, and release with it is a no-op.

There is one lease per model slot (the vllm plugin's slots; a gated action names its
slot in ``params["slot"]``, absent meaning ``default``): a lease on one slot holds back
swaps of that slot only. The fencing counter is shared, so numbers still only grow.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import math
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from spark_control.api import InvalidValue, Refusal, SparkError, Store
from spark_control_coordination.clock import Clock
from spark_control_coordination.lease_rows import (
    DEFAULT_SLOT,
    SQLITE_MIGRATIONS,
    LeaseRow,
    LeaseRows,
    Outcome,
    SqliteLeaseRows,
)

OWNER = "coordination"
TOKEN_HEADER = "x-swap-lock-token"  # noqa: S105 - a header name, not a secret
HISTORY_KEEP = 1000
LEASE_MIGRATIONS = SQLITE_MIGRATIONS
#: How often a gateway on a shared database looks at the lease another may have changed.
SHARED_REFRESH_S = 1.0


class LockConflict(SparkError):
    status = 409
    type = "conflict"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Lease:
    """The lease now held; ``deadline`` is on the monotonic clock."""

    fencing: int
    holder: str
    reason: str
    token_hash: str
    ttl_s: float
    granted_at: float
    deadline: float
    slot: str = DEFAULT_SLOT

    def matches(self, token: str | None) -> bool:
        return token is not None and hmac.compare_digest(hash_token(token), self.token_hash)


@dataclass(frozen=True)
class Granted:
    lease: Lease
    token: str


@dataclass(frozen=True)
class Released:
    released: bool
    message: str
    fencing: int | None = None  # the lease that ended, when known
    slot: str | None = None  # and its slot


class LeaseBook:
    """The lock's gate and messages over its rows: one lease per model slot. Changes
    are serialised here and decided by the database; the book then shows what the
    database answered."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        gated: Iterable[str] = ("vllm.swap",),
        max_ttl_s: float = 86_400.0,
        on_change: Callable[[], None] | None = None,
        rows: LeaseRows | None = None,
    ) -> None:
        self.clock = clock
        self.rows = rows or SqliteLeaseRows(store, now=steady_time(clock), keep=HISTORY_KEEP)
        self.gated = frozenset(gated)
        self.max_ttl_s = max_ttl_s
        self.on_change = on_change or (lambda: None)
        #: Seconds between looks at a lease other gateways share (None: only this one).
        self.refresh_s = SHARED_REFRESH_S if self.rows.dialect == "postgres" else None
        self.fencing = 0
        self._leases: dict[str, Lease] = {}
        self._mutex = asyncio.Lock()

    # --- start-up ----------------------------------------------------------------------

    async def setup(self) -> None:
        """Migrate, then take back the open leases (if any) with their time left."""
        await self.rows.setup()
        outcome = await self.rows.state()
        self._adopt(outcome)
        if outcome.ended is not None:
            self.on_change()

    async def close(self) -> None:
        await self.rows.close()

    def _adopt(self, outcome: Outcome) -> None:
        """Show what the database answered: every slot's lease, due by the local
        monotonic clock after the time the database gave it."""
        self.fencing = outcome.fencing
        self._leases = {row.slot: self._lease_of(row, outcome.now) for row in outcome.live}

    def _shown(self) -> tuple[Any, ...]:
        return (
            self.fencing,
            *(
                (slot, lease.token_hash, lease.ttl_s, round(lease.deadline))
                for slot, lease in sorted(self._leases.items())
            ),
        )

    def _lease_of(self, row: LeaseRow, now: float) -> Lease:
        left = min(max(row.expires_at - now, 0.0), row.ttl_s)
        return Lease(
            fencing=row.fencing,
            holder=row.holder,
            reason=row.reason,
            token_hash=row.token_hash,
            ttl_s=row.ttl_s,
            granted_at=row.granted_at,
            deadline=self.clock.monotonic() + left,
            slot=row.slot,
        )

    # --- reading -----------------------------------------------------------------------

    def current(self, slot: str = DEFAULT_SLOT) -> Lease | None:
        """The slot's lease if it has not run out (without writing anything)."""
        lease = self._leases.get(slot)
        if lease is None or self.clock.monotonic() >= lease.deadline:
            return None
        return lease

    def held(self) -> list[Lease]:
        """Every slot's lease that has not run out, by slot."""
        return [lease for slot in sorted(self._leases) if (lease := self.current(slot))]

    def seconds_left(self, lease: Lease) -> float:
        return max(lease.deadline - self.clock.monotonic(), 0.0)

    def expires_at(self, lease: Lease) -> float:
        """Wall-clock expiry as of now (follows a clock that was set meanwhile)."""
        return self.clock.time() + self.seconds_left(lease)

    def next_deadline(self) -> float | None:
        return min((lease.deadline for lease in self._leases.values()), default=None)

    def public(self, slot: str = DEFAULT_SLOT) -> dict[str, Any]:
        """What ``GET /api/coordination/lock`` shows: the slot's lease (never the
        token) and, in ``leases``, every slot's."""
        return {**self._view(slot), "leases": [self._view(lease.slot) for lease in self.held()]}

    def _view(self, slot: str) -> dict[str, Any]:
        lease = self.current(slot)
        if lease is None:
            return {"held": False, "slot": slot, "fencing": self.fencing}
        return {
            "held": True,
            "slot": slot,
            "holder": lease.holder,
            "reason": lease.reason,
            "fencing": lease.fencing,
            "ttl_s": lease.ttl_s,
            "granted_at": lease.granted_at,
            "expires_at": self.expires_at(lease),
            "expires_in_s": round(self.seconds_left(lease), 3),
        }

    def _holding(self, token: str | None) -> Lease | None:
        return next((lease for lease in self.held() if lease.matches(token)), None)

    # --- the gate ----------------------------------------------------------------------

    def refusal(
        self, action: str, headers: Mapping[str, str], slot: str = DEFAULT_SLOT
    ) -> Refusal | None:
        """Whether a gated action on ``slot`` may run with these request headers now."""
        if action not in self.gated:
            return None
        token = headers.get(TOKEN_HEADER) or None
        lease = self.current(slot)
        if lease is not None:
            if lease.matches(token):
                return None
            left = self.seconds_left(lease)
            why = (
                "the token sent is not the lock's token"
                if token
                else "only its holder (with the lock's token) may go ahead until then"
            )
            return Refusal(
                423,
                f"{_lock_of(slot)} is held by {_who(lease)} for another {_duration(left)}; {why}",
                detail={
                    "slot": slot,
                    "holder": lease.holder,
                    "reason": lease.reason,
                    "expires_at": self.expires_at(lease),
                    "fencing": lease.fencing,
                },
                retry_after=left,
                gate="coordination",
            )
        # A token that holds another slot's lease is live: this slot is free to anyone.
        if token is not None and self._holding(token) is None:
            return Refusal(
                409,
                "this swap lock token's lease has ended (it expired, was released or was "
                "force-released); acquire the lock again, or send no token",
                detail={"fencing": self.fencing},
                gate="coordination",
            )
        return None

    # --- changes -----------------------------------------------------------------------

    def check_ttl(self, ttl_s: float) -> float:
        if not math.isfinite(ttl_s) or ttl_s <= 0:
            raise InvalidValue("ttl_s", "must be a positive number of seconds")
        if ttl_s > self.max_ttl_s:
            raise InvalidValue(
                "ttl_s", f"must be at most {self.max_ttl_s:g} s (coordination.lock_max_ttl_s)"
            )
        return float(ttl_s)

    async def acquire(
        self, holder: str, reason: str, ttl_s: float, slot: str = DEFAULT_SLOT
    ) -> Granted:
        ttl_s = self.check_ttl(ttl_s)
        token = secrets.token_urlsafe(32)
        async with self._mutex:
            outcome = await self.rows.acquire(holder, reason, ttl_s, hash_token(token), slot)
            self._adopt(outcome)
            lease = self._leases.get(slot) if outcome.ok else None
        if lease is None:
            if outcome.ended is not None:
                self.on_change()
            held = self._leases.get(slot) or self._lease_of(_required(outcome.lease), outcome.now)
            raise LockConflict(
                f"{_lock_of(slot)} is held by {_who(held)} for another "
                f"{_duration(self.seconds_left(held))}",
                detail={
                    "slot": slot,
                    "holder": held.holder,
                    "reason": held.reason,
                    "expires_at": self.expires_at(held),
                    "fencing": held.fencing,
                },
                headers={"Retry-After": str(max(1, math.ceil(self.seconds_left(held))))},
            )
        self.on_change()
        return Granted(lease, token)

    async def renew(self, token: str, ttl_s: float | None) -> Lease:
        ttl = self.check_ttl(ttl_s) if ttl_s is not None else None
        async with self._mutex:
            outcome = await self.rows.renew(hash_token(token), ttl)
            self._adopt(outcome)
            row = outcome.lease if outcome.ok else None
            lease = None if row is None else self._leases.get(row.slot)
        if not outcome.ok or lease is None:
            if outcome.ended is not None:
                self.on_change()
            raise LockConflict(
                "this token does not hold the swap lock: its lease has ended (expired, "
                "released or force-released); acquire it again without a token",
                type="stale_token",
                detail={"fencing": self.fencing},
            )
        self.on_change()
        return lease

    async def release(self, token: str) -> Released:
        """Release with the holder's token; releasing an ended lease again is a no-op.
        A token that never held a lease, while someone holds one, is a conflict."""
        async with self._mutex:
            outcome = await self.rows.release(hash_token(token))
            self._adopt(outcome)
        if outcome.ok and outcome.ended is not None:
            self.on_change()
            ended = outcome.ended
            return Released(
                True, f"released the lease of {ended.holder}", ended.fencing, ended.slot
            )
        if outcome.ended is not None:
            self.on_change()
        if outcome.past is not None:
            return Released(
                False,
                f"nothing to release: this lease had already ended ({outcome.ended_how})",
                outcome.past.fencing,
                outcome.past.slot,
            )
        held = self.held()
        if held:
            raise LockConflict(
                f"the swap lock is held by {', '.join(_holders(held))}, and this token is "
                "not its token; only the holder can release it (or a person, with force)",
                detail={"holder": held[0].holder, "fencing": held[0].fencing},
            )
        return Released(False, "nothing to release: the swap lock is free")

    async def force_release(self, slot: str = DEFAULT_SLOT) -> tuple[Lease | None, int]:
        """The human override: end the slot's lease, if any, and raise the fencing
        number, so that the former holder's token and number are both stale."""
        async with self._mutex:
            outcome = await self.rows.force(slot)
            self._adopt(outcome)
        self.on_change()
        ended = outcome.ended if outcome.ended is not None and outcome.ended.slot == slot else None
        return (None if ended is None else self._lease_of(ended, outcome.now)), self.fencing

    async def expire_due(self) -> bool:
        """End every lease whose time is up; True if one ended now. On a database other
        gateways share, also take in what they changed (``refresh_s``)."""
        async with self._mutex:
            now = self.clock.monotonic()
            due = any(now >= lease.deadline for lease in self._leases.values())
            if not due and self.refresh_s is None:
                return False
            before = self._shown()
            outcome = await self.rows.expire_due()
            self._adopt(outcome)
        if outcome.ok or self._shown() != before:
            self.on_change()
        return outcome.ok


def steady_time(clock: Clock) -> Callable[[], float]:
    """The wall clock as read once, then moved by the monotonic clock: setting the
    system clock meanwhile changes nothing."""
    wall, mono = clock.time(), clock.monotonic()
    return lambda: wall + (clock.monotonic() - mono)


def _required(row: LeaseRow | None) -> LeaseRow:
    if row is None:
        raise RuntimeError("the database refused the lease without naming its holder")
    return row


def _lock_of(slot: str) -> str:
    """The lock's name in messages: today's words for the default slot."""
    return "the swap lock" if slot == DEFAULT_SLOT else f"the swap lock of slot {slot!r}"


def _holders(leases: list[Lease]) -> list[str]:
    return [
        lease.holder if lease.slot == DEFAULT_SLOT else f"{lease.holder} (slot {lease.slot})"
        for lease in leases
    ]


def _who(lease: Lease) -> str:
    return f"{lease.holder} ({lease.reason})" if lease.reason else lease.holder


def _duration(seconds: float) -> str:
    seconds = max(0, math.ceil(seconds))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{math.ceil(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"
