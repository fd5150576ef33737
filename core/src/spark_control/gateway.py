"""``Gateway``: one assembly of the host's services, its plugins and its app.

Built from a config, it selects and configures the plugins (the core's default plugins
first), builds the host services once for this app (store, event bus, health monitor,
access control, the /v1 dispatcher, body limits, the Host plugins see) and the FastAPI
app (:func:`spark_control.app.build_app`). What plugins contribute is gathered at
start-up by the app's lifespan (:mod:`spark_control.assembly`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any, cast

import pluggy
from prometheus_client import CollectorRegistry
from pydantic import AnyHttpUrl
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from spark_control.access import AccessControl
from spark_control.access_log import AccessLogMiddleware, AccessLogWriter
from spark_control.api_keys import KeyStore
from spark_control.app import build_app
from spark_control.audit import AuditLog
from spark_control.contrib import Contribution
from spark_control.core_plugins import DefaultPlugin, default_plugins
from spark_control.errors import error_body
from spark_control.events import EventBus
from spark_control.folders import make_folder
from spark_control.health import HealthMonitor
from spark_control.history import History
from spark_control.host import Host
from spark_control.leader_hop import marking_replica
from spark_control.leadership import leadership_for
from spark_control.node_facts import NodeFactsPoller
from spark_control.plugins import PluginRecord, build_plugins, load_plugins
from spark_control.routing import V1Dispatcher, V1PathGuard, V1Shortcut
from spark_control.security import AccessPolicy, BodyLimits, SecurityMiddleware
from spark_control.settings import LoadedConfig, unclaimed_sections
from spark_control.ssh import HostKeyStore, SSHExecutor
from spark_control.ssh.keys import GatewayKey
from spark_control.store import store_for
from spark_control.topology import build_topology

log = logging.getLogger(__name__)


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
        # Here, not at start-up: a data_dir the OS refuses is one line and exit 78.
        data_dir = make_folder(core.gateway.data_dir.expanduser().resolve(), "gateway.data_dir")
        core.gateway.data_dir = data_dir
        if core.gateway.secrets_dir is not None:
            core.gateway.secrets_dir = core.gateway.secrets_dir.expanduser().resolve()
        secrets_dir = core.gateway.secrets_dir or data_dir
        self.config = config
        self.defaults: dict[str, DefaultPlugin] = default_plugins(self)
        self.pm: pluggy.PluginManager
        self.records: dict[str, PluginRecord]
        self.pm, self.records = load_plugins(
            core.plugins.enabled,
            config.plugin_sections,
            config.environ,
            extra=extra_plugins,
            defaults=self.defaults,
        )
        for warning in unclaimed_sections(config, self.records):
            log.warning("%s", warning)
        url = core.gateway.database_url
        store = store_for(data_dir, url.get_secret_value() if url else None)
        pins = None if core.ssh.known_hosts else HostKeyStore(secrets_dir / "known_hosts")
        events = EventBus()
        url = core.gateway.database_url
        leadership = leadership_for(
            url.get_secret_value() if url else None,
            ttl_s=core.gateway.leader_lease_s,
            url=core.gateway.advertise_url,
        )
        self.host = Host(
            settings=core,
            topology=build_topology(core, default_key=secrets_dir / "ssh" / "id_ed25519"),
            pm=self.pm,
            records=self.records,
            events=events,
            store=store,
            audit=AuditLog(store),
            metrics=CollectorRegistry(auto_describe=True),
            ssh=SSHExecutor(
                known_hosts=core.ssh.known_hosts,
                host_keys=pins,
                connect_timeout=core.ssh.connect_timeout_s,
                command_timeout=core.ssh.command_timeout_s,
                keepalive_interval=core.ssh.keepalive_interval_s,
                fence=leadership.fence,
            ),
            leadership=leadership,
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
        self.gateway_key: GatewayKey  # set when the core.nodes default plugin starts
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
        self.app = build_app(self)
        self._v1_entry = self._short_path()

    def _short_path(self) -> ASGIApp:
        """/v1 requests skip the framework's outer layers (error and telemetry
        middlewares, per-request OpenTelemetry look-ups, a send wrapper per streamed
        chunk) and run the same guards the framework would run: the proxy's hot path.
        The same layers as the app's own stack (see ``build_app``), in the same order."""
        entry: ASGIApp = AccessLogMiddleware(
            V1PathGuard(
                SecurityMiddleware(
                    V1Shortcut(
                        self.app,
                        dispatcher=self.v1,
                        replica=marking_replica(self.host.leadership),
                    ),
                    policy=lambda: self.policy,
                    limits=lambda: self.limits,
                    access=lambda: self.access,
                )
            ),
            writer=lambda: self.access_log,
        )
        proxies = self.host.settings.gateway.trusted_proxies
        if proxies:
            # uvicorn types ASGI apps more narrowly than starlette; the shapes are the same.
            proxied = ProxyHeadersMiddleware(cast(Any, entry), trusted_hosts=proxies)
            entry = cast(ASGIApp, proxied)
        return entry

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

    def unavailable(self, name: str) -> str | None:
        """Why plugin ``name`` cannot serve requests now, or None if it can."""
        record = self.records.get(name)
        return record.unavailable() if record is not None else "not loaded"

    def service_owner(self, service: str) -> str | None:
        for name, c in self.contributions.items():
            if any(p.service == service for p in c.probes):
                return name
        return None

    def close_access_log(self) -> None:
        writer, self.access_log = self.access_log, None
        if writer is not None:
            writer.close()


def _origin(url: AnyHttpUrl) -> str:
    default = {"http": 80, "https": 443}.get(url.scheme)
    port = "" if url.port in (None, default) else f":{url.port}"
    return f"{url.scheme}://{url.host}{port}"


__all__ = ["Gateway"]
