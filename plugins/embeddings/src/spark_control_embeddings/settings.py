"""The embeddings plugin's settings (config section ``embeddings``)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator

from spark_control.api import PluginSettings
from spark_control_embeddings.names import COLLECTION_PATTERN

DEFAULT_PORT = 8089
BackendKind = Literal["bge-m3", "tei", "openai"]


class EmbeddingsSettings(PluginSettings):
    backend: BackendKind = Field(
        "bge-m3",
        description="The embedding service's API: 'bge-m3' (a worker returning dense vectors "
        "and lexical weights in one call, see docs/EMBEDDINGS.md), 'tei' "
        "(text-embeddings-inference) or 'openai' (an OpenAI-compatible /v1/embeddings).",
    )
    node: str = Field("spark-1", description="Node the embedding service runs on.")
    port: int = Field(DEFAULT_PORT, ge=1, le=65535, description="Embedding service port.")
    rerank_port: int | None = Field(
        None,
        ge=1,
        le=65535,
        description="Port of the reranker (a TEI /rerank API) on the same node "
        "(blank: the embedding service's port).",
    )
    api_key: SecretStr | None = Field(
        None, description="Bearer key the embedding service expects, if any."
    )
    backend_model: str = Field(
        "BAAI/bge-m3", description="Model name sent to an OpenAI-compatible backend."
    )
    models: list[str] = Field(
        default_factory=lambda: ["bge-m3"],
        min_length=1,
        description="Model names this plugin answers for on /v1/embeddings (the first is the "
        "default of /api/embeddings/embed); any other model there goes to the /v1 fallback (vLLM).",
    )
    max_batch: int = Field(
        32, ge=1, le=4096, description="Most texts the backend accepts in one request."
    )
    tei_sparse: bool = Field(
        False, description="The TEI backend serves /embed_sparse (a SPLADE-style model)."
    )
    rerank: bool = Field(True, description="A reranker is available.")
    timeout_s: float = Field(60.0, gt=0, description="Read timeout of backend calls.")
    qdrant_url: str | None = Field(
        None,
        description="URL of a remote Qdrant server (blank: the embedded store in the data "
        "directory).",
    )
    qdrant_api_key: SecretStr | None = Field(None, description="API key of the Qdrant server.")
    qdrant_local_path: str | None = Field(
        None,
        description="Use qdrant-client's local mode at this folder (or ':memory:') instead of a "
        "server: for tests and experiments only.",
    )
    prefetch_limit: int = Field(
        50,
        ge=1,
        le=1000,
        description="Candidates each hybrid prefetch returns (at least limit + offset).",
    )
    fusion: Literal["dbsf", "rrf"] = Field(
        "dbsf",
        description="How hybrid search fuses its dense and sparse rankings: 'dbsf' "
        "(distribution-based score fusion: keeps score margins) or 'rrf' (reciprocal rank "
        "fusion: ranks only).",
    )
    rrf_k: int = Field(60, ge=1, le=1000, description="The RRF ranking constant.")
    rerank_candidates: int = Field(
        50, ge=1, le=1000, description="Candidates a search with rerank hands the reranker."
    )

    sample_corpus: Path | None = Field(
        None,
        description='A JSON file {"documents": [{id, text, payload}]} loaded into '
        "sample_collection at start-up when that collection does not exist (the demo's "
        "pre-filled search collection).",
    )
    sample_collection: str = Field("demo", pattern=COLLECTION_PATTERN)

    @field_validator("models")
    @classmethod
    def _names(cls, models: list[str]) -> list[str]:
        for model in models:
            if not model or len(model) > 128 or any(c.isspace() for c in model):
                raise ValueError(f"model name {model!r} must be 1-128 characters, no spaces")
        return models

    @field_validator("qdrant_url")
    @classmethod
    def _url(cls, url: str | None) -> str | None:
        if url and not url.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return url or None
