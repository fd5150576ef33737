"""One test per hook (``test_hook_<name>``), and docs/PLUGINS.md kept equal to hookspecs.py.

A new hook without a test here, or without its section in the docs, fails this module.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter

from spark_control import hookimpl, hookspecs
from spark_control.contrib import Action, CheckResult, Refusal
from spark_control.events import Event
from spark_control.health import HealthState, Probe, ProbeResult
from spark_control.plugins import new_manager
from spark_control.settings import PluginSettings
from spark_control.sim.registry import SimConflict, collect_simulation
from spark_control.testing import running_gateway
from tests.core.helpers import core_config

ROOT = Path(__file__).resolve().parents[2]
HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("spark_"))


def test_every_hook_has_a_test() -> None:
    tests = {name for name in globals() if name.startswith("test_hook_")}
    assert {f"test_hook_{hook}" for hook in HOOKS} <= tests


def test_plugins_doc_states_every_hook_with_its_exact_signature() -> None:
    doc = (ROOT / "docs" / "PLUGINS.md").read_text(encoding="utf-8")
    documented = re.findall(r"^### `(spark_\w+)\(([^)]*)\)`", doc, flags=re.MULTILINE)
    assert sorted(name for name, _ in documented) == HOOKS
    for name, params in documented:
        spec = getattr(hookspecs, name)
        expected = ", ".join(inspect.signature(spec).parameters)
        assert params == expected, f"docs/PLUGINS.md shows {name}({params}), code has ({expected})"


def test_every_hookspec_states_its_shape() -> None:
    for name in HOOKS:
        doc = getattr(hookspecs, name).__doc__ or ""
        assert doc.startswith("Per plugin"), name


def test_misspelt_hook_is_rejected_by_check_pending() -> None:
    class Typo:
        @hookimpl
        def spark_tile(self, register: Any) -> None: ...

    pm = new_manager()
    pm.register(Typo(), name="typo")
    with pytest.raises(Exception, match="spark_tile"):
        pm.check_pending()


class Section(PluginSettings):
    size: int = 3


async def test_settings_model_validates_the_plugins_section(tmp_path: Path) -> None:
    class Plugin:
        settings_model = Section

    config = core_config(tmp_path, {"sized": {"size": 7}})
    async with running_gateway(config, extra_plugins={"sized": Plugin()}) as gw:
        assert gw.host.plugin_settings("sized") == Section(size=7)


async def test_hook_spark_lifespan(tmp_path: Path) -> None:
    seen: list[str] = []

    class Plugin:
        @hookimpl
        def spark_lifespan(self, host: Any) -> Any:
            @contextlib.asynccontextmanager
            async def run() -> AsyncIterator[None]:
                seen.append("start")
                yield
                seen.append("stop")

            return run()

    async with running_gateway(core_config(tmp_path), extra_plugins={"life": Plugin()}):
        assert seen == ["start"]
    assert seen == ["start", "stop"]


async def test_hook_spark_routes(tmp_path: Path) -> None:
    class Plugin:
        @hookimpl
        def spark_routes(self, host: Any, register: Any) -> None:
            router = APIRouter()

            @router.get("/api/routed/{item_id}")
            async def item(item_id: str) -> dict[str, str]:
                return {"item": item_id}

            register(router)

    async with running_gateway(core_config(tmp_path), extra_plugins={"routed": Plugin()}) as gw:
        assert (await gw.client.get("/api/routed/x1")).json() == {"item": "x1"}


async def test_hook_spark_services(tmp_path: Path) -> None:
    from spark_control.api import Service

    class Bringing:
        @hookimpl
        def spark_services(self, register: Any) -> None:
            register(Service(name="worker", node="spark-1", port=9300, kind="worker"))
            register(Service(name="asr", node="spark-1", port=9100, kind="asr"))

    class Clashing:
        @hookimpl
        def spark_services(self, register: Any) -> None:
            register(Service(name="worker", node="spark-1", port=9400, kind="worker"))
            register(Service(name="extra", node="spark-1", port=9500, kind="extra"))

    class Lost:
        @hookimpl
        def spark_services(self, register: Any) -> None:
            register(Service(name="lost", node="spark-9", port=9600, kind="lost"))

    config = core_config(
        tmp_path,
        {
            "ssh": {"user": "alice"},
            "nodes": {"spark-1": {"address": "127.0.0.1"}},
            # The config names asr: it wins over the plugin's default.
            "services": {"asr": {"node": "spark-1", "port": 8001, "kind": "asr"}},
        },
    )
    plugins = {"bringing": Bringing(), "clashing": Clashing(), "lost": Lost()}
    async with running_gateway(config, extra_plugins=plugins) as gw:
        services = gw.host.topology.services
        assert (services["worker"].port, services["asr"].port) == (9300, 8001)
        assert "extra" not in services, "a refused plugin's services leave with it"
        records = {p["name"]: p for p in (await gw.client.get("/api/plugins")).json()}
    assert records["bringing"]["status"] == "loaded"
    assert "'worker' is declared by both 'bringing' and 'clashing'" in records["clashing"]["reason"]
    assert "unknown node 'spark-9'" in records["lost"]["reason"]


async def test_hook_spark_probes(tmp_path: Path) -> None:
    class Plugin:
        @hookimpl
        def spark_probes(self, host: Any, register: Any) -> None:
            async def check() -> ProbeResult:
                return ProbeResult(HealthState.DEGRADED, "GPU busy")

            register(Probe(name="busy", check=check, service="asr"))
            register(Probe(name="off", check=check, service="tts"))

    config = core_config(
        tmp_path,
        {
            "ssh": {"user": "alice"},
            "nodes": {"spark-1": {"address": "127.0.0.1"}},
            "services": {
                "asr": {"node": "spark-1", "port": 8001, "kind": "asr"},
                "tts": {"node": "spark-1", "port": 8002, "kind": "tts"},
            },
            "disabled_services": ["tts"],
        },
    )
    async with running_gateway(config, extra_plugins={"probing": Plugin()}) as gw:
        probes = (await gw.client.get("/api/health/deep")).json()["probes"]
        assert probes["busy"]["state"] == "degraded"
        assert probes["off"]["state"] == "disabled"
        endpoints = {e["name"]: e for e in (await gw.client.get("/api/endpoints")).json()}
        assert endpoints["asr"]["owner"] == "probing" and endpoints["asr"]["disabled"] is False
        assert endpoints["tts"]["disabled"] is True


async def test_hook_spark_tiles(tmp_path: Path) -> None:
    static = tmp_path / "static"
    static.mkdir()
    (static / "tile.js").write_text("export default function render() {}\n")

    class Plugin:
        @hookimpl
        def spark_tiles(self, host: Any, register: Any) -> None:
            register({"id": "late", "title": "Late", "order": 50})
            register(
                {"id": "early", "title": "Early", "order": 1, "kind": "module", "module": "tile.js"}
            )
            register({"id": "hidden", "title": "Hidden", "service": "tts"})
            register.static(static)

    config = core_config(
        tmp_path,
        {
            "ssh": {"user": "alice"},
            "nodes": {"spark-1": {"address": "127.0.0.1"}},
            "services": {"tts": {"node": "spark-1", "port": 8002, "kind": "tts"}},
            "disabled_services": ["tts"],
        },
    )
    async with running_gateway(config, extra_plugins={"tiled": Plugin()}) as gw:
        tiles = (await gw.client.get("/api/ui/tiles")).json()["tiles"]
        assert [t["id"] for t in tiles] == ["early", "late"]
        module = await gw.client.get(tiles[0]["module_url"])
        assert module.status_code == 200 and "export default" in module.text


async def test_hook_spark_gate(tmp_path: Path) -> None:
    class Refuses:
        @hookimpl
        def spark_gate(self, action: Action) -> Refusal | None:
            return Refusal(423, "held") if action.name == "x.y" else None

    class Raises:
        @hookimpl
        def spark_gate(self, action: Action) -> Refusal | None:
            if action.name == "x.boom":
                raise RuntimeError("gate crashed")
            return None

    plugins = {"refuses": Refuses(), "raises": Raises()}
    async with running_gateway(core_config(tmp_path), extra_plugins=plugins) as gw:
        assert (await gw.host.gate(Action("x.y"))) == Refusal(423, "held", gate="refuses")
        boom = await gw.host.gate(Action("x.boom"))
        assert boom is not None and boom.status == 503 and "gate crashed" in boom.reason
        assert await gw.host.gate(Action("x.z")) is None


async def test_hook_spark_event(tmp_path: Path) -> None:
    fast: list[str] = []
    slow: list[str] = []
    release = asyncio.Event()

    class Fast:
        @hookimpl
        def spark_event(self, event: Event) -> None:
            if event.type.startswith("test."):
                fast.append(event.type)

    class Slow:
        @hookimpl
        async def spark_event(self, event: Event) -> None:
            if event.type.startswith("test."):
                await release.wait()
                slow.append(event.type)

    plugins = {"fast": Fast(), "slow": Slow()}
    async with running_gateway(core_config(tmp_path), extra_plugins=plugins) as gw:
        for n in range(3):
            gw.host.events.publish(f"test.e{n}", {"n": n}, source="test")
        await _until(lambda: len(fast) == 3)
        assert fast == ["test.e0", "test.e1", "test.e2"]
        assert slow == [], "the slow plugin is still on its first event"
        release.set()
        await _until(lambda: len(slow) == 3)
        assert slow == fast


async def test_hook_spark_models(tmp_path: Path) -> None:
    class Plugin:
        @hookimpl
        def spark_models(self, host: Any) -> list[dict[str, str]]:
            return [{"id": "qwen3-8b", "served_name": "Qwen/Qwen3-8B"}]

    async with running_gateway(core_config(tmp_path), extra_plugins={"serving": Plugin()}) as gw:
        assert await gw.host.models() == [
            {"id": "qwen3-8b", "served_name": "Qwen/Qwen3-8B", "plugin": "serving"}
        ]


async def test_hook_spark_co_resident(tmp_path: Path) -> None:
    asked: list[tuple[str, list[str]]] = []

    class Unknowing:
        @hookimpl
        def spark_co_resident(self, models: list[str]) -> bool | None:
            asked.append(("unknowing", models))
            return None

    class Broken:
        @hookimpl
        def spark_co_resident(self, models: list[str]) -> bool | None:
            raise RuntimeError("cannot read the nodes")

    class Knowing:
        """Two 100 GiB nodes; each model's GiB; a model takes one node's room."""

        need = {"chat": 70, "coder": 20, "vision": 60}

        @hookimpl
        async def spark_co_resident(self, host: Any, models: list[str]) -> bool | None:
            asked.append(("knowing", models))
            if not set(models) <= set(self.need):
                return None
            free = [100, 100]
            for model in sorted(models, key=lambda m: -self.need[m]):
                node = max(range(2), key=lambda n: free[n])
                if free[node] < self.need[model]:
                    return False
                free[node] -= self.need[model]
            return True

    plugins = {"unknowing": Unknowing(), "broken": Broken(), "knowing": Knowing()}
    async with running_gateway(core_config(tmp_path), extra_plugins=plugins) as gw:
        assert await gw.host.co_resident(["coder", "chat"]) is True
        # Asked sorted and each once; a plugin that raises is skipped, the next is asked.
        assert asked == [("unknowing", ["chat", "coder"]), ("knowing", ["chat", "coder"])]
        assert await gw.host.co_resident(["chat", "coder", "vision"]) is True
        assert await gw.host.co_resident(["chat", "vision", "vision", "coder", "coder"]) is True
        Knowing.need["vision"] = 110  # more than a node holds
        assert await gw.host.co_resident(["chat", "vision"]) is False
        assert await gw.host.co_resident(["chat", "unknown-model"]) is None
        asked.clear()
        assert await gw.host.co_resident(["chat", "chat"]) is True  # one model: nobody asked
        assert asked == []
    async with running_gateway(core_config(tmp_path / "bare")) as gw:
        assert await gw.host.co_resident(["chat", "coder"]) is None


async def test_hook_spark_history(tmp_path: Path) -> None:
    from spark_control.api import HistorySample

    calls: list[float] = []

    class Plugin:
        @hookimpl
        def spark_history(self, host: Any) -> list[HistorySample]:
            calls.append(time.time())
            return [HistorySample("queue_depth", "alpha", float(len(calls)))]

    class Broken:
        @hookimpl
        def spark_history(self, host: Any) -> list[HistorySample]:
            raise RuntimeError("no numbers today")

    config = core_config(tmp_path, {"history": {"interval_s": 0.05}})
    plugins = {"counting": Plugin(), "broken": Broken()}
    async with running_gateway(config, extra_plugins=plugins) as gw:
        async with asyncio.timeout(10):
            while len(calls) < 3:
                await asyncio.sleep(0.05)
        params = {"metric": "queue_depth", "window_s": 10, "points": 2000}
        answer = (await gw.client.get("/api/history", params=params)).json()
    (series,) = answer["series"]
    assert (series["subject"], series["owner"]) == ("alpha", "counting")
    assert series["v"][:3] == [1.0, 2.0, 3.0]


async def test_hook_spark_node_checks(tmp_path: Path) -> None:
    async def launcher_present(host: Any, node: Any) -> CheckResult:
        return CheckResult(False, f"launcher missing on {node.name}")

    class Plugin:
        @hookimpl
        def spark_node_checks(self, host: Any, register: Any) -> None:
            register("launcher", launcher_present)

    config = core_config(
        tmp_path, {"ssh": {"user": "alice"}, "nodes": {"spark-1": {"address": "127.0.0.1"}}}
    )
    async with running_gateway(config, extra_plugins={"checking": Plugin()}) as gw:
        checks = gw.gateway.contributions["checking"].checks
        assert [name for name, _ in checks] == ["launcher"]
        result = await checks[0][1](gw.host, gw.host.topology.node("spark-1"))
        assert result == CheckResult(False, "launcher missing on spark-1")


def test_hook_spark_sim() -> None:
    def start(container: Any) -> None: ...

    class Images:
        @hookimpl
        def spark_sim(self, sim: Any) -> None:
            sim.image("example/worker:*", start, memory_gb=12)
            sim.command("launch.sh", "#!/bin/sh\necho launched\n")
            sim.settings({"sample_text": "Alice met Bob."})

    class Clash:
        @hookimpl
        def spark_sim(self, sim: Any) -> None:
            sim.command("launch.sh", "#!/bin/sh\n")

    pm = new_manager()
    pm.register(Images(), name="images")
    registry = collect_simulation(pm)
    found = registry.image_for("example/worker:1.0")
    assert found is not None and found.plugin == "images" and found.memory_gb == 12
    assert registry.image_for("other/image") is None
    assert registry.commands["launch.sh"].plugin == "images"
    assert registry.settings == {"images": {"sample_text": "Alice met Bob."}}

    pm.register(Clash(), name="clash")
    with pytest.raises(SimConflict, match="'images' and 'clash'"):
        collect_simulation(pm)


async def _until(condition: Any, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)
