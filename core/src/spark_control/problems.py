"""``/api/problems``: what is wrong now, worst first, in words; each tile's badge; the pill.

Problems come from what the gateway already knows: every enabled probe that is down,
degraded or has not answered yet, every plugin that failed to load or start, and node
facts that could not be read (one line per node, repeated errors collapsed with a
count). A tile's badge is the worst state among its probes: its ``status_probe`` and
every other probe of the plugin that registered it, so a Speech tile is down while
TTS is down even if ASR answers.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from spark_control.deps import GatewayDep
from spark_control.health import HealthState, ProbeStatus

if TYPE_CHECKING:
    from spark_control.gateway import Gateway

# Lower is worse. "failed" is a plugin that could not load or start.
SEVERITY = {"down": 0, "failed": 0, "degraded": 1, "unknown": 2, "warning": 3, "ok": 9}
_WORDS = {
    HealthState.DOWN: "is down",
    HealthState.DEGRADED: "is degraded",
    HealthState.UNKNOWN: "has not answered yet",
}


def clock_time(t: float, now: float | None = None) -> str:
    """``14:02 UTC`` today, ``Jun 9 14:02 UTC`` on another day."""
    at = datetime.fromtimestamp(t, UTC)
    today = datetime.fromtimestamp(time.time() if now is None else now, UTC).date()
    if at.date() == today:
        return at.strftime("%H:%M UTC")
    return f"{at.strftime('%b')} {at.day} {at.strftime('%H:%M')} UTC"


def subject_of(probe: str, service: str | None, node: str | None) -> str:
    """How a probe's subject reads: ``tts on spark-2``, ``node spark-2``."""
    if probe.startswith("node:") and node:
        return f"node {node}"
    name = service or probe
    return f"{name} on {node}" if node else name


def describe_health(
    probe: str,
    state: str,
    detail: str = "",
    since: float | None = None,
    *,
    service: str | None = None,
    node: str | None = None,
    now: float | None = None,
) -> str:
    """A probe's state in words: ``tts on spark-2 is down since 14:02 UTC: refused``."""
    words = _WORDS.get(HealthState(state), f"is {state}")
    if probe.startswith("node:") and state == HealthState.DOWN:
        words = "is unreachable"
    text = f"{subject_of(probe, service, node)} {words}"
    if since is not None and state != HealthState.UNKNOWN:
        text += f" since {clock_time(since, now)}"
    if detail:
        text += f": {detail}"
    return text


class Problem(BaseModel):
    id: str = Field(description="Stable while the problem lasts.", examples=["probe:tts"])
    state: str = Field(description="down, failed, degraded, unknown or warning", examples=["down"])
    message: str = Field(
        examples=["tts on spark-2 is down since 14:02 UTC: ConnectError on http://…/health"]
    )
    subject: str = Field(examples=["tts on spark-2"])
    detail: str = Field(examples=["ConnectError on http://<spark-2-ip>:8880/health"])
    since: float | None = Field(description="Unix time it began, if known.")
    probe: str | None = Field(examples=["tts"])
    node: str | None = Field(examples=["spark-2"])
    owner: str | None = Field(examples=["speech"])
    tile: str | None = Field(
        description="The tile to link to; node problems link to `node:<name>`.",
        examples=["speech"],
    )
    count: int = Field(1, description="How many times it was seen (collapsed repeats).")


class Badge(BaseModel):
    state: str = Field(examples=["down"])
    probes: list[str] = Field(examples=[["asr", "tts"]])
    worst: str | None = Field(description="The probe that sets the state.", examples=["tts"])


class Pill(BaseModel):
    state: str = Field(examples=["down"])
    text: str = Field(examples=["Down: tts on spark-2 · Degraded: asr on spark-1"])


class ProblemsAnswer(BaseModel):
    pill: Pill
    problems: list[Problem]
    tiles: dict[str, Badge]


def tile_probes(gateway: Gateway) -> dict[str, list[str]]:
    """Each badge-carrying tile's probes: its ``status_probe`` first, then the other
    probes its plugin registered."""
    found: dict[str, list[str]] = {}
    for contribution in gateway.contributions.values():
        owned = [p.name for p in contribution.probes]
        for tile in contribution.tiles:
            if tile.status_probe is None:
                continue
            names = [tile.status_probe, *(n for n in owned if n != tile.status_probe)]
            found[tile.id] = names
    return found


def badges(
    probes_of: Mapping[str, list[str]], statuses: Mapping[str, ProbeStatus]
) -> dict[str, dict[str, Any]]:
    out = {}
    for tile, names in probes_of.items():
        live = [statuses[n] for n in names if n in statuses]
        enabled = [s for s in live if s.state is not HealthState.DISABLED]
        if not enabled:
            state = HealthState.DISABLED if live else HealthState.UNKNOWN
            out[tile] = {"state": str(state), "probes": names, "worst": None}
            continue
        worst = min(enabled, key=lambda s: SEVERITY.get(s.state, 9))
        out[tile] = {"state": str(worst.state), "probes": names, "worst": worst.name}
    return out


