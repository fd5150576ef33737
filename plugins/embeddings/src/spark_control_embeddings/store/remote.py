"""A Qdrant server through qdrant-client (when ``qdrant_url`` is set), or qdrant-client's
local mode (``qdrant_local_path``: tests and experiments; its maintainers do not mean it
for production). The synchronous client runs through ``run_blocking``, so neither a slow
server nor local mode's in-process work stalls the event loop.

Collection names reaching this module are already validated; they become a URL segment
of the server's REST API.
"""

from __future__ import annotations

import threading
from typing import Any

from qdrant_client import QdrantClient
from qdrant_client import models as qm
from qdrant_client.http.exceptions import UnexpectedResponse

from spark_control_embeddings.embedder import RunBlocking
from spark_control_embeddings.filters import Condition, IndexKind, PayloadFilter, range_args
from spark_control_embeddings.names import PointId
from spark_control_embeddings.store.base import (
    DENSE,
    SPARSE,
    CollectionExists,
    CollectionInfo,
    CollectionMissing,
    CollectionSpec,
    Hit,
    Store,
    StoredPoint,
    StoreQuery,
    prefetch_limit,
)

# Integer lookups only: a range over an integer index would miss float values.
_INDEX: dict[IndexKind, qm.PayloadSchemaType | qm.IntegerIndexParams] = {
    "keyword": qm.PayloadSchemaType.KEYWORD,
    "integer": qm.IntegerIndexParams(type=qm.IntegerIndexType.INTEGER, lookup=True, range=False),
    "float": qm.PayloadSchemaType.FLOAT,
}


