"""What the proxy counts: Prometheus metrics for ``/metrics`` and a short window of
request and error rates for the dashboard tile."""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram

# The tile shows rates over this many seconds.
WINDOW_S = 10


class ProxyStats:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "spark_control_proxy_requests",
            "Requests through the /v1 proxy, by upstream and HTTP status",
            ["upstream", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "spark_control_proxy_request_seconds",
            "Time from a /v1 request's arrival to the end of its answer",
            ["upstream"],
            registry=registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
        )
        self._counters: dict[tuple[str, int], Any] = {}
        self._histograms: dict[str, Any] = {}
        # Per whole second: [second, requests, errors]; old seconds fall off the left.
        self._seconds: deque[list[int]] = deque(maxlen=WINDOW_S + 1)

    def record(self, upstream: str, status: int, started: float) -> None:
        # The labelled children, looked up once: labels() validates and locks per call.
        counter = self._counters.get((upstream, status))
        if counter is None:
            counter = self._counters[(upstream, status)] = self.requests.labels(
                upstream, str(status)
            )
        histogram = self._histograms.get(upstream)
        if histogram is None:
            histogram = self._histograms[upstream] = self.latency.labels(upstream)
        counter.inc()
        histogram.observe(time.monotonic() - started)
        now = int(time.monotonic())
        if not self._seconds or self._seconds[-1][0] != now:
            self._seconds.append([now, 0, 0])
        second = self._seconds[-1]
        second[1] += 1
        if status >= 500 or status == 429:
            second[2] += 1

    def rates(self) -> dict[str, Any]:
        """Requests and errors per second over the last complete ``WINDOW_S`` seconds."""
        now = int(time.monotonic())
        recent = [s for s in self._seconds if now - WINDOW_S <= s[0] < now]
        return {
            "window_s": WINDOW_S,
            "requests_per_s": round(sum(s[1] for s in recent) / WINDOW_S, 2),
            "errors_per_s": round(sum(s[2] for s in recent) / WINDOW_S, 2),
        }
