"""Alerts: what the owner must hear of when nobody watches the dashboard, sent through
the signed webhook outbox as their own event types.

``service_down``
    a probe went down (from any other state, including "no answer yet" at start-up)
``service_up``
    a probe that was down answers again (ok or degraded)
``crash_loop_guard``
    the vllm plugin's crash-loop guard engaged: automatic starts are blocked

(A failed swap is the ``swap_failed`` event; see ``swap_events``.) Receivers get them
only when they list them in their ``events``.

A quiet period per subject (a probe; the guard) keeps a flapping service from flooding
anyone: the first alert goes out at once; later ones for the same subject within
``alert_quiet_s`` are held, and when the period ends the latest is sent, with
``suppressed`` counting the transitions held, only if it says something other than the
last alert sent (down, up, down within the period: nothing more to say).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spark_control.api import Event, describe_health, iso_utc

SERVICE_DOWN, SERVICE_UP, CRASH_LOOP_GUARD = "service_down", "service_up", "crash_loop_guard"
ALERT_EVENTS = (SERVICE_DOWN, SERVICE_UP, CRASH_LOOP_GUARD)
HEALTH_CHANGED = "health.changed"
GUARD_EVENT = "vllm.crash_loop_guard"

Alert = tuple[str, str, dict[str, Any], float]
"""(webhook type, subject key, data, event time)"""


def alert_of(event: Event) -> Alert | None:
    """The alert an event calls for, or None."""
    data = event.data
    if event.type == HEALTH_CHANGED:
        state, previous = data.get("state"), data.get("previous")
        if state == "down" and previous != "down":
            kind = SERVICE_DOWN
        elif previous == "down" and state in ("ok", "degraded"):
            kind = SERVICE_UP
        else:
            return None
        probe = str(data.get("probe"))
        at = float(data.get("time") or event.time)
        payload = {
            "probe": probe,
            "service": data.get("service"),
            "node": data.get("node"),
            "owner": data.get("owner"),
            "state": state,
            "previous": previous,
            "detail": data.get("detail") or "",
            "since": iso_utc(at),
            "message": describe_health(
                probe,
                str(state),
                str(data.get("detail") or ""),
                at,
                service=data.get("service"),
                node=data.get("node"),
                now=at,
            ),
            "suppressed": 0,
        }
        return kind, f"health:{probe}", payload, at
    if event.type == GUARD_EVENT and data.get("engaged") is True:
        payload = {
            "engaged": True,
            "failures": data.get("failures"),
            "window_s": data.get("window_s"),
            "message": "vLLM's crash-loop guard engaged: " + str(data.get("reason") or ""),
            "suppressed": 0,
        }
        return CRASH_LOOP_GUARD, "crash_loop_guard", payload, event.time
    return None


@dataclass
class _Window:
    until: float
    sent: str
    held: Alert | None = None
    suppressed: int = 0


class QuietPeriod:
    """Per subject: send the first alert, hold the rest for ``quiet_s``, then send the
    latest held one if it differs from the last sent."""

    def __init__(self, quiet_s: float) -> None:
        self.quiet_s = quiet_s
        self._windows: dict[str, _Window] = {}

    def offer(self, alert: Alert, now: float) -> Alert | None:
        """The alert to send now, or None when it is held."""
        kind, key, _, _ = alert
        window = self._windows.get(key)
        if window is None or now >= window.until:
            self._windows[key] = _Window(now + self.quiet_s, kind)
            return alert
        window.held = alert
        window.suppressed += 1
        return None

    def due(self, now: float) -> list[Alert]:
        """Held alerts whose quiet period ended and that say something new."""
        out = []
        for key, window in list(self._windows.items()):
            if now < window.until:
                continue
            held, suppressed = window.held, window.suppressed
            if held is not None and held[0] != window.sent:
                kind, _, data, at = held
                out.append((kind, key, {**data, "suppressed": suppressed}, at))
                self._windows[key] = _Window(now + self.quiet_s, kind)
            else:
                del self._windows[key]
        return out

    def next_due(self) -> float | None:
        """When the earliest held alert's quiet period ends."""
        held = [w.until for w in self._windows.values() if w.held is not None]
        return min(held) if held else None
