"""How docker shows a container: ``docker ps`` rows, ``docker inspect`` objects, tables.

Keys, time formats and status strings follow docker 27: ``{{json .}}`` of a ps row has
string values and sorted keys; ``inspect`` times are RFC 3339 with nanoseconds and
``0001-01-01T00:00:00Z`` for never; ``Status`` reads ``Up 3 seconds (healthy)`` or
``Exited (137) 2 seconds ago``.
"""

from __future__ import annotations

import hashlib
import shlex
import time
from datetime import UTC, datetime
from typing import Any

from spark_control.sim.controller import Container, NodeState

__all__ = ["TABLE_HEADERS", "human_duration", "inspect_object", "ps_row", "tabulate"]

_ZERO_TIME = "0001-01-01T00:00:00Z"

TABLE_HEADERS = {
    "ID": "CONTAINER ID",
    "Image": "IMAGE",
    "Command": "COMMAND",
    "CreatedAt": "CREATED AT",
    "RunningFor": "CREATED",
    "Ports": "PORTS",
    "State": "STATE",
    "Status": "STATUS",
    "Size": "SIZE",
    "Names": "NAMES",
    "Labels": "LABELS",
    "Mounts": "MOUNTS",
    "Networks": "NETWORKS",
    "LocalVolumes": "LOCAL VOLUMES",
}


def human_duration(seconds: float) -> str:
    """go-units ``HumanDuration``, which docker uses for ``Up ...`` and ``... ago``."""
    hours = round(seconds / 3600)
    if hours < 48:
        return _within_two_days(seconds)
    for below, per, unit in ((24 * 7 * 2, 24, "days"), (24 * 30 * 2, 24 * 7, "weeks")):
        if hours < below:
            return f"{hours // per} {unit}"
    if hours < 24 * 365 * 2:
        return f"{hours // 24 // 30} months"
    return f"{hours // 24 // 365} years"


def _within_two_days(seconds: float) -> str:
    s = int(seconds)
    if s < 1:
        return "Less than a second"
    if s == 1:
        return "1 second"
    if s < 60:
        return f"{s} seconds"
    minutes = round(seconds / 60)
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    hours = round(seconds / 3600)
    return "About an hour" if hours == 1 else f"{hours} hours"


def _rfc3339(at: float | None) -> str:
    if at is None:
        return _ZERO_TIME
    stamp = datetime.fromtimestamp(at, UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.%f") + "000Z"


def _status(c: Container, now: float) -> str:
    if c.status == "running":
        health = c.health()
        suffix = {"starting": " (health: starting)", "healthy": " (healthy)"}.get(
            health or "", " (unhealthy)" if health == "unhealthy" else ""
        )
        return f"Up {human_duration(now - (c.started_at or now))}{suffix}"
    if c.status == "restarting":
        ago = human_duration(now - (c.finished_at or now))
        return f"Restarting ({c.exit_code}) {ago} ago"
    if c.status == "exited":
        return f"Exited ({c.exit_code}) {human_duration(now - (c.finished_at or now))} ago"
    return "Created"


def _command(c: Container, no_trunc: bool) -> str:
    text = shlex.join(c.argv or c.args)
    if not no_trunc and len(text) > 20:
        text = text[:19] + "…"
    return f'"{text}"'


def ps_row(c: Container, *, no_trunc: bool = False) -> dict[str, str]:
    """One ``docker ps`` row; every value a string, as ``{{json .}}`` prints them."""
    now = time.time()
    created = datetime.fromtimestamp(c.created, UTC).strftime("%Y-%m-%d %H:%M:%S +0000 UTC")
    return {
        "Command": _command(c, no_trunc),
        "CreatedAt": created,
        "ID": c.id if no_trunc else c.id[:12],
        "Image": c.image,
        "Labels": ",".join(f"{k}={v}" for k, v in sorted(c.labels.items())),
        "LocalVolumes": "0",
        "Mounts": ",".join(m.split(":", 1)[0] for m in c.mounts),
        "Names": c.name,
        "Networks": c.network_mode,
        "Ports": "",
        "RunningFor": f"{human_duration(now - c.created)} ago",
        "Size": "0B",
        "State": c.status,
        "Status": _status(c, now),
    }


def _image_id(image: str) -> str:
    return "sha256:" + hashlib.sha256(image.encode()).hexdigest()


def inspect_object(c: Container, node: NodeState) -> dict[str, Any]:
    """What ``docker inspect`` shows of a container (the fields callers read)."""
    state: dict[str, Any] = {
        "Status": c.status,
        "Running": c.status == "running",
        "Paused": False,
        "Restarting": c.status == "restarting",
        "OOMKilled": c.oom_killed,
        "Dead": False,
        "Pid": c.pid if c.status == "running" else 0,
        "ExitCode": c.exit_code,
        "Error": "",
        "StartedAt": _rfc3339(c.started_at),
        "FinishedAt": _rfc3339(c.finished_at),
    }
    health = c.health()
    if health is not None:
        state["Health"] = {"Status": health, "FailingStreak": 0, "Log": []}
    policy, _, retries = c.restart_policy.partition(":")
    binds = [m for m in c.mounts if ":" in m]
    return {
        "Id": c.id,
        "Created": _rfc3339(c.created),
        "Path": c.argv[0] if c.argv else "",
        "Args": c.argv[1:],
        "State": state,
        "Image": _image_id(c.image),
        "LogPath": str(c.log_path),
        "Name": f"/{c.name}",
        "RestartCount": c.restart_count,
        "Driver": "overlay2",
        "Platform": "linux",
        "HostConfig": {
            "Binds": binds or None,
            "NetworkMode": c.network_mode,
            "RestartPolicy": {"Name": policy, "MaximumRetryCount": int(retries or 0)},
            "AutoRemove": c.auto_remove,
        },
        "Mounts": [
            {
                "Type": "bind",
                "Source": m.split(":")[0],
                "Destination": m.split(":")[1],
                "Mode": m.split(":")[2] if m.count(":") > 1 else "",
                "RW": not m.endswith(":ro"),
                "Propagation": "rprivate",
            }
            for m in binds
        ],
        "Config": {
            "Hostname": node.name,
            "Image": c.image,
            "Env": [f"{k}={v}" for k, v in c.env.items()],
            "Cmd": c.args or None,
            "Labels": dict(c.labels),
        },
        "NetworkSettings": {"Networks": {c.network_mode: {}}},
    }


def tabulate(rows: list[list[str]]) -> str:
    """Columns as docker's tabwriter lays them out: min width 10, padding 3."""
    if not rows:
        return ""
    columns = max(len(r) for r in rows)
    widths = [
        max(max((len(r[i]) for r in rows if i < len(r)), default=0) + 3, 10)
        for i in range(columns - 1)
    ]
    lines = []
    for row in rows:
        cells = [cell.ljust(widths[i]) if i < columns - 1 else cell for i, cell in enumerate(row)]
        lines.append("".join(cells).rstrip() + "\n")
    return "".join(lines)
