"""The vllm plugin's history series: per-model request and error rates and latency
quantiles from the proxy's own metrics, and swap durations, through a real gateway."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from spark_control.sim import SimCluster
from spark_control.testing import make_config, running_gateway
from spark_control_vllm.history import ProxySeries, quantile
from spark_control_vllm.proxy.stats import ProxyStats
from tests.vllm.conftest import FIRST, SERVED, reset_switches, settled, sim_cluster, swap


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("vllm-history-sim"), "127.0.10.10") as sim:
        yield sim


def test_quantiles_interpolate_within_buckets_like_histogram_quantile() -> None:
    inf = float("inf")
    # 10 answers under 0.1 s, 10 more under 0.5 s, none slower.
    buckets = {0.1: 10.0, 0.5: 20.0, 1.0: 20.0, inf: 20.0}
    assert quantile(0.5, buckets) == pytest.approx(0.1)
    assert quantile(0.75, buckets) == pytest.approx(0.3)
    assert quantile(0.25, buckets) == pytest.approx(0.05)
    # A rank in +Inf is said as the last finite bound; empty buckets say nothing.
    assert quantile(0.99, {0.1: 1.0, inf: 10.0}) == pytest.approx(0.1)
    assert quantile(0.5, {0.1: 0.0, inf: 0.0}) is None


def test_rates_and_quantiles_cover_only_the_interval() -> None:
    now = [1000.0]
    stats = ProxyStats(CollectorRegistry())
    series = ProxySeries(stats, clock=lambda: now[0])
    for _ in range(5):
        stats.record("vllm", 200, 0.0)  # long ago: slow
    assert series.samples(lambda u: u) == []  # the baseline
    now[0] += 10
    for status in (200, 200, 503, 429):
        stats.record("vllm", status, now[0] + 1e9)  # "started" in the future: 0 s
    got = {s.metric: s.value for s in series.samples(lambda u: "model-a")}
    assert got["proxy_requests_per_s"] == pytest.approx(0.4)
    assert got["proxy_errors_per_s"] == pytest.approx(0.2)
    # Only this interval's answers (all fast), not the slow ones before the baseline.
    assert got["proxy_latency_p95_ms"] <= 5.0


@pytest.mark.slow
async def test_a_served_model_gets_its_request_series_and_swap_duration(
    tmp_path: Path, cluster: SimCluster
) -> None:
    reset_switches(cluster)
    config = make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["vllm"]},
            "history": {"interval_s": 0.3},
        },
    )
    async with running_gateway(config) as gw:
        response = await swap(gw, FIRST)
        assert response.status_code == 202
        started = response.json()
        status = await settled(gw)
        assert (status["state"], status["model"]) == ("ready", FIRST), status
        body = {
            "model": SERVED[FIRST],
            "max_tokens": 1,
            "messages": [{"role": "user", "content": "hi"}],
        }
        for _ in range(6):
            answer = await gw.client.post("/v1/chat/completions", json=body)
            assert answer.status_code == 200, answer.text

        async def series(metric: str) -> list[dict[str, Any]]:
            params = {"metric": metric, "subject": FIRST, "window_s": 120, "points": 2000}
            response = await gw.client.get("/api/history", params=params)
            found: list[dict[str, Any]] = response.json()["series"]
            return found

        async with asyncio.timeout(20):
            while not any(v > 0 for s in await series("proxy_requests_per_s") for v in s["v"]):
                await asyncio.sleep(0.2)
            while not await series("swap_duration_s"):
                await asyncio.sleep(0.2)
        (requests,) = await series("proxy_requests_per_s")
        assert requests["owner"] == "vllm" and requests["unit"] == "1/s"
        assert min(requests["v"]) >= 0 and max(requests["v"]) > 0
        (errors,) = await series("proxy_errors_per_s")
        assert set(errors["v"]) == {0.0}
        assert await series("proxy_latency_p50_ms")
        (duration,) = await series("swap_duration_s")
        detail = (await gw.client.get(f"/api/swap/{started['id']}")).json()
        assert duration["v"] == [pytest.approx(detail["finished_at"] - detail["started_at"])]
        assert duration["t"] == [pytest.approx(detail["finished_at"], abs=0.01)]
        await gw.client.post("/api/vllm/stop")
