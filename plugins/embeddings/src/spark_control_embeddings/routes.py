"""The embeddings plugin's HTTP API: ``/api/embeddings/embed``,
``/api/embeddings/rerank`` and the collections under ``/api/embeddings/collections``
(create, list, describe, delete; upsert and delete documents; search). The older paths
(``/api/embed``, ``/api/rerank``, ``/api/collections/…``) stay served as deprecated
aliases (:data:`ALIASES`). ``/v1/embeddings`` lives in ``v1.py``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from spark_control.api import Host, SparkError, plugin_instance, requires
from spark_control_embeddings.inputs import check_query, check_texts
from spark_control_embeddings.plugin import EmbeddingsPlugin
from spark_control_embeddings.schemas import (
    CollectionList,
    CollectionOut,
    CreateCollection,
    DeleteDocuments,
    EmbeddingOut,
    EmbedRequest,
    EmbedResponse,
    RerankRequest,
    RerankResponse,
    RerankResult,
    SearchRequest,
    SearchResponse,
    SparseOut,
    UpsertRequest,
    UpsertResponse,
)
from spark_control_embeddings.service import Document, SearchOptions

# Embedding, reranking and searching answer from their input and change nothing stored:
# inference, so any key may (docs/SECURITY.md). Writing collections keeps "admin".
INFERENCE = [requires("read")]
CREATE_ACTION, DELETE_ACTION = "embeddings.collection_create", "embeddings.collection_delete"
#: Published after a collection is created, deleted or its documents change:
#: ``{"collection": name, "change": "created" | "deleted" | "documents"}``.
CHANGED_EVENT = "embeddings.collection_changed"


EMBED = "/api/embeddings/embed"
RERANK = "/api/embeddings/rerank"
COLLECTIONS = "/api/embeddings/collections"
COLLECTION = "/api/embeddings/collections/{name}"
DOCUMENTS = "/api/embeddings/collections/{name}/documents"
DELETE_DOCUMENTS = "/api/embeddings/collections/{name}/documents/delete"
SEARCH = "/api/embeddings/collections/{name}/search"
ALIASES = {
    "/api/embed": EMBED,
    "/api/rerank": RERANK,
    "/api/collections": COLLECTIONS,
    "/api/collections/{name}": COLLECTION,
    "/api/collections/{name}/documents": DOCUMENTS,
    "/api/collections/{name}/documents/delete": DELETE_DOCUMENTS,
    "/api/collections/{name}/search": SEARCH,
}
"""Old path: new path (the old one stays served, deprecated)."""

Embeddings = Annotated[EmbeddingsPlugin, Depends(plugin_instance(EmbeddingsPlugin))]

router = APIRouter(tags=["embeddings"])


async def audit(host: Host, request: Request, action: str, target: str, result: str) -> None:
    await host.audit.record(
        action,
        actor=(request.headers.get("x-actor") or "anonymous")[:100],
        origin=request.client.host if request.client else "unknown",
        target=target,
        result=result,
    )


def changed(host: Host, name: str, change: str) -> None:
    data = {"collection": name, "change": change}
    host.events.publish(CHANGED_EVENT, data, source="embeddings")


@router.post(
    EMBED,
    summary="Dense and/or sparse vectors of texts",
    response_model=EmbedResponse,
    dependencies=INFERENCE,
)
async def embed(plugin: Embeddings, body: EmbedRequest) -> EmbedResponse:
    texts = body.texts()
    check_texts(texts)
    model = body.model or plugin.settings.models[0]
    if model not in plugin.settings.models:
        raise SparkError(
            f"model {model!r} is not served here; this plugin serves {plugin.settings.models}",
            status=404,
            type="model_not_found",
        )
    if not (body.dense or body.sparse):
        raise SparkError("ask for dense, sparse or both", status=400)
    embedder = plugin.service().embedder
    kind = embedder.sparse_kind if body.sparse else None
    embedded = await embedder.embed(texts, dense=body.dense, sparse=kind, purpose=body.purpose)
    return EmbedResponse(
        model=model,
        sparse_kind=kind,
        data=[
            EmbeddingOut(
                index=i,
                dense=v.dense,
                sparse=SparseOut(**v.sparse.to_dict()) if v.sparse else None,
            )
            for i, v in enumerate(embedded.vectors)
        ],
    )


@router.post(
    RERANK,
    dependencies=INFERENCE,
    summary="Order documents by relevance to a query",
    response_model=RerankResponse,
)
async def rerank(plugin: Embeddings, body: RerankRequest) -> RerankResponse:
    check_query(body.query)
    check_texts(body.documents)
    if not plugin.settings.rerank:
        raise SparkError("no reranker is configured (embeddings.rerank is off)", status=409)
    scores = await plugin.service().embedder.backend.rerank(body.query, body.documents)
    order = sorted(range(len(scores)), key=lambda i: scores[i], reverse=True)
    if body.top_n is not None:
        order = order[: body.top_n]
    return RerankResponse(
        results=[RerankResult(index=i, score=scores[i], document=body.documents[i]) for i in order]
    )


@router.get(
    COLLECTIONS,
    summary="Collections with their point counts",
    response_model=CollectionList,
)
async def list_collections(
    plugin: Embeddings,
) -> CollectionList:
    svc = plugin.service()
    infos = await svc.store.collections()
    return CollectionList(
        store=svc.store.kind, collections=[CollectionOut(**i.to_dict()) for i in infos]
    )


@router.post(
    COLLECTIONS,
    summary="Create a collection",
    status_code=201,
    response_model=CollectionOut,
)
async def create_collection(
    plugin: Embeddings, body: CreateCollection, request: Request
) -> CollectionOut:
    try:
        info = await plugin.service().create(body.name, body.dense_size)
    except SparkError as exc:
        await audit(
            plugin.host, request, CREATE_ACTION, body.name[:80], f"refused: {exc.message}"[:200]
        )
        raise
    await audit(plugin.host, request, CREATE_ACTION, body.name, "ok")
    changed(plugin.host, body.name, "created")
    return CollectionOut(**info.to_dict())


@router.get(COLLECTION, summary="Describe a collection", response_model=CollectionOut)
async def describe_collection(plugin: Embeddings, name: str) -> CollectionOut:
    return CollectionOut(**(await plugin.service().describe(name)).to_dict())


@router.delete(
    COLLECTION,
    summary="Delete a collection and every document in it",
    status_code=204,
)
async def delete_collection(plugin: Embeddings, name: str, request: Request) -> None:
    await plugin.service().delete(name)
    await audit(plugin.host, request, DELETE_ACTION, name, "ok")
    changed(plugin.host, name, "deleted")


@router.post(
    DOCUMENTS,
    summary="Embed and upsert documents (same id: replaced)",
    response_model=UpsertResponse,
)
async def upsert(plugin: Embeddings, name: str, body: UpsertRequest) -> UpsertResponse:
    documents = [Document(d.id, d.text, d.payload) for d in body.documents]
    timing = await plugin.service().upsert(name, documents)
    changed(plugin.host, name, "documents")
    return UpsertResponse(upserted=len(documents), timing=timing)


@router.post(
    DELETE_DOCUMENTS,
    summary="Delete documents by id (unknown ids are ignored)",
)
async def delete_documents(plugin: Embeddings, name: str, body: DeleteDocuments) -> dict[str, Any]:
    await plugin.service().delete_documents(name, body.ids)
    changed(plugin.host, name, "documents")
    return {"deleted": len(body.ids)}


@router.post(
    SEARCH,
    dependencies=INFERENCE,
    summary="Search a collection: dense, sparse or hybrid, optional rerank",
    response_model=SearchResponse,
)
async def search(plugin: Embeddings, name: str, body: SearchRequest) -> JSONResponse:
    check_query(body.query)
    rerank = body.rerank is not False
    if rerank and not plugin.settings.rerank:
        raise SparkError("no reranker is configured (embeddings.rerank is off)", status=409)
    candidates = plugin.settings.rerank_candidates
    if not isinstance(body.rerank, bool) and body.rerank.candidates is not None:
        candidates = body.rerank.candidates
    outcome = await plugin.service().search(
        name,
        body.query,
        SearchOptions(
            mode=body.mode,
            limit=body.limit,
            offset=body.offset,
            filter=body.filter,
            rerank=rerank,
            prefetch_limit=plugin.settings.prefetch_limit,
            fusion=body.fusion or plugin.settings.fusion,
            rrf_k=plugin.settings.rrf_k,
            rerank_candidates=candidates,
        ),
    )
    # The hot path: a plain JSONResponse skips FastAPI's second validation of the
    # response model (SearchResponse still documents the shape in OpenAPI).
    return JSONResponse(
        {
            "collection": name,
            "mode": body.mode,
            "reranked": outcome.reranked,
            "results": [
                {
                    "id": h.doc_id,
                    "score": h.score,
                    "text": h.text,
                    "payload": h.payload,
                    "retrieval_score": h.retrieval_score,
                }
                for h in outcome.hits
            ],
            "timing": outcome.timing,
        }
    )
