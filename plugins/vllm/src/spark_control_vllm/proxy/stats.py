"""What the proxy counts: Prometheus metrics for ``/metrics`` and a short window of
request and error rates for the dashboard tile.

Counted in plain integers on the event loop and turned into Prometheus samples only when
``/metrics`` is scraped: ``prometheus_client``'s own counters and histograms take a
thread lock per increment (three per request), which the proxy's hot path does not need
(every request is recorded on the one event loop thread).
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections import deque
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric

# The tile shows rates over this many seconds.
WINDOW_S = 10
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)


class _Latency:
    """One upstream's latency histogram: a count per bucket (not cumulative) and a sum."""

    __slots__ = ("counts", "total")

    def __init__(self) -> None:
        self.counts = [0] * (len(BUCKETS) + 1)  # the last one is +Inf
        self.total = 0.0


class ProxyStats:
    def __init__(self, registry: CollectorRegistry) -> None:
        self._requests: dict[tuple[str, int], int] = {}
        self._latency: dict[str, _Latency] = {}
        # Per whole second: [second, requests, errors]; old seconds fall off the left.
        self._seconds: deque[list[int]] = deque(maxlen=WINDOW_S + 1)
        registry.register(self)

    def record(self, upstream: str, status: int, started: float) -> None:
        now = time.monotonic()
        key = (upstream, status)
        self._requests[key] = self._requests.get(key, 0) + 1
        latency = self._latency.get(upstream)
        if latency is None:
            latency = self._latency[upstream] = _Latency()
        elapsed = now - started
        latency.counts[bisect_left(BUCKETS, elapsed)] += 1
        latency.total += elapsed
        second = int(now)
        if not self._seconds or self._seconds[-1][0] != second:
            self._seconds.append([second, 0, 0])
        window = self._seconds[-1]
        window[1] += 1
        if status >= 500 or status == 429:
            window[2] += 1

    def collect(self) -> Iterator[Metric]:
        """The samples, as ``prometheus_client`` would name them (called on a scrape)."""
        requests = CounterMetricFamily(
            "spark_control_proxy_requests",
            "Requests through the /v1 proxy, by upstream and HTTP status",
            labels=["upstream", "status"],
        )
        for (upstream, status), count in list(self._requests.items()):
            requests.add_metric([upstream, str(status)], count)
        yield requests
        latency = HistogramMetricFamily(
            "spark_control_proxy_request_seconds",
            "Time from a /v1 request's arrival to the end of its answer",
            labels=["upstream"],
        )
        for upstream, histogram in list(self._latency.items()):
            cumulative, buckets = 0, []
            for bound, count in zip([*map(_bound, BUCKETS), "+Inf"], histogram.counts, strict=True):
                cumulative += count
                buckets.append((bound, cumulative))
            latency.add_metric([upstream], buckets, histogram.total)
        yield latency

    def describe(self) -> list[Metric]:
        # Registering must not call collect() (it reads live counts): no names checked.
        return []

    def rates(self) -> dict[str, Any]:
        """Requests and errors per second over the last complete ``WINDOW_S`` seconds."""
        now = int(time.monotonic())
        recent = [s for s in self._seconds if now - WINDOW_S <= s[0] < now]
        return {
            "window_s": WINDOW_S,
            "requests_per_s": round(sum(s[1] for s in recent) / WINDOW_S, 2),
            "errors_per_s": round(sum(s[2] for s in recent) / WINDOW_S, 2),
        }


def _bound(value: float) -> str:
    return str(float(value))
