"""Health probes: the poller, flap damping, the connectivity log and ``/api/health``.

Each probe runs on its own task under its own timeout, so a hung service delays neither
the other probes nor a reader: ``snapshot()`` and ``GET /api/health`` answer from the
cache. The probes of one node (whichever plugin registered them) share one sweep: one
timer, so probes due together start in one wake-up. A probe's published state changes
only after ``damping`` consecutive results agree (its first result is taken at once).
Results come from polls, from ``deep()`` runs, and from :meth:`HealthMonitor.observe`,
through which the proxy reports what real requests met, so an outage shorter than the
poll interval is still seen.

Observed failures go through damping like any result (they do not bypass it): one
failed request may be the request's own fault (a bad body, a client that hung up), but
``damping`` failures in a row, with no success between, mark the service down even
between polls. An observed success only says the service is up, not that it is fast:
against an ok or degraded state it breaks a run of failures and changes nothing else.

Every published change emits a ``health.changed`` event and a connectivity-log row::

    {"probe": "asr", "service": "asr", "node": "spark-1", "owner": "speech",
     "state": "down", "previous": "ok", "detail": "timed out after 3s",
     "latency_ms": 3001.2, "time": 1718000000.5}

States: ok, degraded (answers, but slowly or partly: e.g. its GPU is busy), down,
disabled (configured off: shown, never run, never logged), unknown (no result yet).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Query
from pydantic import BaseModel

from spark_control.deps import HealthDep
from spark_control.events import EventBus
from spark_control.store import Store

log = logging.getLogger(__name__)

OWNER = "core.health"
# A probe that keeps failing is polled less often, down to once per this many seconds.
BACKOFF_CAP_S = 15.0
EVENT_TYPE = "health.changed"


class HealthState(StrEnum):
    OK = "ok"
    DEGRADED = "degraded"
    DOWN = "down"
    DISABLED = "disabled"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class ProbeResult:
    state: HealthState
    detail: str = ""
    latency_ms: float | None = None  # None: the monitor measures the call itself


Check = Callable[[], Awaitable[ProbeResult]]


def http_check(client: Callable[..., httpx.AsyncClient], url: str, ok_detail: str) -> Check:
    """A probe's check for a service with a health URL: a 200 is ok (its latency kept,
    so a probe's ``degraded_after_ms`` applies), any other answer or no answer is down.
    ``client`` builds the HTTP client (``host.http_client``).

    One client serves every poll (building and closing one per poll was most of an idle
    gateway's CPU); it keeps no connection between polls, so each poll still connects
    afresh and a restarted service is never judged on a stale connection."""
    path = httpx.URL(url).path
    # The client and the event loop it was made on (a test may run several loops).
    shared: list[Any] = [None, None]

    async def check() -> ProbeResult:
        loop = asyncio.get_running_loop()
        http: httpx.AsyncClient | None = shared[0]
        if http is None or http.is_closed or shared[1] is not loop:
            http = client(
                timeout=httpx.Timeout(10.0, connect=2.0),
                limits=httpx.Limits(max_keepalive_connections=0),
            )
            shared[0], shared[1] = http, loop
        started = time.monotonic()
        try:
            response = await http.get(url)
        except httpx.HTTPError as exc:
            return ProbeResult(HealthState.DOWN, f"{type(exc).__name__} on {url}")
        latency = (time.monotonic() - started) * 1000
        if response.status_code != 200:
            return ProbeResult(HealthState.DOWN, f"{path} answered {response.status_code}")
        return ProbeResult(HealthState.OK, ok_detail, latency_ms=latency)

    return check


@dataclass(slots=True)
class Probe:
    """One health check, contributed by its owner (a plugin's name or ``core``)."""

    name: str
    check: Check
    timeout_s: float | None = None  # None: the monitor's default
    service: str | None = None
    node: str | None = None
    owner: str = "core"
    deep: Check | None = None  # a more thorough check for deep runs; default: check
    disabled: bool = False
    degraded_after_ms: float | None = None  # an ok answer slower than this is degraded


@dataclass(frozen=True, slots=True)
class ProbeStatus:
    """A probe's published state, as readers see it."""

    name: str
    state: HealthState
    detail: str
    latency_ms: float | None
    checked_at: float | None  # unix time of the latest result of any kind
    since: float | None  # unix time the published state began
    service: str | None
    node: str | None
    owner: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def overall(statuses: Iterable[ProbeStatus]) -> HealthState:
    """Worst state among enabled probes: down, degraded, unknown, else ok."""
    states = {s.state for s in statuses}
    for state in (HealthState.DOWN, HealthState.DEGRADED, HealthState.UNKNOWN):
        if state in states:
            return state
    return HealthState.OK


async def run_check(
    check: Check, timeout_s: float, degraded_after_ms: float | None = None
) -> ProbeResult:
    """Run one check; a timeout or an exception becomes a down result.

    Returns after ``timeout_s`` at the latest, even if the check ignores cancellation.
    """
    started = time.perf_counter()
    task: asyncio.Future[ProbeResult] = asyncio.ensure_future(_call(check))
    try:
        done, _ = await asyncio.wait({task}, timeout=timeout_s)
    except asyncio.CancelledError:
        task.cancel()
        raise
    elapsed_ms = (time.perf_counter() - started) * 1000
    if not done:
        task.cancel()
        # Retrieve its outcome later so asyncio does not warn about it.
        task.add_done_callback(lambda t: t.cancelled() or t.exception())
        return ProbeResult(HealthState.DOWN, f"timed out after {timeout_s:g}s", elapsed_ms)
    if task.cancelled():
        return ProbeResult(HealthState.DOWN, "check was cancelled", elapsed_ms)
    exc = task.exception()
    if exc is not None:
        return ProbeResult(HealthState.DOWN, _one_line(exc), elapsed_ms)
    result = task.result()
    if not isinstance(result, ProbeResult):
        return ProbeResult(HealthState.DOWN, f"check returned {type(result).__name__}")
    latency = result.latency_ms if result.latency_ms is not None else elapsed_ms
    state = result.state
    detail = result.detail
    if state is HealthState.OK and degraded_after_ms is not None and latency > degraded_after_ms:
        state = HealthState.DEGRADED
        detail = detail or f"slow: {latency:.0f} ms (over {degraded_after_ms:g} ms)"
    return ProbeResult(state, detail, latency)


async def _call(check: Check) -> ProbeResult:
    return await check()


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    message = f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
    return message[:300]


@dataclass(slots=True)
class _Track:
    probe: Probe
    state: HealthState = HealthState.UNKNOWN
    detail: str = ""
    latency_ms: float | None = None
    checked_at: float | None = None
    since: float | None = None
    candidate: HealthState | None = None
    agreeing: int = 0
    # Set by recheck(): polls left to run back to back while a change is pending.
    urgent: int = 0
    asked: bool = False  # recheck() came: poll again at once
    failures: int = 0  # down results in a row
    due: float = 0.0  # monotonic time of the next poll
    polling: bool = False

    def status(self) -> ProbeStatus:
        p = self.probe
        return ProbeStatus(
            p.name,
            self.state,
            self.detail,
            self.latency_ms,
            self.checked_at,
            self.since,
            p.service,
            p.node,
            p.owner,
        )


@dataclass(slots=True)
class _Sweep:
    """The probes of one node (or all those without a node), polled from one timer:
    probes due together start in one wake-up, each on its own task under its own
    timeout, so a hung one still delays no other."""

    tracks: list[_Track]
    wake: asyncio.Event
    task: asyncio.Task[None] | None = None
    polls: set[asyncio.Task[None]] | None = None


_MIGRATIONS = [
    """
    CREATE TABLE core_health_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time REAL NOT NULL,
        probe TEXT NOT NULL,
        service TEXT,
        node TEXT,
        owner TEXT NOT NULL,
        state TEXT NOT NULL,
        previous TEXT NOT NULL,
        detail TEXT NOT NULL,
        latency_ms REAL
    );
    CREATE INDEX core_health_log_probe ON core_health_log (probe, id);
    """,
]

_LOG_COLUMNS = (
    "time",
    "probe",
    "service",
    "node",
    "owner",
    "state",
    "previous",
    "detail",
    "latency_ms",
)


class HealthMonitor:
    """Polls probes, damps their results, publishes changes and logs them."""

    def __init__(
        self,
        probes: Iterable[Probe] = (),
        *,
        events: EventBus,
        store: Store | None = None,
        interval_s: float = 5.0,
        default_timeout_s: float = 3.0,
        damping: int = 2,
        log_limit: int = 5000,
    ) -> None:
        self.events = events
        self.store = store
        self.interval_s = interval_s
        self.default_timeout_s = default_timeout_s
        self.damping = max(damping, 1)
        self.log_limit = log_limit
        self._tracks: dict[str, _Track] = {}
        # One sweep per node, shared by every plugin's probes of that node.
        self._sweeps: dict[str, _Sweep] = {}
        self._unwritten: list[dict[str, Any]] = []
        # Without a store the log is kept in memory only.
        self._memory_log: deque[dict[str, Any]] = deque(maxlen=log_limit)
        self._log_seq = 0
        self._write_lock = asyncio.Lock()
        self._wake_writer = asyncio.Event()
        self._writer: asyncio.Task[None] | None = None
        self._running = False
        self._ready = False
        for probe in probes:
            self.add(probe)

    def add(self, probe: Probe) -> None:
        """Register a probe; its name must be unique. Polling starts if running."""
        if probe.name in self._tracks:
            raise ValueError(f"duplicate health probe name {probe.name!r}")
        track = _Track(probe)
        if probe.disabled:
            track.state = HealthState.DISABLED
            track.detail = "disabled in configuration"
        self._tracks[probe.name] = track
        if self._running:
            self._spawn(track)

    # -- lifecycle ----------------------------------------------------------------

    async def setup(self) -> None:
        """Create or migrate the connectivity-log table; call once before :meth:`start`."""
        if self.store is not None:
            await self.store.migrate(OWNER, _MIGRATIONS)
        self._ready = True

    def start(self) -> None:
        """Start polling every enabled probe; call from the running loop after setup."""
        if self._running:
            return
        if self.store is not None and not self._ready:
            raise RuntimeError("HealthMonitor.setup() must run before start()")
        # Fresh primitives: a lifespan may run again on another event loop (tests).
        self._write_lock = asyncio.Lock()
        self._wake_writer = asyncio.Event()
        if self.store is not None:
            self._writer = asyncio.create_task(self._write_loop(), name="health:log")
        self._running = True
        for track in self._tracks.values():
            self._spawn(track)
        # Rows recorded before start (observations, deep runs) are written now.
        self._wake_writer.set()

    async def aclose(self) -> None:
        """Stop polling and write the connectivity rows not yet stored."""
        self._running = False
        sweeps, self._sweeps = list(self._sweeps.values()), {}
        tasks = [t for s in sweeps for t in (s.task, *(s.polls or ())) if t is not None]
        if self._writer is not None:
            tasks.append(self._writer)
        self._writer = None
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for track in self._tracks.values():
            track.polling = False
        await self._flush()

    def _spawn(self, track: _Track) -> None:
        if track.probe.disabled:
            return
        key = track.probe.node or ""
        sweep = self._sweeps.get(key)
        if sweep is None:
            sweep = self._sweeps[key] = _Sweep([], asyncio.Event(), polls=set())
        sweep.tracks.append(track)
        track.due, track.failures, track.urgent = 0.0, 0, 0
        if sweep.task is None:
            sweep.task = asyncio.create_task(self._sweep(sweep), name=f"health:{key or '-'}")
        sweep.wake.set()

    async def _sweep(self, sweep: _Sweep) -> None:
        """Start every probe that is due, then sleep until the next one is (or a poll
        ends, or ``recheck`` asks)."""
        polls = sweep.polls if sweep.polls is not None else set()
        while True:
            sweep.wake.clear()
            now = time.monotonic()
            for track in sweep.tracks:
                if not track.polling and track.due <= now:
                    track.polling = True
                    task = asyncio.create_task(self._poll_once(track, sweep))
                    polls.add(task)
                    task.add_done_callback(polls.discard)
            waiting = [t.due for t in sweep.tracks if not t.polling]
            delay = max(0.0, min(waiting) - time.monotonic()) if waiting else None
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    await sweep.wake.wait()

    async def _poll_once(self, track: _Track, sweep: _Sweep) -> None:
        probe = track.probe
        track.asked = False
        try:
            result = await run_check(probe.check, self._timeout(probe), probe.degraded_after_ms)
            self._feed(track, result)
            track.failures = track.failures + 1 if result.state is HealthState.DOWN else 0
            now = time.monotonic()
            if track.urgent > 0:
                track.urgent -= 1
                if track.candidate is not None:
                    track.due = now  # a change is pending: confirm it now, not in an interval
                    return
            track.urgent = 0
            track.due = now if track.asked else now + self.delay_after(track.failures)
        finally:
            track.polling = False
            sweep.wake.set()

    def recheck(self, name: str) -> None:
        """Poll probe ``name`` now, and again at once while its result disagrees with
        the published state (up to ``damping`` polls), instead of waiting out the
        interval: for the owner of a service that knows it just changed (a swap that
        finished, a service restarted), so readers see the new state within moments.
        Unknown or disabled probes, and a monitor not running, are ignored."""
        track = self._tracks.get(name)
        if track is None or track.probe.disabled or not self._running:
            return
        sweep = self._sweeps.get(track.probe.node or "")
        if sweep is None:
            return
        track.urgent = self.damping
        track.asked = True
        track.due = 0.0
        sweep.wake.set()

    def delay_after(self, failures: int) -> float:
        """The pause before the next poll after ``failures`` down results in a row: the
        interval, doubling while a probe stays down (a down node costs little while
        idle), at most ``BACKOFF_CAP_S`` and 8 intervals (so a recovery is still seen
        quickly), never less than the interval."""
        if failures <= 1:
            return self.interval_s
        cap = max(self.interval_s, min(BACKOFF_CAP_S, 8 * self.interval_s))
        return min(cap, self.interval_s * 2 ** min(failures - 1, 16))

    def _timeout(self, probe: Probe) -> float:
        return probe.timeout_s if probe.timeout_s is not None else self.default_timeout_s

    # -- reading ------------------------------------------------------------------

    def snapshot(self) -> dict[str, ProbeStatus]:
        """Every probe's published state, from the cache (never waits on a probe)."""
        return {name: track.status() for name, track in self._tracks.items()}

    async def deep(self) -> dict[str, ProbeStatus]:
        """Run every enabled probe's deep check now, concurrently; return the fresh results.

        Returns within the largest probe timeout (plus scheduling) even when a check
        hangs. The results also count as observations for damping.
        """
        active = [t for t in self._tracks.values() if not t.probe.disabled]
        results = await asyncio.gather(
            *(
                run_check(
                    t.probe.deep or t.probe.check, self._timeout(t.probe), t.probe.degraded_after_ms
                )
                for t in active
            )
        )
        now = time.time()
        fresh = self.snapshot()
        for track, result in zip(active, results, strict=True):
            self._feed(track, result, now)
            p = track.probe
            since = track.since if track.state is result.state else None
            fresh[p.name] = ProbeStatus(
                p.name,
                result.state,
                result.detail,
                result.latency_ms,
                now,
                since,
                p.service,
                p.node,
                p.owner,
            )
        return fresh

    # -- results and damping ------------------------------------------------------

    def observe(self, name: str, ok: bool, detail: str = "") -> None:
        """Count what a real request to probe ``name`` met (see the module docstring)."""
        track = self._tracks.get(name)
        if track is None or track.probe.disabled:
            return
        if ok and track.state in (HealthState.OK, HealthState.DEGRADED):
            track.candidate, track.agreeing = None, 0
            return
        if ok:
            result = ProbeResult(HealthState.OK, detail or "a request succeeded")
        else:
            result = ProbeResult(HealthState.DOWN, detail or "a request failed")
        self._feed(track, result)

    def _feed(self, track: _Track, result: ProbeResult, now: float | None = None) -> None:
        now = time.time() if now is None else now
        track.checked_at = now
        if track.state is HealthState.UNKNOWN:
            self._change(track, result, now)
        elif result.state is track.state:
            track.candidate, track.agreeing = None, 0
            track.detail = result.detail
            if result.latency_ms is not None:
                track.latency_ms = result.latency_ms
        else:
            if result.state is track.candidate:
                track.agreeing += 1
            else:
                track.candidate, track.agreeing = result.state, 1
            if track.agreeing >= self.damping:
                self._change(track, result, now)

    def _change(self, track: _Track, result: ProbeResult, now: float) -> None:
        previous = track.state
        track.state = result.state
        track.detail = result.detail
        track.latency_ms = result.latency_ms
        track.since = now
        track.candidate, track.agreeing = None, 0
        p = track.probe
        payload = {
            "probe": p.name,
            "service": p.service,
            "node": p.node,
            "owner": p.owner,
            "state": str(result.state),
            "previous": str(previous),
            "detail": result.detail,
            "latency_ms": result.latency_ms,
            "time": now,
        }
        log.info("health %s: %s -> %s %s", p.name, previous, result.state, result.detail)
        self.events.publish(EVENT_TYPE, payload)
        self._append_log(payload)

    # -- connectivity log ---------------------------------------------------------

    def _append_log(self, row: dict[str, Any]) -> None:
        if self.store is None:
            self._log_seq += 1
            self._memory_log.append({"id": self._log_seq, **row})
        else:
            self._unwritten.append(row)
            self._wake_writer.set()

    async def _write_loop(self) -> None:
        while True:
            await self._wake_writer.wait()
            self._wake_writer.clear()
            try:
                await self._flush()
            except Exception:
                log.exception("could not write the connectivity log")

    async def _flush(self) -> None:
        if self.store is None:
            return
        store = self.store
        async with self._write_lock:
            rows, self._unwritten = self._unwritten, []
            if not rows:
                return
            sql = (
                f"INSERT INTO core_health_log ({', '.join(_LOG_COLUMNS)})"  # noqa: S608 - constants
                f" VALUES ({', '.join('?' * len(_LOG_COLUMNS))})"
            )
            await store.executemany(sql, [tuple(r[c] for c in _LOG_COLUMNS) for r in rows])
            await store.prune("core_health_log", self.log_limit)

    async def connectivity_log(
        self, limit: int = 100, probe: str | None = None
    ) -> list[dict[str, Any]]:
        """State transitions, newest first, optionally of one probe."""
        if self.store is None:
            rows = [r for r in reversed(self._memory_log) if probe is None or r["probe"] == probe]
            return rows[: max(limit, 0)]
        await self._flush()
        sql = "SELECT * FROM core_health_log"
        params: list[Any] = []
        if probe is not None:
            sql += " WHERE probe = ?"
            params.append(probe)
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(max(limit, 0))
        return await self.store.fetchall(sql, params)


class ProbeView(BaseModel):
    state: HealthState
    detail: str
    latency_ms: float | None
    checked_at: float | None
    since: float | None
    service: str | None
    node: str | None
    owner: str


class HealthReport(BaseModel):
    status: HealthState
    probes: dict[str, ProbeView]


class LogEntry(BaseModel):
    id: int
    time: float
    probe: str
    service: str | None
    node: str | None
    owner: str
    state: HealthState
    previous: HealthState
    detail: str
    latency_ms: float | None


class LogPage(BaseModel):
    entries: list[LogEntry]


def report(statuses: dict[str, ProbeStatus]) -> dict[str, Any]:
    """The ``/api/health`` body for a set of probe states."""
    enabled = [s for s in statuses.values() if s.state is not HealthState.DISABLED]
    probes = {}
    for name, status in statuses.items():
        view = status.to_dict()
        del view["name"]
        probes[name] = view
    return {"status": overall(enabled), "probes": probes}


# Health routes always answer 200: the body is information, not a verdict. Liveness is
# the core's plain ``/health``; here a down service is data for the dashboard and for
# automation, and says nothing about the gateway itself.
router = APIRouter(tags=["health"])


@router.get("/api/health", response_model=HealthReport)
async def health(monitor: HealthDep) -> dict[str, Any]:
    """Every probe's state from the poller's cache; instant."""
    return report(monitor.snapshot())


@router.get("/api/health/deep", response_model=HealthReport)
async def health_deep(monitor: HealthDep) -> dict[str, Any]:
    """Run every deep check now; answers within the slowest probe's timeout."""
    return report(await monitor.deep())


@router.get("/api/health/log", response_model=LogPage)
async def health_log(
    monitor: HealthDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    probe: str | None = None,
) -> dict[str, Any]:
    """State transitions, newest first."""
    return {"entries": await monitor.connectivity_log(limit, probe)}
