"""vLLM's health: degraded, not down, while a busy GPU answers /health slowly; a second
node's vLLM monitored through a kind: vllm entry of services-overrides.yaml."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spark_control.sim import SimCluster
from spark_control.testing import make_config, running_gateway
from spark_control_vllm.sim import set_vllm_failure
from tests.vllm.conftest import sim_cluster


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("health-sim"), "127.0.0.130") as sim:
        yield sim


async def test_slow_health_is_degraded_and_a_second_vllm_is_monitored(
    tmp_path: Path, cluster: SimCluster
) -> None:
    (tmp_path / "services-overrides.yaml").write_text(
        "vllm-spark-2:\n  node: spark-2\n  port: 8888\n  kind: vllm\n"
    )
    config = make_config(
        tmp_path,
        {
            "gateway": {"services_overrides": str(tmp_path / "services-overrides.yaml")},
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["vllm"]},
            "health": {"probe_timeout_s": 6.0, "interval_s": 60},
        },
    )
    set_vllm_failure(cluster, "spark-1", "slow_health", health_delay_s=2.0)
    try:
        async with running_gateway(config) as gw:
            assert (
                await gw.client.post("/api/swap", json={"model": "gpt-oss-20b"})
            ).status_code == 202
            async with asyncio.timeout(60):
                while (await gw.client.get("/api/swap")).json()["state"] == "swapping":
                    await asyncio.sleep(0.2)
            assert (await gw.client.get("/api/swap")).json()["state"] == "ready"

            probes = (await gw.client.get("/api/health/deep")).json()["probes"]
            assert probes["vllm"]["state"] == "degraded", probes["vllm"]
            assert probes["vllm-spark-2"]["owner"] == "vllm"
            assert probes["vllm-spark-2"]["state"] == "down", "nothing serves on spark-2"
            endpoints = {e["name"]: e for e in (await gw.client.get("/api/endpoints")).json()}
            assert endpoints["vllm-spark-2"]["owner"] == "vllm"
            await gw.client.post("/api/vllm/stop")
    finally:
        set_vllm_failure(cluster, "spark-1", None)


async def test_a_slot_stopped_on_purpose_is_shown_stopped_not_down(
    tmp_path: Path, cluster: SimCluster
) -> None:
    # A fresh install has no model loaded: its vLLM port is closed on purpose, which
    # is no outage (the header and `spark-control health` showed it as one).
    config = make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["vllm"]},
            "health": {"interval_s": 0.5},
        },
    )

    async def probe(gw: Any, wanted: str) -> dict[str, Any]:
        async with asyncio.timeout(30):
            while True:
                health = (await gw.client.get("/api/health")).json()
                if health["probes"]["vllm"]["state"] == wanted:
                    return health
                await asyncio.sleep(0.2)

    async with running_gateway(config) as gw:
        assert (await gw.client.get("/api/swap")).json()["state"] == "stopped"
        health = await probe(gw, "disabled")
        assert "no model is loaded" in health["probes"]["vllm"]["detail"]
        async with asyncio.timeout(30):
            while (health := (await gw.client.get("/api/health")).json())["status"] == "unknown":
                await asyncio.sleep(0.2)
        assert health["status"] == "ok", health
        await gw.client.post("/api/swap", json={"model": "gpt-oss-20b"})
        await probe(gw, "ok")
        assert (await gw.client.post("/api/vllm/stop")).status_code in (200, 202)
        await probe(gw, "disabled")
        # Not stopped on purpose: the engine dies under the gateway.
        await gw.client.post("/api/swap", json={"model": "gpt-oss-20b"})
        await probe(gw, "ok")
        assert cluster.fail("vllm_node", "exit") == 1
        try:
            health = await probe(gw, "down")
            assert health["status"] != "ok"
        finally:
            cluster.clear_failures()
            await gw.client.post("/api/vllm/stop")
