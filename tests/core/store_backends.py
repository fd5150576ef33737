"""Both store backends for one test: a fresh SQLite file, or a fresh schema on the
session's throwaway PostgreSQL cluster (``spark_postgres``), dropped after."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg

BACKENDS = ("sqlite", "postgres")


@contextlib.contextmanager
def fresh_schema(dsn: str) -> Iterator[str]:
    """A DSN whose tables land in a new schema of the cluster at ``dsn`` (dropped
    after), so tests sharing the session's cluster never meet."""
    schema = f"store_{secrets.token_hex(6)}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in dsn else "?"
    try:
        yield f"{dsn}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@contextlib.contextmanager
def database(kind: str, tmp_path: Path, request: object) -> Iterator[str | None]:
    """``None`` for SQLite (the store's file in ``tmp_path``), else a PostgreSQL DSN;
    ``gateway.database_url`` takes exactly this."""
    if kind == "sqlite":
        yield None
        return
    dsn = request.getfixturevalue("spark_postgres")  # type: ignore[attr-defined]
    with fresh_schema(dsn) as where:
        yield where
