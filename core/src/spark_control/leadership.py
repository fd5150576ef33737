"""One leader for the cluster's side effects when several gateways share a database.

Every replica serves the API, the dashboard and ``/v1``; only the leader drives the
cluster (swaps, reconcile, bot updates, webhook delivery). With SQLite (one gateway)
the gateway is always the leader: :class:`SoloLeadership`, which never waits on
anything. With ``gateway.database_url`` on PostgreSQL, :class:`PostgresLeadership`
holds a lease row with a fencing counter:

- the row (``spark_leader``) names the holder, its fencing number and its expiry by the
  **database's clock**; taking it when it has expired raises the fencing number, so a
  later leader always has a higher one than any earlier;
- every grant and renewal is one ``INSERT … ON CONFLICT DO UPDATE … WHERE`` statement,
  which PostgreSQL runs under the row's lock: two replicas can never both take it;
- the holder renews every ``ttl_s / 3``; a follower tries as often, so a dead leader's
  replacement takes over within about ``ttl_s + ttl_s / 3``;
- :meth:`fence` is what every remote action awaits first (the SSH executor calls it
  before each command): it refuses at once when the process's own monotonic clock says
  the last confirmed lease may have run out (a leader paused by SIGSTOP, or cut off from
  the database, finds this on waking before anything else runs), and otherwise asks
  the database whether this replica's fencing number still holds a live lease.

A database cannot fence an SSH command; the fence narrows the window to the time
between the check and the command, which is why remote actions are idempotent by name.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from collections.abc import Callable
from typing import Any, Literal
from urllib.parse import urlsplit

from spark_control.errors import Unavailable

log = logging.getLogger(__name__)

#: The database's clock, seconds since the Unix epoch (tests pass a table they set).
POSTGRES_NOW = "extract(epoch from clock_timestamp())::float8"
# The advisory lock key creating the table (any constant; "leadr" in ASCII).
_SETUP_LOCK = 0x6C65616472
_SETUP = """CREATE TABLE IF NOT EXISTS spark_leader (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    fencing BIGINT NOT NULL,
    expires_at DOUBLE PRECISION NOT NULL
)"""
# Where the holder is reached (gateway.advertise_url): followers forward gated actions
# there. Added to a table an earlier release created.
_SETUP_URL = "ALTER TABLE spark_leader ADD COLUMN IF NOT EXISTS url TEXT"
ROLE = "cluster"
#: The gate that refuses gated actions on a replica that does not lead.
LEADER_GATE = "core.leadership"
#: The response header naming the leader on that refusal.
LEADER_HEADER = "X-Spark-Leader"

Kind = Literal["solo", "postgres"]
Listener = Callable[[bool], None]


class NotLeader(Unavailable):
    """This replica does not (or can no longer show that it does) lead the cluster."""

    type = "not_leader"


def replica_url(text: str) -> str:
    """``text`` as the base URL one replica reaches another at (``http(s)://host[:port]``,
    no user, path, query or fragment), or ValueError saying what is wrong. Applied to the
    setting and to what is read back from the database alike: a forwarded request must
    go nowhere but to a gateway."""
    value = text.strip()
    try:
        parts = urlsplit(value)
        port = parts.port  # raises on a port that is not a number in range
    except ValueError as exc:
        raise ValueError(f"{_shown(value)} is not a URL: {exc}") from None
    why = None
    if parts.scheme not in ("http", "https"):
        why = "must be an http:// or https:// URL"
    elif not parts.hostname:
        why = "names no host"
    elif "@" in parts.netloc:
        why = "must not hold a user or password"
    elif parts.path not in ("", "/") or parts.query or parts.fragment:
        why = "must be scheme://host[:port] only (no path or query)"
    elif port == 0 or any(c.isspace() or ord(c) < 0x20 for c in value):
        why = "holds port 0, spaces or control characters"
    if why is not None:
        raise ValueError(f"{_shown(value)} {why}")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _shown(value: str) -> str:
    """``value`` for a message, without a user or password it may hold."""
    at = value.rfind("@")
    if at >= 0 and "://" in value[:at]:
        scheme, _, rest = value.partition("://")
        value = f"{scheme}://{rest[rest.rfind('@') + 1 :]}"
    return repr(value[:200])


def replica_name() -> str:
    """A name for this process, unique among replicas: host, pid and a random tail."""
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"


class Leadership:
    """What every replica knows about leading; the base is the one-gateway case."""

    kind: Kind = "solo"

    def __init__(self, replica: str | None = None, *, url: str | None = None) -> None:
        self.replica = replica or replica_name()
        #: Where the other replicas reach this one (``gateway.advertise_url``).
        self.url = url
        self._listeners: list[Listener] = []
        self._lead = asyncio.Event()

    @property
    def is_leader(self) -> bool:
        """Whether this replica may act on the cluster now (as far as it knows)."""
        return True

    @property
    def fencing(self) -> int | None:
        """The fencing number of this replica's lease, None when it holds none."""
        return 0

    @property
    def leader_url(self) -> str | None:
        """Where the leader is reached, as last read (None: unknown or not advertised)."""
        return self.url

    async def fence(self) -> None:
        """Raise :class:`NotLeader` unless this replica leads; await before acting."""

    async def wait_leader(self) -> None:
        """Return once this replica leads (at once if it does)."""
        if self.is_leader:
            return
        await self._lead.wait()

    def on_change(self, listener: Listener) -> None:
        """Call ``listener(is_leader)`` whenever this replica gains or loses the lead."""
        self._listeners.append(listener)

    def _changed(self, leading: bool) -> None:
        if leading:
            self._lead.set()
        else:
            self._lead.clear()
        for listener in list(self._listeners):
            try:
                listener(leading)
            except Exception:
                log.exception("a leadership listener failed")

    async def start(self) -> None:
        """Take part: the first try is made before this returns. Alone, this replica
        leads from the start and nobody needs telling."""
        self._lead.set()

    async def aclose(self) -> None:
        """Stop taking part (and hand the lead back at once, where there is one)."""

    def view(self) -> dict[str, Any]:
        """What ``GET /api/leadership`` shows."""
        return {
            "backend": self.kind,
            "replica": self.replica,
            "leader": self.is_leader,
            "fencing": self.fencing,
            "holder": self.replica if self.is_leader else None,
            "leader_url": self.leader_url,
        }


