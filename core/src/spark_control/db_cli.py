"""``spark-control db upgrade`` and ``spark-control db import --from-sqlite PATH``.

``upgrade`` brings the database (``gateway.database_url``, else the SQLite file in
``data_dir``) to this release's schema and exits: it starts the gateway's subsystems
and plugins as ``serve`` does, without listening, which runs every owner's
migrations, then stops them. ``import`` copies a SQLite data folder's store into the
PostgreSQL at ``gateway.database_url`` (:mod:`spark_control.store_import`).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from spark_control.errors import ConfigError
from spark_control.settings import load_config
from spark_control.store import StoreError, store_for
from spark_control.store_import import import_sqlite

EX_FAILED = 1


def add_db_parser(sub: Any, with_config: Any) -> None:
    db = sub.add_parser("db", help="upgrade the database, or import a SQLite data folder")
    db_sub = db.add_subparsers(metavar="ACTION")
    upgrade = with_config(
        db_sub.add_parser("upgrade", help="run every migration on the database and exit")
    )
    upgrade.set_defaults(run=_upgrade)
    copy = with_config(
        db_sub.add_parser(
            "import",
            help="copy a SQLite data folder's store into the PostgreSQL at gateway.database_url",
        )
    )
    copy.add_argument(
        "--from-sqlite",
        required=True,
        type=Path,
        metavar="PATH",
        help="the old data folder (or its spark-control.db)",
    )
    copy.set_defaults(run=_import)


def _upgrade(args: argparse.Namespace) -> int:
    from spark_control.app import lifespan
    from spark_control.gateway import Gateway

    config = load_config(args.config)
    gateway = Gateway(config)

    async def run() -> tuple[list[dict[str, Any]], list[str]]:
        async with lifespan(gateway.app):
            versions = await gateway.host.store.fetchall(
                "SELECT owner, MAX(version) AS version FROM schema_migrations "
                "GROUP BY owner ORDER BY owner"
            )
        failed = [
            f"{r.name}: {r.reason}"
            for r in gateway.records.values()
            if r.status == "failed" or r.started is False
        ]
        return versions, failed

    try:
        versions, failed = asyncio.run(run())
    except StoreError as exc:
        print(f"spark-control: db upgrade: {exc.message}", file=sys.stderr)
        return EX_FAILED
    print(f"database {gateway.host.store.where} is up to date:")
    for row in versions:
        print(f"  {row['owner']:<24} version {row['version']}")
    if failed:
        print(
            "plugins that did not start (their tables may be behind): " + "; ".join(failed),
            file=sys.stderr,
        )
        return EX_FAILED
    return 0


def _import(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    url = config.core.gateway.database_url
    if url is None:
        raise ConfigError(
            "gateway.database_url is not set: db import copies into the PostgreSQL it names"
        )
    target = store_for(config.core.gateway.data_dir, url.get_secret_value())

    async def run() -> dict[str, int]:
        async with target:
            return await import_sqlite(args.from_sqlite.expanduser(), target)

    try:
        counts = asyncio.run(run())
    except StoreError as exc:
        print(f"spark-control: db import: {exc.message}", file=sys.stderr)
        return EX_FAILED
    print(f"imported {args.from_sqlite} into {target.where}:")
    for table, rows in counts.items():
        print(f"  {table:<36} {rows} rows")
    print(f"  {'total':<36} {sum(counts.values())} rows")
    return 0


__all__ = ["add_db_parser"]
