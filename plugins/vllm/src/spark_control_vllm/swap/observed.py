"""What an instance really held on its head node once it answered (issue 25): the
node's MemAvailable at the pre-flight (the old model gone) less its MemAvailable once
the new model answers, kept per model (the last ``KEEP``) in the slot's remembered
state. The planner takes the largest of them as the model's need in that slot when it is
more than its share: on unified memory, what vLLM or the container takes outside its
fraction shows here.

Another instance starting on the same node in between inflates a figure: a need then
leaves more room, never less (which is why a resident is not counted by it).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spark_control_vllm.swap.record import Journal

#: How many figures are kept per model.
KEEP = 5
MIB = 2**20
_PREFIX = "held_mib:"


class Observed:
    """One slot's figures, per model: MiB held once ready, oldest first."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.held: dict[str, list[int]] = {}

    def load(self, remembered: dict[str, str]) -> None:
        for key, value in remembered.items():
            if key.startswith(_PREFIX):
                try:
                    figures = [int(x) for x in json.loads(value)]
                except (ValueError, TypeError):
                    continue  # an unreadable record is no figure
                self.held[key.removeprefix(_PREFIX)] = figures[-KEEP:]

    def largest(self, model: str) -> int | None:
        """The most ``model`` held in its last runs here (None: never measured)."""
        figures = self.held.get(model)
        return max(figures) if figures else None

    async def record(self, model: str, before: int | None, after: int | None) -> int | None:
        """Keep what ``model`` held: MemAvailable ``before`` it started less ``after``
        it answered (bytes); nothing when either is unknown or the node gained memory."""
        if before is None or after is None or after >= before:
            return None
        held = (before - after) // MIB
        figures = [*self.held.get(model, []), held][-KEEP:]
        self.held[model] = figures
        await self.journal.remember(_PREFIX + model, json.dumps(figures))
        return held
