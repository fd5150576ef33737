"""The vllm plugin's series for the gateway's history (``spark_history``).

Per model, from the proxy's own metrics as ``/metrics`` exports them (``ProxyStats``
collected at sampling time, so the request path pays nothing more): requests and errors per second
over the sampling interval, and the interval's p50 and p95 latency, interpolated within
the histogram's buckets as Prometheus' ``histogram_quantile`` does. And each finished
swap's duration, at its end time, from the swaps table.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from prometheus_client.core import Metric

from spark_control.api import HistorySample, Store

QUANTILES = {"proxy_latency_p50_ms": 0.5, "proxy_latency_p95_ms": 0.95}


@dataclass
class _Totals:
    requests: float = 0.0
    errors: float = 0.0
    # Cumulative counts per upper bound (seconds), +Inf last.
    buckets: dict[float, float] = field(default_factory=dict)


def _is_error(status: str) -> bool:
    return status == "429" or status.startswith("5")


class Collector(Protocol):
    """What ``/metrics`` reads: a request counter by upstream and status and a latency
    histogram by upstream (``ProxyStats``)."""

    def collect(self) -> Iterable[Metric]: ...


def read_totals(metrics: Collector) -> dict[str, _Totals]:
    """Each upstream's totals so far, from the samples ``/metrics`` would show."""
    totals: dict[str, _Totals] = {}
    for family in metrics.collect():
        for sample in family.samples:
            if "upstream" not in sample.labels:
                continue
            t = totals.setdefault(sample.labels["upstream"], _Totals())
            if sample.name.endswith("_total") and "status" in sample.labels:
                t.requests += sample.value
                if _is_error(sample.labels["status"]):
                    t.errors += sample.value
            elif sample.name.endswith("_bucket"):
                t.buckets[float(sample.labels["le"])] = sample.value
    return totals


def quantile(q: float, buckets: dict[float, float]) -> float | None:
    """The ``q`` quantile of cumulative ``buckets`` (upper bound → count), or None
    when they hold nothing. Linear within the bucket; the last finite bound when the
    rank falls in +Inf."""
    bounds = sorted(buckets)
    if not bounds or buckets[bounds[-1]] <= 0:
        return None
    rank = q * buckets[bounds[-1]]
    lower, below = 0.0, 0.0
    for bound in bounds:
        count = buckets[bound]
        if count >= rank:
            if math.isinf(bound):
                return lower
            if count == below:
                return bound
            return lower + (bound - lower) * (rank - below) / (count - below)
        lower, below = bound, count
    return lower


class ProxySeries:
    """Turns the proxy's cumulative metrics into per-interval samples."""

    def __init__(self, metrics: Collector, clock: Callable[[], float] = time.time) -> None:
        self._metrics = metrics
        self._clock = clock
        self._last: tuple[float, dict[str, _Totals]] | None = None

    def samples(self, subject_of: Callable[[str], str]) -> list[HistorySample]:
        """Samples since the previous call (none on the first: it sets the baseline)."""
        now = self._clock()
        totals = read_totals(self._metrics)
        last, self._last = self._last, (now, totals)
        if last is None or now <= last[0]:
            return []
        dt = now - last[0]
        out: list[HistorySample] = []
        for upstream, current in totals.items():
            before = last[1].get(upstream, _Totals())
            subject = subject_of(upstream)
            requests = max(current.requests - before.requests, 0.0)
            errors = max(current.errors - before.errors, 0.0)
            out.append(HistorySample("proxy_requests_per_s", subject, requests / dt, now))
            out.append(HistorySample("proxy_errors_per_s", subject, errors / dt, now))
            delta = {b: current.buckets[b] - before.buckets.get(b, 0.0) for b in current.buckets}
            for metric, q in QUANTILES.items():
                seconds = quantile(q, delta)
                if seconds is not None:
                    out.append(HistorySample(metric, subject, seconds * 1000, now))
        return out


class SwapSeries:
    """Each swap completed since the previous call: its duration, at its end."""

    def __init__(self, store: Store, since: float) -> None:
        self._store = store
        self._since = since

    async def samples(self) -> list[HistorySample]:
        rows: list[dict[str, Any]] = await self._store.fetchall(
            "SELECT model, started_at, finished_at FROM vllm_swaps WHERE state = 'complete' "
            "AND finished_at > ? ORDER BY finished_at",
            (self._since,),
        )
        if rows:
            self._since = rows[-1]["finished_at"]
        return [
            HistorySample(
                "swap_duration_s", r["model"], r["finished_at"] - r["started_at"], r["finished_at"]
            )
            for r in rows
        ]
