"""Request and response bodies of the embeddings API (they appear in the OpenAPI
schema with examples)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from spark_control_embeddings.filters import PayloadFilter
from spark_control_embeddings.names import DOCUMENT_ID_PATTERN, MAX_INT_ID

MAX_TEXT = 32_768
MAX_TEXTS = 2048
Text = Field(min_length=1, max_length=MAX_TEXT)
_ID_SCHEMA = {
    "anyOf": [
        {"type": "string", "pattern": DOCUMENT_ID_PATTERN},
        {"type": "integer", "minimum": 0, "maximum": MAX_INT_ID},
    ],
    "description": "Your id: a string of letters, digits, '.', '_', ':', '-' (a UUID is "
    "one), or an unsigned 64-bit integer.",
}
#: Any JSON value gets through validation so that a wrong id is the service's clear 400
#: (names.document_id), like an id outside the pattern, rather than a type error.
RequestId = Annotated[Any, WithJsonSchema(_ID_SCHEMA)]


class EmbedRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"input": ["How do I reset the fan controller?"], "sparse": True}]
        },
    )
    input: str | list[str] = Field(description="A text or a list of texts.")
    model: str | None = Field(None, description="One of this plugin's models (default: the first).")
    dense: bool = Field(True, description="Return dense vectors.")
    sparse: bool = Field(False, description="Return sparse vectors (the backend's, else BM25).")
    purpose: Literal["document", "query"] = Field(
        "document", description="BM25 weighs a query and a document differently."
    )

    def texts(self) -> list[str]:
        return [self.input] if isinstance(self.input, str) else list(self.input)


class SparseOut(BaseModel):
    indices: list[int]
    values: list[float]


class EmbeddingOut(BaseModel):
    index: int
    dense: list[float] | None = None
    sparse: SparseOut | None = None


class EmbedResponse(BaseModel):
    model: str
    sparse_kind: Literal["model", "bm25"] | None = Field(
        None, description="'model': the backend's own sparse vectors; 'bm25': the gateway's."
    )
    data: list[EmbeddingOut]


class RerankRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "query": "fan failure",
                    "documents": ["The fan on spark-2 stopped.", "Lunch is at noon."],
                    "top_n": 1,
                }
            ]
        },
    )
    query: str = Field(max_length=MAX_TEXT, description="Not blank (a 400).")
    documents: list[str] = Field(min_length=1, max_length=1000)
    top_n: int | None = Field(None, ge=1, le=1000, description="Keep only the best N.")


class RerankResult(BaseModel):
    index: int = Field(description="Position of the document in the request.")
    score: float
    document: str


class RerankResponse(BaseModel):
    results: list[RerankResult]


class CreateCollection(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"name": "notes"}]})
    name: str = Field(max_length=256, description="1-63 lower-case letters, digits, '-' or '_'.")
    dense_size: int | None = Field(
        None, ge=1, le=65536, description="Dense dimensions (default: asked of the backend)."
    )


class CollectionOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "notes",
                    "points": 1200,
                    "dense_size": 1024,
                    "sparse": "model",
                    "searchable": True,
                    "indexes": {"lang": "keyword"},
                }
            ]
        }
    )
    name: str
    points: int
    dense_size: int | None
    sparse: Literal["model", "bm25"] | None
    searchable: bool
    indexes: dict[str, str] = Field(
        default_factory=dict,
        description="Payload indexes (key: kind), made for the keys searches filter on.",
    )


class CollectionList(BaseModel):
    store: str = Field(description="'embedded' (qdrant-edge) or 'qdrant' (qdrant-client).")
    collections: list[CollectionOut]


class DocumentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: RequestId
    text: str = Text
    payload: dict[str, Any] = Field(default_factory=dict)


class UpsertRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "documents": [
                        {
                            "id": "note-1",
                            "text": "Fan on spark-2 replaced.",
                            "payload": {"lang": "en"},
                        },
                        {"id": 42, "text": "Invoice 42 paid.", "payload": {"lang": "en"}},
                    ]
                }
            ]
        },
    )
    documents: list[DocumentIn] = Field(min_length=1, max_length=MAX_TEXTS)


class UpsertResponse(BaseModel):
    upserted: int
    timing: dict[str, float]


class DeleteDocuments(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"ids": ["note-1", 42]}]}
    )
    ids: list[RequestId] = Field(min_length=1, max_length=MAX_TEXTS)


class RerankOption(BaseModel):
    model_config = ConfigDict(extra="forbid")
    candidates: int | None = Field(
        None, ge=1, le=1000, description="How many retrieved documents the reranker orders."
    )


class SearchRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "query": "why did the fan stop",
                    "mode": "hybrid",
                    "limit": 5,
                    "filter": {"must": [{"key": "lang", "match": {"value": "en"}}]},
                }
            ]
        },
    )
    query: str = Field(max_length=8192, description="The text to search for; not blank (a 400).")
    mode: Literal["dense", "sparse", "hybrid"] = "hybrid"
    fusion: Literal["dbsf", "rrf"] | None = Field(
        None,
        description="Hybrid only: 'dbsf' (distribution-based score fusion, keeps score "
        "margins) or 'rrf' (reciprocal rank fusion); default: the setting (dbsf).",
    )
    limit: int = Field(10, ge=1, le=100)
    offset: int = Field(0, ge=0, le=10_000)
    filter: PayloadFilter | None = None
    rerank: bool | RerankOption = Field(
        False, description="Reorder the results with the reranker (true, or {candidates})."
    )


class Result(BaseModel):
    id: str | int = Field(description="The document's id, as it was given.")
    score: float
    text: str
    payload: dict[str, Any]
    retrieval_score: float | None = Field(
        None, description="With rerank: the store's score (the reranker's is 'score')."
    )


class SearchResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "collection": "notes",
                    "mode": "hybrid",
                    "reranked": False,
                    "results": [
                        {
                            "id": "note-1",
                            "score": 0.8821,
                            "text": "Fan on spark-2 replaced.",
                            "payload": {"lang": "en"},
                            "retrieval_score": None,
                        }
                    ],
                    "timing": {
                        "backend_ms": 4.1,
                        "store_ms": 1.2,
                        "rerank_ms": 0.0,
                        "total_ms": 5.6,
                    },
                }
            ]
        }
    )
    collection: str
    mode: str
    reranked: bool
    results: list[Result]
    timing: dict[str, float] = Field(
        description="Milliseconds: backend (embedding the query), store, rerank, total."
    )
