"""The audit log: who did which mutating action, from where, and how it ended.

Rows live in the store (table ``core_audit``, owner ``core.audit``). The log is bounded:
it keeps the newest ``keep`` rows, pruning every ``prune_every`` records, so it may hold
up to ``keep + prune_every`` rows between prunes. ``GET /api/audit`` pages newest first.
"""

from __future__ import annotations

import builtins
import json
import logging
import time
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from spark_control.access import current_principal
from spark_control.deps import AuditDep
from spark_control.store import Store

OWNER = "core.audit"

log = logging.getLogger(__name__)

#: What a field the caller got wrong is written as (the entry is kept, never dropped).
UNKNOWN = "unknown"

_MIGRATIONS = [
    """
    CREATE TABLE core_audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time REAL NOT NULL,
        action TEXT NOT NULL,
        actor TEXT NOT NULL,
        origin TEXT NOT NULL,
        target TEXT,
        result TEXT NOT NULL,
        detail TEXT
    );
    CREATE INDEX core_audit_action ON core_audit (action, id);
    """,
    # The API key (or the key behind a dashboard session) the action was done with.
    "ALTER TABLE core_audit ADD COLUMN key TEXT;",
]

MAX_PAGE = 1000
#: SQLite's largest INTEGER: a larger ``before`` cannot be bound (OverflowError, a 500).
MAX_ID = 2**63 - 1


class AuditMisuse(Exception):
    """``record`` was called wrongly (a plugin's bug).

    Not raised into the request: the caller's action already happened, so its answer
    stays the action's and the entry is written with the wrong fields marked. The test
    harness (``spark_control.testing.running_gateway``) raises this when the gateway
    stops, naming every wrong call, so the plugin's own tests fail plainly.
    """


def _entry_problems(action: object, texts: dict[str, object], target: object) -> list[str]:
    problems: list[str] = []
    if not isinstance(action, str) or not action.strip():
        problems.append(f"action must name what was done ('hello.reset'), got {action!r:.60}")
    for name, text in texts.items():
        if not isinstance(text, str):
            problems.append(f"{name} must be a string, got {text!r:.60}")
        elif text == "":
            problems.append(f"{name}= is required (who asked, from where, and how it went)")
    if target is not None and not isinstance(target, str):
        problems.append(f"target must be a string or None, got {target!r:.60}")
    return problems


def _usable(text: object) -> str:
    """A wrongly given field as it is written: its text if it has one, else unknown."""
    if isinstance(text, str):
        return text.strip() or UNKNOWN
    return UNKNOWN if text is None else str(text)


class AuditEntry(BaseModel):
    id: int
    time: str  # ISO 8601, UTC
    action: str  # dotted, e.g. "models.swap", "ssh.key_install"
    actor: str  # who the caller says it is (X-Actor), else the key name, "cli"
    origin: str  # client address, or "cli"
    target: str | None
    result: str  # "ok", "refused", "failed", ...
    detail: Any
    key: str | None = None  # name of the API key used (never its secret); null: keys off


class AuditPage(BaseModel):
    entries: builtins.list[AuditEntry]
    next_before: int | None  # pass as ?before= for the next (older) page


def iso_utc(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class AuditLog:
    """Record and read audit entries; call :meth:`setup` once before use."""

    def __init__(self, store: Store, *, keep: int = 10_000, prune_every: int = 100) -> None:
        self.store = store
        self.keep = keep
        self.prune_every = max(prune_every, 1)
        self._since_prune = 0
        #: Every wrong ``record`` call so far, said plainly (the test harness checks it).
        self.misuses: builtins.list[str] = []

    async def setup(self) -> None:
        await self.store.migrate(OWNER, _MIGRATIONS)
        await self.prune()

    async def prune(self) -> int:
        self._since_prune = 0
        return await self.store.prune("core_audit", self.keep)

    async def record(
        self,
        action: str,
        *,
        # Required; the empty defaults only let a forgotten one be named (see AuditMisuse).
        actor: str = "",
        origin: str = "",
        target: str | None = None,
        result: str = "",
        detail: Any = None,
        key: str | None = None,
    ) -> int:
        """Append one entry and return its id; ``detail`` must be JSON-serialisable.

        ``key`` defaults to the name of the API key the current request was made with,
        so every plugin's entries are attributed without the plugin knowing about keys;
        an actor left "anonymous" becomes that key's name.
        """
        problems = _entry_problems(
            action, {"actor": actor, "origin": origin, "result": result}, target
        )
        if problems:
            # Kept, not dropped: the action happened; the entry says what was wrong.
            said = f"audit.record({action!r:.60}): " + "; ".join(problems)
            log.error("%s", said)
            self.misuses.append(said)
            action, actor, origin, result = map(_usable, (action, actor, origin, result))
            target = None if target is None else _usable(target)
            detail = {"audit_misuse": problems, "detail": detail}
        if key is None:
            principal = current_principal.get()
            key = principal.name if principal is not None else None
        if key is not None and actor == "anonymous":
            actor = key
        entry_id = await self.store.insert(
            "INSERT INTO core_audit (time, action, actor, origin, target, result, detail, key)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                time.time(),
                action,
                actor,
                origin,
                target,
                result,
                None if detail is None else json.dumps(detail, default=str),
                key,
            ),
        )
        self._since_prune += 1
        if self._since_prune >= self.prune_every:
            await self.prune()
        return entry_id

    async def list(
        self,
        limit: int = 100,
        before_id: int | None = None,
        action: str | None = None,
        key: str | None = None,
    ) -> builtins.list[dict[str, Any]]:
        """Entries newest first, older than ``before_id``, optionally of one action or
        made with one API key."""
        where: builtins.list[str] = []
        params: builtins.list[Any] = []
        if key:
            where.append("key = ?")
            params.append(key)
        if before_id is not None:
            where.append("id < ?")
            params.append(before_id)
        if action:
            where.append("action = ?")
            params.append(action)
        sql = "SELECT * FROM core_audit"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(max(1, limit))
        rows = await self.store.fetchall(sql, params)
        for row in rows:
            row["time"] = iso_utc(row["time"])
            row["detail"] = None if row["detail"] is None else json.loads(row["detail"])
        return rows


router = APIRouter(tags=["audit"])


@router.get("/api/audit", response_model=AuditPage)
async def list_audit(
    audit: AuditDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    action: str | None = None,
    key: Annotated[str | None, Query(max_length=63, description="API key name")] = None,
) -> dict[str, Any]:
    """The audit log, newest first, paged with ``before``."""
    # One extra row tells whether an older page exists.
    rows = await audit.list(limit + 1, before, action, key)
    page = rows[:limit]
    more = len(rows) > limit
    return {"entries": page, "next_before": page[-1]["id"] if more else None}
