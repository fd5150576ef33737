"""The matrix_bridge plugin (its entry point is :class:`MatrixBridgePlugin`).

The host builds the class once per gateway, so each gateway has its own bots and
manager.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spark_control.api import (
    CheckRegistrar,
    CheckResult,
    Plugin,
    RouteRegistrar,
    Started,
    TileRegistrar,
    hookimpl,
    with_aliases,
)
from spark_control_matrix_bridge.bots import Roster, resolve_bots
from spark_control_matrix_bridge.checks import check_bot
from spark_control_matrix_bridge.manager import BotManager
from spark_control_matrix_bridge.settings import MatrixBridgeSettings

if TYPE_CHECKING:
    from spark_control.api import Host, SimRegistrar

NAME = "matrix_bridge"
STATIC_DIR = Path(__file__).parent / "static"
TILE_MODULE = "matrix-bridge-tile.js"
TILE_ORDER = 60


def tile_id(bot_name: str) -> str:
    return f"{NAME}.{bot_name}"


class MatrixBridgePlugin(Plugin[MatrixBridgeSettings]):
    """One per gateway: its bots (the roster) and, once started, their manager."""

    settings_model = MatrixBridgeSettings

    def __init__(self, host: Host, settings: MatrixBridgeSettings) -> None:
        super().__init__(host, settings)
        self._roster: Roster | None = None
        self.manager = Started[BotManager]("the matrix_bridge plugin")

    @property
    def roster(self) -> Roster:
        """The bots (resolved once: an unknown node fails the plugin's start-up)."""
        if self._roster is None:
            self._roster = resolve_bots(self.settings, self.host.topology)
        return self._roster

    @hookimpl
    def spark_routes(self, register: RouteRegistrar) -> None:
        self.roster  # noqa: B018 - resolved here, so a bad bot node refuses the plugin
        # Imported here: the route module imports this class for its dependency.
        from spark_control_matrix_bridge import routes

        register(with_aliases(routes.router, routes.ALIASES))

    @hookimpl
    def spark_tiles(self, register: TileRegistrar) -> None:
        register.static(STATIC_DIR)
        for index, bot in enumerate(self.roster.bots):
            register(
                {
                    "id": tile_id(bot.name),
                    "title": bot.title,
                    "order": TILE_ORDER + index,
                    "kind": "module",
                    "module": TILE_MODULE,
                }
            )

    @hookimpl
    def spark_node_checks(self, register: CheckRegistrar) -> None:
        for bot in self.roster.bots:

            async def check(host: Host, node: Any, bot: Any = bot) -> CheckResult:
                if node.name != bot.node:
                    return CheckResult(True, f"{bot.name} runs on {bot.node}")
                checks = await check_bot(host, bot)
                failed = [c for c in checks if not c.ok]
                shown = failed or checks
                return CheckResult(not failed, "; ".join(f"{c.name}: {c.detail}" for c in shown))

            register(f"matrix_bridge.{bot.name}", check)

    @hookimpl
    def spark_lifespan(self) -> Any:
        @contextlib.asynccontextmanager
        async def run() -> AsyncIterator[None]:
            bots = BotManager(self.host, self.settings, self.roster)
            await bots.setup()
            self.manager.value = bots
            try:
                yield
            finally:
                self.manager.value = None
                await bots.aclose()

        return run()

    @staticmethod
    @hookimpl
    def spark_sim(sim: SimRegistrar) -> None:
        # Imported here: only the demo and the tests build a simulated cluster.
        from spark_control_matrix_bridge.sim import register

        register(sim)
