"""The bots of one gateway: their badges, their actions, their updates.

One ``BotManager`` per host. It reads each bot's container state on a timer and right
after every action (publishing ``matrix_bridge.status`` when it changes, or after an
action whatever it is), runs one Update per bot at a time, and keeps each bot's updates
in the store so the tile shows the last outcome after a gateway restart.

Updates are the leader's (several gateways on one database): only the replica leading
the cluster ends an update a stopped gateway left running (:meth:`BotManager.reconcile`,
at start-up when it leads and each time it gains the lead); a replica that starts as a
follower leaves the leader's running update alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Iterator
from typing import Any

from spark_control.api import (
    CommandTimeout,
    Host,
    NotLeader,
    Script,
    SparkError,
    SSHUnreachable,
)
from spark_control_matrix_bridge import commands
from spark_control_matrix_bridge.bots import Bot, Roster
from spark_control_matrix_bridge.settings import MatrixBridgeSettings
from spark_control_matrix_bridge.status import BotStatus, from_inspect, unknown
from spark_control_matrix_bridge.update import (
    RESTARTING,
    RUNNING,
    SOURCE,
    Update,
    UpdateRun,
    interrupt,
    new_update,
)

log = logging.getLogger(__name__)

MIGRATIONS = [
    """
    CREATE TABLE matrix_bridge_updates (
        id TEXT PRIMARY KEY,
        bot TEXT NOT NULL,
        started_at REAL NOT NULL,
        state TEXT NOT NULL,
        record TEXT NOT NULL
    )
    """,
    "CREATE INDEX matrix_bridge_updates_bot ON matrix_bridge_updates (bot, started_at)",
]
HISTORY_KEPT = 50
# Each followed log holds an SSH session of the bot's user, and a connection has only
# a few: keep some free for the badge and the actions.
MAX_FOLLOWERS = 3


STATE_EVENTS = frozenset(
    f"{SOURCE}.update_{what}" for what in ("started", "phase", "done", "failed")
)
"""A bot update's events that change its record (its output lines do not)."""


class Busy(SparkError):
    status = 409
    type = "conflict"


