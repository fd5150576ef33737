"""The SSH executor against a real loopback SSH server: pooling, timeouts, streaming,
host-key pinning, reconnects, detaching; and the gateway's own key material."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import stat
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from spark_control.sim import SimNodeServer, make_client_key
from spark_control.ssh import (
    CommandFailed,
    CommandTimeout,
    GatewayKey,
    HostKeyChanged,
    HostKeyStore,
    RemoteCommand,
    SSHExecutor,
    SSHUnreachable,
    Target,
    arg,
    const,
    ensure_gateway_key,
)

ADDRESS = "127.0.0.31"


@dataclass
class Node:
    server: SimNodeServer
    key: GatewayKey
    target: Target
    store: HostKeyStore
    executor: SSHExecutor

    @property
    def sandbox(self) -> Path:
        return self.server.sandbox

    @property
    def home(self) -> Path:
        """Where commands start, as sshd starts them in the user's home."""
        return self.server.home("alice")


@pytest.fixture
async def node(tmp_path: Path) -> AsyncIterator[Node]:
    key = make_client_key(tmp_path / "keys", "alice")
    async with SimNodeServer(
        tmp_path / "node", address=ADDRESS, users={"alice": [key.public_openssh]}
    ) as server:
        store = HostKeyStore(tmp_path / "gateway" / "known_hosts")
        executor = SSHExecutor(host_keys=store, connect_timeout=3, command_timeout=10)
        target = Target("spark-1", server.address, "alice", key.private_path, server.port)
        yield Node(server, key, target, store, executor)
        await executor.close()


def sh(script: str) -> RemoteCommand:
    """A fixed test script; tests pass no outside data through it."""
    return RemoteCommand("sh", "-c", const(script))  # type: ignore[arg-type]


