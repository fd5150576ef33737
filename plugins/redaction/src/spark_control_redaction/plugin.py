"""The hooks of the redaction plugin (its entry point).

The entry point is this module, shared by every gateway in the process; each gateway
keeps its own service (vault, lists) while the spaCy model is shared by the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spark_control.api import HealthState, Probe, ProbeResult, Unavailable, hookimpl
from spark_control_redaction.metrics import RedactionMetrics
from spark_control_redaction.proxy import proxy_router
from spark_control_redaction.routes import router
from spark_control_redaction.service import Redactor
from spark_control_redaction.settings import RedactionSettings
from spark_control_redaction.vault import Vault, load_or_create_key

if TYPE_CHECKING:
    from spark_control.api import Host

STATIC_DIR = Path(__file__).parent / "static"
TILE: dict[str, Any] = {
    "id": "redaction",
    "title": "Redaction",
    "order": 60,
    "kind": "module",
    "module": "redaction-tile.js",
    "status_probe": "redaction",
}
# How often expired mappings are wiped (at most; sooner with a short TTL).
PURGE_EVERY_S = 60.0

_services: weakref.WeakKeyDictionary[Host, Redactor] = weakref.WeakKeyDictionary()
_metrics: weakref.WeakKeyDictionary[Host, RedactionMetrics] = weakref.WeakKeyDictionary()


def _settings(host: Host) -> RedactionSettings:
    settings = host.plugin_settings("redaction")
    assert isinstance(settings, RedactionSettings)
    return settings


def _service(host: Host) -> Redactor:
    service = _services.get(host)
    if service is None:
        raise Unavailable("the redaction plugin has not started")
    return service


@hookimpl
def spark_settings_model() -> type[RedactionSettings]:
    return RedactionSettings


@hookimpl
def spark_routes(host: Host, register: Any) -> None:
    register(router(host, lambda: _service(host)))
    register(proxy_router(host, lambda: _service(host)))


@hookimpl
def spark_tiles(host: Host, register: Any) -> None:
    register.static(STATIC_DIR)
    register(TILE)


@hookimpl
def spark_probes(host: Host, register: Any) -> None:
    async def check() -> ProbeResult:
        service = _services.get(host)
        if service is None:
            return ProbeResult(HealthState.DOWN, "the redaction plugin has not started")
        stats = await service.vault.stats()
        if service.ner is None:
            model = "rules only"
        elif service.ner.loaded:
            model = f"{service.settings.spacy_model} loaded"
        else:
            model = f"{service.settings.spacy_model} loads on first use"
        return ProbeResult(HealthState.OK, f"vault: {stats.sessions} sessions; {model}")

    # Local only: the external provider is not polled (it may bill per request).
    register(Probe(name="redaction", check=check))


@hookimpl
def spark_lifespan(host: Host) -> Any:
    @contextlib.asynccontextmanager
    async def run() -> AsyncIterator[None]:
        settings = _settings(host)
        key = await host.run_blocking(load_or_create_key, host.data_dir)
        vault = Vault(host.store, key, settings.session_ttl_s)
        await vault.setup()
        metrics = _metrics.get(host)
        if metrics is None:  # a restarted lifespan keeps the registry's metrics
            metrics = _metrics[host] = RedactionMetrics(host.metrics)
        _services[host] = Redactor(settings, vault, host.run_blocking, metrics)
        purger = asyncio.create_task(_purge(vault, min(PURGE_EVERY_S, settings.session_ttl_s)))
        try:
            yield
        finally:
            purger.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await purger
            _services.pop(host, None)

    return run()


async def _purge(vault: Vault, every_s: float) -> None:
    while True:
        await asyncio.sleep(every_s)
        with contextlib.suppress(Exception):  # a busy store must not end the loop
            await vault.purge()
