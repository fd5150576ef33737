"""Start-up assembly: gather every contribution, judge it, mount what was accepted.

The core's default plugins contribute first, together as ``core``; then each loaded
plugin in configured order, into its own :class:`Contribution`: its services first
(every plugin's, so any plugin's probes and routes see them all), then its routes,
probes, tiles and node checks. Each is judged against the :class:`Ledger` of what was
accepted before it, and accepted or refused whole. Routes are then mounted one at a
time in specificity order, each with its scope check (and, for a plugin, its readiness
check), with the body limits recorded in the same order.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from spark_control.access import ScopeCheck, declared_scope, default_scope
from spark_control.contrib import (
    CheckRegistrar,
    Contribution,
    Ledger,
    ProbeRegistrar,
    RouteRegistrar,
    ServiceRegistrar,
    TileRegistrar,
)
from spark_control.core_plugins import CORE
from spark_control.errors import SparkError
from spark_control.plugins import call_impl, implementations
from spark_control.routing import specificity_key, v1_route

if TYPE_CHECKING:
    from spark_control.gateway import Gateway

log = logging.getLogger(__name__)

REGISTER_HOOKS = {
    "spark_routes": RouteRegistrar,
    "spark_probes": ProbeRegistrar,
    "spark_tiles": TileRegistrar,
    "spark_node_checks": CheckRegistrar,
}


class CoreRefused(RuntimeError):
    """The core's own contribution failed: the gateway cannot serve."""


async def assemble(gateway: Gateway, app: FastAPI) -> None:
    """Gather, judge and accept every contribution, then mount the accepted routes."""
    ledger = Ledger()
    core = Contribution(plugin=CORE)
    await _register(gateway, core, set(gateway.defaults))
    _judge(gateway, core, ledger)
    pending = await _declare_services(gateway, ledger)
    for name, contribution in pending.items():
        try:
            await _register(gateway, contribution, {name})
        except Exception as exc:
            _refuse(gateway, name, f"{type(exc).__name__} while registering: {exc}", contribution)
            continue
        _judge(gateway, contribution, ledger)
    _mount(gateway, app)


async def _register(gateway: Gateway, contribution: Contribution, names: set[str]) -> None:
    """Call the register hooks of the plugins ``names`` (pluggy names), in plugin order,
    each with a registrar filling ``contribution``."""
    for hook, registrar in REGISTER_HOOKS.items():
        for impl in implementations(gateway.pm, hook):
            if impl.plugin_name in names:
                await call_impl(impl, host=gateway.host, register=registrar(contribution))


def _judge(gateway: Gateway, contribution: Contribution, ledger: Ledger) -> None:
    c = contribution
    problems = [
        *c.shape_problems(),
        *ledger.route_conflicts(c),
        *gateway.v1.conflicts(c.v1, c.v1_fallback is not None, c.plugin),
        *ledger.probe_conflicts(c),
        *ledger.tile_conflicts(c),
    ]
    if problems:
        _refuse(gateway, contribution.plugin, "; ".join(problems), contribution)
        return
    ledger.accept(contribution)
    _accept(gateway, contribution)


async def _declare_services(gateway: Gateway, ledger: Ledger) -> dict[str, Contribution]:
    """``spark_services`` of every loaded plugin, in order; a plugin whose declaration
    fails or clashes is refused whole."""
    pending: dict[str, Contribution] = {}
    for name, record in list(gateway.records.items()):
        if record.status != "loaded":
            continue
        contribution = Contribution(plugin=name)
        register = ServiceRegistrar(contribution, gateway.host.topology)
        try:
            for impl in implementations(gateway.pm, "spark_services"):
                if impl.plugin_name == name:
                    await call_impl(impl, host=gateway.host, register=register)
        except Exception as exc:
            _refuse(gateway, name, f"{type(exc).__name__} while registering: {exc}", contribution)
            continue
        clashes = ledger.service_clashes(contribution)
        if clashes:
            _refuse(gateway, name, "; ".join(clashes), contribution)
            continue
        ledger.declare(contribution)
        pending[name] = contribution
    return pending


def _accept(gateway: Gateway, c: Contribution) -> None:
    """Hand the accepted contribution's /v1 claims, scopes and probes to the services."""
    v1, access = gateway.v1, gateway.access
    for claim in c.v1:
        v1.add(claim)
        access.add_scope(claim.scope, c.plugin)
    if c.v1_fallback is not None:
        v1.fallback, v1.fallback_owner = c.v1_fallback, c.plugin
        v1.fallback_scope = c.v1_fallback_scope
        access.add_scope(c.v1_fallback_scope, c.plugin)
    for probe in c.probes:
        if probe.service and gateway.host.topology.is_disabled(probe.service):
            probe.disabled = True
        gateway.health.add(probe)
    gateway.contributions[c.plugin] = c


