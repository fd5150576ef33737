"""The vllm plugin (its entry point is :class:`VllmPlugin`).

The host builds the class once per gateway, so each gateway has its own catalog,
proxy and swap manager, even when several run in one process (tests).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spark_control.api import (
    CheckRegistrar,
    HealthState,
    HistorySample,
    Plugin,
    Probe,
    ProbeRegistrar,
    ProbeResult,
    RouteRegistrar,
    Service,
    ServiceRegistrar,
    SparkError,
    Started,
    TileRegistrar,
    hookimpl,
    http_check,
    with_aliases,
)
from spark_control_vllm.catalog import SHIPPED_CATALOG, Catalog
from spark_control_vllm.checks import register_checks
from spark_control_vllm.coresidence import CoResidence
from spark_control_vllm.history import ProxySeries, SwapSeries
from spark_control_vllm.proxy import ProxyApp, static_probe_name
from spark_control_vllm.proxy.app import MANAGED
from spark_control_vllm.proxy.openapi import LORA_PATHS, V1_DOCS
from spark_control_vllm.settings import DEFAULT_SLOT, VllmSettings
from spark_control_vllm.swap import SwapManager
from spark_control_vllm.swap.manager import probe_name

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


class VllmPlugin(CoResidence, Plugin[VllmSettings]):
    """One per gateway: its catalog, its proxy and (once started) its swap manager."""

    settings_model = VllmSettings

    def __init__(self, host: Host, settings: VllmSettings) -> None:
        super().__init__(host, settings)
        self._catalog: Catalog | None = None
        self._proxy: ProxyApp | None = None
        # The default slot's manager (every pre-slot route acts on it) ...
        self.manager = Started[SwapManager]("the vllm plugin")
        # ... and every slot's, by name, default first (empty until started).
        self.slots: dict[str, SwapManager] = {}
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

    def busy_models(self) -> list[str]:
        """Every slot's model running or being swapped to (a disk delete spares them)."""
        busy = []
        for slot in self.slots.values():
            swap = slot.running_swap
            model = swap.model if swap is not None else slot.current_model
            if model is not None:
                busy.append(model)
        return busy

    def slot(self, name: str) -> SwapManager:
        """The started slot ``name``: 404 naming the slots for an unknown one."""
        self.manager()  # 503 before start-up
        found = self.slots.get(name)
        if found is None:
            raise SparkError(
                f"no slot {name!r}; the slots are {', '.join(self.slots)}",
                status=404,
                type="not_found",
                detail={"slot": name, "slots": list(self.slots)},
            )
        return found

    @hookimpl
    def spark_models(self) -> list[dict[str, str]]:
        return self.catalog.spark_models()

    @hookimpl
    def spark_routes(self, register: RouteRegistrar) -> None:
        # Imported here: the route modules import this class for their dependency.
        from spark_control_vllm import disk_routes, routes, slot_routes
        from spark_control_vllm.proxy import routes as proxy_routes

        for module in (routes, slot_routes, disk_routes, proxy_routes):
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
        slots = self.slots

        def subject(upstream: str) -> str:
            # A slot's requests go to whatever model it runs.
            if upstream == MANAGED:
                return manager.current_model or upstream
            slot = slots.get(upstream.removeprefix(MANAGED + "-"))
            return (slot.current_model or upstream) if slot is not None else upstream

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
        for name in self.settings.slot_names():
            settings = self.settings.slot_settings(name)
            if settings.head_node in self.host.topology.nodes:
                register(
                    Service(
                        name=probe_name(name),
                        node=settings.head_node,
                        port=settings.port,
                        kind=KIND,
                    )
                )

    @hookimpl
    def spark_probes(self, register: ProbeRegistrar) -> None:
        host, settings = self.host, self.settings
        slot_of = {probe_name(name): name for name in settings.slot_names()}
        for service in host.topology.services_of_kind(KIND, include_disabled=True):
            check = http_check(
                host.http_client,
                host.topology.service_url(service, service.health_path),
                "vLLM answers",
            )
            slot = slot_of.get(service.name)
            register(
                Probe(
                    name=service.name,
                    check=check if slot is None else self._slot_check(slot, check),
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

    def _slot_check(
        self, slot: str, check: Callable[[], Awaitable[ProbeResult]]
    ) -> Callable[[], Awaitable[ProbeResult]]:
        """A slot's vLLM probe: a slot stopped on purpose (no model loaded, none
        failing) is not down when nothing answers on its port: shown as stopped."""

        async def checked() -> ProbeResult:
            result = await check()
            manager = self.slots.get(slot)
            if result.state is HealthState.OK or manager is None:
                return result
            if manager.status()["state"] != "stopped":
                return result
            return ProbeResult(
                HealthState.DISABLED, "stopped: no model is loaded (swap one in to serve)"
            )

        return checked

    @hookimpl
    def spark_lifespan(self) -> Any:
        @contextlib.asynccontextmanager
        async def run() -> AsyncIterator[None]:
            slots = {
                name: SwapManager(self.host, self.settings.slot_settings(name), self.catalog, name)
                for name in self.settings.slot_names()
            }
            for slot in slots.values():
                await slot.setup()
            manager = slots[DEFAULT_SLOT]
            self.slots = slots
            self.manager.value = manager
            proxy = self.proxy
            proxy.start(manager, slots)
            self._series = (
                ProxySeries(proxy.stats),
                SwapSeries(self.host.store, time.time()),
            )
            watchers = [
                asyncio.create_task(slot.watch(), name=f"vllm-watch-{name}")
                for name, slot in slots.items()
            ] + [
                # Idle unload and sleep (issue 25), one keeper per slot.
                asyncio.create_task(slot.idle.run(), name=f"vllm-idle-{name}")
                for name, slot in slots.items()
            ]
            watchers += [
                asyncio.create_task(_reconcile_on_lead(slot), name=f"vllm-lead-{name}")
                for name, slot in slots.items()
            ] + [
                asyncio.create_task(slot.follow_leader(), name=f"vllm-follow-{name}")
                for name, slot in slots.items()
            ]
            try:
                yield
            finally:
                for watcher in watchers:
                    watcher.cancel()
                for watcher in watchers:
                    with contextlib.suppress(asyncio.CancelledError):
                        await watcher
                for slot in slots.values():
                    await slot.aclose()
                await proxy.aclose()
                self.manager.value = None
                self.slots = {}
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
