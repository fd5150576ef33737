"""The vllm plugin (its entry point is :class:`VllmPlugin`).

The host builds the class once per gateway, so each gateway has its own catalog,
proxy and swap manager, even when several run in one process (tests).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spark_control.api import (
    CheckRegistrar,
    HistorySample,
    Plugin,
    Probe,
    ProbeRegistrar,
    RouteRegistrar,
    Service,
    ServiceRegistrar,
    Started,
    TileRegistrar,
    hookimpl,
    http_check,
    with_aliases,
)
from spark_control_vllm.catalog import SHIPPED_CATALOG, Catalog
from spark_control_vllm.checks import register_checks
from spark_control_vllm.history import ProxySeries, SwapSeries
from spark_control_vllm.proxy import ProxyApp, static_probe_name
from spark_control_vllm.proxy.app import MANAGED
from spark_control_vllm.proxy.openapi import LORA_PATHS, V1_DOCS
from spark_control_vllm.settings import VllmSettings
from spark_control_vllm.swap import SwapManager

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from spark_control.api import Host, SimRegistrar

SERVICE = "vllm"
KIND = "vllm"
# A busy GPU answers /health slowly; that is degraded, not down.
DEGRADED_AFTER_MS = 1500.0
# The dashboard tile's ES module and stylesheet, served at /plugins/vllm/static/.
STATIC_DIR = Path(__file__).parent / "static"
TILE: dict[str, Any] = {
    "id": "vllm",
    "title": "Models",
    "order": 10,
    "kind": "module",
    "module": "vllm-tile.js",
    "status_probe": SERVICE,
    "service": SERVICE,
}

# Chat requests may carry images inline (base64): room for a few.
PROXY_MAX_BODY_BYTES = 32 * 2**20


class VllmPlugin(Plugin[VllmSettings]):
    """One per gateway: its catalog, its proxy and (once started) its swap manager."""

    settings_model = VllmSettings

    def __init__(self, host: Host, settings: VllmSettings) -> None:
        super().__init__(host, settings)
        self._catalog: Catalog | None = None
        self._proxy: ProxyApp | None = None
        self.manager = Started[SwapManager]("the vllm plugin")
        self._series: tuple[ProxySeries, SwapSeries] | None = None

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            # Without a configured overrides file, local models added from the dashboard
            # are kept in the gateway's data directory.
            overrides = self.settings.catalog_overrides or self.host.data_dir / "vllm-models.yaml"
            self._catalog = Catalog.load(SHIPPED_CATALOG, overrides)
        return self._catalog

    @property
    def proxy(self) -> ProxyApp:
        if self._proxy is None:
            self._proxy = ProxyApp(self.host, self.settings, lambda: self.catalog)
        return self._proxy

    def busy_model(self) -> str | None:
        """The model a disk delete must not touch: the one running, or being swapped to."""
        manager = self.manager.value
        if manager is None:
            return None
        swap = manager.running_swap
        return swap.model if swap is not None else manager.current_model

    @hookimpl
    def spark_models(self) -> list[dict[str, str]]:
        return self.catalog.spark_models()

    @hookimpl
    def spark_routes(self, register: RouteRegistrar) -> None:
        # Imported here: the route modules import this class for their dependency.
        from spark_control_vllm import disk_routes, routes
        from spark_control_vllm.proxy import routes as proxy_routes

        for module in (routes, disk_routes, proxy_routes):
            register(with_aliases(module.router, module.ALIASES))
        register.v1_fallback(self.proxy, max_body_bytes=PROXY_MAX_BODY_BYTES)
        # vLLM's runtime LoRA routes change what the server runs: a swap, not inference.
        for path in LORA_PATHS:
            register.v1(path, self.proxy, max_body_bytes=PROXY_MAX_BODY_BYTES, scope="swap")
        for path, operations in V1_DOCS.items():
            register.v1_docs(path, operations)

    @hookimpl
    async def spark_history(self) -> list[HistorySample]:
        """Per model: the proxy's request and error rates and p50/p95 latency over the
        interval, and each completed swap's duration (docs/HISTORY.md)."""
        manager, series = self.manager.value, self._series
        if manager is None or series is None:
            return []
        proxy, swaps = series

        def subject(upstream: str) -> str:
            # The managed vLLM's requests go to whatever model it runs.
            return (manager.current_model or upstream) if upstream == MANAGED else upstream

        return [*proxy.samples(subject), *await swaps.samples()]

    @hookimpl
    def spark_tiles(self, register: TileRegistrar) -> None:
        register.static(STATIC_DIR)
        register(TILE)

    @hookimpl
    def spark_node_checks(self, register: CheckRegistrar) -> None:
        register_checks(self.host, register)

    @hookimpl
    def spark_services(self, register: ServiceRegistrar) -> None:
        settings = self.settings
        if settings.head_node in self.host.topology.nodes:
            register(Service(name=SERVICE, node=settings.head_node, port=settings.port, kind=KIND))

    @hookimpl
    def spark_probes(self, register: ProbeRegistrar) -> None:
        host, settings = self.host, self.settings
        for service in host.topology.services_of_kind(KIND, include_disabled=True):
            register(
                Probe(
                    name=service.name,
                    check=http_check(
                        host.http_client,
                        host.topology.service_url(service, service.health_path),
                        "vLLM answers",
                    ),
                    service=service.name,
                    node=service.node,
                    degraded_after_ms=DEGRADED_AFTER_MS,
                    disabled=service.disabled,
                )
            )
        for static in settings.proxy.static_upstreams:
            origin = str(static.url).rstrip("/").removesuffix("/v1")
            register(
                Probe(
                    name=static_probe_name(static.name),
                    check=http_check(
                        host.http_client, origin + "/health", f"{static.name} answers"
                    ),
                    degraded_after_ms=DEGRADED_AFTER_MS,
                )
            )

    @hookimpl
    def spark_lifespan(self) -> Any:
        @contextlib.asynccontextmanager
        async def run() -> AsyncIterator[None]:
            manager = SwapManager(self.host, self.settings, self.catalog)
            manager.probe = SERVICE
            await manager.setup()
            self.manager.value = manager
            proxy = self.proxy
            proxy.start(manager)
            self._series = (
                ProxySeries(proxy.stats),
                SwapSeries(self.host.store, time.time()),
            )
            watcher = asyncio.create_task(manager.watch(), name="vllm-watch")
            leading = asyncio.create_task(_reconcile_on_lead(manager), name="vllm-lead")
            try:
                yield
            finally:
                for task in (watcher, leading):
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
                await manager.aclose()
                await proxy.aclose()
                self.manager.value = None
                self._series = None

        return run()

    @staticmethod
    @hookimpl
    def spark_sim(sim: SimRegistrar) -> None:
        # Imported here: only the demo and the tests build a simulated cluster.
        from spark_control_vllm.sim import register

        register(sim)


async def _reconcile_on_lead(manager: SwapManager) -> None:
    """Each time this replica gains the cluster's lead (several gateways on one
    database), match the record with what runs, as a gateway does at start-up. One
    gateway alone leads from the start and never gains it again."""
    gained = asyncio.Event()
    manager.host.leadership.on_change(lambda leading: gained.set() if leading else None)
    while True:
        await gained.wait()
        gained.clear()
        try:
            await manager.reconcile()
        except Exception:
            log.exception("reconciling after gaining the cluster's lead failed")
