"""The plugin host: discovery by entry point, contributions, failures, route claims, gates."""

from __future__ import annotations

from pathlib import Path

import pytest

from spark_control.gateway import Gateway
from spark_control.testing import make_config, running_gateway
from tests.core.distributions import install_plugin_distribution
from tests.core.helpers import core_config
from tests.core.sample_plugins import FailingStart, Gatekeeper, RouteOnly, WithSettings

DEMO_PLUGIN = """
from contextlib import asynccontextmanager
from fastapi import APIRouter
from spark_control.api import (
    HealthState, Plugin, PluginSettings, Probe, ProbeResult, Refusal, hookimpl,
)


class Settings(PluginSettings):
    greeting: str = "hello"


class Greeter(Plugin[Settings]):
    settings_model = Settings

    def __init__(self, host, settings):
        super().__init__(host, settings)
        self.started = False

    @hookimpl
    def spark_lifespan(self):
        @asynccontextmanager
        async def run():
            self.started = True
            yield
            self.started = False
        return run()

    @hookimpl
    def spark_routes(self, register):
        router = APIRouter()

        @router.get("/api/greeter/hello")
        async def hello():
            return {"greeting": self.settings.greeting, "started": self.started}

        register(router)

    @hookimpl
    def spark_probes(self, register):
        async def check():
            return ProbeResult(HealthState.OK, "greeter answers")
        register(Probe(name="greeter", check=check))

    @hookimpl
    def spark_tiles(self, register):
        register({"id": "greeter", "title": "Greeter", "order": 5, "status_probe": "greeter"})

    @hookimpl
    def spark_gate(self, action):
        if action.name == "greeter.shout":
            return Refusal(423, "no shouting")
        return None
"""

BROKEN_IMPORT = "raise ImportError('needs libfoo.so')\n"

MISSPELT_HOOK = """
from spark_control.api import hookimpl

class Typo:
    def __init__(self, host, settings):
        pass

    @hookimpl
    def spark_rouets(self, register):
        pass
"""


@pytest.fixture
def greeter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_plugin_distribution(
        tmp_path / "site",
        monkeypatch,
        dist="spark-control-greeter",
        module="spark_control_greeter",
        source=DEMO_PLUGIN,
        entry_points={"greeter": "spark_control_greeter:Greeter"},
    )


async def test_installed_plugin_is_discovered_and_contributes_route_probe_tile_gate(
    tmp_path: Path, greeter: None
) -> None:
    config = core_config(
        tmp_path, {"greeter": {"greeting": "hi Alice"}, "plugins": {"enabled": ["greeter"]}}
    )
    async with running_gateway(config) as gw:
        plugins = (await gw.client.get("/api/plugins")).json()
        record = next(p for p in plugins if p["name"] == "greeter")
        assert record["enabled"] is True
        assert record["version"] == "1.2.3"
        assert record["started"] is True
        assert "spark_routes" in record["hooks"] and "spark_gate" in record["hooks"]

        hello = await gw.client.get("/api/greeter/hello")
        assert hello.json() == {"greeting": "hi Alice", "started": True}

        deep = (await gw.client.get("/api/health/deep")).json()
        assert deep["probes"]["greeter"]["state"] == "ok"
        assert deep["probes"]["greeter"]["owner"] == "greeter"

        tiles = (await gw.client.get("/api/ui/tiles")).json()["tiles"]
        assert [(t["id"], t["plugin"]) for t in tiles] == [("greeter", "greeter")]

        gate = (await gw.client.get("/api/gates/greeter.shout")).json()
        assert gate["allowed"] is False
        assert gate["refusal"]["reason"] == "no shouting"
        assert gate["refusal"]["gate"] == "greeter"
        assert (await gw.client.get("/api/gates/greeter.whisper")).json()["allowed"] is True


async def test_plugin_with_invalid_settings_is_listed_failed_while_gateway_serves(
    tmp_path: Path, greeter: None
) -> None:
    config = core_config(
        tmp_path,
        {"greeter": {"greeting": ["not", "a", "string"]}, "plugins": {"enabled": ["greeter"]}},
    )
    async with running_gateway(config) as gw:
        record = next(
            p for p in (await gw.client.get("/api/plugins")).json() if p["name"] == "greeter"
        )
        assert record["status"] == "failed"
        assert "greeter.greeting" in record["reason"]
        assert (await gw.client.get("/api/greeter/hello")).status_code == 404
        assert (await gw.client.get("/health")).json() == {"status": "ok"}


