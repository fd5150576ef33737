"""The proxy's counters: plain integers read by Prometheus on a scrape, named and
bucketed as prometheus_client's own Counter and Histogram would be."""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, generate_latest

from spark_control_vllm.proxy.stats import ProxyStats


def test_requests_and_latency_are_exported_as_prometheus_would() -> None:
    registry = CollectorRegistry()
    stats = ProxyStats(registry)
    now = time.monotonic()
    stats.record("bench", 200, now - 0.003)  # in the 5 ms bucket
    stats.record("bench", 200, now - 0.2)  # in the 250 ms bucket
    stats.record("bench", 502, now - 400)  # past every bound: +Inf only
    stats.record("vllm", 429, now)
    text = generate_latest(registry).decode()
    assert 'spark_control_proxy_requests_total{status="200",upstream="bench"} 2.0' in text
    assert 'spark_control_proxy_requests_total{status="502",upstream="bench"} 1.0' in text
    assert 'spark_control_proxy_requests_total{status="429",upstream="vllm"} 1.0' in text
    buckets = {
        line.split('le="')[1].split('"')[0]: float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("spark_control_proxy_request_seconds_bucket")
        and 'upstream="bench"' in line
    }
    assert buckets["0.005"] == 1 and buckets["0.1"] == 1 and buckets["0.25"] == 2
    assert buckets["300.0"] == 2 and buckets["+Inf"] == 3
    assert 'spark_control_proxy_request_seconds_count{upstream="bench"} 3.0' in text
    assert "# TYPE spark_control_proxy_request_seconds histogram" in text
    rates = stats.rates()
    assert rates["window_s"] == 10  # the current second is not complete: not counted yet
