"""``spark-control db import --from-sqlite`` and ``spark-control db upgrade`` on a
release's data folder (the upgrade fixture): into PostgreSQL with nothing lost, a
second import refused with nothing changed, and every owner migrated by ``upgrade``."""

from __future__ import annotations

import shutil
import socket
import sqlite3
from pathlib import Path

import psycopg
import pytest

from spark_control.cli import main
from spark_control.testing import make_config
from spark_control_coordination import lease_rows
from tests.core.store_backends import fresh_schema

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "upgrade" / "0.1.0" / "gateway"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _config(tmp_path: Path, url: str | None) -> str:
    port = _closed_port()
    config = make_config(
        tmp_path,
        {
            "gateway": {"data_dir": str(tmp_path / "data"), "database_url": url},
            "nodes": {
                name: {"address": "127.0.0.1", "port": port, "user": "alice"}
                for name in ("spark-1", "spark-2")
            },
        },
    )
    assert config.source_path is not None
    return str(config.source_path)


def _rows(db: Path) -> dict[str, int]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        names = [
            n
            for (n,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence'"
            )
        ]
        return {n: conn.execute(f"SELECT COUNT(*) FROM {n}").fetchone()[0] for n in names}


def test_import_needs_a_database_url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _config(tmp_path, None)
    assert main(["db", "import", "--from-sqlite", str(FIXTURE), "-c", path]) == 78
    assert "gateway.database_url is not set" in capsys.readouterr().err


def test_import_copies_everything_once_and_upgrade_migrates_the_rest(
    tmp_path: Path, spark_postgres: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "old"
    shutil.copytree(FIXTURE, folder)
    before = _rows(folder / "spark-control.db")
    with fresh_schema(spark_postgres) as url:
        path = _config(tmp_path, url)
        garbage = tmp_path / "not-a-db" / "spark-control.db"
        garbage.parent.mkdir()
        garbage.write_text("not a database")
        assert main(["db", "import", "--from-sqlite", str(garbage.parent), "-c", path]) == 1
        assert "cannot be read as a SQLite store" in capsys.readouterr().err
        assert main(["db", "import", "--from-sqlite", str(folder), "-c", path]) == 0
        out = capsys.readouterr().out
        assert out.splitlines()[-1].split() == ["total", str(sum(before.values())), "rows"]

        with psycopg.connect(url) as conn:
            after = {
                n: conn.execute(f"SELECT COUNT(*) FROM {n}").fetchone()[0]  # type: ignore[index]
                for n in before
            }
            (next_audit,) = conn.execute(  # type: ignore[misc]
                "INSERT INTO core_audit (time, action, actor, origin, result) "
                "VALUES (0, 'x.y', 'a', 'cli', 'ok') RETURNING id"
            ).fetchone()
            conn.execute("DELETE FROM core_audit WHERE id = %s", (next_audit,))
        assert after == before
        # Ids go on after the highest SQLite ever gave, never reusing one.
        with sqlite3.connect(folder / "spark-control.db") as old:
            (seq,) = old.execute(
                "SELECT seq FROM sqlite_sequence WHERE name = 'core_audit'"
            ).fetchone()
        assert next_audit == seq + 1

        # A second run is refused, naming why, and changes nothing.
        assert main(["db", "import", "--from-sqlite", str(folder), "-c", path]) == 1
        err = capsys.readouterr().err
        assert "is not empty" in err and "core.audit" in err and "Nothing was changed" in err

        assert main(["db", "upgrade", "-c", path]) == 0
        out = capsys.readouterr().out
        assert "is up to date" in out
        assert any(
            line.split()[:3] == ["core.history", "version", "1"] for line in out.splitlines()
        )
        with psycopg.connect(url) as conn:
            tables = {
                r[0]
                for r in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                )
            }
        assert {"core_history", "coordination_fenced", *before} <= tables


def test_upgrade_on_the_default_sqlite_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(FIXTURE, tmp_path / "data")
    path = _config(tmp_path, None)
    assert main(["db", "upgrade", "-c", path]) == 0
    out = capsys.readouterr().out
    assert "spark-control.db is up to date" in out
    versions = {line.split()[0]: line.split()[2] for line in out.splitlines()[1:]}
    assert versions["core.audit"] == "2" and versions["core.history"] == "1"
    # Every step of the lease's migrations (the fixture's folder predates some), run now.
    assert versions["coordination"] == str(len(lease_rows.SQLITE_MIGRATIONS))