async def test_plugin_that_fails_to_import_or_misspells_a_hook_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_plugin_distribution(
        tmp_path / "a",
        monkeypatch,
        dist="spark-control-broken",
        module="spark_control_broken",
        source=BROKEN_IMPORT,
        entry_points={"broken": "spark_control_broken"},
    )
    install_plugin_distribution(
        tmp_path / "b",
        monkeypatch,
        dist="spark-control-typo",
        module="spark_control_typo",
        source=MISSPELT_HOOK,
        entry_points={"typo": "spark_control_typo:Typo"},
    )
    config = core_config(tmp_path, {"plugins": {"enabled": ["broken", "typo"]}})
    async with running_gateway(config) as gw:
        records = {p["name"]: p for p in (await gw.client.get("/api/plugins")).json()}
        assert records["broken"]["status"] == "failed"
        assert "needs libfoo.so" in records["broken"]["reason"]
        assert records["typo"]["status"] == "failed"
        assert "spark_rouets" in records["typo"]["reason"]


async def test_every_installed_plugin_is_enabled_when_the_config_names_none(
    tmp_path: Path, greeter: None
) -> None:
    config = make_config(tmp_path)
    assert config.core.plugins.enabled is None
    async with running_gateway(config) as gw:
        records = {p["name"]: p for p in (await gw.client.get("/api/plugins")).json()}
        assert records["greeter"]["status"] == "loaded"
        assert (await gw.client.get("/api/greeter/hello")).status_code == 200


async def test_enabled_names_select_plugins_in_order_and_unknown_names_fail(
    tmp_path: Path, greeter: None
) -> None:
    config = core_config(tmp_path, {"plugins": {"enabled": ["nosuch"]}})
    async with running_gateway(config) as gw:
        records = {p["name"]: p for p in (await gw.client.get("/api/plugins")).json()}
        assert records["nosuch"] == {
            **records["nosuch"],
            "status": "failed",
            "reason": "not installed",
        }
        assert records["greeter"]["status"] == "disabled"
        assert (await gw.client.get("/api/greeter/hello")).status_code == 404


async def test_duplicate_route_claim_is_refused_naming_both_claimants(tmp_path: Path) -> None:
    config = core_config(tmp_path)
    plugins = {
        "first": RouteOnly("first", "/api/thing/{a}"),
        "second": RouteOnly("second", "/api/thing/{b}"),
    }
    async with running_gateway(config, extra_plugins=plugins) as gw:
        records = {p["name"]: p for p in (await gw.client.get("/api/plugins")).json()}
        assert records["first"]["status"] == "loaded"
        assert records["second"]["status"] == "failed"
        assert "GET /api/thing/{}" in records["second"]["reason"]
        assert "'first'" in records["second"]["reason"]
        assert "'second'" in records["second"]["reason"]
        assert (await gw.client.get("/api/thing/x")).json()["plugin"] == "first"


async def test_plugin_cannot_claim_a_core_route(tmp_path: Path) -> None:
    config = core_config(tmp_path)
    async with running_gateway(
        config, extra_plugins={"rogue": RouteOnly("rogue", "/api/health")}
    ) as gw:
        records = {p["name"]: p for p in (await gw.client.get("/api/plugins")).json()}
        assert records["rogue"]["status"] == "failed"
        assert "'core'" in records["rogue"]["reason"]


@pytest.mark.parametrize("order", [("lock", "swaps"), ("swaps", "lock")])
async def test_literal_segment_beats_parameter_whatever_the_registration_order(
    tmp_path: Path, order: tuple[str, str]
) -> None:
    available = {
        "lock": RouteOnly("lock", "/api/swap/lock"),
        "swaps": RouteOnly("swaps", "/api/swap/{swap_id}"),
    }
    config = core_config(tmp_path, {"plugins": {"enabled": []}})
    async with running_gateway(config, extra_plugins={n: available[n] for n in order}) as gw:
        lock = (await gw.client.get("/api/swap/lock")).json()
        swap = (await gw.client.get("/api/swap/swp_123")).json()
        assert lock["plugin"] == "lock"
        assert swap == {
            "plugin": "swaps",
            "route": "/api/swap/{swap_id}",
            "params": {"swap_id": "swp_123"},
        }


