"""The core's own features, as default plugins: liveness and the assembly's views, the
nodes, access, events, audit, health, metrics, the dashboard and the API browser.

Each is a plugin like any other: it implements hooks from ``hookspecs.py`` and the host
calls them with the same registrars, judges what they hand it with the same
:class:`~spark_control.contrib.Ledger`, and mounts their routes in the same ordered
pass. They differ from installed plugins in four ways, all because the core is not
optional: they are registered first, under ``core.<feature>`` names no installed plugin
can take (plugin names hold no dot), and contribute together as the claimant ``core``;
a default plugin that fails to register or to start stops the gateway instead of being
left out; their routes carry no readiness check; and ``/api/plugins`` does not list
them. Each is built with the :class:`~spark_control.gateway.Gateway`, since the
services they serve (access control, the facts poller) are the host's own.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, ClassVar

from spark_control import (
    access_routes,
    api_docs,
    audit,
    core_routes,
    events,
    health,
    history_routes,
    problems,
    replica_routes,
    ui,
)
from spark_control.contrib import CheckRegistrar, ProbeRegistrar, RouteRegistrar
from spark_control.event_relay import PostgresEventRelay
from spark_control.hookspecs import hookimpl
from spark_control.metrics import CoreCollector
from spark_control.metrics import router as metrics_router
from spark_control.node_checks import core_checks
from spark_control.node_probes import ssh_probes
from spark_control.plugins import call_impl, implementations
from spark_control.ssh import ensure_gateway_key

if TYPE_CHECKING:
    from fastapi import APIRouter

    from spark_control.gateway import Gateway
    from spark_control.host import Host

log = logging.getLogger(__name__)

#: The claimant every default plugin contributes as: route clashes name it, node probes
#: and checks are owned by it, and its routes need no plugin to be started.
CORE = "core"


class DefaultPlugin:
    """A core feature; ``routers`` are registered as they are, in order."""

    name: ClassVar[str]
    routers: ClassVar[tuple[APIRouter, ...]] = ()

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway

    @hookimpl
    def spark_routes(self, register: RouteRegistrar) -> None:
        for router in self.routers:
            register(router)


class Assembly(DefaultPlugin):
    """``/health`` (liveness), ``/api/plugins``, ``/api/endpoints``, ``/api/gates/{action}``
    and ``/api/ui/tiles``: views over what the host assembled."""

    name = "core.assembly"
    routers = (core_routes.router,)


class Nodes(DefaultPlugin):
    """The nodes: their routes, an SSH probe per node, the prerequisite checks of
    ``spark-control nodes check``, and the gateway's SSH key and connections."""

    name = "core.nodes"
    routers = (core_routes.nodes_router,)

    @hookimpl
    def spark_probes(self, host: Host, register: ProbeRegistrar) -> None:
        for probe in ssh_probes(host):
            register(probe)

    @hookimpl
    def spark_node_checks(self, host: Host, register: CheckRegistrar) -> None:
        for name, check in core_checks(host):
            register(name, check)

    @hookimpl
    def spark_lifespan(self, host: Host) -> Any:
        return self._run(host)

    @asynccontextmanager
    async def _run(self, host: Host) -> AsyncIterator[None]:
        self.gateway.gateway_key = await host.run_blocking(ensure_gateway_key, host.secrets_dir)
        try:
            yield
        finally:
            await host.ssh.close()


class Access(DefaultPlugin):
    """Sign-in and API keys: ``/api/session``, ``/api/keys``; their tables; key usage
    written back at shutdown."""

    name = "core.access"
    routers = (access_routes.router,)

    @hookimpl
    def spark_lifespan(self) -> Any:
        return self._run()

    @asynccontextmanager
    async def _run(self) -> AsyncIterator[None]:
        access = self.gateway.access
        await access.keys.setup()
        try:
            if access.enforced and not await access.keys.list():
                log.warning(
                    "access.require_keys is on but no API key exists: every route but "
                    "/health answers 401; create one with 'spark-control keys create'"
                )
            yield
        finally:
            await access.keys.flush_usage()


class Events(DefaultPlugin):
    """``/api/events`` (SSE), and a FIFO listener on the bus per plugin with
    ``spark_event``; the bus drains and closes at shutdown, after every plugin stopped."""

    name = "core.events"
    routers = (events.sse_router,)

    @hookimpl
    def spark_lifespan(self, host: Host) -> Any:
        return self._run(host)

    @asynccontextmanager
    async def _run(self, host: Host) -> AsyncIterator[None]:
        for impl in implementations(self.gateway.pm, "spark_event"):
            host.events.add_listener(impl.plugin_name, _deliver_to(impl))
        host.events.start()
        try:
            yield
        finally:
            await host.events.aclose()


