"""The gateway's database and per-owner schema migrations: one interface, two backends.

:class:`Store` is the interface every subsystem and plugin uses, and its SQLite backend
(the file in the data directory, the default). ``gateway.database_url`` chooses
PostgreSQL instead (:mod:`spark_control.store_postgres`, for several gateways on one
database); :func:`store_for` picks. The same SQL runs on both: write SQLite's ``?``
placeholders and SQLite's column types in migrations (``INTEGER PRIMARY KEY
AUTOINCREMENT``, ``REAL``, ``BLOB``); PostgreSQL gets them translated
(:mod:`spark_control.sql_dialect`). Stay within what both understand: ``INSERT … ON
CONFLICT … DO UPDATE`` (not ``INSERT OR REPLACE``), ``RETURNING``, ``COALESCE``,
``FILTER (WHERE …)``. Where they differ, a migration step may be a mapping
``{"sqlite": …, "postgres": …}`` and a query may look at :attr:`Store.dialect`.

One connection lives on one dedicated worker thread, so statements run in submission
order and never block the event loop. Every owner (``core.audit``, ``core.health``, a
plugin's name) keeps its own migration steps and its own tables; prefix table names
with the owner (``core_audit``, ``models_swaps``) so owners never collide.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol, TypeVar

from spark_control.errors import SparkError
from spark_control.sql_dialect import is_identifier, split_sql

T = TypeVar("T")

Row = dict[str, Any]
Params = Sequence[Any] | dict[str, Any]
Dialect = Literal["sqlite", "postgres"]
#: The SQLite file's name in ``data_dir``.
DB_FILE = "spark-control.db"


class Cursor(Protocol):
    """What :meth:`Tx.execute` returns; rows index by position and by column name
    (``row[0]``, ``row["id"]``, ``dict(row)``, ``(a, b) = row``)."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Tx(Protocol):
    """The connection :meth:`Store.transaction` hands its function: ``execute`` and
    ``executemany`` with ``?`` placeholders, on either backend."""

    def execute(self, sql: str, parameters: Params = ..., /) -> Any: ...

    def executemany(self, sql: str, seq_of_parameters: Iterable[Params], /) -> Any: ...


# A migration step: an SQL script, a callable for changes SQL alone cannot express, or
# one of those per dialect ({"sqlite": …, "postgres": …}) where the two must differ.
PlainStep = str | Callable[[Tx], None]
Step = PlainStep | Mapping[str, PlainStep]

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


class StoreUnavailable(StoreError):
    """The database cannot be reached (a PostgreSQL server down or cut off)."""

    status = 503
    type = "unavailable"


class SchemaTooNew(StoreError):
    """The database was migrated by newer code than this one; refusing to touch it."""

    def __init__(self, owner: str, recorded: int, known: int, path: Path | str) -> None:
        super().__init__(
            f"database {path} has schema version {recorded} for {owner!r}, but this "
            f"Spark Control only knows versions up to {known}; it was written by a newer "
            "release. Upgrade, or restore a backup made before the upgrade.",
            detail={"owner": owner, "recorded": recorded, "known": known},
        )


