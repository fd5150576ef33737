"""``SimCluster``: the whole simulated cluster, running in a thread of its own.

Each node is a ``SimNodeServer`` (real SSH, real ``/bin/sh``) on its own loopback
address, 127.0.0.10, .11, ... (or distinct ports on 127.0.0.1 where only that address
is on loopback, as on macOS), with a sandbox ``root/nodes/<name>/`` holding its bin
dir (the core's stand-ins and every plugin's ``sim.command``), its ``proc`` view and
its users' homes. One controller owns container state for all nodes. The cluster runs
its own asyncio loop in a thread, so sync code (tests, the demo command) and async
code on another loop can both drive it; every control method marshals onto that loop.

With ``engine="docker"`` each node gets a real ``dockerd`` behind its ``docker``
(``engine.py``, ``engine_mode.py``, docs/ENGINE_MODE.md).

    with SimCluster(tmp_path, registry=collect_simulation(pm)) as cluster:
        config = {"nodes": cluster.topology_config()}
        cluster.fail("example/llm:*", "oom")
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self, TypeVar

import asyncssh

from spark_control.sim.controller import GIB_KB, Controller, NodeState
from spark_control.sim.engine_mode import EngineMode
from spark_control.sim.registry import SimRegistry
from spark_control.sim.sshd import SimNodeServer, make_client_key
from spark_control.sim.standins import FLAGS, SCRIPTS
from spark_control.sim.standins.docker_views import inspect_object
from spark_control.ssh.keys import GatewayKey, create_key_pair

__all__ = ["DEFAULT_NODES", "SimCluster", "SimNode", "SimNodeSpec"]

T = TypeVar("T")
_TIMEOUT_S = 30.0
# Unix socket paths are limited to 108 bytes; leave room.
_MAX_SOCKET_PATH = 100
_SWEEP_S = 3.0


@dataclass(frozen=True)
class SimNodeSpec:
    """What a simulated node should look like."""

    name: str
    role: Literal["head", "worker"] = "worker"
    mem_total_gb: float = 128.0
    mem_base_gb: float = 6.0
    disk_total_bytes: int = 3_720_000_000_000
    disk_free_bytes: int = 3_100_000_000_000
    labels: tuple[str, ...] = ()


DEFAULT_NODES = (SimNodeSpec("spark-1", "head"), SimNodeSpec("spark-2", "worker"))


@dataclass(frozen=True)
class SimNode:
    """A running simulated node, as a test or the gateway config needs to know it."""

    name: str
    role: str
    address: str
    ssh_port: int
    users: tuple[str, ...]
    keys: dict[str, Path]
    sandbox: Path
    proc_root: Path
    bin_dir: Path
    wg_address: str
    labels: tuple[str, ...] = field(default=())

    @property
    def user(self) -> str:
        return self.users[0]

    @property
    def key_path(self) -> Path:
        return self.keys[self.user]

    def home(self, user: str | None = None) -> Path:
        return self.sandbox / "home" / (user or self.user)


def can_bind(address: str) -> bool:
    """Whether this host has ``address`` on loopback (Linux has all of 127/8)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((address, 0))
        except OSError:
            return False
    return True


def _carrying(marker: bytes) -> list[int]:
    """Live processes (zombies are ended) whose environment contains ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if marker in environ and state != "Z":
            found.append(int(entry.name))
    return found


def _install(path: Path, text: str) -> None:
    path.write_text(text)
    path.chmod(0o755)


def _key(directory: Path, user: str) -> GatewayKey:
    """The user's key pair in ``directory``, created on first use, kept across restarts."""
    private = directory / f"{user}_ed25519"
    if private.exists():
        return GatewayKey(private, Path(f"{private}.pub").read_text().strip())
    return make_client_key(directory, user)


def _node_user_key(home: Path) -> str:
    """``~/.ssh/id_ed25519`` of a user on a node (for SSH to the other nodes)."""
    ssh_dir = home / ".ssh"
    ssh_dir.mkdir(parents=True, exist_ok=True)
    ssh_dir.chmod(0o700)
    private = ssh_dir / "id_ed25519"
    if private.exists():
        return Path(f"{private}.pub").read_text().strip()
    return create_key_pair(private, comment=f"{home.name}@{home.parent.parent.name}").public_openssh