def is_running(pid: int) -> bool:
    """Whether ``pid`` still runs; a zombie waiting for init to reap it counts as ended."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: fall back to a signal-0 probe
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return state != "Z"


async def eventually(predicate: Callable[[], bool], within: float = 3.0) -> bool:
    """Poll ``predicate`` until it holds or ``within`` seconds pass."""
    for _ in range(int(within / 0.02)):
        if predicate():
            return True
        await asyncio.sleep(0.02)
    return predicate()


async def wait_until_gone(pid: int) -> bool:
    return await eventually(lambda: not is_running(pid))


def pid_in(path: Path) -> int | None:
    text = path.read_text().strip() if path.exists() else ""
    return int(text) if text else None


async def read_pid(path: Path) -> int:
    assert await eventually(lambda: pid_in(path) is not None), f"{path} never got a pid"
    pid = pid_in(path)
    assert pid is not None
    return pid


# -- running -------------------------------------------------------------------


async def test_run_returns_exit_status_stdout_stderr_and_duration(node: Node):
    result = await node.executor.run(node.target, sh("echo out; echo err >&2; exit 3"))
    assert (result.exit_status, result.stdout, result.stderr) == (3, "out\n", "err\n")
    assert not result.ok
    assert 0 < result.duration_s < 5
    with pytest.raises(CommandFailed, match="exited with status 3: err"):
        await node.executor.run(node.target, sh("echo err >&2; exit 3"), check=True)


async def test_stdin_reaches_the_command_and_commands_start_in_the_home_folder(node: Node):
    result = await node.executor.run(node.target, RemoteCommand("cat"), stdin="one\ntwo\n")
    assert result.stdout == "one\ntwo\n"
    where = await node.executor.run(node.target, sh('pwd; echo "$HOME"'))
    home = str(node.home)
    assert where.stdout.split() == [home, home], "as sshd does, in the user's home"


async def test_timeout_raises_and_stops_the_remote_command(node: Node):
    started = time.monotonic()
    with pytest.raises(CommandTimeout, match="spark-1"):
        await node.executor.run(node.target, sh("echo $$ > pid; exec sleep 30"), timeout=0.3)
    assert time.monotonic() - started < 2
    assert await wait_until_gone(await read_pid(node.home / "pid"))


# -- streaming -----------------------------------------------------------------


async def test_stream_yields_lines_before_the_command_ends(node: Node):
    started = time.monotonic()
    arrivals: list[tuple[str, float]] = []
    script = sh("for i in 1 2 3; do echo line$i; sleep 0.3; done; echo oops >&2")
    async for line in node.executor.stream(node.target, script, time_cap=5):
        arrivals.append((line, time.monotonic() - started))
    assert [line for line, _ in arrivals] == ["line1", "line2", "line3", "oops"]
    assert arrivals[0][1] < 0.6 < arrivals[-1][1]


async def test_time_cap_ends_the_stream_and_the_remote_command(node: Node):
    started = time.monotonic()
    script = sh("echo $$ > pid; echo started; exec sleep 30")
    lines = [line async for line in node.executor.stream(node.target, script, time_cap=0.5)]
    assert lines == ["started"]
    assert time.monotonic() - started < 2
    assert await wait_until_gone(await read_pid(node.home / "pid"))


async def test_consumer_stopping_early_stops_the_remote_command(node: Node):
    script = sh("echo $$ > pid; while :; do echo tick; sleep 0.02; done")
    seen = 0
    async with contextlib.aclosing(node.executor.stream(node.target, script, time_cap=30)) as s:
        async for _ in s:
            seen += 1
            if seen == 3:
                break
    assert await wait_until_gone(await read_pid(node.home / "pid"))

    # Without aclosing, the dropped generator is closed by the event loop soon after.
    (node.home / "pid").unlink()
    async for _ in node.executor.stream(node.target, script, time_cap=30):
        break
    assert await wait_until_gone(await read_pid(node.home / "pid"))


# -- connections ---------------------------------------------------------------


async def test_one_pooled_connection_serves_many_commands(node: Node):
    for _ in range(3):
        await node.executor.run(node.target, RemoteCommand("true"))
    results = await asyncio.gather(
        *(node.executor.run(node.target, RemoteCommand("echo", str(i))) for i in range(12))
    )
    assert [r.stdout for r in results] == [f"{i}\n" for i in range(12)]
    assert node.executor.connections_opened == 1
    assert node.server.connections_accepted == 1


async def test_reconnects_once_when_the_pooled_connection_dropped(node: Node):
    await node.executor.run(node.target, RemoteCommand("true"))
    node.server.drop_connections()
    # Straight away, before the client has noticed, and again once it has.
    assert (await node.executor.run(node.target, RemoteCommand("echo", "a"))).stdout == "a\n"
    node.server.drop_connections()
    await asyncio.sleep(0.1)
    assert (await node.executor.run(node.target, RemoteCommand("echo", "b"))).stdout == "b\n"
    assert node.server.connections_accepted == 3


async def test_node_down_is_unreachable_and_comes_back(node: Node):
    await node.executor.run(node.target, RemoteCommand("true"))
    await node.server.set_down(True)
    with pytest.raises(SSHUnreachable, match="refused"):
        await node.executor.run(node.target, RemoteCommand("true"))
    await node.server.set_down(False)
    assert (await node.executor.run(node.target, RemoteCommand("true"))).ok


async def test_closed_port_is_unreachable_quickly(node: Node):
    with socket.socket() as s:
        s.bind((ADDRESS, 0))
        port = s.getsockname()[1]
    target = Target("spark-9", ADDRESS, "alice", node.key.private_path, port)
    started = time.monotonic()
    with pytest.raises(SSHUnreachable) as info:
        await node.executor.run(target, RemoteCommand("true"))
    assert time.monotonic() - started < 1
    assert "spark-9" in str(info.value) and "connection refused" in str(info.value)
    assert info.value.status == 503


async def test_silent_node_times_out_at_the_connect_timeout(node: Node):
    with socket.socket() as silent:
        # Listening but never speaking SSH: the handshake can only time out.
        silent.bind((ADDRESS, 0))
        silent.listen()
        target = Target("spark-8", ADDRESS, "alice", node.key.private_path, silent.getsockname()[1])
        executor = SSHExecutor(host_keys=node.store, connect_timeout=0.3)
        started = time.monotonic()
        with pytest.raises(SSHUnreachable, match=r"timed out after 0\.3 s"):
            await executor.run(target, RemoteCommand("true"))
        assert time.monotonic() - started < 2
        await executor.close()


async def test_wrong_key_says_authentication_failed(node: Node, tmp_path: Path):
    stranger = make_client_key(tmp_path / "other", "alice")
    target = Target("spark-1", ADDRESS, "alice", stranger.private_path, node.server.port)
    with pytest.raises(SSHUnreachable, match=r"authentication failed .* 'alice'"):
        await node.executor.run(target, RemoteCommand("true"))
    bob = Target("spark-1", ADDRESS, "bob", node.key.private_path, node.server.port)
    with pytest.raises(SSHUnreachable, match="authentication failed") as refused:
        await node.executor.run(bob, RemoteCommand("true"))
    assert "spark-control nodes install-key spark-1" in str(refused.value)


async def test_a_missing_key_file_is_named_as_the_gateways_not_the_nodes(
    node: Node, tmp_path: Path
):
    dialled = node.server.connections_accepted
    target = Target("spark-1", ADDRESS, "alice", tmp_path / "no-such-key", node.server.port)
    with pytest.raises(SSHUnreachable) as info:
        await node.executor.run(target, RemoteCommand("true"))
    message = str(info.value)
    assert f"cannot read the gateway's SSH key {tmp_path / 'no-such-key'}" in message
    assert "No such file or directory" in message and "ssh.key_path" in message
    assert node.server.connections_accepted == dialled  # nothing was dialled


# -- host keys -----------------------------------------------------------------


async def test_host_key_is_pinned_on_first_use_and_a_changed_key_is_refused(
    node: Node, tmp_path: Path
):
    await node.executor.run(node.target, RemoteCommand("true"))
    pinned = node.store.get(ADDRESS, node.server.port)
    assert [k.get_fingerprint() for k in pinned] == [node.server.host_key_fingerprint]
    assert f"[{ADDRESS}]:{node.server.port} ssh-ed25519 " in node.store.path.read_text()
    await node.executor.close()
    old_fingerprint = node.server.host_key_fingerprint
    await node.server.stop()

    # The node comes back on the same address and port with a different host key.
    async with SimNodeServer(
        tmp_path / "node",
        address=ADDRESS,
        port=node.server.port,
        users={"alice": [node.key.public_openssh]},
    ) as impostor:
        with pytest.raises(HostKeyChanged) as info:
            await node.executor.run(node.target, RemoteCommand("true"))
        message = str(info.value)
        assert "spark-1" in message
        assert old_fingerprint in message and impostor.host_key_fingerprint in message
        assert impostor.exec_log == []

        assert node.store.forget(ADDRESS, node.server.port)
        assert not node.store.forget(ADDRESS, node.server.port)
        assert (await node.executor.run(node.target, RemoteCommand("true"))).ok


async def test_a_pin_that_cannot_be_written_refuses_naming_the_file(node: Node, tmp_path: Path):
    # Stands for a read-only secrets_dir (root may write anywhere chmod forbids): the
    # pins' folder is a file, so neither the pins nor their lock file can be written.
    blocked = tmp_path / "blocked"
    blocked.write_text("")
    executor = SSHExecutor(host_keys=HostKeyStore(blocked / "known_hosts"), connect_timeout=3)
    try:
        with pytest.raises(SSHUnreachable, match="could not be pinned") as info:
            await executor.run(node.target, RemoteCommand("true"))
        assert str(blocked / "known_hosts") in str(info.value)
        assert "ssh.known_hosts" in str(info.value)
        assert node.server.exec_log == []
    finally:
        await executor.close()


async def test_known_hosts_file_instead_of_pinning(node: Node, tmp_path: Path):
    public = node.server.host_key.export_public_key("openssh").decode().split()
    known = tmp_path / "known_hosts"
    known.write_text(f"[{ADDRESS}]:{node.server.port} {public[0]} {public[1]}\n")
    executor = SSHExecutor(known_hosts=known)
    try:
        assert (await executor.run(node.target, RemoteCommand("true"))).ok
    finally:
        await executor.close()

    other = make_client_key(tmp_path / "x", "x").public_openssh.split()
    known.write_text(f"[{ADDRESS}]:{node.server.port} {other[0]} {other[1]}\n")
    executor = SSHExecutor(known_hosts=known)
    with pytest.raises(SSHUnreachable, match="not trusted by"):
        await executor.run(node.target, RemoteCommand("true"))
    await executor.close()


def test_executor_needs_exactly_one_host_key_policy(tmp_path: Path):
    with pytest.raises(ValueError):
        SSHExecutor()
    with pytest.raises(ValueError):
        SSHExecutor(host_keys=HostKeyStore(tmp_path / "a"), known_hosts=tmp_path / "b")


# -- detaching -----------------------------------------------------------------


async def test_detached_command_survives_the_connection_closing(node: Node):
    done = node.home / "done"
    killed = node.home / "killed"
    detached = (
        RemoteCommand("sleep", "0.4")
        .and_then(RemoteCommand("touch", arg.path(str(done))))
        .detached(arg.path(str(node.sandbox / "job.log")))
    )
    attached = RemoteCommand("sleep", "0.4").and_then(RemoteCommand("touch", arg.path(str(killed))))

    result = await node.executor.run(node.target, detached, timeout=2)
    assert result.stdout.strip().isdigit()
    with pytest.raises(CommandTimeout):
        await node.executor.run(node.target, attached, timeout=0.1)
    await node.executor.close()
    node.server.drop_connections()

    assert await eventually(done.exists)
    assert not killed.exists()


# -- the gateway's key pair ----------------------------------------------------


def test_gateway_key_pair_is_created_private_and_reused(tmp_path: Path):
    key = ensure_gateway_key(tmp_path / "data")
    assert stat.S_IMODE(key.private_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.private_path.parent.stat().st_mode) == 0o700
    assert key.public_openssh.startswith("ssh-ed25519 AAAA")
    assert len(key.public_openssh.splitlines()) == 1
    assert Path(f"{key.private_path}.pub").read_text().strip() == key.public_openssh
    again = ensure_gateway_key(tmp_path / "data")
    assert again == key


async def test_gateway_key_logs_in_to_a_node(tmp_path: Path):
    key = ensure_gateway_key(tmp_path / "data")
    async with SimNodeServer(
        tmp_path / "node", address="127.0.0.32", users={"spark": [key.public_openssh]}
    ) as server:
        executor = SSHExecutor(host_keys=HostKeyStore(tmp_path / "data" / "ssh" / "known_hosts"))
        target = Target("spark-2", server.address, "spark", key.private_path, server.port)
        try:
            result = await executor.run(target, RemoteCommand("id", "-un"))
        finally:
            await executor.close()
    assert result.ok
    assert [r.user for r in server.exec_log] == ["spark"]
