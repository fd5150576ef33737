"""The hooks of the matrix_bridge plugin (its entry point).

The entry point is this module, shared by every gateway in the process; what belongs
to one gateway (its bots, its manager) is kept per host.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spark_control.api import CheckResult, Unavailable, hookimpl
from spark_control_matrix_bridge.bots import Roster, resolve_bots
from spark_control_matrix_bridge.checks import check_bot
from spark_control_matrix_bridge.manager import BotManager
from spark_control_matrix_bridge.routes import router
from spark_control_matrix_bridge.settings import MatrixBridgeSettings

if TYPE_CHECKING:
    from spark_control.api import Host, SimRegistrar

NAME = "matrix_bridge"
STATIC_DIR = Path(__file__).parent / "static"
TILE_MODULE = "matrix-bridge-tile.js"
TILE_ORDER = 60

_rosters: weakref.WeakKeyDictionary[Host, Roster] = weakref.WeakKeyDictionary()
_managers: weakref.WeakKeyDictionary[Host, BotManager] = weakref.WeakKeyDictionary()


def _settings(host: Host) -> MatrixBridgeSettings:
    settings = host.plugin_settings(NAME)
    assert isinstance(settings, MatrixBridgeSettings)
    return settings


def roster(host: Host) -> Roster:
    """The host's bots (resolved once: an unknown node fails the plugin's start-up)."""
    if host not in _rosters:
        _rosters[host] = resolve_bots(_settings(host), host.topology)
    return _rosters[host]


def manager(host: Host) -> BotManager:
    found = _managers.get(host)
    if found is None:
        raise Unavailable("the matrix_bridge plugin has not started")
    return found


def tile_id(bot_name: str) -> str:
    return f"{NAME}.{bot_name}"


@hookimpl
def spark_settings_model() -> type[MatrixBridgeSettings]:
    return MatrixBridgeSettings


@hookimpl
def spark_routes(host: Host, register: Any) -> None:
    roster(host)
    register(router(host, lambda: manager(host)))


@hookimpl
def spark_tiles(host: Host, register: Any) -> None:
    register.static(STATIC_DIR)
    for index, bot in enumerate(roster(host).bots):
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
def spark_node_checks(host: Host, register: Any) -> None:
    for bot in roster(host).bots:

        async def check(host: Host, node: Any, bot: Any = bot) -> CheckResult:
            if node.name != bot.node:
                return CheckResult(True, f"{bot.name} runs on {bot.node}")
            checks = await check_bot(host, bot)
            failed = [c for c in checks if not c.ok]
            shown = failed or checks
            return CheckResult(not failed, "; ".join(f"{c.name}: {c.detail}" for c in shown))

        register(f"matrix_bridge.{bot.name}", check)


@hookimpl
def spark_lifespan(host: Host) -> Any:
    @contextlib.asynccontextmanager
    async def run() -> AsyncIterator[None]:
        bots = BotManager(host, _settings(host), roster(host))
        await bots.setup()
        _managers[host] = bots
        try:
            yield
        finally:
            _managers.pop(host, None)
            await bots.aclose()

    return run()


@hookimpl
def spark_sim(sim: SimRegistrar) -> None:
    # Imported here: only the demo and the tests build a simulated cluster.
    from spark_control_matrix_bridge.sim import register

    register(sim)
