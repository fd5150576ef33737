"""The simulator controller: container state per node, served on a Unix socket.

Stand-ins on a simulated node (``docker``, ``nvidia-smi``, ``ip``, ``df``) are thin
clients: they send one JSON line ``{"node", "argv", "cwd", "env"}`` and print what comes
back, ``{"stdout": ...}`` / ``{"stderr": ...}`` lines and finally ``{"exit": N}``. A
reply of ``{"exec": {"argv", "env", "cwd"}}`` instead asks the stand-in to replace
itself with that program (``docker exec``, ``docker <plugin>``), so stdin and the SSH
session's process group stay with it. The client closing its socket (the SSH channel
went away) ends a stream such as ``docker logs -f``.

The controller owns every process it starts for containers and services: each runs in
its own session, and whatever is left of its group is killed when it exits, is stopped,
or the cluster stops. It also keeps each node's ``/proc`` view current.
"""

from __future__ import annotations

import asyncio
import contextlib
import fnmatch
import json
import logging
import os
import secrets
import signal
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spark_control.plugins import await_me_maybe
from spark_control.sim import logfile
from spark_control.sim.registry import (
    ContainerContext,
    ProcessSpec,
    SimImage,
    SimRegistry,
    SimService,
)

if TYPE_CHECKING:
    from spark_control.sim.engine_mode import EngineMode

__all__ = [
    "FAILURE_MODES",
    "Call",
    "Container",
    "ContainerEvent",
    "Controller",
    "NodeState",
    "SimError",
]

log = logging.getLogger(__name__)

FAILURE_MODES = ("exit", "hang", "slow_health", "oom")
GIB_KB = 1024 * 1024
#: A container's folder for the memory its processes report (see ``Container.memory_claims``).
MEMORY_CLAIMS = "memory"
_READ_LIMIT = 1 << 20
# How long after a start an ``exit``/``oom`` switch ends a new container: long enough
# for the process to have started, short enough for the suite.
_FAILURE_DELAY_S = 0.05
_RESTART_DELAY_S = 0.1
_MEMORY_POLL_S = 0.005
# Docker's daemon keeps the last 256 events for ``docker events --since``.
_EVENTS_KEPT = 256
_OOM_LINE = (
    "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a "
    "total capacity of 119.70 GiB of which 1.12 GiB is free. Including non-PyTorch memory, "
    "this process has 116.31 GiB memory in use. Of the allocated memory 112.40 GiB is "
    "allocated by PyTorch, and 2.05 GiB is reserved by PyTorch but unallocated."
)


class SimError(Exception):
    """A command failed the way the real tool fails: this message, this exit status."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Container:
    """One simulated container and the process that stands for it."""

    name: str
    id: str
    image: str
    sim_image: SimImage
    args: list[str]
    env: dict[str, str]
    labels: dict[str, str]
    mounts: list[str]
    network_mode: str
    log_path: Path
    auto_remove: bool = False
    restart_policy: str = "no"
    #: ``docker run --init``: docker-init is PID 1 and passes signals on.
    init: bool = False
    #: ``docker run --memory``, bytes: a main process above it is OOM-killed.
    memory_limit: int | None = None
    created: float = field(default_factory=time.time)
    status: str = "created"
    exit_code: int = 0
    started_at: float | None = None
    finished_at: float | None = None
    restart_count: int = 0
    oom_killed: bool = False
    failure: str | None = None
    argv: list[str] = field(default_factory=list)
    process_env: dict[str, str] = field(default_factory=dict)
    pid: int = 0
    ready_at: float = 0.0
    stopping: bool = False
    forced_exit: int | None = None
    process: asyncio.subprocess.Process | None = None
    waiter: asyncio.Task[None] | None = None
    extra_groups: list[int] = field(default_factory=list)

    @property
    def running(self) -> bool:
        return self.status == "running"

    @property
    def memory_gb(self) -> float:
        """The image's figure plus what processes in the container report holding."""
        return self.sim_image.memory_gb + sum(gib for _, gib, _ in self.memory_claims())

    def memory_claims(self) -> list[tuple[int, float, str]]:
        """``(pid, GiB, process name)`` of each live process of the container that reports
        the memory it holds: a JSON file ``{"pid", "gib", "name"}`` in the container's
        folder's ``memory/`` (a claim of a process that is gone counts for nothing)."""
        claims = []
        for path in sorted((self.log_path.parent / MEMORY_CLAIMS).glob("*.json")):
            with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
                data = json.loads(path.read_text())
                pid, gib = int(data["pid"]), float(data["gib"])
                if gib > 0 and process_alive(pid):
                    claims.append((pid, gib, str(data.get("name") or "")))
        return claims

    def health(self) -> str | None:
        """Docker's ``State.Health.Status``, or None when the image declares no check."""
        if not self.sim_image.healthcheck:
            return None
        if not self.running:
            return "unhealthy"
        if self.failure == "hang" or time.monotonic() < self.ready_at:
            return "starting"
        return "healthy"


