"""The plugin's work behind its routes: embedding documents on their way into a
collection, searching (dense, sparse or hybrid) with an optional rerank stage."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from spark_control.api import SparkError
from spark_control_embeddings.embedder import Embedder
from spark_control_embeddings.filters import PayloadFilter, index_kinds
from spark_control_embeddings.names import (
    RESERVED_KEYS,
    DocumentId,
    PointId,
    collection_name,
    document_id,
    legacy_point_id,
    point_id,
)
from spark_control_embeddings.store.base import (
    CollectionInfo,
    CollectionSpec,
    Fusion,
    Hit,
    Mode,
    Store,
    StoredPoint,
    StoreQuery,
)

# What a new collection's dense size is learnt from when the caller does not give it.
_PROBE_TEXT = "dimension probe"


@dataclass(slots=True)
class Document:
    id: DocumentId
    text: str
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class SearchOutcome:
    hits: list[Hit]
    timing: dict[str, float]
    reranked: bool


@dataclass(slots=True)
class SearchOptions:
    mode: Mode = "hybrid"
    limit: int = 10
    offset: int = 0
    filter: PayloadFilter | None = None
    rerank: bool = False
    prefetch_limit: int = 50
    fusion: Fusion = "dbsf"
    rrf_k: int = 60
    rerank_candidates: int = 50


class EmbeddingService:
    def __init__(self, embedder: Embedder, store: Store) -> None:
        self.embedder = embedder
        self.store = store

    async def create(self, name: str, dense_size: int | None) -> CollectionInfo:
        collection_name(name)
        if dense_size is None:
            probe = await self.embedder.embed([_PROBE_TEXT], dense=True)
            dense = probe.vectors[0].dense
            assert dense is not None
            dense_size = len(dense)
        spec = CollectionSpec(dense_size, self.embedder.sparse_kind)
        await self.store.create(name, spec)
        return CollectionInfo(name, 0, spec)

    async def describe(self, name: str) -> CollectionInfo:
        return await self.store.describe(collection_name(name))

    async def delete(self, name: str) -> None:
        await self.store.delete(collection_name(name))

    async def upsert(self, name: str, documents: list[Document]) -> dict[str, float]:
        """Embed and store ``documents``; the time spent in the backend and the store."""
        spec = await self._searchable(name)
        seen: set[PointId] = set()
        for doc in documents:
            document_id(doc.id)
            if point_id(doc.id) in seen:  # a UUID in two spellings is one point
                raise SparkError(f"document id {doc.id!r} appears twice in one request", status=400)
            seen.add(point_id(doc.id))
            reserved = RESERVED_KEYS & doc.payload.keys()
            if reserved:
                raise SparkError(
                    f"payload keys {sorted(reserved)} are kept by the gateway; rename them",
                    status=400,
                )
        embedded = await self.embedder.embed(
            [d.text for d in documents], dense=True, sparse=spec.sparse, purpose="document"
        )
        points = []
        for doc, vector in zip(documents, embedded.vectors, strict=True):
            assert vector.dense is not None and vector.sparse is not None
            if len(vector.dense) != spec.dense_size:
                raise _dimension_mismatch(name, len(vector.dense), spec.dense_size)
            points.append(
                StoredPoint(
                    doc.id, point_id(doc.id), doc.text, doc.payload, vector.dense, vector.sparse
                )
            )
        started = time.perf_counter()
        await self.store.upsert(name, points)
        # A UUID id another release kept at a derived point: the copy just written replaces it.
        legacy = [p for p in (legacy_point_id(d.id) for d in documents) if p is not None]
        if legacy:
            await self.store.delete_points(name, list(legacy))
        store_ms = (time.perf_counter() - started) * 1000
        return {"backend_ms": round(embedded.backend_ms, 3), "store_ms": round(store_ms, 3)}

    async def delete_documents(self, name: str, ids: list[object]) -> None:
        collection_name(name)
        valid = [document_id(i) for i in ids]
        points: list[PointId] = [point_id(i) for i in valid]
        points += [p for p in (legacy_point_id(i) for i in valid) if p is not None]
        await self.store.delete_points(name, points)

    async def search(self, name: str, query: str, options: SearchOptions) -> SearchOutcome:
        started = time.perf_counter()
        spec = await self._searchable(name)
        embedded = await self.embedder.embed(
            [query],
            dense=options.mode != "sparse",
            sparse=spec.sparse if options.mode != "dense" else None,
            purpose="query",
        )
        vector = embedded.vectors[0]
        if vector.dense is not None and len(vector.dense) != spec.dense_size:
            raise _dimension_mismatch(name, len(vector.dense), spec.dense_size)
        limit, offset = options.limit, options.offset
        if options.rerank:
            # The reranker orders a pool of candidates; the page is cut from its order.
            limit, offset = max(options.rerank_candidates, limit + offset), 0
        store_started = time.perf_counter()
        if options.filter is not None and not options.filter.is_empty():
            # Without a payload index a filter reads every candidate's payload: 7-8x
            # slower on 10k documents (bench/embeddings). Made once per key.
            await self.store.index_fields(name, index_kinds(options.filter))
        hits = await self.store.query(
            name,
            StoreQuery(
                mode=options.mode,
                limit=limit,
                offset=offset,
                dense=vector.dense,
                sparse=vector.sparse,
                prefetch_limit=options.prefetch_limit,
                fusion=options.fusion,
                rrf_k=options.rrf_k,
                filter=options.filter,
            ),
        )
        store_ms = (time.perf_counter() - store_started) * 1000
        rerank_ms = 0.0
        if options.rerank and hits:
            rerank_started = time.perf_counter()
            scores = await self.embedder.backend.rerank(query, [h.text for h in hits])
            rerank_ms = (time.perf_counter() - rerank_started) * 1000
            for hit, score in zip(hits, scores, strict=True):
                hit.retrieval_score = hit.score
                hit.score = score
            hits.sort(key=lambda h: h.score, reverse=True)
            hits = hits[options.offset : options.offset + options.limit]
        total_ms = (time.perf_counter() - started) * 1000
        timing = {
            "backend_ms": round(embedded.backend_ms, 3),
            "store_ms": round(store_ms, 3),
            "rerank_ms": round(rerank_ms, 3),
            "total_ms": round(total_ms, 3),
        }
        return SearchOutcome(hits, timing, options.rerank)

    async def _searchable(self, name: str) -> CollectionSpec:
        spec = await self.store.spec(collection_name(name))
        if spec is None:
            raise SparkError(
                f"collection {name!r} was not created by the gateway (it lacks the 'dense' "
                "and 'sparse' named vectors)",
                status=409,
                type="foreign_collection",
            )
        return spec


def _dimension_mismatch(name: str, got: int, holds: int) -> SparkError:
    return SparkError(
        f"the backend's vectors have {got} dimensions but collection {name!r} holds {holds}: "
        "it was made with another embedding model",
        status=409,
        type="dimension_mismatch",
    )
