"""One adapter per embedding backend API, behind one small interface.

- ``TeiBackend``: text-embeddings-inference (``/embed``, ``/embed_sparse``, ``/rerank``);
- ``OpenAIBackend``: an OpenAI-compatible ``/v1/embeddings`` (dense only);
- ``BgeM3Backend``: a bge-m3 worker answering dense vectors and lexical weights in one
  ``/encode`` call (its contract is in docs/EMBEDDINGS.md).

Every adapter splits a batch larger than the backend accepts into requests of at most
``max_batch`` texts and reassembles the answers in input order. A backend that fails
becomes a 502 carrying the backend's own message (504 when it does not answer in
time). The reranker is a TEI ``/rerank`` API for every backend.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from spark_control.api import SparkError


@dataclass(frozen=True, slots=True)
class Sparse:
    """A sparse vector: parallel lists of dimension indices and weights."""

    indices: list[int]
    values: list[float]

    def to_dict(self) -> dict[str, list[Any]]:
        return {"indices": self.indices, "values": self.values}


@dataclass(slots=True)
class Embedding:
    dense: list[float] | None = None
    sparse: Sparse | None = None


class BackendError(SparkError):
    """The embedding backend failed; the caller sees its message in a 502."""

    status = 502
    type = "backend_error"


class Backend:
    """The shared half of every adapter: HTTP, errors, batch splitting, rerank."""

    name = "backend"
    #: Whether the backend itself gives sparse vectors (else the gateway uses BM25).
    gives_sparse = False

    def __init__(
        self,
        client: httpx.AsyncClient,
        base_url: str,
        *,
        rerank_url: str | None,
        max_batch: int,
        api_key: str | None = None,
        model: str = "",
    ) -> None:
        self._client = client
        self.base_url = base_url.rstrip("/")
        self.rerank_url = rerank_url.rstrip("/") if rerank_url else None
        self.max_batch = max_batch
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.model = model

    async def embed(
        self, texts: Sequence[str], *, dense: bool = True, sparse: bool = False
    ) -> list[Embedding]:
        """Embeddings of ``texts`` in their order, in requests of at most ``max_batch``."""
        out: list[Embedding] = []
        for start in range(0, len(texts), self.max_batch):
            chunk = list(texts[start : start + self.max_batch])
            answer = await self._embed_chunk(
                chunk, dense=dense, sparse=sparse and self.gives_sparse
            )
            if len(answer) != len(chunk):
                raise BackendError(
                    f"the embedding backend answered {len(answer)} embeddings "
                    f"for {len(chunk)} texts"
                )
            out.extend(answer)
        return out

    async def _embed_chunk(self, texts: list[str], *, dense: bool, sparse: bool) -> list[Embedding]:
        raise NotImplementedError

    async def rerank(self, query: str, texts: Sequence[str]) -> list[float]:
        """A relevance score per text, in input order (higher is more relevant)."""
        if self.rerank_url is None:
            raise SparkError("no reranker is configured", status=409, type="no_reranker")
        scores: list[float] = []
        for start in range(0, len(texts), self.max_batch):
            chunk = list(texts[start : start + self.max_batch])
            answer = await self._post(
                f"{self.rerank_url}/rerank",
                {"query": query, "texts": chunk, "raw_scores": False},
                what="reranker",
            )
            by_index: dict[int, float] = {}
            try:
                for item in answer:
                    by_index[int(item["index"])] = float(item["score"])
                scores.extend(by_index[i] for i in range(len(chunk)))
            except (TypeError, KeyError, ValueError) as exc:
                raise _unexpected("reranker", exc) from None
        return scores

    async def health(self) -> tuple[bool, str]:
        try:
            response = await self._client.get(f"{self.base_url}/health", headers=self._headers)
        except httpx.HTTPError as exc:
            return False, f"{type(exc).__name__} on {self.base_url}/health"
        if response.status_code != 200:
            return False, f"/health answered {response.status_code}"
        return True, f"{self.name} backend answers"

    async def _post(
        self, url: str, body: dict[str, Any], *, what: str = "embedding backend"
    ) -> Any:
        try:
            response = await self._client.post(url, json=body, headers=self._headers)
        except httpx.TimeoutException:
            raise SparkError(
                f"the {what} at {url} did not answer in time", status=504, type="backend_timeout"
            ) from None
        except httpx.HTTPError as exc:
            raise BackendError(
                f"the {what} at {url} is unreachable: {type(exc).__name__} {exc}".strip()
            ) from None
        if response.status_code >= 400:
            raise BackendError(
                f"the {what} answered {response.status_code}: {_message_of(response)}",
                detail={"backend_status": response.status_code, "url": url},
            )
        try:
            return response.json()
        except ValueError as exc:
            raise _unexpected(what, exc) from None


class TeiBackend(Backend):
    name = "tei"

    def __init__(self, *args: Any, sparse: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gives_sparse = sparse

    async def _embed_chunk(self, texts: list[str], *, dense: bool, sparse: bool) -> list[Embedding]:
        out = [Embedding() for _ in texts]
        if dense:
            vectors = await self._post(
                f"{self.base_url}/embed", {"inputs": texts, "normalize": True, "truncate": True}
            )
            for embedding, vector in zip(out, _dense_list(vectors, len(texts)), strict=True):
                embedding.dense = vector
        if sparse:
            answer = await self._post(f"{self.base_url}/embed_sparse", {"inputs": texts})
            try:
                for embedding, entries in zip(out, answer, strict=True):
                    embedding.sparse = _sparse_of(
                        {int(e["index"]): float(e["value"]) for e in entries}
                    )
            except (TypeError, KeyError, ValueError) as exc:
                raise _unexpected("embedding backend", exc) from None
        return out


class OpenAIBackend(Backend):
    name = "openai"

    async def _embed_chunk(self, texts: list[str], *, dense: bool, sparse: bool) -> list[Embedding]:
        if not dense:
            return [Embedding() for _ in texts]
        answer = await self._post(
            f"{self.base_url}/v1/embeddings",
            {"model": self.model, "input": texts, "encoding_format": "float"},
        )
        try:
            items = sorted(answer["data"], key=lambda item: int(item["index"]))
            vectors = [item["embedding"] for item in items]
        except (TypeError, KeyError, ValueError) as exc:
            raise _unexpected("embedding backend", exc) from None
        return [Embedding(dense=v) for v in _dense_list(vectors, len(texts))]


class BgeM3Backend(Backend):
    name = "bge-m3"
    gives_sparse = True

    async def _embed_chunk(self, texts: list[str], *, dense: bool, sparse: bool) -> list[Embedding]:
        answer = await self._post(
            f"{self.base_url}/encode",
            {"texts": texts, "return_dense": dense, "return_sparse": sparse},
        )
        out = [Embedding() for _ in texts]
        try:
            if dense:
                for embedding, vector in zip(
                    out, _dense_list(answer["dense_vecs"], len(texts)), strict=True
                ):
                    embedding.dense = vector
            if sparse:
                for embedding, weights in zip(out, answer["lexical_weights"], strict=True):
                    embedding.sparse = _sparse_of({int(k): float(v) for k, v in weights.items()})
        except (TypeError, KeyError, ValueError, AttributeError) as exc:
            raise _unexpected("embedding backend", exc) from None
        return out


def _dense_list(vectors: Any, count: int) -> list[list[float]]:
    if not isinstance(vectors, list) or len(vectors) != count:
        raise BackendError(f"the embedding backend answered no list of {count} vectors")
    out = []
    for vector in vectors:
        if not isinstance(vector, list) or not vector:
            raise BackendError("the embedding backend answered a vector that is not a list")
        floats = [float(x) for x in vector]
        if not all(math.isfinite(x) for x in floats):
            raise BackendError("the embedding backend answered a vector with NaN or infinity")
        out.append(floats)
    return out


def _sparse_of(weights: dict[int, float]) -> Sparse:
    indices = sorted(i for i, w in weights.items() if w > 0)
    return Sparse(indices, [weights[i] for i in indices])


def _message_of(response: httpx.Response) -> str:
    """The backend's own error message (TEI: ``error``; OpenAI: ``error.message``)."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:500] or response.reason_phrase
    if isinstance(body, dict):
        error = body.get("error", body.get("message", body.get("detail")))
        if isinstance(error, dict):
            error = error.get("message", error)
        if error is not None:
            return str(error)[:500]
    return str(body)[:500]


def _unexpected(what: str, exc: Exception) -> BackendError:
    return BackendError(f"the {what} sent an answer of an unexpected shape ({exc!r:.200})")
