"""The embeddings plugin (its entry point is :class:`EmbeddingsPlugin`).

The host builds the class once per gateway, so each gateway has its own backend
client and store.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from spark_control.api import (
    HealthState,
    Plugin,
    Probe,
    ProbeRegistrar,
    ProbeResult,
    RouteRegistrar,
    Service,
    ServiceRegistrar,
    Started,
    TileRegistrar,
    Unavailable,
    hookimpl,
    http_check,
    with_aliases,
)
from spark_control_embeddings.backends import Backend, BgeM3Backend, OpenAIBackend, TeiBackend
from spark_control_embeddings.embedder import Embedder
from spark_control_embeddings.openapi import V1_DOCS
from spark_control_embeddings.sample import load_sample
from spark_control_embeddings.service import EmbeddingService
from spark_control_embeddings.settings import EmbeddingsSettings
from spark_control_embeddings.store.base import Store
from spark_control_embeddings.v1 import EmbeddingsApp

if TYPE_CHECKING:
    from spark_control.api import Host, SimRegistrar

NAME = "embeddings"
SERVICE, RERANK_SERVICE, KIND = "embeddings", "embeddings-reranker", "embeddings"
STORE_PROBE = "qdrant"
# Embedding on a busy GPU answers health slowly: degraded, not down.
DEGRADED_AFTER_MS = 1500.0
STATIC_DIR = Path(__file__).parent / "static"
TILE: dict[str, Any] = {
    "id": "embeddings",
    "title": "Embeddings & search",
    "order": 30,
    "kind": "module",
    "module": "embeddings-tile.js",
    "status_probe": SERVICE,
    "service": SERVICE,
}


def _backend(host: Host, settings: EmbeddingsSettings, client: httpx.AsyncClient) -> Backend:
    service = host.topology.services.get(SERVICE)
    if service is None:
        raise Unavailable(
            f"embeddings.node names {settings.node!r}, which is not a configured node"
        )
    base_url = host.topology.service_url(service)
    rerank = host.topology.services.get(RERANK_SERVICE, service)
    rerank_url = host.topology.service_url(rerank) if settings.rerank else None
    api_key = settings.api_key.get_secret_value() if settings.api_key else None
    kwargs: dict[str, Any] = {
        "rerank_url": rerank_url,
        "max_batch": settings.max_batch,
        "api_key": api_key,
        "model": settings.backend_model,
    }
    if settings.backend == "tei":
        return TeiBackend(client, base_url, sparse=settings.tei_sparse, **kwargs)
    if settings.backend == "openai":
        return OpenAIBackend(client, base_url, **kwargs)
    return BgeM3Backend(client, base_url, **kwargs)


async def _store(host: Host, settings: EmbeddingsSettings) -> Store:
    if settings.qdrant_url or settings.qdrant_local_path:
        from qdrant_client import QdrantClient

        from spark_control_embeddings.store.remote import RemoteStore

        if settings.qdrant_url:
            key = settings.qdrant_api_key.get_secret_value() if settings.qdrant_api_key else None
            client = QdrantClient(url=settings.qdrant_url, api_key=key, timeout=30)
            return RemoteStore(client, host.run_blocking, settings.qdrant_url)
        path = settings.qdrant_local_path
        assert path is not None
        if path == ":memory:":
            client = await host.run_blocking(QdrantClient, location=":memory:")
        else:
            client = await host.run_blocking(QdrantClient, path=path)
        return RemoteStore(
            client,
            host.run_blocking,
            f"local mode ({path})",
            one_at_a_time=True,
            payload_indexes=False,
        )
    from spark_control_embeddings.store.edge import EdgeStore

    return EdgeStore(host.data_dir / NAME / "collections", host.run_blocking)


class EmbeddingsPlugin(Plugin[EmbeddingsSettings]):
    """One per gateway: the embedding service (backend client and store) once started."""

    settings_model = EmbeddingsSettings

    def __init__(self, host: Host, settings: EmbeddingsSettings) -> None:
        super().__init__(host, settings)
        self.service = Started[EmbeddingService]("the embeddings plugin")

    @hookimpl
    def spark_models(self) -> list[dict[str, str]]:
        return [{"id": model, "served_name": model} for model in self.settings.models]

    @hookimpl
    def spark_routes(self, register: RouteRegistrar) -> None:
        # Imported here: the route module imports this class for its dependency.
        from spark_control_embeddings import routes

        settings = self.settings
        register(with_aliases(routes.router, routes.ALIASES))
        register.v1("/embeddings", EmbeddingsApp(self.service), models=settings.models)
        for path, operations in V1_DOCS.items():
            register.v1_docs(path, operations)

    @hookimpl
    def spark_tiles(self, register: TileRegistrar) -> None:
        register.static(STATIC_DIR)
        register(TILE)

    @hookimpl
    def spark_services(self, register: ServiceRegistrar) -> None:
        """The embedding service (and a reranker on its own port) on ``node``."""
        settings = self.settings
        if settings.node not in self.host.topology.nodes:
            return  # the lifespan says so (its routes answer 503 with the reason)
        register(Service(name=SERVICE, node=settings.node, port=settings.port, kind=KIND))
        if settings.rerank_port is not None and settings.rerank_port != settings.port:
            register(
                Service(
                    name=RERANK_SERVICE, node=settings.node, port=settings.rerank_port, kind=KIND
                )
            )

    @hookimpl
    def spark_probes(self, register: ProbeRegistrar) -> None:
        host = self.host
        for name in (SERVICE, RERANK_SERVICE):
            service = host.topology.services.get(name)
            if service is None:
                continue
            register(
                Probe(
                    name=name,
                    check=http_check(
                        host.http_client,
                        host.topology.service_url(service, service.health_path),
                        f"{service.name} answers",
                    ),
                    service=name,
                    node=service.node,
                    degraded_after_ms=DEGRADED_AFTER_MS,
                    disabled=service.disabled,
                )
            )
        register(Probe(name=STORE_PROBE, check=self._store_check))

    async def _store_check(self) -> ProbeResult:
        service = self.service.value
        if service is None:
            return ProbeResult(HealthState.DOWN, "the embeddings plugin has not started")
        started = time.monotonic()
        ok, detail = await service.store.health()
        latency = (time.monotonic() - started) * 1000
        return ProbeResult(HealthState.OK if ok else HealthState.DOWN, detail, latency_ms=latency)

    @hookimpl
    def spark_lifespan(self) -> Any:
        host, settings = self.host, self.settings

        @contextlib.asynccontextmanager
        async def run() -> AsyncIterator[None]:
            client = host.http_client(timeout=httpx.Timeout(settings.timeout_s, connect=3.0))
            try:
                backend = _backend(host, settings, client)
                store = await _store(host, settings)
            except BaseException:
                await client.aclose()
                raise
            service = EmbeddingService(Embedder(backend, host.run_blocking), store)
            self.service.value = service
            sample = None
            if settings.sample_corpus is not None:
                sample = asyncio.create_task(
                    load_sample(service, settings.sample_corpus, settings.sample_collection)
                )
            try:
                yield
            finally:
                if sample is not None:
                    sample.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await sample
                self.service.value = None
                await store.close()
                await client.aclose()

        return run()

    @staticmethod
    @hookimpl
    def spark_sim(sim: SimRegistrar) -> None:
        # Imported here: only the demo and the tests build a simulated cluster.
        from spark_control_embeddings.sim import register

        register(sim)
