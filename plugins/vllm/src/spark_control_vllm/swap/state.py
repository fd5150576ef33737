"""What the slot serves: the current model, the last good one, why it is down, and the
state word ``status`` reports (``swapping``, ``ready``, ``down``, ``stopped``)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spark_control_vllm.swap.record import Journal, Swap

GUARD_NOTE = (
    "; the crash-loop guard is tripped after repeated failures, so no rollback or "
    "other automatic start runs until someone clears it"
)


@dataclass
class SlotState:
    """The settled state between swaps. ``generation`` is bumped whenever a swap or a
    stop changes what runs, so a re-read that straddled one can tell it is stale."""

    current_model: str | None = None
    last_good: str | None = None
    down_reason: str | None = None
    # When current_model began answering (monotonic), for the proxy's residency rule.
    current_since: float = field(default_factory=time.monotonic)
    generation: int = 0

    async def serving(self, model: str, journal: Journal) -> None:
        """``model`` answers: it is current and the last good one (remembered)."""
        self.current_model, self.current_since = model, time.monotonic()
        self.last_good, self.down_reason = model, None
        await journal.remember("last_good", model)

    def down(self, reason: str) -> None:
        """Nothing serves, for ``reason`` (the whole sentence: "vLLM is down: ...")."""
        self.current_model, self.down_reason = None, reason

    def resident_for(self) -> float:
        """Seconds the current model has been answering."""
        return time.monotonic() - self.current_since

    def status(self, swap: Swap | None, *, guard_tripped: bool) -> dict[str, Any]:
        """``swap`` is the running one, if any."""
        if swap is not None:
            state = "swapping"
        elif self.current_model is not None:
            state = "ready"
        else:
            state = "down" if self.down_reason else "stopped"
        reason = self.down_reason
        if reason is not None and state == "down" and guard_tripped:
            reason += GUARD_NOTE
        return {
            "state": state,
            "model": self.current_model,
            "last_good_model": self.last_good,
            "reason": reason,
            "crash_loop_guard": guard_tripped,
            "swap": swap.public() if swap else None,
        }
