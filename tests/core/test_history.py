"""History: node series from the facts the poller read over real SSH, kept in the store
across restarts, bounded by age and rows, averaged into steps, refused when malformed."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from spark_control.history import History, HistorySample
from spark_control.sim import SimCluster
from spark_control.store import Store
from spark_control.testing import make_config, running_gateway


async def history_of(client: Any, metric: str, **params: Any) -> list[dict[str, Any]]:
    # Fine steps, so no two samples are averaged into one point.
    query = {"metric": metric, "window_s": 120, "points": 2000, **params}
    response = await client.get("/api/history", params=query)
    assert response.status_code == 200, response.text
    series: list[dict[str, Any]] = response.json()["series"]
    return series


async def test_node_series_are_sampled_from_facts_and_survive_a_restart(
    tmp_path: Path, spark_sim_cluster: SimCluster
) -> None:
    config = make_config(
        tmp_path,
        {
            "nodes": spark_sim_cluster.topology_config(),
            "plugins": {"enabled": []},
            "history": {"interval_s": 0.1},
        },
    )
    async with running_gateway(config) as gw:
        await gw.gateway.facts.refresh_all()
        async with asyncio.timeout(15):
            while len(await history_of(gw.client, "gpu_memory_used_bytes")) < 2:
                await asyncio.sleep(0.1)
        facts = gw.gateway.facts.latest("spark-1")
        assert facts is not None and facts.memory is not None
        used = facts.memory.total_bytes - facts.memory.available_bytes
        # The poller may read newer facts meanwhile: find the sample of these.
        async with asyncio.timeout(15):
            while True:
                memory = await history_of(gw.client, "gpu_memory_used_bytes", subject="spark-1")
                (series,) = memory
                at = [
                    v
                    for t, v in zip(series["t"], series["v"], strict=True)
                    if abs(t - facts.checked_at) < 0.01
                ]
                if at:
                    break
                await asyncio.sleep(0.1)
        assert series["unit"] == "bytes" and series["owner"] == "core"
        # GB10: nvidia-smi says [N/A]; the GPU's memory is the system memory in use.
        assert at == [used]
        temps = await history_of(gw.client, "gpu_temperature_c")
        assert {s["subject"] for s in temps} == {"spark-1", "spark-2"}
        listed = (await gw.client.get("/api/history/series")).json()["series"]
        assert {"gpu_utilization_pct", "memory_used_bytes", "memory_total_bytes"} <= {
            s["metric"] for s in listed
        }
        # A fact read once is written once, however many rounds pass.
        points = series["t"]
        assert len(points) == len(set(points))

    async with running_gateway(config) as again:
        kept = await history_of(again.client, "gpu_memory_used_bytes", subject="spark-1")
        assert kept[0]["t"][: len(points)] == points


async def test_history_is_bounded_by_age_and_rows(tmp_path: Path) -> None:
    now = 1_800_000_000.0
    async with Store(tmp_path / "db.sqlite") as store:
        history = History(store, max_age_s=3600, max_rows=1000, clock=lambda: now)
        await history.setup()
        old = [HistorySample("x_pct", "n", 1.0, now - 7200 + i) for i in range(100)]
        recent = [HistorySample("x_pct", "n", 2.0, now - 1800 + i) for i in range(1500)]
        await history.record("core", old + recent)
        await history.prune()
        rows = await store.fetchall("SELECT MIN(t) AS first, COUNT(*) AS n FROM core_history")
        assert rows[0]["n"] == 1000
        # The oldest went first: what is left is the newest thousand.
        assert rows[0]["first"] == now - 1800 + 500


async def test_a_window_is_averaged_into_at_most_the_asked_points(tmp_path: Path) -> None:
    now = 1_800_000_000.0
    async with Store(tmp_path / "db.sqlite") as store:
        history = History(store, clock=lambda: now)
        await history.setup()
        # An hour at one sample per 10 s: 0, 1, 2, ... 359.
        await history.record(
            "core", [HistorySample("x_pct", "n", float(i), now - 3600 + 10 * i) for i in range(360)]
        )
        await history.record("core", [HistorySample("x_pct", "other", float("nan"), now)])
        answer = await history.query(["x_pct"], ["n"], now - 3600, now, 60)
        (series,) = answer["series"]
        assert answer["step_s"] == 60
        assert len(series["v"]) == 60
        # Each step of 60 s holds 6 samples: the first step averages 0..5.
        assert series["v"][0] == pytest.approx(2.5)
        assert series["t"] == sorted(series["t"])
        assert (await history.query(["x_pct"], ["other"], now - 60, now, 10))["series"] == []


async def test_malformed_history_queries_are_clear_422s(tmp_path: Path) -> None:
    config = make_config(tmp_path, {"plugins": {"enabled": []}})
    bad: list[dict[str, Any]] = [
        {"metric": "GPU memory"},
        {"metric": "x_pct", "points": 1},
        {"metric": "x_pct", "window_s": -5},
        {"metric": "x_pct", "subject": "a b"},
        {},
    ]
    async with running_gateway(config) as gw:
        for params in bad:
            response = await gw.client.get("/api/history", params=params)
            assert response.status_code == 422, params
            assert response.json()["error"]["type"] == "invalid_value", params
