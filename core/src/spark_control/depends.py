"""FastAPI dependencies that hand a plugin's handlers what they need.

A plugin's routers are module-level, so its handlers are plain functions importable by
name; they reach this gateway's instance of the plugin through :func:`plugin_instance`,
which finds it on the request's app (never in a module global), so two gateways in one
process still share nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from starlette.requests import Request

from spark_control.errors import Unavailable

P = TypeVar("P")


def plugin_instance(cls: type[P]) -> Callable[[Request], P]:
    """A dependency giving the handler this gateway's instance of the plugin ``cls``:
    ``Annotated[MyPlugin, Depends(plugin_instance(MyPlugin))]``."""

    def dependency(request: Request) -> P:
        state = request.app.state
        found: dict[type, Any] | None = getattr(state, "plugin_instances", None)
        if found is None:
            found = state.plugin_instances = {}
        if cls not in found:
            # The host keeps its plugin manager to itself; this is its one reader.
            plugins = request.app.state.host._pm.get_plugins()
            matches = [plugin for plugin in plugins if isinstance(plugin, cls)]
            if not matches:
                raise Unavailable(f"{cls.__name__} is not loaded in this gateway")
            found[cls] = matches[0]
        instance: P = found[cls]
        return instance

    dependency.__name__ = f"{cls.__name__}_instance"
    return dependency
