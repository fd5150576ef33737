"""The proxy's per-upstream cap and queue, on their own: slots are never lost, whatever
ends a wait (a slot, the time limit, a cancel), and every drain sees the end."""

from __future__ import annotations

import asyncio

import pytest

from spark_control_vllm.proxy.limiter import Limiter, Overloaded


async def test_a_full_queue_refuses_at_once_and_a_slow_slot_times_out() -> None:
    limiter = Limiter(capacity=1, queue=1, wait_s=0.05)
    async with limiter.slot():
        waiting = asyncio.create_task(limiter.acquire())
        await asyncio.sleep(0)
        with pytest.raises(Overloaded, match="in flight"):
            await limiter.acquire()  # the one place in the queue is taken
        with pytest.raises(Overloaded, match="no slot freed up"):
            await waiting
        assert (limiter.in_flight, limiter.waiting) == (1, 0)
    assert limiter.in_flight == 0


async def test_a_cancelled_waiter_gives_its_place_back_and_a_handed_slot_is_passed_on() -> None:
    limiter = Limiter(capacity=1, queue=4, wait_s=5)
    await limiter.acquire()
    first = asyncio.create_task(limiter.acquire())
    second = asyncio.create_task(limiter.acquire())
    await asyncio.sleep(0)
    first.cancel()
    limiter.release()  # handed to whoever waits: the cancelled one must not keep it
    await asyncio.sleep(0)
    await second
    assert limiter.in_flight == 1
    limiter.release()
    assert (limiter.in_flight, limiter.waiting) == (0, 0)


async def test_a_slot_handed_over_as_the_wait_runs_out_is_kept() -> None:
    limiter = Limiter(capacity=1, queue=1, wait_s=0.01)
    await limiter.acquire()
    waiter = asyncio.create_task(limiter.acquire())
    await asyncio.sleep(0.009)
    limiter.release()  # about when the wait ends: either way, no slot may be lost
    try:
        await waiter
        limiter.release()
    except Overloaded:
        pass
    assert limiter.in_flight == 0


async def test_two_drains_both_see_the_last_request_end() -> None:
    limiter = Limiter(capacity=2, queue=0, wait_s=1)
    await limiter.acquire()
    drains = [asyncio.create_task(limiter.drained(5)) for _ in range(2)]
    await asyncio.sleep(0)
    limiter.release()
    assert await asyncio.gather(*drains) == [True, True]
