"""Throwaway plugins the browser tests register through ``extra_plugins``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter

from spark_control import hookimpl
from spark_control.contrib import Action, Refusal


class Recorder:
    """``POST /api/e2e/reset`` and ``POST /api/e2e/poke`` record each call;
    ``GET /api/e2e/status`` answers a small JSON document for fields to read."""

    def __init__(self, tiles: list[dict[str, Any]] | None = None) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.tiles = tiles or []

    @hookimpl
    def spark_routes(self, register: Any) -> None:
        router = APIRouter()

        @router.post("/api/e2e/reset")
        async def reset(body: dict[str, Any] | None = None) -> dict[str, str]:
            self.calls.append(("reset", body))
            return {"result": "reset"}

        @router.post("/api/e2e/poke")
        async def poke() -> dict[str, str]:
            self.calls.append(("poke", None))
            return {"result": "poked"}

        @router.get("/api/e2e/status")
        async def status() -> dict[str, Any]:
            return {"current": {"model": "<model-a>", "calls": len(self.calls)}}

        register(router)

    @hookimpl
    def spark_tiles(self, register: Any) -> None:
        for tile in self.tiles:
            register(tile)


class Lock:
    """Refuses ``e2e.reset`` while ``held`` names somebody."""

    def __init__(self, held: str | None = None) -> None:
        self.held = held

    @hookimpl
    def spark_gate(self, action: Action) -> Refusal | None:
        if action.name == "e2e.reset" and self.held:
            return Refusal(423, f"the reset lock is held by {self.held}", gate="e2e_lock")
        return None


class ModuleTile:
    """Serves ``static`` and registers module tiles naming files in it."""

    def __init__(self, static: Path, tiles: list[dict[str, Any]]) -> None:
        self.static = static
        self.tiles = tiles

    @hookimpl
    def spark_tiles(self, register: Any) -> None:
        register.static(self.static)
        for tile in self.tiles:
            register(tile)


class Misspelt:
    """A hook name nobody knows: the plugin is listed failed, naming the hook."""

    @hookimpl
    def spark_rotues(self, register: Any) -> None:  # deliberately misspelt
        pass
