"""The two ways a swap says no: refused before it starts, or failed while it runs."""

from __future__ import annotations

from spark_control.api import SparkError


class SwapRefused(SparkError):
    """A swap that cannot start (conflict, guard tripped, will not fit)."""


class SwapFailure(Exception):
    """A running swap failed: ``reason`` and the launch log's ``excerpt`` end up in its
    record; ``node_lost`` when the head node stopped answering (nothing can be stopped
    or started there, and the crash-loop guard does not count it)."""

    def __init__(self, reason: str, excerpt: str = "", *, node_lost: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.excerpt = excerpt
        self.node_lost = node_lost
