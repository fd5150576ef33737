"""The swap lease as database rows, decided by the database: one backend interface,
SQLite (the embedded default) and PostgreSQL (for several gateways on one database).

Every change is one transaction that reads the database's own clock, so gateways with
different clocks agree on when a lease ends; the fencing counter row is locked first
(SQLite ``BEGIN IMMEDIATE``, PostgreSQL ``SELECT … FOR UPDATE``), so two gateways that
both see the lock free cannot both be granted it. A clock stepped back never stretches
a lease past its own TTL: whoever sees ``expires_at`` further away than the TTL puts it
back to ``now + ttl_s``.

The logic is written once, as generators that yield ``(sql, params)`` and receive the
rows; each backend drives them inside its own transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

from spark_control.api import Store, Unavailable

T = TypeVar("T")
Rows = list[dict[str, Any]]
Query = tuple[str, tuple[Any, ...]]
Steps = Generator[Query, Rows, T]

#: The clocks: seconds since the Unix epoch, read by the database itself.
SQLITE_NOW = "(julianday('now') - 2440587.5) * 86400.0"
POSTGRES_NOW = "extract(epoch from clock_timestamp())::float8"

OWNER = "coordination"
SQLITE_MIGRATIONS: list[str] = [
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
    """
    CREATE TABLE coordination_fenced (
        key TEXT PRIMARY KEY, value TEXT NOT NULL, fencing INTEGER NOT NULL
    );
    """,
]
# The same tables for PostgreSQL. Floats are
# Unix seconds, as in SQLite, so both backends share every statement below.
POSTGRES_MIGRATIONS: list[list[str]] = [
    [
        """CREATE TABLE coordination_leases (
            fencing BIGINT PRIMARY KEY,
            holder TEXT NOT NULL,
            reason TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            ttl_s DOUBLE PRECISION NOT NULL,
            granted_at DOUBLE PRECISION NOT NULL,
            expires_at DOUBLE PRECISION NOT NULL,
            ended_at DOUBLE PRECISION,
            ended_how TEXT
        )""",
        """CREATE UNIQUE INDEX coordination_one_open_lease
            ON coordination_leases ((ended_at IS NULL)) WHERE ended_at IS NULL""",
        "CREATE TABLE coordination_counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
        "INSERT INTO coordination_counters (name, value) VALUES ('fencing', 0)",
    ],
    [
        """CREATE TABLE coordination_fenced (
            key TEXT PRIMARY KEY, value TEXT NOT NULL, fencing BIGINT NOT NULL
        )""",
    ],
]
LOCK_COUNTER = "SELECT value FROM coordination_counters WHERE name = 'fencing'"
# PostgreSQL's advisory lock key for migrating (any constant; "spark" in ASCII).
MIGRATE_LOCK = 0x737061726B


class LeaseDatabaseUnavailable(Unavailable):
    """The lease's database cannot be reached or did not answer in time (503)."""


@dataclass(frozen=True)
class LeaseRow:
    fencing: int
    holder: str
    reason: str
    token_hash: str
    ttl_s: float
    granted_at: float
    expires_at: float

    @classmethod
    def of(cls, row: dict[str, Any]) -> LeaseRow:
        return cls(
            int(row["fencing"]),
            row["holder"],
            row["reason"],
            row["token_hash"],
            float(row["ttl_s"]),
            float(row["granted_at"]),
            float(row["expires_at"]),
        )


@dataclass(frozen=True)
class Outcome:
    """What a change found, as of the database's ``now``: ``lease`` is the open lease
    after it (None when free), ``fencing`` the counter, ``ended`` a lease it ended."""

    ok: bool
    now: float
    fencing: int
    lease: LeaseRow | None
    ended: LeaseRow | None = None
    past: LeaseRow | None = None  # for release: this token's lease, which had ended
    ended_how: str | None = None  # and how it ended


Dialect = Literal["sqlite", "postgres"]


