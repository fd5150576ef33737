"""Dense and sparse vectors for texts: the backend's, and the gateway's own BM25 when a
collection asks for sparse vectors the backend cannot give.

A collection keeps one kind of sparse vector for its life: ``model`` (the backend's,
e.g. bge-m3's lexical weights) or ``bm25`` (computed here with the BM25 model that ships
in qdrant-edge-py: tokenizer, stemming and stop words; the collection's sparse field
carries the IDF modifier so Qdrant weighs rare terms up at query time).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from qdrant_edge import Bm25

from spark_control.api import SparkError
from spark_control_embeddings.backends import Backend, Embedding, Sparse

SparseKind = Literal["model", "bm25"]
Purpose = Literal["document", "query"]
RunBlocking = Callable[..., Awaitable[Any]]


@dataclass(slots=True)
class Embedded:
    vectors: list[Embedding]
    #: Milliseconds spent waiting for the backend (benchmarks leave it out).
    backend_ms: float


class Embedder:
    def __init__(self, backend: Backend, run_blocking: RunBlocking) -> None:
        self.backend = backend
        self._run_blocking = run_blocking
        self._bm25 = Bm25()

    @property
    def sparse_kind(self) -> SparseKind:
        """The sparse vectors a new collection gets: the backend's if it has them."""
        return "model" if self.backend.gives_sparse else "bm25"

    async def embed(
        self,
        texts: Sequence[str],
        *,
        dense: bool = True,
        sparse: SparseKind | None = None,
        purpose: Purpose = "document",
    ) -> Embedded:
        if sparse == "model" and not self.backend.gives_sparse:
            raise SparkError(
                "this collection holds the embedding model's sparse vectors, but the "
                f"configured {self.backend.name!r} backend gives none; use a dense search "
                "or switch back to a backend with sparse vectors",
                status=409,
                type="sparse_unavailable",
            )
        started = time.perf_counter()
        if dense or sparse == "model":
            vectors = await self.backend.embed(texts, dense=dense, sparse=sparse == "model")
        else:
            vectors = [Embedding() for _ in texts]
        backend_ms = (time.perf_counter() - started) * 1000
        if sparse == "bm25":
            bm25 = await self._run_blocking(self.bm25, list(texts), purpose)
            for vector, weights in zip(vectors, bm25, strict=True):
                vector.sparse = weights
        return Embedded(vectors, backend_ms)

    def bm25(self, texts: list[str], purpose: Purpose) -> list[Sparse]:
        """BM25 sparse vectors (blocking: call through ``run_blocking``). A query gets
        weight 1 per unique term; a document term-frequency weights."""
        embed = self._bm25.embed_query if purpose == "query" else self._bm25.embed_document
        out = []
        for text in texts:
            vector = embed(text)
            out.append(Sparse(list(vector.indices), list(vector.values)))
        return out
