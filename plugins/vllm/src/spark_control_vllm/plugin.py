"""The hooks of the vllm plugin (its entry point).

The entry point is this module, shared by every gateway in the process; what belongs
to one gateway (its catalog, its swap manager) is kept per host.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spark_control import hookimpl
from spark_control.errors import Unavailable
from spark_control.health import Probe, http_check
from spark_control.topology import Service
from spark_control_vllm.catalog import SHIPPED_CATALOG, Catalog
from spark_control_vllm.checks import register_checks
from spark_control_vllm.disk_routes import disk_router
from spark_control_vllm.proxy import ProxyApp, static_probe_name
from spark_control_vllm.proxy.openapi import LORA_PATHS, V1_DOCS
from spark_control_vllm.proxy.routes import proxy_router
from spark_control_vllm.routes import router
from spark_control_vllm.settings import VllmSettings
from spark_control_vllm.swap import SwapManager

if TYPE_CHECKING:
    from spark_control.host import Host
    from spark_control.sim.registry import SimRegistrar

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

_catalogs: weakref.WeakKeyDictionary[Host, Catalog] = weakref.WeakKeyDictionary()
_managers: weakref.WeakKeyDictionary[Host, SwapManager] = weakref.WeakKeyDictionary()
_proxies: weakref.WeakKeyDictionary[Host, ProxyApp] = weakref.WeakKeyDictionary()
# Chat requests may carry images inline (base64): room for a few.
PROXY_MAX_BODY_BYTES = 32 * 2**20


def _settings(host: Host) -> VllmSettings:
    settings = host.plugin_settings("vllm")
    assert isinstance(settings, VllmSettings)
    return settings


def _catalog(host: Host) -> Catalog:
    if host not in _catalogs:
        # Without a configured overrides file, local models added from the dashboard are
        # kept in the gateway's data directory.
        overrides = _settings(host).catalog_overrides or host.data_dir / "vllm-models.yaml"
        _catalogs[host] = Catalog.load(SHIPPED_CATALOG, overrides)
    return _catalogs[host]


def _proxy(host: Host) -> ProxyApp:
    if host not in _proxies:
        _proxies[host] = ProxyApp(host, _settings(host), lambda: _catalog(host))
    return _proxies[host]


def _manager(host: Host) -> SwapManager:
    manager = _managers.get(host)
    if manager is None:
        raise Unavailable("the vllm plugin has not started")
    return manager


@hookimpl
def spark_settings_model() -> type[VllmSettings]:
    return VllmSettings


@hookimpl
def spark_models(host: Host) -> list[dict[str, str]]:
    return _catalog(host).spark_models()


@hookimpl
def spark_routes(host: Host, register: Any) -> None:
    register(router(host, lambda: _manager(host)))
    register(disk_router(host, lambda: _catalog(host), lambda: _busy_model(host)))
    register(proxy_router(lambda: _proxy(host)))
    register.v1_fallback(_proxy(host), max_body_bytes=PROXY_MAX_BODY_BYTES)
    # vLLM's runtime LoRA routes change what the server runs: a swap, not inference.
    for path in LORA_PATHS:
        register.v1(path, _proxy(host), max_body_bytes=PROXY_MAX_BODY_BYTES, scope="swap")
    for path, operations in V1_DOCS.items():
        register.v1_docs(path, operations)


def _busy_model(host: Host) -> str | None:
    """The model a disk delete must not touch: the one running, or being swapped to."""
    manager = _managers.get(host)
    if manager is None:
        return None
    swap = manager.running_swap
    return swap.model if swap is not None else manager.current_model


@hookimpl
def spark_tiles(host: Host, register: Any) -> None:
    register.static(STATIC_DIR)
    register(TILE)


@hookimpl
def spark_node_checks(host: Host, register: Any) -> None:
    register_checks(host, register)


@hookimpl
def spark_probes(host: Host, register: Any) -> None:
    settings = _settings(host)
    if settings.head_node in host.topology.nodes:
        host.topology.add_service(
            Service(name=SERVICE, node=settings.head_node, port=settings.port, kind=KIND)
        )
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
                check=http_check(host.http_client, origin + "/health", f"{static.name} answers"),
                degraded_after_ms=DEGRADED_AFTER_MS,
            )
        )


@hookimpl
def spark_lifespan(host: Host) -> Any:
    @contextlib.asynccontextmanager
    async def run() -> AsyncIterator[None]:
        manager = SwapManager(host, _settings(host), _catalog(host))
        manager.probe = SERVICE
        await manager.setup()
        _managers[host] = manager
        proxy = _proxy(host)
        proxy.start(manager)
        watcher = asyncio.create_task(manager.watch(), name="vllm-watch")
        try:
            yield
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            await manager.aclose()
            await proxy.aclose()
            _managers.pop(host, None)

    return run()


@hookimpl
def spark_sim(sim: SimRegistrar) -> None:
    # Imported here: only the demo and the tests build a simulated cluster.
    from spark_control_vllm.sim import register

    register(sim)