class LeaseRows(Protocol):
    """The lease's persistence; every method is one transaction by the database clock."""

    dialect: Dialect

    async def setup(self) -> None: ...

    async def close(self) -> None: ...

    async def state(self) -> Outcome: ...

    async def acquire(self, holder: str, reason: str, ttl_s: float, token_hash: str) -> Outcome:
        """ok: granted (``lease`` is the new one); else ``lease`` is the holder's."""

    async def renew(self, token_hash: str, ttl_s: float | None) -> Outcome:
        """ok: renewed from now; else the token holds no live lease."""

    async def release(self, token_hash: str) -> Outcome:
        """ok: released (``ended``); else ``ended_how`` if this token's lease had ended."""

    async def force(self) -> Outcome:
        """End whatever live lease there is (``ended``) and raise the fencing counter."""

    async def expire_due(self) -> Outcome:
        """End the open lease if its time is up (ok when one ended now)."""

    async def record(self, token_hash: str, key: str, value: str) -> Outcome:
        """A write under the lease: ``key`` gets ``value`` and the lease's fencing number,
        only while this token's lease is live and the newest; a stale token is refused."""


# --- the logic, once --------------------------------------------------------------------


class Logic:
    def __init__(
        self, dialect: Dialect, now_sql: str, now: Callable[[], float] | None = None
    ) -> None:
        self.dialect = dialect
        self.now_sql = now_sql
        self.now = now
        # SQLite's BEGIN IMMEDIATE already holds the write lock; PostgreSQL locks the row.
        self.lock_counter = LOCK_COUNTER + (" FOR UPDATE" if dialect == "postgres" else "")

    def _begin(self) -> Steps[tuple[float, int, LeaseRow | None, LeaseRow | None]]:
        """Lock the counter, read the clock, end an open lease whose time is up, and put
        back an expiry a stepped-back clock pushed past the TTL. Returns (now, fencing,
        the live lease, a lease ended as expired just now)."""
        rows = yield (self.lock_counter, ())
        fencing = int(rows[0]["value"])
        rows = yield (
            ("SELECT ? AS now", (self.now(),))
            if self.now is not None
            else (f"SELECT {self.now_sql} AS now", ())
        )
        now = float(rows[0]["now"])
        rows = yield ("SELECT * FROM coordination_leases WHERE ended_at IS NULL", ())
        if not rows:
            return now, fencing, None, None
        lease = LeaseRow.of(rows[0])
        if now >= lease.expires_at:
            yield from self._end(lease, now, "expired")
            return now, fencing, None, lease
        if lease.expires_at - now > lease.ttl_s:
            lease = _replace(lease, expires_at=now + lease.ttl_s)
            yield (
                "UPDATE coordination_leases SET expires_at = ? WHERE fencing = ?",
                (lease.expires_at, lease.fencing),
            )
        return now, fencing, lease, None

    def _end(self, lease: LeaseRow, now: float, how: str) -> Steps[None]:
        yield (
            "UPDATE coordination_leases SET ended_at = ?, ended_how = ? "
            "WHERE fencing = ? AND ended_at IS NULL",
            (now, how, lease.fencing),
        )

    def _bump(self) -> Steps[int]:
        rows = yield (
            "UPDATE coordination_counters SET value = value + 1 WHERE name = 'fencing' "
            "RETURNING value",
            (),
        )
        return int(rows[0]["value"])

    def state(self) -> Steps[Outcome]:
        now, fencing, lease, ended = yield from self._begin()
        return Outcome(True, now, fencing, lease, ended)

    def acquire(
        self, holder: str, reason: str, ttl_s: float, token_hash: str, keep: int
    ) -> Steps[Outcome]:
        now, fencing, lease, ended = yield from self._begin()
        if lease is not None:
            return Outcome(False, now, fencing, lease, ended)
        fencing = yield from self._bump()
        granted = LeaseRow(fencing, holder, reason, token_hash, ttl_s, now, now + ttl_s)
        yield (
            "INSERT INTO coordination_leases (fencing, holder, reason, token_hash, ttl_s, "
            "granted_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (fencing, holder, reason, token_hash, ttl_s, now, now + ttl_s),
        )
        yield (
            "DELETE FROM coordination_leases WHERE ended_at IS NOT NULL AND fencing <= ?",
            (fencing - keep,),
        )
        return Outcome(True, now, fencing, granted, ended)

    def renew(self, token_hash: str, ttl_s: float | None) -> Steps[Outcome]:
        now, fencing, lease, ended = yield from self._begin()
        if lease is None or lease.token_hash != token_hash:
            return Outcome(False, now, fencing, lease, ended)
        ttl = lease.ttl_s if ttl_s is None else ttl_s
        lease = _replace(lease, ttl_s=ttl, expires_at=now + ttl)
        yield (
            "UPDATE coordination_leases SET ttl_s = ?, expires_at = ? WHERE fencing = ?",
            (ttl, now + ttl, lease.fencing),
        )
        return Outcome(True, now, fencing, lease, ended)

    def release(self, token_hash: str) -> Steps[Outcome]:
        now, fencing, lease, ended = yield from self._begin()
        if lease is not None and lease.token_hash == token_hash:
            yield from self._end(lease, now, "released")
            return Outcome(True, now, fencing, None, lease)
        rows = yield ("SELECT * FROM coordination_leases WHERE token_hash = ?", (token_hash,))
        if not rows:
            return Outcome(False, now, fencing, lease, ended)
        past = LeaseRow.of(rows[0])
        return Outcome(False, now, fencing, lease, ended, past, rows[0]["ended_how"])

    def force(self) -> Steps[Outcome]:
        now, _, lease, _ = yield from self._begin()
        if lease is not None:
            yield from self._end(lease, now, "forced")
        fencing = yield from self._bump()
        return Outcome(True, now, fencing, None, lease)

    def expire_due(self) -> Steps[Outcome]:
        now, fencing, lease, ended = yield from self._begin()
        return Outcome(ended is not None, now, fencing, lease, ended)

    def record(self, token_hash: str, key: str, value: str) -> Steps[Outcome]:
        now, fencing, lease, ended = yield from self._begin()
        if lease is None or lease.token_hash != token_hash or lease.fencing != fencing:
            return Outcome(False, now, fencing, lease, ended)
        yield (
            "INSERT INTO coordination_fenced (key, value, fencing) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
            "fencing = excluded.fencing WHERE coordination_fenced.fencing <= excluded.fencing",
            (key, value, lease.fencing),
        )
        return Outcome(True, now, fencing, lease, ended)


