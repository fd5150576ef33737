"""One plugin idiom: a plugin is a class the host builds once per gateway with
``(host, settings)``; its state is its attributes, so gateways share nothing."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from spark_control.api import Plugin, PluginSettings, hookimpl
from spark_control.gateway import Gateway
from spark_control.testing import make_config, running_gateway
from tests.core.distributions import install_plugin_distribution
from tests.core.helpers import core_config

ROOT = Path(__file__).resolve().parents[2]


class CounterSettings(PluginSettings):
    start: int = 0


class Counter(Plugin[CounterSettings]):
    settings_model = CounterSettings
    built: list[tuple[Any, CounterSettings]] = []

    def __init__(self, host: Any, settings: CounterSettings) -> None:
        super().__init__(host, settings)
        self.count = settings.start
        Counter.built.append((host, settings))

    @hookimpl
    def spark_models(self) -> list[dict[str, str]]:
        self.count += 1
        return [{"id": f"count-{self.count}", "served_name": "counter"}]


async def test_a_plugin_class_is_built_once_per_gateway_with_host_and_typed_settings(
    tmp_path: Path,
) -> None:
    Counter.built.clear()
    one = Gateway(
        core_config(tmp_path / "one", {"counter": {"start": 10}}),
        extra_plugins={"counter": Counter},
    )
    two = Gateway(
        core_config(tmp_path / "two", {"counter": {"start": 20}}),
        extra_plugins={"counter": Counter},
    )
    assert [(h, s.start) for h, s in Counter.built] == [(one.host, 10), (two.host, 20)]
    first, second = one.pm.get_plugin("counter"), two.pm.get_plugin("counter")
    assert isinstance(first, Counter) and isinstance(second, Counter) and first is not second
    assert await one.host.models() == [
        {"id": "count-11", "served_name": "counter", "plugin": "counter"}
    ]
    assert (await two.host.models())[0]["id"] == "count-21"
    assert (await one.host.models())[0]["id"] == "count-12"


async def test_two_gateways_with_every_first_party_plugin_share_no_plugin_state(
    tmp_path: Path,
) -> None:
    one = Gateway(make_config(tmp_path / "one"))
    two = Gateway(make_config(tmp_path / "two"))
    loaded = [name for name, record in one.records.items() if record.status == "loaded"]
    assert {"vllm", "speech", "embeddings", "redaction", "coordination", "matrix_bridge"} <= set(
        loaded
    )
    for name in loaded:
        first, second = one.pm.get_plugin(name), two.pm.get_plugin(name)
        assert type(first) is type(second) and first is not second, name
        assert first.host is one.host and second.host is two.host, name
        shared = {
            attr
            for attr, value in vars(first).items()
            if attr != "settings" and not _immutable(value) and value is vars(second).get(attr)
        }
        assert shared == set(), f"{name} shares {shared} between gateways"


def _immutable(value: object) -> bool:
    return value is None or isinstance(value, bool | int | float | str | bytes | tuple)


def test_no_plugin_module_keeps_per_gateway_state() -> None:
    """No module-level mapping keyed by host (the old WeakKeyDictionary accessors)."""
    problems = []
    for path in sorted((ROOT / "plugins").glob("*/src/spark_control_*/**/*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign | ast.AnnAssign):
                text = ast.unparse(node)
                if "Weak" in text or "[Host" in text:
                    problems.append(f"{path.relative_to(ROOT)}: {text[:80]}")
    assert problems == []


MODULE_PLUGIN = """
from spark_control.api import hookimpl

@hookimpl
def spark_models(host):
    return []
"""


async def test_an_entry_point_naming_a_module_is_refused_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_plugin_distribution(
        tmp_path / "site",
        monkeypatch,
        dist="spark-control-modular",
        module="spark_control_modular",
        source=MODULE_PLUGIN,
        entry_points={"modular": "spark_control_modular"},
    )
    config = core_config(tmp_path, {"plugins": {"enabled": ["modular"]}})
    async with running_gateway(config) as gw:
        record = {p["name"]: p for p in (await gw.client.get("/api/plugins")).json()}["modular"]
    assert record["status"] == "failed"
    assert "not a class" in record["reason"] and "(host, settings)" in record["reason"]


async def test_a_constructor_that_raises_leaves_only_that_plugin_out(tmp_path: Path) -> None:
    class Broken(Plugin[None]):
        def __init__(self, host: Any, settings: None) -> None:
            raise RuntimeError("needs a GPU driver")

    plugins = {"broken": Broken, "counter": Counter}
    async with running_gateway(core_config(tmp_path), extra_plugins=plugins) as gw:
        records = {p["name"]: p for p in (await gw.client.get("/api/plugins")).json()}
        assert records["broken"]["status"] == "failed"
        assert "could not build: RuntimeError: needs a GPU driver" in records["broken"]["reason"]
        assert records["counter"]["status"] == "loaded"


async def test_spark_sim_must_be_a_static_method(tmp_path: Path) -> None:
    class Simulating(Plugin[None]):
        @hookimpl
        def spark_sim(self, sim: Any) -> None: ...

    async with running_gateway(core_config(tmp_path), extra_plugins={"sim": Simulating}) as gw:
        record = {p["name"]: p for p in (await gw.client.get("/api/plugins")).json()}["sim"]
    assert record["status"] == "failed" and "spark_sim must be a @staticmethod" in record["reason"]
