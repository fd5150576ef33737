"""A bot's badge, from its container's Docker state alone.

``docker inspect --format '{{json .State}}'`` answers the state (running, restarting,
exited with its code, created, paused, dead) and, when the image has a HEALTHCHECK,
``Health.Status`` (starting, healthy, unhealthy). No such container means ``missing``;
a node that cannot be asked means ``unknown``, with the reason.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from typing import Any

from spark_control.api import CommandResult

MISSING = "missing"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class BotStatus:
    state: str
    exit_code: int | None = None
    health: str | None = None
    started_at: str | None = None
    oom_killed: bool = False
    detail: str | None = None
    checked_at: float = 0.0

    @property
    def label(self) -> str:
        """What the badge says, in plain words."""
        if self.state == "exited":
            text = f"exited ({self.exit_code})" if self.exit_code is not None else "exited"
            return f"{text}, out of memory" if self.oom_killed else text
        if self.health and self.state == "running":
            return f"running, {self.health}"
        return self.state

    def public(self) -> dict[str, Any]:
        return {**asdict(self), "label": self.label}


def unknown(reason: str) -> BotStatus:
    return BotStatus(UNKNOWN, detail=reason, checked_at=time.time())


def from_inspect(result: CommandResult) -> BotStatus:
    """Read the answer of ``commands.inspect_state``."""
    now = time.time()
    if not result.ok:
        text = (result.stderr or result.stdout).strip()
        if "No such" in text:
            return BotStatus(MISSING, detail="no container of that name", checked_at=now)
        return BotStatus(
            UNKNOWN, detail=text[-300:] or f"exit status {result.exit_status}", checked_at=now
        )
    try:
        state = json.loads(result.stdout.strip().splitlines()[0])
        status = str(state["Status"])
    except (IndexError, ValueError, KeyError, TypeError):
        return BotStatus(UNKNOWN, detail="docker answered something unreadable", checked_at=now)
    health = state.get("Health") or {}
    return BotStatus(
        state=status,
        exit_code=int(state.get("ExitCode", 0)) if status in ("exited", "dead") else None,
        health=str(health["Status"]) if isinstance(health, dict) and health.get("Status") else None,
        started_at=state.get("StartedAt") or None,
        oom_killed=bool(state.get("OOMKilled")),
        checked_at=now,
    )
