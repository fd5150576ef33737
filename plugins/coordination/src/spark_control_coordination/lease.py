"""The swap reservation lock: one holder at a time, a secret token, a fencing number.

The lease's deadline runs on the monotonic clock, so setting the system clock neither
shortens nor stretches it. It is persisted with its wall-clock expiry; after a restart
(a new monotonic clock) the time left is read back from the wall clock and clamped to
the lease's own TTL, so a clock stepped back across the restart cannot stretch it past
one TTL. Tokens are kept only as SHA-256 hashes.

The fencing number grows with every grant and every force-release and never shrinks:
a consumer that stores it with its work can tell that a later holder has taken over.
A token whose lease has ended (expired, released, forced) never acts again: the gate
refuses it, renewal refuses it, and release with it is a no-op.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import math
import secrets
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from spark_control.api import InvalidValue, Refusal, SparkError, Store
from spark_control_coordination.clock import Clock

OWNER = "coordination"
TOKEN_HEADER = "x-swap-lock-token"  # noqa: S105 - a header name, not a secret
HISTORY_KEEP = 1000

LEASE_MIGRATIONS: list[str] = [
    """
    CREATE TABLE coordination_leases (
        fencing INTEGER PRIMARY KEY,
        holder TEXT NOT NULL,
        reason TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        ttl_s REAL NOT NULL,
        granted_at REAL NOT NULL,
        expires_at REAL NOT NULL,
        ended_at REAL,
        ended_how TEXT
    );
    -- At most one open lease, whatever the code above does.
    CREATE UNIQUE INDEX coordination_one_open_lease
        ON coordination_leases ((ended_at IS NULL)) WHERE ended_at IS NULL;
    CREATE TABLE coordination_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT INTO coordination_counters (name, value) VALUES ('fencing', 0);
    """,
]


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


class LeaseBook:
    """The lock's state, its persistence and its gate. Mutations are serialised and
    written to the store before they take effect in memory."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        gated: Iterable[str] = ("vllm.swap",),
        max_ttl_s: float = 86_400.0,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.gated = frozenset(gated)
        self.max_ttl_s = max_ttl_s
        self.on_change = on_change or (lambda: None)
        self.fencing = 0
        self._lease: Lease | None = None
        self._mutex = asyncio.Lock()

    # --- start-up ----------------------------------------------------------------------

    async def setup(self) -> None:
        """Migrate, then take back the open lease (if any) with its time left."""
        await self.store.migrate(OWNER, LEASE_MIGRATIONS)
        row = await self.store.fetchone(
            "SELECT value FROM coordination_counters WHERE name = 'fencing'"
        )
        self.fencing = int(row["value"]) if row else 0
        open_row = await self.store.fetchone(
            "SELECT * FROM coordination_leases WHERE ended_at IS NULL"
        )
        if open_row is None:
            return
        left = min(max(open_row["expires_at"] - self.clock.time(), 0.0), open_row["ttl_s"])
        self._lease = Lease(
            fencing=open_row["fencing"],
            holder=open_row["holder"],
            reason=open_row["reason"],
            token_hash=open_row["token_hash"],
            ttl_s=open_row["ttl_s"],
            granted_at=open_row["granted_at"],
            deadline=self.clock.monotonic() + left,
        )
        await self.expire_due()

    # --- reading -----------------------------------------------------------------------

    def current(self) -> Lease | None:
        """The lease if it has not run out (without writing anything)."""
        lease = self._lease
        if lease is None or self.clock.monotonic() >= lease.deadline:
            return None
        return lease

    def seconds_left(self, lease: Lease) -> float:
        return max(lease.deadline - self.clock.monotonic(), 0.0)

    def expires_at(self, lease: Lease) -> float:
        """Wall-clock expiry as of now (follows a clock that was set meanwhile)."""
        return self.clock.time() + self.seconds_left(lease)

    def next_deadline(self) -> float | None:
        return self._lease.deadline if self._lease is not None else None

    def public(self) -> dict[str, Any]:
        """What ``GET /api/coordination/lock`` shows: never the token."""
        lease = self.current()
        if lease is None:
            return {"held": False, "fencing": self.fencing}
        return {
            "held": True,
            "holder": lease.holder,
            "reason": lease.reason,
            "fencing": lease.fencing,
            "ttl_s": lease.ttl_s,
            "granted_at": lease.granted_at,
            "expires_at": self.expires_at(lease),
            "expires_in_s": round(self.seconds_left(lease), 3),
        }

    # --- the gate ----------------------------------------------------------------------

    def refusal(self, action: str, headers: Mapping[str, str]) -> Refusal | None:
        """Whether a gated action may run with these request headers now."""
        if action not in self.gated:
            return None
        token = headers.get(TOKEN_HEADER) or None
        lease = self.current()
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
                f"the swap lock is held by {_who(lease)} for another {_duration(left)}; {why}",
                detail={
                    "holder": lease.holder,
                    "reason": lease.reason,
                    "expires_at": self.expires_at(lease),
                    "fencing": lease.fencing,
                },
                retry_after=left,
                gate="coordination",
            )
        if token is not None:
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

    async def acquire(self, holder: str, reason: str, ttl_s: float) -> Granted:
        ttl_s = self.check_ttl(ttl_s)
        async with self._mutex:
            await self._expire_due()
            lease = self.current()
            if lease is not None:
                raise LockConflict(
                    f"the swap lock is held by {_who(lease)} for another "
                    f"{_duration(self.seconds_left(lease))}",
                    detail={
                        "holder": lease.holder,
                        "reason": lease.reason,
                        "expires_at": self.expires_at(lease),
                        "fencing": lease.fencing,
                    },
                    headers={"Retry-After": str(max(1, math.ceil(self.seconds_left(lease))))},
                )
            token = secrets.token_urlsafe(32)
            now, mono = self.clock.time(), self.clock.monotonic()
            digest = hash_token(token)

            def grant(conn: sqlite3.Connection) -> int:
                fencing = _bump_fencing(conn)
                conn.execute(
                    "INSERT INTO coordination_leases (fencing, holder, reason, token_hash, "
                    "ttl_s, granted_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (fencing, holder, reason, digest, ttl_s, now, now + ttl_s),
                )
                return fencing

            fencing = await self.store.transaction(grant)
            self.fencing = fencing
            lease = Lease(fencing, holder, reason, digest, ttl_s, now, mono + ttl_s)
            self._lease = lease
        await self._prune()
        self.on_change()
        return Granted(lease, token)

    async def renew(self, token: str, ttl_s: float | None) -> Lease:
        async with self._mutex:
            await self._expire_due()
            lease = self.current()
            if lease is None or not lease.matches(token):
                raise LockConflict(
                    "this token does not hold the swap lock: "
                    + (
                        f"it is held by {lease.holder}"
                        if lease is not None
                        else "its lease has ended (expired, released or force-released)"
                    )
                    + "; acquire it again without a token",
                    type="stale_token",
                    detail={"fencing": self.fencing},
                )
            ttl = self.check_ttl(ttl_s) if ttl_s is not None else lease.ttl_s
            now = self.clock.time()
            await self.store.execute(
                "UPDATE coordination_leases SET ttl_s = ?, expires_at = ? WHERE fencing = ?",
                (ttl, now + ttl, lease.fencing),
            )
            lease.ttl_s, lease.deadline = ttl, self.clock.monotonic() + ttl
        self.on_change()
        return lease

    async def release(self, token: str) -> Released:
        """Release with the holder's token; releasing an ended lease again is a no-op.
        A token that never held a lease, while someone holds it, is a conflict."""
        async with self._mutex:
            await self._expire_due()
            lease = self.current()
            if lease is not None and lease.matches(token):
                await self._end(lease.fencing, "released")
                result = Released(True, f"released the lease of {lease.holder}", lease.fencing)
            else:
                past = await self.store.fetchone(
                    "SELECT fencing, holder, ended_how FROM coordination_leases "
                    "WHERE token_hash = ?",
                    (hash_token(token),),
                )
                if past is not None:
                    result = Released(
                        False,
                        f"nothing to release: this lease had already ended ({past['ended_how']})",
                        past["fencing"],
                    )
                elif lease is not None:
                    raise LockConflict(
                        f"the swap lock is held by {lease.holder}, and this token is not its "
                        "token; only the holder can release it (or a person, with force)",
                        detail={"holder": lease.holder, "fencing": lease.fencing},
                    )
                else:
                    result = Released(False, "nothing to release: the swap lock is free")
        if result.released:
            self.on_change()
        return result

    async def force_release(self) -> tuple[Lease | None, int]:
        """The human override: end whatever lease there is and raise the fencing
        number, so that the former holder's token and number are both stale."""
        async with self._mutex:
            await self._expire_due()
            lease = self.current()
            now = self.clock.time()

            def force(conn: sqlite3.Connection) -> int:
                if lease is not None:
                    conn.execute(
                        "UPDATE coordination_leases SET ended_at = ?, ended_how = 'forced' "
                        "WHERE fencing = ?",
                        (now, lease.fencing),
                    )
                return _bump_fencing(conn)

            self.fencing = await self.store.transaction(force)
            self._lease = None
        self.on_change()
        return lease, self.fencing

    async def expire_due(self) -> bool:
        """End the lease if its time is up; True if one ended now."""
        async with self._mutex:
            return await self._expire_due()

    async def _expire_due(self) -> bool:
        lease = self._lease
        if lease is None or self.clock.monotonic() < lease.deadline:
            return False
        await self._end(lease.fencing, "expired")
        self.on_change()
        return True

    async def _end(self, fencing: int, how: str) -> None:
        await self.store.execute(
            "UPDATE coordination_leases SET ended_at = ?, ended_how = ? "
            "WHERE fencing = ? AND ended_at IS NULL",
            (self.clock.time(), how, fencing),
        )
        self._lease = None

    async def _prune(self) -> None:
        await self.store.execute(
            "DELETE FROM coordination_leases WHERE ended_at IS NOT NULL AND fencing <= ?",
            (self.fencing - HISTORY_KEEP,),
        )


def _bump_fencing(conn: sqlite3.Connection) -> int:
    conn.execute("UPDATE coordination_counters SET value = value + 1 WHERE name = 'fencing'")
    (value,) = conn.execute(
        "SELECT value FROM coordination_counters WHERE name = 'fencing'"
    ).fetchone()
    return int(value)


def _who(lease: Lease) -> str:
    return f"{lease.holder} ({lease.reason})" if lease.reason else lease.holder


def _duration(seconds: float) -> str:
    seconds = max(0, math.ceil(seconds))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{math.ceil(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"
