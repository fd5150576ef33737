"""Everything time-based about one proxied request, on one timer.

Two things can end a request early: its client leaving (the upstream request is then
closed at once, even while the upstream is silent in a long prefill) and its upstream
staying silent longer than ``read_timeout_s``. Each used to have its own timer, and
the silence its own ``asyncio.timeout``; per request that was two timers armed and
cancelled, a timeout context, and five look-ups of the running loop and task (a
``getpid`` system call each). Here one ``call_at`` per request serves both:

- the client is listened for only once the request has lasted ``WATCH_AFTER_S`` (a
  listener is a task of its own, and most non-streamed answers are done before);
- the upstream's silence: each chunk only notes the loop's clock (``last``), and the
  timer, when it fires, re-arms itself for the last sign of life plus the limit, so
  only a real silence of ``limit`` cuts the request.

Either one cancels the request's task; ``disconnected`` / ``silent`` say which, so the
proxy turns the cancellation into a 499 record or a 504 / cut stream, and any other
cancellation (the server shutting down) goes on as it is.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from starlette.types import Message, Receive

from spark_control.api import SparkError

if TYPE_CHECKING:
    from collections.abc import Callable

# A request's client is watched for a disconnect once the request has lasted this long.
WATCH_AFTER_S = 0.2


class UpstreamBroke(Exception):
    """The upstream failed after the answer had begun: the client's stream is cut, not
    ended cleanly, so it cannot mistake a truncated answer for a whole one."""


class Watch:
    __slots__ = (
        "_base",
        "_for_client",
        "_handle",
        "_listen_at",
        "_loop",
        "_receive",
        "_waiter",
        "_when",
        "clock",
        "disconnected",
        "last",
        "limit",
        "silent",
        "stage",
        "task",
    )

    def __init__(self, receive: Receive, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """``loop``: the running loop, when the caller knows it (else it is looked up)."""
        if loop is None or not loop.is_running():
            loop = asyncio.get_running_loop()
        self._loop = loop
        # With the loop given, no second look-up of the running loop (and its getpid).
        self.task: asyncio.Task[object] | None = asyncio.current_task(loop)
        self._base = self.task.cancelling() if self.task is not None else 0
        self._receive = receive
        self._waiter: asyncio.Future[Message] | None = None
        self._for_client = True
        self.clock: Callable[[], float] = loop.time
        self.disconnected = False
        self.silent = False
        # The upstream's last sign of life, and the longest silence allowed (None: not
        # watched, before and after the exchange with the upstream).
        self.last = self.clock()
        self.limit: float | None = None
        # What the request was waiting for when it went silent: "answer", "body", "stream".
        self.stage = "answer"
        self._listen_at: float | None = self.last + WATCH_AFTER_S
        self._when = self._listen_at
        self._handle: asyncio.TimerHandle | None = loop.call_at(self._when, self._fire)

    # --- the upstream's silence ------------------------------------------------------------

    def expect(self, limit_s: float) -> None:
        """From now on the upstream may stay silent at most ``limit_s`` at a time."""
        self.last = self.clock()
        self.limit = limit_s
        self.stage = "answer"
        due = self.last + limit_s
        if self._handle is None or due < self._when:
            self._arm(due)

    def quiet(self) -> None:
        """The exchange with the upstream is over: its silence no longer matters."""
        self.limit = None

    def error(self, upstream: str) -> Exception:
        """What a silence at this stage means for the client."""
        if self.stage == "stream":
            return UpstreamBroke(f"no data for {self.limit or 0:g} s mid-stream")
        if self.stage == "body":
            return SparkError(
                f"upstream {upstream!r} went silent mid-answer", status=504, type="timeout"
            )
        return SparkError(
            f"upstream {upstream!r} did not answer in time", status=504, type="timeout"
        )

    def was_silence(self) -> bool:
        """Whether the cancellation being handled is this watch's silence, and only that
        (then it is taken back: the task is no longer cancelled)."""
        task = self.task
        return self.silent and task is not None and task.uncancel() <= self._base

    # --- the client ---------------------------------------------------------------------

    def ending(self) -> None:
        """No more cancelling for a disconnect: the answer is ending (the server reports
        a disconnect once an answer is complete, and that one must not cancel anything)."""
        self._for_client = False
        self._listen_at = None
        if self._waiter is not None:
            self._waiter.cancel()
            self._waiter = None

    def close(self) -> None:
        """The request is over: the timer and the listener go."""
        self.ending()
        self.limit = None
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    # --- the one timer --------------------------------------------------------------------

    def _arm(self, when: float) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self._when = when
        self._handle = self._loop.call_at(when, self._fire)

    def _fire(self) -> None:
        self._handle = None
        task = self.task
        if task is None:
            return
        now = self.clock()
        if self._listen_at is not None and now >= self._listen_at:
            self._listen_at = None
            self._waiter = asyncio.ensure_future(self._receive())
            self._waiter.add_done_callback(self._on_message)
        due = None if self.limit is None else self.last + self.limit
        if due is not None and now >= due:
            if not self.disconnected:
                self.silent = True
                task.cancel()
            return
        if due is not None and self._listen_at is not None:
            self._arm(min(due, self._listen_at))
        elif due is not None or self._listen_at is not None:
            self._arm(due if due is not None else self._listen_at)  # type: ignore[arg-type]

    def _on_message(self, waiter: asyncio.Future[Message]) -> None:
        if waiter.cancelled() or waiter.exception() is not None:
            return
        if (
            waiter.result()["type"] == "http.disconnect"
            and self._for_client
            and not self.silent
            and self.task is not None
        ):
            self.disconnected = True
            self.task.cancel()
