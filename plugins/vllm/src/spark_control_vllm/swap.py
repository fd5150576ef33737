"""Swaps: one at a time, persisted, followed phase by phase, rolled back once on failure.

A swap stops what runs, checks the node can take the new model, launches it detached
through the launcher, follows the launch log for phases and failures, and calls the
model ready only when ``/health`` answers, ``/v1/models`` lists it and a one-token
completion succeeds. A failure rolls back once to the last good model; if that fails
too, vLLM is marked down and nothing loops. Repeated failures trip a crash-loop guard
that blocks automatic starts until a person clears it.

Events (``source`` vllm, every payload carries ``swap_id`` and ``model``):
``vllm.swap_started`` (+ ``previous``, ``actor``, ``rollback_of``), ``vllm.swap_phase``
(+ ``phase``, ``progress``), ``vllm.swap_log`` (+ ``line``), ``vllm.swap_complete``,
``vllm.swap_failed`` (+ ``reason``, ``log_excerpt``), ``vllm.swap_rolled_back``
(+ ``failed_swap_id``, ``restored``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import httpx

from spark_control.errors import SparkError
from spark_control.ssh import RemoteCommand, SSHUnreachable, arg
from spark_control_vllm import launch
from spark_control_vllm.catalog import Catalog, CatalogEntry
from spark_control_vllm.phases import DOWNLOADING, more_telling, read_line
from spark_control_vllm.settings import VllmSettings

if TYPE_CHECKING:
    from spark_control.host import Host
    from spark_control.topology import Node

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
)
RUNNING, COMPLETE, FAILED, CANCELLED = "running", "complete", "failed", "cancelled"
EXCERPT_LINES = 30
POLL_S = 0.5


class SwapRefused(SparkError):
    """A swap that cannot start (conflict, guard tripped, will not fit)."""


class _SwapFailure(Exception):
    def __init__(self, reason: str, excerpt: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.excerpt = excerpt


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

    # --- set-up ------------------------------------------------------------------------

    @property
    def head(self) -> Node:
        return self.host.topology.node(self.settings.head_node)

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
        stopped is over (failed), and the model that answers is the current one."""
        rows = await self.host.store.fetchall(
            "SELECT id FROM vllm_swaps WHERE state = ?", (RUNNING,)
        )
        for row in rows:
            await self.host.store.execute(
                "UPDATE vllm_swaps SET state = ?, reason = ?, finished_at = ? WHERE id = ?",
                (FAILED, "the gateway restarted during this swap", time.time(), row["id"]),
            )
        self.current_model = await self._serving_model()

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
        return {
            "state": state,
            "model": self.current_model,
            "last_good_model": self.last_good,
            "reason": self.down_reason,
            "crash_loop_guard": self.guard_tripped,
            "swap": swap.public() if swap else None,
        }

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
            self._task = asyncio.create_task(self._run(swap, entry), name=f"swap {swap.id}")
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

    async def aclose(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

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
        total = await self._meminfo("MemTotal")
        if total is not None and entry.memory_gb * 2**30 > total:
            raise SwapRefused(
                f"{entry.id} needs {entry.memory_gb:g} GiB of memory on "
                f"{self.head.name}, which has {total / 2**30:.1f} GiB in all",
                status=422,
                type="does_not_fit",
                detail={"needed_gb": entry.memory_gb, "total_gb": round(total / 2**30, 1)},
            )

    # --- the swap itself ---------------------------------------------------------------

    async def _run(self, swap: Swap, entry: CatalogEntry) -> None:
        self._event(
            "vllm.swap_started",
            swap,
            previous=swap.previous,
            actor=swap.actor,
            rollback_of=swap.rollback_of,
        )
        try:
            await self._stop_vllm(swap)
            await self._preflight(swap, entry)
            await self._launch(swap, entry)
            await self._follow(swap, entry)
        except asyncio.CancelledError:
            await asyncio.shield(self._end_cancelled(swap))
            raise
        except _SwapFailure as failure:
            await self._end_failed(swap, failure)
        except SSHUnreachable as exc:
            await self._end_failed(swap, _SwapFailure(f"lost the head node: {exc.reason}"))
        except Exception as exc:
            log.exception("swap %s failed unexpectedly", swap.id)
            await self._end_failed(swap, _SwapFailure(f"{type(exc).__name__}: {exc}"))
        else:
            await self._end_complete(swap)

    async def _stop_vllm(self, swap: Swap) -> None:
        await self._phase(swap, "stopping", 0.05)
        await self.stop_containers()

    async def stop_containers(self) -> None:
        options = self.settings.launch_options()
        await self.host.ssh.run(self.head, launch.launcher_stop_command(options), timeout=120)
        await self.host.ssh.run(
            self.head, launch.docker_stop_command(options.container, 30), timeout=60
        )
        self.current_model = None

    async def _preflight(self, swap: Swap, entry: CatalogEntry) -> None:
        await self._phase(swap, "preflight", 0.1)
        state = await self.host.ssh.run(
            self.head, launch.container_state_command(self.settings.container)
        )
        if launch.parse_container_state(state.exit_status, state.stdout) == "running":
            raise _SwapFailure(f"container {self.settings.container!r} is still running")
        available = await self._meminfo("MemAvailable")
        if available is not None and entry.memory_gb * 2**30 > available:
            short = entry.memory_gb - available / 2**30
            raise _SwapFailure(
                f"{self.head.name} has {available / 2**30:.1f} GiB of memory available, "
                f"{short:.1f} GiB short of the {entry.memory_gb:g} GiB {entry.id} needs"
            )

    async def _launch(self, swap: Swap, entry: CatalogEntry) -> None:
        await self._phase(swap, "launching", 0.15)
        options = self.settings.launch_options()
        if self.settings.hf_token is not None:
            await self.host.ssh.run(
                self.head,
                launch.write_token_file(self.settings.hf_token_file),
                stdin=launch.token_file_text(self.settings.hf_token.get_secret_value()),
            )
        plan = launch.build_launch(entry, options, swap.id)
        result = await self.host.ssh.run(self.head, plan.script, timeout=30)
        if result.exit_status != 0 or not result.stdout.strip().isdigit():
            raise _SwapFailure(f"the launcher did not start: {result.stderr.strip()[:300]}")
        swap.launcher_pid = int(result.stdout.strip())
        swap.log_path = plan.log_path
        await self._persist(swap)

    async def _follow(self, swap: Swap, entry: CatalogEntry) -> None:
        """Read the launch log until vLLM is ready, fails, or a deadline passes."""
        assert swap.log_path is not None and swap.launcher_pid is not None
        lines: asyncio.Queue[str | None] = asyncio.Queue()
        reader = asyncio.create_task(self._read_log(swap.log_path, lines))
        phase_started = time.monotonic()
        downloading = False
        failure: str | None = None
        try:
            while True:
                deadline = (
                    self.settings.download_deadline_s
                    if downloading
                    else self.settings.load_deadline_s
                )
                if time.monotonic() - phase_started > deadline:
                    what = "download" if downloading else "load"
                    raise _SwapFailure(
                        f"the {what} did not finish within {deadline:g} s",
                        await self._excerpt(swap),
                    )
                try:
                    line = await asyncio.wait_for(lines.get(), POLL_S)
                except TimeoutError:
                    line = ""
                    if not await self._launcher_alive(swap.launcher_pid):
                        raise _SwapFailure(
                            failure or "vLLM exited before it was ready", await self._excerpt(swap)
                        ) from None
                if line is None:
                    raise _SwapFailure("lost the launch log", await self._excerpt(swap))
                if not line:
                    continue
                self._event("vllm.swap_log", swap, line=line)
                signal = read_line(line)
                if signal.failure and more_telling(signal.failure, failure):
                    failure = signal.failure
                if signal.phase and signal.phase != swap.phase:
                    if (signal.phase == DOWNLOADING) != downloading:
                        downloading = signal.phase == DOWNLOADING
                        phase_started = time.monotonic()
                    await self._phase(swap, signal.phase, signal.progress or swap.progress)
                elif signal.progress and signal.progress > swap.progress:
                    await self._phase(swap, swap.phase, signal.progress)
                if signal.ready and failure is None:
                    await self._phase(swap, "checking", 0.97)
                    if await self._ready(entry):
                        return
                    raise _SwapFailure(
                        "vLLM started but did not answer a completion", await self._excerpt(swap)
                    )
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader

    async def _read_log(self, path: str, lines: asyncio.Queue[str | None]) -> None:
        cap = self.settings.download_deadline_s + self.settings.load_deadline_s
        stream = self.host.ssh.stream(self.head, launch.follow_log_command(path), time_cap=cap)
        try:
            async for line in stream:
                await lines.put(line.rstrip("\n"))
        finally:
            # Closing the generator stops the remote tail at once.
            close = getattr(stream, "aclose", None)
            if close is not None:
                await close()
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
        target = swap.previous or self.last_good
        if (
            swap.rollback_of is None
            and self.settings.rollback
            and not self.guard_tripped
            and target is not None
            and target != swap.model
            and target in self.catalog
        ):
            entry = self.catalog.get(target)
            rollback = self._new_swap(entry, "rollback", rollback_of=swap.id)
            rollback.previous = None
            await self._persist(rollback)
            self._swap = rollback
            self._task = asyncio.create_task(self._run(rollback, entry))
            return
        self.current_model = None
        self.down_reason = f"vLLM is down: {reason}"

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

    async def _excerpt(self, swap: Swap) -> str:
        if swap.log_path is None:
            return ""
        with contextlib.suppress(Exception):
            result = await self.host.ssh.run(
                self.head, launch.tail_log_command(swap.log_path, EXCERPT_LINES)
            )
            return result.stdout[-4000:]
        return ""

    async def _launcher_alive(self, pid: int) -> bool:
        result = await self.host.ssh.run(self.head, launch.launcher_alive_command(pid))
        return result.exit_status == 0

    async def _meminfo(self, key: str) -> int | None:
        proc = self.head.proc_root.rstrip("/")
        result = await self.host.ssh.run(
            self.head, RemoteCommand("cat", arg.path(f"{proc}/meminfo", "proc_root"))
        )
        for line in result.stdout.splitlines():
            name, _, rest = line.partition(":")
            if name == key and rest.split():
                return int(rest.split()[0]) * 1024
        return None

    def _url(self, path: str) -> str:
        return f"http://{self.head.url_host}:{self.settings.port}{path}"