class Replicas(DefaultPlugin):
    """``/api/leadership``; taking part in the lead (with several gateways on one
    PostgreSQL) and relaying events between replicas. Started before any plugin, so
    a plugin's start-up knows whether it leads; stopped after them, handing the lead
    back."""

    name = "core.replicas"
    routers = (replica_routes.router,)
    _announcing = False

    @hookimpl
    def spark_lifespan(self, host: Host) -> Any:
        return self._run(host)

    @asynccontextmanager
    async def _run(self, host: Host) -> AsyncIterator[None]:
        leadership = host.leadership

        def announce(leading: bool) -> None:
            host.events.publish("leadership.changed", leadership.view())
            host.gate_changed("*")  # a follower refuses every gated action

        if not self._announcing:  # once per gateway, however often its lifespan runs
            leadership.on_change(announce)
            self._announcing = True
        relay = None
        url = host.settings.gateway.database_url
        if leadership.kind == "postgres" and url is not None:
            relay = PostgresEventRelay(url.get_secret_value(), host.events, leadership.replica)
            await relay.start()
        await leadership.start()
        try:
            yield
        finally:
            await leadership.aclose()
            if relay is not None:
                await relay.aclose()


class Audit(DefaultPlugin):
    """``/api/audit`` and the audit table."""

    name = "core.audit"
    routers = (audit.router,)

    @hookimpl
    async def spark_lifespan(self, host: Host) -> None:
        await host.audit.setup()


class Health(DefaultPlugin):
    """``/api/health``, ``/deep`` and ``/log``, and the connectivity-log table. The
    poller starts once every plugin has started (the gateway's lifespan). And
    ``/api/problems``: what is wrong now, worst first, in words."""

    name = "core.health"
    routers = (health.router, problems.router)

    @hookimpl
    async def spark_lifespan(self) -> None:
        await self.gateway.health.setup()


class History(DefaultPlugin):
    """``/api/history`` and its table: node facts and every plugin's ``spark_history``
    samples, written every ``history.interval_s`` while the gateway serves."""

    name = "core.history"
    routers = (history_routes.router,)

    @hookimpl
    def spark_lifespan(self, host: Host) -> Any:
        return self._run(host)

    @asynccontextmanager
    async def _run(self, host: Host) -> AsyncIterator[None]:
        gateway = self.gateway
        await gateway.history.setup()
        gateway.history.start(host, gateway.pm, gateway.facts.latest)
        try:
            yield
        finally:
            await gateway.history.aclose()


class Metrics(DefaultPlugin):
    """``/metrics``, with the probe states and plugin status read at scrape time."""

    name = "core.metrics"
    routers = (metrics_router,)

    @hookimpl
    def spark_lifespan(self, host: Host) -> Any:
        return self._run(host)

    @asynccontextmanager
    async def _run(self, host: Host) -> AsyncIterator[None]:
        collector = CoreCollector(host)
        host.metrics.register(collector)
        try:
            yield
        finally:
            host.metrics.unregister(collector)


class Dashboard(DefaultPlugin):
    """``/``, ``/ui/{file}`` and ``/ui/kit/{file}``: the dashboard's page, scripts and
    styles, and the tile kit."""

    name = "core.dashboard"
    routers = (ui.router,)


class ApiDocs(DefaultPlugin):
    """``/docs`` and ``/redoc`` with their assets, served offline."""

    name = "core.docs"
    routers = (api_docs.router,)


#: In this order: ties between routes of one shape go to the earlier, lifespans are
#: entered in it (after the contributions are judged) and left in reverse.
DEFAULT_PLUGINS: tuple[type[DefaultPlugin], ...] = (
    Assembly,
    Nodes,
    Access,
    Events,
    Replicas,
    Audit,
    Health,
    History,
    Metrics,
    Dashboard,
    ApiDocs,
)


def default_plugins(gateway: Gateway) -> dict[str, DefaultPlugin]:
    """One instance of each default plugin for ``gateway``, by name, in order."""
    return {cls.name: cls(gateway) for cls in DEFAULT_PLUGINS}


def _deliver_to(impl: Any) -> Any:
    async def deliver(event: events.Event) -> Any:
        return await call_impl(impl, event=event)

    return deliver
