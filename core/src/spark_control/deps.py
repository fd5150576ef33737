"""FastAPI dependencies that hand the core's handlers the app's services.

The core's routers are module-level, so one router serves every gateway in a process;
a handler asks for what it needs (``gateway: GatewayDep``) and gets the one its own app
was built with, read from ``app.state`` at request time. Types only are imported here,
so any core module may use these without an import cycle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, cast

from fastapi import Depends, Request

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
