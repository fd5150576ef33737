"""One swap from stop to ready, and how it ends: complete, failed (rolled back once, or
vLLM down), or cancelled. The rollback is itself a swap, started through the slot."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

import asyncssh

from spark_control.api import SparkError, SSHUnreachable
from spark_control_vllm.swap.errors import SwapFailure
from spark_control_vllm.swap.launching import Follow, launch_detached
from spark_control_vllm.swap.record import CANCELLED, COMPLETE, FAILED

if TYPE_CHECKING:
    from spark_control_vllm.catalog import CatalogEntry
    from spark_control_vllm.swap.manager import SwapManager
    from spark_control_vllm.swap.record import Swap

log = logging.getLogger(__name__)


#: How long after a swap ends what the instance holds is read (``Observed``).
OBSERVE_AFTER_S = 2.0


class SwapMachine:
    """Runs the swaps of one slot (``SwapManager``), one at a time."""

    def __init__(self, slot: SwapManager) -> None:
        self.slot = slot
        self.journal = slot.journal
        # Readings of what a new instance holds, taken a moment after its swap ended.
        self.observing: set[asyncio.Task[None]] = set()

    async def run(self, swap: Swap, entry: CatalogEntry, *, resume: bool = False) -> None:
        """The swap from stop to ready; ``resume`` follows a launch already running."""
        self.journal.event(
            "vllm.swap_started",
            swap,
            previous=swap.previous,
            actor=swap.actor,
            rollback_of=swap.rollback_of,
            resumed_from=swap.resumed_from,
        )
        try:
            await self._steps(swap, entry, resume=resume)
        except asyncio.CancelledError:
            if not self.slot.closing:
                await asyncio.shield(self._end_cancelled(swap))
            raise
        except Exception as exc:  # every failure ends the swap, named
            await self._end_failed(swap, self._failure(swap, exc))
        else:
            await self._end_complete(swap)
            self._observe(entry, resume=resume)

    def _observe(self, entry: CatalogEntry, *, resume: bool) -> None:
        """Keep what the new instance holds, read ``OBSERVE_AFTER_S`` after the swap
        ended (no downtime added; what settles after the first requests counts). A
        resumed swap has no baseline."""
        before, self.slot.preflight.available_before = self.slot.preflight.available_before, None
        if resume or before is None:
            return
        task = asyncio.create_task(self._observe_later(entry.id, before))
        self.observing.add(task)
        task.add_done_callback(self.observing.discard)

    async def _observe_later(self, model: str, before: int) -> None:
        await asyncio.sleep(OBSERVE_AFTER_S)
        if self.slot.current_model != model or self.slot.busy or self.slot.stopping:
            return  # gone or going: the reading would say nothing about it
        try:
            after = await self.slot.head.meminfo("MemAvailable", retry=False)
        except (SparkError, OSError, asyncssh.Error):
            return  # a node that does not answer gives no figure
        await self.slot.observed.record(model, before, after)

    async def aclose(self) -> None:
        """Drop a reading not taken yet."""
        for task in list(self.observing):
            task.cancel()
        await asyncio.gather(*self.observing, return_exceptions=True)

    async def _steps(self, swap: Swap, entry: CatalogEntry, *, resume: bool) -> None:
        slot = self.slot
        if not resume:
            await self.journal.phase(swap, "stopping", 0.05)
            await slot.stop_containers()
            await self.journal.phase(swap, "preflight", 0.1)
            await slot.preflight.run(entry)
            await self.journal.phase(swap, "launching", 0.15)
            await launch_detached(slot.head, slot.settings, swap, entry)
            slot.stopper.launcher_pid = swap.launcher_pid
            await self.journal.save(swap)
        await Follow(slot.host, slot.head, self.journal, slot.readiness, swap, entry).run()

    @staticmethod
    def _failure(swap: Swap, exc: Exception) -> SwapFailure:
        """What ``exc`` means for the swap's record."""
        if isinstance(exc, SwapFailure):
            return exc
        if isinstance(exc, SSHUnreachable):
            return SwapFailure(f"lost the head node: {exc.reason}", node_lost=True)
        if isinstance(exc, asyncssh.Error | OSError):
            # A connection that dropped under a command that cannot be repeated safely
            # (the launch itself): the node may well answer again, so stop and roll back.
            return SwapFailure(
                f"lost the connection to the head node ({type(exc).__name__}: {exc})"
            )
        if isinstance(exc, SparkError):
            return SwapFailure(exc.message)  # said for a person already (a failed stop)
        log.error("swap %s failed unexpectedly", swap.id, exc_info=exc)
        return SwapFailure(f"{type(exc).__name__}: {exc}")

    async def _end_complete(self, swap: Swap) -> None:
        await self.slot.state.serving(swap.model, self.journal)
        await self.journal.finish(swap, COMPLETE, "ready", 1.0)
        self.journal.event("vllm.swap_complete", swap)
        if swap.rollback_of:
            self.journal.event(
                "vllm.swap_rolled_back", swap, failed_swap_id=swap.rollback_of, restored=swap.model
            )

    async def _end_failed(self, swap: Swap, failure: SwapFailure) -> None:
        swap.reason, swap.log_excerpt = failure.reason, failure.excerpt
        await self.journal.finish(swap, FAILED, "failed", swap.progress)
        self.journal.event(
            "vllm.swap_failed", swap, reason=failure.reason, log_excerpt=failure.excerpt
        )
        if failure.node_lost:
            # Nothing can be stopped or started on a node that does not answer, and a
            # lost node is no failed start: the guard does not count it.
            self.slot.state.down(f"vLLM is down: {failure.reason}")
            return
        await self.slot.guard.count_failure()
        with contextlib.suppress(Exception):
            await self.slot.stop_containers()
        await self._roll_back_or_go_down(swap, failure.reason)

    async def _end_cancelled(self, swap: Swap) -> None:
        swap.reason = "cancelled"
        await self.journal.finish(swap, CANCELLED, "cancelled", swap.progress)
        self.journal.event("vllm.swap_failed", swap, reason="cancelled", log_excerpt="")
        with contextlib.suppress(Exception):
            await self.slot.stop_containers()
        await self._roll_back_or_go_down(swap, "cancelled")

    async def _roll_back_or_go_down(self, swap: Swap, reason: str) -> None:
        """One automatic swap back, unless this was that swap, or the guard forbids it."""
        slot = self.slot
        slot.state.current_model = None
        if swap.rollback_of is not None:
            slot.state.down(f"vLLM is down: the rollback to {swap.model} failed too ({reason})")
            return
        target = self._rollback_target(swap)
        # A tripped guard is named in the reason while it stays tripped (``status``).
        if target is None or slot.guard.tripped or slot.closing:
            slot.state.down(f"vLLM is down: {reason}")
            return
        entry = slot.entry_for(target)
        rollback = slot.new_swap(entry, "rollback", rollback_of=swap.id)
        rollback.previous = None
        await slot.begin(rollback, entry)

    def _rollback_target(self, swap: Swap) -> str | None:
        """The model to roll back to (the previous one, else the last good one), if any."""
        slot = self.slot
        target = swap.previous or slot.state.last_good
        if not slot.settings.rollback or target is None or target == swap.model:
            return None
        return target if target in slot.catalog else None
