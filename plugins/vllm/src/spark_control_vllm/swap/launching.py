"""Launch and follow: start the launcher detached on the head node, then read its log
phase by phase until vLLM is ready, fails, or a deadline passes.

The download deadline holds while the log says it downloads; the load deadline holds for
all the rest of the time (before and after the download).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from typing import TYPE_CHECKING, TypeAlias

from spark_control.api import HostKeyChanged, SSHUnreachable
from spark_control_vllm import launch
from spark_control_vllm.phases import DOWNLOADING, LogSignal, more_telling, read_line
from spark_control_vllm.swap.errors import SwapFailure
from spark_control_vllm.swap.remote import DROPPED, EXCERPT_LINES, unreachable

if TYPE_CHECKING:
    from spark_control.api import Host
    from spark_control_vllm.catalog import CatalogEntry
    from spark_control_vllm.settings import VllmSettings
    from spark_control_vllm.swap.readiness import Readiness
    from spark_control_vllm.swap.record import Journal, Swap
    from spark_control_vllm.swap.remote import HeadNode

log = logging.getLogger(__name__)

#: The reasons of an out-of-memory failure: read from vLLM's log (CUDA), or from Docker
#: (the kernel's OOM killer ended the container, which leaves no line in the log).
OOM_GPU = "vLLM ran out of GPU memory"
OOM_KILLED = (
    "vLLM ran out of memory: the kernel's OOM killer ended its container (Docker reports OOMKilled)"
)
POLL_S = 0.5
#: How long the launch may take to print the launcher's pid.
LAUNCH_ANSWER_S = 30.0

#: What the log reader hands on: a line, the node lost for good, or the end (None).
LogItem: TypeAlias = str | SSHUnreachable | None


async def launch_detached(
    head: HeadNode, settings: VllmSettings, swap: Swap, entry: CatalogEntry
) -> None:
    """Write the token file (if a token is set) and start the launcher detached; the
    launcher's pid and log path go into ``swap`` (the caller persists it)."""
    if settings.hf_token is not None:
        written = await head.run(
            launch.write_token_file(settings.hf_token_file),
            stdin=launch.token_file_text(settings.hf_token.get_secret_value()),
        )
        if written.exit_status != 0:
            said = written.stderr.strip() or f"exit status {written.exit_status}"
            raise SwapFailure(
                f"could not write the Hugging Face token file {settings.hf_token_file} "
                f"on {head.name}: {said[:300]}"
            )
    plan = launch.build_launch(entry, settings.launch_options(), swap.id)
    # The launch and the start of its log's follower in one round trip: the stream's
    # first line is the detached launcher's pid, then the log from its start. Not
    # retried: a launch whose answer was lost may have started.
    script = plan.script.and_then(launch.follow_log_command(plan.log_path))
    stream = head.host.ssh.stream(head.node, script, time_cap=follow_cap(settings))
    try:
        try:
            async with asyncio.timeout(LAUNCH_ANSWER_S):
                first = await anext(stream, None)
        except TimeoutError:
            raise SwapFailure(f"the launcher did not answer within {LAUNCH_ANSWER_S:g} s") from None
        if first is None or not first.strip().isdigit():
            lines = [first or ""]
            # The launch failed: the chain ended, and so does the stream (bounded anyway).
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(2.0):
                    async for line in stream:
                        lines.append(line)
                        if len(lines) >= EXCERPT_LINES:
                            break
            raise SwapFailure(f"the launcher did not start: {' '.join(lines).strip()[:300]}")
    except BaseException as exc:
        await stream.aclose()
        if isinstance(exc, DROPPED) and not isinstance(exc, SSHUnreachable):
            raise unreachable(head.name, exc) from None
        raise
    assert first is not None
    swap.launcher_pid = int(first.strip())
    swap.log_path = plan.log_path
    head.hand_over(swap.id, stream)


def follow_cap(settings: VllmSettings) -> float:
    """How long one stream of the launch log may stay open: both deadlines together."""
    return settings.download_deadline_s + settings.load_deadline_s


class Deadlines:
    """Time spent downloading and time spent on all the rest, each against its own
    deadline."""

    def __init__(self, settings: VllmSettings) -> None:
        self.settings = settings
        self.downloading = False
        self.segment_started = time.monotonic()
        self.loading_spent = 0.0  # load time before the current segment

    def overdue(self) -> str | None:
        """The failure reason once a deadline has passed, else None."""
        in_segment = time.monotonic() - self.segment_started
        download_s, load_s = self.settings.download_deadline_s, self.settings.load_deadline_s
        if self.downloading and in_segment > download_s:
            return f"the download did not finish within {download_s:g} s"
        if not self.downloading and self.loading_spent + in_segment > load_s:
            return f"the load did not finish within {load_s:g} s"
        return None

    def entered(self, phase: str) -> None:
        """The log moved to ``phase``: a download starts or ends a segment."""
        if (phase == DOWNLOADING) == self.downloading:
            return
        now = time.monotonic()
        if not self.downloading:
            self.loading_spent += now - self.segment_started
        self.downloading = phase == DOWNLOADING
        self.segment_started = now


