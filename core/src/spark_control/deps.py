"""FastAPI dependencies that hand handlers what their own gateway was built with.

Routers are module-level (the core's and every plugin's), so one router serves every
gateway in a process; a handler asks for what it needs (``gateway: GatewayDep``, or a
plugin's ``Depends(plugin_instance(MyPlugin))``) and gets the one its own app was built
with, read from ``app.state`` at request time, never from a module global. Types only
are imported here (and the error type), so any core module may use these without an
import cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

from fastapi import Depends, Request

from spark_control.errors import Unavailable

if TYPE_CHECKING:
    from spark_control.access import AccessControl
    from spark_control.audit import AuditLog
    from spark_control.events import EventBus
    from spark_control.gateway import Gateway
    from spark_control.health import HealthMonitor
    from spark_control.host import Host


def gateway(request: Request) -> Gateway:
    """The assembly this request's app belongs to."""
    return cast("Gateway", request.app.state.gateway)


def host(request: Request) -> Host:
    return cast("Host", request.app.state.host)


def access(request: Request) -> AccessControl:
    return cast("AccessControl", request.app.state.access)


def audit(request: Request) -> AuditLog:
    return cast("AuditLog", request.app.state.host.audit)


def events(request: Request) -> EventBus:
    return cast("EventBus", request.app.state.events)


def health(request: Request) -> HealthMonitor:
    return cast("HealthMonitor", request.app.state.host.health)


GatewayDep = Annotated["Gateway", Depends(gateway)]
HostDep = Annotated["Host", Depends(host)]
AccessDep = Annotated["AccessControl", Depends(access)]
AuditDep = Annotated["AuditLog", Depends(audit)]
EventsDep = Annotated["EventBus", Depends(events)]
HealthDep = Annotated["HealthMonitor", Depends(health)]


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
            plugins = request.app.state.host.plugin_objects()
            matches = [plugin for plugin in plugins if isinstance(plugin, cls)]
            if not matches:
                raise Unavailable(f"{cls.__name__} is not loaded in this gateway")
            found[cls] = matches[0]
        instance: P = found[cls]
        return instance

    dependency.__name__ = f"{cls.__name__}_instance"
    return dependency
