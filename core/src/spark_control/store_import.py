"""``spark-control db import``: copy a SQLite data folder's store into PostgreSQL.

Every table of the SQLite file is made again on PostgreSQL from its own ``CREATE``
statement (column types translated as migrations are), its rows copied, its indexes
made, and ids the database assigns continue after the highest one SQLite ever gave
(``sqlite_sequence``), so no id is used twice. ``schema_migrations`` comes along, so
each owner's later migrations carry on from the version the folder had. All of it is
one transaction, counted after: the target ends with everything or with nothing. An
import only goes into an empty database (no owner migrated, none of the tables there):
a second run, or one into a database a gateway already uses, is refused, not merged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from spark_control.sql_dialect import is_identifier, postgres_ddl
from spark_control.store import DB_FILE, Store, StoreError, Tx

BATCH = 500


class ImportRefused(StoreError):
    status = 409
    type = "conflict"


def sqlite_file(source: Path) -> Path:
    """The store of a data folder (or the SQLite file itself)."""
    path = source / DB_FILE if source.is_dir() else source
    if not path.is_file():
        raise StoreError(f"no SQLite store at {path} (give a data folder or its {DB_FILE})")
    return path


async def import_sqlite(source: Path, target: Store) -> dict[str, int]:
    """Copy the SQLite store at ``source`` (a data folder or the file) into ``target``;
    return the rows copied per table."""
    if target.dialect != "postgres":
        raise StoreError("the target must be PostgreSQL: set gateway.database_url")
    path = sqlite_file(source)
    return await target.transaction(partial(_copy, path, target.where))


def _copy(path: Path, where: str, tx: Tx) -> dict[str, int]:
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return _copy_from(src, path, where, tx)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} cannot be read as a SQLite store: {exc}") from exc
    finally:
        src.close()


def _copy_from(src: sqlite3.Connection, path: Path, where: str, tx: Tx) -> dict[str, int]:
    tables = src.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid"
    ).fetchall()
    for name, _ in tables:
        if not is_identifier(name):
            raise StoreError(f"table {name!r} in {path}: not a plain name; not imported")
    _refuse_unless_empty(tx, [name for name, _ in tables], where)
    for name, sql in tables:
        if name != "schema_migrations":  # the target store made its own
            tx.execute(postgres_ddl(sql))
    counts = {name: _copy_rows(src, tx, name) for name, _ in tables}
    for (sql,) in src.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY rowid"
    ):
        tx.execute(postgres_ddl(sql))
    _continue_ids(src, tx, [name for name, _ in tables])
    for name, count in counts.items():
        (copied,) = tx.execute(f"SELECT COUNT(*) FROM {name}").fetchone()  # noqa: S608
        if copied != count:
            raise StoreError(f"table {name}: {count} rows read but {copied} written")
    return counts


def _refuse_unless_empty(tx: Tx, tables: Sequence[str], where: str) -> None:
    owners = [r[0] for r in tx.execute("SELECT DISTINCT owner FROM schema_migrations")]
    there = [t for t in tables if tx.execute("SELECT to_regclass(?)", (t,)).fetchone()[0]]
    there = [t for t in there if t != "schema_migrations"]
    if owners or there:
        found = f"owners migrated: {', '.join(sorted(owners))}" if owners else ""
        found += ("; " if found and there else "") + (
            f"tables: {', '.join(there)}" if there else ""
        )
        raise ImportRefused(
            f"the database {where} is not empty ({found}); import only into a new, empty "
            "database, before any gateway runs on it. Nothing was changed.",
            detail={"owners": sorted(owners), "tables": there},
        )


def _columns(src: sqlite3.Connection, table: str) -> list[tuple[str, str, int]]:
    """(name, declared type, position in the primary key) of each column."""
    return [
        (r[1], str(r[2]).upper(), int(r[5])) for r in src.execute(f"PRAGMA table_info({table})")
    ]


def _coerce(value: Any, declared: str) -> Any:
    """A value as the PostgreSQL column takes it: SQLite stores any value in any
    column, PostgreSQL only its type (SQLite's affinity rules, by declared type)."""
    if value is None:
        return None
    if "INT" in declared:
        return int(value) if isinstance(value, float) and value.is_integer() else value
    if any(t in declared for t in ("REAL", "FLOA", "DOUB")):
        return float(value) if isinstance(value, int) else value
    if "BLOB" in declared:
        return value.encode() if isinstance(value, str) else value
    if any(t in declared for t in ("CHAR", "CLOB", "TEXT")):
        if isinstance(value, bytes):
            return value.decode()
        return str(value) if isinstance(value, int | float) else value
    return value


def _copy_rows(src: sqlite3.Connection, tx: Tx, table: str) -> int:
    columns = _columns(src, table)
    for name, _, _ in columns:
        if not is_identifier(name):
            raise StoreError(f"column {name!r} of {table}: not a plain name; not imported")
    names = ", ".join(c[0] for c in columns)
    insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' for _ in columns)})"  # noqa: S608
    cursor = src.execute(f"SELECT {names} FROM {table}")  # noqa: S608 - names checked
    count = 0
    while batch := cursor.fetchmany(BATCH):
        rows = [tuple(_coerce(v, c[1]) for v, c in zip(row, columns, strict=True)) for row in batch]
        try:
            tx.executemany(insert, rows)
        except Exception as exc:
            raise StoreError(f"table {table}: {exc}") from exc
        count += len(rows)
    return count


def _continue_ids(src: sqlite3.Connection, tx: Tx, tables: Sequence[str]) -> None:
    """An ``INTEGER PRIMARY KEY`` became an identity column: it goes on after the
    highest id SQLite ever handed out, deleted rows' included (AUTOINCREMENT)."""
    given: dict[str, int] = {}
    if src.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone():
        given = {
            name: int(seq) for name, seq in src.execute("SELECT name, seq FROM sqlite_sequence")
        }
    for table in tables:
        keys = [c for c in _columns(src, table) if c[2] > 0]
        if len(keys) != 1 or keys[0][1] != "INTEGER":
            continue
        key = keys[0][0]
        (highest,) = src.execute(f"SELECT COALESCE(MAX({key}), 0) FROM {table}").fetchone()  # noqa: S608
        tx.execute(
            "SELECT setval(pg_get_serial_sequence(?, ?), ?, false)",
            (table, key, max(int(highest), given.get(table, 0)) + 1),
        )


__all__ = ["ImportRefused", "import_sqlite", "sqlite_file"]
