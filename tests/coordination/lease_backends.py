"""Both lease backends on a real database with a clock the test sets: a fresh SQLite
file, or a fresh schema on the session's throwaway PostgreSQL cluster. Each
:meth:`Backend.replica` is a separate connection (a separate gateway); the database's
clock is a one-row table the backend's ``now_sql`` reads, so time moves only when told
and every replica sees the same time, as they would with the database's own clock."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg

from spark_control.store import Store
from spark_control_coordination.lease_rows import (
    LeaseRows,
    PostgresLeaseRows,
    SqliteLeaseRows,
)

START = 1_767_225_600.0
NOW_SQL = "(SELECT now FROM lease_test_clock)"
BACKENDS = ("sqlite", "postgres")


class Backend:
    """One database for one test: replicas on it, its clock, and plain SQL on it."""

    def __init__(self, kind: str, where: str) -> None:
        self.kind = kind
        self.where = where  # the SQLite file, or the PostgreSQL DSN of a fresh schema
        self.now = START
        self._replicas: list[Any] = []
        self._admin: Any = None

    async def open(self) -> None:
        if self.kind == "sqlite":
            self._admin = Store(self.where)
            await self._admin.open()
        else:
            self._admin = await psycopg.AsyncConnection.connect(self.where, autocommit=True)
        await self.sql("CREATE TABLE lease_test_clock (now DOUBLE PRECISION NOT NULL)")
        await self.sql("INSERT INTO lease_test_clock (now) VALUES (?)", (self.now,))

    async def close(self) -> None:
        for replica in self._replicas:
            await replica.close()
        for store in [r.store for r in self._replicas if isinstance(r, SqliteLeaseRows)]:
            await store.close()
        if self._admin is not None:
            await self._admin.close()

    async def sql(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        if self.kind == "sqlite":
            return await self._admin.fetchall(sql, params)  # type: ignore[no-any-return]
        cur = await self._admin.execute(sql.replace("?", "%s"), params)
        if cur.description is None:
            return []
        names = [c.name for c in cur.description]
        return [dict(zip(names, row, strict=True)) for row in await cur.fetchall()]

    async def set_time(self, now: float) -> None:
        self.now = now
        await self.sql("UPDATE lease_test_clock SET now = ?", (now,))

    async def advance(self, seconds: float) -> None:
        await self.set_time(self.now + seconds)

    async def replica(self, **options: Any) -> LeaseRows:
        """A new gateway's view of the lease: its own connection, migrated."""
        rows: LeaseRows
        if self.kind == "sqlite":
            store = Store(self.where)
            await store.open()
            rows = SqliteLeaseRows(store, now_sql=NOW_SQL, **options)
        else:
            rows = PostgresLeaseRows(self.where, now_sql=NOW_SQL, **options)
        await rows.setup()
        self._replicas.append(rows)
        return rows


@contextlib.asynccontextmanager
async def backend(kind: str, tmp_path: Path, dsn: str | None) -> AsyncIterator[Backend]:
    """A fresh database of ``kind``: a new SQLite file, or a new PostgreSQL schema
    (dropped after) on the cluster at ``dsn``."""
    if kind == "sqlite":
        db = Backend(kind, str(tmp_path / f"lease-{secrets.token_hex(4)}.db"))
        try:
            await db.open()
            yield db
        finally:
            await db.close()
        return
    assert dsn is not None
    async with fresh_schema(dsn) as where:
        db = Backend(kind, where)
        try:
            await db.open()
            yield db
        finally:
            await db.close()


@contextlib.asynccontextmanager
async def fresh_schema(dsn: str) -> AsyncIterator[str]:
    """A DSN whose tables land in a new schema of the cluster at ``dsn`` (dropped after),
    so tests sharing the session's cluster never meet."""
    schema = f"lease_{secrets.token_hex(6)}"
    async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
        await conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in dsn else "?"
    try:
        yield f"{dsn}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
            await conn.execute(f"DROP SCHEMA {schema} CASCADE")
