"""One Update of a bot: fetch and fast-forward its checkout, rebuild, restart.

Each phase is its own streamed command on the node, so the phase a line belongs to is
known exactly, and the phase that failed is the one whose success marker never came.
One deadline (``update_time_cap_s``) covers the whole run: when it passes, the stream
in progress is ended, which stops the remote command, and the update fails loudly
with the phase it was in and the last lines it printed.

Each phase is on record (``save``) before its command runs, so a gateway that takes
over from one that died mid-update knows where it stopped: an update cut off while
restarting is finished (:meth:`UpdateRun.resume`: ``compose up`` again, idempotent by
container name), one cut off earlier is recorded failed (:func:`interrupt`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import asyncssh

from spark_control.api import Host, Node, Script, SparkError
from spark_control_matrix_bridge import commands
from spark_control_matrix_bridge.bots import Bot

log = logging.getLogger(__name__)

SOURCE = "matrix_bridge"
QUEUED, FETCHING, BUILDING, RESTARTING, DONE, FAILED = (
    "queued",
    "fetching",
    "building",
    "restarting",
    "done",
    "failed",
)
PHASES = (FETCHING, BUILDING, RESTARTING)
RUNNING = "running"
KEPT_LINES = 400
EXCERPT_LINES = 30
_FLUSH_S = 0.2
_FLUSH_LINES = 50

# What a failure of each phase means, in the words of the command that failed.
FAILED_STEP = {
    FETCHING: "git fetch or the fast-forward",
    BUILDING: "docker compose build",
    RESTARTING: "docker compose up",
}
STEPS: tuple[tuple[str, Callable[[Bot, str], Script]], ...] = (
    (FETCHING, commands.fetch_step),
    (BUILDING, commands.build_step),
    (RESTARTING, commands.restart_step),
)


# Where an update's record is kept before each phase's command runs.
Save = Callable[["Update"], Awaitable[None]]


class UpdateFailed(Exception):
    """The update stops here: ``reason`` in plain words, ``excerpt`` what the node said."""

    def __init__(self, reason: str, excerpt: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.excerpt = excerpt


@dataclass
class Update:
    id: str
    bot: str
    actor: str
    state: str = RUNNING
    phase: str = QUEUED
    started_at: float = field(default_factory=time.time)
    finished_at: float | None = None
    from_commit: str | None = None
    to_commit: str | None = None
    failed_phase: str | None = None
    reason: str | None = None
    excerpt: str | None = None
    # The replica that finished an update another gateway left in its restart phase.
    resumed_by: str | None = None
    lines: deque[tuple[str, str]] = field(default_factory=lambda: deque(maxlen=KEPT_LINES))

    def public(self, *, with_lines: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "bot": self.bot,
            "actor": self.actor,
            "state": self.state,
            "phase": self.phase,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "from_commit": self.from_commit,
            "to_commit": self.to_commit,
            "failed_phase": self.failed_phase,
            "reason": self.reason,
            "excerpt": self.excerpt,
            "resumed_by": self.resumed_by,
        }
        if with_lines:
            data["lines"] = [{"phase": p, "text": t} for p, t in self.lines]
        return data


def new_update(bot: Bot, actor: str) -> Update:
    return Update(id=f"upd_{secrets.token_hex(8)}", bot=bot.name, actor=actor)


def interrupt(update: Update) -> dict[str, Any]:
    """Record ``update`` failed because the gateway running it stopped (it was not in its
    restart phase, so the bot's container was not touched); the event's data."""
    stopped_in = update.phase if update.phase in PHASES else None
    update.failed_phase = stopped_in
    update.state, update.phase = FAILED, FAILED
    update.reason = (
        f"interrupted: the gateway running this update stopped while {stopped_in}"
        if stopped_in
        else "interrupted: the gateway running this update stopped before it began"
    ) + "; the bot's container was left as it was: update again"
    update.finished_at = time.time()
    return {
        "bot": update.bot,
        "update_id": update.id,
        "failed_phase": update.failed_phase,
        "reason": update.reason,
        "excerpt": update.excerpt,
    }


class UpdateRun:
    """Runs one update to its end and publishes what happens on the event bus."""

    def __init__(
        self,
        host: Host,
        bot: Bot,
        target: Node,
        update: Update,
        *,
        time_cap_s: float,
        command_timeout_s: float,
        save: Save | None = None,
    ) -> None:
        self.host = host
        self.bot = bot
        self.target = target
        self.update = update
        self.time_cap_s = time_cap_s
        self.command_timeout_s = command_timeout_s
        self._save = save
        self._marker = secrets.token_hex(8)
        self._pending: list[str] = []
        self._deadline = 0.0

    async def run(self) -> Update:
        return await self._run(self._steps)

    async def resume(self, replica: str) -> Update:
        """Finish an update another gateway left in its restart phase (the fetch and the
        build were done): ``docker compose up`` again, which starts a container the dead
        leader removed and leaves one already on the new image alone (by name), then
        read HEAD. ``replica`` is this gateway's name, kept on the record."""
        self.update.resumed_by = replica
        return await self._run(self._restart_again)

    async def _run(self, steps: Callable[[], Awaitable[None]]) -> Update:
        self._deadline = asyncio.get_running_loop().time() + self.time_cap_s
        flusher = asyncio.create_task(self._flush_every())
        try:
            failure = await self._outcome(steps)
        finally:
            flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await flusher
        self._flush()
        if failure is None:
            await self._succeed()
        else:
            await self._fail(failure)
        return self.update

    async def _outcome(self, steps: Callable[[], Awaitable[None]]) -> UpdateFailed | None:
        """Run the steps; what stopped them, if anything (an update always ends)."""
        try:
            await steps()
        except UpdateFailed as failure:
            return failure
        except SparkError as exc:  # the node unreachable, a command timing out
            return UpdateFailed(exc.message, self._excerpt())
        except (asyncssh.Error, OSError):
            # A dropped channel ends the command on the node (sshd hangs it up): say
            # the connection was cut, not that the step itself failed.
            return UpdateFailed(
                f"the SSH connection to {self.bot.node} was lost while {self.update.phase}",
                self._excerpt(),
            )
        except Exception as exc:
            log.exception("update %s of %s broke", self.update.id, self.bot.name)
            return UpdateFailed(f"the update broke: {exc!r}", self._excerpt())
        return None

    # --- the phases --------------------------------------------------------------------

    async def _steps(self) -> None:
        await self._enter(FETCHING)
        branch = await self._ask(commands.current_branch(self.bot), "read the checkout's branch")
        if branch != self.bot.branch:
            raise UpdateFailed(
                f"the checkout in {self.bot.folder} is on {branch!r}, not on "
                f"{self.bot.branch!r}; switch it on the node or change the bot's branch"
            )
        self.update.from_commit = await self._ask(commands.head_commit(self.bot), "read HEAD")
        for phase, step in STEPS:
            await self._enter(phase)
            await self._stream(phase, step(self.bot, self._marker))
        self.update.to_commit = await self._ask(commands.head_commit(self.bot), "read HEAD")

    async def _restart_again(self) -> None:
        await self._enter(RESTARTING)
        await self._stream(RESTARTING, commands.restart_step(self.bot, self._marker))
        self.update.to_commit = await self._ask(commands.head_commit(self.bot), "read HEAD")

    async def _checkpoint(self) -> None:
        # The phase is on record before its command runs: a gateway taking over from
        # one that died here knows whether the container may have been touched.
        if self._save is not None:
            await self._save(self.update)

    def _remaining(self) -> float:
        return self._deadline - asyncio.get_running_loop().time()

    def _capped(self) -> UpdateFailed:
        return UpdateFailed(
            f"the update hit its time cap of {self.time_cap_s:g} s while "
            f"{self.update.phase} and was stopped",
            self._excerpt(),
        )

    async def _ask(self, script: Script, what: str) -> str:
        """Run a short command; its first output line, or fail saying what it was for."""
        remaining = self._remaining()
        if remaining <= 0:
            raise self._capped()
        result = await self.host.ssh.run(
            self.target, script, timeout=min(self.command_timeout_s, remaining)
        )
        if not result.ok:
            said = (result.stderr or result.stdout).strip()
            raise UpdateFailed(
                f"could not {what} in {self.bot.folder} on {self.bot.node} "
                f"(exit status {result.exit_status})",
                said[-2000:],
            )
        return result.stdout.strip().splitlines()[0] if result.stdout.strip() else ""

    async def _stream(self, phase: str, script: Script) -> None:
        remaining = self._remaining()
        if remaining <= 0:
            raise self._capped()
        ok_line = f"{commands.STEP_OK}:{self._marker}"
        succeeded = False
        stream = self.host.ssh.stream(self.target, script, time_cap=remaining)
        async with contextlib.aclosing(stream):
            async for raw in stream:
                # Progress meters redraw with carriage returns: keep what a terminal shows.
                line = raw.split("\r")[-1].rstrip()
                if line == ok_line:
                    succeeded = True
                    continue
                self.update.lines.append((phase, line))
                self._pending.append(line)
                if len(self._pending) >= _FLUSH_LINES:
                    self._flush()
        if succeeded:
            return
        if self._remaining() <= 0:
            raise self._capped()
        raise UpdateFailed(f"{FAILED_STEP[phase]} failed on {self.bot.node}", self._excerpt())

    # --- reporting ---------------------------------------------------------------------

    async def _enter(self, phase: str) -> None:
        # On record before it is announced: a follower re-reads the store when the
        # event reaches it, and must find what the event says.
        new = phase != self.update.phase
        if new:
            self._flush()
            self.update.phase = phase
        await self._checkpoint()
        if new:
            self._publish("matrix_bridge.update_phase", phase=phase)

    async def _record_end(self) -> None:
        # The end on record before it is announced (as _enter); a failed save is saved
        # again when the manager's run ends, and the update has ended either way.
        try:
            await self._checkpoint()
        except Exception:
            log.warning("saving the end of update %s failed", self.update.id, exc_info=True)

    async def _succeed(self) -> None:
        self.update.state, self.update.phase = DONE, DONE
        self.update.finished_at = time.time()
        await self._record_end()
        self._publish(
            "matrix_bridge.update_done",
            from_commit=self.update.from_commit,
            to_commit=self.update.to_commit,
        )

    async def _fail(self, failure: UpdateFailed) -> None:
        update = self.update
        update.failed_phase = update.phase if update.phase in PHASES else None
        update.state = FAILED
        update.reason, update.excerpt = failure.reason, failure.excerpt
        update.phase = FAILED
        update.finished_at = time.time()
        await self._record_end()
        self._publish(
            "matrix_bridge.update_failed",
            failed_phase=update.failed_phase,
            reason=update.reason,
            excerpt=update.excerpt,
        )

    def _excerpt(self) -> str:
        """The last lines of the phase in progress."""
        phase = self.update.phase
        lines = [text for p, text in self.update.lines if p == phase]
        return "\n".join(lines[-EXCERPT_LINES:])

    def _flush(self) -> None:
        if self._pending:
            lines, self._pending = self._pending, []
            self._publish("matrix_bridge.update_output", phase=self.update.phase, lines=lines)

    async def _flush_every(self) -> None:
        # Output is published in batches, so a chatty build does not flood the bus.
        while True:
            await asyncio.sleep(_FLUSH_S)
            if self._pending:
                self._flush()

    def _publish(self, type_: str, **data: Any) -> None:
        self.host.events.publish(
            type_, {"bot": self.bot.name, "update_id": self.update.id, **data}, source=SOURCE
        )
