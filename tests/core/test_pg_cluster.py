"""The throwaway PostgreSQL cluster the test session starts (spark_control.pg_cluster):
it serves on loopback, and it is stopped and its folder removed however the block
ends, Ctrl-C included; where PostgreSQL is missing the reason says so."""

from __future__ import annotations

import socket
from pathlib import Path

import psycopg
import pytest

from spark_control.pg_cluster import ADDRESS, BINDIR_ENV, PostgresCluster, postgres_unavailable


def test_where_postgresql_is_missing_the_reason_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(BINDIR_ENV, str(tmp_path / "nowhere"))
    reason = postgres_unavailable()
    assert reason is not None and "initdb" in reason


def test_the_cluster_serves_on_loopback_and_is_gone_after_ctrl_c() -> None:
    if (reason := postgres_unavailable()) is not None:
        pytest.skip(reason)
    cluster = PostgresCluster("probe")
    with pytest.raises(KeyboardInterrupt), cluster:
        with psycopg.connect(cluster.dsn) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == ("probe",)
        assert cluster.dsn.startswith(f"postgresql://{cluster.user}@{ADDRESS}:")
        assert (cluster.socket_dir / f".s.PGSQL.{cluster.port}").exists()
        raise KeyboardInterrupt
    assert not cluster.root.exists()
    with socket.socket() as sock:
        assert sock.connect_ex((ADDRESS, cluster.port)) != 0
