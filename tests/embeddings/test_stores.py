"""The store implementations at their own interface: what the gateway's tests cannot
reach through HTTP (a Qdrant collection made by someone else) and concurrency."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from qdrant_client import QdrantClient
from qdrant_client import models as qm

from spark_control.sim import SimCluster
from spark_control_embeddings.store.base import CollectionMissing, StoreQuery
from spark_control_embeddings.store.remote import RemoteStore
from tests.embeddings.conftest import (
    CORPUS,
    STORES,
    ids,
    load_corpus,
    open_gateway,
    sim_cluster,
    store_settings,
)


async def _to_thread(fn: Any, *args: Any, **kwargs: Any) -> Any:
    return await asyncio.to_thread(fn, *args, **kwargs)


async def test_a_collection_someone_else_made_is_listed_but_not_searchable() -> None:
    client = QdrantClient(location=":memory:")
    client.create_collection(
        "theirs", vectors_config=qm.VectorParams(size=4, distance=qm.Distance.DOT)
    )
    store = RemoteStore(client, _to_thread, "memory")
    [info] = await store.collections()
    assert info.to_dict() == {
        "name": "theirs",
        "points": 0,
        "dense_size": None,
        "sparse": None,
        "searchable": False,
        "indexes": {},
    }
    assert await store.spec("theirs") is None
    with pytest.raises(CollectionMissing):
        await store.query("mine", StoreQuery(mode="dense", limit=1, dense=[1.0, 0, 0, 0]))
    await store.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("embeddings-stores"), "127.0.3.30") as sim:
        yield sim


@pytest.mark.parametrize("store", STORES)
async def test_searches_and_writes_at_once_all_succeed(
    tmp_path: Path, cluster: SimCluster, store: str
) -> None:
    async with open_gateway(tmp_path, cluster, **store_settings(store, tmp_path)) as gw:
        await load_corpus(gw, "notes")
        url = "/api/collections/notes"
        extra = [{"id": f"extra-{i}", "text": f"spare note {i} about the rug"} for i in range(40)]
        searches = [
            gw.client.post(f"{url}/search", json={"query": "feline napping on a carpet"})
            for _ in range(24)
        ]
        writes = [
            gw.client.post(f"{url}/documents", json={"documents": extra[i : i + 10]})
            for i in range(0, 40, 10)
        ]
        answers = await asyncio.gather(*searches, *writes)
        failed = [a.text for a in answers if a.status_code != 200]
        assert not failed, failed
        assert all("cat-rug" in ids(a.json()) for a in answers[: len(searches)])
        assert (await gw.client.get(url)).json()["points"] == len(CORPUS) + 40
