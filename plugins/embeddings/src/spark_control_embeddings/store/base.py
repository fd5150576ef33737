"""The store interface and the values that cross it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Literal

from spark_control.api import SparkError
from spark_control_embeddings.backends import Sparse
from spark_control_embeddings.embedder import SparseKind
from spark_control_embeddings.filters import IndexKind, PayloadFilter
from spark_control_embeddings.names import DocumentId, PointId

Mode = Literal["dense", "sparse", "hybrid"]
#: How hybrid search fuses its two rankings: distribution-based score fusion, or RRF.
Fusion = Literal["dbsf", "rrf"]
DENSE, SPARSE = "dense", "sparse"  # the collection's two named vectors
ID_KEY, TEXT_KEY = "_id", "_text"  # what the gateway keeps in every point's payload


class CollectionMissing(SparkError):
    status = 404
    type = "not_found"

    def __init__(self, name: str) -> None:
        super().__init__(f"no collection named {name!r}", detail={"collection": name})


class CollectionExists(SparkError):
    status = 409
    type = "conflict"

    def __init__(self, name: str) -> None:
        super().__init__(f"a collection named {name!r} already exists", detail={"collection": name})


@dataclass(frozen=True, slots=True)
class CollectionSpec:
    dense_size: int
    sparse: SparseKind


@dataclass(frozen=True, slots=True)
class CollectionInfo:
    name: str
    points: int
    #: None for a collection on a Qdrant server that the gateway did not create.
    spec: CollectionSpec | None
    #: Payload indexes: key -> kind ("keyword", "integer", "float", ...).
    indexes: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "points": self.points,
            "dense_size": self.spec.dense_size if self.spec else None,
            "sparse": self.spec.sparse if self.spec else None,
            "searchable": self.spec is not None,
            "indexes": dict(sorted(self.indexes.items())),
        }


@dataclass(slots=True)
class StoredPoint:
    doc_id: DocumentId
    point_id: PointId
    text: str
    payload: dict[str, Any]
    dense: list[float]
    sparse: Sparse

    def stored_payload(self) -> dict[str, Any]:
        return {**self.payload, ID_KEY: self.doc_id, TEXT_KEY: self.text}


@dataclass(slots=True)
class StoreQuery:
    mode: Mode
    limit: int
    offset: int = 0
    dense: list[float] | None = None
    sparse: Sparse | None = None
    prefetch_limit: int = 50
    fusion: Fusion = "dbsf"
    rrf_k: int = 60
    filter: PayloadFilter | None = None


@dataclass(slots=True)
class Hit:
    doc_id: DocumentId
    score: float
    text: str
    payload: dict[str, Any] = field(default_factory=dict)
    #: The store's score when a reranker's score replaced it.
    retrieval_score: float | None = None

    @classmethod
    def of(cls, score: float, payload: dict[str, Any] | None) -> Hit:
        payload = dict(payload or {})
        stored = payload.pop(ID_KEY, "")
        doc_id = stored if isinstance(stored, int) and not isinstance(stored, bool) else str(stored)
        text = str(payload.pop(TEXT_KEY, ""))
        return cls(doc_id, float(score), text, payload)


class Store(ABC):
    """What the routes need of a vector store. Every method is a coroutine: an
    implementation that blocks runs its work off the event loop."""

    kind: str

    @abstractmethod
    async def create(self, name: str, spec: CollectionSpec) -> None: ...

    @abstractmethod
    async def collections(self) -> list[CollectionInfo]: ...

    @abstractmethod
    async def describe(self, name: str) -> CollectionInfo: ...

    async def spec(self, name: str) -> CollectionSpec | None:
        """The collection's spec (None: not the gateway's shape); 404 if missing."""
        return (await self.describe(name)).spec

    @abstractmethod
    async def delete(self, name: str) -> None: ...

    @abstractmethod
    async def upsert(self, name: str, points: list[StoredPoint]) -> None: ...

    @abstractmethod
    async def delete_points(self, name: str, point_ids: list[PointId]) -> None: ...

    @abstractmethod
    async def query(self, name: str, query: StoreQuery) -> list[Hit]: ...

    @abstractmethod
    async def index_fields(self, name: str, kinds: dict[str, IndexKind]) -> None:
        """Create a payload index for each key of ``kinds`` that has none yet. A key
        indexed already keeps its index, whatever its kind: Qdrant holds one per key,
        and replacing it back and forth would rebuild it on every other search."""

    @abstractmethod
    async def health(self) -> tuple[bool, str]: ...

    @abstractmethod
    async def close(self) -> None: ...


def prefetch_limit(query: StoreQuery) -> int:
    """Each prefetch brings at least the page the caller asked for."""
    return max(query.prefetch_limit, query.limit + query.offset)
