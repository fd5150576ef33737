"""History: time series the gateway keeps in its store, for the dashboard's charts.

Every ``interval_s`` the sampler writes what the gateway already knows, and nothing it
would have to ask a node again for: each node's latest facts (GPU utilisation, GPU and
system memory, temperature, as the node-facts poller read them over SSH), and the
samples each plugin hands over through ``spark_history`` (the proxy's request rates and
latencies, swap durations). History lives in the SQLite store, so it survives a restart
and every replica sharing the data directory sees it; rows older than ``max_age_s`` go,
and so do the oldest rows beyond ``max_rows``.

A series is a ``metric`` about a ``subject`` (a node, a model), written by an ``owner``
(``core`` or a plugin's name). The metric's suffix names its unit: ``_pct``, ``_bytes``,
``_c`` (°C), ``_per_s``, ``_ms``, ``_s``.

On unified-memory nodes (DGX Spark's GB10) ``nvidia-smi`` reports GPU memory as
``[N/A]``: the GPU uses system memory, so ``gpu_memory_used_bytes`` is the system
memory in use there, as the node card shows it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from spark_control.plugins import call_impl, implementations
from spark_control.store import Store

if TYPE_CHECKING:
    import pluggy

    from spark_control.host import Host
    from spark_control.node_facts import NodeFacts

log = logging.getLogger(__name__)

OWNER = "core.history"
MIB = 2**20
UNITS = {
    "_pct": "%",
    "_bytes": "bytes",
    "_c": "°C",
    "_per_s": "1/s",
    "_ms": "ms",
    "_s": "s",
}

_MIGRATIONS = [
    """
    CREATE TABLE core_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        metric TEXT NOT NULL,
        subject TEXT NOT NULL,
        owner TEXT NOT NULL,
        t REAL NOT NULL,
        value REAL NOT NULL
    );
    CREATE INDEX core_history_series ON core_history (metric, subject, t);
    CREATE INDEX core_history_time ON core_history (t);
    """,
]


@dataclass(frozen=True, slots=True)
class HistorySample:
    """One point of a series: ``metric`` of ``subject`` was ``value`` at unix time ``t``
    (``None``: when the sampler takes it)."""

    metric: str
    subject: str
    value: float
    t: float | None = None


def unit_of(metric: str) -> str:
    for suffix, unit in UNITS.items():
        if metric.endswith(suffix):
            return unit
    return ""


def node_samples(node: str, facts: NodeFacts) -> list[HistorySample]:
    """What a node's facts say, as samples at the time they were read."""
    t = facts.checked_at
    out: list[HistorySample] = []

    def add(metric: str, value: float | None) -> None:
        if value is not None:
            out.append(HistorySample(metric, node, float(value), t))

    memory_used = None
    if facts.memory is not None:
        memory_used = facts.memory.total_bytes - facts.memory.available_bytes
        add("memory_used_bytes", memory_used)
        add("memory_total_bytes", facts.memory.total_bytes)
    gpu = facts.gpu
    if gpu is not None:
        add("gpu_utilization_pct", gpu.utilization_pct)
        add("gpu_temperature_c", gpu.temperature_c)
        if gpu.memory_used_mib is not None:
            add("gpu_memory_used_bytes", gpu.memory_used_mib * MIB)
            if gpu.memory_total_mib is not None:
                add("gpu_memory_total_bytes", gpu.memory_total_mib * MIB)
        elif facts.memory is not None and facts.memory.source == "meminfo":
            # Unified memory: the GPU's memory is the system's.
            add("gpu_memory_used_bytes", memory_used)
            add("gpu_memory_total_bytes", facts.memory.total_bytes)
    return out


