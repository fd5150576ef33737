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

Delivery is at most once: a replica whose listening connection broke reconnects and
publishes ``stream.reset`` (reason ``relay_gap``) locally, so a dashboard refetches.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from typing import Any

from spark_control.events import RESET_TYPE, Event, EventBus

log = logging.getLogger(__name__)

CHANNEL = "spark_events"
#: Events each replica makes for itself; relaying them would show one thing twice.
LOCAL_ONLY = frozenset({"health.changed", RESET_TYPE})
# NOTIFY's payload limit is 8000 bytes; leave room for the envelope around the data.
INLINE_MAX = 7000
QUEUE_SIZE = 10_000
_SETUP_LOCK = 0x6576656E74  # "event" in ASCII
_SETUP = """CREATE TABLE IF NOT EXISTS spark_event_relay (
    id BIGSERIAL PRIMARY KEY,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
)"""
# A large event's row is read within moments by every listener; a minute is plenty.
_PRUNE = "DELETE FROM spark_event_relay WHERE created_at < now() - interval '1 minute'"


class PostgresEventRelay:
    """Send this replica's events to the others and publish theirs here."""

    def __init__(self, dsn: str, bus: EventBus, replica: str, *, retry_s: float = 1.0) -> None:
        self.dsn = dsn
        self.bus = bus
        self.replica = replica
        self.retry_s = retry_s
        self._queue: asyncio.Queue[Event] = asyncio.Queue(QUEUE_SIZE)
        self._tasks: list[asyncio.Task[None]] = []
        self._listening = asyncio.Event()
        self.sent = 0
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

    async def aclose(self) -> None:
        self.bus.remove_tap(self._offer)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    def _offer(self, event: Event) -> None:
        if event.type in LOCAL_ONLY:
            return
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self.dropped += 1
            log.warning("event relay is %d events behind; dropped %s", QUEUE_SIZE, event.id)

    # --- sending ---------------------------------------------------------------------

    async def _send_forever(self) -> None:
        conn: Any = None
        while True:
            event = await self._queue.get()
            body = json.dumps(
                {"from": self.replica, **event.to_dict()}, separators=(",", ":"), default=str
            )
            while True:
                try:
                    if conn is None or conn.closed or conn.broken:
                        conn = await self._connect()
                        await self._setup(conn)
                    await self._send(conn, body)
                    self.sent += 1
                    break
                except asyncio.CancelledError:
                    if conn is not None:
                        await conn.close()
                    raise
                except Exception as exc:
                    log.warning("event relay: cannot send (%s); retrying", _first_line(exc))
                    conn = None
                    await asyncio.sleep(self.retry_s)

    async def _send(self, conn: Any, body: str) -> None:
        if len(body.encode()) <= INLINE_MAX:
            await conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, body))
            return
        async with conn.transaction():
            cursor = await conn.execute(
                "INSERT INTO spark_event_relay (body) VALUES (%s) RETURNING id", (body,)
            )
            row = await cursor.fetchone()
            await conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, f"#{row[0]}"))
            await conn.execute(_PRUNE)

    # --- receiving -------------------------------------------------------------------

    async def _listen_forever(self) -> None:
        first = True
        while True:
            try:
                conn = await self._connect()
                try:
                    await conn.execute(f"LISTEN {CHANNEL}")
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
                    with contextlib.suppress(Exception):
                        await conn.close()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("event relay: not listening (%s); retrying", _first_line(exc))
                self._listening.set()  # start-up goes on; the retry carries on here
                await asyncio.sleep(self.retry_s)

    async def _receive(self, conn: Any, payload: str) -> None:
        if payload.startswith("#"):
            # Read on a short-lived connection: the listening one is busy iterating.
            async with await self._connect() as reader:
                cursor = await reader.execute(
                    "SELECT body FROM spark_event_relay WHERE id = %s", (int(payload[1:]),)
                )
                row = await cursor.fetchone()
            if row is None:
                log.warning("event relay: event %s was pruned before it was read", payload)
                return
            payload = row[0]
        try:
            message = json.loads(payload)
            if message.get("from") == self.replica:
                return  # our own, already published here
            self.bus.publish_relayed(
                str(message["type"]),
                dict(message.get("data") or {}),
                str(message.get("source", "core")),
                float(message.get("time", time.time())),
            )
            self.received += 1
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("event relay: ignored a malformed notification: %s", exc)

    async def _connect(self) -> Any:
        import psycopg

        conn = await psycopg.AsyncConnection.connect(self.dsn, autocommit=True, connect_timeout=5)
        return conn

    async def _setup(self, conn: Any) -> None:
        """Create the large-event table if it is missing (one replica at a time)."""
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SETUP_LOCK,))
            await conn.execute(_SETUP)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


__all__ = ["CHANNEL", "LOCAL_ONLY", "PostgresEventRelay"]
