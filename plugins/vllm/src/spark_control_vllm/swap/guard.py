"""The crash-loop guard: ``crash_loop_failures`` failed starts within
``crash_loop_window_s`` trip it (persisted), and while it is tripped no rollback or other
automatic start runs until someone clears it.

Tripping publishes ``vllm.crash_loop_guard`` (``engaged`` true, ``failures``,
``window_s``, ``reason``); a clear of a tripped guard publishes it with ``engaged``
false (the coordination plugin sends the first as a ``crash_loop_guard`` alert)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

GUARD_EVENT = "vllm.crash_loop_guard"

if TYPE_CHECKING:
    from spark_control.api import Host
    from spark_control_vllm.settings import VllmSettings
    from spark_control_vllm.swap.record import Journal


class CrashLoopGuard:
    def __init__(self, host: Host, settings: VllmSettings, journal: Journal) -> None:
        self.host = host
        self.settings = settings
        self.journal = journal
        self.tripped = False

    def load(self, remembered: dict[str, str]) -> None:
        self.tripped = remembered.get("guard_tripped") == "1"

    async def count_failure(self) -> None:
        """One more failed start; trips the guard once there are enough in the window."""
        now = time.time()
        slot = self.journal.slot
        await self.host.store.execute(
            "INSERT INTO vllm_failures (at, slot) VALUES (?, ?)", (now, slot)
        )
        row = await self.host.store.fetchone(
            "SELECT COUNT(*) AS n FROM vllm_failures WHERE at > ? AND slot = ?",
            (now - self.settings.crash_loop_window_s, slot),
        )
        if row and row["n"] >= self.settings.crash_loop_failures and not self.tripped:
            self.tripped = True
            await self.journal.remember("guard_tripped", "1")
            window = self.settings.crash_loop_window_s
            self.host.events.publish(
                GUARD_EVENT,
                {
                    "engaged": True,
                    "slot": slot,
                    "failures": row["n"],
                    "window_s": window,
                    "reason": f"{row['n']} failed starts within {window:g} s: automatic "
                    "starts are blocked until someone clears the guard",
                },
                source="vllm",
            )

    async def clear(self) -> None:
        was = self.tripped
        self.tripped = False
        slot = self.journal.slot
        await self.host.store.execute("DELETE FROM vllm_failures WHERE slot = ?", (slot,))
        await self.journal.remember("guard_tripped", "0")
        if was:
            self.host.events.publish(GUARD_EVENT, {"engaged": False, "slot": slot}, source="vllm")
