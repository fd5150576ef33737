"""A concurrency cap with a bounded, first-come queue, per upstream.

A single busy GPU otherwise answers every extra client with a timeout that looks like an
outage. Beyond the cap requests wait in line; beyond the line, or past the wait, they are
turned away at once (the proxy answers 429 with Retry-After).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Overloaded(Exception):
    """No slot now and no room (or no time) to wait for one."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Limiter:
    def __init__(self, capacity: int, queue: int, wait_s: float) -> None:
        self.capacity = capacity
        self.queue = queue
        self.wait_s = wait_s
        self.in_flight = 0
        self._waiters: deque[asyncio.Future[None]] = deque()
        # One per drain under way (a stop and a swap may both wait).
        self._idle: list[asyncio.Event] = []

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        await self.acquire()
        try:
            yield
        finally:
            self.release()

    async def acquire(self) -> None:
        """Take a slot (waiting in line if need be); every acquire needs a release."""
        if self.in_flight < self.capacity and not self._waiters:
            self.in_flight += 1
            return
        if len(self._waiters) >= self.queue:
            raise Overloaded(
                f"{self.in_flight} requests are in flight and {len(self._waiters)} waiting, "
                "the most this upstream takes"
            )
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            # asyncio.wait, not wait_for: it never swallows a cancel, and a slot handed
            # over just as the wait ran out is still seen (waiter.done()) and kept.
            await asyncio.wait((waiter,), timeout=self.wait_s)
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release()  # the slot was handed over just as we left: pass it on
            raise
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)
        if not waiter.done():
            waiter.cancel()
            raise Overloaded(f"no slot freed up within {self.wait_s:g} s")

    def release(self) -> None:
        # Hand the slot straight to the next waiter: in_flight stays the same.
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self.in_flight -= 1
        if self.in_flight == 0:
            for idle in self._idle:
                idle.set()

    async def drained(self, within_s: float) -> bool:
        """Wait until nothing is in flight, at most ``within_s``; True if it drained."""
        if self.in_flight == 0:
            return True
        idle = asyncio.Event()
        self._idle.append(idle)
        try:
            await asyncio.wait_for(idle.wait(), within_s)
        except TimeoutError:
            return False
        finally:
            self._idle.remove(idle)
        return True