class SoloLeadership(Leadership):
    """One gateway on its own database: always the leader, nothing to wait on."""


class PostgresLeadership(Leadership):
    """The lead as a row on a PostgreSQL server shared by the replicas."""

    kind: Kind = "postgres"

    def __init__(
        self,
        dsn: str,
        *,
        replica: str | None = None,
        url: str | None = None,
        ttl_s: float = 9.0,
        now_sql: str = POSTGRES_NOW,
        monotonic: Callable[[], float] = time.monotonic,
        connect_timeout_s: float = 5.0,
    ) -> None:
        super().__init__(replica, url=url)
        if ttl_s <= 0:
            raise ValueError("ttl_s must be positive")
        self.dsn = dsn
        self.ttl_s = ttl_s
        self.now_sql = now_sql
        self.monotonic = monotonic
        self.connect_timeout_s = connect_timeout_s
        # Renew three times a lease; an answer slower than this is no answer.
        self.interval_s = ttl_s / 3
        self.query_timeout_s = max(0.5, ttl_s / 3)
        # Room for the two clocks running at slightly different rates.
        self.margin_s = min(1.0, ttl_s / 10)
        self._fencing: int | None = None
        self._valid_until = 0.0  # by ``monotonic``: the lease is surely live before
        self.holder: str | None = None  # who leads, as last read
        self._holder_url: str | None = None  # and where it is reached
        self._conn: Any = None
        self._mutex = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    # --- what plugins and the executor ask -----------------------------------------

    @property
    def is_leader(self) -> bool:
        return self._fencing is not None and self.monotonic() < self._valid_until

    @property
    def fencing(self) -> int | None:
        return self._fencing if self.is_leader else None

    @property
    def leader_url(self) -> str | None:
        if self.is_leader:
            return self.url
        return self._holder_url if self.holder is not None else None

    async def fence(self) -> None:
        if not self.is_leader:
            self._lose("its lease may have run out")
            raise NotLeader(self._not_leader_message())
        mine = self._fencing
        try:
            async with self._mutex:
                rows = await self._query(
                    f"SELECT holder, fencing, url, expires_at > {self.now_sql} AS live "  # noqa: S608 - now_sql is ours
                    "FROM spark_leader WHERE name = %s",
                    (ROLE,),
                )
        except Exception as exc:
            # Unable to show the lease holds is the same as not holding it.
            raise NotLeader(
                f"this replica cannot confirm it leads (the database did not answer: "
                f"{_first_line(exc)}); the action was not run"
            ) from exc
        row = rows[0] if rows else {}
        if (row.get("holder"), row.get("fencing"), row.get("live")) != (self.replica, mine, True):
            self._read_holder(row if row.get("live") else {})
            self._lose("the database no longer names it")
            raise NotLeader(self._not_leader_message())

    def _not_leader_message(self) -> str:
        leader = f"; the leader is {self.holder}" if self.holder else ""
        return f"this gateway replica ({self.replica}) is not the cluster's leader{leader}"

    def view(self) -> dict[str, Any]:
        return {**super().view(), "holder": self.holder, "ttl_s": self.ttl_s}

    # --- the lease -----------------------------------------------------------------

    async def start(self) -> None:
        try:
            await self._setup()
            await self.attempt()
        except Exception as exc:
            log.warning("leadership: the database cannot be reached yet: %s", _first_line(exc))
        self._task = asyncio.create_task(self._run(), name="leadership")

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._fencing is not None:
            # Hand the lead back now, so a rolling restart does not wait out the lease.
            with contextlib.suppress(Exception):
                async with self._mutex:
                    await self._query(
                        f"UPDATE spark_leader SET expires_at = {self.now_sql} "  # noqa: S608
                        "WHERE name = %s AND holder = %s AND fencing = %s",
                        (ROLE, self.replica, self._fencing),
                    )
            self._lose("it stopped")
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.close()
            self._conn = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            try:
                await self.attempt()
            except Exception as exc:
                log.warning("leadership: renewal failed: %s", _first_line(exc))

    async def attempt(self) -> bool:
        """Take the lead if it is free or renew it if ours; return whether we lead."""
        mine = -1 if self._fencing is None else self._fencing
        asked_at = self.monotonic()  # before the query: the lease ends no sooner
        now = self.now_sql
        held: list[dict[str, Any]] = []
        try:
            async with self._mutex:
                rows = await self._query(
                    "INSERT INTO spark_leader AS l (name, holder, fencing, expires_at, url) "  # noqa: S608 - now_sql is ours
                    f"VALUES (%(role)s, %(me)s, 1, {now} + %(ttl)s, %(url)s) "
                    "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
                    "url = excluded.url, "
                    "fencing = CASE WHEN l.holder = excluded.holder AND l.fencing = %(mine)s "
                    f"AND l.expires_at > {now} THEN l.fencing ELSE l.fencing + 1 END, "
                    f"expires_at = {now} + %(ttl)s "
                    "WHERE (l.holder = excluded.holder AND l.fencing = %(mine)s "
                    f"AND l.expires_at > {now}) OR l.expires_at <= {now} "
                    "RETURNING fencing",
                    {
                        "role": ROLE,
                        "me": self.replica,
                        "mine": mine,
                        "ttl": self.ttl_s,
                        "url": self.url,
                    },
                )
                if not rows:
                    held = await self._query(
                        "SELECT holder, url FROM spark_leader WHERE name = %s", (ROLE,)
                    )
        except Exception:
            # Not lost yet: the lease holds until ``_valid_until``, and the next try
            # may renew it. ``is_leader`` turns false by itself when that passes.
            if not self.is_leader:
                self._lose("its lease ran out unrenewed (the database did not answer)")
            raise
        if not rows:
            self._read_holder(held[0] if held else {})
            self._lose(f"{self.holder} leads")
            return False
        fencing = int(rows[0]["fencing"])
        gained = self._fencing != fencing
        self._fencing, self.holder = fencing, self.replica
        self._valid_until = asked_at + self.ttl_s - self.margin_s
        if gained:
            log.info("leadership: %s leads the cluster (fencing %d)", self.replica, fencing)
            self._changed(True)
        return True

    def _read_holder(self, row: dict[str, Any]) -> None:
        """Who leads and where it is reached, from the row; a URL that is not a
        gateway's (http or https, host and port only) is not believed."""
        self.holder = row.get("holder")
        url = row.get("url")
        try:
            self._holder_url = replica_url(url) if isinstance(url, str) and url else None
        except ValueError as exc:
            log.warning("leadership: ignoring the leader's advertised URL: %s", exc)
            self._holder_url = None

    def _lose(self, why: str) -> None:
        if self.holder == self.replica:
            self.holder = None  # not us, and who else is not known yet
        if self._fencing is None:
            return
        log.warning("leadership: %s no longer leads: %s", self.replica, why)
        self._fencing = None
        self._valid_until = 0.0
        self._changed(False)

    # --- the connection ------------------------------------------------------------

    async def _setup(self) -> None:
        async with self._mutex:
            conn = await self._connection()
            async with asyncio.timeout(self.connect_timeout_s + self.query_timeout_s):
                async with conn.transaction():
                    await conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SETUP_LOCK,))
                    await conn.execute(_SETUP)
                    await conn.execute(_SETUP_URL)

    async def _connection(self) -> Any:
        import psycopg
        from psycopg.rows import dict_row

        if self._conn is None or self._conn.closed or self._conn.broken:
            async with asyncio.timeout(self.connect_timeout_s + 1):
                self._conn = await psycopg.AsyncConnection.connect(
                    self.dsn,
                    autocommit=True,
                    row_factory=dict_row,
                    connect_timeout=max(1, round(self.connect_timeout_s)),
                )
        return self._conn

    async def _query(self, sql: str, params: Any) -> list[dict[str, Any]]:
        """One statement on the replica's own connection (the caller holds the mutex);
        a slow or broken connection is dropped and opened anew next time."""
        try:
            conn = await self._connection()
            async with asyncio.timeout(self.query_timeout_s):
                cursor = await conn.execute(sql, params)
                return await cursor.fetchall() if cursor.description else []
        except BaseException:
            conn, self._conn = self._conn, None
            if conn is not None:
                with contextlib.suppress(Exception):
                    await conn.close()
            raise


def leadership_for(
    database_url: str | None, *, ttl_s: float = 9.0, url: str | None = None
) -> Leadership:
    """PostgreSQL's lease row for a ``postgresql://`` URL, else the one-gateway case;
    ``url`` is where the other replicas reach this one (``gateway.advertise_url``)."""
    if database_url and database_url.split(":", 1)[0] in ("postgresql", "postgres"):
        return PostgresLeadership(database_url, ttl_s=ttl_s, url=url)
    return SoloLeadership(url=url)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


__all__ = [
    "LEADER_GATE",
    "LEADER_HEADER",
    "Leadership",
    "NotLeader",
    "PostgresLeadership",
    "SoloLeadership",
    "leadership_for",
    "replica_name",
    "replica_url",
]
