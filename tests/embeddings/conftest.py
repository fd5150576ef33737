"""Shared pieces of the embeddings tests: a simulated cluster with the plugin's
embedding worker (on this suite's loopback range, 127.0.3.0/24), gateways on it with
either store, and the committed corpus."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx

from spark_control.plugins import new_manager
from spark_control.sim import SimCluster
from spark_control.sim.registry import collect_simulation
from spark_control.testing import RunningGateway, make_config, running_gateway
from spark_control_embeddings.plugin import EmbeddingsPlugin
from spark_control_embeddings.sim import SAMPLE_CORPUS, wait_ready

CORPUS = json.loads(SAMPLE_CORPUS.read_text())["documents"]
STORES = ("embedded", "qdrant-local")
#: Each store with both kinds of sparse vectors: the bge-m3 worker's lexical weights and
#: the gateway's own BM25 (the OpenAI API gives none).
STORE_BACKENDS = [(s, b) for s in STORES for b in ("bge-m3", "openai")]


@contextlib.contextmanager
def sim_cluster(root: Path, base_address: str) -> Iterator[SimCluster]:
    """The simulated cluster with the embeddings plugin's worker on the head node."""
    pm = new_manager()
    pm.register(EmbeddingsPlugin, name="embeddings")
    with SimCluster(root, registry=collect_simulation(pm), base_address=base_address) as sim:
        wait_ready(sim.head.address)
        yield sim


def store_settings(store: str, tmp_path: Path) -> dict[str, Any]:
    """``embedded``: qdrant-edge in the data directory; ``qdrant-local``: the remote
    implementation through qdrant-client's local mode (no Qdrant server here)."""
    if store == "embedded":
        return {}
    return {"qdrant_local_path": str(tmp_path / "qdrant-local")}


@contextlib.asynccontextmanager
async def open_gateway(
    tmp_path: Path, cluster: SimCluster, **embeddings: Any
) -> AsyncIterator[RunningGateway]:
    config = make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["embeddings"]},
            "embeddings": embeddings,
        },
    )
    async with running_gateway(config) as gw:
        yield gw


@contextlib.asynccontextmanager
async def open_store_backend(
    tmp_path: Path, cluster: SimCluster, store_backend: tuple[str, str]
) -> AsyncIterator[RunningGateway]:
    """A gateway on one of ``STORE_BACKENDS``."""
    store, backend = store_backend
    async with open_gateway(
        tmp_path, cluster, backend=backend, **store_settings(store, tmp_path)
    ) as gw:
        yield gw


async def create(gw: RunningGateway, name: str, **body: Any) -> httpx.Response:
    return await gw.client.post("/api/collections", json={"name": name, **body})


async def load_corpus(
    gw: RunningGateway, name: str, documents: list[dict[str, Any]] = CORPUS
) -> None:
    """Create collection ``name`` holding ``documents`` (default: the committed corpus)."""
    response = await create(gw, name)
    assert response.status_code == 201, response.text
    response = await gw.client.post(
        f"/api/collections/{name}/documents", json={"documents": documents}
    )
    assert response.status_code == 200, response.text
    assert response.json()["upserted"] == len(documents)


async def search(gw: RunningGateway, name: str, query: str, **options: Any) -> dict[str, Any]:
    response = await gw.client.post(
        f"/api/collections/{name}/search", json={"query": query, **options}
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def ids(answer: dict[str, Any]) -> list[str]:
    return [r["id"] for r in answer["results"]]