class BotManager:
    def __init__(self, host: Host, settings: MatrixBridgeSettings, roster: Roster) -> None:
        self.host = host
        self.settings = settings
        self.roster = roster
        self.statuses: dict[str, BotStatus] = {}
        self.updates: dict[str, Update] = {}
        self._tasks: dict[str, asyncio.Task[Update]] = {}
        # The update this process runs, per bot: from before its first record is saved
        # (so a reconcile meanwhile never takes it for one a dead gateway left).
        self._mine: dict[str, str] = {}
        self._locks = {bot.name: asyncio.Lock() for bot in roster.bots}
        self._poller: asyncio.Task[None] | None = None
        self._on_lead: asyncio.Task[None] | None = None
        self._leaders_updates: asyncio.Task[None] | None = None
        self._followers: dict[str, int] = {}

    # --- life --------------------------------------------------------------------------

    async def setup(self) -> None:
        await self.host.store.migrate(SOURCE, MIGRATIONS)
        if self.host.leadership.is_leader:
            await self.reconcile()
        else:
            # A follower: a running update is the leader's, alive; leave it be.
            await self._load_latest()
        self._poller = asyncio.create_task(self._poll())
        self._on_lead = asyncio.create_task(self._reconcile_on_lead())
        self._leaders_updates = asyncio.create_task(self._follow_leaders_updates())

    async def reconcile(self) -> None:
        """End the updates a stopped gateway left running (this replica leads): one cut
        off in its restart phase is finished here (``compose up`` again: the dead
        leader may have removed the old container and not started the new one), one
        cut off earlier is recorded failed (its fetch and build touched no container).
        This process's own running updates are left alone."""
        rows = await self.host.store.fetchall(
            "SELECT record FROM matrix_bridge_updates WHERE state = ? ORDER BY started_at DESC",
            (RUNNING,),
        )
        for row in rows:  # newest first
            record = json.loads(row["record"])
            if self._mine.get(record["bot"]) == record["id"]:
                continue  # this process runs it
            bot = self.roster.get(record["bot"])
            update = _from_record(record)
            # Only a bot's newest update is finished; an older one left running is past.
            if bot is not None and update.phase == RESTARTING and bot.name not in self._mine:
                log.warning(
                    "finishing update %s of %s, cut off while restarting", update.id, bot.name
                )
                self._mine[bot.name] = update.id
                self.updates[bot.name] = update
                self._tasks[bot.name] = asyncio.create_task(self._update(bot, update, resume=True))
                continue
            data = interrupt(update)
            await self._save(update)
            self.host.events.publish("matrix_bridge.update_failed", data, source=SOURCE)
        await self._load_latest()

    async def _reconcile_on_lead(self) -> None:
        # Each time this replica gains the lead (one gateway alone leads from the start
        # and never gains it again).
        gained = asyncio.Event()
        self.host.leadership.on_change(lambda leading: gained.set() if leading else None)
        while True:
            await gained.wait()
            gained.clear()
            try:
                await self.reconcile()
            except Exception:
                log.exception("ending the updates a stopped gateway left running failed")

    async def _follow_leaders_updates(self) -> None:
        # A follower's view of the leader's updates: the leader's update events reach
        # this replica through the event relay; the record itself is in the store.
        changed = asyncio.Event()
        forget = [
            self.host.events.on_relayed(type_, lambda _event: changed.set())
            for type_ in STATE_EVENTS
        ]
        try:
            while True:
                await changed.wait()
                changed.clear()
                await self._load_leaders_updates()
        finally:
            for remove in forget:
                remove()

    async def _load_leaders_updates(self) -> None:
        if self.host.leadership.is_leader:
            return
        try:
            await self._load_latest()
        except Exception:
            log.exception("reading the leader's bot updates failed")

    async def _load_latest(self) -> None:
        """Each bot's newest update from the store (not one this process runs)."""
        for bot in self.roster.bots:
            if bot.name in self._mine:
                continue
            latest = await self.host.store.fetchone(
                "SELECT record FROM matrix_bridge_updates WHERE bot = ? "
                "ORDER BY started_at DESC LIMIT 1",
                (bot.name,),
            )
            if latest is not None:
                self.updates[bot.name] = _from_record(json.loads(latest["record"]))

    async def aclose(self) -> None:
        own = (self._poller, self._on_lead, self._leaders_updates, *self._tasks.values())
        tasks = [t for t in own if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    # --- lookups -----------------------------------------------------------------------

    def bot(self, name: str) -> Bot:
        bot = self.roster.get(name)
        if bot is None:
            why = (
                "its user is blank, so it is hidden"
                if name in self.roster.hidden
                else f"known bots: {', '.join(b.name for b in self.roster.bots) or 'none'}"
            )
            raise SparkError(
                f"no bot named {name!r} ({why})",
                status=404,
                type="not_found",
                detail={"bot": name},
            )
        return bot

    def first(self) -> Bot:
        bot = self.roster.first
        if bot is None:
            raise SparkError(
                "no bot is configured: set MATRIX_BRIDGE_USER (or matrix_bridge.bots)",
                status=404,
                type="not_found",
            )
        return bot

    def running(self, bot: Bot) -> Update | None:
        update = self.updates.get(bot.name)
        return update if update is not None and update.state == RUNNING else None

    def describe(self, bot: Bot) -> dict[str, Any]:
        status = self.statuses.get(bot.name)
        update = self.updates.get(bot.name)
        return {
            **bot.public(),
            "status": status.public() if status else None,
            "update": update.public(with_lines=False) if update else None,
            "update_time_cap_s": self.settings.update_time_cap_s,
        }

    # --- status ------------------------------------------------------------------------

    async def refresh(self, bot: Bot, *, announce: bool = False) -> BotStatus:
        """Read the container's state now; publish it if it changed (or ``announce``)."""
        try:
            result = await self.host.ssh.run(
                bot.target(self.host.topology),
                commands.inspect_state(bot),
                timeout=self.settings.action_timeout_s,
                observe=True,  # only reads: every replica shows the bots
            )
            status = from_inspect(result)
        except (SSHUnreachable, CommandTimeout) as exc:
            status = unknown(exc.message)
        previous = self.statuses.get(bot.name)
        self.statuses[bot.name] = status
        if announce or previous is None or _badge(previous) != _badge(status):
            self.host.events.publish(
                "matrix_bridge.status", {"bot": bot.name, "status": status.public()}, source=SOURCE
            )
        return status

    async def _poll(self) -> None:
        while True:
            await asyncio.gather(
                *(self.refresh(bot) for bot in self.roster.bots), return_exceptions=True
            )
            await asyncio.sleep(self.settings.status_interval_s)

    # --- actions -----------------------------------------------------------------------

    async def container_action(self, bot: Bot, verb: str) -> tuple[BotStatus, str]:
        """``docker restart|stop|start``; the fresh status, and what docker said."""
        if self.running(bot) is not None:
            raise Busy(f"an update of {bot.name} is running; wait for it to end")
        async with self._locks[bot.name]:
            result = await self._run(bot, commands.container_action(bot, verb))
            status = await self.refresh(bot, announce=True)
        if not result.ok:
            said = (result.stderr or result.stdout).strip()[-500:]
            raise SparkError(
                f"docker {verb} {bot.container} failed on {bot.node}: {said}",
                status=502,
                type="command_failed",
                detail={
                    "bot": bot.name,
                    "exit_status": result.exit_status,
                    "status": status.public(),
                },
            )
        return status, result.stdout.strip()

    async def logs(self, bot: Bot, lines: int) -> list[str]:
        result = await self._run(bot, commands.logs(bot, lines))
        if not result.ok:
            said = result.stdout.strip()[-500:]
            status = 404 if "No such container" in said else 502
            raise SparkError(
                f"could not read the logs of {bot.container} on {bot.node}: {said}",
                status=status,
                type="not_found" if status == 404 else "command_failed",
                detail={"bot": bot.name},
            )
        return result.stdout.splitlines()

    def check_followers(self, bot: Bot) -> None:
        """Refuse (429) one more followed log than ``MAX_FOLLOWERS`` per bot."""
        if self._followers.get(bot.name, 0) >= MAX_FOLLOWERS:
            raise SparkError(
                f"{MAX_FOLLOWERS} logs of {bot.name} are followed already; close one first",
                status=429,
                type="rate_limited",
            )

    @contextlib.contextmanager
    def follower(self, bot: Bot) -> Iterator[None]:
        """Count a followed log while it streams."""
        self.check_followers(bot)
        self._followers[bot.name] = self._followers.get(bot.name, 0) + 1
        try:
            yield
        finally:
            self._followers[bot.name] -= 1

    async def _run(self, bot: Bot, script: Script) -> Any:
        return await self.host.ssh.run(
            bot.target(self.host.topology), script, timeout=self.settings.action_timeout_s
        )

    async def start_update(self, bot: Bot, actor: str) -> Update:
        running = self.running(bot)
        if running is not None:
            raise Busy(
                f"an update of {bot.name} is already running ({running.phase})",
                detail={"update_id": running.id},
            )
        if self._locks[bot.name].locked():
            raise Busy(f"another action on {bot.name} is running; try again in a moment")
        update = new_update(bot, actor)
        self.updates[bot.name] = update
        self._mine[bot.name] = update.id
        try:
            await self._save(update)
        except BaseException:
            self._mine.pop(bot.name, None)
            raise
        self.host.events.publish(
            "matrix_bridge.update_started",
            {"bot": bot.name, "update_id": update.id, "actor": actor},
            source=SOURCE,
        )
        self._tasks[bot.name] = asyncio.create_task(self._update(bot, update))
        return update

    async def _update(self, bot: Bot, update: Update, *, resume: bool = False) -> Update:
        async with self._locks[bot.name]:
            run = UpdateRun(
                self.host,
                bot,
                bot.target(self.host.topology),
                update,
                time_cap_s=self.settings.update_time_cap_s,
                command_timeout_s=self.settings.action_timeout_s,
                save=self._save_as_leader,
            )
            try:
                if resume:
                    await run.resume(self.host.leadership.replica)
                else:
                    await run.run()
            finally:
                with contextlib.suppress(Exception):
                    await self._save_as_leader(update)
                if self._mine.get(bot.name) == update.id:
                    del self._mine[bot.name]
                with contextlib.suppress(Exception):
                    await self.refresh(bot, announce=True)
        return update

    async def wait(self, bot: Bot) -> Update | None:
        """Wait for the bot's running update to end (tests, the CLI)."""
        task = self._tasks.get(bot.name)
        if task is not None:
            await asyncio.shield(task)
        return self.updates.get(bot.name)

    async def history(self, bot: Bot, limit: int) -> list[dict[str, Any]]:
        rows = await self.host.store.fetchall(
            "SELECT record FROM matrix_bridge_updates WHERE bot = ? "
            "ORDER BY started_at DESC LIMIT ?",
            (bot.name, limit),
        )
        return [json.loads(row["record"]) for row in rows]

    async def _save_as_leader(self, update: Update) -> None:
        """Save a running update's record while this replica still leads: a leader that
        was paused past its lease finds out here, and leaves the record to the new one."""
        try:
            await self.host.leadership.fence()
        except NotLeader:
            log.warning("not saving update %s: this gateway no longer leads", update.id)
            raise
        await self._save(update)

    async def _save(self, update: Update) -> None:
        await self._save_record(update.public())
        await self.host.store.execute(
            "DELETE FROM matrix_bridge_updates WHERE bot = ? AND id NOT IN ("
            "SELECT id FROM matrix_bridge_updates WHERE bot = ? "
            "ORDER BY started_at DESC LIMIT ?)",
            (update.bot, update.bot, HISTORY_KEPT),
        )

    async def _save_record(self, record: dict[str, Any]) -> None:
        await self.host.store.execute(
            "INSERT INTO matrix_bridge_updates (id, bot, started_at, state, record) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET bot = excluded.bot, "
            "started_at = excluded.started_at, state = excluded.state, record = excluded.record "
            # An update that ended is never written again (by a leader paused past it).
            "WHERE matrix_bridge_updates.state = 'running'",
            (
                record["id"],
                record["bot"],
                record["started_at"],
                record["state"],
                json.dumps(record),
            ),
        )


def _badge(status: BotStatus) -> tuple[Any, ...]:
    return (status.state, status.exit_code, status.health, status.started_at, status.detail)


def _from_record(record: dict[str, Any]) -> Update:
    update = Update(
        id=record["id"],
        bot=record["bot"],
        actor=record.get("actor", ""),
        state=record["state"],
        phase=record["phase"],
        started_at=record["started_at"],
        finished_at=record.get("finished_at"),
        from_commit=record.get("from_commit"),
        to_commit=record.get("to_commit"),
        failed_phase=record.get("failed_phase"),
        reason=record.get("reason"),
        excerpt=record.get("excerpt"),
        resumed_by=record.get("resumed_by"),
    )
    for line in record.get("lines") or []:
        update.lines.append((line["phase"], line["text"]))
    return update