def _replace(lease: LeaseRow, **changes: Any) -> LeaseRow:
    return LeaseRow(**{**lease.__dict__, **changes})


class _Driven:
    """The :class:`LeaseRows` methods, each the logic driven in one transaction."""

    logic: Logic
    keep: int

    async def _drive(self, steps: Steps[T]) -> T:
        raise NotImplementedError

    async def state(self) -> Outcome:
        return await self._drive(self.logic.state())

    async def acquire(self, holder: str, reason: str, ttl_s: float, token_hash: str) -> Outcome:
        return await self._drive(self.logic.acquire(holder, reason, ttl_s, token_hash, self.keep))

    async def renew(self, token_hash: str, ttl_s: float | None) -> Outcome:
        return await self._drive(self.logic.renew(token_hash, ttl_s))

    async def release(self, token_hash: str) -> Outcome:
        return await self._drive(self.logic.release(token_hash))

    async def force(self) -> Outcome:
        return await self._drive(self.logic.force())

    async def expire_due(self) -> Outcome:
        return await self._drive(self.logic.expire_due())

    async def record(self, token_hash: str, key: str, value: str) -> Outcome:
        return await self._drive(self.logic.record(token_hash, key, value))


# --- SQLite -----------------------------------------------------------------------------


class SqliteLeaseRows(_Driven):
    """The lease in the gateway's own SQLite store (one gateway)."""

    dialect: Dialect = "sqlite"

    def __init__(
        self,
        store: Store,
        *,
        now_sql: str = SQLITE_NOW,
        now: Callable[[], float] | None = None,
        keep: int = 1000,
    ) -> None:
        """``now``: the clock, when the process's own is the database's (embedded)."""
        self.store = store
        self.logic = Logic("sqlite", now_sql, now)
        self.keep = keep

    async def setup(self) -> None:
        await self.store.migrate(OWNER, SQLITE_MIGRATIONS)

    async def close(self) -> None:
        """The store belongs to the gateway, which closes it."""

    async def _drive(self, steps: Steps[T]) -> T:
        def run(conn: Any) -> T:
            rows: Rows = []
            try:
                sql, params = steps.send(None)  # type: ignore[arg-type]
                while True:
                    cursor = conn.execute(sql, params)
                    names = [c[0] for c in cursor.description or ()]
                    rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
                    sql, params = steps.send(rows)
            except StopIteration as done:
                return done.value

        return await self.store.transaction(run)


# --- PostgreSQL -------------------------------------------------------------------------


