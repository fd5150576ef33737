"""``SwapManager``: one vLLM slot (a head node, a port, a container) and the parts that
run it, composed: the state, the journal, the crash-loop guard, the head node, readiness,
pre-flight, stopping, the swap machine and the reconciler. It owns what only one party
may own: the running swap's task, the start lock, and the stop in progress."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from spark_control_vllm.swap.dryrun import LaunchShare, share_mib
from spark_control_vllm.swap.errors import SwapRefused
from spark_control_vllm.swap.guard import CrashLoopGuard
from spark_control_vllm.swap.idle import IdleKeeper
from spark_control_vllm.swap.machine import SwapMachine
from spark_control_vllm.swap.observed import Observed
from spark_control_vllm.swap.preflight import Preflight
from spark_control_vllm.swap.readiness import Readiness
from spark_control_vllm.swap.reconcile import STATE_CHANGED, Reconciler
from spark_control_vllm.swap.record import DEFAULT_SLOT, Journal, Swap, new_swap
from spark_control_vllm.swap.remote import HeadNode
from spark_control_vllm.swap.state import SlotState
from spark_control_vllm.swap.stopping import Stopper

if TYPE_CHECKING:
    from spark_control.api import Event, Host
    from spark_control_vllm.catalog import Catalog, CatalogEntry
    from spark_control_vllm.settings import VllmSettings

log = logging.getLogger(__name__)

SWAP_STATE_EVENTS = frozenset(
    f"vllm.swap_{what}" for what in ("started", "phase", "complete", "failed")
)
"""A swap's events that change its record (its log lines do not)."""


def probe_name(slot: str) -> str:
    """The health probe (and service) of a slot's vLLM: ``vllm``, ``vllm-<slot>``."""
    return "vllm" if slot == DEFAULT_SLOT else f"vllm-{slot}"


