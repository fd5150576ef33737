"""The in-process event bus, and the SSE endpoint that streams it to browsers.

Publishers call :meth:`EventBus.publish`, which never waits on anybody. Two kinds of
reader exist: SSE subscribers (each with a bounded queue; a slow one is dropped and
reconnects with ``Last-Event-ID``) and plugin listeners (each with its own FIFO queue
and consumer task, so a slow or failing plugin delays nobody).

Event envelope (the JSON in each SSE ``data:`` line)::

    {"id": "<epoch>-<seq>", "type": "health.changed", "source": "core",
     "time": 1718000000.123, "data": {...}}

- ``id``: ``epoch`` is fixed per bus (process start, base 36, plus a random suffix) and
  contains no ``-``; ``seq`` is a decimal counter starting at 1. Ids compare by ``seq``
  only within one epoch.
- ``type``: dotted, ``<area>.<what>`` (``health.changed``, ``gate.changed``,
  ``models.swap_started``); each publisher documents its ``data`` schema.
- ``source``: the publishing plugin's name, or ``core``.
- ``time``: unix seconds.

Replay on reconnect (``Last-Event-ID`` header or ``last_event_id`` query parameter):

- same epoch, id still in the buffer: exactly the events after it;
- same epoch, id older than the buffer: a ``stream.reset`` event with
  ``{"reason": "gap", "last_event_id": ...}``, then the whole buffer;
- another epoch or an unparseable id (the gateway restarted since the client's last
  view, so everything buffered is news to it): ``stream.reset`` with
  ``{"reason": "restart", ...}``, then the whole buffer.

On ``stream.reset`` a client should refetch whatever state it shows. The reset event's
id is the position just before the first replayed event, so reconnecting right after it
loses nothing.

With several gateways on one PostgreSQL, :mod:`spark_control.event_relay` puts the bus in
*sequenced* mode (:meth:`EventBus.sequence`): an event every replica shows is streamed
(by every replica, its own publisher included) only once it comes back from the
database, under the database's id ``<db-epoch>-<n>`` (``n`` from one sequence), in the
order of PostgreSQL's notification queue, which is the same on every replica. So a
browser that moves to another replica resumes with its ``Last-Event-ID`` by position:
exactly the events after that one. An event only this replica shows (``health.changed``,
``stream.reset``) gets ``<db-epoch>-<n>.<bus-epoch>.<k>``: the database id of the shared
event before it, then this bus's own counter; another replica resumes after ``<n>``.
Plugin listeners hear their own replica's events at once, and only those.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
import secrets
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from fastapi.responses import StreamingResponse

from spark_control.deps import EventsDep

log = logging.getLogger(__name__)

Handler = Callable[["Event"], Any | Awaitable[Any]]

RESET_TYPE = "stream.reset"


@dataclass(frozen=True, slots=True)
class Event:
    """One published event; see the module docstring for the envelope."""

    id: str
    type: str
    source: str
    time: float
    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), separators=(",", ":"), default=str)


@dataclass(slots=True)
class ListenerStats:
    """What one plugin listener has been through, for diagnostics."""

    delivered: int = 0
    errors: int = 0
    dropped: int = 0
    pending: int = 0


def parse_event_id(event_id: str) -> tuple[str, int] | None:
    """Split ``<epoch>-<seq>`` into its parts; None if it is not such an id."""
    epoch, sep, seq = event_id.strip().rpartition("-")
    if not sep or not epoch or not seq.isdigit():
        return None
    return epoch, int(seq)


def _seq_of(event: Event) -> int:
    return int(event.id.rpartition("-")[2].rpartition(".")[2])


def _is_local(event_id: str, epoch: str) -> bool:
    """Whether this bus numbered the id (``<epoch>-<k>`` or ``<db>-<n>.<epoch>.<k>``)."""
    return event_id.startswith(epoch + "-") or f".{epoch}." in event_id


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


_END = object()


class Subscription:
    """A live view of the bus: replayed events first, then new ones.

    Use as ``async with bus.subscribe(last_id) as sub: async for event in sub: ...``.
    Iteration ends when the bus closes or when this subscriber fell too far behind
    (``dropped`` is then True).
    """

    def __init__(self, bus: EventBus, replay: list[Event], queue_size: int) -> None:
        self._bus = bus
        self._replay = deque(replay)
        self._queue: asyncio.Queue[Any] = asyncio.Queue(queue_size)
        self._ended = False
        self.dropped = False

    def _offer(self, event: Event) -> None:
        if self._ended:
            return
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            # The reader is too slow; it will reconnect and replay from the buffer.
            self.dropped = True
            self._end()

    def _end(self) -> None:
        if self._ended:
            return
        self._ended = True
        # Clear so the end marker fits and the reader stops at once.
        while not self._queue.empty():
            self._queue.get_nowait()
        self._queue.put_nowait(_END)

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> Event:
        if self._replay:
            return self._replay.popleft()
        item = await self._queue.get()
        if item is _END:
            # Keep the marker so every later call ends too.
            self._queue.put_nowait(_END)
            raise StopAsyncIteration
        event: Event = item
        return event

    async def __aenter__(self) -> Subscription:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._bus._subscribers.discard(self)
        self._ended = True


@dataclass(slots=True)
class _Listener:
    name: str
    handler: Handler
    queue: asyncio.Queue[Event]
    stats: ListenerStats = field(default_factory=ListenerStats)
    task: asyncio.Task[None] | None = None


class EventBus:
    """Publish events; fan them out to SSE subscribers and plugin listeners.

    Call :meth:`publish` from the event loop's thread (it touches asyncio queues).
    """

    def __init__(
        self,
        buffer_size: int = 1000,
        *,
        subscriber_queue_size: int = 256,
        listener_queue_size: int = 10_000,
        keepalive_s: float = 15.0,
        retry_ms: int = 2000,
    ) -> None:
        if buffer_size < 1:
            raise ValueError("buffer_size must be at least 1")
        self.epoch = _base36(int(time.time())) + secrets.token_hex(2)
        self._seq = 0
        self._buffer: deque[Event] = deque(maxlen=buffer_size)
        self._subscriber_queue_size = subscriber_queue_size
        self._listener_queue_size = listener_queue_size
        # For ``GET /api/events``: a comment when idle this long; the client's retry delay.
        self.keepalive_s = keepalive_s
        self.retry_ms = retry_ms
        self._subscribers: set[Subscription] = set()
        self._listeners: dict[str, _Listener] = {}
        # Called with every event published here (not relayed ones): the relay to the
        # other replicas (spark_control.event_relay).
        self._taps: list[Callable[[Event], None]] = []
        # Called with events of a type that another replica published (``on_relayed``).
        self._relayed: dict[str, list[Callable[[Event], None]]] = {}
        # Sequenced mode (several replicas): the database's epoch, which events it
        # numbers, and the number of the newest of them this bus streamed.
        self.shared_epoch: str | None = None
        self._shared: Callable[[str], bool] = lambda type: False
        self._last_shared = 0
        self._started = False
        self._closed = False

    # -- publishing ---------------------------------------------------------------

    def publish(self, type: str, data: dict[str, Any] | None = None, source: str = "core") -> Event:
        """Record an event and hand it to every reader without waiting for any.

        In sequenced mode an event every replica shows is handed to the taps (the
        relay) and plugin listeners now, and streamed once the database numbered it
        (:meth:`publish_relayed` with its id); the returned event's id is then this
        bus's own, not the one SSE readers see.
        """
        held = self.held(type)
        if held:
            self._seq += 1
            event = Event(f"{self.epoch}-{self._seq}", type, source, time.time(), dict(data or {}))
        else:
            event = self._record(type, data, source, time.time())
        if self._closed:
            return event
        for tap in self._taps:
            try:
                tap(event)
            except Exception:
                log.exception("event tap failed on %s", event.id)
        if not held:
            self._offer(event)
        self._to_listeners(event)
        return event

    def publish_relayed(
        self,
        type: str,
        data: dict[str, Any],
        source: str,
        at: float,
        *,
        id: str | None = None,
        foreign: bool = False,
    ) -> Event | None:
        """An event that came through the relay: kept and streamed to this replica's SSE
        subscribers, but not handed to plugin listeners (each replica's plugins hear
        their own replica's events) nor relayed again. ``id`` is the database's
        (``<db-epoch>-<n>``, sequenced mode); without it the event gets a local id.
        ``foreign``: another replica published it, so :meth:`on_relayed` callbacks
        for its type are called."""
        if self._closed:
            return None
        if id is None:
            event = self._record(type, data, source, at)
        else:
            event = Event(id, type, source, at, dict(data))
            self._buffer.append(event)
            parsed = parse_event_id(id)
            if parsed is not None:
                self._last_shared = parsed[1]
        self._offer(event)
        if foreign:
            for callback in self._relayed.get(type, ()):
                try:
                    callback(event)
                except Exception:
                    log.exception("a relayed-event callback failed on %s", event.id)
        return event

    def on_relayed(self, type: str, callback: Callable[[Event], None]) -> Callable[[], None]:
        """Call ``callback(event)`` (synchronously; it must not block) for each event of
        ``type`` that **another** replica published, when the relay brings it here
        (several gateways on one PostgreSQL; never with one gateway). Plugin listeners
        hear only their own replica's events; this is how a replica learns that another
        did something it must act on (a webhook queued for the leader to send). Returns
        a function that removes the callback."""
        callbacks = self._relayed.setdefault(type, [])
        callbacks.append(callback)

        def remove() -> None:
            with contextlib.suppress(ValueError):
                callbacks.remove(callback)

        return remove

    def held(self, type: str) -> bool:
        """Whether an event of this type published here waits for the database's id."""
        return self.shared_epoch is not None and self._shared(type)

    def sequence(self, epoch: str, shared: Callable[[str], bool]) -> None:
        """Sequenced mode: events of the types ``shared`` accepts are streamed only as
        :meth:`publish_relayed` hands them over, numbered by the database ``epoch``."""
        self.shared_epoch = epoch
        self._shared = shared

    def unsequence(self) -> None:
        """Back to numbering and streaming every event here (the relay is down)."""
        self.shared_epoch = None

    def add_tap(self, tap: Callable[[Event], None]) -> None:
        """Call ``tap(event)`` (synchronously; it must not block) for every event
        published on this bus, relayed ones excepted."""
        self._taps.append(tap)

    def remove_tap(self, tap: Callable[[Event], None]) -> None:
        with contextlib.suppress(ValueError):
            self._taps.remove(tap)

    def _record(self, type: str, data: dict[str, Any] | None, source: str, at: float) -> Event:
        self._seq += 1
        if self.shared_epoch is None:
            id = f"{self.epoch}-{self._seq}"
        else:
            id = f"{self.shared_epoch}-{self._last_shared}.{self.epoch}.{self._seq}"
        event = Event(id, type, source, at, dict(data or {}))
        self._buffer.append(event)
        return event

    def _offer(self, event: Event) -> None:
        for sub in list(self._subscribers):
            sub._offer(event)
            if sub.dropped:
                self._subscribers.discard(sub)
                log.info("dropped a slow event subscriber at %s", event.id)

    def _to_listeners(self, event: Event) -> None:
        for listener in self._listeners.values():
            try:
                listener.queue.put_nowait(event)
            except asyncio.QueueFull:
                listener.stats.dropped += 1
                log.warning(
                    "listener %s is %d events behind; dropped %s",
                    listener.name,
                    listener.queue.qsize(),
                    event.id,
                )

    @property
    def last_id(self) -> str:
        """The id of the newest streamed event (``<epoch>-0`` before the first)."""
        return self._buffer[-1].id if self._buffer else f"{self.epoch}-0"

    def buffered(self) -> list[Event]:
        return list(self._buffer)

    # -- SSE subscribers ----------------------------------------------------------

    def subscribe(self, last_event_id: str | None = None) -> Subscription:
        """A subscription replaying what followed ``last_event_id`` (see module docs)."""
        sub = Subscription(self, self._replay_after(last_event_id), self._subscriber_queue_size)
        if self._closed:
            sub._end()
        else:
            self._subscribers.add(sub)
        return sub

    def _replay_after(self, last_event_id: str | None) -> list[Event]:
        if not last_event_id:
            return []
        last_event_id = last_event_id.strip()
        events = list(self._buffer)
        # By position first: what followed that event here (the database's order is
        # every replica's, so this holds for an id another replica streamed too).
        for index in range(len(events) - 1, -1, -1):
            if events[index].id == last_event_id:
                return events[index + 1 :]
        local = [(i, _seq_of(e)) for i, e in enumerate(events) if _is_local(e.id, self.epoch)]
        first = local[0][1] if local else self._seq + 1
        parsed = parse_event_id(last_event_id)
        reason = "restart"
        if parsed is not None and parsed[0] == self.epoch:
            seq = parsed[1]
            if seq >= first - 1:
                after = [i for i, s in local if s > seq]
                return events[after[0] :] if after else []
            reason = "gap"
        elif self.shared_epoch is not None and last_event_id.startswith(self.shared_epoch + "-"):
            # Another replica's own event: resume after the shared one it followed.
            base = f"{last_event_id.partition('.')[0]}"
            for index in range(len(events) - 1, -1, -1):
                if events[index].id == base:
                    return events[index + 1 :]
            reason = "gap"
        # Reconnecting right after the reset loses nothing: its id points just before
        # the first replayed event (or, when that one came from the database, nowhere,
        # so the whole buffer comes again).
        reset_id = f"{self.epoch}-{first - 1}"
        if events and not _is_local(events[0].id, self.epoch) and self.shared_epoch:
            reset_id = f"{self.shared_epoch}-0"
        reset = Event(
            reset_id,
            RESET_TYPE,
            "core",
            time.time(),
            {"reason": reason, "last_event_id": last_event_id},
        )
        return [reset, *events]

    # -- plugin listeners ---------------------------------------------------------

    def add_listener(self, name: str, handler: Handler) -> None:
        """Deliver every later event to ``handler``, in order, from its own task."""
        if name in self._listeners:
            raise ValueError(f"event listener {name!r} is already registered")
        listener = _Listener(name, handler, asyncio.Queue(self._listener_queue_size))
        self._listeners[name] = listener
        if self._started and not self._closed:
            listener.task = asyncio.create_task(self._consume(listener), name=f"events:{name}")

    def listener_stats(self) -> dict[str, ListenerStats]:
        for listener in self._listeners.values():
            listener.stats.pending = listener.queue.qsize()
        return {name: listener.stats for name, listener in self._listeners.items()}

    async def _consume(self, listener: _Listener) -> None:
        while True:
            event = await listener.queue.get()
            try:
                result = listener.handler(event)
                if inspect.isawaitable(result):
                    await result
                listener.stats.delivered += 1
            except Exception:
                listener.stats.errors += 1
                log.exception(
                    "event listener %s failed on %s %s", listener.name, event.type, event.id
                )
            finally:
                listener.queue.task_done()

    # -- lifecycle ----------------------------------------------------------------

    def start(self) -> None:
        """Start one consumer task per listener; call from the running loop.

        After :meth:`aclose`, ``start`` opens the bus again (an app's lifespan may run
        more than once, in tests); listeners must then be added again.
        """
        if self._started and not self._closed:
            return
        self._started = True
        self._closed = False
        for listener in self._listeners.values():
            listener.task = asyncio.create_task(
                self._consume(listener), name=f"events:{listener.name}"
            )

    def close_streams(self) -> None:
        """End every open SSE stream now (the server may wait on them before shutdown)."""
        for sub in list(self._subscribers):
            sub._end()
        self._subscribers.clear()

    async def drain(self) -> None:
        """Wait until every started listener has handled every event published so far."""
        await asyncio.gather(
            *(lst.queue.join() for lst in self._listeners.values() if lst.task is not None)
        )

    async def aclose(self, drain_timeout_s: float = 5.0) -> None:
        """End streams, give listeners ``drain_timeout_s`` to catch up, then stop them."""
        if self._closed or not self._started:
            self._closed = True
            self.close_streams()
            return
        self._closed = True
        self.close_streams()
        tasks = [lst.task for lst in self._listeners.values() if lst.task is not None]
        try:
            async with asyncio.timeout(drain_timeout_s):
                await self.drain()
        except TimeoutError:
            log.warning("event listeners did not drain within %ss", drain_timeout_s)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._listeners.clear()


def format_sse(event: Event) -> str:
    """One event in the SSE wire format."""
    return f"id: {event.id}\nevent: {event.type}\ndata: {event.to_json()}\n\n"


sse_router = APIRouter()


@sse_router.get("/api/events", response_class=StreamingResponse, tags=["events"])
async def stream_events(
    bus: EventsDep,
    last_event_id: Annotated[str | None, Query()] = None,
    last_event_id_header: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    """Server-sent events; reconnect with ``Last-Event-ID`` to get what you missed."""
    # Subscribe before the response starts so nothing published meanwhile is lost.
    sub = bus.subscribe(last_event_id_header or last_event_id)
    return StreamingResponse(
        _stream(sub, bus.keepalive_s, bus.retry_ms),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _stream(sub: Subscription, keepalive_s: float, retry_ms: int) -> AsyncIterator[str]:
    # A client that went away is noticed by the server: Starlette cancels this generator
    # or the next keepalive write fails, and leaving ``async with`` unsubscribes.
    async with sub:
        yield f"retry: {retry_ms}\n\n"
        while True:
            try:
                async with asyncio.timeout(keepalive_s):
                    event = await anext(sub)
            except StopAsyncIteration:
                return
            except TimeoutError:
                yield ": keepalive\n\n"
                continue
            yield format_sse(event)