class PostgresLeaseRows(_Driven):
    """The lease on a PostgreSQL server shared by several gateways. One connection,
    opened on first use and again after it broke (a restarted server, a partition)."""

    dialect: Dialect = "postgres"

    def __init__(
        self,
        dsn: str,
        *,
        now_sql: str = POSTGRES_NOW,
        keep: int = 1000,
        connect_timeout_s: float = 5.0,
        timeout_s: float = 10.0,
    ) -> None:
        self.dsn = dsn
        self.logic = Logic("postgres", now_sql)
        self.keep = keep
        self.connect_timeout_s = connect_timeout_s
        self.timeout_s = timeout_s
        self._conn: Any = None
        self._mutex = asyncio.Lock()

    async def _connection(self) -> Any:
        import psycopg
        from psycopg.rows import dict_row

        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn = await psycopg.AsyncConnection.connect(
                self.dsn,
                autocommit=True,
                row_factory=dict_row,
                connect_timeout=max(1, round(self.connect_timeout_s)),
            )
        return self._conn

    async def setup(self) -> None:
        async with self._mutex:
            conn = await self._connection()
            async with conn.transaction():
                # One gateway migrates at a time; the others wait, then find it done.
                await conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
                await conn.execute(
                    "CREATE TABLE IF NOT EXISTS spark_schema "
                    "(owner TEXT PRIMARY KEY, version INTEGER NOT NULL)"
                )
                cur = await conn.execute(
                    "SELECT version FROM spark_schema WHERE owner = %s", (OWNER,)
                )
                row = await cur.fetchone()
                version = int(row["version"]) if row else 0
                if row is None:
                    version = await self._imported_version(conn)
                for step in POSTGRES_MIGRATIONS[version:]:
                    for sql in step:
                        await conn.execute(sql)
                await conn.execute(
                    "INSERT INTO spark_schema (owner, version) VALUES (%s, %s) ON CONFLICT "
                    "(owner) DO UPDATE SET version = excluded.version",
                    (OWNER, len(POSTGRES_MIGRATIONS)),
                )

    @staticmethod
    async def _imported_version(conn: Any) -> int:
        """Tables copied from a SQLite store (``spark-control db import``) came with
        their version in the store's ``schema_migrations``; the SQLite and PostgreSQL
        steps above match one for one, so carry on from there."""
        cur = await conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL AS has")
        if not (await cur.fetchone())["has"]:
            return 0
        cur = await conn.execute(
            "SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations WHERE owner = %s",
            (OWNER,),
        )
        row = await cur.fetchone()
        return int(row["v"]) if row else 0

    async def close(self) -> None:
        async with self._mutex:
            if self._conn is not None:
                await self._conn.close()
                self._conn = None

    async def _drive(self, steps: Steps[T]) -> T:
        """One transaction; a database that cannot be reached, or does not answer
        within ``timeout_s`` (a partition that drops packets), is a 503, and the
        connection is opened anew next time."""
        import psycopg

        async with self._mutex:
            try:
                async with asyncio.timeout(self.timeout_s):
                    return await self._transaction(steps)
            except (psycopg.OperationalError, TimeoutError) as exc:
                conn, self._conn = self._conn, None
                if conn is not None:
                    with contextlib.suppress(Exception):
                        await conn.close()
                raise LeaseDatabaseUnavailable(
                    "the swap lock's database cannot be reached: "
                    + (str(exc).strip().splitlines() or ["no answer in time"])[0]
                ) from exc

    async def _transaction(self, steps: Steps[T]) -> T:
        conn = await self._connection()
        async with conn.transaction():
            rows: Rows = []
            try:
                sql, params = steps.send(None)  # type: ignore[arg-type]
                while True:
                    cursor = await conn.execute(sql.replace("?", "%s"), params)
                    rows = await cursor.fetchall() if cursor.description else []
                    sql, params = steps.send(rows)
            except StopIteration as done:
                return done.value


def is_postgres(database_url: str | None) -> bool:
    return bool(database_url) and str(database_url).split(":", 1)[0] in ("postgresql", "postgres")


def lease_rows(
    database_url: str | None, store: Store, now: Callable[[], float] | None = None
) -> LeaseRows:
    """The backend ``gateway.database_url`` chooses: PostgreSQL (and its clock) for a
    ``postgresql://`` or ``postgres://`` URL, else the gateway's own SQLite store with
    ``now`` (the embedded database's clock is the process's)."""
    if database_url is not None and is_postgres(database_url):
        return PostgresLeaseRows(database_url)
    return SqliteLeaseRows(store, now=now)


__all__ = [
    "POSTGRES_NOW",
    "SQLITE_NOW",
    "LeaseRow",
    "LeaseRows",
    "Outcome",
    "PostgresLeaseRows",
    "SqliteLeaseRows",
    "lease_rows",
]
