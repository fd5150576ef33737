"""The swap record, its table, and the journal that persists a swap and publishes its
events (every payload carries ``swap_id``, ``model`` and ``slot``)."""

from __future__ import annotations

import secrets
import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from spark_control_vllm.settings import DEFAULT_SLOT

if TYPE_CHECKING:
    from spark_control.api import Host

OWNER = "vllm"
MIGRATIONS = (
    """
    CREATE TABLE vllm_swaps (
        id TEXT PRIMARY KEY, model TEXT NOT NULL, previous TEXT, state TEXT NOT NULL,
        phase TEXT NOT NULL, progress REAL NOT NULL, reason TEXT, log_excerpt TEXT,
        actor TEXT, rollback_of TEXT, launcher_pid INTEGER, log_path TEXT,
        started_at REAL NOT NULL, finished_at REAL
    );
    CREATE TABLE vllm_state (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE vllm_failures (at REAL NOT NULL);
    """,
    "ALTER TABLE vllm_swaps ADD COLUMN resumed_from TEXT",
    # Slots: rows from before them are the default slot's.
    """
    ALTER TABLE vllm_swaps ADD COLUMN slot TEXT NOT NULL DEFAULT 'default';
    ALTER TABLE vllm_failures ADD COLUMN slot TEXT NOT NULL DEFAULT 'default';
    """,
)
RUNNING, COMPLETE, FAILED, CANCELLED = "running", "complete", "failed", "cancelled"


@dataclass
class Swap:
    id: str
    model: str
    previous: str | None
    state: str
    phase: str
    progress: float
    actor: str
    started_at: float
    rollback_of: str | None = None
    reason: str | None = None
    log_excerpt: str | None = None
    launcher_pid: int | None = None
    log_path: str | None = None
    finished_at: float | None = None
    resumed_from: str | None = None
    slot: str = DEFAULT_SLOT

    def public(self) -> dict[str, Any]:
        return asdict(self)


def new_swap(
    model: str,
    previous: str | None,
    actor: str,
    rollback_of: str | None,
    slot: str = DEFAULT_SLOT,
) -> Swap:
    """A swap record of ``slot``, queued, with a fresh id."""
    return Swap(
        id=f"swp_{secrets.token_hex(8)}",
        model=model,
        previous=previous,
        state=RUNNING,
        phase="queued",
        progress=0.0,
        actor=actor,
        started_at=time.time(),
        rollback_of=rollback_of,
        slot=slot,
    )


class Journal:
    """Where one slot's swaps are written down (the store) and told about (the event
    bus). Its remembered keys are its own (the default slot's keep their old names)."""

    def __init__(self, host: Host, slot: str = DEFAULT_SLOT) -> None:
        self.host = host
        self.slot = slot
        self._suffix = "" if slot == DEFAULT_SLOT else f"@{slot}"

    async def migrate(self) -> None:
        await self.host.store.migrate(OWNER, MIGRATIONS)

    async def save(self, swap: Swap) -> None:
        row = swap.public()
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        # An upsert both SQLite and PostgreSQL run (the store's two backends).
        changes = ", ".join(f"{c} = excluded.{c}" for c in row if c != "id")
        await self.host.store.execute(
            f"INSERT INTO vllm_swaps ({columns}) VALUES ({marks}) "  # noqa: S608 - field names
            f"ON CONFLICT (id) DO UPDATE SET {changes}",
            tuple(row.values()),
        )

    async def get(self, swap_id: str) -> Swap | None:
        row = await self.host.store.fetchone("SELECT * FROM vllm_swaps WHERE id = ?", (swap_id,))
        return Swap(**row) if row else None

    async def history(self, limit: int = 50) -> list[dict[str, Any]]:
        rows = await self.host.store.fetchall(
            "SELECT * FROM vllm_swaps WHERE slot = ? ORDER BY started_at DESC LIMIT ?",
            (self.slot, limit),
        )
        return [Swap(**row).public() for row in rows]

    async def load_times(
        self, model: str, limit: int = 50, *, slot: str | None = None
    ) -> list[float]:
        """Seconds each of the last ``limit`` complete swaps to ``model`` took, from the
        request to the model answering: the downtime a swap to it costs (``slot``: in
        that slot only, so on its nodes; None: in any)."""
        rows = await self.host.store.fetchall(
            "SELECT started_at, finished_at FROM vllm_swaps WHERE model = ? AND state = ? "
            "AND finished_at IS NOT NULL AND (? IS NULL OR slot = ?) "
            "ORDER BY started_at DESC LIMIT ?",
            (model, COMPLETE, slot, slot, limit),
        )
        return [row["finished_at"] - row["started_at"] for row in rows]

    async def running(self) -> list[Swap]:
        """Swaps recorded as running, oldest first (at start-up: interrupted ones)."""
        rows = await self.host.store.fetchall(
            "SELECT * FROM vllm_swaps WHERE state = ? AND slot = ? ORDER BY started_at",
            (RUNNING, self.slot),
        )
        return [Swap(**row) for row in rows]

    async def remember(self, key: str, value: str) -> None:
        await self.host.store.execute(
            "INSERT INTO vllm_state (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key + self._suffix, value),
        )

    async def recall(self) -> dict[str, str]:
        """This slot's remembered keys (without the slot's suffix)."""
        rows = await self.host.store.fetchall("SELECT key, value FROM vllm_state")
        found: dict[str, str] = {}
        for row in rows:
            key, _, slot = str(row["key"]).partition("@")
            if (slot or DEFAULT_SLOT) == self.slot:
                found[key] = row["value"]
        return found

    def event(self, type_: str, swap: Swap, **data: Any) -> None:
        self.host.events.publish(
            type_,
            {"swap_id": swap.id, "model": swap.model, "slot": swap.slot, **data},
            source="vllm",
        )

    async def phase(self, swap: Swap, phase: str, progress: float) -> None:
        """The swap reached ``phase`` (progress never goes back)."""
        swap.phase, swap.progress = phase, max(progress, swap.progress)
        await self.save(swap)
        self.event("vllm.swap_phase", swap, phase=phase, progress=swap.progress)

    async def finish(self, swap: Swap, state: str, phase: str, progress: float) -> None:
        swap.state, swap.phase, swap.progress = state, phase, progress
        swap.finished_at = time.time()
        await self.save(swap)
        self.host.gate_changed("vllm.swap", source="vllm")