class RemoteStore(Store):
    kind = "qdrant"

    def __init__(
        self,
        client: QdrantClient,
        run_blocking: RunBlocking,
        where: str,
        *,
        one_at_a_time: bool = False,
        payload_indexes: bool = True,
    ) -> None:
        """``one_at_a_time``: local mode is not thread-safe (its SQLite storage breaks
        under concurrent calls), so its calls take turns; a server's client need not.
        ``payload_indexes``: off for local mode, where they have no effect (and warn)."""
        self._client = client
        self._run_blocking = run_blocking
        self._turn = threading.Lock() if one_at_a_time else None
        self._payload_indexes = payload_indexes
        #: The payload keys each collection has an index for, as this gateway knows.
        self._indexed: dict[str, set[str]] = {}
        self.where = where

    async def _run(self, fn: Any, *args: Any) -> Any:
        turn = self._turn
        if turn is None:
            return await self._run_blocking(fn, *args)

        def in_turn() -> Any:
            with turn:
                return fn(*args)

        return await self._run_blocking(in_turn)

    async def create(self, name: str, spec: CollectionSpec) -> None:
        if await self._run(self._client.collection_exists, name):
            raise CollectionExists(name)
        self._indexed.pop(name, None)
        await self._run(
            lambda: self._client.create_collection(
                name,
                vectors_config={
                    DENSE: qm.VectorParams(size=spec.dense_size, distance=qm.Distance.COSINE)
                },
                sparse_vectors_config={
                    SPARSE: qm.SparseVectorParams(
                        modifier=qm.Modifier.IDF if spec.sparse == "bm25" else None
                    )
                },
            )
        )

    async def collections(self) -> list[CollectionInfo]:
        answer = await self._run(self._client.get_collections)
        infos = []
        for collection in sorted(answer.collections, key=lambda c: c.name):
            try:
                infos.append(await self.describe(collection.name))
            except CollectionMissing:
                continue
        return infos

    async def describe(self, name: str) -> CollectionInfo:
        info = await self._call(name, self._client.get_collection, name)
        indexes = {key: str(i.data_type.value) for key, i in (info.payload_schema or {}).items()}
        return CollectionInfo(name, info.points_count or 0, _spec_of(info), indexes)

    async def delete(self, name: str) -> None:
        if not await self._run(self._client.collection_exists, name):
            raise CollectionMissing(name)
        self._indexed.pop(name, None)
        await self._run(self._client.delete_collection, name)

    async def upsert(self, name: str, points: list[StoredPoint]) -> None:
        structs = [
            qm.PointStruct(
                id=p.point_id,
                vector={
                    DENSE: p.dense,
                    SPARSE: qm.SparseVector(indices=p.sparse.indices, values=p.sparse.values),
                },
                payload=p.stored_payload(),
            )
            for p in points
        ]
        await self._call(name, lambda: self._client.upsert(name, structs, wait=True))

    async def delete_points(self, name: str, point_ids: list[PointId]) -> None:
        selector = qm.PointIdsList(points=list(point_ids))
        await self._call(name, lambda: self._client.delete(name, selector, wait=True))

    async def query(self, name: str, query: StoreQuery) -> list[Hit]:
        flt = _filter(query.filter)
        dense = query.dense
        sparse = (
            qm.SparseVector(indices=query.sparse.indices, values=query.sparse.values)
            if query.sparse is not None and query.sparse.indices
            else None
        )
        kwargs: dict[str, Any] = {
            "limit": query.limit,
            "offset": query.offset,
            "query_filter": flt,
            "with_payload": True,
        }
        if query.mode == "dense":
            kwargs.update(query=dense, using=DENSE)
        elif query.mode == "sparse":
            if sparse is None:
                return []
            kwargs.update(query=sparse, using=SPARSE)
        else:
            each = prefetch_limit(query)
            kwargs["prefetch"] = [
                qm.Prefetch(query=vector, using=using, limit=each, filter=flt)
                for vector, using in ((dense, DENSE), (sparse, SPARSE))
                if vector is not None
            ]
            kwargs["query"] = (
                qm.FusionQuery(fusion=qm.Fusion.DBSF)
                if query.fusion == "dbsf"
                else qm.RrfQuery(rrf=qm.Rrf(k=query.rrf_k))
            )
        answer = await self._call(name, lambda: self._client.query_points(name, **kwargs))
        return [Hit.of(point.score, point.payload) for point in answer.points]

    async def index_fields(self, name: str, kinds: dict[str, IndexKind]) -> None:
        """On a server, the index a key lacks is created and waited for. What this
        gateway knows is read from the server once per collection; a collection another
        client deletes and recreates meanwhile goes without until the gateway restarts
        (slower filters, same results)."""
        if not self._payload_indexes:
            return
        known = self._indexed.get(name)
        if known is None:
            info = await self._call(name, self._client.get_collection, name)
            known = self._indexed[name] = set(info.payload_schema or {})
        for key, kind in kinds.items():
            if key not in known:
                schema = _INDEX[kind]
                await self._call(
                    name,
                    lambda k=key, s=schema: self._client.create_payload_index(
                        name, k, field_schema=s, wait=True
                    ),
                )
                known.add(key)

    async def health(self) -> tuple[bool, str]:
        try:
            answer = await self._run(self._client.get_collections)
        except Exception as exc:  # any failure of the server is what the probe reports
            return False, f"Qdrant at {self.where}: {type(exc).__name__} {exc}"[:300]
        return True, f"Qdrant at {self.where}, {len(answer.collections)} collection(s)"

    async def close(self) -> None:
        await self._run(self._client.close)

    async def _call(self, name: str, fn: Any, *args: Any) -> Any:
        """Run a client call; a missing collection becomes a 404 however the client
        says so (a server answers 404, local mode raises ValueError)."""
        try:
            return await self._run(fn, *args)
        except UnexpectedResponse as exc:
            if exc.status_code == 404:
                raise CollectionMissing(name) from None
            raise
        except ValueError as exc:
            if "not found" in str(exc).lower():
                raise CollectionMissing(name) from None
            raise


def _spec_of(info: qm.CollectionInfo) -> CollectionSpec | None:
    """The gateway's description of a collection, or None if it has not the shape the
    gateway creates (a named dense vector and a named sparse vector)."""
    vectors = info.config.params.vectors
    sparse = info.config.params.sparse_vectors or {}
    if not isinstance(vectors, dict) or DENSE not in vectors or SPARSE not in sparse:
        return None
    modifier = sparse[SPARSE].modifier
    return CollectionSpec(vectors[DENSE].size, "bm25" if modifier == qm.Modifier.IDF else "model")


def _filter(spec: PayloadFilter | None) -> qm.Filter | None:
    if spec is None or spec.is_empty():
        return None
    return qm.Filter(
        must=[_condition(c) for c in spec.must] or None,
        should=[_condition(c) for c in spec.should] or None,
        must_not=[_condition(c) for c in spec.must_not] or None,
    )


def _condition(condition: Condition) -> qm.FieldCondition:
    if condition.range is not None:
        return qm.FieldCondition(key=condition.key, range=qm.Range(**range_args(condition.range)))
    match = condition.match
    assert match is not None
    if match.any is not None:
        return qm.FieldCondition(key=condition.key, match=qm.MatchAny(any=match.any))
    if match.except_ is not None:
        return qm.FieldCondition(
            key=condition.key, match=qm.MatchExcept(**{"except": match.except_})
        )
    assert match.value is not None
    return qm.FieldCondition(key=condition.key, match=qm.MatchValue(value=match.value))
