"""Payload indexes: a filtered search indexes the keys it filters on (so filters stay
fast, bench/embeddings), with the kind the filter implies, and the results are the
same as without an index (qdrant-client's local mode has none: the reference)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from qdrant_client import QdrantClient
from qdrant_client import models as qm

from spark_control.sim import SimCluster
from spark_control_embeddings.store.remote import _INDEX, RemoteStore
from tests.embeddings.conftest import (
    CORPUS,
    STORES,
    ids,
    load_corpus,
    open_gateway,
    search,
    sim_cluster,
    store_settings,
)

DOCS = [
    {
        **d,
        "payload": {**d["payload"], "n": i % 4, "weight": i / 3, "urgent": i % 2 == 0},
    }
    for i, d in enumerate(CORPUS)
]
Payload = dict[str, Any]
#: Filters and which payloads they keep.
FILTERS: list[tuple[dict[str, Any], Callable[[Payload], bool]]] = [
    (
        {"must": [{"key": "topic", "match": {"value": "hardware"}}]},
        lambda p: p["topic"] == "hardware",
    ),
    (
        {"must": [{"key": "topic", "match": {"any": ["pets", "food"]}}]},
        lambda p: p["topic"] in ("pets", "food"),
    ),
    ({"must": [{"key": "topic", "match": {"except": ["pets"]}}]}, lambda p: p["topic"] != "pets"),
    ({"must": [{"key": "year", "range": {"gte": 2024}}]}, lambda p: p["year"] >= 2024),
    ({"must": [{"key": "n", "match": {"value": 2}}]}, lambda p: p["n"] == 2),
    ({"must": [{"key": "n", "match": {"any": [1, 3]}}]}, lambda p: p["n"] in (1, 3)),
    ({"must": [{"key": "n", "match": {"except": [0]}}]}, lambda p: p["n"] != 0),
    ({"must": [{"key": "weight", "range": {"lt": 2.5}}]}, lambda p: p["weight"] < 2.5),
    ({"must": [{"key": "year", "match": {"value": 2023}}]}, lambda p: p["year"] == 2023),
    (
        {
            "should": [
                {"key": "topic", "match": {"value": "car"}},
                {"key": "n", "match": {"value": 1}},
            ],
            "must_not": [{"key": "year", "range": {"lt": 2023}}],
        },
        lambda p: (p["topic"] == "car" or p["n"] == 1) and p["year"] >= 2023,
    ),
]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("embeddings-indexes"), "127.0.3.60") as sim:
        yield sim


@pytest.mark.parametrize("store", STORES)
async def test_filtered_searches_index_their_keys_and_keep_their_results(
    tmp_path: Path, cluster: SimCluster, store: str
) -> None:
    settings = store_settings(store, tmp_path)
    async with open_gateway(tmp_path, cluster, **settings) as gw:
        await load_corpus(gw, "notes", DOCS)
        assert (await gw.client.get("/api/collections/notes")).json()["indexes"] == {}
        for flt, keeps in FILTERS:
            for mode in ("dense", "hybrid"):
                answer = await search(gw, "notes", "a note", mode=mode, limit=50, filter=flt)
                expected = {d["id"] for d in DOCS if keeps(d["payload"])}
                if mode == "dense":  # every document has a dense vector: all are found
                    assert set(ids(answer)) == expected, flt
                else:
                    assert set(ids(answer)) <= expected, flt
        described = (await gw.client.get("/api/collections/notes")).json()
    if store == "qdrant-local":
        assert described["indexes"] == {}  # local mode has no payload indexes
        return
    # year: the range came first (a float index also serves integers); its later
    # integer match used it as it was.
    assert described["indexes"] == {
        "n": "integer",
        "topic": "keyword",
        "weight": "float",
        "year": "float",
    }
    async with open_gateway(tmp_path, cluster, **settings) as gw:
        again = (await gw.client.get("/api/collections/notes")).json()
    assert again["indexes"] == described["indexes"]


@pytest.mark.parametrize(
    "store",
    [
        pytest.param(
            "embedded",
            marks=pytest.mark.xfail(
                strict=True,
                reason="qdrant-edge-py 0.9.0 turns MatchValue(True) into the integer 1, "
                "which matches no boolean payload value",
            ),
        ),
        "qdrant-local",
    ],
)
async def test_a_boolean_match_makes_no_index_and_finds_its_documents(
    tmp_path: Path, cluster: SimCluster, store: str
) -> None:
    async with open_gateway(tmp_path, cluster, **store_settings(store, tmp_path)) as gw:
        await load_corpus(gw, "notes", DOCS)
        flt = {"must": [{"key": "urgent", "match": {"value": True}}]}
        answer = await search(gw, "notes", "a note", mode="dense", limit=50, filter=flt)
        assert (await gw.client.get("/api/collections/notes")).json()["indexes"] == {}
    assert set(ids(answer)) == {d["id"] for d in DOCS if d["payload"]["urgent"]}


def test_a_servers_index_requests_are_what_its_api_takes() -> None:
    """The schemas sent to a Qdrant server, in the REST API's own request model."""
    sent = {
        kind: qm.CreateFieldIndex(field_name="k", field_schema=schema).model_dump(
            mode="json", exclude_none=True
        )["field_schema"]
        for kind, schema in _INDEX.items()
    }
    assert sent == {
        "keyword": "keyword",
        "integer": {"type": "integer", "lookup": True, "range": False},
        "float": "float",
    }


async def test_a_remote_store_creates_each_missing_index_once() -> None:
    client = QdrantClient(location=":memory:")
    client.create_collection(
        "notes", vectors_config={"dense": qm.VectorParams(size=2, distance=qm.Distance.COSINE)}
    )
    created: list[tuple[str, Any]] = []
    real = client.create_payload_index

    def record(name: str, key: str, **kwargs: Any) -> Any:
        created.append((key, kwargs["field_schema"]))
        return real(name, key, **kwargs)

    client.create_payload_index = record  # type: ignore[method-assign]

    async def run(fn: Any, *args: Any) -> Any:
        return fn(*args)

    store = RemoteStore(client, run, "memory")
    with pytest.warns(UserWarning, match="no effect in the local Qdrant"):
        await store.index_fields("notes", {"topic": "keyword", "n": "integer"})
    await store.index_fields("notes", {"topic": "keyword", "year": "float"})
    assert created == [
        ("topic", _INDEX["keyword"]),
        ("n", _INDEX["integer"]),
        ("year", _INDEX["float"]),
    ]
    await store.close()
