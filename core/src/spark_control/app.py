"""``create_app``: assemble the gateway from the core's services and every plugin.

Nothing is created at import time. Plugins are selected and configured when the app is
created; their contributions (routes, probes, tiles, checks) are gathered per plugin
and accepted or refused whole at start-up, then each plugin's lifespan is entered.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any, cast

import pluggy
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from prometheus_client import CollectorRegistry
from pydantic import AnyHttpUrl
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from spark_control import access_routes, api_docs, core_routes, history_routes, problems, ui
from spark_control.access import AccessControl, ScopeCheck, declared_scope, default_scope
from spark_control.access_log import AccessLogMiddleware, AccessLogWriter
from spark_control.api_keys import KeyStore
from spark_control.audit import AuditLog
from spark_control.audit import router as audit_router
from spark_control.contrib import (
    CheckRegistrar,
    Contribution,
    ProbeRegistrar,
    RouteRegistrar,
    ServiceRegistrar,
    TileRegistrar,
)
from spark_control.errors import SparkError, error_body
from spark_control.events import Event, EventBus, sse_router
from spark_control.health import HealthMonitor
from spark_control.health import router as health_router
from spark_control.history import History
from spark_control.host import Host
from spark_control.metrics import metrics_router
from spark_control.node_facts import NodeFactsPoller
from spark_control.node_probes import ssh_probes
from spark_control.plugins import (
    PluginRecord,
    build_plugins,
    call_impl,
    implementations,
    load_plugins,
)
from spark_control.routing import (
    V1Dispatcher,
    V1PathGuard,
    V1Shortcut,
    specificity_key,
    v1_route,
)
from spark_control.security import AccessPolicy, BodyLimits, SecurityMiddleware
from spark_control.settings import LoadedConfig
from spark_control.ssh import HostKeyStore, SSHExecutor, ensure_gateway_key
from spark_control.store import Store
from spark_control.topology import build_topology

log = logging.getLogger(__name__)

REGISTER_HOOKS = {
    "spark_routes": RouteRegistrar,
    "spark_probes": ProbeRegistrar,
    "spark_tiles": TileRegistrar,
    "spark_node_checks": CheckRegistrar,
}


def _version() -> str:
    try:
        return version("spark-control-core")
    except PackageNotFoundError:
        return "0.0.0"


class Gateway:
    """The running assembly: host services, accepted contributions, the /v1 dispatcher."""

    def __init__(
        self,
        config: LoadedConfig,
        *,
        extra_plugins: Mapping[str, object] | None = None,
        strict: bool = False,
    ) -> None:
        core = config.core
        self.strict = strict
        data_dir = core.gateway.data_dir.expanduser().resolve()
        core.gateway.data_dir = data_dir
        self.config = config
        self.pm: pluggy.PluginManager
        self.records: dict[str, PluginRecord]
        self.pm, self.records = load_plugins(
            core.plugins.enabled, config.plugin_sections, config.environ, extra=extra_plugins
        )
        topology = build_topology(core, default_key=data_dir / "ssh" / "id_ed25519")
        store = Store(data_dir / "spark-control.db")
        events = EventBus()
        self.host = Host(
            settings=core,
            topology=topology,
            pm=self.pm,
            records=self.records,
            events=events,
            store=store,
            audit=AuditLog(store),
            metrics=CollectorRegistry(auto_describe=True),
            ssh=SSHExecutor(
                known_hosts=core.ssh.known_hosts,
                host_keys=None if core.ssh.known_hosts else HostKeyStore(data_dir / "known_hosts"),
                connect_timeout=core.ssh.connect_timeout_s,
                command_timeout=core.ssh.command_timeout_s,
                keepalive_interval=core.ssh.keepalive_interval_s,
            ),
        )
        self.health = HealthMonitor(
            [],
            interval_s=core.health.interval_s,
            default_timeout_s=core.health.probe_timeout_s,
            damping=core.health.damping,
            events=events,
            store=store,
            log_limit=core.health.log_limit,
        )
        self.host.health = self.health
        build_plugins(self.pm, self.records, self.host)
        self.facts = NodeFactsPoller(self.host, core.health.facts_interval_s)
        self.history = History(store, **core.history.model_dump())
        self.contributions: dict[str, Contribution] = {}
        self.access = AccessControl(
            KeyStore(store, cache_s=core.access.key_cache_s),
            require_keys=core.access.require_keys,
            session_ttl_s=core.access.session_ttl_s,
            registry=self.host.metrics,
        )
        self.v1 = V1Dispatcher(self.unavailable, self.access.authorize)
        self.limits = BodyLimits(core.gateway.max_body_bytes)
        public = core.gateway.public_url
        self.policy = AccessPolicy.build(
            core.gateway.host,
            [*core.gateway.allowed_hosts, *([public.host] if public and public.host else [])],
            [*core.gateway.trusted_origins, *([_origin(public)] if public else [])],
            core.access.cors_origins,
        )
        self.access_log: AccessLogWriter | None = None  # opened by the lifespan
        self.app = self._build_app()
        # /v1 requests skip the framework's outer layers (error and telemetry
        # middlewares, per-request OpenTelemetry look-ups, a send wrapper per streamed
        # chunk) and run the same guards the framework would run: the proxy's hot path.
        # The same layers as the app's own stack (see _build_app), in the same order.
        entry: ASGIApp = AccessLogMiddleware(
            V1PathGuard(
                SecurityMiddleware(
                    V1Shortcut(self.app, dispatcher=self.v1),
                    policy=lambda: self.policy,
                    limits=lambda: self.limits,
                    access=lambda: self.access,
                )
            ),
            writer=lambda: self.access_log,
        )
        proxies = core.gateway.trusted_proxies
        if proxies:
            # uvicorn types ASGI apps more narrowly than starlette; the shapes are the same.
            proxied = ProxyHeadersMiddleware(cast(Any, entry), trusted_hosts=proxies)
            entry = cast(ASGIApp, proxied)
        self._v1_entry = entry

    async def asgi(self, scope: Scope, receive: Receive, send: Send) -> None:
        """What the server runs: ``/v1/`` by the short path, everything else (and the
        lifespan) through the FastAPI app."""
        if scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        scope["app"] = self.app
        try:
            await self._v1_entry(scope, receive, send)
        except Exception:
            # The framework's error middleware is not on this path: answer as it would.
            log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            body = error_body(500, "internal error; see the gateway log", openai=True)
            try:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [(b"content-type", b"application/json")],
                    }
                )
                await send({"type": "http.response.body", "body": json.dumps(body).encode()})
            except Exception:  # noqa: S110 - the answer had begun: the server cuts it
                pass

    # --- the FastAPI app ---------------------------------------------------------------

    def _build_app(self) -> FastAPI:
        app = FastAPI(
            title="Spark Control",
            version=_version(),
            description="Control plane for a small private GPU cluster.",
            lifespan=self._lifespan,
            # FastAPI's pages load their assets from a CDN; api_docs serves them here.
            docs_url=None,
            redoc_url=None,
        )
        app.state.gateway = self
        app.state.host = self.host
        app.state.access = self.access
        # Core routes are mounted with the plugins' at start-up, in one ordered pass.
        self.core_routers = [
            core_routes.router(self),
            access_routes.router(self),
            sse_router(self.host.events),
            audit_router(self.host.audit),
            health_router(self.health),
            problems.router(self),
            history_routes.router(self.history),
            metrics_router(self),
            ui.router(),
            api_docs.router(app),
        ]
        _install_error_handlers(app)
        # Added first, so innermost: the guards below (and any added later) run before it.
        app.add_middleware(V1Shortcut, dispatcher=self.v1)
        app.add_middleware(
            SecurityMiddleware,
            policy=lambda: self.policy,
            limits=lambda: self.limits,
            access=lambda: self.access,
        )
        # Outside the guards: they, the body limits and the dispatcher see one /v1 path.
        app.add_middleware(V1PathGuard)
        # Outside the path guard: the line records what the guards answered too.
        app.add_middleware(AccessLogMiddleware, writer=lambda: self.access_log)
        proxies = self.host.settings.gateway.trusted_proxies
        if proxies:
            # Outermost: every guard sees the scheme and client the trusted proxy reports.
            app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=proxies)
        framework_schema = app.openapi

        def openapi() -> dict[str, Any]:
            """The framework's schema plus the /v1 paths plugins describe, each with the
            scope the dispatcher checks (its claim's, else the fallback's)."""
            schema = framework_schema()
            paths = schema.setdefault("paths", {})
            for contribution in self.contributions.values():
                for path, operations in contribution.v1_docs.items():
                    claims = self.v1.claims.get(path)
                    scope = claims[0].scope if claims else self.v1.fallback_scope
                    item = paths.setdefault("/v1" + path, {})
                    for method, operation in operations.items():
                        item[method] = {**operation, "x-required-scope": scope}
            return schema

        app.openapi = openapi  # type: ignore[method-assign]
        return app

    @asynccontextmanager
    async def _lifespan(self, app: FastAPI) -> AsyncIterator[None]:
        host = self.host
        async with AsyncExitStack() as stack:
            stack.callback(host.close)
            data_dir = host.data_dir
            data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            gateway = host.settings.gateway
            if gateway.access_log != "off":
                self.access_log = AccessLogWriter.open(
                    gateway.access_log_file, json_lines=gateway.access_log == "json"
                )
                stack.callback(self._close_access_log)
            await host.store.open()
            stack.push_async_callback(host.store.close)
            await host.audit.setup()
            await self.access.keys.setup()
            stack.push_async_callback(self.access.keys.flush_usage)
            if self.access.enforced and not await self.access.keys.list():
                log.warning(
                    "access.require_keys is on but no API key exists: every route but "
                    "/health answers 401; create one with 'spark-control keys create'"
                )
            await self.health.setup()
            await self.history.setup()
            self.gateway_key = await host.run_blocking(ensure_gateway_key, data_dir)
            stack.push_async_callback(host.ssh.close)

            await self._collect_contributions(app)
            for probe in ssh_probes(host):
                self.health.add(probe)

            for impl in implementations(self.pm, "spark_event"):
                host.events.add_listener(impl.plugin_name, _event_handler(impl))
            host.events.start()
            stack.push_async_callback(host.events.aclose)

            for impl in implementations(self.pm, "spark_lifespan"):
                await self._enter_plugin(stack, impl)
            for record in self.records.values():
                if record.status == "loaded" and record.started is None:
                    record.started = True  # nothing to start: ready as soon as loaded

            self.health.start()
            stack.push_async_callback(self.health.aclose)
            self.facts.start()
            stack.push_async_callback(self.facts.aclose)
            self.history.start(host, self.pm, self.facts.latest)
            stack.push_async_callback(self.history.aclose)
            started = [n for n, r in self.records.items() if r.status == "loaded" and r.started]
            idle = [
                n for n, r in self.records.items() if r.status != "disabled" and n not in started
            ]
            log.info(
                "serving with plugins: %s%s",
                ", ".join(started) or "none",
                f" (not started: {', '.join(idle)})" if idle else "",
            )
            yield

    def _close_access_log(self) -> None:
        writer, self.access_log = self.access_log, None
        if writer is not None:
            writer.close()

    async def _enter_plugin(self, stack: AsyncExitStack, impl: pluggy.HookImpl) -> None:
        record = self.records[impl.plugin_name]
        try:
            manager = await call_impl(impl, host=self.host)
            if manager is not None:
                await stack.enter_async_context(manager)
        except Exception as exc:
            record.started = False
            record.reason = f"start-up failed: {type(exc).__name__}: {exc}"
            log.exception("plugin %s failed to start", impl.plugin_name)
            if self.strict:
                raise
            if impl.plugin_name in self.host.settings.plugins.required:
                self.host.gate_changed("*")
            return
        record.started = True

    # --- contributions -----------------------------------------------------------------

    async def _collect_contributions(self, app: FastAPI) -> None:
        core = Contribution(plugin="core", routers=[(r, None) for r in self.core_routers])
        claims: dict[tuple[str, str], str] = dict.fromkeys(core.route_claims(), "core")
        owners = _Owners()
        # Every plugin's services first, so any plugin's probes and routes see them all.
        pending = await self._declare_services(owners)
        for name, contribution in pending.items():
            try:
                for hook, registrar in REGISTER_HOOKS.items():
                    for impl in implementations(self.pm, hook):
                        if impl.plugin_name == name:
                            await call_impl(impl, host=self.host, register=registrar(contribution))
            except Exception as exc:
                self._refuse(name, f"{type(exc).__name__} while registering: {exc}", contribution)
                continue
            problems = contribution.shape_problems() + self._conflicts(contribution, claims, owners)
            if problems:
                self._refuse(name, "; ".join(problems), contribution)
                continue
            self._accept(contribution, claims, owners)
        self._mount(app, [core, *self.contributions.values()])

    async def _declare_services(self, owners: _Owners) -> dict[str, Contribution]:
        """``spark_services`` of every loaded plugin, in order; a plugin whose declaration
        fails or clashes is refused whole."""
        pending: dict[str, Contribution] = {}
        for name in list(self.records):
            if self.records[name].status != "loaded":
                continue
            contribution = Contribution(plugin=name)
            register = ServiceRegistrar(contribution, self.host.topology)
            try:
                for impl in implementations(self.pm, "spark_services"):
                    if impl.plugin_name == name:
                        await call_impl(impl, host=self.host, register=register)
            except Exception as exc:
                self._refuse(name, f"{type(exc).__name__} while registering: {exc}", contribution)
                continue
            clashes = [
                f"service {s.name!r} is declared by both {owners.declared[s.name]!r} and {name!r}"
                for s in contribution.services
                if s.name in owners.declared
            ]
            if clashes:
                self._refuse(name, "; ".join(clashes), contribution)
                continue
            for service in contribution.services:
                owners.declared[service.name] = name
            pending[name] = contribution
        return pending

    def _mount(self, app: FastAPI, contributions: list[Contribution]) -> None:
        """Mount every route in specificity order, and record body limits in that order.

        Routes go in one at a time (a one-route router each) so their order is ours,
        whatever FastAPI does with included routers; the body-limit rules follow the
        same order, so the rule that matches first is the route that will serve.
        """
        entries: list[tuple[BaseRoute, str, int | None]] = [(v1_route(self.v1), "core", None)]
        for c in contributions:
            entries += [
                (route, c.plugin, limit) for router, limit in c.routers for route in router.routes
            ]
            if c.static_dir is not None:
                mount = Mount(f"/plugins/{c.plugin}/static", StaticFiles(directory=c.static_dir))
                entries.append((mount, c.plugin, None))
        entries.sort(key=lambda entry: specificity_key(entry[0]))
        default = self.limits.default
        for route, owner, limit in entries:
            if isinstance(route, Mount):
                app.router.routes.append(route)
                prefix = re.compile("^" + re.escape(route.path) + "/")
                self.limits.add(None, prefix, default)
                self.access.add_public(None, prefix)  # tile modules and styles: no data
            elif getattr(route, "endpoint", None) is self.v1:
                app.router.routes.append(route)
                self._v1_limits()
            else:
                assert isinstance(route, APIRoute)
                single = APIRouter()
                single.routes.append(route)
                # Who may call comes before whether the plugin can serve: a caller
                # without the scope learns nothing about the plugin's state.
                deps = self._scope_check(route, owner)
                if owner != "core":
                    deps.append(Depends(self._plugin_ready(owner)))
                app.include_router(single, dependencies=deps)
                methods = frozenset(route.methods) if route.methods else None
                self.limits.add(methods, route.path_regex, limit or default)

    def _scope_check(self, route: APIRoute, owner: str) -> list[Any]:
        """The route's scope check (declared, else the default for its methods); public
        routes are recorded so the middleware lets them through without a key."""
        methods = route.methods or {"GET"}
        scope = declared_scope(route) or default_scope(methods)
        self.access.add_scope(scope, owner)
        if scope == "public":
            self.access.add_public(frozenset(methods), route.path_regex)
        route.openapi_extra = {**(route.openapi_extra or {}), "x-required-scope": scope}
        # Also when declared: this copy runs first, the route's own then sees it done.
        return [Depends(ScopeCheck(scope))]

    def _v1_limits(self) -> None:
        for claims in self.v1.claims.values():
            for claim in claims:
                if claim.max_body_bytes is not None:
                    exact = re.compile("^" + re.escape("/v1" + claim.path) + "$")
                    self.limits.add(None, exact, claim.max_body_bytes)
        fallback = self.contributions.get(self.v1.fallback_owner or "")
        limit = fallback.v1_fallback_limit if fallback is not None else None
        self.limits.add(None, re.compile(r"^/v1/"), limit or self.limits.default)

    def _conflicts(
        self, c: Contribution, claims: dict[tuple[str, str], str], owners: _Owners
    ) -> list[str]:
        problems = []
        seen: set[tuple[str, str]] = set()
        for claim in c.route_claims():
            owner = claims.get(claim) or (c.plugin if claim in seen else None)
            if owner is not None:
                problems.append(
                    f"route {claim[0]} {claim[1]} is claimed by both {owner!r} and {c.plugin!r}"
                )
            seen.add(claim)
        problems += self.v1.conflicts(c.v1, c.v1_fallback is not None, c.plugin)
        for probe in c.probes:
            if probe.name in owners.probes:
                problems.append(
                    f"probe {probe.name!r} is registered by both "
                    f"{owners.probes[probe.name]!r} and {c.plugin!r}"
                )
            if probe.service and owners.services.get(probe.service, c.plugin) != c.plugin:
                problems.append(
                    f"service {probe.service!r} is owned by both "
                    f"{owners.services[probe.service]!r} and {c.plugin!r}"
                )
        for tile in c.tiles:
            if tile.id in owners.tiles:
                problems.append(
                    f"tile {tile.id!r} is registered by both {owners.tiles[tile.id]!r} "
                    f"and {c.plugin!r}"
                )
        return problems

    def _accept(self, c: Contribution, claims: dict[tuple[str, str], str], owners: _Owners) -> None:
        for claim in c.route_claims():
            claims[claim] = c.plugin
        for v1 in c.v1:
            self.v1.add(v1)
            self.access.add_scope(v1.scope, c.plugin)
        if c.v1_fallback is not None:
            self.v1.fallback, self.v1.fallback_owner = c.v1_fallback, c.plugin
            self.v1.fallback_scope = c.v1_fallback_scope
            self.access.add_scope(c.v1_fallback_scope, c.plugin)
        for probe in c.probes:
            owners.probes[probe.name] = c.plugin
            if probe.service:
                owners.services[probe.service] = c.plugin
                if self.host.topology.is_disabled(probe.service):
                    probe.disabled = True
            self.health.add(probe)
        for tile in c.tiles:
            owners.tiles[tile.id] = c.plugin
        self.contributions[c.plugin] = c

    def _refuse(self, name: str, reason: str, contribution: Contribution | None = None) -> None:
        if contribution is not None:  # the services it added leave with it
            for service in contribution.added_services:
                self.host.topology.services.pop(service, None)
        record = self.records[name]
        record.status, record.reason = "failed", reason
        self.pm.unregister(name=name)
        log.error("plugin %s left out: %s", name, reason)
        if self.strict:
            raise RuntimeError(f"--strict: plugin {name!r} refused: {reason}")

    def unavailable(self, name: str) -> str | None:
        """Why plugin ``name`` cannot serve requests now, or None if it can."""
        record = self.records.get(name)
        return record.unavailable() if record is not None else "not loaded"

    def _plugin_ready(self, name: str) -> Any:
        def ready() -> None:
            why = self.unavailable(name)
            if why is not None:
                raise SparkError(
                    f"plugin {name!r} is unavailable: {why}",
                    status=503,
                    type="plugin_unavailable",
                )

        return ready

    def service_owner(self, service: str) -> str | None:
        for name, c in self.contributions.items():
            if any(p.service == service for p in c.probes):
                return name
        return None


def _origin(url: AnyHttpUrl) -> str:
    default = {"http": 80, "https": 443}.get(url.scheme)
    port = "" if url.port in (None, default) else f":{url.port}"
    return f"{url.scheme}://{url.host}{port}"


def _event_handler(impl: pluggy.HookImpl) -> Callable[[Event], Awaitable[Any]]:
    async def deliver(event: Event) -> Any:
        return await call_impl(impl, event=event)

    return deliver


@dataclass
class _Owners:
    """Who registered each probe, probed service, declared service and tile so far."""

    probes: dict[str, str] = field(default_factory=dict)
    services: dict[str, str] = field(default_factory=dict)
    declared: dict[str, str] = field(default_factory=dict)
    tiles: dict[str, str] = field(default_factory=dict)


def _install_error_handlers(app: FastAPI) -> None:
    def respond(request: Request, status: int, message: str, **kw: Any) -> JSONResponse:
        openai = request.url.path.startswith("/v1/")
        headers = kw.pop("headers", None)
        return JSONResponse(
            error_body(status, message, openai=openai, **kw), status_code=status, headers=headers
        )

    @app.exception_handler(SparkError)
    async def spark_error(request: Request, exc: SparkError) -> JSONResponse:
        return respond(
            request, exc.status, exc.message, type=exc.type, detail=exc.detail, headers=exc.headers
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        return respond(request, exc.status_code, message, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"] if p not in ("body",))
            problems.append(f"{loc}: {err['msg']}")
        return respond(
            request,
            422,
            "invalid request: " + "; ".join(problems),
            type="invalid_value",
            detail={"field": ".".join(str(p) for p in exc.errors()[0]["loc"][1:])}
            if exc.errors()
            else None,
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return respond(request, 500, "internal error; see the gateway log")


def create_app(
    config: LoadedConfig, *, extra_plugins: Mapping[str, object] | None = None
) -> FastAPI:
    """Build the gateway app for ``config``; ``extra_plugins`` registers objects directly."""
    return Gateway(config, extra_plugins=extra_plugins).app


__all__ = ["Gateway", "create_app"]
