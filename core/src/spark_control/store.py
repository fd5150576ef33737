"""The gateway's SQLite database in the data directory, and per-owner schema migrations.

One connection lives on one dedicated worker thread, so statements run in submission
order and never block the event loop. Every owner (``core.audit``, ``core.health``, a
plugin's name) keeps its own migration steps and its own tables; prefix table names
with the owner (``core_audit``, ``models_swaps``) so owners never collide.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from spark_control.errors import SparkError

T = TypeVar("T")

Row = dict[str, Any]
Params = Sequence[Any] | dict[str, Any]
# A migration step: an SQL script, or a callable for changes SQL alone cannot express.
Step = str | Callable[[sqlite3.Connection], None]

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

_MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    owner TEXT NOT NULL,
    version INTEGER NOT NULL,
    applied_at TEXT NOT NULL,
    PRIMARY KEY (owner, version)
)
"""


class StoreError(SparkError):
    type = "store_error"


class SchemaTooNew(StoreError):
    """The database was migrated by newer code than this one; refusing to touch it."""

    def __init__(self, owner: str, recorded: int, known: int, path: Path) -> None:
        super().__init__(
            f"database {path} has schema version {recorded} for {owner!r}, but this "
            f"Spark Control only knows versions up to {known}; it was written by a newer "
            "release. Upgrade, or restore a backup made before the upgrade.",
            detail={"owner": owner, "recorded": recorded, "known": known},
        )


class Store:
    """Async access to one SQLite file (WAL mode, foreign keys on)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._executor: ThreadPoolExecutor | None = None
        self._conn: sqlite3.Connection | None = None

    async def open(self) -> None:
        if self._executor is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spark-store")
        try:
            self._conn = await self._run(self._connect)
        except BaseException:
            self._executor.shutdown(wait=False)
            self._executor = None
            raise

    async def close(self) -> None:
        if self._executor is None:
            return
        conn, self._conn = self._conn, None
        if conn is not None:
            # Queued after every pending statement, on the thread that owns the connection.
            await self._run(conn.close)
        self._executor.shutdown(wait=False)
        self._executor = None

    async def __aenter__(self) -> Store:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: autocommit, so transactions are exactly the ones we open.
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        # NORMAL is durable across application crashes in WAL mode and much faster.
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute(_MIGRATIONS_TABLE)
        return conn

    async def _run(self, fn: Callable[[], T]) -> T:
        if self._executor is None:
            raise StoreError(f"store {self.path} is not open")
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn)

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"store {self.path} is not open")
        return self._conn

    # -- statements ---------------------------------------------------------------

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return the number of rows it changed."""
        return await self._run(lambda: self._connection().execute(sql, params).rowcount)

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run one INSERT; return the new row's id."""

        def run() -> int:
            rowid = self._connection().execute(sql, params).lastrowid
            if rowid is None:
                raise StoreError("statement inserted no row")
            return rowid

        return await self._run(run)

    async def executemany(self, sql: str, seq: Iterable[Params]) -> int:
        """Run one statement per parameter set, all in one transaction."""
        rows = list(seq)
        return await self.transaction(lambda conn: conn.executemany(sql, rows).rowcount)

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        def run() -> list[Row]:
            return [dict(r) for r in self._connection().execute(sql, params).fetchall()]

        return await self._run(run)

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        def run() -> Row | None:
            row = self._connection().execute(sql, params).fetchone()
            return dict(row) if row is not None else None

        return await self._run(run)

    async def transaction(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn(conn)`` on the store's thread inside one transaction.

        It commits when ``fn`` returns and rolls back when it raises. ``fn`` is plain
        synchronous code: it must not await, and must not keep ``conn``.
        """
        return await self._run(partial(self._in_transaction, fn))

    def _in_transaction(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        conn = self._connection()
        # IMMEDIATE takes the write lock up front, so a transaction never fails halfway
        # on a lock held by another process (a backup, the CLI).
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = fn(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return result

    async def prune(self, table: str, keep: int, *, key: str = "id") -> int:
        """Delete all but the ``keep`` rows with the highest ``key``; return how many went."""
        for name in (table, key):
            if not _IDENTIFIER.match(name):
                raise ValueError(f"not an SQL identifier: {name!r}")
        sql = (
            f"DELETE FROM {table} WHERE {key} < "  # noqa: S608 - identifiers checked above
            f"(SELECT MIN({key}) FROM (SELECT {key} FROM {table} ORDER BY {key} DESC LIMIT ?))"
        )
        return await self.execute(sql, (max(keep, 1),))

    # -- migrations ---------------------------------------------------------------

    async def version(self, owner: str) -> int:
        row = await self.fetchone(
            "SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations WHERE owner = ?",
            (owner,),
        )
        return int(row["v"]) if row else 0

    async def migrate(self, owner: str, steps: Sequence[Step]) -> int:
        """Bring ``owner``'s tables to version ``len(steps)``; return that version.

        Step ``n`` (1-based) runs only if the recorded version is below ``n``, each in its
        own transaction together with its ``schema_migrations`` row, so a crash leaves the
        database at a whole step and a restart carries on. Steps are append-only: never
        edit a released step, add a new one. A database recording a higher version than
        ``len(steps)`` raises :class:`SchemaTooNew`.
        """
        return await self._run(partial(self._migrate, owner, list(steps)))

    def _migrate(self, owner: str, steps: list[Step]) -> int:
        conn = self._connection()
        (recorded,) = conn.execute(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE owner = ?", (owner,)
        ).fetchone()
        if recorded > len(steps):
            raise SchemaTooNew(owner, recorded, len(steps), self.path)
        for version, step in enumerate(steps[recorded:], start=recorded + 1):

            def apply(conn: sqlite3.Connection, step: Step = step, version: int = version) -> None:
                # Read again under the write lock: another process sharing the file
                # (a second store, the CLI) may have applied this step meanwhile.
                (now,) = conn.execute(
                    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE owner = ?",
                    (owner,),
                ).fetchone()
                if now >= version:
                    return
                if isinstance(step, str):
                    for statement in split_sql(step):
                        conn.execute(statement)
                else:
                    step(conn)
                conn.execute(
                    "INSERT INTO schema_migrations (owner, version, applied_at) VALUES (?, ?, ?)",
                    (owner, version, datetime.now(UTC).isoformat(timespec="seconds")),
                )

            try:
                self._in_transaction(apply)
            except sqlite3.Error as exc:
                raise StoreError(
                    f"migration {version} of {owner!r} failed: {exc}",
                    detail={"owner": owner, "version": version},
                ) from exc
        return len(steps)


def split_sql(script: str) -> list[str]:
    """Split an SQL script into statements (``executescript`` would commit on its own)."""
    statements: list[str] = []
    buffer = ""
    for piece in script.split(";"):
        buffer += piece + ";"
        # complete_statement knows about string literals and trigger bodies.
        if sqlite3.complete_statement(buffer):
            if buffer.strip(" \t\r\n;"):
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip(" \t\r\n;"):
        # A trailing comment, or a broken statement that SQLite will name in its error.
        statements.append(buffer.strip())
    return statements
