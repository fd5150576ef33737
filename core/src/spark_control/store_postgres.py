"""The store's PostgreSQL backend, for several gateways on one database
(``gateway.database_url``).

Like the SQLite backend it keeps one connection on one worker thread (psycopg 3,
synchronous), so a transaction's function is the same plain code on both. Statements
and migration steps are written for SQLite and translated
(:mod:`spark_control.sql_dialect`); migrations take turns across processes on an
advisory lock. A connection that broke (the server restarted, a partition) is opened
again on the next statement; while the server cannot be reached every statement
raises :class:`StoreUnavailable` (a 503), never hangs past the connect timeout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, ClassVar, TypeVar

import psycopg
from psycopg.adapt import Loader
from psycopg.conninfo import conninfo_to_dict

from spark_control.sql_dialect import postgres_ddl, pyformat
from spark_control.store import (
    _MIGRATIONS_TABLE,
    Dialect,
    Params,
    Store,
    StoreError,
    StoreUnavailable,
    Tx,
)

T = TypeVar("T")

#: The advisory lock transactions and migrations take turns on (any constant; "spark"
#: in ASCII), the one the swap lease's own migrations take too.
TRANSACTION_LOCK = 0x737061726B
CONNECT_TIMEOUT_S = 5


class Record(tuple[Any, ...]):
    """A row as SQLite's ``sqlite3.Row`` is one: by position, by column name, as a dict."""

    names: tuple[str, ...] = ()

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            try:
                key = self.names.index(key)
            except ValueError:
                raise IndexError(f"no column named {key!r}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self.names)


def _record_rows(cursor: Any) -> Callable[[Any], Record]:
    names = tuple(c.name for c in cursor.description or ())

    def make(values: Any) -> Record:
        row = Record(values)
        row.names = names
        return row

    return make


class _Number(Loader):
    """``numeric`` (what SUM and AVG of integers give) as SQLite gives it: an int when
    whole, else a float, not a Decimal that JSON cannot carry."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        if any(c in text for c in ".eENI"):
            value = Decimal(text)
            return float(value)
        return int(text)


def _adapt(params: Any) -> Any:
    # PostgreSQL has a boolean type; SQLite stores True as 1, and our columns say INTEGER.
    if isinstance(params, Mapping):
        return {k: int(v) if isinstance(v, bool) else v for k, v in params.items()}
    return [int(v) if isinstance(v, bool) else v for v in params]


class PgTx:
    """A psycopg connection seen as a :class:`~spark_control.store.Tx`: ``?``
    placeholders, rows by position and by name."""

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw

    def execute(self, sql: str, parameters: Params = (), /) -> Any:
        return self.raw.execute(pyformat(sql, isinstance(parameters, Mapping)), _adapt(parameters))

    def executemany(self, sql: str, seq_of_parameters: Iterable[Params], /) -> Any:
        rows = [_adapt(p) for p in seq_of_parameters]
        cursor = self.raw.cursor()
        if rows:
            cursor.executemany(pyformat(sql, isinstance(rows[0], Mapping)), rows)
        return cursor

    def close(self) -> None:
        self.raw.close()


def describe(url: str) -> str:
    """``url`` fit for a message: user, host, port and database, never the password."""
    try:
        info = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://(an unreadable URL)"
    user = f"{info['user']}@" if info.get("user") else ""
    port = f":{info['port']}" if info.get("port") else ""
    return f"postgresql://{user}{info.get('host') or 'localhost'}{port}/{info.get('dbname', '')}"


class PostgresStore(Store):
    """The store on a PostgreSQL server shared by several gateways."""

    dialect: ClassVar[Dialect] = "postgres"
    _driver_errors: ClassVar[tuple[type[BaseException], ...]] = (psycopg.Error,)

    def __init__(self, url: str, *, connect_timeout_s: int = CONNECT_TIMEOUT_S) -> None:
        super().__init__("")
        self.path = None
        self.url = url
        self.where = describe(url)
        self.connect_timeout_s = connect_timeout_s

    def _before_open(self) -> None:
        """Nothing to create: the database exists."""

    def _connect(self) -> PgTx:
        try:
            raw = psycopg.connect(
                self.url,
                autocommit=True,
                row_factory=_record_rows,
                connect_timeout=self.connect_timeout_s,
                # A server cut off (packets dropped, not refused) fails the statement
                # in about 15 s instead of the kernel's minutes: a 503, not a hang.
                keepalives=1,
                keepalives_idle=5,
                keepalives_interval=2,
                keepalives_count=3,
                tcp_user_timeout=15_000,
            )
        except psycopg.OperationalError as exc:
            raise self._unavailable(exc) from exc
        raw.adapters.register_loader("numeric", _Number)
        with raw.transaction():
            # Two gateways starting on a new database at once: CREATE TABLE IF NOT
            # EXISTS alone can still collide in PostgreSQL's catalog.
            raw.execute("SELECT pg_advisory_xact_lock(%s)", (TRANSACTION_LOCK,))
            raw.execute(_MIGRATIONS_TABLE)
        return PgTx(raw)

    def _unavailable(self, exc: BaseException) -> StoreUnavailable:
        first = (str(exc).strip().splitlines() or ["no answer"])[0]
        return StoreUnavailable(f"the database {self.where} cannot be reached: {first}")

    async def _run(self, fn: Callable[[], T]) -> T:
        try:
            return await super()._run(fn)
        except psycopg.OperationalError as exc:
            raise self._unavailable(exc) from exc

    def _connection(self) -> PgTx:
        tx: PgTx = super()._connection()
        if tx.raw.closed or tx.raw.broken:
            # Runs on the store's thread: the only one that touches the connection.
            self._conn = tx = self._connect()
        return tx

    def _insert(self, sql: str, params: Params) -> int:
        if "RETURNING" not in sql.upper():
            sql += " RETURNING id"
        row = self._connection().execute(sql, params).fetchone()
        if row is None:
            raise StoreError("statement inserted no row")
        return int(row[0])

    def _in_transaction(self, fn: Callable[[Tx], T]) -> T:
        tx = self._connection()
        with tx.raw.transaction():
            # One transaction at a time across the gateways, as SQLite's BEGIN IMMEDIATE:
            # READ COMMITTED alone would let two read the same row and both write.
            tx.raw.execute("SELECT pg_advisory_xact_lock(%s)", (TRANSACTION_LOCK,))
            return fn(tx)

    def _step_sql(self, statement: str) -> str:
        return postgres_ddl(statement)


__all__ = ["PgTx", "PostgresStore", "Record", "describe"]