class Follow:
    """One launch followed to its end: ``run`` returns once vLLM answers, or raises
    ``SwapFailure``."""

    def __init__(
        self,
        host: Host,
        head: HeadNode,
        journal: Journal,
        readiness: Readiness,
        swap: Swap,
        entry: CatalogEntry,
    ) -> None:
        assert swap.log_path is not None and swap.launcher_pid is not None
        self.host = host
        self.head = head
        self.journal = journal
        self.readiness = readiness
        self.swap = swap
        self.entry = entry
        self.log_path: str = swap.log_path
        self.pid: int = swap.launcher_pid
        self.deadlines = Deadlines(head.settings)
        self.lines: asyncio.Queue[LogItem] = asyncio.Queue()
        self.recent: deque[str] = deque(maxlen=EXCERPT_LINES)
        # The most telling failure the log has shown so far.
        self.failure: str | None = None

    async def run(self) -> None:
        reader = asyncio.create_task(self.read_log())
        try:
            while not await self._step():
                pass
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader

    async def _step(self) -> bool:
        """Check the deadlines, then take one line (if one came); True once ready."""
        overdue = self.deadlines.overdue()
        if overdue is not None:
            raise SwapFailure(overdue, await self._excerpt())
        line = await self._next_line()
        return bool(line) and await self._take(line)

    async def _next_line(self) -> str:
        """The next log line; "" when none came within ``POLL_S`` (and the launcher
        still runs)."""
        try:
            item = await asyncio.wait_for(self.lines.get(), POLL_S)
        except TimeoutError:
            await self._check_launcher()
            return ""
        if isinstance(item, SSHUnreachable):
            raise SwapFailure(
                f"lost the head node: {item.reason}", "\n".join(self.recent), node_lost=True
            )
        if item is None:
            raise SwapFailure("lost the launch log", await self._excerpt())
        return item

    async def _check_launcher(self) -> None:
        if await self.head.launcher_alive(self.pid):
            return
        failure = self.failure
        if failure != OOM_GPU and await self.head.oom_killed(self.swap.started_at):
            failure = OOM_KILLED  # says more than any log line
        raise SwapFailure(failure or "vLLM exited before it was ready", await self._excerpt())

    async def _take(self, line: str) -> bool:
        self.recent.append(line)
        self.journal.event("vllm.swap_log", self.swap, line=line)
        signal = read_line(line)
        if signal.failure and more_telling(signal.failure, self.failure):
            self.failure = signal.failure
        await self._advance(signal)
        if not signal.ready or self.failure is not None:
            return False
        await self.journal.phase(self.swap, "checking", 0.97)
        if await self.readiness.ready(self.entry):
            return True
        raise SwapFailure("vLLM started but did not answer a completion", await self._excerpt())

    async def _advance(self, signal: LogSignal) -> None:
        swap = self.swap
        if signal.phase and signal.phase != swap.phase:
            self.deadlines.entered(signal.phase)
            await self.journal.phase(swap, signal.phase, signal.progress or swap.progress)
        elif signal.progress and signal.progress > swap.progress:
            await self.journal.phase(swap, swap.phase, signal.progress)

    async def _excerpt(self) -> str:
        return await self.head.excerpt(self.log_path, self.recent)

    async def read_log(self) -> None:
        """Put the log's lines on ``lines``, across dropped connections.

        ``tail -F`` never ends by itself, so a stream that ends (or breaks) means the
        connection went. Once the node answers again, the log is read anew from its
        start and the lines already passed on are skipped, so none is lost or doubled.
        A node that stays unreachable past the grace ends it with ``SSHUnreachable``.
        """
        seen = 0
        try:
            while True:
                seen = await self._read_once(seen)
                if seen < 0:
                    return
                try:
                    # Reconnects (within the grace) and proves the node answers again.
                    await self.head.launcher_alive(self.pid)
                except SSHUnreachable as exc:
                    await self.lines.put(exc)
                    return
                await asyncio.sleep(POLL_S)
        finally:
            await self.lines.put(None)

    async def _read_once(self, seen: int) -> int:
        """One ``tail -F`` until the connection goes: the new count of lines passed on,
        or -1 when the host key changed (the reader ends)."""
        node = self.head.node
        # The launch's own stream first (it follows the log already), if it is ours.
        stream = self.head.take_over(self.swap.id) or self.host.ssh.stream(
            node, launch.follow_log_command(self.log_path), time_cap=follow_cap(self.head.settings)
        )
        index = 0
        try:
            async with contextlib.aclosing(stream):
                async for line in stream:
                    index += 1
                    if index > seen:
                        seen = index
                        await self.lines.put(line.rstrip("\n"))
        except HostKeyChanged as exc:
            await self.lines.put(exc)
            return -1
        except DROPPED as exc:
            log.info("following %s on %s broke (%s); resuming", self.log_path, node.name, exc)
        else:
            log.info("following %s on %s ended; resuming", self.log_path, node.name)
        return seen