class SwapManager:
    """Owns one vLLM slot's lifecycle on the cluster: swaps, stop, restart, reconcile.

    ``name`` is the slot's (``default`` for the top-level settings); ``settings`` are the
    slot's own (``VllmSettings.slot_settings``): its container, port and nodes."""

    def __init__(
        self, host: Host, settings: VllmSettings, catalog: Catalog, name: str = DEFAULT_SLOT
    ) -> None:
        self.host = host
        self.settings = settings
        self.catalog = catalog
        self.name = name
        self.state = SlotState()
        self.journal = Journal(host, name)
        self.guard = CrashLoopGuard(host, settings, self.journal)
        self.head = HeadNode(host, settings)
        self.readiness = Readiness(host, self.head, catalog)
        self.preflight = Preflight(settings, self.head)
        self.stopper = Stopper(host, settings, self.head)
        self.machine = SwapMachine(self)
        self.reconciler = Reconciler(self)
        self._swap: Swap | None = None
        # A follower's copy of the swap the leader runs in this slot (status only).
        self.leaders_swap: Swap | None = None
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        # Set while the gateway shuts down: a running swap is left to the next start.
        self.closing = False
        # Called before vLLM is stopped, so in-flight requests can finish (the proxy's
        # drain); the manager does not know who listens.
        self.before_stop: Callable[[], Awaitable[None]] | None = None
        # Clear while vLLM is being stopped outside a swap (stop, restart): requests wait.
        self._not_stopping = asyncio.Event()
        self._not_stopping.set()
        # The health probe of the managed vLLM (its transitions trigger a re-read).
        self.probe = probe_name(name)
        # When a request last went to this slot (monotonic): the planner evicts the
        # least recently used slot first. The proxy sets it.
        self.last_used = time.monotonic()
        # Idle unload and sleep (issue 25): the proxy reports use, ``idle.run`` acts.
        self.idle = IdleKeeper(self)
        # The --gpu-memory-utilization each model was last launched with here when the
        # placement planner chose it (not the catalog's): a rollback or a resumed swap
        # relaunches with it, and the planner counts what the instance really holds.
        self.shares: dict[str, LaunchShare] = {}
        # What each model really held on the head node once ready (its last runs here).
        self.observed = Observed(self.journal)

    # --- the state, as routes and the proxy read it ------------------------------------

    @property
    def pinned(self) -> bool:
        """Never evicted to make room for another model."""
        return self.settings.pinned

    @property
    def ttl_s(self) -> float | None:
        """Idle time after which the slot unloads (None: never)."""
        return self.settings.ttl_s

    @property
    def nodes(self) -> list[str]:
        """The slot's head node, then its workers."""
        return [self.settings.head_node, *self.settings.worker_nodes]

    @property
    def current_model(self) -> str | None:
        return self.state.current_model

    @property
    def last_good(self) -> str | None:
        return self.state.last_good

    @property
    def down_reason(self) -> str | None:
        return self.state.down_reason

    def head_node_down(self) -> str | None:
        """Why this slot's head node is published down, or None (no waiting)."""
        return self.preflight.head_node_down()

    @property
    def guard_tripped(self) -> bool:
        return self.guard.tripped

    @property
    def busy(self) -> bool:
        """A swap, its clean-up or its rollback is still under way."""
        return self._task is not None and not self._task.done()

    @property
    def stopping(self) -> bool:
        """vLLM is being stopped (drained first) outside a swap."""
        return not self._not_stopping.is_set()

    @property
    def running_swap(self) -> Swap | None:
        return self._swap if self._swap and self.busy else None

    def status(self) -> dict[str, Any]:
        swap = self.running_swap
        if swap is None and not self.host.leadership.is_leader:
            swap = self.leaders_swap
        return {
            **self.state.status(swap, guard_tripped=self.guard.tripped),
            "slot": self.name,
            "idle": self.idle.status(),
        }

    def resident_for(self) -> float:
        """Seconds the current model has been answering."""
        return self.state.resident_for()

    async def wait_settled(self, within_s: float) -> bool:
        """Wait until no swap (nor its rollback) and no stop runs, at most ``within_s``;
        True if none runs by then. Waiting never cancels anything."""
        deadline = time.monotonic() + within_s
        while (self.busy and self._task is not None) or self.stopping:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if self.busy and self._task is not None:
                await asyncio.wait({self._task}, timeout=left)
            else:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._not_stopping.wait(), left)
        return True

    async def get(self, swap_id: str) -> Swap | None:
        if self._swap and self._swap.id == swap_id:
            return self._swap
        return await self.journal.get(swap_id)

    async def history(self, limit: int = 50) -> list[dict[str, Any]]:
        return await self.journal.history(limit)

    # --- set-up and reconcile ------------------------------------------------------------

    async def setup(self) -> None:
        await self.journal.migrate()
        remembered = await self.journal.recall()
        self.state.last_good = remembered.get("last_good")
        self.guard.load(remembered)
        self.observed.load(remembered)
        if not self.head.configured:
            self.state.down_reason = (
                f"head node {self.settings.head_node!r} is not in the topology; set "
                "vllm.head_node or add the node"
            )
            return
        if self.host.leadership.is_leader:
            # Only the leader ends a swap another replica's crash interrupted; a
            # replica that gains the lead later reconciles then (the plugin's lifespan).
            await self.reconcile()
        else:
            await self._read_leaders_swap()

    async def follow_leader(self) -> None:
        """(Several gateways) a follower shows the swap the leader runs in this slot: it
        re-reads the journal at each of the leader's swap events for the slot, which the
        event relay brings (with one gateway nothing is relayed: this only waits)."""
        changed = asyncio.Event()

        def note(event: Event) -> None:
            if event.data.get("slot") == self.name:
                changed.set()

        forget = [self.host.events.on_relayed(type_, note) for type_ in SWAP_STATE_EVENTS]
        try:
            while True:
                await changed.wait()
                changed.clear()
                await self._read_leaders_swap()
        finally:
            for remove in forget:
                remove()

    async def _read_leaders_swap(self) -> None:
        try:
            await self._read_running()
        except Exception:
            log.exception("reading the leader's swap failed")

    async def _read_running(self) -> None:
        if self.host.leadership.is_leader:
            self.leaders_swap = None
            return
        running = await self.journal.running()
        self.leaders_swap = running[-1] if running else None

    async def reconcile(self) -> None:
        await self.reconciler.reconcile()

    async def watch(self) -> None:
        await self.reconciler.watch()

    async def refresh(self) -> bool:
        return await self.reconciler.refresh()

    # --- starting, cancelling, stopping ------------------------------------------------

    def entry_for(self, model_id: str) -> CatalogEntry:
        """``model_id``'s catalog entry as this slot launches it: with the utilisation
        the planner gave it here, if it did."""
        entry = self.catalog.get(model_id)
        share = self.shares.get(model_id)
        return entry if share is None else share.apply(entry)

    def held_share_mib(self, entry: CatalogEntry, total_mib: int) -> int:
        """What ``entry`` holds on a node of ``total_mib`` when it runs in this slot: the
        share it was launched with. (What it holds beyond that shows in the node's reading
        as memory the planner cannot free; counting a measured figure here could count
        another instance that started beside it as freed by an eviction.)"""
        return share_mib(self.entry_for(entry.id) if entry.id in self.catalog else entry, total_mib)

    async def start(
        self,
        model_id: str,
        *,
        actor: str,
        automatic: bool = False,
        share: LaunchShare | None = None,
    ) -> Swap | None:
        """Begin a swap to ``model_id``; None when that model already answers.
        ``share``: the planner's instead of the catalog's."""
        entry = self.catalog.get(model_id)
        if not self.head.configured:
            raise SwapRefused(self.down_reason or "no head node", status=503, type="unavailable")
        async with self._lock:
            running = self.running_swap
            if running is not None:
                raise SwapRefused(
                    f"swap {running.id} to {running.model!r} is still running",
                    status=409,
                    type="swap_in_progress",
                    detail={"swap_id": running.id},
                )
            if model_id == self.current_model and self.idle.sleep_level:
                await self.idle.awake()  # asleep, not gone: waking is the swap to it
                return None
            if model_id == self.current_model and await self.readiness.ready(entry, quick=True):
                return None
            if automatic and self.guard.tripped:
                raise SwapRefused(
                    "automatic starts are blocked after repeated failures; clear the "
                    "crash-loop guard from the dashboard first",
                    status=423,
                    type="crash_loop_guard",
                )
            if share is None:
                self.shares.pop(model_id, None)
            else:
                self.shares[model_id] = share
            entry = self.entry_for(model_id)
            await self.preflight.check_fits(entry)
            swap = self.new_swap(entry, actor, rollback_of=None)
            await self.begin(swap, entry)
            return swap

    async def cancel(self, swap_id: str) -> Swap:
        swap = self.running_swap
        if swap is None or swap.id != swap_id:
            raise SwapRefused(f"swap {swap_id} is not running", status=409, type="not_running")
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        return swap

    async def clear_guard(self) -> None:
        await self.guard.clear()
        self.state_changed()

    async def stop_containers(self) -> None:
        """Stop vLLM (draining first) and check it stopped; raises ``SparkError`` (502
        ``stop_failed``) when a container still runs, and the state stays as it was."""
        outside_a_swap = not self.busy
        if outside_a_swap:
            self._not_stopping.clear()
        try:
            self.state.generation += 1
            if self.current_model is not None and self.before_stop is not None:
                await self.before_stop()
            await self.stopper.stop()
            self.state.current_model = None
            await self.stopper.await_launcher_exit()
        finally:
            if outside_a_swap:
                self._not_stopping.set()

    async def stop_if(self, still: Callable[[], bool]) -> bool:
        """Stop vLLM as ``stop_containers`` does if ``still()`` holds once the start
        lock is taken and no swap or stop runs (so none can begin in between); True if
        it stopped. The idle unload's way in."""
        async with self._lock:
            if self.busy or self.stopping or not still():
                return False
            await self.stop_containers()
            return True

    async def aclose(self) -> None:
        """Stop following; a running launch carries on and the next start reconciles."""
        self.closing = True
        await self.machine.aclose()
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    # --- for the parts -----------------------------------------------------------------

    def new_swap(self, entry: CatalogEntry, actor: str, rollback_of: str | None) -> Swap:
        return new_swap(entry.id, self.current_model, actor, rollback_of, self.name)

    async def begin(self, swap: Swap, entry: CatalogEntry, *, resume: bool = False) -> None:
        """Record ``swap`` and run it (``resume``: follow a launch already running)."""
        await self.journal.save(swap)
        self._swap = swap
        self.state.generation += 1
        self._task = asyncio.create_task(self.machine.run(swap, entry, resume=resume), name=swap.id)
        self._task.add_done_callback(self._settled)

    def _settled(self, task: asyncio.Task[None]) -> None:
        """A swap task ended: say where the state settled (a rollback it started is
        itself a swap, announced when it ends)."""
        if task is self._task and not self.closing:
            self.state_changed()
            if self.host.health is not None:
                # Its health probe still says what it met during the swap: ask now
                # rather than in an interval (or two, with damping).
                self.host.health.recheck(self.probe)

    def state_changed(self) -> None:
        self.host.events.publish(STATE_CHANGED, self.status(), source="vllm")
