"""The lease's database contract, on SQLite and on a real PostgreSQL: one holder, a
fencing number that only grows, expiry by the database's clock, stale tokens refused,
and several gateways (separate connections) racing for the lock."""

from __future__ import annotations

import asyncio
import sqlite3

import psycopg
import pytest

from spark_control_coordination.lease import hash_token
from tests.coordination.lease_backends import Backend


async def test_one_holder_and_a_growing_fencing_number(lease_db: Backend) -> None:
    rows = await lease_db.replica()
    first = await rows.acquire("Alice", "batch", 60, hash_token("a"))
    assert first.ok and first.lease is not None
    assert (first.lease.holder, first.lease.fencing, first.now) == ("Alice", 1, lease_db.now)
    assert first.lease.expires_at == lease_db.now + 60
    refused = await rows.acquire("Bob", "eval", 60, hash_token("b"))
    assert not refused.ok and refused.lease is not None and refused.lease.holder == "Alice"
    assert refused.fencing == 1
    released = await rows.release(hash_token("a"))
    assert released.ok and released.ended is not None and released.ended.holder == "Alice"
    second = await rows.acquire("Bob", "eval", 60, hash_token("b"))
    assert second.ok and second.lease is not None and second.lease.fencing == 2


async def test_expiry_is_by_the_database_clock(lease_db: Backend) -> None:
    alice, bob = await lease_db.replica(), await lease_db.replica()
    assert (await alice.acquire("Alice", "", 30, hash_token("a"))).ok
    await lease_db.advance(29.5)
    assert not (await bob.acquire("Bob", "", 30, hash_token("b"))).ok
    await lease_db.advance(0.5)
    # Exactly at expires_at the lease is over, for every replica alike.
    got = await bob.acquire("Bob", "", 30, hash_token("b"))
    assert got.ok and got.ended is not None and got.ended.holder == "Alice"
    ended = await lease_db.sql("SELECT ended_how FROM coordination_leases WHERE fencing = 1")
    assert ended == [{"ended_how": "expired"}]
    # Alice was paused through it: her renewal and her writes are refused now.
    assert not (await alice.renew(hash_token("a"), 30)).ok
    assert not (await alice.record(hash_token("a"), "swap", "alice")).ok
    assert (await bob.record(hash_token("b"), "swap", "bob")).ok
    assert await lease_db.sql("SELECT value, fencing FROM coordination_fenced") == [
        {"value": "bob", "fencing": 2}
    ]


async def test_renewal_counts_from_the_database_now(lease_db: Backend) -> None:
    rows = await lease_db.replica()
    await rows.acquire("Alice", "", 10, hash_token("a"))
    await lease_db.advance(8)
    renewed = await rows.renew(hash_token("a"), 20)
    assert renewed.ok and renewed.lease is not None
    assert renewed.lease.expires_at == lease_db.now + 20 and renewed.lease.ttl_s == 20
    kept = await rows.renew(hash_token("a"), None)
    assert kept.lease is not None and kept.lease.ttl_s == 20
    assert not (await rows.renew(hash_token("never"), 20)).ok


async def test_a_clock_stepped_back_cannot_stretch_a_lease(lease_db: Backend) -> None:
    rows = await lease_db.replica()
    await rows.acquire("Alice", "", 100, hash_token("a"))
    await lease_db.advance(40)
    await lease_db.advance(-3600)  # the database server's clock is set back an hour
    state = await rows.state()
    assert state.lease is not None and state.lease.expires_at == lease_db.now + 100
    await lease_db.advance(100)
    assert (await rows.state()).lease is None


async def test_release_and_force_say_what_happened(lease_db: Backend) -> None:
    rows = await lease_db.replica()
    await rows.acquire("Alice", "", 60, hash_token("a"))
    forced = await rows.force()
    assert forced.ended is not None and forced.ended.holder == "Alice" and forced.fencing == 2
    again = await rows.release(hash_token("a"))
    assert not again.ok and again.ended_how == "forced"
    free = await rows.force()
    assert free.ended is None and free.fencing == 3
    granted = await rows.acquire("Bob", "", 60, hash_token("b"))
    assert granted.lease is not None and granted.lease.fencing == 4
    assert not (await rows.release(hash_token("never"))).ok


