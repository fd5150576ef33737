"""The embeddings API against the simulated worker: embed and rerank through each
adapter, batch splitting, backend errors, collection lifecycle and name validation,
``/v1/embeddings`` routing, health."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.types import Receive, Scope, Send

from spark_control import hookimpl
from spark_control.sim import SimCluster
from spark_control.testing import make_config, running_gateway
from spark_control_embeddings.backends import Sparse
from spark_control_embeddings.names import derived_point_id
from spark_control_embeddings.sim import SAMPLE_CORPUS
from spark_control_embeddings.store.base import CollectionSpec, StoredPoint
from spark_control_embeddings.store.edge import EdgeStore
from tests.embeddings.conftest import (
    CORPUS,
    STORES,
    create,
    ids,
    load_corpus,
    open_gateway,
    sim_cluster,
    store_settings,
)

BACKENDS = ("bge-m3", "tei", "openai")
TEXTS = [f"note {i}: the fan on node {i % 3} reported code E{i}" for i in range(40)]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("embeddings-api"), "127.0.3.20") as sim:
        yield sim


# -- embed and rerank ---------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_batch_larger_than_the_backend_takes_is_split_and_keeps_its_order(
    tmp_path: Path, cluster: SimCluster, backend: str
) -> None:
    # The simulated worker refuses more than 32 texts per request, as TEI does.
    async with open_gateway(tmp_path, cluster, backend=backend, max_batch=32) as gw:
        whole = await gw.client.post("/api/embed", json={"input": TEXTS})
        assert whole.status_code == 200, whole.text
        one_by_one = [
            (await gw.client.post("/api/embed", json={"input": text})).json()["data"][0]["dense"]
            for text in (TEXTS[0], TEXTS[17], TEXTS[39])
        ]
    data = whole.json()["data"]
    assert [d["index"] for d in data] == list(range(40))
    assert [data[0]["dense"], data[17]["dense"], data[39]["dense"]] == one_by_one
    assert len({tuple(d["dense"]) for d in data}) == 40


async def test_a_backend_error_is_a_502_with_the_backends_message(
    tmp_path: Path, cluster: SimCluster
) -> None:
    # Configured to send 64 at once, the gateway meets the worker's limit of 32.
    async with open_gateway(tmp_path, cluster, backend="tei", max_batch=64) as gw:
        response = await gw.client.post("/api/embed", json={"input": TEXTS})
    assert response.status_code == 502
    error = response.json()["error"]
    assert error["type"] == "backend_error"
    assert "batch size 40 > maximum allowed batch size 32" in error["message"]
    assert error["detail"]["backend_status"] == 413


async def test_an_unreachable_backend_is_a_502_naming_it(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with open_gateway(tmp_path, cluster, port=9) as gw:  # nothing listens on port 9
        response = await gw.client.post("/api/embed", json={"input": "hello"})
    assert response.status_code == 502
    assert "unreachable" in response.json()["error"]["message"]
    assert ":9/encode" in response.json()["error"]["message"]


@pytest.mark.parametrize("backend", BACKENDS)
async def test_sparse_vectors_come_from_the_backend_or_from_bm25(
    tmp_path: Path, cluster: SimCluster, backend: str
) -> None:
    async with open_gateway(tmp_path, cluster, backend=backend) as gw:
        response = await gw.client.post(
            "/api/embed",
            json={"input": ["Firmware code XJ-4471", "the cat"], "dense": False, "sparse": True},
        )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["sparse_kind"] == ("model" if backend == "bge-m3" else "bm25")
    first = body["data"][0]
    assert first["dense"] is None
    assert len(first["sparse"]["indices"]) >= 3
    assert len(first["sparse"]["indices"]) == len(first["sparse"]["values"])


async def test_tei_with_sparse_uses_its_embed_sparse(tmp_path: Path, cluster: SimCluster) -> None:
    async with open_gateway(tmp_path, cluster, backend="tei", tei_sparse=True) as gw:
        tei = (
            await gw.client.post("/api/embed", json={"input": "code XJ-4471", "sparse": True})
        ).json()
    async with open_gateway(tmp_path / "m3", cluster, backend="bge-m3") as gw:
        m3 = (
            await gw.client.post("/api/embed", json={"input": "code XJ-4471", "sparse": True})
        ).json()
    assert tei["sparse_kind"] == "model"
    assert tei["data"][0]["sparse"] == m3["data"][0]["sparse"]  # the same worker's weights
    assert tei["data"][0]["dense"] == m3["data"][0]["dense"]


async def test_rerank_orders_documents_and_keeps_top_n(tmp_path: Path, cluster: SimCluster) -> None:
    documents = [d["text"] for d in CORPUS] * 3  # 48 > the worker's batch of 32
    async with open_gateway(tmp_path, cluster) as gw:
        response = await gw.client.post(
            "/api/rerank",
            json={"query": "the GPU fan overheated", "documents": documents, "top_n": 4},
        )
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert len(results) == 4
    assert results[0]["document"].startswith("The cooling fan on spark-2")
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    assert all(documents[r["index"]] == r["document"] for r in results)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"input": []}, 400),
        ({"input": ["ok", "   "]}, 400),
        ({"input": "x" * 40_000}, 400),
        ({"input": "hi", "model": "not-ours"}, 404),
        ({"input": "hi", "dense": False}, 400),
        ({"input": 42}, 422),
        ({"input": "hi", "surprise": 1}, 422),
    ],
)
async def test_bad_embed_requests_are_clear_4xx(
    tmp_path: Path, cluster: SimCluster, body: dict[str, Any], status: int
) -> None:
    async with open_gateway(tmp_path, cluster) as gw:
        response = await gw.client.post("/api/embed", json=body)
    assert response.status_code == status, response.text
    assert response.json()["error"]["message"]


# -- collections --------------------------------------------------------------------


@pytest.mark.parametrize("store", STORES)
async def test_collection_lifecycle(tmp_path: Path, cluster: SimCluster, store: str) -> None:
    async with open_gateway(tmp_path, cluster, **store_settings(store, tmp_path)) as gw:
        created = await create(gw, "notes")
        assert created.status_code == 201, created.text
        assert created.json() == {
            "name": "notes",
            "points": 0,
            "dense_size": 1024,
            "sparse": "model",
            "searchable": True,
            "indexes": {},
        }
        assert (await create(gw, "notes")).status_code == 409
        await create(gw, "other", dense_size=1024)
        docs = {"documents": [{"id": "a", "text": "alpha"}, {"id": "b", "text": "beta"}]}
        assert (
            await gw.client.post("/api/collections/notes/documents", json=docs)
        ).status_code == 200
        listed = (await gw.client.get("/api/collections")).json()
        assert listed["store"] == ("embedded" if store == "embedded" else "qdrant")
        assert [(c["name"], c["points"]) for c in listed["collections"]] == [
            ("notes", 2),
            ("other", 0),
        ]
        assert (await gw.client.delete("/api/collections/notes")).status_code == 204
        assert (await gw.client.get("/api/collections/notes")).status_code == 404
        assert (await gw.client.delete("/api/collections/notes")).status_code == 404
        missing = await gw.client.post("/api/collections/notes/search", json={"query": "alpha"})
        assert missing.status_code == 404
        assert [
            c["name"] for c in (await gw.client.get("/api/collections")).json()["collections"]
        ] == ["other"]
        audit = (await gw.client.get("/api/audit")).json()["entries"]
    done = [(e["action"], e["target"], e["result"]) for e in audit]
    assert ("embeddings.collection_delete", "notes", "ok") in done
    assert ("embeddings.collection_create", "notes", "ok") in done


async def test_the_embedded_store_keeps_collections_across_a_restart(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with open_gateway(tmp_path, cluster) as gw:
        await create(gw, "kept")
        docs = {"documents": [{"id": d["id"], "text": d["text"]} for d in CORPUS[:5]]}
        await gw.client.post("/api/collections/kept/documents", json=docs)
    async with open_gateway(tmp_path, cluster) as gw:
        described = (await gw.client.get("/api/collections/kept")).json()
        found = await gw.client.post(
            "/api/collections/kept/search", json={"query": "feline napping on a carpet", "limit": 1}
        )
    assert described["points"] == 5
    assert found.json()["results"][0]["id"] == "cat-rug"
    assert (tmp_path / "data" / "embeddings" / "collections" / "kept" / "collection.json").exists()


BAD_NAMES = ["../x", "a/b", "%2e%2e", "", "x" * 64, "..", "Notes", "a b", "-x", "a\\b"]


@pytest.mark.parametrize("store", STORES)
async def test_bad_collection_names_are_a_400_stating_the_pattern(
    tmp_path: Path, cluster: SimCluster, store: str
) -> None:
    async with open_gateway(tmp_path, cluster, **store_settings(store, tmp_path)) as gw:
        for name in BAD_NAMES:
            response = await create(gw, name)
            assert response.status_code == 400, (name, response.text)
            error = response.json()["error"]
            assert "^[a-z0-9][a-z0-9_-]{0,62}$" in error["message"]
            assert error["detail"]["pattern"] == "^[a-z0-9][a-z0-9_-]{0,62}$"
        # In the path: the URL-decoded name reaches the check, never the store.
        for raw in ("%2e%2e", "..%2Fx", "x" * 64, "%2E%2E"):
            response = await gw.client.get(f"/api/collections/{raw}")
            assert response.status_code in (400, 404), raw
            if response.status_code == 404:
                assert "no collection" not in response.json()["error"]["message"], raw
        assert (await gw.client.get("/api/collections/%2e%2e")).status_code == 400
        assert (await gw.client.get("/api/collections")).json()["collections"] == []
    assert not (tmp_path / "data" / "embeddings" / "x").exists()


async def test_bad_documents_and_filters_are_4xx(tmp_path: Path, cluster: SimCluster) -> None:
    async with open_gateway(tmp_path, cluster) as gw:
        await create(gw, "notes")
        url = "/api/collections/notes/documents"
        for documents, status in [
            ([{"id": "../a", "text": "x"}], 400),
            ([{"id": "a", "text": "x"}, {"id": "a", "text": "y"}], 400),
            ([{"id": "a", "text": "x", "payload": {"_text": "sneaky"}}], 400),
            ([{"id": "a", "text": ""}], 422),
            ([], 422),
        ]:
            response = await gw.client.post(url, json={"documents": documents})
            assert response.status_code == status, (documents, response.text)
        search = "/api/collections/notes/search"
        for body in [
            {"query": "x", "filter": {"must": [{"key": "../a", "match": {"value": 1}}]}},
            {"query": "x", "filter": {"must": [{"key": "a", "match": {}}]}},
            {"query": "x", "mode": "fuzzy"},
            {"query": "x", "limit": 0},
        ]:
            response = await gw.client.post(search, json=body)
            assert response.status_code == 422, (body, response.text)
        assert (await gw.client.get("/api/collections/notes")).json()["points"] == 0


UUID = "550e8400-e29b-41d4-a716-446655440000"


@pytest.mark.parametrize("store", STORES)
async def test_document_ids_may_be_what_qdrant_takes_integers_and_uuids(
    tmp_path: Path, cluster: SimCluster, store: str
) -> None:
    documents = [
        {"id": 0, "text": "The fan on spark-2 stopped."},
        {"id": 42, "text": "Invoice for March, paid."},
        {"id": 2**64 - 1, "text": "The cat slept on the rug."},
        {"id": "42", "text": "The string 42 is another document than the number."},
        {"id": UUID, "text": "Storm warning for Friday."},
        {"id": "note-1", "text": "Pizza recipe with basil."},
    ]
    async with open_gateway(tmp_path, cluster, **store_settings(store, tmp_path)) as gw:
        await create(gw, "notes")
        url = "/api/collections/notes"
        upserted = await gw.client.post(f"{url}/documents", json={"documents": documents})
        assert upserted.status_code == 200, upserted.text
        assert (await gw.client.get(url)).json()["points"] == 6
        found = (
            await gw.client.post(f"{url}/search", json={"query": "anything", "limit": 10})
        ).json()
        by_id = {(type(r["id"]).__name__, r["id"]): r["text"] for r in found["results"]}
        assert by_id == {(type(d["id"]).__name__, d["id"]): d["text"] for d in documents}
        # The same ids again replace, never add; a UUID is one id in any case.
        again = [
            {"id": 42, "text": "Invoice for March, unpaid."},
            {"id": UUID.upper(), "text": "x"},
        ]
        await gw.client.post(f"{url}/documents", json={"documents": again})
        assert (await gw.client.get(url)).json()["points"] == 6
        deleted = await gw.client.post(
            f"{url}/documents/delete", json={"ids": [42, UUID, 2**64 - 1]}
        )
        assert deleted.status_code == 200, deleted.text
        left = (await gw.client.post(f"{url}/search", json={"query": "x", "limit": 10})).json()
        assert sorted(map(str, ids(left))) == ["0", "42", "note-1"]
        assert "42" in ids(left) and 0 in ids(left)


BAD_IDS: list[Any] = [-1, 2**64, 1.5, True, None, [], {"n": 1}, "../a", "", "a b"]


async def test_any_other_document_id_is_a_400_saying_what_is_accepted(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with open_gateway(tmp_path, cluster) as gw:
        await create(gw, "notes")
        url = "/api/collections/notes/documents"
        for bad in BAD_IDS:
            for response in (
                await gw.client.post(url, json={"documents": [{"id": bad, "text": "x"}]}),
                await gw.client.post(f"{url}/delete", json={"ids": ["fine", bad]}),
            ):
                assert response.status_code == 400, (bad, response.text)
                message = response.json()["error"]["message"]
                assert "invalid document id" in message and "unsigned integer" in message, message
        twice = [{"id": 7, "text": "x"}, {"id": 7, "text": "y"}]
        assert (await gw.client.post(url, json={"documents": twice})).status_code == 400
        assert (await gw.client.get("/api/collections/notes")).json()["points"] == 0
        openapi = (await gw.client.get("/openapi.json")).json()
    id_schema = openapi["components"]["schemas"]["DocumentIn"]["properties"]["id"]
    # FastAPI's OpenAPI model keeps ``maximum`` as a float: 2^64 - 1 shows as 2^64.
    assert [(k["type"], k.get("maximum")) for k in id_schema["anyOf"]] == [
        ("string", None),
        ("integer", pytest.approx(2**64 - 1)),
    ]


async def test_uuid_documents_kept_by_an_earlier_release_are_replaced_and_deleted(
    tmp_path: Path, cluster: SimCluster
) -> None:
    """Earlier releases kept every string id, a UUID too, at a point id derived from it;
    a UUID is now its own point id. The old copy must not linger beside the new one."""
    other = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
    old = EdgeStore(tmp_path / "data" / "embeddings" / "collections", asyncio.to_thread)
    await old.create("notes", CollectionSpec(1024, "model"))
    vector = [1.0] + [0.0] * 1023
    await old.upsert(
        "notes",
        [
            StoredPoint(i, derived_point_id(i), f"Old note {i}.", {}, vector, Sparse([1], [1.0]))
            for i in (UUID, other)
        ],
    )
    await old.close()
    async with open_gateway(tmp_path, cluster) as gw:
        url = "/api/collections/notes"
        assert (await gw.client.get(url)).json()["points"] == 2
        replaced = {"documents": [{"id": UUID, "text": "Storm warning for Friday."}]}
        assert (await gw.client.post(f"{url}/documents", json=replaced)).status_code == 200
        assert (await gw.client.get(url)).json()["points"] == 2
        found = (await gw.client.post(f"{url}/search", json={"query": "storm"})).json()
        assert sorted((r["id"], r["text"]) for r in found["results"]) == sorted(
            [(UUID, "Storm warning for Friday."), (other, f"Old note {other}.")]
        )
        # The one nobody re-upserted is still where the old release put it: delete finds it.
        await gw.client.post(f"{url}/documents/delete", json={"ids": [other]})
        assert (await gw.client.get(url)).json()["points"] == 1


async def test_a_blank_query_is_a_400_as_a_blank_text_is_to_embed(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with open_gateway(tmp_path, cluster) as gw:
        await load_corpus(gw, "notes")
        for blank in ("", "   ", "\t\n ", "\u00a0"):
            for mode in ("dense", "sparse", "hybrid"):
                response = await gw.client.post(
                    "/api/collections/notes/search", json={"query": blank, "mode": mode}
                )
                assert response.status_code == 400, (blank, mode, response.text)
                error = response.json()["error"]
                assert "blank" in error["message"]
                assert error["detail"] == {"field": "query"}
            reranked = await gw.client.post(
                "/api/rerank", json={"query": blank, "documents": ["The fan stopped."]}
            )
            assert reranked.status_code == 400, reranked.text
        embedded = await gw.client.post("/api/embed", json={"input": "   "})
        assert embedded.status_code == 400


async def test_a_larger_backend_vector_than_the_collection_holds_is_a_409(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with open_gateway(tmp_path, cluster) as gw:
        await create(gw, "small", dense_size=8)
        response = await gw.client.post(
            "/api/collections/small/documents", json={"documents": [{"id": "a", "text": "x"}]}
        )
        searched = await gw.client.post("/api/collections/small/search", json={"query": "x"})
    assert response.status_code == 409
    assert "1024 dimensions" in response.json()["error"]["message"]
    assert searched.status_code == 409
    assert searched.json()["error"]["type"] == "dimension_mismatch"


# -- /v1/embeddings ------------------------------------------------------------------


class FallbackProxy:
    """Stands in for the vllm proxy: the /v1 fallback, answering who it is."""

    @hookimpl
    def spark_routes(self, host: Any, register: Any) -> None:
        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-type", b"application/json")],
                }
            )
            await send({"type": "http.response.body", "body": b'{"answered_by": "fallback"}'})

        register.v1_fallback(app)


async def test_v1_embeddings_answers_own_models_and_leaves_others_to_the_fallback(
    tmp_path: Path, cluster: SimCluster
) -> None:
    config = make_config(
        tmp_path,
        {"nodes": cluster.topology_config(), "plugins": {"enabled": ["embeddings"]}},
    )
    async with running_gateway(config, extra_plugins={"proxy": FallbackProxy()}) as gw:
        ours = await gw.client.post("/v1/embeddings", json={"model": "bge-m3", "input": ["a", "b"]})
        theirs = await gw.client.post(
            "/v1/embeddings", json={"model": "Qwen/Qwen3-Embedding-8B", "input": "a"}
        )
        b64 = await gw.client.post(
            "/v1/embeddings", json={"model": "bge-m3", "input": "a", "encoding_format": "base64"}
        )
        bad = await gw.client.post("/v1/embeddings", json={"model": "bge-m3", "input": [1, 2]})
    assert ours.status_code == 200, ours.text
    body = ours.json()
    assert body["object"] == "list" and body["model"] == "bge-m3"
    assert [d["index"] for d in body["data"]] == [0, 1]
    assert len(body["data"][0]["embedding"]) == 1024
    assert theirs.json() == {"answered_by": "fallback"}
    import base64
    import struct

    raw = base64.b64decode(b64.json()["data"][0]["embedding"])
    floats = struct.unpack(f"<{len(raw) // 4}f", raw)
    assert floats == pytest.approx(body["data"][0]["embedding"], abs=1e-6)
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == 400 and "token arrays" in bad.json()["error"]["message"]


# -- health --------------------------------------------------------------------------


async def test_health_shows_the_embedding_service_and_the_store(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with open_gateway(tmp_path, cluster) as gw:
        await create(gw, "notes")
        probes: dict[str, Any] = {}
        for _ in range(100):
            probes = (await gw.client.get("/api/health")).json()["probes"]
            states = {probes.get(name, {}).get("state") for name in ("embeddings", "qdrant")}
            if states == {"ok"}:
                break
            await asyncio.sleep(0.1)
        deep = (await gw.client.get("/api/health/deep")).json()["probes"]
    assert probes["embeddings"]["state"] == "ok"
    assert probes["qdrant"]["state"] == "ok"
    assert deep["qdrant"]["detail"] == "embedded store (qdrant-edge), 1 collection(s)"


# -- the demo's sample collection ---------------------------------------------------


async def test_the_sample_corpus_fills_its_collection_once(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with open_gateway(tmp_path, cluster, sample_corpus=str(SAMPLE_CORPUS)) as gw:
        described: dict[str, Any] = {}
        for _ in range(100):
            response = await gw.client.get("/api/collections/demo")
            described = response.json()
            if response.status_code == 200 and described["points"] == len(CORPUS):
                break
            await asyncio.sleep(0.1)
        assert described["points"] == len(CORPUS)
        await gw.client.post("/api/collections/demo/documents/delete", json={"ids": ["pizza"]})
    # A restart leaves the collection as the user left it.
    async with open_gateway(tmp_path, cluster, sample_corpus=str(SAMPLE_CORPUS)) as gw:
        await asyncio.sleep(0.5)
        assert (await gw.client.get("/api/collections/demo")).json()["points"] == len(CORPUS) - 1


async def test_hybrid_prefetches_reach_past_the_requested_page(
    tmp_path: Path, cluster: SimCluster
) -> None:
    # Prefetches of 2 could not fill a page at offset 6; they bring limit + offset.
    async with open_gateway(tmp_path, cluster, prefetch_limit=2) as gw:
        await load_corpus(gw, "notes")
        url = "/api/collections/notes/search"
        whole = await gw.client.post(url, json={"query": "hardware failure", "limit": 9})
        page = await gw.client.post(
            url, json={"query": "hardware failure", "limit": 3, "offset": 6}
        )
    assert len(page.json()["results"]) == 3
    assert [r["id"] for r in page.json()["results"]] == [r["id"] for r in whole.json()["results"]][
        6:
    ]


async def test_a_collection_keeps_its_sparse_kind_when_the_backend_changes(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with open_gateway(tmp_path, cluster, backend="bge-m3") as gw:
        await load_corpus(gw, "notes")
    # The OpenAI API gives no sparse vectors: the model's cannot be made for a query.
    async with open_gateway(tmp_path, cluster, backend="openai") as gw:
        url = "/api/collections/notes/search"
        hybrid = await gw.client.post(url, json={"query": "XJ-4471"})
        dense = await gw.client.post(url, json={"query": "feline napping", "mode": "dense"})
        created = await create(gw, "fresh")
    assert hybrid.status_code == 409
    assert hybrid.json()["error"]["type"] == "sparse_unavailable"
    assert dense.status_code == 200
    assert dense.json()["results"][0]["id"] == "cat-rug"
    assert created.json()["sparse"] == "bm25"
