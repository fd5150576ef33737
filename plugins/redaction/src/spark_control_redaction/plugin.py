"""The redaction plugin (its entry point is :class:`RedactionPlugin`).

The host builds the class once per gateway, so each gateway keeps its own service
(vault, lists) and metrics, while the spaCy model is shared by the process.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spark_control.api import (
    HealthState,
    Plugin,
    Probe,
    ProbeRegistrar,
    ProbeResult,
    RouteRegistrar,
    Started,
    TileRegistrar,
    hookimpl,
    with_aliases,
)
from spark_control_redaction.metrics import RedactionMetrics
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


class RedactionPlugin(Plugin[RedactionSettings]):
    """One per gateway: the redaction service (vault, lists) once started."""

    settings_model = RedactionSettings

    def __init__(self, host: Host, settings: RedactionSettings) -> None:
        super().__init__(host, settings)
        self.service = Started[Redactor]("the redaction plugin")
        self.metrics: RedactionMetrics | None = None

    @hookimpl
    def spark_routes(self, register: RouteRegistrar) -> None:
        # Imported here: the route modules import this class for their dependency.
        from spark_control_redaction import proxy, routes

        for module in (routes, proxy):
            register(with_aliases(module.router, module.ALIASES))

    @hookimpl
    def spark_tiles(self, register: TileRegistrar) -> None:
        register.static(STATIC_DIR)
        register(TILE)

    @hookimpl
    def spark_probes(self, register: ProbeRegistrar) -> None:
        # Local only: the external provider is not polled (it may bill per request).
        register(Probe(name="redaction", check=self._check))

    async def _check(self) -> ProbeResult:
        service = self.service.value
        if service is None:
            return ProbeResult(HealthState.DOWN, "the redaction plugin has not started")
        stats = await service.vault.stats()
        name = service.settings.spacy_model
        if service.ner is None:
            model = "rules only"
        elif service.ner.loaded:
            model = f"{name} loaded"
        elif not service.ner.installed():
            return ProbeResult(
                HealthState.DEGRADED,
                f"spaCy model {name!r} is not installed: scrubs that look for people, "
                "organisations or places are refused (503), rule types alone still work; "
                "install the model or set redaction.spacy_model",
            )
        else:
            model = f"{name} loads on first use"
        return ProbeResult(HealthState.OK, f"vault: {stats.sessions} sessions; {model}")

    @hookimpl
    def spark_lifespan(self) -> Any:
        host, settings = self.host, self.settings

        @contextlib.asynccontextmanager
        async def run() -> AsyncIterator[None]:
            key = await host.run_blocking(load_or_create_key, host.secrets_dir)
            vault = Vault(host.store, key, settings.session_ttl_s)
            await vault.setup()
            if self.metrics is None:  # a restarted lifespan keeps the registry's metrics
                self.metrics = RedactionMetrics(host.metrics)
            self.service.value = Redactor(settings, vault, host.run_blocking, self.metrics)
            every_s = min(PURGE_EVERY_S, settings.session_ttl_s)
            purger = asyncio.create_task(_purge(vault, every_s))
            try:
                yield
            finally:
                purger.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await purger
                self.service.value = None

        return run()


async def _purge(vault: Vault, every_s: float) -> None:
    while True:
        await asyncio.sleep(every_s)
        with contextlib.suppress(Exception):  # a busy store must not end the loop
            await vault.purge()
