"""Search on the committed corpus, the same tests on both store implementations (the
embedded qdrant-edge store; the remote one through qdrant-client's local mode) and
with both kinds of sparse vectors (the bge-m3 worker's lexical weights; the gateway's
own BM25 when the backend, here the OpenAI API, gives none)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway
from tests.embeddings.conftest import (
    CORPUS,
    STORE_BACKENDS,
    ids,
    load_corpus,
    open_store_backend,
    search,
    sim_cluster,
)

KEYWORD_QUERY = "error code XJ-4471"  # the answer shares the rare code, not the meaning
MEANING_QUERY = "feline napping on a carpet"  # the answer shares the meaning, no word
BOTH_QUERY = "XJ-4471 feline napping on a carpet"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("embeddings-search"), "127.0.3.10") as sim:
        yield sim


@pytest.fixture(params=STORE_BACKENDS, ids="-".join)
async def gw(
    request: pytest.FixtureRequest, tmp_path: Path, cluster: SimCluster
) -> AsyncIterator[RunningGateway]:
    async with open_store_backend(tmp_path, cluster, request.param) as gateway:
        await load_corpus(gateway, "notes")
        yield gateway


async def test_rare_keyword_query_is_found_by_sparse_and_hybrid_not_dense(
    gw: RunningGateway,
) -> None:
    sparse = ids(await search(gw, "notes", KEYWORD_QUERY, mode="sparse", limit=3))
    hybrid = ids(await search(gw, "notes", KEYWORD_QUERY, mode="hybrid", limit=3))
    dense = ids(await search(gw, "notes", KEYWORD_QUERY, mode="dense", limit=3))
    assert sparse[0] == "code-xj"
    assert "code-xj" in hybrid
    assert dense[0] != "code-xj"  # dense ranks the general failure reports first


async def test_meaning_only_query_is_found_by_dense_and_hybrid_not_sparse(
    gw: RunningGateway,
) -> None:
    dense = ids(await search(gw, "notes", MEANING_QUERY, mode="dense", limit=3))
    hybrid = ids(await search(gw, "notes", MEANING_QUERY, mode="hybrid", limit=3))
    sparse = ids(await search(gw, "notes", MEANING_QUERY, mode="sparse", limit=10))
    assert dense[0] == "cat-rug"
    assert "cat-rug" in hybrid
    assert "cat-rug" not in sparse  # no word in common


async def test_hybrid_top_results_hold_the_keyword_and_the_meaning_answer(
    gw: RunningGateway,
) -> None:
    hybrid = ids(await search(gw, "notes", BOTH_QUERY, mode="hybrid", limit=2))
    assert set(hybrid) == {"code-xj", "cat-rug"}
    dense = ids(await search(gw, "notes", BOTH_QUERY, mode="dense", limit=2))
    sparse = ids(await search(gw, "notes", BOTH_QUERY, mode="sparse", limit=2))
    assert "code-xj" not in dense
    assert "cat-rug" not in sparse


async def test_results_carry_text_and_payload(gw: RunningGateway) -> None:
    answer = await search(gw, "notes", MEANING_QUERY, mode="dense", limit=1)
    top = answer["results"][0]
    assert top["text"] == next(d["text"] for d in CORPUS if d["id"] == "cat-rug")
    assert top["payload"] == {"topic": "pets", "year": 2023}
    assert set(answer["timing"]) == {"backend_ms", "store_ms", "rerank_ms", "total_ms"}


async def test_payload_filter_keeps_only_matching_documents(gw: RunningGateway) -> None:
    answer = await search(
        gw,
        "notes",
        "hardware trouble with the fan",
        limit=20,
        filter={
            "must": [{"key": "topic", "match": {"value": "hardware"}}],
            "must_not": [{"key": "year", "range": {"lt": 2024}}],
        },
    )
    expected = {
        d["id"]
        for d in CORPUS
        if d["payload"]["topic"] == "hardware" and d["payload"]["year"] >= 2024
    }
    assert set(ids(answer)) <= expected
    assert "fan-spark2" in ids(answer)
    any_of = await search(
        gw,
        "notes",
        "pets",
        mode="dense",
        limit=20,
        filter={"must": [{"key": "topic", "match": {"any": ["food", "car"]}}]},
    )
    assert {r["payload"]["topic"] for r in any_of["results"]} == {"food", "car"}


@pytest.mark.parametrize("mode", ["dense", "hybrid"])
async def test_pages_follow_each_other_without_gaps_or_repeats(
    gw: RunningGateway, mode: str
) -> None:
    whole = ids(await search(gw, "notes", "hardware failure", mode=mode, limit=9))
    pages = []
    for offset in (0, 3, 6):
        pages += ids(
            await search(gw, "notes", "hardware failure", mode=mode, limit=3, offset=offset)
        )
    assert pages == whole
    assert len(set(pages)) == 9


async def test_rerank_reorders_candidates_by_the_reranker(gw: RunningGateway) -> None:
    answer = await search(
        gw, "notes", "the GPU fan overheated", mode="hybrid", limit=3, rerank=True
    )
    assert answer["reranked"] is True
    scores = [r["score"] for r in answer["results"]]
    assert scores == sorted(scores, reverse=True)
    assert all(r["retrieval_score"] is not None for r in answer["results"])
    assert answer["results"][0]["id"] == "fan-spark2"
    assert answer["timing"]["rerank_ms"] > 0


async def test_upsert_replaces_and_delete_removes_documents(gw: RunningGateway) -> None:
    changed = {
        "id": "cat-rug",
        "text": "Quarterly invoice totals for the billing team.",
        "payload": {"topic": "finance"},
    }
    response = await gw.client.post(
        "/api/collections/notes/documents", json={"documents": [changed]}
    )
    assert response.status_code == 200
    described = (await gw.client.get("/api/collections/notes")).json()
    assert described["points"] == len(CORPUS)
    assert "cat-rug" not in ids(await search(gw, "notes", MEANING_QUERY, mode="dense", limit=3))
    response = await gw.client.post(
        "/api/collections/notes/documents/delete", json={"ids": ["cat-rug", "code-xj"]}
    )
    assert response.status_code == 200
    assert (await gw.client.get("/api/collections/notes")).json()["points"] == len(CORPUS) - 2
    assert "code-xj" not in ids(await search(gw, "notes", KEYWORD_QUERY, mode="sparse", limit=5))
