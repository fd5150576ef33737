"""Events on every replica: what one gateway publishes reaches the others' SSE streams.

With several gateways on one PostgreSQL (``gateway.database_url``) a browser may reach
any of them, and the live dashboard must show what happened anywhere (a swap driven by
the leader, a lock taken through another replica). Each replica sends every event it
publishes with ``NOTIFY`` on one channel and ``LISTEN``s on it: what another replica
sent is published on the local bus with :meth:`EventBus.publish_relayed` (streamed to
SSE subscribers under a local id; plugin listeners hear only their own replica's).

A payload larger than ``NOTIFY`` takes (8000 bytes) goes through a table and the
notification carries its row's id. Each replica probes its own health, so
``health.changed`` stays local. With SQLite (one gateway) there is no relay.

Event ids come from one database sequence (``spark_event_id``), so a browser that moves
to another replica resumes with its ``Last-Event-ID``: the sender takes each id with
``nextval`` in the statement that sends the ``NOTIFY`` (no extra round trip), and sends
what queued up meanwhile in one statement (a burst costs one round trip per batch, not
per event). Every replica, the sender included, streams these events in the order they
come out of ``LISTEN``; PostgreSQL delivers notifications in commit order, the same on
every replica, which is why the order, not the number, is what a resume follows
(:mod:`spark_control.events`). Reserving id blocks instead would leave each replica's
ids out of step with the others', so an id would say nothing about what came before it.

Delivery is at most once: a replica whose listening connection broke numbers and
streams its own events again meanwhile, reconnects and publishes ``stream.reset``
(reason ``relay_gap``) locally, so a dashboard refetches.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
from dataclasses import dataclass
from typing import Any

from spark_control.events import RESET_TYPE, Event, EventBus

log = logging.getLogger(__name__)

CHANNEL = "spark_events"
#: Events each replica makes for itself; relaying them would show one thing twice.
LOCAL_ONLY = frozenset({"health.changed", RESET_TYPE})
# NOTIFY's payload limit is 8000 bytes; leave room for the envelope around the data.
INLINE_MAX = 7000
QUEUE_SIZE = 10_000
# Events sent in one statement at most (a burst); NOTIFY's queue takes them in order.
BATCH = 200
_SETUP_LOCK = 0x6576656E74  # "event" in ASCII
_SETUP = (
    """CREATE TABLE IF NOT EXISTS spark_event_relay (
    id BIGSERIAL PRIMARY KEY,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
)""",
    "CREATE SEQUENCE IF NOT EXISTS spark_event_id",
    # The ids' epoch: the database's, not a process's, so every replica's ids agree.
    """CREATE TABLE IF NOT EXISTS spark_event_epoch (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    epoch TEXT NOT NULL
)""",
)
# ORDER BY: PostgreSQL evaluates the volatile select list after the sort, so the
# notifications (and their ids) go out in the batch's order.
_NOTIFY_BATCH = (
    "SELECT pg_notify(%s, nextval('spark_event_id')::text || ' ' || body) "
    "FROM unnest(%s::text[]) WITH ORDINALITY AS batch(body, n) ORDER BY n"
)
# A large event's row is read within moments by every listener; a minute is plenty.
_PRUNE = "DELETE FROM spark_event_relay WHERE created_at < now() - interval '1 minute'"


class PostgresEventRelay:
    """Send this replica's events to the others and publish theirs here."""

    def __init__(self, dsn: str, bus: EventBus, replica: str, *, retry_s: float = 1.0) -> None:
        self.dsn = dsn
        self.bus = bus
        self.replica = replica
        self.retry_s = retry_s
        self._queue: asyncio.Queue[_Outgoing] = asyncio.Queue(QUEUE_SIZE)
        self._tasks: list[asyncio.Task[None]] = []
        self._listening = asyncio.Event()
        #: The database's event epoch, once read (ids are ``<epoch>-<n>``).
        self.epoch: str | None = None
        self.sent = 0
        self.batches = 0  # send statements (a burst goes out in few)
        self.received = 0
        self.dropped = 0

    async def start(self) -> None:
        """Tap the bus and start listening; returns once listening (or after a first
        failure, which the listener keeps retrying)."""
        self.bus.add_tap(self._offer)
        self._tasks = [
            asyncio.create_task(self._send_forever(), name="event-relay-send"),
            asyncio.create_task(self._listen_forever(), name="event-relay-listen"),
        ]
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(10):
                await self._listening.wait()

    async def aclose(self, drain_timeout_s: float = 2.0) -> None:
        self.bus.remove_tap(self._offer)
        # What is queued (the lead handed back, say) still goes out, briefly.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(drain_timeout_s):
                await self._queue.join()
        self.bus.unsequence()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    def _offer(self, event: Event) -> None:
        if event.type in LOCAL_ONLY:
            return
        # Shown already (the bus numbered it itself: not listening yet, or not now)?
        shown = not self.bus.held(event.type)
        try:
            self._queue.put_nowait(_Outgoing(event, shown))
        except asyncio.QueueFull:
            self.dropped += 1
            log.warning("event relay is %d events behind; dropped %s", QUEUE_SIZE, event.id)

    # --- sending ---------------------------------------------------------------------

    async def _send_forever(self) -> None:
        conn: Any = None
        while True:
            batch = [await self._queue.get()]
            while len(batch) < BATCH and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            bodies = [
                json.dumps(
                    {"from": self.replica, "shown": out.shown, **out.event.to_dict()},
                    separators=(",", ":"),
                    default=str,
                )
                for out in batch
            ]
            while True:
                try:
                    if conn is None or conn.closed or conn.broken:
                        conn = await self._connect()
                        await self._setup(conn)
                    await self._send(conn, bodies)
                    self.sent += len(bodies)
                    self.batches += 1
                    break
                except asyncio.CancelledError:
                    if conn is not None:
                        await conn.close()
                    raise
                except Exception as exc:
                    log.warning("event relay: cannot send (%s); retrying", _first_line(exc))
                    conn = None
                    await asyncio.sleep(self.retry_s)
            for _ in batch:
                self._queue.task_done()

    async def _send(self, conn: Any, bodies: list[str]) -> None:
        """Every notification in one statement, each taking its id from the sequence as
        it is sent; with large bodies, one transaction that first puts them in the table.
        """
        if all(len(body.encode()) <= INLINE_MAX for body in bodies):
            await conn.execute(_NOTIFY_BATCH, (CHANNEL, bodies))  # one round trip
            return
        async with conn.transaction():
            payloads = []
            for body in bodies:
                if len(body.encode()) <= INLINE_MAX:
                    payloads.append(body)
                    continue
                cursor = await conn.execute(
                    "INSERT INTO spark_event_relay (body) VALUES (%s) RETURNING id", (body,)
                )
                row = await cursor.fetchone()
                payloads.append(f"#{row[0]}")
            await conn.execute(_NOTIFY_BATCH, (CHANNEL, payloads))
            if len(payloads) != sum(p.startswith("{") for p in payloads):
                await conn.execute(_PRUNE)

    # --- receiving -------------------------------------------------------------------

    async def _listen_forever(self) -> None:
        first = True
        while True:
            try:
                conn = await self._connect()
                try:
                    self.epoch = await self._setup(conn)
                    await conn.execute(f"LISTEN {CHANNEL}")
                    # From now on events every replica shows are streamed as they come
                    # back from the database, numbered by it.
                    self.bus.sequence(self.epoch, lambda type: type not in LOCAL_ONLY)
                    self._listening.set()
                    if not first:
                        # Whatever was sent while we were not listening is lost to us.
                        self.bus.publish_relayed(
                            RESET_TYPE, {"reason": "relay_gap"}, "core", time.time()
                        )
                    first = False
                    async for notify in conn.notifies():
                        await self._receive(conn, notify.payload)
                finally:
                    # Not listening: this bus numbers and streams its own events again.
                    self.bus.unsequence()
                    with contextlib.suppress(Exception):
                        await conn.close()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("event relay: not listening (%s); retrying", _first_line(exc))
                self._listening.set()  # start-up goes on; the retry carries on here
                await asyncio.sleep(self.retry_s)

    async def _receive(self, conn: Any, payload: str) -> None:
        number, _, body = payload.partition(" ")
        if not number.isdigit():  # a replica of a release before the sequence
            number, body = "", payload
        if body.startswith("#"):
            # Read on a short-lived connection: the listening one is busy iterating.
            async with await self._connect() as reader:
                cursor = await reader.execute(
                    "SELECT body FROM spark_event_relay WHERE id = %s", (int(body[1:]),)
                )
                row = await cursor.fetchone()
            if row is None:
                log.warning("event relay: event %s was pruned before it was read", body)
                return
            body = row[0]
        try:
            message = json.loads(body)
            own = message.get("from") == self.replica
            if own and (message.get("shown", True) or not number):
                return  # our own, streamed here already
            self.bus.publish_relayed(
                str(message["type"]),
                dict(message.get("data") or {}),
                str(message.get("source", "core")),
                float(message.get("time", time.time())),
                id=f"{self.epoch}-{number}" if number and self.epoch else None,
                foreign=not own,
            )
            if not own:
                self.received += 1
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("event relay: ignored a malformed notification: %s", exc)

    async def _connect(self) -> Any:
        import psycopg

        conn = await psycopg.AsyncConnection.connect(self.dsn, autocommit=True, connect_timeout=5)
        return conn

    async def _setup(self, conn: Any) -> str:
        """Create the large-event table, the id sequence and the epoch if missing (one
        replica at a time); the database's event epoch."""
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SETUP_LOCK,))
            for statement in _SETUP:
                await conn.execute(statement)
            # No "-" or "." in it: ids are split on them (spark_control.events).
            await conn.execute(
                "INSERT INTO spark_event_epoch VALUES (1, %s) ON CONFLICT DO NOTHING",
                ("db" + secrets.token_hex(4),),
            )
            cursor = await conn.execute("SELECT epoch FROM spark_event_epoch")
            row = await cursor.fetchone()
        return str(row[0])


@dataclass(frozen=True, slots=True)
class _Outgoing:
    event: Event
    shown: bool  # streamed here already under this bus's own id


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


__all__ = ["CHANNEL", "LOCAL_ONLY", "PostgresEventRelay"]