async def test_failed_start_makes_only_that_plugins_routes_answer_503(tmp_path: Path) -> None:
    config = core_config(tmp_path)
    plugins = {"failing": FailingStart(), "fine": RouteOnly("fine", "/api/fine")}
    async with running_gateway(config, extra_plugins=plugins) as gw:
        response = await gw.client.get("/api/failing/ping")
        assert response.status_code == 503
        error = response.json()["error"]
        assert error["type"] == "plugin_unavailable"
        assert "backend socket missing" in error["message"]
        assert (await gw.client.get("/api/fine")).status_code == 200
        records = {p["name"]: p for p in (await gw.client.get("/api/plugins")).json()}
        assert records["failing"]["started"] is False


async def test_plugin_settings_come_from_yaml_then_env_and_legacy_alias(tmp_path: Path) -> None:
    config = core_config(
        tmp_path,
        {"demo": {"port": 1}},
        environ={"LEGACY_DEMO_PORT": "2", "SPARK_CONTROL__DEMO__GREETING": "hey Bob"},
    )
    gateway = Gateway(config, extra_plugins={"demo": WithSettings()})
    settings = gateway.host.plugin_settings("demo")
    assert settings.port == 2 and settings.greeting == "hey Bob"

    config = core_config(
        tmp_path,
        environ={"LEGACY_DEMO_PORT": "2", "SPARK_CONTROL__DEMO__PORT": "3"},
    )
    gateway = Gateway(config, extra_plugins={"demo": WithSettings()})
    assert gateway.host.plugin_settings("demo").port == 3

    config = core_config(tmp_path, environ={"LEGACY_DEMO_PORT": "  "})
    gateway = Gateway(config, extra_plugins={"demo": WithSettings()})
    assert gateway.host.plugin_settings("demo").port == 8000


async def test_gated_action_refused_with_gate_reason_and_passes_with_token(
    tmp_path: Path,
) -> None:
    config = core_config(tmp_path)
    async with running_gateway(config, extra_plugins={"gatekeeper": Gatekeeper()}) as gw:
        assert (await gw.client.post("/api/demo/act")).status_code == 200
        await gw.client.post("/api/demo/lock", params={"closed": True})
        refused = await gw.client.post("/api/demo/act")
        assert refused.status_code == 423
        assert refused.headers["retry-after"] == "30"
        assert refused.json()["error"]["message"] == "demo lock is held by Alice"
        assert refused.json()["error"]["detail"]["holder"] == "Alice"
        passed = await gw.client.post("/api/demo/act", headers={"X-Demo-Token": "let-me"})
        assert passed.status_code == 200
        answer = (await gw.client.get("/api/gates/demo.act")).json()
        assert answer["allowed"] is False and answer["refusal"]["status"] == 423


async def test_required_plugin_that_failed_makes_gated_actions_fail_closed(
    tmp_path: Path,
) -> None:
    config = core_config(tmp_path, {"plugins": {"required": ["failing"]}})
    plugins = {"failing": FailingStart(), "gatekeeper": Gatekeeper()}
    async with running_gateway(config, extra_plugins=plugins) as gw:
        response = await gw.client.post("/api/demo/act")
        assert response.status_code == 503
        assert "required plugin 'failing'" in response.json()["error"]["message"]
        answer = (await gw.client.get("/api/gates/demo.act")).json()
        assert answer["allowed"] is False and answer["refusal"]["status"] == 503


async def test_required_plugin_not_installed_fails_closed(tmp_path: Path) -> None:
    config = core_config(tmp_path, {"plugins": {"required": ["coordinator"]}})
    async with running_gateway(config, extra_plugins={"gatekeeper": Gatekeeper()}) as gw:
        response = await gw.client.post("/api/demo/act")
        assert response.status_code == 503
        assert "'coordinator'" in response.json()["error"]["message"]


async def test_gate_action_name_is_validated(tmp_path: Path) -> None:
    async with running_gateway(core_config(tmp_path)) as gw:
        response = await gw.client.get("/api/gates/BAD;name")
        assert response.status_code == 422
        assert response.json()["error"]["detail"]["field"] == "action"