class Store:
    """Async access to the gateway's database; this class is also the SQLite backend
    (one file, WAL mode, foreign keys on)."""

    dialect: ClassVar[Dialect] = "sqlite"
    # What a failing migration step raises, to be told apart from our own errors.
    _driver_errors: ClassVar[tuple[type[BaseException], ...]] = (sqlite3.Error,)

    def __init__(self, path: str | Path) -> None:
        self.path: Path | None = Path(path)
        #: Where the data is, fit for a message (a file, or a URL without its password).
        self.where = str(self.path)
        self._executor: ThreadPoolExecutor | None = None
        self._conn: Any = None

    async def open(self) -> None:
        if self._executor is not None:
            return
        self._before_open()
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

    def _before_open(self) -> None:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def _connect(self) -> Any:
        # isolation_level=None: autocommit, so transactions are exactly the ones we open.
        conn = sqlite3.connect(self.path or "", isolation_level=None)
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
            raise StoreError(f"store {self.where} is not open")
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn)

    def _connection(self) -> Any:
        """The connection, on the store's thread (a :class:`Tx`)."""
        if self._conn is None:
            raise StoreError(f"store {self.where} is not open")
        return self._conn

    # -- statements ---------------------------------------------------------------

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return the number of rows it changed."""
        return await self._run(lambda: int(self._connection().execute(sql, params).rowcount))

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run one INSERT into a table with an ``id`` key the database assigns
        (``INTEGER PRIMARY KEY AUTOINCREMENT``); return the new row's id."""
        return await self._run(partial(self._insert, sql, params))

    def _insert(self, sql: str, params: Params) -> int:
        rowid = self._connection().execute(sql, params).lastrowid
        if rowid is None:
            raise StoreError("statement inserted no row")
        return int(rowid)

    async def executemany(self, sql: str, seq: Iterable[Params]) -> int:
        """Run one statement per parameter set, all in one transaction."""
        rows = list(seq)
        return await self.transaction(lambda conn: int(conn.executemany(sql, rows).rowcount))

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        def run() -> list[Row]:
            return [dict(r) for r in self._connection().execute(sql, params).fetchall()]

        return await self._run(run)

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        def run() -> Row | None:
            row = self._connection().execute(sql, params).fetchone()
            return dict(row) if row is not None else None

        return await self._run(run)

    async def transaction(self, fn: Callable[[Tx], T]) -> T:
        """Run ``fn(conn)`` on the store's thread inside one transaction.

        It commits when ``fn`` returns and rolls back when it raises. ``fn`` is plain
        synchronous code: it must not await, and must not keep ``conn``. ``conn`` is a
        :class:`Tx` (``execute``, ``executemany``; rows by position and by name) on
        both backends. Transactions run one at a time across every process on the
        database (SQLite's write lock; a PostgreSQL advisory lock), so reading a row
        and then writing what it implies is safe on both, as SQLite always made it.
        """
        return await self._run(partial(self._in_transaction, fn))

    def _in_transaction(self, fn: Callable[[Tx], T]) -> T:
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
            if not is_identifier(name):
                raise ValueError(f"not an SQL identifier: {name!r}")
        sql = (
            f"DELETE FROM {table} WHERE {key} < "  # noqa: S608 - identifiers checked above
            f"(SELECT MIN({key}) FROM "
            f"(SELECT {key} FROM {table} ORDER BY {key} DESC LIMIT ?) AS kept)"
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
        database at a whole step and a restart carries on. Two processes migrating at
        once take turns (SQLite's write lock; PostgreSQL's advisory lock). Steps are
        append-only: never edit a released step, add a new one. A database recording a
        higher version than ``len(steps)`` raises :class:`SchemaTooNew`.
        """
        return await self._run(partial(self._migrate, owner, list(steps)))

    def _step_sql(self, statement: str) -> str:
        return statement

    def _pick(self, owner: str, version: int, step: Step) -> PlainStep:
        if isinstance(step, Mapping):
            if self.dialect not in step:
                raise StoreError(
                    f"migration {version} of {owner!r} has no step for {self.dialect}",
                    detail={"owner": owner, "version": version},
                )
            return step[self.dialect]
        return step

    def _migrate(self, owner: str, steps: list[Step]) -> int:
        conn = self._connection()
        (recorded,) = conn.execute(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE owner = ?", (owner,)
        ).fetchone()
        if recorded > len(steps):
            raise SchemaTooNew(owner, recorded, len(steps), self.where)
        for version, step in enumerate(steps[recorded:], start=recorded + 1):
            chosen = self._pick(owner, version, step)

            def apply(conn: Any, step: PlainStep = chosen, version: int = version) -> None:
                # Read again under the lock: another process sharing the database
                # (a second gateway, the CLI) may have applied this step meanwhile.
                (now,) = conn.execute(
                    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE owner = ?",
                    (owner,),
                ).fetchone()
                if now >= version:
                    return
                if isinstance(step, str):
                    for statement in split_sql(step):
                        conn.execute(self._step_sql(statement))
                else:
                    step(conn)
                conn.execute(
                    "INSERT INTO schema_migrations (owner, version, applied_at) VALUES (?, ?, ?)",
                    (owner, version, datetime.now(UTC).isoformat(timespec="seconds")),
                )

            try:
                self._in_transaction(apply)
            except self._driver_errors as exc:
                raise StoreError(
                    f"migration {version} of {owner!r} failed: {exc}",
                    detail={"owner": owner, "version": version},
                ) from exc
        return len(steps)


def store_for(data_dir: Path, database_url: str | None) -> Store:
    """The store ``gateway.database_url`` chooses: PostgreSQL for a ``postgresql://``
    (or ``postgres://``) URL, else the SQLite file in ``data_dir``. Not yet open."""
    if database_url:
        from spark_control.store_postgres import PostgresStore

        return PostgresStore(database_url)
    return Store(data_dir / DB_FILE)


__all__ = [
    "DB_FILE",
    "Cursor",
    "Dialect",
    "Params",
    "Row",
    "SchemaTooNew",
    "Step",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "Tx",
    "split_sql",
    "store_for",
]
