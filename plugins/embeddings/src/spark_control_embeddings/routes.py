"""The embeddings plugin's HTTP API: ``/api/embed``, ``/api/rerank`` and the
collections under ``/api/collections`` (create, list, describe, delete; upsert and
delete documents; search). ``/v1/embeddings`` lives in ``v1.py``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from spark_control.api import Host, SparkError, requires
from spark_control_embeddings.schemas import (
    MAX_TEXT,
    MAX_TEXTS,
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
from spark_control_embeddings.service import Document, EmbeddingService, SearchOptions
from spark_control_embeddings.settings import EmbeddingsSettings

# Embedding, reranking and searching answer from their input and change nothing stored:
# inference, so any key may (docs/SECURITY.md). Writing collections keeps "admin".
INFERENCE = [requires("read")]
CREATE_ACTION, DELETE_ACTION = "embeddings.collection_create", "embeddings.collection_delete"
#: Published after a collection is created, deleted or its documents change:
#: ``{"collection": name, "change": "created" | "deleted" | "documents"}``.
CHANGED_EVENT = "embeddings.collection_changed"


def router(
    host: Host, settings: EmbeddingsSettings, service: Callable[[], EmbeddingService]
) -> APIRouter:
    api = APIRouter(tags=["embeddings"])

    async def audit(request: Request, action: str, target: str, result: str) -> None:
        await host.audit.record(
            action,
            actor=(request.headers.get("x-actor") or "anonymous")[:100],
            origin=request.client.host if request.client else "unknown",
            target=target,
            result=result,
        )

    def changed(name: str, change: str) -> None:
        data = {"collection": name, "change": change}
        host.events.publish(CHANGED_EVENT, data, source="embeddings")

    @api.post(
        "/api/embed",
        summary="Dense and/or sparse vectors of texts",
        response_model=EmbedResponse,
        dependencies=INFERENCE,
    )
    async def embed(body: EmbedRequest) -> EmbedResponse:
        texts = body.texts()
        check_texts(texts)
        model = body.model or settings.models[0]
        if model not in settings.models:
            raise SparkError(
                f"model {model!r} is not served here; this plugin serves {settings.models}",
                status=404,
                type="model_not_found",
            )
        if not (body.dense or body.sparse):
            raise SparkError("ask for dense, sparse or both", status=400)
        embedder = service().embedder
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

    @api.post(
        "/api/rerank",
        dependencies=INFERENCE,
        summary="Order documents by relevance to a query",
        response_model=RerankResponse,
    )
    async def rerank(body: RerankRequest) -> RerankResponse:
        check_query(body.query)
        check_texts(body.documents)
        if not settings.rerank:
            raise SparkError("no reranker is configured (embeddings.rerank is off)", status=409)
        scores = await service().embedder.backend.rerank(body.query, body.documents)
        order = sorted(range(len(scores)), key=lambda i: scores[i], reverse=True)
        if body.top_n is not None:
            order = order[: body.top_n]
        return RerankResponse(
            results=[
                RerankResult(index=i, score=scores[i], document=body.documents[i]) for i in order
            ]
        )

    @api.get(
        "/api/collections",
        summary="Collections with their point counts",
        response_model=CollectionList,
    )
    async def list_collections() -> CollectionList:
        svc = service()
        infos = await svc.store.collections()
        return CollectionList(
            store=svc.store.kind, collections=[CollectionOut(**i.to_dict()) for i in infos]
        )

    @api.post(
        "/api/collections",
        summary="Create a collection",
        status_code=201,
        response_model=CollectionOut,
    )
    async def create_collection(body: CreateCollection, request: Request) -> CollectionOut:
        try:
            info = await service().create(body.name, body.dense_size)
        except SparkError as exc:
            await audit(request, CREATE_ACTION, body.name[:80], f"refused: {exc.message}"[:200])
            raise
        await audit(request, CREATE_ACTION, body.name, "ok")
        changed(body.name, "created")
        return CollectionOut(**info.to_dict())

    @api.get(
        "/api/collections/{name}", summary="Describe a collection", response_model=CollectionOut
    )
    async def describe_collection(name: str) -> CollectionOut:
        return CollectionOut(**(await service().describe(name)).to_dict())

    @api.delete(
        "/api/collections/{name}",
        summary="Delete a collection and every document in it",
        status_code=204,
    )
    async def delete_collection(name: str, request: Request) -> None:
        await service().delete(name)
        await audit(request, DELETE_ACTION, name, "ok")
        changed(name, "deleted")

    @api.post(
        "/api/collections/{name}/documents",
        summary="Embed and upsert documents (same id: replaced)",
        response_model=UpsertResponse,
    )
    async def upsert(name: str, body: UpsertRequest) -> UpsertResponse:
        documents = [Document(d.id, d.text, d.payload) for d in body.documents]
        timing = await service().upsert(name, documents)
        changed(name, "documents")
        return UpsertResponse(upserted=len(documents), timing=timing)

    @api.post(
        "/api/collections/{name}/documents/delete",
        summary="Delete documents by id (unknown ids are ignored)",
    )
    async def delete_documents(name: str, body: DeleteDocuments) -> dict[str, Any]:
        await service().delete_documents(name, body.ids)
        changed(name, "documents")
        return {"deleted": len(body.ids)}

    @api.post(
        "/api/collections/{name}/search",
        dependencies=INFERENCE,
        summary="Search a collection: dense, sparse or hybrid, optional rerank",
        response_model=SearchResponse,
    )
    async def search(name: str, body: SearchRequest) -> JSONResponse:
        check_query(body.query)
        rerank = body.rerank is not False
        if rerank and not settings.rerank:
            raise SparkError("no reranker is configured (embeddings.rerank is off)", status=409)
        candidates = settings.rerank_candidates
        if not isinstance(body.rerank, bool) and body.rerank.candidates is not None:
            candidates = body.rerank.candidates
        outcome = await service().search(
            name,
            body.query,
            SearchOptions(
                mode=body.mode,
                limit=body.limit,
                offset=body.offset,
                filter=body.filter,
                rerank=rerank,
                prefetch_limit=settings.prefetch_limit,
                fusion=body.fusion or settings.fusion,
                rrf_k=settings.rrf_k,
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

    return api


def check_query(query: str) -> None:
    """A query of only whitespace matches nothing meaningful: a 400, as for a text."""
    if not query.strip():
        raise SparkError(
            "the query is blank (empty or only whitespace): give some words to search for",
            status=400,
            detail={"field": "query"},
        )


def check_texts(texts: list[str]) -> None:
    """Every text non-empty and not huge; not too many of them (400 naming which)."""
    if not texts or len(texts) > MAX_TEXTS:
        raise SparkError(f"give 1 to {MAX_TEXTS} texts (got {len(texts)})", status=400)
    for i, text in enumerate(texts):
        if not text.strip():
            raise SparkError(f"text {i} is empty", status=400, detail={"index": i})
        if len(text) > MAX_TEXT:
            raise SparkError(
                f"text {i} has {len(text)} characters; the limit is {MAX_TEXT}",
                status=400,
                detail={"index": i},
            )