@dataclass(frozen=True)
class ContainerEvent:
    """One ``docker events`` record of a container."""

    node: str
    time: float
    action: str  # die, oom
    id: str
    name: str
    image: str
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass
class NodeState:
    """What the controller knows of one node: its figures and its containers."""

    name: str
    index: int
    address: str
    sandbox: Path
    proc_root: Path
    wg_address: str
    mem_total_kb: int
    mem_base_kb: int
    disk_total: int
    disk_free: int
    boot: float = field(default_factory=time.monotonic)
    containers: dict[str, Container] = field(default_factory=dict)
    #: In engine mode: what the real engine's running containers take (their images'
    #: ``memory_gb``), refreshed after each state change and every second.
    engine_memory_gb: float = 0.0

    def running(self) -> list[Container]:
        return [c for c in self.containers.values() if c.running]

    def memory_in_use_kb(self) -> int:
        return int((sum(c.memory_gb for c in self.running()) + self.engine_memory_gb) * GIB_KB)

    def gpu_busy(self) -> bool:
        return self.engine_memory_gb > 0 or any(c.memory_gb > 0 for c in self.running())

    def write_proc(self) -> None:
        """Rewrite ``meminfo`` and ``uptime`` in the node's ``proc_root``."""
        self.proc_root.mkdir(parents=True, exist_ok=True)
        available = max(self.mem_total_kb - self.mem_base_kb - self.memory_in_use_kb(), 0)
        free = max(available - self.mem_total_kb // 50, 0)
        rows = [
            ("MemTotal", self.mem_total_kb),
            ("MemFree", free),
            ("MemAvailable", available),
            ("Buffers", 1024 * 96),
            ("Cached", self.mem_total_kb // 50),
            ("SwapCached", 0),
            ("SwapTotal", 0),
            ("SwapFree", 0),
        ]
        # Linux pads the label to 16 columns and the figure to 8 (meminfo.c).
        _replace(self.proc_root / "meminfo", "".join(f"{k + ':':<16}{v:>8} kB\n" for k, v in rows))
        up = time.monotonic() - self.boot
        _replace(self.proc_root / "uptime", f"{up:.2f} {up * 19.5:.2f}\n")


def _replace(path: Path, text: str) -> None:
    # Write then rename, so a reader over SSH never sees a half-written file.
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def kill_group(pgid: int, signum: int = signal.SIGKILL) -> None:
    """Signal a whole process group, ignoring one that is already gone."""
    if pgid > 0:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signum)


def kill_group_leader(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signum)


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def _resident_bytes(pid: int) -> int | None:
    """Resident memory of process ``pid`` (None when it is gone or there is no /proc)."""
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def catches(pid: int, signum: int) -> bool:
    """Whether process ``pid`` has a handler for ``signum`` (``SigCgt`` in its status)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True  # no /proc (macOS): assume it does, as before
    for line in status.splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) >> (signum - 1) & 1)
    return True


class Call:
    """One stand-in invocation: its arguments, and the way back to the stand-in."""

    def __init__(
        self,
        controller: Controller,
        node: NodeState,
        argv: list[str],
        cwd: str,
        env: dict[str, str],
        writer: asyncio.StreamWriter,
    ) -> None:
        self.controller = controller
        self.node = node
        self.argv = argv
        self.cwd = cwd
        self.env = env
        self.gone = asyncio.Event()
        self.exec_spec: dict[str, Any] | None = None
        self._writer = writer

    def _send(self, message: dict[str, Any]) -> None:
        if not self.gone.is_set() and not self._writer.is_closing():
            self._writer.write(json.dumps(message).encode() + b"\n")

    def out(self, text: str) -> None:
        if text:
            self._send({"stdout": text})

    def err(self, text: str) -> None:
        if text:
            self._send({"stderr": text})

    async def flush(self) -> None:
        with contextlib.suppress(ConnectionError):
            await self._writer.drain()

    def exec(self, argv: list[str], env: Mapping[str, str], cwd: str) -> None:
        """Have the stand-in replace itself with ``argv`` (it keeps stdin and the group)."""
        self.exec_spec = {"argv": argv, "env": dict(env), "cwd": cwd}

    def finish(self, code: int) -> None:
        if self.exec_spec is not None:
            self._send({"exec": self.exec_spec})
        else:
            self._send({"exit": code})


Handler = Callable[[Call], Awaitable[int]]


@dataclass
class _Service:
    spec: SimService
    node: NodeState
    process: asyncio.subprocess.Process


class Controller:
    """Container state for every node, and the socket the stand-ins talk to."""

    def __init__(
        self,
        socket_path: Path,
        registry: SimRegistry,
        nodes: Mapping[str, NodeState],
        *,
        realistic: bool = False,
        head: str | None = None,
        engine: EngineMode | None = None,
    ) -> None:
        self.socket_path = socket_path
        #: Engine mode: the real daemons and what containers need (None: the stand-in).
        self.engine = engine
        self.registry = registry
        self.nodes = dict(nodes)
        self.realistic = realistic
        self.head = head or next(iter(self.nodes))
        self.failures: list[tuple[str, str]] = []
        self.services: dict[str, _Service] = {}
        #: Why each service that failed on its own failed (a stand-in that could not bind
        #: its port exits at once): said aloud, never silent.
        self.service_exits: list[str] = []
        #: Called (in the controller's loop) with each of those reasons as it happens.
        self.on_service_exit: Callable[[str], None] | None = None
        self._stopping = False
        self._server: asyncio.AbstractServer | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Future[Any]] = set()
        self._log_pumps: dict[int, list[asyncio.Future[Any]]] = {}
        self._handlers: dict[str, Handler] = {}
        #: Stand-in calls in progress (a ``logs -f`` whose client went away ends).
        self.active_calls = 0
        #: Container events for ``docker events`` (``die``, ``oom``), newest last; kept
        #: past the container's removal as the daemon's event buffer keeps them.
        self.events: deque[ContainerEvent] = deque(maxlen=_EVENTS_KEPT)

    # -- lifecycle ------------------------------------------------------------

    async def start(self) -> None:
        from spark_control.sim.standins import handlers

        self._handlers = handlers(engine=self.engine is not None)
        for node in self.nodes.values():
            node.write_proc()
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()
        self._server = await asyncio.start_unix_server(
            self._serve, path=str(self.socket_path), limit=_READ_LIMIT
        )
        self._ticker = asyncio.create_task(self._tick())
        for service in self.registry.services.values():
            await self._start_service(service)
        if self.engine is not None:
            self.spawn(self._tick_engine())

    async def stop(self) -> None:
        self._stopping = True
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._ticker is not None:
            self._ticker.cancel()
            self._ticker = None
        for node in self.nodes.values():
            for container in list(node.containers.values()):
                container.stopping = True
                await self._kill(container)
        for service in self.services.values():
            kill_group(service.process.pid)
            await service.process.wait()
        self.services.clear()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()

    def spawn(self, coro: Awaitable[Any]) -> asyncio.Future[Any]:
        """Run ``coro`` in the background, cancelled at stop."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _drain_log(self, pid: int) -> None:
        """Let the log pumps of a finished process write its last lines."""
        pumps = self._log_pumps.pop(pid, [])
        if pumps:
            await asyncio.wait(pumps, timeout=2)

    async def refresh_engine(self, node: NodeState) -> None:
        """Engine mode: what the node's running containers take, into its ``/proc``."""
        if self.engine is None:
            return
        images = await asyncio.to_thread(self.engine.engines[node.name].running_images)
        found = (self.registry.image_for(image) for image in images)
        node.engine_memory_gb = sum(i.memory_gb for i in found if i is not None)
        node.write_proc()

    async def _tick_engine(self) -> None:
        # Containers also end by themselves (a crash, an OOM kill): look every second.
        while True:
            await asyncio.sleep(1.0)
            for node in self.nodes.values():
                await self.refresh_engine(node)

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(1.0)
            for node in self.nodes.values():
                node.write_proc()

    # -- the socket -------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = json.loads(await reader.readline())
            node = self.nodes[str(request["node"])]
            argv = [str(a) for a in request["argv"]]
            cwd = str(request.get("cwd") or node.sandbox)
            env = {str(k): str(v) for k, v in dict(request.get("env") or {}).items()}
            if not argv:
                raise ValueError("empty argv")
        except (ValueError, KeyError, TypeError) as exc:
            writer.write(json.dumps({"stderr": f"sim: bad request: {exc}\n"}).encode() + b"\n")
            writer.write(b'{"exit": 1}\n')
            await _close(writer)
            return
        call = Call(self, node, argv, cwd, env, writer)
        watcher = asyncio.create_task(_watch_eof(reader, call.gone))
        self.active_calls += 1
        try:
            code = await self._dispatch(call)
            call.finish(code)
            await call.flush()
        finally:
            self.active_calls -= 1
            watcher.cancel()
            await _close(writer)

    async def _dispatch(self, call: Call) -> int:
        program = os.path.basename(call.argv[0])
        handler = self._handlers.get(program)
        if handler is None:
            call.err(f"sim: no stand-in for {program}\n")
            return 127
        try:
            return await handler(call)
        except SimError as exc:
            call.err(exc.message if exc.message.endswith("\n") else exc.message + "\n")
            return exc.code
        except Exception:
            log.exception("stand-in %s failed: %s", program, call.argv)
            call.err(f"{program}: internal error in the simulator\n")
            return 1

    # -- containers -----------------------------------------------------------

    def find(self, node: NodeState, ref: str) -> Container | None:
        """A container by name, full id or unique id prefix, as docker resolves them."""
        if ref in node.containers:
            return node.containers[ref]
        matches = [c for c in node.containers.values() if len(ref) >= 1 and c.id.startswith(ref)]
        return matches[0] if len(matches) == 1 else None

    def failure_for(self, container: Container) -> str | None:
        return self.failure_of(container.name, container.image)

    def failure_of(self, name: str, image: str) -> str | None:
        """The failure switched on for a container of this name or image, if any."""
        found: str | None = None
        for target, mode in self.failures:
            if target == name or fnmatch.fnmatchcase(image, target):
                found = mode
        return found

    async def start_container(self, node: NodeState, container: Container) -> None:
        """Start the process for ``container`` (new, or exited and started again)."""
        container.failure = self.failure_for(container)
        container.stopping = False
        container.forced_exit = None
        container.oom_killed = False
        container.log_path.parent.mkdir(parents=True, exist_ok=True)
        ctx = ContainerContext(
            node=node.name,
            address=node.address,
            name=container.name,
            image=container.image,
            args=list(container.args),
            env=dict(container.env),
            mounts=list(container.mounts),
            realistic=self.realistic,
            failure=container.failure,
            log_path=container.log_path,
            sandbox=node.sandbox,
        )
        spec = await self.spec_for(container.sim_image.start, ctx)
        env = self._process_env(node, container.env, spec, container.failure)
        process = await self._spawn(spec.argv, env, node, container.log_path)
        container.argv = list(spec.argv)
        container.process_env = env
        container.process = process
        container.pid = process.pid
        container.status = "running"
        container.started_at = time.time()
        container.ready_at = time.monotonic() + spec.ready_after_s
        container.waiter = asyncio.create_task(self._wait(node, container, process))
        node.write_proc()
        if container.failure in ("exit", "oom"):
            mode = container.failure
            self.spawn(self._fail_later(container, process, mode))
        if container.memory_limit is not None:
            self.spawn(self._enforce_memory(container, process, container.memory_limit))

    async def spec_for(self, start: Callable[..., Any], ctx: ContainerContext) -> ProcessSpec:
        spec = await await_me_maybe(start(ctx))
        if not isinstance(spec, ProcessSpec) or not spec.argv:
            raise SimError(f"sim: start function for {ctx.image or ctx.name} returned {spec!r}")
        return spec

    def _process_env(
        self, node: NodeState, env: Mapping[str, str], spec: ProcessSpec, failure: str | None
    ) -> dict[str, str]:
        merged = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "HOME": str(node.sandbox),
            **env,
            **spec.env,
            "SPARK_SIM_NODE": node.name,
            "SPARK_SIM_SOCKET": str(self.socket_path),
        }
        if failure is not None:
            merged["SPARK_SIM_FAILURE"] = failure
        return merged

    async def _spawn(
        self, argv: list[str], env: Mapping[str, str], node: NodeState, log_path: Path
    ) -> asyncio.subprocess.Process:
        try:
            process = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                cwd=node.sandbox,
                env=dict(env),
                # Its own group, so stopping a container ends all it started.
                start_new_session=True,
            )
        except OSError as exc:
            raise SimError(
                "docker: Error response from daemon: failed to create task for container: "
                "failed to create shim task: OCI runtime create failed: runc create failed: "
                f'unable to start container process: exec: "{argv[0]}": {exc.strerror}: '
                "unknown.",
                127,
            ) from None
        assert process.stdout is not None and process.stderr is not None
        self._log_pumps[process.pid] = [
            self.spawn(logfile.pump(process.stdout, "stdout", log_path)),
            self.spawn(logfile.pump(process.stderr, "stderr", log_path)),
        ]
        return process

    async def _wait(
        self, node: NodeState, container: Container, process: asyncio.subprocess.Process
    ) -> None:
        status = await process.wait()
        # The container's init is gone: nothing else of it may outlive it.
        kill_group(process.pid)
        for pgid in container.extra_groups:
            kill_group(pgid)
        container.extra_groups.clear()
        await self._drain_log(process.pid)
        if container.forced_exit is not None:
            code = container.forced_exit
        else:
            code = 128 - status if status < 0 else status
        container.exit_code = code
        container.finished_at = time.time()
        container.status = "exited"
        self.record(container, "die", exitCode=str(code))
        node.write_proc()
        if container.stopping:
            if container.auto_remove:
                node.containers.pop(container.name, None)
            return
        if self._restarts(container, code):
            container.status = "restarting"
            self.spawn(self._restart(node, container))
        elif container.auto_remove:
            node.containers.pop(container.name, None)

    @staticmethod
    def _restarts(container: Container, code: int) -> bool:
        """Docker's restart policies: no, always, unless-stopped, on-failure[:max]."""
        name, _, limit = container.restart_policy.partition(":")
        if name in ("always", "unless-stopped"):
            return True
        if name == "on-failure" and code != 0:
            return not limit.isdigit() or container.restart_count < int(limit)
        return False

    async def _restart(self, node: NodeState, container: Container) -> None:
        # Docker doubles the delay after each restart (capped), so a crash loop backs off.
        await asyncio.sleep(min(_RESTART_DELAY_S * 2**container.restart_count, 5.0))
        if container.status == "restarting" and node.containers.get(container.name) is container:
            container.restart_count += 1
            try:
                await self.start_container(node, container)
            except SimError:
                container.status = "exited"

    async def _fail_later(
        self, container: Container, process: asyncio.subprocess.Process, mode: str
    ) -> None:
        await asyncio.sleep(_FAILURE_DELAY_S)
        if container.process is process and container.running:
            self.apply_failure(container, mode)

    async def _enforce_memory(
        self, container: Container, process: asyncio.subprocess.Process, limit: int
    ) -> None:
        """``--memory``: the kernel OOM-kills a container that goes above its limit
        (exit 137, ``OOMKilled``); here the main process's resident size is watched."""
        while container.process is process and container.running:
            resident = _resident_bytes(process.pid)
            if resident is None:
                return
            if resident > limit:
                container.forced_exit = 137
                container.oom_killed = True
                kill_group(process.pid)
                return
            await asyncio.sleep(_MEMORY_POLL_S)

    def apply_failure(self, container: Container, mode: str) -> None:
        """End a running container now the way ``mode`` says (``exit`` or ``oom``)."""
        if not container.running or container.process is None:
            return
        if mode == "oom":
            logfile.append(container.log_path, "stderr", _OOM_LINE + "\n")
            container.forced_exit = 137
            container.oom_killed = True
            self.record(container, "oom")
        else:
            container.forced_exit = 1
        kill_group(container.process.pid)

    async def stop_container(self, container: Container, grace_s: float) -> None:
        """``docker stop``: SIGTERM to the container's PID 1, SIGKILL after ``grace_s``.

        As on a real engine, the main process of a container is PID 1 of its namespace,
        which ignores a signal it has no handler for: ``sleep infinity`` is not ended by
        SIGTERM, and ``docker stop`` waits the whole grace period, then SIGKILLs (137).
        With ``--init``, docker-init is PID 1 and passes SIGTERM on (143).
        """
        container.stopping = True
        if container.status == "restarting":
            container.status = "exited"
        if not container.running or container.process is None or container.waiter is None:
            return
        pid = container.process.pid
        if container.init:
            kill_group(pid, signal.SIGTERM)  # docker-init passes it on to the command
        elif catches(pid, signal.SIGTERM):
            kill_group_leader(pid, signal.SIGTERM)
        # Otherwise the signal is lost: as PID 1 of its container, a process that does
        # not handle SIGTERM ignores it (``sleep infinity``), so stop waits the grace.
        try:
            await asyncio.wait_for(asyncio.shield(container.waiter), grace_s)
        except TimeoutError:
            await self._kill(container)

    async def _kill(self, container: Container) -> None:
        if container.process is not None and container.running:
            kill_group(container.process.pid)
        if container.waiter is not None:
            await asyncio.shield(container.waiter)

    async def remove_container(self, node: NodeState, container: Container, force: bool) -> None:
        """``docker rm``: refuse a running container unless forced (then SIGKILL)."""
        if container.running and not force:
            raise SimError(
                f'Error response from daemon: cannot remove container "/{container.name}": '
                "container is running: stop the container before removing or force remove"
            )
        container.stopping = True
        await self._kill(container)
        node.containers.pop(container.name, None)
        with contextlib.suppress(FileNotFoundError):
            container.log_path.unlink()

    def record(self, container: Container, action: str, **attributes: str) -> None:
        """Note a container event, as the daemon reports it to ``docker events``."""
        node = next(
            (
                n.name
                for n in self.nodes.values()
                if any(c is container for c in n.containers.values())
            ),
            "",
        )
        self.events.append(
            ContainerEvent(
                node=node,
                time=time.time(),
                action=action,
                id=container.id,
                name=container.name,
                image=container.image,
                attributes=attributes,
            )
        )

    def new_id(self) -> str:
        return secrets.token_hex(32)

    # -- failure switches -------------------------------------------------------

    def fail(self, target: str, mode: str) -> int:
        """Switch on ``mode`` for containers named ``target`` or whose image matches it.

        ``exit`` and ``oom`` end matching running containers now and new ones right
        after they start; ``hang`` and ``slow_health`` reach only processes started
        from now on, as ``SPARK_SIM_FAILURE`` (and ``hang`` keeps their healthcheck
        ``starting``): a running process cannot learn of them. Returns how many running
        containers it ended.
        """
        if mode not in FAILURE_MODES:
            raise ValueError(f"failure mode must be one of {', '.join(FAILURE_MODES)}")
        if self.engine is not None and mode in ("exit", "oom"):
            # The real engine decides how a container ends; a real OOM needs --memory.
            raise ValueError(
                f"failure mode {mode!r} is the stand-in's; in engine mode use a real "
                "exit or a real OOM kill (docker run --memory ...)"
            )
        self.failures.append((target, mode))
        hit = 0
        for node in self.nodes.values():
            for container in node.running():
                if mode in ("exit", "oom") and self.failure_for(container) == mode:
                    hit += 1
                    container.failure = mode
                    self.apply_failure(container, mode)
        return hit

    def clear_failures(self) -> None:
        """Switch every failure off for containers started from now on.

        A running container keeps what it was started with (its process still has
        ``SPARK_SIM_FAILURE`` in its environment); restart it to clear it.
        """
        self.failures.clear()

    # -- services ---------------------------------------------------------------

    async def _start_service(self, service: SimService) -> None:
        node = self.nodes.get(service.node or self.head)
        if node is None:
            raise ValueError(f"service {service.name!r} names an unknown node {service.node!r}")
        if self.engine is not None:
            await self.engine.start_service(self, service, node)
            return
        log_path = node.sandbox / "services" / f"{service.name}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        ctx = ContainerContext(
            node=node.name,
            address=node.address,
            name=service.name,
            image="",
            args=[],
            env={},
            mounts=[],
            realistic=self.realistic,
            failure=None,
            log_path=log_path,
            sandbox=node.sandbox,
        )
        spec = await self.spec_for(service.start, ctx)
        process = await self._spawn(
            spec.argv, self._process_env(node, {}, spec, None), node, log_path
        )
        self.services[service.name] = _Service(service, node, process)
        self.spawn(self._watch_service(service.name, node, process, log_path))

    async def _watch_service(
        self, name: str, node: NodeState, process: asyncio.subprocess.Process, log_path: Path
    ) -> None:
        code = await process.wait()
        # Status 0 is a one-shot service that did its job (one that sets up a repository).
        if code == 0 or self._stopping:
            return
        await self._drain_log(process.pid)
        records, _ = logfile.read_records(log_path, 0)
        last = records[-1].text.strip() if records else "(no output)"
        reason = (
            f"simulated service {name} on {node.name} ({node.address}) exited with "
            f"status {code}: {last} (log: {log_path})"
        )
        log.error("%s", reason)
        self.service_exits.append(reason)
        if self.on_service_exit is not None:
            self.on_service_exit(reason)


async def _watch_eof(reader: asyncio.StreamReader, gone: asyncio.Event) -> None:
    # The stand-in sends nothing after its request: end of file means it went away.
    with contextlib.suppress(ConnectionError):
        while await reader.read(4096):
            pass
    gone.set()


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(ConnectionError, OSError):
        await writer.wait_closed()
