"""A simulated node: a real SSH server on a loopback address running commands in /bin/sh.

Every exec request becomes ``/bin/sh -c <command>`` in the node's sandbox folder, with
``HOME`` under the sandbox, optional stand-in directories first on ``PATH`` and the
client's session environment on top. Output streams back as it is produced, stdin is
passed through, and closing the channel kills the command's process group, as a hang-up
would on a real node. Switches let tests drop connections or take the node down.
"""

from __future__ import annotations

import asyncio
import contextlib
import fnmatch
import hmac
import os
import signal
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Self

import asyncssh

from spark_control.ssh.keys import GatewayKey, create_key_pair

__all__ = ["ExecRecord", "SimNodeServer", "make_client_key"]

_BASE_PATH = "/usr/local/bin:/usr/bin:/bin"
# What Debian's and Ubuntu's stock sshd_config accepts from clients.
DEFAULT_ACCEPT_ENV = ("LANG", "LC_*")


def make_client_key(directory: Path | str, user: str) -> GatewayKey:
    """Generate an ed25519 key pair for ``user`` in ``directory`` (for tests and the demo)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    return create_key_pair(directory / f"{user}_ed25519", comment=f"{user}@sim")


@dataclass(frozen=True)
class ExecRecord:
    """One exec request as the node saw it: who, what, and which env names were set."""

    user: str
    command: str
    env: Mapping[str, str] = field(default_factory=dict)
    at: float = field(default_factory=time.time)


class _Session(asyncssh.SSHServerSession[bytes]):
    """One exec channel, bridged to a /bin/sh subprocess in its own process group."""

    def __init__(self, node: SimNodeServer, user: str) -> None:
        self._node = node
        self._user = user
        self._chan: asyncssh.SSHServerChannel[bytes] | None = None
        self._command: str | None = None
        self._stdin: asyncio.Queue[bytes | None] = asyncio.Queue()
        self._proc: asyncio.subprocess.Process | None = None
        self._closed = False

    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self._chan = chan

    def shell_requested(self) -> bool:
        return False  # exec only: the gateway never asks for an interactive shell

    def exec_requested(self, command: str) -> bool:
        self._command = command
        return True

    def session_started(self) -> None:
        assert self._chan is not None and self._command is not None
        # Like sshd's AcceptEnv: only allowed names of the client's environment pass.
        env = {
            name: value
            for name, value in self._chan.get_environment().items()
            if self._node.accepts_env(name)
        }
        self._node.exec_log.append(ExecRecord(self._user, self._command, env))
        self._node.track(asyncio.create_task(self._run(self._command, env)))

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        self._stdin.put_nowait(data)

    def eof_received(self) -> bool:
        self._stdin.put_nowait(None)
        return True  # keep our side open: output may still be coming

    def signal_received(self, signal_name: str) -> None:
        signum = getattr(signal, f"SIG{signal_name}", None)
        if signum is not None:
            self._kill(signum)

    def connection_lost(self, exc: Exception | None) -> None:
        # The pumps then see end-of-file and the run task finishes on its own. A command
        # still being spawned is killed by _run as soon as it exists.
        self._closed = True
        self._kill(signal.SIGKILL)

    def _kill(self, signum: int) -> None:
        if self._proc is not None and self._proc.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._proc.pid, signum)

    async def _run(self, command: str, session_env: dict[str, str]) -> None:
        assert self._chan is not None
        chan = self._chan
        try:
            self._proc = await asyncio.create_subprocess_exec(
                "/bin/sh",
                "-c",
                command,
                # sshd starts every command in the user's home folder.
                cwd=self._node.home(self._user),
                env=self._node.environment(self._user, session_env),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                # Its own process group, so closing the channel can end the whole job.
                start_new_session=True,
            )
        except OSError as exc:
            chan.write_stderr(f"sim: cannot start /bin/sh: {exc}\n".encode())
            chan.exit(127)
            return
        proc = self._proc
        if self._closed:
            self._kill(signal.SIGKILL)  # the channel went away while we were spawning
        assert proc.stdin and proc.stdout and proc.stderr
        feeder = asyncio.create_task(self._feed(proc.stdin))
        try:
            await asyncio.gather(
                self._pump(proc.stdout, chan.write),
                self._pump(proc.stderr, chan.write_stderr),
            )
            status = await proc.wait()
        finally:
            feeder.cancel()
            if proc.returncode is None:
                self._kill(signal.SIGKILL)
                await asyncio.shield(proc.wait())
        # The shell itself killed by a signal is reported as sshd does: exit-signal.
        with contextlib.suppress(asyncssh.Error, OSError, ValueError):
            if status >= 0:
                chan.exit(status)
            else:
                chan.exit_with_signal(signal.Signals(-status).name.removeprefix("SIG"))

    async def _feed(self, stdin: asyncio.StreamWriter) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            while (chunk := await self._stdin.get()) is not None:
                stdin.write(chunk)
                await stdin.drain()
        stdin.close()

    @staticmethod
    async def _pump(stream: asyncio.StreamReader, write: object) -> None:
        while chunk := await stream.read(65536):
            with contextlib.suppress(asyncssh.Error, OSError):
                write(chunk)  # type: ignore[operator]


class _Server(asyncssh.SSHServer):
    """Per-connection server: public-key auth against the node's per-user keys and the
    user's own ``~/.ssh/authorized_keys`` (as sshd reads it), and password auth for users
    given a password."""

    def __init__(self, node: SimNodeServer) -> None:
        self._node = node
        self._conn: asyncssh.SSHServerConnection | None = None
        self._user = ""

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        self._node.connections.add(conn)
        self._node.connections_accepted += 1

    def connection_lost(self, exc: Exception | None) -> None:
        if self._conn is not None:
            self._node.connections.discard(self._conn)

    def begin_auth(self, username: str) -> bool:
        self._user = username
        # Always replace the key set: asyncssh calls this again when the client switches
        # user names mid-authentication, and one user's keys must never log in another.
        keys = [*self._node.authorized_keys.get(username, []), *self._node.key_file(username)]
        if self._conn is not None:
            self._conn.set_authorized_keys(asyncssh.import_authorized_keys("\n".join(keys)))
        return True

    def public_key_auth_supported(self) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return self._user in self._node.passwords

    def validate_password(self, username: str, password: str) -> bool:
        expected = self._node.passwords.get(username)
        return expected is not None and hmac.compare_digest(expected.encode(), password.encode())

    def session_requested(self) -> asyncssh.SSHServerSession[bytes]:
        return _Session(self._node, self._user)


class SimNodeServer:
    """An SSH server on ``address:port`` (port 0 picks a free one) for a simulated node."""

    def __init__(
        self,
        sandbox: Path | str,
        *,
        address: str = "127.0.0.1",
        port: int = 0,
        users: Mapping[str, Sequence[str]] | None = None,
        host_key: asyncssh.SSHKey | None = None,
        extra_path: Sequence[Path | str] = (),
        env: Mapping[str, str] | None = None,
        accept_env: Sequence[str] = DEFAULT_ACCEPT_ENV,
        passwords: Mapping[str, str] | None = None,
    ) -> None:
        """``users`` maps each user to its authorized public keys; ``passwords`` gives
        some users a password too (password login, as for a first key install)."""
        self.sandbox = Path(sandbox)
        self.passwords = dict(passwords or {})
        self.accept_env = tuple(accept_env)
        self.address = address
        self.port = port
        self.authorized_keys: dict[str, list[str]] = {u: list(k) for u, k in (users or {}).items()}
        self.host_key = host_key or asyncssh.generate_private_key("ssh-ed25519")
        self.extra_path = [Path(p) for p in extra_path]
        self.extra_env = dict(env or {})
        self.exec_log: list[ExecRecord] = []
        self.connections: set[asyncssh.SSHServerConnection] = set()
        self.connections_accepted = 0
        self._server: asyncssh.SSHAcceptor | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._down = False

    def accepts_env(self, name: str) -> bool:
        """Whether sshd's ``AcceptEnv`` patterns let the client set ``name``."""
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in self.accept_env)

    @property
    def host_key_fingerprint(self) -> str:
        return self.host_key.get_fingerprint("sha256")

    @property
    def is_down(self) -> bool:
        return self._down

    def authorize(self, user: str, public_key: str) -> None:
        """Let ``user`` log in with ``public_key`` (an OpenSSH public key line)."""
        self.authorized_keys.setdefault(user, []).append(public_key)

    def key_file(self, user: str) -> list[str]:
        """The lines of ``user``'s ``~/.ssh/authorized_keys`` in the sandbox, if any."""
        path = self.home(user) / ".ssh" / "authorized_keys"
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []
        return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]

    def track(self, task: asyncio.Task[None]) -> None:
        """Keep a session's task referenced until it ends, so stop() can wait for it."""
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def home(self, user: str) -> Path:
        return self.sandbox / "home" / user

    def environment(self, user: str, session_env: Mapping[str, str]) -> dict[str, str]:
        """The environment a command of ``user`` runs with: a clean login-like one."""
        home = self.home(user)
        home.mkdir(parents=True, exist_ok=True)
        path = ":".join([*(str(p) for p in self.extra_path), os.environ.get("PATH", _BASE_PATH)])
        return {
            "PATH": path,
            "HOME": str(home),
            "USER": user,
            "LOGNAME": user,
            "SHELL": "/bin/sh",
            "LANG": "C.UTF-8",
            **self.extra_env,
            **session_env,
        }

    async def start(self) -> None:
        self.sandbox.mkdir(parents=True, exist_ok=True)
        self._server = await asyncssh.create_server(
            lambda: _Server(self),
            self.address,
            self.port,
            server_host_keys=[self.host_key],
            encoding=None,
            reuse_address=True,
            # The gateway checks its own timeouts; keep the simulated sshd permissive.
            login_timeout=30,
        )
        if self.port == 0:
            self.port = self._server.get_port()

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        self.drop_connections()
        if self._tasks:
            # Dropped channels kill their process groups; give the sessions a moment to
            # reap them, then cancel what is stuck (a child still holding a pipe open).
            _, pending = await asyncio.wait(set(self._tasks), timeout=2)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    def drop_connections(self) -> None:
        """Cut every open connection abruptly, as a network drop or sshd restart would."""
        for conn in list(self.connections):
            conn.abort()
        self.connections.clear()

    async def set_down(self, down: bool) -> None:
        """Take the node off the network (connections refused) or bring it back."""
        if down == self._down:
            return
        self._down = down
        if down:
            await self.stop()
        else:
            await self.start()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()
