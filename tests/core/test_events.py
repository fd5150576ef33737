"""The event bus: ids, replay, bounded buffers, plugin listeners, and the SSE endpoint."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from spark_control import deps
from spark_control.events import RESET_TYPE, Event, EventBus, parse_event_id, sse_router


async def drain(sub: Any) -> list[Event]:
    """Everything a subscription has ready now (replay plus queued), without waiting."""
    out = []
    while True:
        try:
            out.append(await asyncio.wait_for(anext(sub), 0.01))
        except (TimeoutError, StopAsyncIteration):
            return out


async def test_ids_increase_and_carry_the_epoch() -> None:
    bus = EventBus()
    events = [bus.publish("test.tick", {"n": n}) for n in range(3)]
    parsed = [parse_event_id(e.id) for e in events]
    assert [p[0] for p in parsed if p] == [bus.epoch] * 3
    assert [p[1] for p in parsed if p] == [1, 2, 3]
    assert "-" not in bus.epoch
    assert bus.last_id == events[-1].id
    assert EventBus().epoch != bus.epoch


async def test_event_envelope_is_json_with_documented_fields() -> None:
    bus = EventBus()
    event = bus.publish("vllm.swap_started", {"model": "m"}, source="vllm")
    assert json.loads(event.to_json()) == {
        "id": event.id,
        "type": "vllm.swap_started",
        "source": "vllm",
        "time": event.time,
        "data": {"model": "m"},
    }


async def test_replay_after_last_event_id_returns_exactly_the_missed_events() -> None:
    bus = EventBus()
    seen = [bus.publish("t", {"n": n}) for n in range(5)]
    async with bus.subscribe(seen[1].id) as sub:
        live = bus.publish("t", {"n": 5})
        got = await drain(sub)
    assert got == [*seen[2:], live]


async def test_subscriber_without_id_gets_only_live_events() -> None:
    bus = EventBus()
    bus.publish("t", {})
    async with bus.subscribe(None) as sub:
        live = bus.publish("t", {"n": 1})
        assert await drain(sub) == [live]


async def test_id_from_another_epoch_replays_whole_buffer_after_a_restart_marker() -> None:
    old = EventBus()
    last_seen = old.publish("t", {}).id
    bus = EventBus(buffer_size=3)
    published = [bus.publish("t", {"n": n}) for n in range(5)]
    async with bus.subscribe(last_seen) as sub:
        reset, *replayed = await drain(sub)
    assert reset.type == RESET_TYPE
    assert reset.data == {"reason": "restart", "last_event_id": last_seen}
    assert replayed == published[-3:]
    # The marker's id is just before the first replayed event: resuming from it loses nothing.
    async with bus.subscribe(reset.id) as sub:
        assert await drain(sub) == published[-3:]


async def test_unparseable_id_is_treated_as_a_restart() -> None:
    bus = EventBus()
    event = bus.publish("t", {})
    async with bus.subscribe("garbage") as sub:
        reset, *replayed = await drain(sub)
    assert reset.data["reason"] == "restart"
    assert replayed == [event]


async def test_id_older_than_the_buffer_replays_the_buffer_after_a_gap_marker() -> None:
    bus = EventBus(buffer_size=3)
    published = [bus.publish("t", {"n": n}) for n in range(6)]
    async with bus.subscribe(published[0].id) as sub:
        reset, *replayed = await drain(sub)
    assert reset.data == {"reason": "gap", "last_event_id": published[0].id}
    assert replayed == published[-3:]
    # One before the oldest buffered event is not a gap.
    async with bus.subscribe(published[2].id) as sub:
        assert await drain(sub) == published[-3:]


async def test_buffer_keeps_only_the_newest_events() -> None:
    bus = EventBus(buffer_size=4)
    published = [bus.publish("t", {"n": n}) for n in range(10)]
    assert bus.buffered() == published[-4:]


async def test_slow_subscriber_is_dropped_without_blocking_publishers() -> None:
    bus = EventBus(subscriber_queue_size=3)
    async with bus.subscribe() as slow, bus.subscribe() as fast:
        for n in range(10):
            bus.publish("t", {"n": n})
            if n < 9:
                assert (await anext(fast)).data == {"n": n}
        assert slow.dropped
        assert await drain(slow) == []
        assert not fast.dropped
        assert (await anext(fast)).data == {"n": 9}


async def test_listener_gets_events_in_order_even_when_its_handler_sleeps() -> None:
    bus = EventBus()
    got: list[int] = []

    async def handler(event: Event) -> None:
        await asyncio.sleep(0.001 * (5 - event.data["n"]))
        got.append(event.data["n"])

    bus.add_listener("slowpoke", handler)
    bus.start()
    for n in range(5):
        bus.publish("t", {"n": n})
    assert got == []  # never delivered inline
    await bus.drain()
    assert got == [0, 1, 2, 3, 4]
    assert bus.listener_stats()["slowpoke"].delivered == 5
    await bus.aclose()


async def test_raising_handler_does_not_stop_later_deliveries(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bus = EventBus()
    got: list[int] = []

    def handler(event: Event) -> None:
        if event.data["n"] == 1:
            raise RuntimeError("boom")
        got.append(event.data["n"])

    bus.add_listener("flaky", handler)
    bus.start()
    for n in range(3):
        bus.publish("t", {"n": n})
    await bus.drain()
    assert got == [0, 2]
    assert bus.listener_stats()["flaky"].errors == 1
    await bus.aclose()
    assert "event listener flaky failed" in caplog.text


async def test_stuck_listener_delays_no_other_listener() -> None:
    bus = EventBus()
    release = asyncio.Event()
    fast_got: list[int] = []
    all_seen = asyncio.Event()

    async def stuck(event: Event) -> None:
        await release.wait()

    def fast(event: Event) -> None:
        fast_got.append(event.data["n"])
        if len(fast_got) == 3:
            all_seen.set()

    bus.add_listener("stuck", stuck)
    bus.add_listener("fast", fast)
    bus.start()
    for n in range(3):
        bus.publish("t", {"n": n})
    await asyncio.wait_for(all_seen.wait(), 2)
    assert fast_got == [0, 1, 2]
    release.set()
    await bus.aclose()


async def test_listener_added_after_start_is_served() -> None:
    bus = EventBus()
    bus.start()
    got: list[str] = []
    bus.add_listener("late", lambda e: got.append(e.type))
    bus.publish("late.event", {})
    await bus.aclose()
    assert got == ["late.event"]


async def test_aclose_gives_up_on_a_listener_that_never_finishes() -> None:
    bus = EventBus()
    bus.add_listener("forever", lambda e: asyncio.Event().wait())
    bus.start()
    bus.publish("t", {})
    await asyncio.wait_for(bus.aclose(drain_timeout_s=0.05), 2)


async def test_bus_can_start_again_after_aclose() -> None:
    bus = EventBus()
    first: list[str] = []
    bus.add_listener("plugin", lambda e: first.append(e.type))
    bus.start()
    bus.publish("one", {})
    await bus.aclose()
    bus.publish("while.closed", {})
    second: list[str] = []
    bus.add_listener("plugin", lambda e: second.append(e.type))
    bus.start()
    bus.publish("two", {})
    await bus.aclose()
    assert (first, second) == (["one"], ["two"])
    assert [e.type for e in bus.buffered()] == ["one", "while.closed", "two"]


async def test_aclose_ends_open_subscriptions() -> None:
    bus = EventBus()
    async with bus.subscribe() as sub:
        waiter = asyncio.ensure_future(anext(sub))
        await asyncio.sleep(0)
        await bus.aclose()
        with pytest.raises(StopAsyncIteration):
            await asyncio.wait_for(waiter, 1)


# -- the SSE endpoint through a real server -----------------------------------------


@asynccontextmanager
async def serve(app: FastAPI) -> AsyncIterator[str]:
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.005)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def read_sse(lines: AsyncIterator[str], count: int) -> list[dict[str, Any]]:
    """Parse ``count`` SSE messages (events, comments and retry lines each count as one)."""
    messages: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    async for line in lines:
        if line == "":
            if current:
                messages.append(current)
                current = {}
            if len(messages) == count:
                return messages
            continue
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        current[field or "comment"] = json.loads(value) if field == "data" else value
    return messages


def app_for(bus: EventBus, keepalive_s: float = 15.0) -> FastAPI:
    bus.keepalive_s = keepalive_s
    app = FastAPI()
    app.dependency_overrides[deps.events] = lambda: bus
    app.include_router(sse_router)
    return app


async def test_sse_streams_events_and_replays_after_reconnect_with_last_event_id() -> None:
    bus = EventBus()
    async with serve(app_for(bus)) as base, httpx.AsyncClient(base_url=base) as client:
        async with client.stream("GET", "/api/events") as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            lines = response.aiter_lines()
            assert await read_sse(lines, 1) == [{"retry": "2000"}]
            first = bus.publish("health.changed", {"probe": "a", "state": "down"})
            second = bus.publish("gate.changed", {"action": "vllm.swap"}, source="coordination")
            got = await read_sse(lines, 2)
        assert [(m["id"], m["event"]) for m in got] == [
            (first.id, "health.changed"),
            (second.id, "gate.changed"),
        ]
        assert got[1]["data"] == second.to_dict()

        missed = [bus.publish("t", {"n": n}) for n in range(3)]
        headers = {"Last-Event-ID": got[0]["id"]}
        async with client.stream("GET", "/api/events", headers=headers) as response:
            replay = await read_sse(response.aiter_lines(), 5)
        assert [m.get("id") for m in replay[1:]] == [second.id] + [e.id for e in missed]

        # Browsers that cannot set headers pass the id as a query parameter.
        params = {"last_event_id": missed[1].id}
        async with client.stream("GET", "/api/events", params=params) as response:
            replay = await read_sse(response.aiter_lines(), 2)
        assert replay[1]["id"] == missed[2].id


async def test_sse_sends_keepalive_comments_while_idle() -> None:
    bus = EventBus()
    async with (
        serve(app_for(bus, keepalive_s=0.02)) as base,
        httpx.AsyncClient(base_url=base) as client,
        client.stream("GET", "/api/events") as response,
    ):
        got = await read_sse(response.aiter_lines(), 3)
    assert got[1:] == [{"comment": "keepalive"}] * 2


async def test_sse_stream_ends_when_the_bus_closes() -> None:
    bus = EventBus()
    async with serve(app_for(bus)) as base, httpx.AsyncClient(base_url=base) as client:
        async with client.stream("GET", "/api/events") as response:
            lines = response.aiter_lines()
            await read_sse(lines, 1)
            await bus.aclose()
            rest = [line async for line in lines]
        assert rest == []


async def test_sse_client_disconnect_unsubscribes() -> None:
    bus = EventBus()
    async with (
        serve(app_for(bus, keepalive_s=0.01)) as base,
        httpx.AsyncClient(base_url=base) as client,
    ):
        async with client.stream("GET", "/api/events") as response:
            await read_sse(response.aiter_lines(), 1)
            assert len(bus._subscribers) == 1
        for _ in range(200):
            if not bus._subscribers:
                break
            await asyncio.sleep(0.01)
        assert not bus._subscribers


async def test_sequenced_mode_streams_shared_events_under_the_databases_ids_by_position() -> None:
    bus = EventBus()
    heard: list[str] = []
    bus.add_listener("probe", lambda e: heard.append(e.type))
    bus.start()
    bus.sequence("dbx", lambda type: type != "health.changed")
    async with bus.subscribe() as sub:
        # A shared event waits for its database id; plugin listeners hear it at once.
        held = bus.publish("t.own", {"n": 1})
        assert held not in bus.buffered() and await drain(sub) == []
        # The database's order is kept, not its numbers (nextval need not match commit
        # order across replicas).
        seven = bus.publish_relayed("t.own", {"n": 1}, "core", held.time, id="dbx-7")
        five = bus.publish_relayed("t.other", {"n": 2}, "core", 0.0, id="dbx-5")
        # An event only this replica shows: after the last shared one, this bus's counter.
        local = bus.publish("health.changed", {"probe": "x"})
        assert local.id.startswith(f"dbx-5.{bus.epoch}.")
        assert await drain(sub) == [seven, five, local]
    await bus.drain()
    assert heard == ["t.own", "health.changed"]
    after_seven = bus.subscribe("dbx-7")
    assert await drain(after_seven) == [five, local]
    # Another replica's own event (dbx-5, then its counter): what followed dbx-5 here.
    assert await drain(bus.subscribe("dbx-5.otherbus.3")) == [local]
    # An id the database never gave here is a gap: a reset, then the whole buffer.
    reset, *replayed = await drain(bus.subscribe("dbx-6"))
    assert (reset.type, reset.data["reason"]) == (RESET_TYPE, "gap")
    assert replayed == bus.buffered()
    # Reconnecting right after that reset loses nothing: the whole buffer comes again.
    again = await drain(bus.subscribe(reset.id))
    assert again[1:] == bus.buffered()
    # Not listening any more: this bus numbers and streams its own events again.
    bus.unsequence()
    mine = bus.publish("t.own", {})
    assert mine.id.startswith(bus.epoch + "-") and bus.buffered()[-1] == mine
    await bus.aclose()
