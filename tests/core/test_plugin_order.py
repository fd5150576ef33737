"""Pins the order users see: tiles, gates and routes, whatever shape plugins take.

Written before the Plugin SDK rework (issue 18), so the rework cannot change what the
dashboard shows, which gate answers first, or which route serves a request.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.routing import APIRoute

from spark_control import hookimpl
from spark_control.contrib import Action, Refusal
from spark_control.routing import specificity_key
from spark_control.testing import make_config, running_gateway
from tests.core.helpers import core_config


class Ordered:
    """Tiles, a gate that refuses ``demo.go`` with its own name, and two routes."""

    def __init__(self, label: str, tiles: list[tuple[str, int]], paths: list[str]) -> None:
        self.label, self.tiles, self.paths = label, tiles, paths

    @hookimpl
    def spark_tiles(self, register: Any) -> None:
        for tile_id, order in self.tiles:
            register({"id": tile_id, "title": tile_id, "order": order})

    @hookimpl
    def spark_gate(self, action: Action) -> Refusal | None:
        if action.name == "demo.go":
            return Refusal(423, f"{self.label} says no")
        return None

    @hookimpl
    def spark_routes(self, register: Any) -> None:
        router = APIRouter()
        for path in self.paths:

            async def answer(_label: str = self.label) -> dict[str, str]:
                return {"plugin": _label}

            router.add_api_route(path, answer, methods=["GET"], name=f"{self.label}:{path}")
        register(router)


def _mounted(app: Any) -> list[Any]:
    """The app's routes in matching order; each plugin route is mounted as a one-route
    router, which FastAPI keeps as an included router holding the original route."""
    found = []
    for route in app.router.routes:
        inner = getattr(route, "original_router", None)
        found.extend(inner.routes if inner is not None else [route])
    return found


def _plugins() -> dict[str, Ordered]:
    # Configured order is zeta, alpha, mid: neither alphabetical nor by tile order.
    return {
        "zeta": Ordered("zeta", [("z-late", 50), ("z-early", 1), ("tie", 20)], ["/api/o/{x}"]),
        "alpha": Ordered("alpha", [("a-tie", 20), ("a-first", 1)], ["/api/o/lit"]),
        "mid": Ordered("mid", [("m", 20)], ["/api/p/{y}", "/api/o/{x}/more"]),
    }


async def test_tiles_are_sorted_by_order_then_plugin_then_id(tmp_path: Path) -> None:
    async with running_gateway(core_config(tmp_path), extra_plugins=_plugins()) as gw:
        tiles = (await gw.client.get("/api/ui/tiles")).json()["tiles"]
    assert [(t["order"], t["plugin"], t["id"]) for t in tiles] == [
        (1, "alpha", "a-first"),
        (1, "zeta", "z-early"),
        (20, "alpha", "a-tie"),
        (20, "mid", "m"),
        (20, "zeta", "tie"),
        (50, "zeta", "z-late"),
    ]


async def test_gates_run_in_configured_order_and_the_first_refusal_answers(
    tmp_path: Path,
) -> None:
    async with running_gateway(core_config(tmp_path), extra_plugins=_plugins()) as gw:
        answer = (await gw.client.get("/api/gates/demo.go")).json()
        assert answer["refusal"]["reason"] == "zeta says no"
        assert answer["refusal"]["gate"] == "zeta"
        refusal = await gw.host.gate(Action("demo.go"))
        assert refusal is not None and refusal.reason == "zeta says no"


async def test_routes_are_mounted_by_specificity_with_ties_in_configured_order(
    tmp_path: Path,
) -> None:
    async with running_gateway(core_config(tmp_path), extra_plugins=_plugins()) as gw:
        gateway = gw.gateway
        assert (await gw.client.get("/api/o/lit")).json() == {"plugin": "alpha"}
        assert (await gw.client.get("/api/o/other")).json() == {"plugin": "zeta"}
        assert (await gw.client.get("/api/o/other/more")).json() == {"plugin": "mid"}
        routes = [r for r in _mounted(gateway.app) if isinstance(r, APIRoute)]
    ours = [r.name for r in routes if r.path.startswith(("/api/o/", "/api/p/"))]
    assert ours == ["alpha:/api/o/lit", "zeta:/api/o/{x}", "mid:/api/o/{x}/more", "mid:/api/p/{y}"]
    keys = [specificity_key(r) for r in routes]
    assert keys == sorted(keys), "routes are mounted most specific first"


async def test_first_party_tiles_and_routes_keep_the_same_rules(tmp_path: Path) -> None:
    """Every installed plugin together: tiles by (order, plugin, id); routes by
    specificity, ties in configured order (core first)."""
    config = make_config(tmp_path)
    async with running_gateway(config) as gw:
        tiles = (await gw.client.get("/api/ui/tiles")).json()["tiles"]
        assert tiles, "the first-party plugins bring tiles"
        assert tiles == sorted(tiles, key=lambda t: (t["order"], t["plugin"], t["id"]))
        # The core's default plugins contribute first, together, as "core".
        plugin_order = list(gw.gateway.contributions)
        assert plugin_order[0] == "core"
        owner = {
            id(route): name for name, c in gw.gateway.contributions.items() for route in c.routes()
        }
        mounted = [r for r in _mounted(gw.gateway.app) if isinstance(r, APIRoute)]
    keys = [specificity_key(r) for r in mounted]
    assert keys == sorted(keys)
    for before, after in itertools.pairwise(mounted):
        if specificity_key(before) == specificity_key(after):
            first, second = owner[id(before)], owner[id(after)]
            assert plugin_order.index(first) <= plugin_order.index(second)
