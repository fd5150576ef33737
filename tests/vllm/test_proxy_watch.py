"""The proxy's one timer per request: a client's disconnect and an upstream's silence."""

from __future__ import annotations

import asyncio

import pytest
from starlette.types import Message

from spark_control_vllm.proxy import watch as watch_module
from spark_control_vllm.proxy.watch import UpstreamBroke, Watch


def _client(disconnect_after_s: float | None) -> tuple[asyncio.Event, object]:
    """A receive() that reports a disconnect after the given time (never with None)."""
    asked = asyncio.Event()

    async def receive() -> Message:
        asked.set()
        if disconnect_after_s is None:
            await asyncio.Event().wait()
        await asyncio.sleep(disconnect_after_s or 0)
        return {"type": "http.disconnect"}

    return asked, receive


async def test_a_silent_upstream_cancels_the_request_as_silence() -> None:
    _, receive = _client(None)
    watch = Watch(receive)  # type: ignore[arg-type]
    watch.expect(0.05)  # earlier than the 0.2 s listen: the timer is moved forward
    with pytest.raises(asyncio.CancelledError):
        await asyncio.sleep(5)
    assert watch.silent and not watch.disconnected
    assert watch.was_silence()  # taken back: the task is no longer cancelled
    error = watch.error("up")
    assert getattr(error, "status", None) == 504
    watch.stage = "stream"
    assert isinstance(watch.error("up"), UpstreamBroke)
    watch.close()


async def test_signs_of_life_keep_a_slow_upstream_going() -> None:
    _, receive = _client(None)
    watch = Watch(receive)  # type: ignore[arg-type]
    watch.expect(0.1)
    for _ in range(6):  # 0.3 s in all, never 0.1 s without a chunk
        await asyncio.sleep(0.03)
        watch.last = watch.clock()
    watch.quiet()
    await asyncio.sleep(0.15)  # no longer watched: nothing fires
    assert not watch.silent
    watch.close()


async def test_a_client_that_leaves_is_heard_after_the_listen_delay(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(watch_module, "WATCH_AFTER_S", 0.05)
    asked, receive = _client(0.01)
    watch = Watch(receive)  # type: ignore[arg-type]
    watch.expect(30)
    assert not asked.is_set()  # nobody listens before the delay
    with pytest.raises(asyncio.CancelledError):
        await asyncio.sleep(5)
    assert asked.is_set() and watch.disconnected and not watch.silent
    assert not watch.was_silence()
    current = asyncio.current_task()
    assert current is not None and current.uncancel() == 0
    watch.close()


async def test_once_the_answer_is_ending_a_disconnect_cancels_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(watch_module, "WATCH_AFTER_S", 0.02)
    _, receive = _client(0.01)
    watch = Watch(receive)  # type: ignore[arg-type]
    await asyncio.sleep(0.03)  # listening now
    watch.ending()
    await asyncio.sleep(0.05)
    assert not watch.disconnected
    watch.close()


async def test_a_cancellation_from_elsewhere_is_not_taken_for_silence() -> None:
    _, receive = _client(None)

    async def request() -> Watch:
        watch = Watch(receive)  # type: ignore[arg-type]
        watch.expect(30)
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            assert not watch.was_silence()
            watch.close()
            raise
        return watch

    task = asyncio.ensure_future(request())
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