class History:
    """Writes samples to the store, keeps it bounded, and answers range queries."""

    def __init__(
        self,
        store: Store,
        *,
        interval_s: float = 30.0,
        max_age_s: float = 7 * 86_400.0,
        max_rows: int = 500_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.interval_s = interval_s
        self.max_age_s = max_age_s
        self.max_rows = max_rows
        self.clock = clock
        self._task: asyncio.Task[None] | None = None
        self._seen_facts: dict[str, float] = {}

    async def setup(self) -> None:
        await self.store.migrate(OWNER, _MIGRATIONS)

    async def record(self, owner: str, samples: Iterable[HistorySample]) -> int:
        """Write samples (a sample without ``t`` is taken now); return how many."""
        now = self.clock()
        rows = [
            (s.metric, s.subject, owner, s.t if s.t is not None else now, float(s.value))
            for s in samples
            if _finite(s.value)
        ]
        if rows:
            await self.store.executemany(
                "INSERT INTO core_history (metric, subject, owner, t, value) "
                "VALUES (?, ?, ?, ?, ?)",
                rows,
            )
        return len(rows)

    async def prune(self) -> None:
        """Drop rows older than ``max_age_s``, then the oldest beyond ``max_rows``."""
        await self.store.execute(
            "DELETE FROM core_history WHERE t < ?", (self.clock() - self.max_age_s,)
        )
        # Ids only grow, so the newest max_rows rows are those above MAX(id) - max_rows:
        # one look-up on the primary key, not a scan of the table.
        await self.store.execute(
            "DELETE FROM core_history WHERE id <= (SELECT MAX(id) FROM core_history) - ?",
            (self.max_rows,),
        )

    # -- sampling -----------------------------------------------------------------------

    async def sample(
        self, host: Host, pm: pluggy.PluginManager, facts: Callable[[str], NodeFacts | None]
    ) -> int:
        """One round: fresh node facts, then every plugin's ``spark_history``."""
        written = 0
        core: list[HistorySample] = []
        for name in host.topology.nodes:
            latest = facts(name)
            if latest is None or self._seen_facts.get(name) == latest.checked_at:
                continue
            self._seen_facts[name] = latest.checked_at
            core.extend(node_samples(name, latest))
        written += await self.record("core", core)
        for owner, samples in await plugin_samples(pm, host):
            written += await self.record(owner, samples)
        await self.prune()
        return written

    def start(
        self, host: Host, pm: pluggy.PluginManager, facts: Callable[[str], NodeFacts | None]
    ) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(host, pm, facts), name="history")

    async def _run(
        self, host: Host, pm: pluggy.PluginManager, facts: Callable[[str], NodeFacts | None]
    ) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            try:
                await self.sample(host, pm, facts)
            except Exception:
                log.exception("could not write history; trying again next round")

    async def aclose(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # -- reading ------------------------------------------------------------------------

    async def series(self) -> list[dict[str, Any]]:
        """Every series kept: metric, subject, owner, unit, first and last time, points."""
        rows = await self.store.fetchall(
            "SELECT metric, subject, owner, MIN(t) AS first, MAX(t) AS last, COUNT(*) AS points"
            " FROM core_history GROUP BY metric, subject, owner ORDER BY metric, subject"
        )
        return [{**r, "unit": unit_of(r["metric"])} for r in rows]

    async def query(
        self,
        metrics: list[str],
        subjects: list[str] | None,
        since: float,
        until: float,
        points: int,
    ) -> dict[str, Any]:
        """Each matching series between ``since`` and ``until``, averaged into at most
        ``points`` steps (columns ``t`` and ``v``, ready for a chart)."""
        step = max((until - since) / max(points, 1), 1e-3)
        where = [f"metric IN ({', '.join('?' * len(metrics))})", "t >= ?", "t <= ?"]
        params: list[Any] = [*metrics, since, until]
        if subjects:
            where.append(f"subject IN ({', '.join('?' * len(subjects))})")
            params.extend(subjects)
        # The step a point falls in, rounded down (PostgreSQL's CAST rounds to nearest).
        bucket = (
            "FLOOR((t - ?) / ?)"
            if self.store.dialect == "postgres"
            else "CAST((t - ?) / ? AS INTEGER)"
        )
        sql = (
            f"SELECT metric, subject, owner, {bucket} AS bucket,"  # noqa: S608 - placeholders only
            " AVG(t) AS t, AVG(value) AS v FROM core_history WHERE "
            + " AND ".join(where)
            + " GROUP BY metric, subject, owner, bucket ORDER BY metric, subject, bucket"
        )
        rows = await self.store.fetchall(sql, [since, step, *params])
        found: dict[tuple[str, str, str], dict[str, Any]] = {}
        for row in rows:
            key = (row["metric"], row["subject"], row["owner"])
            entry = found.setdefault(
                key,
                {
                    "metric": key[0],
                    "subject": key[1],
                    "owner": key[2],
                    "unit": unit_of(key[0]),
                    "t": [],
                    "v": [],
                },
            )
            entry["t"].append(round(row["t"], 3))
            entry["v"].append(row["v"])
        return {"since": since, "until": until, "step_s": step, "series": list(found.values())}


async def plugin_samples(
    pm: pluggy.PluginManager, host: Host
) -> list[tuple[str, list[HistorySample]]]:
    """Every plugin's ``spark_history`` answer; one that raises is logged and skipped."""
    found = []
    for impl in implementations(pm, "spark_history"):
        try:
            result = await call_impl(impl, host=host)
        except Exception:
            log.exception("spark_history of %s failed; its samples are left out", impl.plugin_name)
            continue
        samples = [s for s in result or () if isinstance(s, HistorySample)]
        found.append((impl.plugin_name, samples))
    return found


def _finite(value: float) -> bool:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return False
    return v == v and v not in (float("inf"), float("-inf"))