def _refuse(gateway: Gateway, name: str, reason: str, contribution: Contribution) -> None:
    if name == CORE:
        raise CoreRefused(f"the core's own contribution was refused: {reason}")
    for service in contribution.added_services:  # the services it added leave with it
        gateway.host.topology.services.pop(service, None)
    record = gateway.records[name]
    record.status, record.reason = "failed", reason
    gateway.pm.unregister(name=name)
    log.error("plugin %s left out: %s", name, reason)
    if gateway.strict:
        raise RuntimeError(f"--strict: plugin {name!r} refused: {reason}")


# --- mounting --------------------------------------------------------------------------


def _mount(gateway: Gateway, app: FastAPI) -> None:
    """Mount every route in specificity order, and record body limits in that order.

    Routes go in one at a time (a one-route router each) so their order is ours,
    whatever FastAPI does with included routers; the body-limit rules follow the same
    order, so the rule that matches first is the route that will serve.
    """
    entries: list[tuple[BaseRoute, str, int | None]] = [(v1_route(gateway.v1), CORE, None)]
    for c in gateway.contributions.values():
        entries += [
            (route, c.plugin, limit) for router, limit in c.routers for route in router.routes
        ]
        if c.static_dir is not None:
            mount = Mount(f"/plugins/{c.plugin}/static", StaticFiles(directory=c.static_dir))
            entries.append((mount, c.plugin, None))
    entries.sort(key=lambda entry: specificity_key(entry[0]))
    for route, owner, limit in entries:
        if isinstance(route, Mount):
            _mount_static(gateway, app, route)
        elif getattr(route, "endpoint", None) is gateway.v1:
            app.router.routes.append(route)
            _v1_limits(gateway)
        else:
            assert isinstance(route, APIRoute)
            _mount_route(gateway, app, route, owner, limit)


def _mount_static(gateway: Gateway, app: FastAPI, mount: Mount) -> None:
    app.router.routes.append(mount)
    prefix = re.compile("^" + re.escape(mount.path) + "/")
    gateway.limits.add(None, prefix, gateway.limits.default)
    gateway.access.add_public(None, prefix)  # tile modules and styles: no data


def _mount_route(
    gateway: Gateway, app: FastAPI, route: APIRoute, owner: str, limit: int | None
) -> None:
    single = APIRouter()
    single.routes.append(route)
    # Who may call comes before whether the plugin can serve: a caller without the
    # scope learns nothing about the plugin's state.
    deps = _scope_check(gateway, route, owner)
    if owner != CORE:
        deps.append(Depends(_plugin_ready(gateway, owner)))
    app.include_router(single, dependencies=deps)
    methods = frozenset(route.methods) if route.methods else None
    gateway.limits.add(methods, route.path_regex, limit or gateway.limits.default)


def _scope_check(gateway: Gateway, route: APIRoute, owner: str) -> list[Any]:
    """The route's scope check (declared, else the default for its methods); public
    routes are recorded so the middleware lets them through without a key."""
    methods = route.methods or {"GET"}
    scope = declared_scope(route) or default_scope(methods)
    gateway.access.add_scope(scope, owner)
    if scope == "public":
        gateway.access.add_public(frozenset(methods), route.path_regex)
    # The same value for every gateway sharing a module-level router: it is the route's.
    route.openapi_extra = {**(route.openapi_extra or {}), "x-required-scope": scope}
    # Also when declared: this copy runs first, the route's own then sees it done.
    return [Depends(ScopeCheck(scope))]


def _v1_limits(gateway: Gateway) -> None:
    limits = gateway.limits
    for claims in gateway.v1.claims.values():
        for claim in claims:
            if claim.max_body_bytes is not None:
                exact = re.compile("^" + re.escape("/v1" + claim.path) + "$")
                limits.add(None, exact, claim.max_body_bytes)
    fallback = gateway.contributions.get(gateway.v1.fallback_owner or "")
    limit = fallback.v1_fallback_limit if fallback is not None else None
    limits.add(None, re.compile(r"^/v1/"), limit or limits.default)


def _plugin_ready(gateway: Gateway, name: str) -> Any:
    def ready() -> None:
        why = gateway.unavailable(name)
        if why is not None:
            raise SparkError(
                f"plugin {name!r} is unavailable: {why}",
                status=503,
                type="plugin_unavailable",
            )

    return ready
