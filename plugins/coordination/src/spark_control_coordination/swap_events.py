"""Turn the vllm plugin's swap events (heard through ``spark_event``) into webhook
payloads: model, previous model, swap id, model slot, phase reached, duration, error
excerpt.

The vllm events carry what each moment knows (``swap_started`` the previous model and
actor, ``swap_phase`` the phase); this tracker remembers them per swap so the final
event's payload is whole. Event types on the wire keep the original system's names.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from spark_control.api import Event
from spark_control_coordination.lease_rows import DEFAULT_SLOT

#: vllm event type → webhook event type
WEBHOOK_TYPES = {
    "vllm.swap_started": "swap_started",
    "vllm.swap_complete": "swap_complete",
    "vllm.swap_failed": "swap_failed",
    "vllm.swap_rolled_back": "swap_rolled_back",
}
ERROR_CHARS = 2000
_REMEMBER = 200


@dataclass
class _Seen:
    started_at: float
    previous: str | None
    actor: str | None
    rollback_of: str | None
    slot: str
    phase: str = "queued"


class SwapTracker:
    """What is known of recent swaps, by swap id (a bounded memory)."""

    def __init__(self) -> None:
        self._swaps: OrderedDict[str, _Seen] = OrderedDict()

    def payload(self, event: Event) -> tuple[str, dict[str, Any]] | None:
        """The webhook (type, data) this event calls for, or None."""
        data = event.data
        swap_id = data.get("swap_id")
        if not isinstance(swap_id, str):
            return None
        if event.type == "vllm.swap_phase":
            seen = self._swaps.get(swap_id)
            if seen is not None and isinstance(data.get("phase"), str):
                seen.phase = data["phase"]
            return None
        webhook_type = WEBHOOK_TYPES.get(event.type)
        if webhook_type is None:
            return None
        if event.type == "vllm.swap_started":
            self._remember(swap_id, event)
        return webhook_type, _payload(event, swap_id, self._swaps.get(swap_id))

    def _remember(self, swap_id: str, event: Event) -> None:
        data = event.data
        self._swaps[swap_id] = _Seen(
            event.time,
            data.get("previous"),
            data.get("actor"),
            data.get("rollback_of"),
            _slot(data),
        )
        while len(self._swaps) > _REMEMBER:
            self._swaps.popitem(last=False)


def _payload(event: Event, swap_id: str, seen: _Seen | None) -> dict[str, Any]:
    """The webhook's data for a swap's start or end; ``seen`` is what its start said."""
    data = event.data
    error = None
    if event.type == "vllm.swap_failed":
        error = _excerpt(data.get("reason"), data.get("log_excerpt"))
    phase = "ready" if event.type in ("vllm.swap_complete", "vllm.swap_rolled_back") else None
    if event.type == "vllm.swap_started":
        phase = "started"
    payload = {
        "swap_id": swap_id,
        "slot": seen.slot if seen else _slot(data),
        "model": data.get("model"),
        "previous_model": seen.previous if seen else data.get("previous"),
        "phase": phase or (seen.phase if seen else data.get("phase")),
        "duration_s": round(event.time - seen.started_at, 3) if seen else None,
        "error": error,
        "actor": seen.actor if seen else data.get("actor"),
        "rollback_of": seen.rollback_of if seen else data.get("rollback_of"),
    }
    if event.type == "vllm.swap_started":
        payload["duration_s"] = 0.0
    if event.type == "vllm.swap_rolled_back":
        payload["failed_swap_id"] = data.get("failed_swap_id")
    return payload


def _slot(data: dict[str, Any]) -> str:
    """The model slot the swap is for; events of a plugin without slots: ``default``."""
    slot = data.get("slot")
    return slot if isinstance(slot, str) and slot else DEFAULT_SLOT


def _excerpt(reason: Any, log_excerpt: Any) -> str:
    """``error``: the reason first and whole (it says why); the log excerpt takes the
    room left, its tail kept (the end of a log is where it failed)."""
    why = str(reason) if reason else ""
    tail = str(log_excerpt) if log_excerpt else ""
    if not tail:
        return why
    if not why:
        return tail if len(tail) <= ERROR_CHARS else "…" + tail[-(ERROR_CHARS - 1) :]
    room = ERROR_CHARS - len(why) - 1  # the line break between them
    if room >= len(tail):
        return f"{why}\n{tail}"
    if room < 2:
        return why  # a reason too long for any log beside it
    return f"{why}\n…{tail[-(room - 1) :]}"


def sample_data() -> dict[str, Any]:
    """The data of a "send test event": shaped like a completed swap, plainly marked."""
    return {
        "swap_id": None,
        "slot": None,
        "model": None,
        "previous_model": None,
        "phase": None,
        "duration_s": None,
        "error": None,
        "actor": None,
        "rollback_of": None,
        "test": True,
        "message": "A test event from Spark Control: if you can read this, the webhook works.",
    }
