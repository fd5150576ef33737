"""The webhook outbox: deliveries persisted before they are sent, and the task that
sends them, outside every swap's path.

A delivery is one event for one receiver. It keeps its ``webhook-id`` on every attempt
(receivers deduplicate on it) and is signed afresh per attempt with the receiver's
current secrets, which are read from the settings and never stored. Only a 2xx answer
counts. Redirects are never followed (Standard Webhooks): a 3xx answer is a failed
attempt like a 5xx, recorded with its status and ``Location`` and retried, whatever
that ``Location`` holds (``stop_at_redirects``, which the deliverer adds to its client,
ends the request before httpx reads it). A failed attempt is retried after an
exponential backoff with jitter, until ``webhook_max_attempts`` attempts or
``webhook_max_age_s`` after the event, whichever comes first. A gateway restart loses
nothing: pending deliveries are picked up again, and an attempt cut short by the stop
is logged as such and counted.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import secrets
import time
from collections.abc import Callable, Iterable
from typing import Any

import httpx

from spark_control.api import Store, iso_utc
from spark_control_coordination.settings import CoordinationSettings, WebhookTarget
from spark_control_coordination.signing import signed_headers

log = logging.getLogger(__name__)

OWNER = "coordination.webhooks"
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
ERROR_CHARS = 300
INTERRUPTED = "interrupted: the gateway sending it stopped or lost the lead during this attempt"
# The longest a quiet worker sleeps before looking at the outbox again anyway.
IDLE_POLL_S = 30.0
# How often a replica that does not lead looks whether it leads now (it is also woken).
FOLLOWER_POLL_S = 1.0

MIGRATIONS: list[str] = [
    """
    CREATE TABLE coordination_webhook_deliveries (
        n INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        url TEXT NOT NULL,
        event TEXT NOT NULL,
        body BLOB NOT NULL,
        created_at REAL NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at REAL NOT NULL,
        last_status INTEGER,
        last_error TEXT,
        finished_at REAL
    );
    CREATE INDEX coordination_webhook_due
        ON coordination_webhook_deliveries (state, next_attempt_at);
    CREATE TABLE coordination_webhook_attempts (
        delivery TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        started_at REAL NOT NULL,
        finished_at REAL,
        status INTEGER,
        error TEXT,
        PRIMARY KEY (delivery, attempt)
    );
    """,
]


class _Redirected(Exception):
    """A receiver answered 3xx: the attempt ends there, before httpx reads ``Location``."""

    def __init__(self, status: int, location: str) -> None:
        super().__init__(f"answered {status}")
        self.status = status
        self.location = location


async def stop_at_redirects(response: httpx.Response) -> None:
    """The webhook client's response hook. httpx parses a 3xx answer's ``Location`` even
    when it does not follow it, and an unusable one (``mailto:x``) raises outside its
    own error classes; this hook ends the request first, so no ``Location`` is ever
    parsed and the attempt is recorded like any other failure."""
    if 300 <= response.status_code < 400:
        raise _Redirected(response.status_code, response.headers.get("location", ""))


def new_delivery_id() -> str:
    return "msg_" + secrets.token_hex(12)


def event_body(event_type: str, data: dict[str, Any], at: float) -> bytes:
    """The JSON every receiver gets, in the Standard Webhooks shape."""
    return json.dumps(
        {"type": event_type, "timestamp": iso_utc(at), "data": data},
        separators=(",", ":"),
        sort_keys=True,
    ).encode()


def backoff_s(attempts: int, base: float, cap: float, rng: random.Random) -> float:
    """The wait after the ``attempts``-th failure: doubling from ``base`` up to ``cap``,
    then a random half of it taken off, so receivers coming back are not hit in step."""
    delay = min(cap, base * 2 ** max(attempts - 1, 0))
    return delay * rng.uniform(0.5, 1.0)


class Outbox:
    """The persisted deliveries and their attempt log."""

    def __init__(self, store: Store, *, keep: int = 1000) -> None:
        self.store = store
        self.keep = keep

    async def setup(self) -> None:
        await self.store.migrate(OWNER, MIGRATIONS)

    async def recover_open(self, now: float, in_flight: Iterable[str] = ()) -> int:
        """Log the attempts left open (no end) as interrupted, but those of
        ``in_flight`` deliveries (this sender's own, still running); how many.

        Only the sender (the leader) calls this, once it leads: an attempt is open
        while a sender waits on the receiver, so another replica starting, or a
        follower, would cut a live leader's attempt short in the log. An open attempt
        a new leader finds was its predecessor's, which stopped or lost the lead."""
        keep = sorted(set(in_flight))
        marks = ", ".join("?" for _ in keep)
        spared = f" AND delivery NOT IN ({marks})" if keep else ""
        return await self.store.execute(
            "UPDATE coordination_webhook_attempts SET finished_at = ?, "  # noqa: S608 - marks only
            f"error = ? WHERE finished_at IS NULL{spared}",
            (now, INTERRUPTED, *keep),
        )

    async def enqueue(self, url: str, event: str, body: bytes, now: float) -> str:
        delivery_id = new_delivery_id()
        await self.store.execute(
            "INSERT INTO coordination_webhook_deliveries "
            "(id, url, event, body, created_at, state, next_attempt_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (delivery_id, url, event, body, now, PENDING, now),
        )
        return delivery_id

    async def due(self, now: float, limit: int) -> list[dict[str, Any]]:
        return await self.store.fetchall(
            "SELECT * FROM coordination_webhook_deliveries WHERE state = ? "
            "AND next_attempt_at <= ? ORDER BY next_attempt_at, n LIMIT ?",
            (PENDING, now, limit),
        )

    async def next_due_at(self) -> float | None:
        row = await self.store.fetchone(
            "SELECT MIN(next_attempt_at) AS t FROM coordination_webhook_deliveries WHERE state = ?",
            (PENDING,),
        )
        return row["t"] if row else None

    async def start_attempt(self, delivery_id: str, now: float, busy_until: float) -> int:
        """Count and log a new attempt; until ``busy_until`` the delivery is not due
        again (the attempt's own time limit), so nothing sends it twice at once."""

        def begin(conn: Any) -> int:
            conn.execute(
                "UPDATE coordination_webhook_deliveries SET attempts = attempts + 1, "
                "next_attempt_at = ? WHERE id = ?",
                (busy_until, delivery_id),
            )
            (attempt,) = conn.execute(
                "SELECT attempts FROM coordination_webhook_deliveries WHERE id = ?",
                (delivery_id,),
            ).fetchone()
            conn.execute(
                "INSERT INTO coordination_webhook_attempts (delivery, attempt, started_at) "
                "VALUES (?, ?, ?)",
                (delivery_id, attempt, now),
            )
            return int(attempt)

        return await self.store.transaction(begin)

    async def finish_attempt(
        self,
        delivery_id: str,
        attempt: int,
        now: float,
        *,
        status: int | None,
        error: str | None,
        state: str,
        next_attempt_at: float | None,
    ) -> None:
        def finish(conn: Any) -> None:
            conn.execute(
                "UPDATE coordination_webhook_attempts SET finished_at = ?, status = ?, "
                "error = ? WHERE delivery = ? AND attempt = ?",
                (now, status, error, delivery_id, attempt),
            )
            conn.execute(
                "UPDATE coordination_webhook_deliveries SET state = ?, last_status = ?, "
                "last_error = ?, next_attempt_at = COALESCE(?, next_attempt_at), "
                "finished_at = ? WHERE id = ?",
                (
                    state,
                    status,
                    error,
                    next_attempt_at,
                    None if state == PENDING else now,
                    delivery_id,
                ),
            )

        await self.store.transaction(finish)

    async def give_up(self, delivery_id: str, now: float, error: str) -> None:
        await self.store.execute(
            "UPDATE coordination_webhook_deliveries SET state = ?, last_error = ?, "
            "finished_at = ? WHERE id = ?",
            (FAILED, error, now, delivery_id),
        )

    async def list(self, limit: int) -> list[dict[str, Any]]:
        rows = await self.store.fetchall(
            "SELECT n, id, url, event, created_at, state, attempts, next_attempt_at, "
            "last_status, last_error, finished_at FROM coordination_webhook_deliveries "
            "ORDER BY n DESC LIMIT ?",
            (limit,),
        )
        for row in rows:
            row["attempt_log"] = await self.store.fetchall(
                "SELECT attempt, started_at, finished_at, status, error "
                "FROM coordination_webhook_attempts WHERE delivery = ? ORDER BY attempt",
                (row["id"],),
            )
            row.pop("n")
            if row["state"] != PENDING:
                row["next_attempt_at"] = None
        return rows

    async def prune(self) -> None:
        """Keep the newest ``keep`` finished deliveries (pending ones always stay)."""
        await self.store.execute(
            "DELETE FROM coordination_webhook_deliveries WHERE state != ? AND n <= "
            "(SELECT COALESCE(MAX(n), 0) FROM coordination_webhook_deliveries) - ?",
            (PENDING, self.keep),
        )
        await self.store.execute(
            "DELETE FROM coordination_webhook_attempts WHERE delivery NOT IN "
            "(SELECT id FROM coordination_webhook_deliveries)"
        )


class Deliverer:
    """Sends due deliveries, a few at a time, and schedules the retries."""

    def __init__(
        self,
        outbox: Outbox,
        settings: CoordinationSettings,
        client: httpx.AsyncClient,
        *,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        on_change: Callable[[str], None] | None = None,
        may_send: Callable[[], bool] | None = None,
    ) -> None:
        self.outbox = outbox
        self.settings = settings
        self.client = client
        hooks = client.event_hooks
        if stop_at_redirects not in hooks["response"]:
            client.event_hooks = {**hooks, "response": [*hooks["response"], stop_at_redirects]}
        self.clock = clock
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not a secret
        self._wake = asyncio.Event()
        self._in_flight: dict[str, asyncio.Task[None]] = {}
        self._slots = asyncio.Semaphore(settings.webhook_concurrency)
        # Told a delivery's id whenever it was queued or an attempt ended (the log tile).
        self.on_change = on_change or (lambda _id: None)
        # With several gateways only the cluster's leader sends; the others keep what
        # they queue in the shared outbox for it (docs/REPLICAS.md).
        self.may_send = may_send or (lambda: True)
        self._sending = False  # as of the last look: whether this replica sent

    def targets(self) -> dict[str, WebhookTarget]:
        return {t.url: t for t in self.settings.targets()}

    async def enqueue(self, event: str, body: bytes, *, test: bool = False) -> list[str]:
        """Persist one delivery per receiver that wants ``event``; return their ids."""
        now = self.clock()
        ids = []
        for target in self.settings.targets():
            if test or target.wants(event):
                ids.append(await self.outbox.enqueue(target.url, event, body, now))
        for delivery_id in ids:
            self.on_change(delivery_id)
        if ids:
            self._wake.set()
        return ids

    def wake(self) -> None:
        """Look at the outbox now (this replica just became the leader, say)."""
        self._wake.set()

    async def run(self) -> None:
        """Forever: start what is due, then sleep until the next due time or a wake-up."""
        try:
            while True:
                self._wake.clear()
                try:
                    wait = await self._start_due()
                except Exception:
                    # The outbox keeps everything; a store hiccup only delays sending.
                    log.exception("could not read the webhook outbox; trying again shortly")
                    wait = 1.0
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), wait)
        finally:
            for task in list(self._in_flight.values()):
                task.cancel()
            await asyncio.gather(*self._in_flight.values(), return_exceptions=True)

    async def _start_due(self) -> float:
        """Start every due delivery not already in flight; return how long to sleep."""
        if not self.may_send():
            self._sending = False
            return FOLLOWER_POLL_S
        if not self._sending:
            # Leading now (at start, or the lead came here): what an earlier sender
            # left open ended with it; it is due again when its time limit passes.
            count = await self.outbox.recover_open(self.clock(), self._in_flight)
            if count:
                log.info("webhooks: %d attempt(s) left open by an earlier sender", count)
            self._sending = True
        for row in await self.outbox.due(self.clock(), limit=100):
            if row["id"] not in self._in_flight:
                task = asyncio.create_task(self._deliver(row))
                self._in_flight[row["id"]] = task
                task.add_done_callback(self._forget)
        next_at = await self.outbox.next_due_at()
        wait = IDLE_POLL_S if next_at is None else max(next_at - self.clock(), 0.05)
        return min(wait, IDLE_POLL_S)

    def _forget(self, task: asyncio.Task[None]) -> None:
        for delivery_id, known in list(self._in_flight.items()):
            if known is task:
                del self._in_flight[delivery_id]

    async def _deliver(self, row: dict[str, Any]) -> None:
        try:
            async with self._slots:
                if self.may_send():  # else the lead moved while this waited for a slot
                    await self._attempt(row)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("webhook delivery %s failed unexpectedly", row["id"])
        finally:
            self._wake.set()  # its retry time may be the next thing to wait for
            self.on_change(row["id"])

    async def _attempt(self, row: dict[str, Any]) -> None:
        delivery_id, url = row["id"], row["url"]
        target = self.targets().get(url)
        if target is None:
            await self.outbox.give_up(
                delivery_id, self.clock(), "this receiver is no longer configured"
            )
            return
        s = self.settings
        # Bounds already reached before this attempt (an attempt cut short by a stop
        # counted, and a gateway down for long uses up the time).
        if row["attempts"] >= s.webhook_max_attempts:
            await self.outbox.give_up(delivery_id, self.clock(), "gave up: out of attempts")
            return
        if self.clock() > row["created_at"] + s.webhook_max_age_s:
            await self.outbox.give_up(delivery_id, self.clock(), "gave up: out of time")
            return
        body = bytes(row["body"])
        timeout = s.webhook_timeout_s
        started = self.clock()
        attempt = await self.outbox.start_attempt(delivery_id, started, started + timeout + 1)
        status: int | None = None
        error: str | None = None
        try:
            headers = signed_headers(target.keys(), delivery_id, int(self.clock()), body)
            async with asyncio.timeout(timeout):
                async with self.client.stream("POST", url, content=body, headers=headers) as r:
                    status = r.status_code
                    if not 200 <= status < 300:
                        error = await _describe(r)
        except _Redirected as exc:
            status = exc.status
            where = exc.location[:200] or "nowhere (no Location)"
            error = f"answered {status} redirecting to {where}: redirects are not followed"
        except TimeoutError:
            error = f"no answer within {timeout:g} s"
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            error = f"{type(exc).__name__}: {exc}"[:ERROR_CHARS] or type(exc).__name__
        now = self.clock()
        if error is None:
            await self.outbox.finish_attempt(
                delivery_id,
                attempt,
                now,
                status=status,
                error=None,
                state=DELIVERED,
                next_attempt_at=None,
            )
            await self.outbox.prune()
            return
        retry_at = now + backoff_s(attempt, s.webhook_backoff_s, s.webhook_backoff_max_s, self.rng)
        out_of_time = retry_at > row["created_at"] + s.webhook_max_age_s
        if attempt >= s.webhook_max_attempts or out_of_time:
            why = "attempts" if attempt >= s.webhook_max_attempts else "time"
            error = f"{error} (gave up: out of {why})"
            await self.outbox.finish_attempt(
                delivery_id,
                attempt,
                now,
                status=status,
                error=error,
                state=FAILED,
                next_attempt_at=None,
            )
            await self.outbox.prune()
            return
        await self.outbox.finish_attempt(
            delivery_id,
            attempt,
            now,
            status=status,
            error=error,
            state=PENDING,
            next_attempt_at=retry_at,
        )


async def _describe(response: httpx.Response) -> str:
    """Why a non-2xx answer failed: the status and the start of its body."""
    excerpt = b""
    async for chunk in response.aiter_bytes():
        excerpt += chunk
        if len(excerpt) >= ERROR_CHARS:
            break
    text = excerpt[:ERROR_CHARS].decode(errors="replace").strip()
    return f"answered {response.status_code}" + (f": {text}" if text else "")
