"""Keeping the record true to what runs: at start-up (a swap the gateway was following
when it stopped is over; a launch it left running is followed to its end), and outside
swaps (``watch`` re-reads what serves at each transition of vLLM's health probe or of
its head node's, and every ``reconcile_interval_s``). A head node published down has
its model withdrawn at once (``_withdraw``)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING

from spark_control.api import SparkError
from spark_control_vllm.swap.record import FAILED
from spark_control_vllm.swap.remote import DROPPED

if TYPE_CHECKING:
    from spark_control.api import Subscription
    from spark_control_vllm.swap.manager import SwapManager
    from spark_control_vllm.swap.record import Swap

log = logging.getLogger(__name__)

RESTARTED = "the gateway restarted during this swap"
HEALTH_CHANGED = "health.changed"
STATE_CHANGED = "vllm.state_changed"
#: How soon the state is read again while vLLM's health says otherwise.
RELOOK_S = 1.0
#: The reason of a model that stopped answering while nothing was swapped or stopped.
STOPPED_OUTSIDE = "stopped answering outside a swap"
OOM_OUTSIDE = (
    "ran out of memory outside a swap: the kernel's OOM killer ended its container "
    "(Docker reports OOMKilled)"
)


class Reconciler:
    def __init__(self, slot: SwapManager) -> None:
        self.slot = slot
        self.state = slot.state
        self.journal = slot.journal

    # --- at start-up -------------------------------------------------------------------

    async def reconcile(self) -> None:
        """Match the record with what runs: a swap the gateway was following when it
        stopped is over (failed), and the model that answers is the current one. If
        none answers but the interrupted swap's launcher still runs, a new swap follows
        that launch to its end (it is not started again)."""
        interrupted = await self.journal.running()
        for old in interrupted:
            await self._close_interrupted(old)
        serving = await self.slot.readiness.serving_model()
        self.state.current_model, self.state.current_since = None, time.monotonic()
        if serving is not None:
            await self.state.serving(serving, self.journal)
            return
        if not interrupted:
            return
        old = interrupted[-1]
        if await self._adopt(old):
            return
        self.state.down_reason = (
            f"vLLM is down: the gateway restarted during the swap to {old.model} "
            "and nothing answers"
        )

    async def _close_interrupted(self, old: Swap) -> None:
        reached = old.phase
        old.state, old.phase, old.reason = FAILED, "failed", RESTARTED
        old.finished_at = time.time()
        await self.journal.save(old)
        # Listeners (the dashboard, webhooks) heard it start: they hear it end.
        self.journal.event(
            "vllm.swap_failed",
            old,
            reason=RESTARTED,
            log_excerpt="",
            phase=reached,
            previous=old.previous,
            actor=old.actor,
            rollback_of=old.rollback_of,
        )

    async def _adopt(self, old: Swap) -> bool:
        """Follow the launch an interrupted swap left running, as a new swap."""
        slot = self.slot
        if old.launcher_pid is None or old.log_path is None or old.model not in slot.catalog:
            return False
        try:
            alive = await slot.head.launcher_alive(old.launcher_pid, retry=False)
        except (*DROPPED, SparkError):
            return False
        if not alive:
            return False
        entry = slot.entry_for(old.model)
        swap = slot.new_swap(entry, "gateway", rollback_of=old.rollback_of)
        swap.previous, swap.resumed_from = old.previous, old.id
        swap.launcher_pid, swap.log_path = old.launcher_pid, old.log_path
        slot.stopper.launcher_pid = old.launcher_pid
        swap.phase, swap.progress = "launching", 0.15
        await slot.begin(swap, entry, resume=True)
        return True

    # --- outside swaps -----------------------------------------------------------------

    async def watch(self) -> None:
        """Until cancelled or the bus closes: re-read what runs on every transition of
        vLLM's health probe, and every ``reconcile_interval_s`` anyway."""
        while True:
            async with self.slot.host.events.subscribe() as events:
                while await self._next_reason_to_look(events):
                    await self._refresh_logged()
                if not events.dropped:
                    return  # the bus closed: the gateway stops
            # Fell behind (a burst of swap log lines): look now, then listen anew.
            await self._refresh_logged()

    async def _next_reason_to_look(self, events: Subscription) -> bool:
        """Wait until vLLM's health or state changes or ``reconcile_interval_s``
        passes (True), or the subscription ends (False)."""
        wait = self.slot.settings.reconcile_interval_s
        if self._health_disagrees():
            wait = min(wait, RELOOK_S)  # one look may have caught vLLM mid-change
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(wait):
                watched = {self.slot.probe, self._node_probe()}
                async for event in events:
                    if event.type == HEALTH_CHANGED and event.data.get("probe") in watched:
                        return True
                    if event.type == STATE_CHANGED and event.data.get("slot") == self.slot.name:
                        # A swap ended: health may have said otherwise all along (a
                        # poll that missed a short-lived vLLM), so look, and wait anew.
                        return True
                return False
        return True

    async def _refresh_logged(self) -> None:
        try:
            await self.refresh()
        except Exception:
            log.exception("re-reading what vLLM serves failed; trying again later")

    def _quiet(self, generation: int | None = None) -> bool:
        """No swap, stop or shutdown under way (and, given one, ``generation`` still
        current): what was read can be trusted."""
        slot = self.slot
        if slot.busy or slot.stopping or slot.closing:
            return False
        return generation is None or generation == self.state.generation

    async def refresh(self) -> bool:
        """Match the state with what runs, outside swaps and stops: a catalog model
        that serves and answers a completion is current (so ``down`` after a lost node
        ends when the launch it left serves), and a current model that stopped
        answering (health down too) leaves vLLM ``down``. True if the state changed."""
        if not self._quiet() or not self.slot.head.configured:
            return False
        generation = self.state.generation
        if self._head_node_down() is not None:
            return await self._withdraw(generation)
        serving = await self.slot.readiness.serving_model()
        if not await self._worth_changing(serving):
            return False
        if not self._quiet(generation):
            return False  # a swap or a stop began meanwhile: what was read is stale
        if serving is not None:
            log.info("vLLM serves %s: the state follows", serving)
            await self.state.serving(serving, self.journal)
        elif not await self._gone_down(generation):
            return False
        self.slot.state_changed()
        self.slot.host.gate_changed("vllm.swap", source="vllm")
        return True

    async def _worth_changing(self, serving: str | None) -> bool:
        """Whether what serves (``serving``) differs from the state, for sure: a new
        model must answer a completion; a lost one must be down by health too."""
        if serving is None:
            return self.state.current_model is not None and self._health_down()
        if serving == self.state.current_model and self.state.down_reason is None:
            return False
        return await self.slot.readiness.ready(self.slot.catalog.get(serving), quick=True)

    async def _gone_down(self, generation: int) -> bool:
        """The current model stopped answering outside a swap: vLLM is down (False if a
        swap or a stop began while the reason was read)."""
        log.warning("vLLM stopped answering outside a swap")
        why = STOPPED_OUTSIDE
        if await self.slot.head.oom_killed(time.time() - self.state.resident_for()):
            why = OOM_OUTSIDE
        slot = self.slot
        if slot.busy or slot.stopping or generation != self.state.generation:
            return False
        self.state.down(f"vLLM is down: {self.state.current_model} {why}")
        return True

    def _node_probe(self) -> str:
        """The core's probe of the head node (``node:<name>``)."""
        return f"node:{self.slot.settings.head_node}"

    def _head_node_down(self) -> str | None:
        """Why the head node is published down (its probe's detail), or None."""
        health = self.slot.host.health
        probe = None if health is None else health.snapshot().get(self._node_probe())
        if probe is None or probe.state != "down":
            return None
        return probe.detail or "no answer"

    async def _withdraw(self, generation: int) -> bool:
        """The head node is published down: unless vLLM still answers there (only its
        SSH is gone), its model is withdrawn at once, so requests for it are answered
        by the gateway instead of waiting on a node that is gone. Nothing is asked over
        SSH (a dead node would hold each question for the connect timeout)."""
        current = self.state.current_model
        if current is None:
            return self._blame_the_node(generation)
        if await self.slot.readiness.answers():
            return False
        if not self._quiet(generation):
            return False
        node = self.slot.settings.head_node
        log.warning("the head node %s is down: withdrawing %s", node, current)
        self.state.down(self._node_down_reason())
        self.slot.state_changed()
        self.slot.host.gate_changed("vllm.swap", source="vllm")
        return True

    def _node_down_reason(self) -> str:
        why = self._head_node_down() or "no answer"
        return f"vLLM is down: its head node {self.slot.settings.head_node} is down ({why})"

    def _blame_the_node(self, generation: int) -> bool:
        """vLLM's own probe went down before its node's (a frozen node: both fail, in
        either order), so it was put down as a model that stopped answering; the node
        published down since says why, and the reason says so."""
        if not (self.state.down_reason or "").endswith(STOPPED_OUTSIDE):
            return False  # not down, or down for a reason of its own (a failed swap, OOM)
        if not self._quiet(generation):
            return False
        self.state.down(self._node_down_reason())
        self.slot.state_changed()
        self.slot.host.gate_changed("vllm.swap", source="vllm")
        return True

    def _health_disagrees(self) -> bool:
        """vLLM's health probe says the opposite of the state (ready but down, or down
        but ok)."""
        slot = self.slot
        if slot.busy or slot.stopping or slot.host.health is None:
            return False
        if self.state.current_model is not None:
            return self._health_down()
        probe = slot.host.health.snapshot().get(slot.probe)
        if self._head_node_down() is not None:
            return False  # nothing to look at until the node is back (its probe says)
        return self.state.down_reason is not None and probe is not None and probe.state == "ok"

    def _health_down(self) -> bool:
        """Whether vLLM's (damped) health probe says down; without a monitor, yes."""
        health = self.slot.host.health
        if health is None:
            return True
        probe = health.snapshot().get(self.slot.probe)
        return probe is None or probe.state == "down"
