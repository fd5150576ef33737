"""Swaps: one at a time, persisted, followed phase by phase, rolled back once on failure.

A swap stops what runs, checks the node can take the new model, launches it detached
through the launcher, follows the launch log for phases and failures, and calls the
model ready only when ``/health`` answers, ``/v1/models`` lists it and a one-token
completion succeeds. A failure rolls back once to the last good model; if that fails
too, vLLM is marked down and nothing loops. Repeated failures trip a crash-loop guard
that blocks automatic starts until a person clears it.

Where each fault ends ("rollback" = the launch is stopped, then one automatic swap back
to the previous model, else the last good one; vLLM is marked down when there is none,
when ``rollback`` is off, or when the guard is tripped):

=================================================  ======================================
Fault                                              End state
=================================================  ======================================
vLLM dies while starting (traceback, CUDA error,   swap ``failed``: "vLLM failed while
OOM, too few GPUs) — read from the launch log      starting" / "vLLM ran out of GPU
                                                   memory" / ..., log excerpt; rollback
the kernel's OOM killer ends the container         ``failed`` "vLLM ran out of memory:
(Docker's ``State.OOMKilled``, or its ``oom``      the kernel's OOM killer ended its
event once ``--rm`` removed it)                    container (...)"; rollback
launcher ends with no reason in the log            ``failed`` "vLLM exited before it was
                                                   ready"; rollback
ready line, but no completion answers              ``failed`` "vLLM started but did not
                                                   answer a completion"; rollback
load past ``load_deadline_s`` (all the time not    ``failed`` "the load did not finish
spent downloading) — a hang                        within N s"; launcher and container
                                                   stopped; rollback
download past ``download_deadline_s``              ``failed`` "the download did not
                                                   finish within N s"; rollback
pre-flight: after the stop (waiting up to          ``failed`` "<node> has A GiB of memory
``stop_timeout_s``, at most 15 s, for memory to    available, S GiB short of the N GiB
come back) the model's memory is not available     <model> needs"; nothing launched;
                                                   rollback
SSH connection drops, node answers again within    not a failure: the executor reconnects,
``RECONNECT_GRACE_S``                              the log follow resumes after the last
                                                   line read (none twice); swap goes on
head node unreachable for longer than that         ``failed`` "lost the head node: <why>";
                                                   no stop, no rollback (neither could
                                                   run); vLLM down with that reason; not
                                                   counted by the crash-loop guard
cancel (``DELETE /api/swap/{id}``)                 ``cancelled``; launch stopped; rollback
the rollback fails too                             both ``failed``; vLLM down "the rollback
                                                   to M failed too (<why>)"; no third
                                                   start
``crash_loop_failures`` failures within            ``failed``; guard tripped (persisted):
``crash_loop_window_s``                            no rollback, vLLM down with a reason
                                                   naming the guard; automatic starts
                                                   refused (423) until
                                                   ``POST /api/vllm/crash-loop-guard/clear``;
                                                   a person's swap still runs (the SPEC
                                                   blocks automatic starts only)
gateway stops or dies mid-swap                     the launch carries on, detached; at the
                                                   next start the swap is ``failed`` "the
                                                   gateway restarted during this swap"
                                                   (``vllm.swap_failed`` published);
                                                   the model that answers is current; if
                                                   none answers but that launcher still
                                                   runs, a new swap (``resumed_from``)
                                                   follows it to its end, rollback and all;
                                                   otherwise vLLM down with the reason
=================================================  ======================================

Events (``source`` vllm, every payload carries ``swap_id`` and ``model``):
``vllm.swap_started`` (+ ``previous``, ``actor``, ``rollback_of``), ``vllm.swap_phase``
(+ ``phase``, ``progress``), ``vllm.swap_log`` (+ ``line``), ``vllm.swap_complete``,
``vllm.swap_failed`` (+ ``reason``, ``log_excerpt``), ``vllm.swap_rolled_back``
(+ ``failed_swap_id``, ``restored``). ``swap_started`` also carries ``resumed_from``.
``vllm.state_changed`` carries ``status()`` (no ``swap_id``): the state settled after a
swap task, a cleared guard, or a re-read (``watch``) that found the cluster changed.

Outside swaps the state follows what runs: ``watch`` re-reads it at each transition of
vLLM's health probe and every ``reconcile_interval_s`` (``refresh``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import asyncssh
import httpx

from spark_control.api import (
    CommandResult,
    HostKeyChanged,
    RemoteCommand,
    Script,
    SparkError,
    SSHUnreachable,
    arg,
    parse_df,
)
from spark_control_vllm import disk, launch
from spark_control_vllm.catalog import Catalog, CatalogEntry
from spark_control_vllm.phases import DOWNLOADING, more_telling, read_line
from spark_control_vllm.settings import VllmSettings

if TYPE_CHECKING:
    from spark_control.api import Host, Node, Subscription

log = logging.getLogger(__name__)

OWNER = "vllm"
MIGRATIONS = (
    """
    CREATE TABLE vllm_swaps (
        id TEXT PRIMARY KEY, model TEXT NOT NULL, previous TEXT, state TEXT NOT NULL,
        phase TEXT NOT NULL, progress REAL NOT NULL, reason TEXT, log_excerpt TEXT,
        actor TEXT, rollback_of TEXT, launcher_pid INTEGER, log_path TEXT,
        started_at REAL NOT NULL, finished_at REAL
    );
    CREATE TABLE vllm_state (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE vllm_failures (at REAL NOT NULL);
    """,
    "ALTER TABLE vllm_swaps ADD COLUMN resumed_from TEXT",
)
RUNNING, COMPLETE, FAILED, CANCELLED = "running", "complete", "failed", "cancelled"
RESTARTED = "the gateway restarted during this swap"
GUARD_NOTE = (
    "; the crash-loop guard is tripped after repeated failures, so no rollback or "
    "other automatic start runs until someone clears it"
)
HEALTH_CHANGED = "health.changed"
STATE_CHANGED = "vllm.state_changed"
#: The reasons of an out-of-memory failure: read from vLLM's log (CUDA), or from Docker
#: (the kernel's OOM killer ended the container, which leaves no line in the log).
OOM_GPU = "vLLM ran out of GPU memory"
OOM_KILLED = (
    "vLLM ran out of memory: the kernel's OOM killer ended its container (Docker reports OOMKilled)"
)
#: How soon the state is read again while vLLM's health says otherwise.
RELOOK_S = 1.0
EXCERPT_LINES = 30
# The Hugging Face cache under the SSH user's home, where the launcher mounts it from.
HF_HUB_DIR = ".cache/huggingface/hub"
POLL_S = 0.5
#: How long a head node may stay unreachable before a swap gives up on it. A blip (an
#: sshd restart, a flaky link) is ridden out: the detached launch does not need us.
RECONNECT_GRACE_S = 20.0
#: The longest wait after a stop for the node's memory to come back (see _preflight).
MEMORY_RETURN_S = 15.0
#: How long a stop waits for the last launch's launcher to exit by itself (its EXIT
#: trap's ``docker stop`` on a container already stopped) before killing its group.
LAUNCHER_EXIT_S = 10.0
#: How long a killed launcher may take to be gone (reaped by the node's init).
LAUNCHER_REAPED_S = 10.0
#: What a dropped connection raises from the executor besides SSHUnreachable.
_DROPPED = (SSHUnreachable, asyncssh.Error, OSError)


class SwapRefused(SparkError):
    """A swap that cannot start (conflict, guard tripped, will not fit)."""


class _SwapFailure(Exception):
    def __init__(self, reason: str, excerpt: str = "", *, node_lost: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.excerpt = excerpt
        # The head node stopped answering: nothing can be stopped or started there.
        self.node_lost = node_lost


def _unreachable(node: str, exc: BaseException) -> SSHUnreachable:
    if isinstance(exc, SSHUnreachable):
        return exc
    return SSHUnreachable(node, f"the connection dropped ({type(exc).__name__}: {exc})")


@dataclass
class Swap:
    id: str
    model: str
    previous: str | None
    state: str
    phase: str
    progress: float
    actor: str
    started_at: float
    rollback_of: str | None = None
    reason: str | None = None
    log_excerpt: str | None = None
    launcher_pid: int | None = None
    log_path: str | None = None
    finished_at: float | None = None
    resumed_from: str | None = None

    def public(self) -> dict[str, Any]:
        return asdict(self)


class SwapManager:
    """Owns vLLM's lifecycle on the cluster: swaps, stop, restart, reconcile."""

    def __init__(self, host: Host, settings: VllmSettings, catalog: Catalog) -> None:
        self.host = host
        self.settings = settings
        self.catalog = catalog
        self.current_model: str | None = None
        self.last_good: str | None = None
        self.down_reason: str | None = None
        self.guard_tripped = False
        self._swap: Swap | None = None
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        # Set while the gateway shuts down: a running swap is left to the next start.
        self._closing = False
        # When current_model began answering (monotonic), for the proxy's residency rule.
        self.current_since = time.monotonic()
        # Called before vLLM is stopped, so in-flight requests can finish (the proxy's
        # drain); the manager does not know who listens.
        self.before_stop: Callable[[], Awaitable[None]] | None = None
        # Clear while vLLM is being stopped outside a swap (stop, restart): requests wait.
        self._not_stopping = asyncio.Event()
        self._not_stopping.set()
        # Bumped whenever a swap or a stop changes what runs: a re-read that straddled
        # one is stale and is dropped.
        self._generation = 0
        # The health probe of the managed vLLM (its transitions trigger a re-read).
        self.probe = "vllm"
        # The launcher of the last launch, until a stop has seen it exit.
        self._launcher_pid: int | None = None

    # --- set-up ------------------------------------------------------------------------

    @property
    def head(self) -> Node:
        node = self.host.topology.nodes.get(self.settings.head_node)
        if node is None:  # a config mistake: a clear 503, never a 500
            raise SparkError(
                f"vllm.head_node names {self.settings.head_node!r}, which is not a "
                "configured node; add it under nodes or set vllm.head_node",
                status=503,
                type="unavailable",
            )
        return node

    async def setup(self) -> None:
        await self.host.store.migrate(OWNER, MIGRATIONS)
        state = {
            row["key"]: row["value"]
            for row in await self.host.store.fetchall("SELECT key, value FROM vllm_state")
        }
        self.last_good = state.get("last_good")
        self.guard_tripped = state.get("guard_tripped") == "1"
        if self.settings.head_node not in self.host.topology.nodes:
            self.down_reason = (
                f"head node {self.settings.head_node!r} is not in the topology; set "
                "vllm.head_node or add the node"
            )
            return
        await self.reconcile()

    async def reconcile(self) -> None:
        """Match the record with what runs: a swap the gateway was following when it
        stopped is over (failed), and the model that answers is the current one. If
        none answers but the interrupted swap's launcher still runs, a new swap follows
        that launch to its end (it is not started again)."""
        rows = await self.host.store.fetchall(
            "SELECT * FROM vllm_swaps WHERE state = ? ORDER BY started_at", (RUNNING,)
        )
        interrupted = [Swap(**row) for row in rows]
        for old in interrupted:
            reached = old.phase
            old.state, old.phase, old.reason = FAILED, "failed", RESTARTED
            old.finished_at = time.time()
            await self._persist(old)
            # Listeners (the dashboard, webhooks) heard it start: they hear it end.
            self._event(
                "vllm.swap_failed",
                old,
                reason=RESTARTED,
                log_excerpt="",
                phase=reached,
                previous=old.previous,
                actor=old.actor,
                rollback_of=old.rollback_of,
            )
        self.current_model = await self._serving_model()
        self.current_since = time.monotonic()
        if self.current_model is not None:
            self.last_good = self.current_model
            await self._remember("last_good", self.current_model)
            return
        if not interrupted:
            return
        old = interrupted[-1]
        if await self._adopt(old):
            return
        self.down_reason = (
            f"vLLM is down: the gateway restarted during the swap to {old.model} "
            "and nothing answers"
        )

    async def _adopt(self, old: Swap) -> bool:
        """Follow the launch an interrupted swap left running, as a new swap."""
        if old.launcher_pid is None or old.log_path is None or old.model not in self.catalog:
            return False
        try:
            alive = await self._launcher_alive(old.launcher_pid, retry=False)
        except (*_DROPPED, SparkError):
            return False
        if not alive:
            return False
        entry = self.catalog.get(old.model)
        swap = self._new_swap(entry, "gateway", rollback_of=old.rollback_of)
        swap.previous, swap.resumed_from = old.previous, old.id
        swap.launcher_pid, swap.log_path = old.launcher_pid, old.log_path
        self._launcher_pid = old.launcher_pid
        swap.phase, swap.progress = "launching", 0.15
        await self._persist(swap)
        self._swap = swap
        self._spawn(swap, entry, resume=True)
        return True

    async def _serving_model(self) -> str | None:
        try:
            async with self.host.http_client(timeout=httpx.Timeout(3.0, connect=2.0)) as client:
                response = await client.get(self._url("/v1/models"))
                served = {m.get("id") for m in response.json().get("data", [])}
        except (httpx.HTTPError, ValueError, AttributeError):
            return None
        for entry in self.catalog.entries():
            if entry.served_name in served:
                return entry.id
        return None

    async def watch(self) -> None:
        """Until cancelled or the bus closes: re-read what runs on every transition of
        vLLM's health probe, and every ``reconcile_interval_s`` anyway."""
        while True:
            async with self.host.events.subscribe() as events:
                while await self._next_reason_to_look(events):
                    await self._refresh_logged()
                if not events.dropped:
                    return  # the bus closed: the gateway stops
            # Fell behind (a burst of swap log lines): look now, then listen anew.
            await self._refresh_logged()

    async def _next_reason_to_look(self, events: Subscription) -> bool:
        """Wait until vLLM's health or state changes or ``reconcile_interval_s``
        passes (True), or the subscription ends (False)."""
        wait = self.settings.reconcile_interval_s
        if self._health_disagrees():
            wait = min(wait, RELOOK_S)  # one look may have caught vLLM mid-change
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(wait):
                async for event in events:
                    if event.type == HEALTH_CHANGED and event.data.get("probe") == self.probe:
                        return True
                    if event.type == STATE_CHANGED:
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

    async def refresh(self) -> bool:
        """Match the state with what runs, outside swaps and stops: a catalog model
        that serves and answers a completion is current (so ``down`` after a lost node
        ends when the launch it left serves), and a current model that stopped
        answering (health down too) leaves vLLM ``down``. True if the state changed."""
        if self.busy or self.stopping or self._closing:
            return False
        if self.settings.head_node not in self.host.topology.nodes:
            return False
        generation = self._generation
        serving = await self._serving_model()
        if serving is not None:
            if serving == self.current_model and self.down_reason is None:
                return False
            if not await self._ready(self.catalog.get(serving), quick=True):
                return False
        elif self.current_model is None or not self._health_down():
            return False
        if self.busy or self.stopping or self._closing or generation != self._generation:
            return False  # a swap or a stop began meanwhile: what was read is stale
        if serving is not None:
            log.info("vLLM serves %s: the state follows", serving)
            self.current_model, self.current_since = serving, time.monotonic()
            self.last_good, self.down_reason = serving, None
            await self._remember("last_good", serving)
        else:
            log.warning("vLLM stopped answering outside a swap")
            why = "stopped answering outside a swap"
            if await self._oom_killed(time.time() - self.resident_for()):
                why = (
                    "ran out of memory outside a swap: the kernel's OOM killer ended its "
                    "container (Docker reports OOMKilled)"
                )
            if self.busy or self.stopping or generation != self._generation:
                return False
            self.down_reason = f"vLLM is down: {self.current_model} {why}"
            self.current_model = None
        self._state_changed()
        self.host.gate_changed("vllm.swap", source="vllm")
        return True

    def _health_disagrees(self) -> bool:
        """vLLM's health probe says the opposite of the state (ready but down, or down
        but ok)."""
        if self.busy or self.stopping or self.host.health is None:
            return False
        if self.current_model is not None:
            return self._health_down()
        probe = self.host.health.snapshot().get(self.probe)
        return self.down_reason is not None and probe is not None and probe.state == "ok"

    def _health_down(self) -> bool:
        """Whether vLLM's (damped) health probe says down; without a monitor, yes."""
        health = self.host.health
        if health is None:
            return True
        probe = health.snapshot().get(self.probe)
        return probe is None or probe.state == "down"

    # --- state -------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """A swap, its clean-up or its rollback is still under way."""
        return self._task is not None and not self._task.done()

    def status(self) -> dict[str, Any]:
        swap = self._swap if self.busy else None
        if swap is not None:
            state = "swapping"
        elif self.current_model is not None:
            state = "ready"
        else:
            state = "down" if self.down_reason else "stopped"
        reason = self.down_reason
        if reason is not None and state == "down" and self.guard_tripped:
            reason += GUARD_NOTE
        return {
            "state": state,
            "model": self.current_model,
            "last_good_model": self.last_good,
            "reason": reason,
            "crash_loop_guard": self.guard_tripped,
            "swap": swap.public() if swap else None,
        }

    def resident_for(self) -> float:
        """Seconds the current model has been answering."""
        return time.monotonic() - self.current_since

    @property
    def stopping(self) -> bool:
        """vLLM is being stopped (drained first) outside a swap."""
        return not self._not_stopping.is_set()

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

    @property
    def running_swap(self) -> Swap | None:
        return self._swap if self._swap and self.busy else None

    async def get(self, swap_id: str) -> Swap | None:
        if self._swap and self._swap.id == swap_id:
            return self._swap
        row = await self.host.store.fetchone("SELECT * FROM vllm_swaps WHERE id = ?", (swap_id,))
        return Swap(**row) if row else None

    async def history(self, limit: int = 50) -> list[dict[str, Any]]:
        rows = await self.host.store.fetchall(
            "SELECT * FROM vllm_swaps ORDER BY started_at DESC LIMIT ?", (limit,)
        )
        return [Swap(**row).public() for row in rows]

    # --- starting a swap ---------------------------------------------------------------

    async def start(self, model_id: str, *, actor: str, automatic: bool = False) -> Swap | None:
        """Begin a swap to ``model_id``; None when that model already answers."""
        entry = self.catalog.get(model_id)
        if self.settings.head_node not in self.host.topology.nodes:
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
            if model_id == self.current_model and await self._ready(entry, quick=True):
                return None
            if automatic and self.guard_tripped:
                raise SwapRefused(
                    "automatic starts are blocked after repeated failures; clear the "
                    "crash-loop guard from the dashboard first",
                    status=423,
                    type="crash_loop_guard",
                )
            await self._check_fits(entry)
            swap = self._new_swap(entry, actor, rollback_of=None)
            await self._persist(swap)
            self._swap = swap
            self._spawn(swap, entry)
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
        self.guard_tripped = False
        await self.host.store.execute("DELETE FROM vllm_failures")
        await self._remember("guard_tripped", "0")
        self._state_changed()

    async def aclose(self) -> None:
        """Stop following; a running launch carries on and the next start reconciles."""
        self._closing = True
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    def _spawn(self, swap: Swap, entry: CatalogEntry, *, resume: bool = False) -> None:
        self._generation += 1
        self._task = asyncio.create_task(self._run(swap, entry, resume=resume), name=swap.id)
        self._task.add_done_callback(self._settled)

    def _settled(self, task: asyncio.Task[None]) -> None:
        """A swap task ended: say where the state settled (a rollback it started is
        itself a swap, announced when it ends)."""
        if task is self._task and not self._closing:
            self._state_changed()
            if self.host.health is not None:
                # Its health probe still says what it met during the swap: ask now
                # rather than in an interval (or two, with damping).
                self.host.health.recheck(self.probe)

    def _state_changed(self) -> None:
        self.host.events.publish(STATE_CHANGED, self.status(), source="vllm")

    def _new_swap(self, entry: CatalogEntry, actor: str, rollback_of: str | None) -> Swap:
        return Swap(
            id=f"swp_{secrets.token_hex(8)}",
            model=entry.id,
            previous=self.current_model,
            state=RUNNING,
            phase="queued",
            progress=0.0,
            actor=actor,
            started_at=time.time(),
            rollback_of=rollback_of,
        )

    async def _check_fits(self, entry: CatalogEntry) -> None:
        """Refuse at once a model that could not fit even on an empty node."""
        total = await self._meminfo("MemTotal", retry=False)
        if total is not None and entry.memory_gb * 2**30 > total:
            raise SwapRefused(
                f"{entry.id} needs {entry.memory_gb:g} GiB of memory on "
                f"{self.head.name}, which has {total / 2**30:.1f} GiB in all",
                status=422,
                type="does_not_fit",
                detail={"needed_gb": entry.memory_gb, "total_gb": round(total / 2**30, 1)},
            )

    # --- the swap itself ---------------------------------------------------------------

    async def _run(self, swap: Swap, entry: CatalogEntry, *, resume: bool = False) -> None:
        """The swap from stop to ready; ``resume`` follows a launch already running."""
        self._event(
            "vllm.swap_started",
            swap,
            previous=swap.previous,
            actor=swap.actor,
            rollback_of=swap.rollback_of,
            resumed_from=swap.resumed_from,
        )
        try:
            if not resume:
                await self._stop_vllm(swap)
                await self._preflight(swap, entry)
                await self._launch(swap, entry)
            await self._follow(swap, entry)
        except asyncio.CancelledError:
            if not self._closing:
                await asyncio.shield(self._end_cancelled(swap))
            raise
        except _SwapFailure as failure:
            await self._end_failed(swap, failure)
        except SSHUnreachable as exc:
            lost = _SwapFailure(f"lost the head node: {exc.reason}", node_lost=True)
            await self._end_failed(swap, lost)
        except (asyncssh.Error, OSError) as exc:
            # A connection that dropped under a command that cannot be repeated safely
            # (the launch itself): the node may well answer again, so stop and roll back.
            reason = f"lost the connection to the head node ({type(exc).__name__}: {exc})"
            await self._end_failed(swap, _SwapFailure(reason))
        except Exception as exc:
            log.exception("swap %s failed unexpectedly", swap.id)
            await self._end_failed(swap, _SwapFailure(f"{type(exc).__name__}: {exc}"))
        else:
            await self._end_complete(swap)

    async def _stop_vllm(self, swap: Swap) -> None:
        await self._phase(swap, "stopping", 0.05)
        await self.stop_containers()

    async def stop_containers(self) -> None:
        outside_a_swap = not self.busy
        if outside_a_swap:
            self._not_stopping.clear()
        try:
            await self._stop_containers()
        finally:
            if outside_a_swap:
                self._not_stopping.set()

    async def _stop_containers(self) -> None:
        self._generation += 1
        if self.current_model is not None and self.before_stop is not None:
            await self.before_stop()
        options = self.settings.launch_options()
        await self._ssh(launch.launcher_stop_command(options), timeout=120)
        await self._ssh(launch.docker_stop_command(options.container, 30), timeout=60)
        # A two-node model left a container on each worker too; stop those directly
        # rather than trust the launcher's node discovery.
        for name in self.settings.worker_nodes:
            worker = self.host.topology.nodes.get(name)
            if worker is not None:
                with contextlib.suppress(SparkError, OSError):
                    await self.host.ssh.run(
                        worker, launch.docker_stop_command(options.container, 30), timeout=60
                    )
        self.current_model = None
        await self._await_launcher_exit()

    async def _await_launcher_exit(self) -> None:
        """Nothing is launched while the last launcher runs: once its ``docker exec``
        ends, its EXIT trap runs ``docker stop <container>``, which on a slow node can
        come after the next launch started a container of that name (and ``--rm``
        removes it). With its container stopped it exits by itself; one that does not
        within ``LAUNCHER_EXIT_S`` has its process group killed (``setsid`` made it the
        leader), trap and ``docker`` children with it."""
        pid = self._launcher_pid
        if pid is None:
            return
        give_up = time.monotonic() + LAUNCHER_EXIT_S
        killed = False
        while await self._launcher_alive(pid):
            if time.monotonic() >= give_up:
                if killed:
                    raise SparkError(
                        f"the launcher (pid {pid}) on {self.head.name} did not exit when "
                        "killed; nothing is launched while it runs",
                        status=503,
                        type="unavailable",
                    )
                log.warning("launcher %d outlived its container; killing its group", pid)
                killed_now = await self._ssh(launch.kill_launcher_command(pid))
                if killed_now.exit_status not in (0, 1):  # 1: it had just exited
                    raise SparkError(
                        f"could not kill the launcher (pid {pid}) on {self.head.name}: "
                        f"{killed_now.stderr.strip()[:300]}",
                        status=503,
                        type="unavailable",
                    )
                killed = True
                give_up = time.monotonic() + LAUNCHER_REAPED_S
            await asyncio.sleep(POLL_S / 5)
        self._launcher_pid = None

    async def _preflight(self, swap: Swap, entry: CatalogEntry) -> None:
        await self._phase(swap, "preflight", 0.1)
        state = await self._ssh(launch.container_state_command(self.settings.container))
        if launch.parse_container_state(state.exit_status, state.stdout) == "running":
            raise _SwapFailure(f"container {self.settings.container!r} is still running")
        # A stopped vLLM lets go of its port and (on unified-memory nodes) its memory
        # a little after the stop returns: give both a moment.
        give_up = time.monotonic() + min(self.settings.stop_timeout_s, MEMORY_RETURN_S)
        while await self._port_in_use():
            if time.monotonic() >= give_up:
                raise _SwapFailure(
                    f"port {self.settings.port} on {self.head.name} is still in use after the stop"
                )
            await asyncio.sleep(POLL_S / 5)
        await self._check_disk(entry)
        needed = entry.memory_gb * 2**30
        while (available := await self._meminfo("MemAvailable")) is not None:
            if needed <= available:
                return
            if time.monotonic() >= give_up:
                short = entry.memory_gb - available / 2**30
                raise _SwapFailure(
                    f"{self.head.name} has {available / 2**30:.1f} GiB of memory available, "
                    f"{short:.1f} GiB short of the {entry.memory_gb:g} GiB {entry.id} needs"
                )
            await asyncio.sleep(POLL_S)

    async def _check_disk(self, entry: CatalogEntry) -> None:
        """A model not yet in the head node's Hugging Face cache needs its download size
        free on that disk."""
        if entry.hf_repo is None or not entry.disk_gb:
            return
        folder = f"{HF_HUB_DIR}/{disk.cache_folder(entry.hf_repo)}"
        cached = await self._ssh(RemoteCommand("test", "-d", arg.relative_path(folder, "hf_repo")))
        if cached.exit_status == 0:
            return
        result = await self._ssh(RemoteCommand("df", "-P", "-k", "."))
        space = parse_df(result.stdout, "~")
        if space is not None and space.free_bytes < entry.disk_gb * 2**30:
            short = entry.disk_gb - space.free_bytes / 2**30
            raise _SwapFailure(
                f"{self.head.name} has {space.free_bytes / 2**30:.1f} GiB of disk free, "
                f"{short:.1f} GiB short of the {entry.disk_gb:g} GiB download of {entry.id}"
            )

    async def _launch(self, swap: Swap, entry: CatalogEntry) -> None:
        await self._phase(swap, "launching", 0.15)
        options = self.settings.launch_options()
        if self.settings.hf_token is not None:
            written = await self._ssh(
                launch.write_token_file(self.settings.hf_token_file),
                stdin=launch.token_file_text(self.settings.hf_token.get_secret_value()),
            )
            if written.exit_status != 0:
                said = written.stderr.strip() or f"exit status {written.exit_status}"
                raise _SwapFailure(
                    f"could not write the Hugging Face token file {self.settings.hf_token_file} "
                    f"on {self.head.name}: {said[:300]}"
                )
        plan = launch.build_launch(entry, options, swap.id)
        # Not retried: a launch whose answer was lost may have started.
        result = await self._ssh(plan.script, timeout=30, retry=False)
        if result.exit_status != 0 or not result.stdout.strip().isdigit():
            raise _SwapFailure(f"the launcher did not start: {result.stderr.strip()[:300]}")
        swap.launcher_pid = self._launcher_pid = int(result.stdout.strip())
        swap.log_path = plan.log_path
        await self._persist(swap)

    async def _follow(self, swap: Swap, entry: CatalogEntry) -> None:
        """Read the launch log until vLLM is ready, fails, or a deadline passes.

        The download deadline holds while the log says it downloads; the load deadline
        holds for all the rest of the time (before and after the download).
        """
        assert swap.log_path is not None and swap.launcher_pid is not None
        lines: asyncio.Queue[str | SSHUnreachable | None] = asyncio.Queue()
        recent: deque[str] = deque(maxlen=EXCERPT_LINES)
        reader = asyncio.create_task(self._read_log(swap.log_path, swap.launcher_pid, lines))
        segment_started = time.monotonic()
        loading_spent = 0.0  # load time before the current segment (downloads excluded)
        downloading = False
        failure: str | None = None
        try:
            while True:
                in_segment = time.monotonic() - segment_started
                if downloading and in_segment > self.settings.download_deadline_s:
                    raise _SwapFailure(
                        f"the download did not finish within "
                        f"{self.settings.download_deadline_s:g} s",
                        await self._excerpt(swap, recent),
                    )
                if not downloading and loading_spent + in_segment > self.settings.load_deadline_s:
                    raise _SwapFailure(
                        f"the load did not finish within {self.settings.load_deadline_s:g} s",
                        await self._excerpt(swap, recent),
                    )
                try:
                    line = await asyncio.wait_for(lines.get(), POLL_S)
                except TimeoutError:
                    line = ""
                    if not await self._launcher_alive(swap.launcher_pid):
                        if failure != OOM_GPU and await self._oom_killed(swap.started_at):
                            failure = OOM_KILLED  # says more than any log line
                        raise _SwapFailure(
                            failure or "vLLM exited before it was ready",
                            await self._excerpt(swap, recent),
                        ) from None
                if isinstance(line, SSHUnreachable):
                    raise _SwapFailure(
                        f"lost the head node: {line.reason}", "\n".join(recent), node_lost=True
                    )
                if line is None:
                    raise _SwapFailure("lost the launch log", await self._excerpt(swap, recent))
                if not line:
                    continue
                recent.append(line)
                self._event("vllm.swap_log", swap, line=line)
                signal = read_line(line)
                if signal.failure and more_telling(signal.failure, failure):
                    failure = signal.failure
                if signal.phase and signal.phase != swap.phase:
                    if (signal.phase == DOWNLOADING) != downloading:
                        now = time.monotonic()
                        if not downloading:
                            loading_spent += now - segment_started
                        downloading = signal.phase == DOWNLOADING
                        segment_started = now
                    await self._phase(swap, signal.phase, signal.progress or swap.progress)
                elif signal.progress and signal.progress > swap.progress:
                    await self._phase(swap, swap.phase, signal.progress)
                if signal.ready and failure is None:
                    await self._phase(swap, "checking", 0.97)
                    if await self._ready(entry):
                        return
                    raise _SwapFailure(
                        "vLLM started but did not answer a completion",
                        await self._excerpt(swap, recent),
                    )
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader

    async def _read_log(
        self, path: str, pid: int, lines: asyncio.Queue[str | SSHUnreachable | None]
    ) -> None:
        """Put the log's lines on ``lines``, across dropped connections.

        ``tail -F`` never ends by itself, so a stream that ends (or breaks) means the
        connection went. Once the node answers again, the log is read anew from its
        start and the lines already passed on are skipped, so none is lost or doubled.
        A node that stays unreachable past the grace ends it with ``SSHUnreachable``.
        """
        cap = self.settings.download_deadline_s + self.settings.load_deadline_s
        seen = 0
        try:
            while True:
                stream = self.host.ssh.stream(
                    self.head, launch.follow_log_command(path), time_cap=cap
                )
                index = 0
                try:
                    async with contextlib.aclosing(stream):
                        async for line in stream:
                            index += 1
                            if index > seen:
                                seen = index
                                await lines.put(line.rstrip("\n"))
                except HostKeyChanged as exc:
                    await lines.put(exc)
                    return
                except _DROPPED as exc:
                    log.info("following %s on %s broke (%s); resuming", path, self.head.name, exc)
                else:
                    log.info("following %s on %s ended; resuming", path, self.head.name)
                try:
                    # Reconnects (within the grace) and proves the node answers again.
                    await self._launcher_alive(pid)
                except SSHUnreachable as exc:
                    await lines.put(exc)
                    return
                await asyncio.sleep(POLL_S)
        finally:
            await lines.put(None)

    async def _ready(self, entry: CatalogEntry, *, quick: bool = False) -> bool:
        """/health 200, /v1/models lists the served name, one token comes back."""
        timeout = httpx.Timeout(5.0 if quick else 30.0, connect=2.0)
        try:
            async with self.host.http_client(timeout=timeout) as client:
                if (await client.get(self._url("/health"))).status_code != 200:
                    return False
                models = (await client.get(self._url("/v1/models"))).json()
                if entry.served_name not in {m.get("id") for m in models.get("data", [])}:
                    return False
                completion = await client.post(
                    self._url("/v1/chat/completions"),
                    json={
                        "model": entry.served_name,
                        "max_tokens": 1,
                        "messages": [{"role": "user", "content": "ping"}],
                    },
                )
                return completion.status_code == 200
        except (httpx.HTTPError, ValueError, AttributeError):
            return False

    # --- endings -----------------------------------------------------------------------

    async def _end_complete(self, swap: Swap) -> None:
        self.current_model = swap.model
        self.current_since = time.monotonic()
        self.last_good = swap.model
        self.down_reason = None
        await self._remember("last_good", swap.model)
        await self._finish(swap, COMPLETE, "ready", 1.0)
        self._event("vllm.swap_complete", swap)
        if swap.rollback_of:
            self._event(
                "vllm.swap_rolled_back", swap, failed_swap_id=swap.rollback_of, restored=swap.model
            )

    async def _end_failed(self, swap: Swap, failure: _SwapFailure) -> None:
        swap.reason, swap.log_excerpt = failure.reason, failure.excerpt
        await self._finish(swap, FAILED, "failed", swap.progress)
        self._event("vllm.swap_failed", swap, reason=failure.reason, log_excerpt=failure.excerpt)
        if failure.node_lost:
            # Nothing can be stopped or started on a node that does not answer, and a
            # lost node is no failed start: the guard does not count it.
            self.current_model = None
            self.down_reason = f"vLLM is down: {failure.reason}"
            return
        await self._count_failure()
        with contextlib.suppress(Exception):
            await self.stop_containers()
        await self._roll_back_or_go_down(swap, failure.reason)

    async def _end_cancelled(self, swap: Swap) -> None:
        swap.reason = "cancelled"
        await self._finish(swap, CANCELLED, "cancelled", swap.progress)
        self._event("vllm.swap_failed", swap, reason="cancelled", log_excerpt="")
        with contextlib.suppress(Exception):
            await self.stop_containers()
        await self._roll_back_or_go_down(swap, "cancelled")

    async def _roll_back_or_go_down(self, swap: Swap, reason: str) -> None:
        """One automatic swap back, unless this was that swap, or the guard forbids it."""
        self.current_model = None
        target = swap.previous or self.last_good
        if swap.rollback_of is not None:
            self.down_reason = f"vLLM is down: the rollback to {swap.model} failed too ({reason})"
            return
        rollable = (
            self.settings.rollback
            and target is not None
            and target != swap.model
            and target in self.catalog
        )
        # A tripped guard is named in the reason while it stays tripped (``status``).
        if not rollable or self.guard_tripped or self._closing or target is None:
            self.down_reason = f"vLLM is down: {reason}"
            return
        entry = self.catalog.get(target)
        rollback = self._new_swap(entry, "rollback", rollback_of=swap.id)
        rollback.previous = None
        await self._persist(rollback)
        self._swap = rollback
        self._spawn(rollback, entry)

    async def _finish(self, swap: Swap, state: str, phase: str, progress: float) -> None:
        swap.state, swap.phase, swap.progress = state, phase, progress
        swap.finished_at = time.time()
        await self._persist(swap)
        self.host.gate_changed("vllm.swap", source="vllm")

    async def _count_failure(self) -> None:
        now = time.time()
        await self.host.store.execute("INSERT INTO vllm_failures (at) VALUES (?)", (now,))
        row = await self.host.store.fetchone(
            "SELECT COUNT(*) AS n FROM vllm_failures WHERE at > ?",
            (now - self.settings.crash_loop_window_s,),
        )
        if row and row["n"] >= self.settings.crash_loop_failures and not self.guard_tripped:
            self.guard_tripped = True
            await self._remember("guard_tripped", "1")

    # --- helpers -----------------------------------------------------------------------

    async def _phase(self, swap: Swap, phase: str, progress: float) -> None:
        swap.phase, swap.progress = phase, max(progress, swap.progress)
        await self._persist(swap)
        self._event("vllm.swap_phase", swap, phase=phase, progress=swap.progress)

    def _event(self, type_: str, swap: Swap, **data: Any) -> None:
        self.host.events.publish(
            type_, {"swap_id": swap.id, "model": swap.model, **data}, source="vllm"
        )

    async def _persist(self, swap: Swap) -> None:
        row = swap.public()
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        await self.host.store.execute(
            f"INSERT OR REPLACE INTO vllm_swaps ({columns}) VALUES ({marks})",  # noqa: S608
            tuple(row.values()),
        )

    async def _remember(self, key: str, value: str) -> None:
        await self.host.store.execute(
            "INSERT OR REPLACE INTO vllm_state (key, value) VALUES (?, ?)", (key, value)
        )

    async def _excerpt(self, swap: Swap, recent: deque[str] | None = None) -> str:
        """The end of the launch log (as read so far, if the node cannot be asked)."""
        fallback = "\n".join(recent or ())
        if swap.log_path is None:
            return fallback
        with contextlib.suppress(*_DROPPED, SparkError):
            result = await self._ssh(
                launch.tail_log_command(swap.log_path, EXCERPT_LINES), retry=False
            )
            return result.stdout[-4000:] or fallback
        return fallback

    async def _oom_killed(self, since: float) -> bool:
        """Whether the kernel's OOM killer ended vLLM's container since ``since`` (unix
        time): Docker's ``State.OOMKilled`` while the container is there, else its
        ``oom`` event (the launcher runs it with ``--rm``, which removes it). Unknown
        (the node does not answer) is no."""
        container = self.settings.container
        with contextlib.suppress(*_DROPPED, SparkError):
            state = await self._ssh(launch.container_oom_killed_command(container), retry=False)
            if state.exit_status == 0:
                return state.stdout.strip() == "true"
            within = max(1, int(time.time() - since) + 5)
            found = await self._ssh(
                launch.container_oom_events_command(container, within), retry=False
            )
            return found.exit_status == 0 and "oom" in found.stdout.split()
        return False

    async def _launcher_alive(self, pid: int, *, retry: bool = True) -> bool:
        """False only when the node says the launcher is gone (``kill -0`` status 1);
        an answer lost with a dropped channel counts as alive (the deadlines still
        hold)."""
        result = await self._ssh(launch.launcher_alive_command(pid), retry=retry)
        return result.exit_status != 1

    async def _meminfo(self, key: str, *, retry: bool = True) -> int | None:
        proc = self.head.proc_root.rstrip("/")
        result = await self._ssh(
            RemoteCommand("cat", arg.path(f"{proc}/meminfo", "proc_root")), retry=retry
        )
        for line in result.stdout.splitlines():
            name, _, rest = line.partition(":")
            if name == key and rest.split():
                return int(rest.split()[0]) * 1024
        return None

    async def _ssh(
        self,
        script: Script,
        *,
        stdin: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - the executor's, which stops it
        retry: bool = True,
    ) -> CommandResult:
        """Run on the head node. With ``retry`` (for commands safe to repeat) a dropped
        connection is reopened until ``RECONNECT_GRACE_S`` has passed. Whatever the
        drop raised comes out as ``SSHUnreachable``; a changed host key at once."""
        give_up = time.monotonic() + RECONNECT_GRACE_S
        delay = 0.2
        while True:
            try:
                return await self.host.ssh.run(self.head, script, stdin=stdin, timeout=timeout)
            except HostKeyChanged:
                raise
            except _DROPPED as exc:
                if not retry or time.monotonic() + delay > give_up:
                    raise _unreachable(self.head.name, exc) from None
                log.info("SSH to %s failed (%s); retrying", self.head.name, exc)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)

    async def _port_in_use(self) -> bool:
        """Whether something accepts connections on vLLM's port on the head node."""
        try:
            async with asyncio.timeout(2.0):
                _, writer = await asyncio.open_connection(self.head.url_host, self.settings.port)
        except (OSError, TimeoutError):
            return False
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
        return True

    def _url(self, path: str) -> str:
        return f"http://{self.head.url_host}:{self.settings.port}{path}"