def probe_problems(
    statuses: Iterable[ProbeStatus], tile_of: Mapping[str, str], now: float
) -> list[dict[str, Any]]:
    found = []
    for s in statuses:
        if s.state not in _WORDS:
            continue
        tile = f"node:{s.node}" if s.name.startswith("node:") and s.node else tile_of.get(s.name)
        found.append(
            {
                "id": f"probe:{s.name}",
                "state": str(s.state),
                "message": describe_health(
                    s.name, s.state, s.detail, s.since, service=s.service, node=s.node, now=now
                ),
                "subject": subject_of(s.name, s.service, s.node),
                "detail": s.detail,
                "since": s.since,
                "probe": s.name,
                "node": s.node,
                "owner": s.owner,
                "tile": tile,
                "count": 1,
            }
        )
    return found


def facts_problems(node: str, errors: list[str], checked_at: float) -> dict[str, Any] | None:
    """One warning for a node whose facts could not all be read; the same error
    repeated (one SSH failure for each of five commands) is said once, with a count."""
    if not errors:
        return None
    reasons = Counter(e.split(": ", 1)[1] if ": " in e else e for e in errors)
    parts = [f"{why} ({n} times)" if n > 1 else why for why, n in reasons.items()]
    return {
        "id": f"facts:{node}",
        "state": "warning",
        "message": f"Could not read all facts of node {node}: " + "; ".join(parts),
        "subject": f"node {node}",
        "detail": "; ".join(parts),
        "since": checked_at,
        "probe": None,
        "node": node,
        "owner": "core",
        "tile": f"node:{node}",
        "count": len(errors),
    }


def pill(problems: list[dict[str, Any]]) -> dict[str, str]:
    """The header pill: the worst state, and what is in it, by name."""
    if not problems:
        return {"state": "ok", "text": ""}
    groups: dict[str, list[str]] = {}
    for p in problems:
        groups.setdefault(p["state"], []).append(p["subject"])
    parts = []
    for state in sorted(groups, key=lambda s: SEVERITY.get(s, 9)):
        names = groups[state]
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        label = {"unknown": "Waiting for", "warning": "Warning"}.get(state, state.capitalize())
        parts.append(f"{label}: {shown}")
    # The state is health's: a failed plugin counts as down, a warning (facts not read)
    # is named but changes no colour.
    states = [{"failed": "down"}.get(p["state"], p["state"]) for p in problems]
    worst = min((s for s in states if s != "warning"), key=SEVERITY.__getitem__, default="ok")
    return {"state": worst, "text": " · ".join(parts)}


def collect(gateway: Gateway, now: float | None = None) -> dict[str, Any]:
    now = time.time() if now is None else now
    statuses = gateway.health.snapshot()
    probes_of = tile_probes(gateway)
    tile_of: dict[str, str] = {}
    for tile, names in probes_of.items():
        for name in names:
            tile_of.setdefault(name, tile)
    problems = probe_problems(statuses.values(), tile_of, now)
    for name, record in gateway.records.items():
        why = record.unavailable()
        if record.status == "disabled" or why is None:
            continue
        problems.append(
            {
                "id": f"plugin:{name}",
                "state": "failed",
                "message": f"Plugin {name} is unavailable: {why}",
                "subject": f"plugin {name}",
                "detail": why,
                "since": None,
                "probe": None,
                "node": None,
                "owner": name,
                "tile": None,
                "count": 1,
            }
        )
    down_nodes = {
        s.node for s in statuses.values() if s.name.startswith("node:") and s.state == "down"
    }
    for node in gateway.host.topology.nodes:
        facts = gateway.facts.latest(node)
        if facts is None or node in down_nodes:
            continue
        found = facts_problems(node, facts.errors, facts.checked_at)
        if found is not None:
            problems.append(found)
    problems.sort(key=lambda p: (SEVERITY.get(p["state"], 9), p["since"] or now, p["id"]))
    return {"pill": pill(problems), "problems": problems, "tiles": badges(probes_of, statuses)}


router = APIRouter(tags=["health"])


@router.get("/api/problems", response_model=ProblemsAnswer)
async def problems(gateway: GatewayDep) -> dict[str, Any]:
    """Everything wrong now, worst first (down and failed, then degraded, then not
    answering yet, then warnings; older first within a state), each in words and
    linked to its tile; each tile's badge (the worst of its probes); and the header
    pill naming what is degraded. From caches: instant."""
    return collect(gateway)