def _host_key(path: Path) -> asyncssh.SSHKey:
    # Kept on disk so a restarted cluster presents the same host keys (pins stay valid).
    if path.exists():
        return asyncssh.read_private_key(path)
    key = asyncssh.generate_private_key("ssh-ed25519")
    path.write_bytes(key.export_private_key("openssh"))
    path.chmod(0o600)
    return key


class SimCluster:
    """The simulated cluster: nodes, controller, services; ``start()`` / ``stop()``."""

    def __init__(
        self,
        root: Path | str,
        *,
        nodes: Sequence[SimNodeSpec] = DEFAULT_NODES,
        registry: SimRegistry | None = None,
        users: Sequence[str] = ("alice",),
        realistic: bool = False,
        base_address: str = "127.0.0.10",
        fallback_single_address: bool | None = None,
        engine: Literal["docker"] | None = None,
    ) -> None:
        if not nodes:
            raise ValueError("a simulated cluster needs at least one node")
        if len({n.name for n in nodes}) != len(nodes):
            raise ValueError("simulated node names must be unique")
        if not users:
            raise ValueError("a simulated cluster needs at least one user")
        if engine not in (None, "docker"):
            raise ValueError("engine must be 'docker' or None (the stand-in)")
        #: ``"docker"``: a real dockerd per node behind its ``docker`` (see ``engine.py``).
        self.engine = engine
        self._engine_mode: EngineMode | None = None
        self.root = Path(root)
        self.specs = list(nodes)
        self.registry = registry or SimRegistry()
        self.users = tuple(users)
        self.realistic = realistic
        self.base_address = base_address
        self._fallback = fallback_single_address
        self.nodes: dict[str, SimNode] = {}
        self._servers: dict[str, SimNodeServer] = {}
        self._states: dict[str, NodeState] = {}
        self._ports: dict[str, int] = {}
        self._controller: Controller | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._socket_dir: Path | None = None
        self.socket_path: Path = self.root / "controller.sock"

    # -- info -------------------------------------------------------------------

    @property
    def fallback_single_address(self) -> bool:
        """True when every node listens on 127.0.0.1 (distinct ports)."""
        if self._fallback is None:
            second = ipaddress.ip_address(self.base_address) + 1
            self._fallback = not can_bind(str(second))
        return self._fallback

    @property
    def head(self) -> SimNode:
        spec = next((s for s in self.specs if s.role == "head"), self.specs[0])
        return self.nodes[spec.name]

    @property
    def workers(self) -> list[SimNode]:
        return [n for n in self.nodes.values() if n.name != self.head.name]

    def server(self, name: str) -> SimNodeServer:
        """The node's SSH server (its ``exec_log``, ``connections_accepted``, ...)."""
        return self._servers[name]

    def topology_config(self) -> dict[str, dict[str, Any]]:
        """The gateway YAML ``nodes:`` section for this cluster (first user's key)."""
        return {
            node.name: {
                "address": node.address,
                "port": node.ssh_port,
                "user": node.user,
                "key_path": str(node.key_path),
                "proc_root": str(node.proc_root),
                "disk_path": str(node.sandbox),
                "labels": list(node.labels),
            }
            for node in self.nodes.values()
        }

    # -- lifecycle --------------------------------------------------------------

    def start(self) -> None:
        """Start every node, the controller and the services; returns when all are up."""
        if self._thread is not None:
            raise RuntimeError("the simulated cluster is already running")
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="sim-cluster", daemon=True)
        thread.start()
        self._loop, self._thread = loop, thread
        try:
            asyncio.run_coroutine_threadsafe(self._start(), loop).result(_TIMEOUT_S)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop everything started, kill every process group spawned; keep the files."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(self._stop(), loop).result(_TIMEOUT_S)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(_TIMEOUT_S)
            loop.close()
            self._loop = self._thread = None
            self._sweep()
            if self._socket_dir is not None:
                shutil.rmtree(self._socket_dir, ignore_errors=True)
                self._socket_dir = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def _start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        keys = {user: _key(self.root / "keys", user) for user in self.users}
        self._place_socket()
        fallback = self.fallback_single_address
        base = ipaddress.ip_address(self.base_address)
        # Each user's key on every node, so the user can hop between nodes as themself.
        node_keys: dict[str, list[str]] = {user: [] for user in self.users}
        for index, spec in enumerate(self.specs):
            address = "127.0.0.1" if fallback else str(base + index)
            sandbox = self.root / "nodes" / spec.name
            bin_dir = sandbox / "bin"
            bin_dir.mkdir(parents=True, exist_ok=True)
            self._install_commands(bin_dir)
            for user in self.users:
                node_keys[user].append(_node_user_key(sandbox / "home" / user))
            self._states[spec.name] = NodeState(
                name=spec.name,
                index=index + 1,
                address=address,
                sandbox=sandbox,
                proc_root=sandbox / "proc",
                wg_address=f"10.66.0.{index + 1}/24",
                mem_total_kb=int(spec.mem_total_gb * GIB_KB),
                mem_base_kb=int(spec.mem_base_gb * GIB_KB),
                disk_total=spec.disk_total_bytes,
                disk_free=spec.disk_free_bytes,
            )
        head = next((s.name for s in self.specs if s.role == "head"), self.specs[0].name)
        if self.engine is not None:
            sandboxes = {name: state.sandbox for name, state in self._states.items()}
            extra = [self._socket_dir] if self._socket_dir is not None else []
            self._engine_mode = await asyncio.to_thread(
                EngineMode.start, self.root, sandboxes, extra
            )
        self._controller = Controller(
            self.socket_path,
            self.registry,
            self._states,
            realistic=self.realistic,
            head=head,
            engine=self._engine_mode,
        )
        await self._controller.start()
        hosts_file = self.root / "hosts.json"
        for spec in self.specs:
            state = self._states[spec.name]
            authorized = {
                user: [keys[user].public_openssh, *node_keys[user]] for user in self.users
            }
            server = SimNodeServer(
                state.sandbox,
                address=state.address,
                port=self._ports.get(spec.name, 0),
                users=authorized,
                host_key=_host_key(state.sandbox / "ssh_host_ed25519_key"),
                extra_path=[state.sandbox / "bin"],
                env={
                    "SPARK_SIM_NODE": spec.name,
                    "SPARK_SIM_SOCKET": str(self.socket_path),
                    "SPARK_SIM_HOSTS": str(hosts_file),
                    **self._docker_host(spec.name),
                },
            )
            try:
                await server.start()
            except OSError:
                if server.port == 0:
                    raise
                server.port = 0  # the previous run's port is taken now; any will do
                await server.start()
            self._servers[spec.name] = server
            self._ports[spec.name] = server.port
            self.nodes[spec.name] = SimNode(
                name=spec.name,
                role=spec.role,
                address=state.address,
                ssh_port=server.port,
                users=self.users,
                keys={user: keys[user].private_path for user in self.users},
                sandbox=state.sandbox,
                proc_root=state.proc_root,
                bin_dir=state.sandbox / "bin",
                wg_address=state.wg_address,
                labels=spec.labels or (spec.role,),
            )
        self._write_hosts(hosts_file)

    def _docker_host(self, node: str) -> dict[str, str]:
        if self._engine_mode is None:
            return {}
        return {"DOCKER_HOST": self._engine_mode.engines[node].host}

    def engine_host(self, node: str) -> str | None:
        """The node's ``DOCKER_HOST`` in engine mode (None with the stand-in)."""
        return self._docker_host(node).get("DOCKER_HOST")

    def _place_socket(self) -> None:
        if len(str(self.root / "controller.sock")) <= _MAX_SOCKET_PATH:
            self.socket_path = self.root / "controller.sock"
        else:
            self._socket_dir = Path(tempfile.mkdtemp(prefix="sparksim-"))
            self.socket_path = self._socket_dir / "controller.sock"

    def _install_commands(self, bin_dir: Path) -> None:
        for name, source in SCRIPTS.items():
            _install(bin_dir / name, f"#!{sys.executable} {FLAGS[name]}\n{source.read_text()}")
        # ``hostname`` answers the simulated node's name, not the machine's.
        _install(bin_dir / "hostname", '#!/bin/sh\nprintf "%s\\n" "$SPARK_SIM_NODE"\n')
        for command in self.registry.commands.values():
            script = command.script
            text = script.read_text() if isinstance(script, Path) else script
            _install(bin_dir / command.name, text)

    def _write_hosts(self, path: Path) -> None:
        hosts: dict[str, list[Any]] = {}
        for node in self.nodes.values():
            hosts[node.name] = [node.address, node.ssh_port]
            # With one shared address, only names tell nodes apart.
            hosts.setdefault(node.address, [node.address, node.ssh_port])
        path.write_text(json.dumps(hosts, indent=2))

    async def _stop(self) -> None:
        for server in self._servers.values():
            await server.stop()
        if self._controller is not None:
            await self._controller.stop()
        self._servers.clear()
        self._controller = None
        engine_mode, self._engine_mode = self._engine_mode, None
        if engine_mode is not None:
            await asyncio.to_thread(engine_mode.stop)

    def _sweep(self) -> None:
        """Kill anything still carrying this cluster's socket in its environment.

        Commands detached on a node (``nohup setsid ...``) leave every group we know
        of; they inherit the node environment, so this finds them (Linux only). Rounds
        repeat until none is left, since a killed process takes a moment to go.
        """
        if not Path("/proc").is_dir():
            return
        marker = f"SPARK_SIM_SOCKET={self.socket_path}\0".encode()
        deadline = time.monotonic() + _SWEEP_S
        while (found := _carrying(marker)) and time.monotonic() < deadline:
            for pid in found:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.01)

    # -- control (any thread) ------------------------------------------------------

    def _run(self, make: Callable[[], Awaitable[T]]) -> T:
        loop = self._loop
        if loop is None:
            raise RuntimeError("the simulated cluster is not running")
        if threading.current_thread() is self._thread:
            raise RuntimeError("call the cluster's sync methods from another thread")

        async def call() -> T:
            return await make()

        return asyncio.run_coroutine_threadsafe(call(), loop).result(_TIMEOUT_S)

    def _controller_or_fail(self) -> Controller:
        if self._controller is None:
            raise RuntimeError("the simulated cluster is not running")
        return self._controller

    def on_service_exit(self, callback: Callable[[str], None]) -> list[str]:
        """Call ``callback`` (in the cluster's thread) with the reason each simulated
        service that fails (exits non-zero) from now on failed; returns those that
        already did (a stand-in that could not bind its port fails at once)."""
        controller = self._controller_or_fail()
        controller.on_service_exit = callback
        return list(controller.service_exits)

    def set_node_down(self, name: str, down: bool) -> None:
        """Take a node off the network (SSH refused, connections cut) or bring it back."""
        server = self._servers[name]
        self._run(lambda: server.set_down(down))

    def drop_ssh(self, name: str) -> None:
        """Cut every SSH connection to the node, as a network blip would."""
        server = self._servers[name]

        async def drop() -> None:
            server.drop_connections()

        self._run(drop)

    def fail(self, target: str, mode: str) -> int:
        """Switch on a failure for a container name or an image pattern.

        Modes: ``exit`` (the process ends, exit status 1), ``oom`` (a CUDA OOM line in
        its log, exit status 137), ``hang`` and ``slow_health`` (passed to processes
        started from now on as ``SPARK_SIM_FAILURE``). Returns how many running
        containers it hit.
        """
        controller = self._controller_or_fail()

        async def fail() -> int:
            return controller.fail(target, mode)

        return self._run(fail)

    def clear_failures(self) -> None:
        """Switch failures off for new containers (running ones keep theirs)."""
        controller = self._controller_or_fail()

        async def clear() -> None:
            controller.clear_failures()

        self._run(clear)

    def set_disk(self, name: str, total_bytes: int, free_bytes: int) -> None:
        """Change what ``df`` reports on the node."""
        state = self._states[name]

        async def change() -> None:
            state.disk_total, state.disk_free = total_bytes, min(free_bytes, total_bytes)

        self._run(change)

    def set_memory(self, name: str, total_gb: float, base_gb: float | None = None) -> None:
        """Change the node's MemTotal (and the memory in use without containers)."""
        state = self._states[name]

        async def change() -> None:
            state.mem_total_kb = int(total_gb * GIB_KB)
            if base_gb is not None:
                state.mem_base_kb = int(base_gb * GIB_KB)
            state.write_proc()

        self._run(change)

    @property
    def active_calls(self) -> int:
        """Stand-in calls the controller is serving right now (streams included)."""
        controller = self._controller_or_fail()

        async def count() -> int:
            return controller.active_calls

        return self._run(count)

    def container(self, node: str, name: str) -> dict[str, Any] | None:
        """``docker inspect`` of a container, read directly (None if there is none); in
        engine mode, the node's real engine answers."""
        controller = self._controller_or_fail()
        if self._engine_mode is not None:
            return self._engine_mode.engines[node].inspect(name)
        state = self._states[node]

        async def look() -> dict[str, Any] | None:
            found = controller.find(state, name)
            return inspect_object(found, state) if found is not None else None

        return self._run(look)
