"""The UPS plugin against a simulated cluster, through the gateway's HTTP API."""

from __future__ import annotations

import ast
from pathlib import Path

from spark_control_ups.sim import set_ups, unplug_ups

from spark_control.settings import LoadedConfig
from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway, make_config, running_gateway

SOURCE = Path(__file__).resolve().parents[1] / "src" / "spark_control_ups"


async def test_the_route_reads_the_ups_on_its_node(spark_gateway: RunningGateway) -> None:
    ups = (await spark_gateway.client.get("/api/ups")).json()
    assert (ups["ups"], ups["node"], ups["status"], ups["state"]) == (
        "ups@localhost",
        "spark-1",
        "OL",
        "ok",
    )
    assert (ups["charge"], ups["runtime_s"], ups["load"]) == (100, 2400, 18)
    assert ups["history"][-1]["charge"] == 100


async def test_the_probe_says_on_battery_is_degraded_and_low_battery_down(
    spark_gateway: RunningGateway, spark_sim_cluster: SimCluster
) -> None:
    async def probe() -> dict[str, str]:
        deep = (await spark_gateway.client.get("/api/health/deep")).json()
        found: dict[str, str] = deep["probes"]["ups"]
        return found

    assert (await probe())["state"] == "ok"
    set_ups(spark_sim_cluster, "spark-1", status="OB DISCHRG", charge=64)
    on_battery = await probe()
    assert (on_battery["state"], on_battery["detail"]) == ("degraded", "on battery, 64% left")
    set_ups(spark_sim_cluster, "spark-1", status="OB LB", charge=9)
    assert (await probe())["state"] == "down"
    unplug_ups(spark_sim_cluster, "spark-1")
    down = await probe()
    assert down["state"] == "down" and "Driver not connected" in down["detail"]
    response = await spark_gateway.client.get("/api/ups")
    assert response.status_code == 503
    assert "Driver not connected" in response.json()["error"]["message"]


async def test_the_chart_keeps_each_sample(
    spark_gateway: RunningGateway, spark_sim_cluster: SimCluster
) -> None:
    for charge in (90, 80, 70):
        set_ups(spark_sim_cluster, "spark-1", status="OB", charge=charge, load=30)
        await spark_gateway.client.get("/api/ups")
    history = (await spark_gateway.client.get("/api/ups")).json()["history"]
    assert [s["charge"] for s in history][-4:] == [90, 80, 70, 70]
    assert all(s["load"] == 30 for s in history[-4:])


async def test_the_tile_and_the_kit_its_chart_uses_are_served(
    spark_gateway: RunningGateway,
) -> None:
    tiles = (await spark_gateway.client.get("/api/ui/tiles")).json()["tiles"]
    tile = next(t for t in tiles if t["id"] == "ups")
    assert (tile["plugin"], tile["kind"], tile["status_probe"]) == ("ups", "module", "ups")
    module = await spark_gateway.client.get(tile["module_url"])
    assert module.status_code == 200
    assert "export default async function mount" in module.text
    # The chart comes from the dashboard's tile kit, which the installed core serves.
    assert "from '/ui/kit/index.js'" in module.text
    kit = await spark_gateway.client.get("/ui/kit/index.js")
    assert kit.status_code == 200
    assert kit.headers["content-type"].startswith("text/javascript")
    assert "sparkline" in kit.text
    chart = await spark_gateway.client.get("/ui/kit/chart.js")
    assert "export function sparkline" in chart.text


async def test_the_legacy_env_name_picks_the_ups(
    tmp_path: Path, spark_config: LoadedConfig, spark_sim_cluster: SimCluster
) -> None:
    set_ups(spark_sim_cluster, "spark-1", name="rack", status="OL", charge=55)
    nodes = spark_sim_cluster.topology_config()
    config = make_config(tmp_path, {"nodes": nodes}, environ={"NUT_UPS": "rack@localhost"})
    async with running_gateway(config) as gw:
        ups = (await gw.client.get("/api/ups")).json()
    assert (ups["ups"], ups["charge"]) == ("rack@localhost", 55)
    generated = make_config(
        tmp_path / "generated",
        {"nodes": nodes},
        environ={"NUT_UPS": "rack@localhost", "SPARK_CONTROL__UPS__UPS": "ups@localhost"},
    )
    async with running_gateway(generated) as gw:
        assert (await gw.client.get("/api/ups")).json()["charge"] == 100


async def test_a_ups_name_a_shell_would_read_is_refused_at_start_up(
    tmp_path: Path, spark_sim_cluster: SimCluster
) -> None:
    config = make_config(
        tmp_path, {"nodes": spark_sim_cluster.topology_config(), "ups": {"ups": "ups;reboot"}}
    )
    async with running_gateway(config) as gw:
        plugins = {p["name"]: p for p in (await gw.client.get("/api/plugins")).json()}
        assert plugins["ups"]["status"] == "failed"
        assert "ups.ups" in plugins["ups"]["reason"]
        assert (await gw.client.get("/api/ups")).status_code == 404


def test_the_plugin_imports_only_the_declared_api() -> None:
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "spark_control."
            ):
                assert node.module == "spark_control.api", f"{path.name}: {node.module}"
            if isinstance(node, ast.ImportFrom) and node.module == "spark_control":
                raise AssertionError(f"{path.name} imports spark_control itself")
