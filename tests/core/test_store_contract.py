"""The store's contract on both backends (parametrized: SQLite and PostgreSQL): the
same SQL, the same answers. The PostgreSQL half runs on the session's throwaway
cluster and is skipped, with the reason, where PostgreSQL is not installed."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest

from spark_control.store import SchemaTooNew, Store, StoreError, StoreUnavailable, Tx, store_for
from tests.core.store_backends import BACKENDS, database, fresh_schema

STEPS: list[Any] = [
    """
    CREATE TABLE demo_items (
        id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, score REAL, blob BLOB
    );
    CREATE INDEX demo_items_name ON demo_items (name);
    """,
    "ALTER TABLE demo_items ADD COLUMN note TEXT; INSERT INTO demo_items (name) VALUES ('seed');",
]

Opener = Callable[[], Store]


@pytest.fixture(params=BACKENDS)
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """A function making a new, unopened store on this test's one database (each call
    is another gateway on it)."""
    with database(request.param, tmp_path, request) as url:
        yield lambda: store_for(tmp_path / "data", url)


@pytest.fixture
async def store(opener: Opener) -> AsyncIterator[Store]:
    async with opener() as s:
        yield s


async def test_the_backend_is_the_one_the_url_chooses(opener: Opener) -> None:
    store = opener()
    assert store.dialect in ("sqlite", "postgres")
    assert (store.path is None) == (store.dialect == "postgres")
    assert "secret" not in store.where


async def test_migrations_apply_once_and_are_idempotent_on_reopen(opener: Opener) -> None:
    async with opener() as store:
        assert await store.migrate("demo", STEPS) == 2
        assert await store.migrate("demo", STEPS) == 2
    async with opener() as store:
        assert await store.migrate("demo", STEPS) == 2
        assert await store.fetchall("SELECT name, note FROM demo_items") == [
            {"name": "seed", "note": None}
        ]
        history = await store.fetchall(
            "SELECT owner, version FROM schema_migrations ORDER BY version"
        )
        assert history == [{"owner": "demo", "version": 1}, {"owner": "demo", "version": 2}]
        assert await store.version("demo") == 2
        assert await store.version("nobody") == 0


async def test_refuses_a_database_migrated_by_newer_code(opener: Opener) -> None:
    async with opener() as store:
        await store.migrate("demo", STEPS)
        with pytest.raises(SchemaTooNew, match=r"version 2 for 'demo'.*up to 1"):
            await store.migrate("demo", STEPS[:1])


async def test_a_failing_step_leaves_the_previous_version_whole(store: Store) -> None:
    broken = [*STEPS, "CREATE TABLE demo_more (x INTEGER); INSERT INTO nowhere VALUES (1);"]
    with pytest.raises(StoreError, match="migration 3 of 'demo' failed"):
        await store.migrate("demo", broken)
    assert await store.version("demo") == 2
    # The step's first statement went with it: a fixed step 3 creates the table anew.
    fixed = [*STEPS, "CREATE TABLE demo_more (x INTEGER);"]
    assert await store.migrate("demo", fixed) == 3
    assert await store.execute("INSERT INTO demo_more (x) VALUES (1)") == 1


async def test_a_step_per_dialect_and_a_callable_step(store: Store) -> None:
    def backfill(conn: Tx) -> None:
        conn.execute("UPDATE demo_items SET note = ? WHERE name = ?", ("filled", "seed"))

    per_dialect = {
        "sqlite": "CREATE TABLE demo_flag (on_ INTEGER)",
        "postgres": "CREATE TABLE demo_flag (on_ BOOLEAN)",
    }
    await store.migrate("demo", [*STEPS, backfill, per_dialect])
    assert await store.fetchone("SELECT note FROM demo_items") == {"note": "filled"}
    with pytest.raises(StoreError, match="no step for"):
        await store.migrate("other", [{"mysql": "CREATE TABLE x (y INTEGER)"}])


async def test_values_round_trip_alike(store: Store) -> None:
    await store.migrate("demo", STEPS)
    big = 2**40 + 3
    new_id = await store.insert(
        "INSERT INTO demo_items (name, score, blob, note) VALUES (?, ?, ?, ?)",
        ("round", 0.25, b"\x00\xffbytes", None),
    )
    await store.execute("UPDATE demo_items SET score = ? WHERE id = ?", (big, new_id))
    row = await store.fetchone("SELECT * FROM demo_items WHERE id = ?", (new_id,))
    assert row == {
        "id": new_id,
        "name": "round",
        "score": big,
        "blob": b"\x00\xffbytes",
        "note": None,
    }
    # What SUM and AVG give: an int for a whole sum of integers, a float for an average.
    sums = await store.fetchone(
        "SELECT COUNT(*) AS n, SUM(id) AS s, AVG(id) AS a, MAX(score) AS m FROM demo_items"
    )
    assert sums is not None
    assert sums["n"] == 2 and isinstance(sums["n"], int)
    assert sums["s"] == 1 + new_id and isinstance(sums["s"], int)
    assert sums["a"] == pytest.approx((1 + new_id) / 2) and isinstance(sums["a"], float)
    # A bool goes in as SQLite stores it: 1.
    await store.execute("UPDATE demo_items SET score = ? WHERE id = ?", (True, new_id))
    assert await store.fetchone("SELECT score FROM demo_items WHERE id = ?", (new_id,)) == {
        "score": 1
    }


async def test_placeholders_literals_percent_and_named_parameters(store: Store) -> None:
    await store.migrate("demo", STEPS)
    await store.execute("INSERT INTO demo_items (name, note) VALUES (?, '50% of ?')", ("a?b",))
    rows = await store.fetchall(
        "SELECT name, note FROM demo_items WHERE name LIKE '%?%' AND note LIKE ? -- what?",
        ("50%",),
    )
    assert rows == [{"name": "a?b", "note": "50% of ?"}]
    named = await store.fetchall(
        "SELECT name FROM demo_items WHERE name = :name OR note = :name ORDER BY id",
        {"name": "seed"},
    )
    assert named == [{"name": "seed"}]


async def test_upsert_and_returning_run_on_both(store: Store) -> None:
    await store.execute("CREATE TABLE demo_kv (key TEXT PRIMARY KEY, value TEXT)")
    upsert = (
        "INSERT INTO demo_kv (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
    )
    await store.execute(upsert, ("k", "one"))
    await store.execute(upsert, ("k", "two"))
    assert await store.fetchall("SELECT * FROM demo_kv") == [{"key": "k", "value": "two"}]
    rows = await store.fetchall(
        "UPDATE demo_kv SET value = value || '!' WHERE key = ? RETURNING value", ("k",)
    )
    assert rows == [{"value": "two!"}]


async def test_transaction_rows_and_rollback(store: Store) -> None:
    await store.migrate("demo", STEPS)

    def read(conn: Tx) -> tuple[Any, ...]:
        row = conn.execute("SELECT id, name FROM demo_items").fetchone()
        (rid, name) = row
        return rid, name, row["name"], row[1], dict(row)

    assert await store.transaction(read) == (1, "seed", "seed", "seed", {"id": 1, "name": "seed"})

    def half_done(conn: Tx) -> None:
        conn.execute("INSERT INTO demo_items (name) VALUES ('half')")
        raise ValueError("changed my mind")

    with pytest.raises(ValueError, match="changed my mind"):
        await store.transaction(half_done)
    assert await store.fetchone("SELECT COUNT(*) AS n FROM demo_items") == {"n": 1}
    # The connection is usable afterwards: no transaction was left open.
    assert await store.execute("UPDATE demo_items SET note = 'ok'") == 1

    def many(conn: Tx) -> int:
        return int(
            conn.executemany("INSERT INTO demo_items (name) VALUES (?)", [("x",)] * 3).rowcount
        )

    assert await store.transaction(many) == 3


async def test_two_gateways_never_lose_an_update_nor_share_an_id(opener: Opener) -> None:
    async with opener() as first, opener() as second:
        await first.execute("CREATE TABLE demo_counter (n INTEGER NOT NULL)")
        await first.execute("INSERT INTO demo_counter VALUES (0)")
        await first.execute(
            "CREATE TABLE demo_ids (id INTEGER PRIMARY KEY AUTOINCREMENT, by_ TEXT)"
            if first.dialect == "sqlite"
            else "CREATE TABLE demo_ids (id BIGINT GENERATED BY DEFAULT AS IDENTITY "
            "PRIMARY KEY, by_ TEXT)"
        )

        def increment(conn: Tx) -> int:
            # Read, then write what it implies: safe only if transactions take turns.
            (n,) = conn.execute("SELECT n FROM demo_counter").fetchone()
            conn.execute("UPDATE demo_counter SET n = ?", (n + 1,))
            return int(n) + 1

        results = await asyncio.gather(
            *(s.transaction(increment) for _ in range(40) for s in (first, second))
        )
        assert sorted(results) == list(range(1, 81))
        ids = await asyncio.gather(
            *(
                s.insert("INSERT INTO demo_ids (by_) VALUES (?)", (name,))
                for _ in range(25)
                for s, name in ((first, "a"), (second, "b"))
            )
        )
        assert len(set(ids)) == 50


async def test_two_gateways_migrating_one_new_database_apply_each_step_once(
    opener: Opener,
) -> None:
    # The first holds its step's lock for a while; the second reads the version (0)
    # meanwhile, then waits: it must see the step done and skip it.
    applied: list[str] = []

    def slow_step(conn: Tx) -> None:
        applied.append("first")
        conn.execute("CREATE TABLE shared (id INTEGER PRIMARY KEY)")
        time.sleep(0.5)

    async with opener() as first, opener() as second:
        racing = asyncio.create_task(first.migrate("owner", [slow_step]))
        await asyncio.sleep(0.15)
        assert await second.migrate("owner", ["CREATE TABLE shared (id INTEGER PRIMARY KEY);"]) == 1
        assert await racing == 1
        assert applied == ["first"]
        rows = await second.fetchall("SELECT version FROM schema_migrations WHERE owner = 'owner'")
        assert [r["version"] for r in rows] == [1]


async def test_executemany_and_prune_keep_the_newest_rows(store: Store) -> None:
    await store.migrate("demo", ["CREATE TABLE demo_log (id INTEGER PRIMARY KEY, n INTEGER)"])
    assert (
        await store.executemany("INSERT INTO demo_log (n) VALUES (?)", [(i,) for i in range(10)])
        == 10
    )
    assert await store.prune("demo_log", 3) == 7
    rows = await store.fetchall("SELECT n FROM demo_log ORDER BY id")
    assert [r["n"] for r in rows] == [7, 8, 9]
    with pytest.raises(ValueError, match="identifier"):
        await store.prune("demo_log; DROP TABLE demo_log", 1)


async def test_a_closed_store_says_so(opener: Opener) -> None:
    store = opener()
    with pytest.raises(StoreError, match="not open"):
        await store.fetchall("SELECT 1")
    await store.open()
    await store.close()
    with pytest.raises(StoreError, match="not open"):
        await store.execute("SELECT 1")


async def test_an_unreachable_postgres_is_a_503_without_the_password(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    store = store_for(tmp_path, f"postgresql://alice:s3cr3t@127.0.0.1:{port}/spark")
    with pytest.raises(StoreUnavailable) as info:
        await store.open()
    assert info.value.status == 503
    assert "s3cr3t" not in str(info.value)
    assert "postgresql://alice@127.0.0.1" in str(info.value)
    with contextlib.suppress(StoreError):
        await store.close()


async def test_a_dropped_connection_is_a_503_then_opened_again(
    tmp_path: Path, spark_postgres: str
) -> None:
    with fresh_schema(spark_postgres) as url:
        async with store_for(tmp_path, url) as store:
            (pid,) = (await store.fetchone("SELECT pg_backend_pid() AS pid") or {}).values()
            # The server ends the store's session (a restart, an administrator).
            with psycopg.connect(spark_postgres, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            with pytest.raises(StoreUnavailable) as info:
                await store.fetchone("SELECT 1 AS one")
            assert info.value.status == 503
            assert await store.fetchone("SELECT 1 AS one") == {"one": 1}
            again = await store.fetchone("SELECT pg_backend_pid() AS pid")
            assert again is not None and again["pid"] != pid