async def test_a_newer_holders_write_is_never_overwritten_by_an_older_one(
    lease_db: Backend,
) -> None:
    rows = await lease_db.replica()
    await rows.acquire("Alice", "", 10, hash_token("a"))
    assert (await rows.record(hash_token("a"), "k", "alice-1")).ok
    await rows.force()  # a person takes the lock away: Alice's fencing number is stale
    assert not (await rows.record(hash_token("a"), "k", "alice-2")).ok
    await rows.acquire("Bob", "", 10, hash_token("b"))
    assert (await rows.record(hash_token("b"), "k", "bob")).ok
    assert await lease_db.sql("SELECT value, fencing FROM coordination_fenced") == [
        {"value": "bob", "fencing": 3}
    ]


async def test_gateways_racing_for_a_free_lock_get_one_grant(lease_db: Backend) -> None:
    replicas = [await lease_db.replica() for _ in range(4)]
    for round_ in range(3):
        tries = [
            r.acquire(f"gw{i}", "", 5, hash_token(f"{round_}-{i}")) for i, r in enumerate(replicas)
        ]
        outcomes = await asyncio.gather(*tries)
        assert sum(o.ok for o in outcomes) == 1
        open_rows = await lease_db.sql(
            "SELECT fencing FROM coordination_leases WHERE ended_at IS NULL"
        )
        assert open_rows == [{"fencing": round_ + 1}]
        await lease_db.advance(5)


async def test_two_gateways_migrating_at_once_agree(lease_db: Backend) -> None:
    replicas = await asyncio.gather(*(lease_db.replica() for _ in range(3)))
    granted = await replicas[2].acquire("Alice", "", 5, hash_token("a"))
    assert granted.ok and granted.fencing == 1


async def test_the_database_itself_refuses_a_second_open_lease(lease_db: Backend) -> None:
    await lease_db.replica()
    insert = (
        "INSERT INTO coordination_leases (fencing, holder, reason, token_hash, ttl_s, "
        "granted_at, expires_at) VALUES (?, ?, '', ?, 60, 0, 60)"
    )
    await lease_db.sql(insert, (1, "Alice", "a"))
    with pytest.raises((sqlite3.IntegrityError, psycopg.errors.UniqueViolation)):
        await lease_db.sql(insert, (2, "Bob", "b"))


async def test_each_model_slot_has_its_own_lease(lease_db: Backend) -> None:
    alice, bob = await lease_db.replica(), await lease_db.replica()
    assert (await alice.acquire("Alice", "chat batch", 30, hash_token("a"))).ok
    coder = await bob.acquire("Bob", "eval", 60, hash_token("b"), "coder")
    assert coder.ok and coder.lease is not None and coder.lease.slot == "coder"
    assert coder.lease.fencing == 2  # one counter: numbers still only grow
    assert [(row.slot, row.holder) for row in coder.live] == [
        ("coder", "Bob"),
        ("default", "Alice"),
    ]
    again = await alice.acquire("Carol", "", 60, hash_token("c"), "coder")
    assert not again.ok and again.lease is not None and again.lease.holder == "Bob"
    # Forcing one slot ends only its lease.
    forced = await alice.force("coder")
    assert forced.ended is not None and forced.ended.holder == "Bob"
    assert [row.holder for row in forced.live] == ["Alice"]
    assert not (await bob.renew(hash_token("b"), 60)).ok
    # Expiry is per lease: Alice's ends, Carol's (taken later, on coder) lives on.
    assert (await bob.acquire("Carol", "", 60, hash_token("c"), "coder")).ok
    await lease_db.advance(30)
    due = await bob.expire_due()
    assert due.ok and due.ended is not None and due.ended.holder == "Alice"
    assert [(row.slot, row.holder) for row in due.live] == [("coder", "Carol")]
    # A token acts on its own lease, whatever the slot.
    assert (await alice.record(hash_token("c"), "coder-results", "carol")).ok
    released = await alice.release(hash_token("c"))
    assert released.ok and released.ended is not None and released.ended.slot == "coder"
    assert (await alice.state()).live == ()
    # The database itself holds one open lease per slot.
    await alice.acquire("Dave", "", 60, hash_token("d"), "vision")
    insert = (
        "INSERT INTO coordination_leases (fencing, holder, reason, token_hash, ttl_s, "
        "granted_at, expires_at, slot) VALUES (99, 'Eve', '', 'e', 60, 0, 60, 'vision')"
    )
    with pytest.raises((sqlite3.IntegrityError, psycopg.errors.UniqueViolation)):
        await lease_db.sql(insert)
