"""Every hook is called as docs/PLUGINS.md says: once per plugin, in configured order,
and a pluggy option the host would not honour is refused at registration."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from spark_control import hookimpl, hookspecs
from spark_control.contrib import Action, CheckResult, Refusal
from spark_control.events import Event
from spark_control.sim.registry import collect_simulation
from spark_control.testing import running_gateway
from tests.core.helpers import core_config

ROOT = Path(__file__).resolve().parents[2]
HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("spark_"))
OPTIONS = ["tryfirst", "trylast", "wrapper", "hookwrapper"]


def _plugin_with(hook: str, option: str) -> object:
    if option in ("wrapper", "hookwrapper"):

        def impl(self: Any) -> Iterator[None]:  # pluggy wants wrappers to be generators
            yield

    else:

        def impl(self: Any) -> None:
            return None

    return type("Optioned", (), {hook: hookimpl(**{option: True})(impl)})()


@pytest.mark.parametrize("option", OPTIONS)
@pytest.mark.parametrize("hook", HOOKS)
async def test_an_option_the_host_does_not_honour_is_refused_naming_plugin_and_option(
    tmp_path: Path, hook: str, option: str
) -> None:
    plugins = {"optioned": _plugin_with(hook, option)}
    async with running_gateway(core_config(tmp_path), extra_plugins=plugins) as gw:
        record = {p["name"]: p for p in (await gw.client.get("/api/plugins")).json()}["optioned"]
    assert record["status"] == "failed"
    assert f"plugin 'optioned' uses {hook}({option}=True)" in record["reason"]
    assert "does not honour" in record["reason"]


class Recorder:
    """Implements every hook and notes each call as (hook, label) in a shared log."""

    def __init__(self, label: str, log: list[tuple[str, str]]) -> None:
        self.label, self.log = label, log

    def _note(self, hook: str) -> None:
        self.log.append((hook, self.label))

    @hookimpl
    def spark_lifespan(self) -> Any:
        self._note("spark_lifespan")

        @contextlib.asynccontextmanager
        async def run() -> AsyncIterator[None]:
            yield
            self._note("spark_lifespan:exit")

        return run()

    @hookimpl
    def spark_services(self, register: Any) -> None:
        self._note("spark_services")

    @hookimpl
    def spark_routes(self, register: Any) -> None:
        self._note("spark_routes")

    @hookimpl
    def spark_probes(self, register: Any) -> None:
        self._note("spark_probes")

    @hookimpl
    def spark_tiles(self, register: Any) -> None:
        self._note("spark_tiles")

    @hookimpl
    def spark_gate(self, action: Action) -> Refusal | None:
        self._note("spark_gate")
        return Refusal(423, self.label) if action.name == f"stop.{self.label}" else None

    @hookimpl
    def spark_event(self, event: Event) -> None:
        if event.type == "test.ping":
            self._note("spark_event")

    @hookimpl
    def spark_models(self) -> list[dict[str, str]]:
        self._note("spark_models")
        return [{"id": self.label, "served_name": self.label}]

    @hookimpl
    def spark_co_resident(self, models: list[str]) -> bool | None:
        self._note("spark_co_resident")
        return None  # does not know: the next plugin is asked

    @hookimpl
    def spark_node_checks(self, register: Any) -> None:
        self._note("spark_node_checks")

        async def check(host: Any, node: Any) -> CheckResult:
            return CheckResult(True)

        register(f"{self.label}-check", check)

    @hookimpl
    def spark_sim(self, sim: Any) -> None:
        self._note("spark_sim")

    @hookimpl
    def spark_history(self) -> list[Any]:
        self._note("spark_history")
        return []


def _calls(log: list[tuple[str, str]], hook: str) -> list[str]:
    return [label for name, label in log if name == hook]


async def test_every_hook_is_called_once_per_plugin_in_configured_order(tmp_path: Path) -> None:
    log: list[tuple[str, str]] = []
    # Configured order zeta, alpha: not by name, and the reverse of pluggy's own order.
    plugins = {"zeta": Recorder("zeta", log), "alpha": Recorder("alpha", log)}
    async with running_gateway(core_config(tmp_path), extra_plugins=plugins) as gw:
        models = await gw.host.models()
        assert await gw.host.co_resident(["zeta", "alpha"]) is None
        gate_log_start = len(log)
        assert await gw.host.gate(Action("go.on")) is None
        gate_calls = _calls(log[gate_log_start:], "spark_gate")
        refusal = await gw.host.gate(Action("stop.zeta"))
        after_refusal = _calls(log[gate_log_start:], "spark_gate")[len(gate_calls) :]
        collect_simulation(gw.gateway.pm)
        # One sampling round, as the history's timer runs it.
        await gw.gateway.history.sample(gw.host, gw.gateway.pm, gw.gateway.facts.latest)
        gw.host.events.publish("test.ping", {}, source="test")
        async with asyncio.timeout(5):
            while len(_calls(log, "spark_event")) < 2:
                await asyncio.sleep(0.01)
    ordered = ["zeta", "alpha"]
    for hook in HOOKS:
        if hook in ("spark_gate", "spark_event"):
            continue
        assert _calls(log, hook) == ordered, hook
    assert [m["plugin"] for m in models] == ordered
    assert gate_calls == ordered
    # The first refusal ends the walk: alpha is not asked.
    assert refusal is not None and refusal.gate == "zeta" and after_refusal == ["zeta"]
    # Each plugin hears every event once (from its own queue, so no order between them).
    assert sorted(_calls(log, "spark_event")) == sorted(ordered)
    # Every plugin declares its services before any plugin registers routes.
    hooks = [hook for hook, _ in log]
    assert max(i for i, h in enumerate(hooks) if h == "spark_services") < hooks.index(
        "spark_routes"
    )
    # Lifespans are left in reverse order.
    assert _calls(log, "spark_lifespan:exit") == ["alpha", "zeta"]


def test_plugins_doc_states_the_calling_rule_of_every_hook() -> None:
    doc = (ROOT / "docs" / "PLUGINS.md").read_text(encoding="utf-8")
    sections = doc.split("\n### `")
    for hook in HOOKS:
        section = next(s for s in sections if s.startswith(hook + "("))
        assert "**Called:**" in section, f"docs/PLUGINS.md: {hook} does not state when it runs"
        spec_doc = getattr(hookspecs, hook).__doc__ or ""
        assert spec_doc.startswith("Per plugin"), hook
    assert "does not honour" in doc and all(option in doc for option in OPTIONS)
