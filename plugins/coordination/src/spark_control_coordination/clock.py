"""Time as the lease sees it: a monotonic clock for deadlines, the wall clock for what
is persisted and shown. Tests hand in a fake one."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds on a clock that never jumps (restarts from anywhere at each boot)."""

    def time(self) -> float:
        """Unix seconds (may jump when the system clock is set)."""


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()
