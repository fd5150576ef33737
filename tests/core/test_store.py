"""The SQLite store: migrations per owner, transactions, and concurrent use."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from spark_control.store import SchemaTooNew, Store, StoreError, split_sql

STEPS = [
    "CREATE TABLE demo_items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
    "ALTER TABLE demo_items ADD COLUMN note TEXT; INSERT INTO demo_items (name) VALUES ('seed');",
]


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with Store(tmp_path / "data" / "spark-control.db") as s:
        yield s


async def test_migrations_apply_once_and_are_idempotent_on_reopen(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    async with Store(path) as store:
        assert await store.migrate("demo", STEPS) == 2
        assert await store.migrate("demo", STEPS) == 2
    async with Store(path) as store:
        assert await store.migrate("demo", STEPS) == 2
        assert await store.fetchall("SELECT name, note FROM demo_items") == [
            {"name": "seed", "note": None}
        ]
        history = await store.fetchall(
            "SELECT owner, version FROM schema_migrations ORDER BY version"
        )
        assert history == [{"owner": "demo", "version": 1}, {"owner": "demo", "version": 2}]


async def test_a_new_step_is_applied_alone(store: Store) -> None:
    await store.migrate("demo", STEPS[:1])
    await store.insert("INSERT INTO demo_items (name) VALUES (?)", ("kept",))
    assert await store.migrate("demo", STEPS) == 2
    rows = await store.fetchall("SELECT name FROM demo_items ORDER BY id")
    assert [r["name"] for r in rows] == ["kept", "seed"]


async def test_owners_have_independent_versions(store: Store) -> None:
    await store.migrate("demo", STEPS)
    await store.migrate("other", ["CREATE TABLE other_things (x INTEGER);"])
    assert await store.version("demo") == 2
    assert await store.version("other") == 1
    assert await store.version("nobody") == 0


async def test_refuses_a_database_migrated_by_newer_code(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    async with Store(path) as store:
        await store.migrate("demo", STEPS)
    async with Store(path) as store:
        with pytest.raises(SchemaTooNew) as info:
            await store.migrate("demo", STEPS[:1])
    message = str(info.value)
    assert "'demo'" in message and "version 2" in message and "up to 1" in message


async def test_a_failing_step_leaves_the_previous_version_whole(store: Store) -> None:
    broken = [*STEPS, "CREATE TABLE demo_more (x INTEGER); INSERT INTO nowhere VALUES (1);"]
    with pytest.raises(StoreError, match="migration 3 of 'demo' failed"):
        await store.migrate("demo", broken)
    assert await store.version("demo") == 2
    tables = await store.fetchall("SELECT name FROM sqlite_master WHERE name = 'demo_more'")
    assert tables == []


async def test_a_callable_step_runs_in_the_migration_transaction(store: Store) -> None:
    def backfill(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE demo_items SET note = 'filled'")

    await store.migrate("demo", [*STEPS, backfill])
    assert await store.fetchone("SELECT note FROM demo_items") == {"note": "filled"}


async def test_transaction_rolls_back_when_the_callable_raises(store: Store) -> None:
    await store.migrate("demo", STEPS)

    def half_done(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO demo_items (name) VALUES ('half')")
        raise ValueError("changed my mind")

    with pytest.raises(ValueError, match="changed my mind"):
        await store.transaction(half_done)
    assert await store.fetchone("SELECT COUNT(*) AS n FROM demo_items") == {"n": 1}
    # The connection is usable afterwards: no transaction was left open.
    assert await store.execute("UPDATE demo_items SET note = 'ok'") == 1


async def test_many_coroutines_share_the_store_safely(store: Store) -> None:
    await store.execute("CREATE TABLE demo_counter (n INTEGER NOT NULL)")
    await store.execute("INSERT INTO demo_counter VALUES (0)")

    def increment(conn: sqlite3.Connection) -> int:
        (n,) = conn.execute("SELECT n FROM demo_counter").fetchone()
        conn.execute("UPDATE demo_counter SET n = ?", (n + 1,))
        return int(n) + 1

    results = await asyncio.gather(*(store.transaction(increment) for _ in range(200)))
    assert sorted(results) == list(range(1, 201))
    ids = await asyncio.gather(
        *(store.insert("INSERT INTO demo_counter VALUES (?)", (i,)) for i in range(50))
    )
    assert len(set(ids)) == 50


async def test_wal_mode_and_foreign_keys_are_on(store: Store) -> None:
    assert await store.fetchone("PRAGMA journal_mode") == {"journal_mode": "wal"}
    assert await store.fetchone("PRAGMA foreign_keys") == {"foreign_keys": 1}
    await store.execute("CREATE TABLE demo_parent (id INTEGER PRIMARY KEY)")
    await store.execute("CREATE TABLE demo_child (parent INTEGER REFERENCES demo_parent(id))")
    with pytest.raises(sqlite3.IntegrityError):
        await store.execute("INSERT INTO demo_child VALUES (42)")


async def test_executemany_and_prune_keep_the_newest_rows(store: Store) -> None:
    await store.execute("CREATE TABLE demo_log (id INTEGER PRIMARY KEY, n INTEGER)")
    await store.executemany("INSERT INTO demo_log (n) VALUES (?)", [(i,) for i in range(10)])
    assert await store.prune("demo_log", 3) == 7
    rows = await store.fetchall("SELECT n FROM demo_log ORDER BY id")
    assert [r["n"] for r in rows] == [7, 8, 9]
    with pytest.raises(ValueError, match="identifier"):
        await store.prune("demo_log; DROP TABLE demo_log", 1)


async def test_a_closed_store_says_so(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite")
    with pytest.raises(StoreError, match="not open"):
        await store.fetchall("SELECT 1")
    await store.open()
    await store.close()
    with pytest.raises(StoreError, match="not open"):
        await store.execute("SELECT 1")


def test_split_sql_respects_literals_triggers_and_comments() -> None:
    script = """
        CREATE TABLE a (x TEXT); -- a comment; with a semicolon
        INSERT INTO a VALUES ('p;q');
        CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO a VALUES ('z'); END;
    """
    statements = split_sql(script)
    assert len(statements) == 3
    assert statements[1].endswith("VALUES ('p;q');")
    assert statements[2].endswith("END;")


async def test_two_stores_migrating_one_new_file_at_once_apply_each_step_once(
    tmp_path: Path,
) -> None:
    # The first store holds its step's write lock for a while; the second reads the
    # version (0) meanwhile, then waits for the lock: it must see the step done and
    # skip it, not run it again ("table already exists").
    path = tmp_path / "shared.db"
    applied: list[str] = []

    def slow_step(conn: sqlite3.Connection) -> None:
        applied.append("first")
        conn.execute("CREATE TABLE shared (id INTEGER PRIMARY KEY)")
        time.sleep(0.5)

    async with Store(path) as first, Store(path) as second:
        racing = asyncio.create_task(first.migrate("owner", [slow_step]))
        await asyncio.sleep(0.15)
        assert await second.migrate("owner", ["CREATE TABLE shared (id INTEGER PRIMARY KEY);"]) == 1
        assert await racing == 1
        assert applied == ["first"]
        rows = await second.fetchall("SELECT version FROM schema_migrations WHERE owner = 'owner'")
        assert [r["version"] for r in rows] == [1]
