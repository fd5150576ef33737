"""Run builder-made commands on nodes over pooled asyncssh connections.

One connection per (address, port, user), opened on first use with an explicit key
(never an agent), kept alive, and replaced once when it turns out to have dropped.
Host keys are pinned on first use in a ``HostKeyStore`` or checked against a
known_hosts file. Commands either complete (``run``) or stream line by line under a
time cap (``stream``); a command that outlives its time is signalled and its channel
closed, which ends it on the node.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import asyncssh

from spark_control.errors import SparkError, Unavailable
from spark_control.ssh.command import Script, Value, write_secret_file
from spark_control.ssh.keys import HostKeyStore, fingerprint
from spark_control.ssh.validators import validate_env_name, validate_env_value

__all__ = [
    "CommandFailed",
    "CommandResult",
    "CommandTimeout",
    "HostKeyChanged",
    "SSHAuthFailed",
    "SSHExecutor",
    "SSHTarget",
    "SSHUnreachable",
    "Target",
]

log = logging.getLogger(__name__)


class SSHUnreachable(Unavailable):
    """The node could not be reached or refused us; the message says why."""

    type = "ssh_unreachable"

    def __init__(self, node: str, reason: str) -> None:
        super().__init__(f"node {node} is unreachable over SSH: {reason}", detail={"node": node})
        self.node = node
        self.reason = reason


class SSHAuthFailed(SSHUnreachable):
    """The node answered but did not accept our credentials."""

    type = "ssh_auth_failed"


class HostKeyChanged(SSHUnreachable):
    """The node presented a host key other than the pinned one; we refuse to talk to it."""

    type = "host_key_changed"

    def __init__(self, node: str, address: str, port: int, pinned: str, presented: str) -> None:
        super().__init__(
            node,
            f"host key of {address}:{port} changed (pinned {pinned}, presented {presented}); "
            "refusing to connect. If the node was reinstalled, forget its pinned key.",
        )
        self.pinned = pinned
        self.presented = presented


class CommandTimeout(SparkError):
    """A remote command ran longer than its timeout and was stopped."""

    status = 504
    type = "timeout"

    def __init__(self, node: str, timeout: float) -> None:
        super().__init__(
            f"command on node {node} did not finish within {timeout:g} s and was stopped",
            detail={"node": node, "timeout_s": timeout},
        )
        self.node = node
        self.timeout = timeout


class CommandFailed(SparkError):
    """A remote command exited non-zero where success was required."""

    status = 502
    type = "command_failed"

    def __init__(self, node: str, result: CommandResult) -> None:
        tail = result.stderr.strip()[-500:]
        super().__init__(
            f"command on node {node} exited with status {result.exit_status}: {tail}",
            detail={"node": node, "exit_status": result.exit_status},
        )
        self.node = node
        self.result = result


class SSHTarget(Protocol):
    """What the executor needs to know about a node (the topology's Node has these)."""

    @property
    def name(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def port(self) -> int: ...
    @property
    def user(self) -> str: ...
    @property
    def key_path(self) -> Path | str: ...


@dataclass(frozen=True)
class Target:
    """A plain SSHTarget, for tests and for callers without a topology Node."""

    name: str
    address: str
    user: str
    key_path: Path | str
    port: int = 22


@dataclass(frozen=True)
class CommandResult:
    exit_status: int
    stdout: str
    stderr: str
    duration_s: float

    @property
    def ok(self) -> bool:
        return self.exit_status == 0


_PoolKey = tuple[str, int, str]
#: Awaited before every remote action; raises when this replica may not act (it is not
#: the cluster's leader, spark_control.leadership). The one place every command passes.
Fence = Callable[[], Awaitable[None]]


class _Client(asyncssh.SSHClient):
    """Checks the node's host key against the pin store, pinning it on first use."""

    def __init__(self, store: HostKeyStore | None, address: str, port: int) -> None:
        self._store = store
        self._address = address
        self._port = port
        self.mismatch: tuple[str, str] | None = None
        self.pin_error: str | None = None
        self.lost = asyncio.Event()

    def validate_host_public_key(
        self, host: str, addr: str, port: int, key: asyncssh.SSHKey
    ) -> bool:
        # asyncssh asks only when the key is not among the pinned ones it was given.
        if self._store is None:
            return False
        pinned = self._store.get(self._address, self._port)
        if any(fingerprint(p) == fingerprint(key) for p in pinned):
            # Pinned meanwhile by a concurrent first connection (another user's pool).
            return True
        if pinned:
            self.mismatch = (fingerprint(pinned[0]), fingerprint(key))
            return False
        try:
            pinned_now = self._store.pin(self._address, self._port, key)
        except OSError as exc:
            # A read-only secrets_dir (a mounted secret) cannot take new pins.
            self.pin_error = f"cannot write {self._store.path}: {exc.strerror or exc}"
            return False
        if not pinned_now:
            # Another replica sharing the pins pinned a different key first.
            pinned = self._store.get(self._address, self._port)
            self.mismatch = (fingerprint(pinned[0]) if pinned else "?", fingerprint(key))
            return False
        log.info("pinned host key %s for %s:%s", fingerprint(key), self._address, self._port)
        return True

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost.set()


@dataclass
class _Pooled:
    conn: asyncssh.SSHClientConnection
    client: _Client
    # OpenSSH allows 10 sessions per connection by default (MaxSessions); stay below.
    sessions: asyncio.Semaphore

    @property
    def alive(self) -> bool:
        return not self.client.lost.is_set() and not self.conn.is_closed()


class SSHExecutor:
    """Pooled SSH command execution against nodes (any object shaped like SSHTarget)."""

    def __init__(
        self,
        *,
        host_keys: HostKeyStore | None = None,
        known_hosts: Path | str | None = None,
        connect_timeout: float = 10.0,
        command_timeout: float = 60.0,
        keepalive_interval: float = 15.0,
        keepalive_count_max: int = 3,
        max_sessions_per_connection: int = 8,
        fence: Fence | None = None,
    ) -> None:
        if (host_keys is None) == (known_hosts is None):
            raise ValueError("give exactly one of host_keys (pin on first use) or known_hosts")
        self._host_keys = host_keys
        self._known_hosts = Path(known_hosts) if known_hosts is not None else None
        self.connect_timeout = connect_timeout
        self.command_timeout = command_timeout
        self._keepalive_interval = keepalive_interval
        self._keepalive_count_max = keepalive_count_max
        self._max_sessions = max_sessions_per_connection
        self._pool: dict[_PoolKey, _Pooled] = {}
        self._locks: dict[_PoolKey, asyncio.Lock] = {}
        # Client keys read once per file version, not at every connection attempt
        # (about 0.15 ms of CPU each: a down node's probe retries every few seconds).
        self._keys: dict[str, tuple[tuple[int, int], Sequence[asyncssh.SSHKeyPair]]] = {}
        self.connections_opened = 0
        self.fence = fence

    # -- connections ---------------------------------------------------------

    def _known_hosts_arg(self, target: SSHTarget) -> Any:
        if self._known_hosts is not None:
            return str(self._known_hosts)
        assert self._host_keys is not None
        # Handing asyncssh the pinned keys (rather than nothing) makes it ask the node
        # for a key of the pinned type, so a node with several host keys stays stable.
        return (self._host_keys.get(target.address, target.port), [], [])

    def _client_keys(self, path: Path) -> Sequence[asyncssh.SSHKeyPair]:
        """The key pair at ``path`` (and its certificate, as asyncssh looks for one),
        read again only when the file changed."""
        stat = path.stat()
        version = (stat.st_mtime_ns, stat.st_size)
        cached = self._keys.get(str(path))
        if cached is not None and cached[0] == version:
            return cached[1]
        keys = asyncssh.load_keypairs([str(path)])
        self._keys[str(path)] = (version, keys)
        return keys

    def _untrusted(self, target: SSHTarget, where: str, client: _Client) -> SSHUnreachable:
        """Why the node's host key was not accepted."""
        if client.mismatch is not None:
            pinned, presented = client.mismatch
            return HostKeyChanged(target.name, target.address, target.port, pinned, presented)
        if client.pin_error is not None:
            return SSHUnreachable(
                target.name,
                f"the host key of {where} could not be pinned ({client.pin_error}); on a "
                "read-only gateway.secrets_dir set ssh.known_hosts to a file of the nodes' "
                "host keys",
            )
        source = self._known_hosts or "the pinned keys"
        return SSHUnreachable(target.name, f"host key of {where} is not trusted by {source}")

    async def _connect(self, target: SSHTarget, *, password: str | None = None) -> _Pooled:
        """Open a connection with the target's key, or (only for a key install) with a
        one-time ``password`` and no key at all."""
        client = _Client(self._host_keys, target.address, target.port)
        where = f"{target.address}:{target.port}"
        if password is None:
            auth: dict[str, Any] = {
                "client_keys": [],  # loaded in the try below, so a bad file is reported
                "preferred_auth": "publickey",
                "password": None,
            }
            credential = f"with key {target.key_path}"
        else:
            auth = {"client_keys": [], "preferred_auth": "password", "password": password}
            credential = "with the password given"
        if password is None:
            try:
                auth["client_keys"] = self._client_keys(Path(target.key_path))
            except (OSError, asyncssh.KeyImportError) as exc:
                # Our side, not the node's: nothing was dialled.
                reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
                raise SSHUnreachable(
                    target.name,
                    f"cannot read the gateway's SSH key {target.key_path}: {reason} (check "
                    "ssh.key_path / the node's key_path; without either the gateway makes "
                    "its own key, which `spark-control nodes install-key` puts on the node)",
                ) from None
        try:
            conn = await asyncssh.connect(
                target.address,
                target.port,
                username=target.user,
                agent_path=None,
                known_hosts=self._known_hosts_arg(target),
                client_factory=lambda: client,
                config=[],
                **auth,
                kbdint_auth=False,
                gss_auth=False,
                connect_timeout=self.connect_timeout,
                login_timeout=self.connect_timeout,
                keepalive_interval=self._keepalive_interval,
                keepalive_count_max=self._keepalive_count_max,
            )
        except asyncssh.HostKeyNotVerifiable:
            raise self._untrusted(target, where, client) from None
        except asyncssh.PermissionDenied:
            raise SSHAuthFailed(
                target.name,
                f"authentication failed at {where} for user {target.user!r} {credential}"
                + (
                    f" (is its public key in {target.user}'s authorized_keys there? "
                    f"`spark-control nodes install-key {target.name}` puts it there)"
                    if password is None
                    else ""
                ),
            ) from None
        except TimeoutError:
            raise SSHUnreachable(
                target.name, f"connecting to {where} timed out after {self.connect_timeout:g} s"
            ) from None
        except asyncssh.ConnectionLost:
            raise SSHUnreachable(target.name, f"{where} dropped the connection") from None
        except ConnectionRefusedError:
            raise SSHUnreachable(target.name, f"connection refused at {where}") from None
        except (OSError, asyncssh.Error, asyncssh.KeyImportError) as exc:
            reason = getattr(exc, "reason", None) or str(exc) or type(exc).__name__
            raise SSHUnreachable(target.name, f"cannot connect to {where}: {reason}") from None
        self.connections_opened += 1
        return _Pooled(conn, client, asyncio.Semaphore(self._max_sessions))

    @contextlib.asynccontextmanager
    async def password_connection(
        self, target: SSHTarget, password: str
    ) -> AsyncIterator[asyncssh.SSHClientConnection]:
        """A one-off connection logged in with ``password`` (never pooled, never kept).

        Host keys are checked exactly as for key logins. For installing a key on a node
        that does not accept the gateway's key yet; everything else uses ``run``.
        """
        if self.fence is not None:
            await self.fence()  # installing a key is a remote write
        entry = await self._connect(target, password=password)
        try:
            yield entry.conn
        finally:
            entry.conn.close()
            await entry.conn.wait_closed()

    async def _pooled(self, target: SSHTarget) -> tuple[_Pooled, bool]:
        """A live pooled connection for the target, and whether it was freshly opened."""
        key = (target.address, target.port, target.user)
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            entry = self._pool.get(key)
            if entry is not None and entry.alive:
                return entry, False
            if entry is not None:
                entry.conn.abort()
            entry = await self._connect(target)
            self._pool[key] = entry
            return entry, True

    def _discard(self, target: SSHTarget, entry: _Pooled) -> None:
        key = (target.address, target.port, target.user)
        if self._pool.get(key) is entry:
            del self._pool[key]
        entry.conn.abort()

    async def _open(
        self,
        target: SSHTarget,
        script: Script,
        env: Mapping[str, str] | None,
        observe: bool,
        **options: Any,
    ) -> tuple[asyncssh.SSHClientProcess[str], _Pooled]:
        """Open a session running ``script``; the caller releases ``entry.sessions``."""
        command = script.render()
        session_env = _checked_env(env)
        for attempt in (1, 2):
            entry, fresh = await self._pooled(target)
            await entry.sessions.acquire()
            try:
                if not observe and self.fence is not None:
                    # Last thing before the command starts: a leader that lost the lead
                    # while it waited (a pause, a slow connect) stops here.
                    await self.fence()
            except BaseException:
                entry.sessions.release()
                raise
            try:
                process = await entry.conn.create_process(
                    command, env=session_env, encoding="utf-8", errors="replace", **options
                )
            except (asyncssh.Error, OSError) as exc:
                entry.sessions.release()
                self._discard(target, entry)
                # A pooled connection that died while idle fails here, before the command
                # started, so opening it again on a new connection is safe.
                if fresh or attempt == 2:
                    raise SSHUnreachable(target.name, f"could not open a session: {exc}") from None
                log.info("connection to %s dropped; reconnecting", target.name)
                continue
            return process, entry
        raise AssertionError("unreachable")  # pragma: no cover

    # -- commands ------------------------------------------------------------

    async def run(
        self,
        target: SSHTarget,
        cmd: Script,
        *,
        stdin: str | None = None,
        # A parameter rather than asyncio.timeout around the call: on expiry the
        # remote command must be stopped too, not just abandoned.
        timeout: float | None = None,  # noqa: ASYNC109
        env: Mapping[str, str] | None = None,
        check: bool = False,
        observe: bool = False,
    ) -> CommandResult:
        """Run ``cmd`` to completion and return its exit status and output.

        Before it starts, the executor's fence is awaited (with several gateways, only
        the cluster's leader runs commands: ``NotLeader``, 503, elsewhere) unless
        ``observe`` says the command only reads (a probe, a fact, a listing): those
        run on every replica, so each can show the cluster.

        ``env`` goes through the SSH session's environment; a real sshd accepts only
        the names its ``AcceptEnv`` lists, so put values the command needs in a file
        or in ``RemoteCommand(env=...)`` unless the node is known to accept them.
        """
        limit = self.command_timeout if timeout is None else timeout
        started = time.monotonic()
        process, entry = await self._open(target, cmd, env, observe)
        try:
            if stdin:
                process.stdin.write(stdin)
            process.stdin.write_eof()
            try:
                async with asyncio.timeout(limit):
                    stdout, stderr = await process.communicate()
            except TimeoutError:
                _stop(process)
                raise CommandTimeout(target.name, limit) from None
        finally:
            process.close()
            entry.sessions.release()
        result = CommandResult(
            exit_status=_exit_status(process),
            stdout=stdout or "",
            stderr=stderr or "",
            duration_s=time.monotonic() - started,
        )
        if check and not result.ok:
            raise CommandFailed(target.name, result)
        return result

    async def stream(
        self,
        target: SSHTarget,
        cmd: Script,
        *,
        time_cap: float,
        env: Mapping[str, str] | None = None,
        observe: bool = False,
    ) -> AsyncGenerator[str, None]:
        """Yield output lines (stdout and stderr merged) as they arrive.

        Fenced as :meth:`run` is, unless ``observe``.

        The stream ends when the command exits or ``time_cap`` seconds have passed; on
        the cap, or when the consumer stops early, the remote command is stopped. Use
        ``contextlib.aclosing`` to stop it the moment the consumer breaks out.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + time_cap
        process, entry = await self._open(target, cmd, env, observe, stderr=asyncssh.STDOUT)
        try:
            process.stdin.write_eof()
            while True:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    async with asyncio.timeout(remaining):
                        line = await process.stdout.readline()
                except TimeoutError:
                    break
                if not line:
                    break
                yield line.rstrip("\r\n")
        finally:
            if process.exit_status is None and process.exit_signal is None:
                _stop(process)
            process.close()
            entry.sessions.release()

    async def write_secret(self, target: SSHTarget, path: Value, secret: str) -> None:
        """Store ``secret`` in ``path`` on the node with mode 0600, passing it on stdin."""
        await self.run(target, write_secret_file(path), stdin=secret, check=True)

    async def close(self) -> None:
        """Close every pooled connection."""
        entries = list(self._pool.values())
        self._pool.clear()
        for entry in entries:
            entry.conn.close()
        for entry in entries:
            await entry.conn.wait_closed()


def _checked_env(env: Mapping[str, str] | None) -> dict[str, str] | None:
    if not env:
        return None
    return {validate_env_name(k, "env"): validate_env_value(v, f"env.{k}") for k, v in env.items()}


def _stop(process: asyncssh.SSHClientProcess[str]) -> None:
    """Ask the node to end the command: a TERM signal, then closing the channel.

    OpenSSH (7.9+) delivers the signal; closing the channel ends what ignores it.
    """
    with contextlib.suppress(asyncssh.Error, OSError):
        process.send_signal("TERM")
    process.close()


def _exit_status(process: asyncssh.SSHClientProcess[str]) -> int:
    if process.exit_status is not None and process.exit_status >= 0:
        return process.exit_status
    # Killed by a signal: report it the way a shell would (128 + signal number).
    if process.exit_signal:
        try:
            return 128 + signal.Signals[f"SIG{process.exit_signal[0]}"].value
        except KeyError:
            pass
    return 255
