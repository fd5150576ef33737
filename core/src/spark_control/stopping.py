"""Stopping ``serve`` and ``demo``: SIGTERM takes the same clean path as Ctrl-C.

SIGTERM (what ``docker stop``, systemd and supervisors send) and SIGINT (Ctrl-C) take
one path: inside ``stop_signals()`` either one, wherever it lands, unwinds the stack as
``Stopped``, so every ``with`` block around the server (the demo's simulated cluster)
cleans up, and the command exits with 128 + the signal. Left to their defaults, the
SIGTERM that uvicorn hands back after its shutdown kills the process before that
clean-up, and a SIGINT inherited as ignored (a background job) makes a Ctrl-C look like
a normal exit. Kept apart from ``server`` so the CLI needs no uvicorn to import it.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Stopped(BaseException):
    """A stop signal arrived; unwinds like KeyboardInterrupt, for SIGTERM too."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """The shell's convention for a process ended by a signal: 128 + its number."""
        return 128 + self.signum


def _raise_stopped(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signum)


@contextlib.contextmanager
def stop_signals() -> Iterator[None]:
    """Within this block SIGINT and SIGTERM raise ``Stopped`` (main thread only).

    uvicorn takes both over while it serves and raises them again once it has shut
    down, so they reach this handler after a graceful shutdown.
    """
    previous = {sig: signal.signal(sig, _raise_stopped) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
