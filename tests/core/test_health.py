"""Health: timeouts, damping, observations, the connectivity log and ``/api/health``."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from spark_control import deps
from spark_control.events import EventBus
from spark_control.health import (
    EVENT_TYPE,
    HealthMonitor,
    HealthState,
    Probe,
    ProbeResult,
    http_check,
    router,
)
from spark_control.store import Store

OK = HealthState.OK
DOWN = HealthState.DOWN
DEGRADED = HealthState.DEGRADED


class Scripted:
    """A check answering from a script, then repeating its last answer; counts calls."""

    def __init__(self, *states: HealthState) -> None:
        self.states = list(states)
        self.calls = 0

    async def __call__(self) -> ProbeResult:
        state = self.states[min(self.calls, len(self.states) - 1)]
        self.calls += 1
        return ProbeResult(state, f"answer {self.calls}")


async def hang() -> ProbeResult:
    await asyncio.Event().wait()
    raise AssertionError("unreachable")


def changes(bus: EventBus, probe: str | None = None) -> list[tuple[str, str]]:
    return [
        (e.data["previous"], e.data["state"])
        for e in bus.buffered()
        if e.type == EVENT_TYPE and (probe is None or e.data["probe"] == probe)
    ]


async def until(condition: Callable[[], bool], limit_s: float = 2.0) -> None:
    """Wait for a condition on state the code under test owns (it offers no event)."""
    async with asyncio.timeout(limit_s):
        while not condition():
            await asyncio.sleep(0.002)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with Store(tmp_path / "spark-control.db") as s:
        yield s


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


async def test_first_result_is_published_at_once_with_the_documented_payload(
    bus: EventBus,
) -> None:
    monitor = HealthMonitor(
        [Probe("vllm", Scripted(OK), service="vllm", node="spark-1", owner="vllm")], events=bus
    )
    assert monitor.snapshot()["vllm"].state is HealthState.UNKNOWN
    await monitor.deep()
    (event,) = bus.buffered()
    assert event.type == EVENT_TYPE and event.source == "core"
    assert event.data == {
        "probe": "vllm",
        "service": "vllm",
        "node": "spark-1",
        "owner": "vllm",
        "state": "ok",
        "previous": "unknown",
        "detail": "answer 1",
        "latency_ms": event.data["latency_ms"],
        "time": event.data["time"],
    }
    assert event.data["latency_ms"] >= 0
    assert monitor.snapshot()["vllm"].since == event.data["time"]


async def test_flapping_results_do_not_change_state_but_agreeing_ones_do(bus: EventBus) -> None:
    check = Scripted(OK, DOWN, OK, DOWN, OK, DOWN, DOWN, OK, DEGRADED, DEGRADED)
    monitor = HealthMonitor([Probe("svc", check)], events=bus, damping=2)
    seen = []
    for _ in check.states:
        await monitor.deep()
        seen.append(monitor.snapshot()["svc"].state)
    assert seen == [OK, OK, OK, OK, OK, OK, DOWN, DOWN, DOWN, DEGRADED]
    assert changes(bus) == [("unknown", "ok"), ("ok", "down"), ("down", "degraded")]


async def test_hung_probe_delays_neither_snapshot_nor_other_probes(bus: EventBus) -> None:
    fast = Scripted(OK, DOWN, DOWN)
    monitor = HealthMonitor(
        [Probe("hung", hang, timeout_s=30), Probe("fast", fast)],
        events=bus,
        interval_s=0.01,
    )
    await monitor.setup()
    monitor.start()
    try:
        await until(lambda: fast.calls >= 5)
        started = time.perf_counter()
        snapshot = monitor.snapshot()
        assert time.perf_counter() - started < 0.01
    finally:
        await monitor.aclose()
    assert snapshot["hung"].state is HealthState.UNKNOWN
    assert snapshot["fast"].state is DOWN
    assert changes(bus) == [("unknown", "ok"), ("ok", "down")]


async def test_poller_times_out_a_hung_probe_as_down(bus: EventBus) -> None:
    monitor = HealthMonitor([Probe("hung", hang, timeout_s=0.02)], events=bus, interval_s=0.01)
    await monitor.setup()
    monitor.start()
    try:
        await until(lambda: monitor.snapshot()["hung"].state is DOWN)
    finally:
        await monitor.aclose()
    assert monitor.snapshot()["hung"].detail == "timed out after 0.02s"


async def test_deep_returns_within_the_timeout_when_a_probe_hangs(bus: EventBus) -> None:
    deep_calls = []

    async def deep_ok() -> ProbeResult:
        deep_calls.append(1)
        return ProbeResult(OK, "deep")

    monitor = HealthMonitor(
        [Probe("hung", Scripted(OK), deep=hang), Probe("fine", Scripted(DOWN), deep=deep_ok)],
        events=bus,
        default_timeout_s=0.2,
    )
    started = time.perf_counter()
    result = await monitor.deep()
    elapsed = time.perf_counter() - started
    assert 0.2 <= elapsed < 0.2 + 0.15
    assert result["hung"].state is DOWN
    assert result["hung"].detail == "timed out after 0.2s"
    assert (result["fine"].state, result["fine"].detail, deep_calls) == (OK, "deep", [1])


async def test_deep_returns_even_when_a_check_ignores_cancellation(bus: EventBus) -> None:
    release = asyncio.Event()

    async def stubborn() -> ProbeResult:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            await release.wait()
        return ProbeResult(OK)

    monitor = HealthMonitor([Probe("stubborn", stubborn, timeout_s=0.05)], events=bus)
    result = await asyncio.wait_for(monitor.deep(), 0.5)
    assert result["stubborn"].state is DOWN
    release.set()
    await asyncio.sleep(0)


async def test_a_raising_check_is_down_with_a_one_line_detail(bus: EventBus) -> None:
    async def broken() -> ProbeResult:
        raise ConnectionError("connection refused\nsecond line of noise")

    monitor = HealthMonitor([Probe("svc", broken)], events=bus)
    result = await monitor.deep()
    assert result["svc"].state is DOWN
    assert result["svc"].detail == "ConnectionError: connection refused"


async def test_disabled_probe_never_runs_and_does_not_count(bus: EventBus) -> None:
    check = Scripted(DOWN)
    monitor = HealthMonitor(
        [Probe("off", check, disabled=True), Probe("on", Scripted(OK))], events=bus
    )
    result = await monitor.deep()
    monitor.observe("off", ok=False)
    monitor.observe("off", ok=False)
    assert check.calls == 0
    assert result["off"].state is HealthState.DISABLED
    assert monitor.snapshot()["off"].state is HealthState.DISABLED
    assert changes(bus, "off") == []
    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[deps.health] = lambda: monitor
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        assert (await client.get("/api/health")).json()["status"] == "ok"


async def test_slow_success_is_degraded_not_down(bus: EventBus) -> None:
    async def slow() -> ProbeResult:
        await asyncio.sleep(0.02)
        return ProbeResult(OK)

    async def reported() -> ProbeResult:
        return ProbeResult(OK, "busy GPU", latency_ms=900)

    monitor = HealthMonitor(
        [
            Probe("slow", slow, degraded_after_ms=5),
            Probe("reported", reported, degraded_after_ms=500),
            Probe("fast", Scripted(OK), degraded_after_ms=500),
        ],
        events=bus,
    )
    result = await monitor.deep()
    assert result["slow"].state is DEGRADED
    assert result["slow"].detail.startswith("slow: ")
    assert (result["reported"].state, result["reported"].detail) == (DEGRADED, "busy GPU")
    assert result["fast"].state is OK


async def test_observed_failures_mark_down_between_polls(bus: EventBus) -> None:
    check = Scripted(OK)
    monitor = HealthMonitor([Probe("vllm", check)], events=bus, interval_s=3600, damping=2)
    await monitor.setup()
    monitor.start()
    try:
        await until(lambda: check.calls == 1 and monitor.snapshot()["vllm"].state is OK)
        monitor.observe("vllm", ok=False, detail="upstream reset the connection")
        assert monitor.snapshot()["vllm"].state is OK
        monitor.observe("vllm", ok=False, detail="upstream reset the connection")
        status = monitor.snapshot()["vllm"]
        assert (status.state, status.detail) == (DOWN, "upstream reset the connection")
        monitor.observe("vllm", ok=True)
        monitor.observe("vllm", ok=True)
        assert monitor.snapshot()["vllm"].state is OK
    finally:
        await monitor.aclose()
    assert check.calls == 1
    assert changes(bus) == [("unknown", "ok"), ("ok", "down"), ("down", "ok")]


async def test_an_observed_success_breaks_a_run_of_failures_and_keeps_degraded(
    bus: EventBus,
) -> None:
    monitor = HealthMonitor([Probe("svc", Scripted(DEGRADED))], events=bus, damping=2)
    await monitor.deep()
    monitor.observe("svc", ok=False)
    monitor.observe("svc", ok=True)
    monitor.observe("svc", ok=False)
    monitor.observe("svc", ok=True)
    monitor.observe("svc", ok=True)
    assert monitor.snapshot()["svc"].state is DEGRADED
    monitor.observe("unknown-probe", ok=False)  # ignored: not every upstream has a probe
    assert changes(bus) == [("unknown", "degraded")]


async def test_transitions_are_logged_persisted_and_bounded(tmp_path: Path, bus: EventBus) -> None:
    path = tmp_path / "spark-control.db"
    check = Scripted(OK, DOWN, OK, DOWN, OK, DOWN)
    async with Store(path) as store:
        monitor = HealthMonitor(
            [Probe("svc", check, service="svc", node="spark-2", owner="demo")],
            events=bus,
            store=store,
            damping=1,
            log_limit=4,
        )
        await monitor.setup()
        for _ in range(6):
            await monitor.deep()
        log = await monitor.connectivity_log(limit=10)
        assert [(r["previous"], r["state"]) for r in log] == [
            ("ok", "down"),
            ("down", "ok"),
            ("ok", "down"),
            ("down", "ok"),
        ]
        assert log[0]["node"] == "spark-2" and log[0]["owner"] == "demo"
        assert await store.fetchone("SELECT COUNT(*) AS n FROM core_health_log") == {"n": 4}
        await monitor.aclose()
    async with Store(path) as store:
        reopened = HealthMonitor([], events=EventBus(), store=store)
        await reopened.setup()
        assert await reopened.connectivity_log(limit=1, probe="svc") == log[:1]
        assert await reopened.connectivity_log(probe="other") == []


async def test_poller_writes_its_transitions_in_the_background(store: Store, bus: EventBus) -> None:
    monitor = HealthMonitor([Probe("svc", Scripted(OK, DOWN))], events=bus, store=store,
                            interval_s=0.01, damping=1)  # fmt: skip
    await monitor.setup()
    monitor.start()
    try:
        await until(lambda: len(changes(bus)) == 2)

        async def rows() -> int:
            row = await store.fetchone("SELECT COUNT(*) AS n FROM core_health_log")
            return row["n"] if row else 0

        async with asyncio.timeout(2):
            while await rows() < 2:
                await asyncio.sleep(0.005)
    finally:
        await monitor.aclose()


async def test_without_a_store_the_log_is_kept_in_memory(bus: EventBus) -> None:
    monitor = HealthMonitor([Probe("svc", Scripted(OK, DOWN))], events=bus, damping=1,
                            log_limit=1)  # fmt: skip
    await monitor.deep()
    await monitor.deep()
    assert [(r["previous"], r["state"]) for r in await monitor.connectivity_log()] == [
        ("ok", "down")
    ]


async def test_duplicate_probe_names_are_refused(bus: EventBus) -> None:
    monitor = HealthMonitor([Probe("svc", Scripted(OK))], events=bus)
    with pytest.raises(ValueError, match="duplicate health probe name 'svc'"):
        monitor.add(Probe("svc", Scripted(OK)))


async def test_probe_added_while_running_is_polled(bus: EventBus) -> None:
    monitor = HealthMonitor([], events=bus, interval_s=0.01)
    await monitor.setup()
    monitor.start()
    late = Scripted(OK)
    try:
        monitor.add(Probe("late", late))
        await until(lambda: late.calls > 0)
    finally:
        await monitor.aclose()


async def test_api_reports_cached_state_deep_results_and_the_log(
    store: Store, bus: EventBus
) -> None:
    monitor = HealthMonitor(
        [
            Probe("vllm", Scripted(OK), service="vllm", node="spark-1", owner="vllm"),
            Probe("asr", Scripted(DEGRADED), service="asr", node="spark-2", owner="speech"),
        ],
        events=bus,
        store=store,
    )
    await monitor.setup()
    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[deps.health] = lambda: monitor
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        before = await client.get("/api/health")
        assert before.status_code == 200
        assert before.json()["status"] == "unknown"
        deep = (await client.get("/api/health/deep")).json()
        assert deep["status"] == "degraded"
        body: dict[str, Any] = (await client.get("/api/health")).json()
        assert body["status"] == "degraded"
        vllm = body["probes"]["vllm"]
        assert set(vllm) == {
            "state", "detail", "latency_ms", "checked_at", "since", "service", "node", "owner"
        }  # fmt: skip
        assert (vllm["state"], vllm["node"], vllm["owner"]) == ("ok", "spark-1", "vllm")
        log = (await client.get("/api/health/log", params={"probe": "asr"})).json()
        assert [(e["probe"], e["state"]) for e in log["entries"]] == [("asr", "degraded")]


def test_a_probe_that_stays_down_is_polled_ever_less_often_up_to_the_cap(bus: EventBus) -> None:
    monitor = HealthMonitor([], events=bus, interval_s=5.0)
    delays = [monitor.delay_after(n) for n in range(6)]
    assert delays == [5.0, 5.0, 10.0, 15.0, 15.0, 15.0]
    assert HealthMonitor([], events=bus, interval_s=30.0).delay_after(9) == 30.0
    assert HealthMonitor([], events=bus, interval_s=0.1).delay_after(9) == pytest.approx(0.8)


async def test_a_down_probe_backs_off_and_a_recovered_one_is_polled_at_the_interval(
    bus: EventBus,
) -> None:
    down = Scripted(DOWN)
    up = Scripted(OK)
    monitor = HealthMonitor([Probe("down", down), Probe("up", up)], events=bus, interval_s=0.02)
    await monitor.setup()
    monitor.start()
    try:
        await asyncio.sleep(0.6)
    finally:
        await monitor.aclose()
    # Without back-off both would run ~30 times; down waits 0.02, 0.02, 0.04, 0.08,
    # then 0.16 (8 intervals) each time.
    assert down.calls <= 9 < up.calls
    recovering = Scripted(DOWN, DOWN, DOWN, DOWN, OK)
    monitor = HealthMonitor([Probe("r", recovering)], events=bus, interval_s=0.02)
    await monitor.setup()
    monitor.start()
    try:
        await until(lambda: recovering.calls >= 10, limit_s=3.0)
    finally:
        await monitor.aclose()
    assert monitor.snapshot()["r"].state is OK


async def test_recheck_polls_at_once_and_confirms_a_change_without_the_interval(
    bus: EventBus,
) -> None:
    check = Scripted(DOWN, OK)  # down until the service changes, ok after
    monitor = HealthMonitor([Probe("vllm", check)], events=bus, interval_s=3600, damping=2)
    await monitor.setup()
    monitor.start()
    try:
        await until(lambda: monitor.snapshot()["vllm"].state is DOWN)
        assert check.calls == 1
        monitor.recheck("vllm")
        # Two agreeing polls back to back publish the change; then the interval again.
        await until(lambda: monitor.snapshot()["vllm"].state is OK)
        assert check.calls == 3
        await asyncio.sleep(0.05)
        assert check.calls == 3
        monitor.recheck("vllm")  # nothing pending: one poll that agrees, no more
        await until(lambda: check.calls == 4)
        await asyncio.sleep(0.05)
        assert check.calls == 4
        monitor.recheck("no-such-probe")  # ignored
    finally:
        await monitor.aclose()
    assert changes(bus) == [("unknown", "down"), ("down", "ok")]


async def test_an_http_check_builds_one_client_for_every_poll() -> None:
    built: list[httpx.AsyncClient] = []
    answered = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal answered
        answered += 1
        return httpx.Response(200 if answered < 3 else 503)

    def client(**kwargs: Any) -> httpx.AsyncClient:
        kwargs.pop("limits")
        built.append(httpx.AsyncClient(transport=httpx.MockTransport(handler), **kwargs))
        return built[-1]

    check = http_check(client, "http://svc.test/health", "answers")
    results = [await check() for _ in range(3)]
    assert [r.state for r in results] == [OK, OK, DOWN]
    assert results[2].detail == "/health answered 503"
    assert len(built) == 1
    await built[0].aclose()
    assert (await check()).state is DOWN  # a closed client is replaced
    assert len(built) == 2
    await built[1].aclose()
