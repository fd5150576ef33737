"""The head node as a swap sees it: commands that ride out a dropped connection, and the
small questions a swap asks there (is the launcher alive, how much memory, is the port
taken, what does the log end with, did the OOM killer strike)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncGenerator, Iterable
from typing import TYPE_CHECKING

import asyncssh

from spark_control.api import (
    CommandResult,
    HostKeyChanged,
    RemoteCommand,
    Script,
    SparkError,
    SSHUnreachable,
    arg,
)
from spark_control_vllm import launch

if TYPE_CHECKING:
    from spark_control.api import Host, Node
    from spark_control_vllm.settings import VllmSettings

log = logging.getLogger(__name__)

#: How long a head node may stay unreachable before a swap gives up on it. A blip (an
#: sshd restart, a flaky link) is ridden out: the detached launch does not need us.
RECONNECT_GRACE_S = 20.0
#: How many lines of the launch log a failed swap keeps.
EXCERPT_LINES = 30
#: What a dropped connection raises from the executor besides SSHUnreachable.
DROPPED = (SSHUnreachable, asyncssh.Error, OSError)


def unreachable(node: str, exc: BaseException) -> SSHUnreachable:
    if isinstance(exc, SSHUnreachable):
        return exc
    return SSHUnreachable(node, f"the connection dropped ({type(exc).__name__}: {exc})")


def meminfo_command(node: Node) -> RemoteCommand:
    """``cat /proc/meminfo`` (the node's ``proc_root``, which a simulated node has its own)."""
    return RemoteCommand("cat", arg.path(f"{node.proc_root.rstrip('/')}/meminfo", "proc_root"))


def parse_meminfo(text: str) -> dict[str, int]:
    """Every ``/proc/meminfo`` figure given in kB, in bytes."""
    figures = {}
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        words = rest.split()
        if words and words[0].isdigit():
            figures[name] = int(words[0]) * 1024
    return figures


class HeadNode:
    """The node vLLM is launched on (``vllm.head_node``) and the port it serves on."""

    def __init__(self, host: Host, settings: VllmSettings) -> None:
        self.host = host
        self.settings = settings
        # The launch's stream of its own log, until the swap's follower takes it.
        self._handed: tuple[str, AsyncGenerator[str, None]] | None = None

    def hand_over(self, swap_id: str, stream: AsyncGenerator[str, None]) -> None:
        """Keep the stream a launch opened (its log, already followed) for that swap's
        follower; one left by an earlier launch is closed."""
        self.drop_handed()
        self._handed = (swap_id, stream)

    def take_over(self, swap_id: str) -> AsyncGenerator[str, None] | None:
        """The stream ``hand_over`` kept for ``swap_id`` (None: there is none, and any
        other is closed)."""
        handed, self._handed = self._handed, None
        if handed is not None and handed[0] == swap_id:
            return handed[1]
        if handed is not None:
            self._handed = handed
            self.drop_handed()
        return None

    def drop_handed(self) -> None:
        """Close the kept stream, if any (a stop: no follower will take it)."""
        if self._handed is not None:
            _, stream = self._handed
            self._handed = None
            # Closing stops ``tail -F`` on the node; it awaits the channel's close.
            task = asyncio.ensure_future(stream.aclose())
            task.add_done_callback(lambda t: t.cancelled() or t.exception())

    @property
    def configured(self) -> bool:
        return self.settings.head_node in self.host.topology.nodes

    @property
    def node(self) -> Node:
        node = self.host.topology.nodes.get(self.settings.head_node)
        if node is None:  # a config mistake: a clear 503, never a 500
            raise SparkError(
                f"vllm.head_node names {self.settings.head_node!r}, which is not a "
                "configured node; add it under nodes or set vllm.head_node",
                status=503,
                type="unavailable",
            )
        return node

    @property
    def name(self) -> str:
        return self.node.name

    def url(self, path: str) -> str:
        return f"http://{self.node.url_host}:{self.settings.port}{path}"

    async def run(
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
                return await self.host.ssh.run(self.node, script, stdin=stdin, timeout=timeout)
            except HostKeyChanged:
                raise
            except DROPPED as exc:
                if not retry or time.monotonic() + delay > give_up:
                    raise unreachable(self.node.name, exc) from None
                log.info("SSH to %s failed (%s); retrying", self.node.name, exc)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)

    async def launcher_alive(self, pid: int, *, retry: bool = True) -> bool:
        """False only when the node says the launcher is gone (``kill -0`` status 1);
        an answer lost with a dropped channel counts as alive (the deadlines still
        hold)."""
        result = await self.run(launch.launcher_alive_command(pid), retry=retry)
        return result.exit_status != 1

    async def meminfo(self, key: str, *, retry: bool = True) -> int | None:
        """A ``/proc/meminfo`` figure in bytes (None if the node does not list it)."""
        result = await self.run(meminfo_command(self.node), retry=retry)
        return parse_meminfo(result.stdout).get(key)

    async def port_in_use(self) -> bool:
        """Whether something accepts connections on vLLM's port on the head node."""
        try:
            async with asyncio.timeout(2.0):
                _, writer = await asyncio.open_connection(self.node.url_host, self.settings.port)
        except (OSError, TimeoutError):
            return False
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
        return True

    async def excerpt(self, log_path: str | None, recent: Iterable[str] = ()) -> str:
        """The end of the launch log (``recent``, the lines read so far, if the node
        cannot be asked)."""
        fallback = "\n".join(recent)
        if log_path is None:
            return fallback
        with contextlib.suppress(*DROPPED, SparkError):
            result = await self.run(launch.tail_log_command(log_path, EXCERPT_LINES), retry=False)
            return result.stdout[-4000:] or fallback
        return fallback

    async def oom_killed(self, since: float) -> bool:
        """Whether the kernel's OOM killer ended vLLM's container since ``since`` (unix
        time): Docker's ``State.OOMKilled`` while the container is there, else its
        ``oom`` event (the launcher runs it with ``--rm``, which removes it). Unknown
        (the node does not answer) is no."""
        container = self.settings.container
        with contextlib.suppress(*DROPPED, SparkError):
            state = await self.run(launch.container_oom_killed_command(container), retry=False)
            if state.exit_status == 0:
                return state.stdout.strip() == "true"
            within = max(1, int(time.time() - since) + 5)
            found = await self.run(
                launch.container_oom_events_command(container, within), retry=False
            )
            return found.exit_status == 0 and "oom" in found.stdout.split()
        return False
