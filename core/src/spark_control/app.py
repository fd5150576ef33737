"""``create_app``: the gateway's FastAPI app, and the lifespan that assembles it.

Nothing is created at import time. :class:`~spark_control.gateway.Gateway` selects and
configures the plugins and builds the host services; :func:`build_app` builds its app
(error handlers, middleware, the OpenAPI schema with the /v1 paths). The lifespan opens
the store, gathers and judges every contribution (the core's default plugins first,
:mod:`spark_control.core_plugins`) and mounts their routes, enters the default plugins'
lifespans and then each plugin's, and starts the pollers; shutdown unwinds it all.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

import pluggy
from fastapi import FastAPI
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from spark_control.access_log import AccessLogMiddleware, AccessLogWriter
from spark_control.assembly import assemble
from spark_control.errors import install_error_handlers
from spark_control.forwarding import LeaderForwarding
from spark_control.leader_hop import marking_replica
from spark_control.plugins import call_impl, implementations
from spark_control.routing import V1PathGuard, V1Shortcut
from spark_control.security import SecurityMiddleware
from spark_control.settings import LoadedConfig

if TYPE_CHECKING:
    from spark_control.gateway import Gateway

log = logging.getLogger(__name__)


def _version() -> str:
    try:
        return version("spark-control-core")
    except PackageNotFoundError:
        return "0.0.0"


def create_app(
    config: LoadedConfig, *, extra_plugins: Mapping[str, object] | None = None
) -> FastAPI:
    """Build the gateway app for ``config``; ``extra_plugins`` registers objects directly."""
    from spark_control.gateway import Gateway  # which builds its app with build_app

    return Gateway(config, extra_plugins=extra_plugins).app


def build_app(gateway: Gateway) -> FastAPI:
    """The FastAPI app of ``gateway``; its routes are mounted by the lifespan."""
    app = FastAPI(
        title="Spark Control",
        version=_version(),
        description="Control plane for a small private GPU cluster.",
        lifespan=lifespan,
        # FastAPI's pages load their assets from a CDN; api_docs serves them here.
        docs_url=None,
        redoc_url=None,
    )
    # What the core's handlers get through their dependencies (spark_control.deps).
    app.state.gateway = gateway
    app.state.host = gateway.host
    app.state.access = gateway.access
    app.state.events = gateway.host.events
    install_error_handlers(app)
    if gateway.host.leadership.kind != "solo":
        # Innermost: the guards have let the request in before a refusal of the leader's
        # gate is forwarded; /v1 goes the short path and never meets it (the proxy
        # forwards its own: spark_control.leader_hop).
        app.add_middleware(
            LeaderForwarding,
            leadership=gateway.host.leadership,
            client=gateway.host.http_client,
        )
    # Added early, so inner: the guards below (and any added later) run before it.
    app.add_middleware(
        V1Shortcut,
        dispatcher=gateway.v1,
        # Several gateways: a /v1 request forwarded here says where it was served.
        replica=marking_replica(gateway.host.leadership),
    )
    app.add_middleware(
        SecurityMiddleware,
        policy=lambda: gateway.policy,
        limits=lambda: gateway.limits,
        access=lambda: gateway.access,
    )
    # Outside the guards: they, the body limits and the dispatcher see one /v1 path.
    app.add_middleware(V1PathGuard)
    # Outside the path guard: the line records what the guards answered too.
    app.add_middleware(AccessLogMiddleware, writer=lambda: gateway.access_log)
    proxies = gateway.host.settings.gateway.trusted_proxies
    if proxies:
        # Outermost: every guard sees the scheme and client the trusted proxy reports.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=proxies)
    _document_v1(app, gateway)
    return app


def _document_v1(app: FastAPI, gateway: Gateway) -> None:
    """The framework's schema plus the /v1 paths plugins describe, each with the scope
    the dispatcher checks (its claim's, else the fallback's)."""
    framework_schema = app.openapi

    def openapi() -> dict[str, Any]:
        schema = framework_schema()
        paths = schema.setdefault("paths", {})
        v1 = gateway.v1
        for contribution in gateway.contributions.values():
            for path, operations in contribution.v1_docs.items():
                claims = v1.claims.get(path)
                scope = claims[0].scope if claims else v1.fallback_scope
                item = paths.setdefault("/v1" + path, {})
                for method, operation in operations.items():
                    item[method] = {**operation, "x-required-scope": scope}
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the gateway of ``app``; on exit, stop it in reverse order."""
    gateway: Gateway = app.state.gateway
    host = gateway.host
    async with AsyncExitStack() as stack:
        stack.callback(host.close)
        host.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        _open_access_log(gateway, stack)
        await host.store.open()
        stack.push_async_callback(host.store.close)
        await assemble(gateway, app)
        for impl in implementations(gateway.pm, "spark_lifespan"):
            if impl.plugin_name in gateway.defaults:
                await _enter(stack, impl, gateway)  # the core: a failure stops start-up
            else:
                await _enter_plugin(stack, impl, gateway)
        for record in gateway.records.values():
            if record.status == "loaded" and record.started is None:
                record.started = True  # nothing to start: ready as soon as loaded
        gateway.health.start()
        stack.push_async_callback(gateway.health.aclose)
        gateway.facts.start()
        stack.push_async_callback(gateway.facts.aclose)
        _log_serving(gateway)
        yield


def _open_access_log(gateway: Gateway, stack: AsyncExitStack) -> None:
    settings = gateway.host.settings.gateway
    if settings.access_log != "off":
        gateway.access_log = AccessLogWriter.open(
            settings.access_log_file, json_lines=settings.access_log == "json"
        )
        stack.callback(gateway.close_access_log)


async def _enter(stack: AsyncExitStack, impl: pluggy.HookImpl, gateway: Gateway) -> None:
    manager = await call_impl(impl, host=gateway.host)
    if manager is not None:
        await stack.enter_async_context(manager)


async def _enter_plugin(stack: AsyncExitStack, impl: pluggy.HookImpl, gateway: Gateway) -> None:
    """Enter one plugin's lifespan; if it raises, the plugin is marked not started (its
    routes answer 503 with the reason) and the rest of the gateway serves."""
    record = gateway.records[impl.plugin_name]
    try:
        await _enter(stack, impl, gateway)
    except Exception as exc:
        record.started = False
        record.reason = f"start-up failed: {type(exc).__name__}: {exc}"
        log.exception("plugin %s failed to start", impl.plugin_name)
        if gateway.strict:
            raise
        if impl.plugin_name in gateway.host.settings.plugins.required:
            gateway.host.gate_changed("*")
        return
    record.started = True


def _log_serving(gateway: Gateway) -> None:
    records = gateway.records
    started = [n for n, r in records.items() if r.status == "loaded" and r.started]
    idle = [n for n, r in records.items() if r.status != "disabled" and n not in started]
    log.info(
        "serving with plugins: %s%s",
        ", ".join(started) or "none",
        f" (not started: {', '.join(idle)})" if idle else "",
    )


__all__ = ["build_app", "create_app", "lifespan"]
