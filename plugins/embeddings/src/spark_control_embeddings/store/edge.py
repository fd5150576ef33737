"""The embedded store: one qdrant-edge-py shard per collection, in the gateway's data
directory (``<data_dir>/embeddings/collections/<name>/``). Qdrant's own engine runs
in-process; every call into it runs off the event loop through ``run_blocking``.

A collection's folder holds ``collection.json`` (its dense size and sparse kind, which
a shard cannot report) and ``shard/``. Names reaching this module are already
validated (``names.collection_name``), so a name is always one plain folder.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

import qdrant_edge as qe

from spark_control.api import SparkError
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

_META = "collection.json"
# Integer lookups only: a range over an integer index would miss float values.
_INDEX: dict[IndexKind, Any] = {
    "keyword": qe.PayloadSchemaType.Keyword,
    "integer": qe.IntegerIndexParams(lookup=True, range=False),
    "float": qe.PayloadSchemaType.Float,
}


class EdgeStore(Store):
    kind = "embedded"

    def __init__(self, root: Path, run_blocking: RunBlocking) -> None:
        self.root = root
        self._run = run_blocking
        self._shards: dict[str, qe.EdgeShard] = {}
        self._specs: dict[str, CollectionSpec] = {}
        #: The payload keys each open collection has an index for (read once).
        self._indexed: dict[str, set[str]] = {}
        # Creating, opening and deleting a collection must not interleave.
        self._lock = asyncio.Lock()
        # Two searches filtering on a new key create its index once.
        self._index_lock = asyncio.Lock()

    # -- collections --------------------------------------------------------------

    async def create(self, name: str, spec: CollectionSpec) -> None:
        async with self._lock:
            folder = self.root / name
            if (folder / _META).exists():
                raise CollectionExists(name)
            self._shards[name] = await self._run(_create, folder, spec)
            self._specs[name] = spec
            self._indexed[name] = set()

    async def collections(self) -> list[CollectionInfo]:
        names = await self._run(self._names)
        infos = []
        for name in names:
            try:
                infos.append(await self.describe(name))
            except CollectionMissing:
                continue  # deleted meanwhile
        return infos

    async def describe(self, name: str) -> CollectionInfo:
        shard, spec = await self._open(name)
        info = await self._run(shard.info)
        indexes = {key: _kind_name(i.data_type) for key, i in info.payload_schema.items()}
        return CollectionInfo(name, info.points_count, spec, indexes)

    async def spec(self, name: str) -> CollectionSpec:
        return (await self._open(name))[1]

    async def delete(self, name: str) -> None:
        async with self._lock:
            folder = self.root / name
            if not (folder / _META).exists():
                raise CollectionMissing(name)
            shard = self._shards.pop(name, None)
            self._specs.pop(name, None)
            self._indexed.pop(name, None)
            await self._run(_remove, shard, folder)

    # -- points -------------------------------------------------------------------

    async def upsert(self, name: str, points: list[StoredPoint]) -> None:
        shard, _ = await self._open(name)
        await self._call(name, _upsert, shard, points)

    async def delete_points(self, name: str, point_ids: list[PointId]) -> None:
        shard, _ = await self._open(name)
        operation = qe.UpdateOperation.delete_points(list(point_ids))
        await self._call(name, shard.update, operation)

    async def query(self, name: str, query: StoreQuery) -> list[Hit]:
        shard, _ = await self._open(name)
        request = _request(query)
        if request is None:
            return []
        found = await self._call(name, shard.query, request)
        return [Hit.of(point.score, point.payload) for point in found]

    async def index_fields(self, name: str, kinds: dict[str, IndexKind]) -> None:
        shard, _ = await self._open(name)
        known = self._indexed.get(name)
        if known is not None and known.issuperset(kinds):
            return
        async with self._index_lock:
            known = self._indexed.get(name)
            if known is None:
                info = await self._call(name, shard.info)
                known = self._indexed[name] = set(info.payload_schema)
            for key, kind in kinds.items():
                if key not in known:
                    operation = qe.UpdateOperation.create_field_index(key, _INDEX[kind])
                    await self._call(name, shard.update, operation)
                    known.add(key)

    async def _call(self, name: str, fn: Any, *args: Any) -> Any:
        """Run a shard call off the loop. The binding raises plain ``Exception``s; one
        met because the collection was deleted meanwhile is a 404, any other a 500
        saying what the store said."""
        try:
            return await self._run(fn, *args)
        except Exception as exc:
            if name not in self._shards:
                raise CollectionMissing(name) from None
            raise SparkError(
                f"the embedded store failed on collection {name!r}: {exc}"[:500],
                status=500,
                type="store_error",
            ) from exc

    # -- lifecycle ----------------------------------------------------------------

    async def health(self) -> tuple[bool, str]:
        names = await self._run(self._names)
        return True, f"embedded store (qdrant-edge), {len(names)} collection(s)"

    async def close(self) -> None:
        async with self._lock:
            shards = list(self._shards.values())
            self._shards.clear()
            for shard in shards:
                await self._run(_close, shard)

    async def _open(self, name: str) -> tuple[qe.EdgeShard, CollectionSpec]:
        shard, spec = self._shards.get(name), self._specs.get(name)
        if shard is not None and spec is not None:
            return shard, spec
        async with self._lock:
            if name not in self._shards:
                folder = self.root / name
                if not (folder / _META).exists():
                    raise CollectionMissing(name)
                self._shards[name], self._specs[name] = await self._run(_load, folder)
            return self._shards[name], self._specs[name]

    def _names(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.parent.name for p in self.root.glob(f"*/{_META}"))


# -- blocking helpers (run through run_blocking) ----------------------------------------


def _kind_name(kind: qe.PayloadSchemaType) -> str:
    """'keyword' for ``PayloadSchemaType.Keyword`` (the binding's enum has no .name)."""
    return str(kind).rsplit(".", 1)[-1].lower()


def _config(spec: CollectionSpec) -> qe.EdgeConfig:
    modifier = qe.Modifier.Idf if spec.sparse == "bm25" else None
    return qe.EdgeConfig(
        vectors={DENSE: qe.EdgeVectorParams(size=spec.dense_size, distance=qe.Distance.Cosine)},
        sparse_vectors={SPARSE: qe.EdgeSparseVectorParams(modifier=modifier)},
    )


def _create(folder: Path, spec: CollectionSpec) -> qe.EdgeShard:
    folder.mkdir(parents=True, exist_ok=True)
    shard = qe.EdgeShard.create(str(folder / "shard"), _config(spec))
    meta = {"dense_size": spec.dense_size, "sparse": spec.sparse}
    tmp = folder / f"{_META}.tmp"
    tmp.write_text(json.dumps(meta))
    tmp.replace(folder / _META)  # the collection exists once its description does
    return shard


def _load(folder: Path) -> tuple[qe.EdgeShard, CollectionSpec]:
    meta = json.loads((folder / _META).read_text())
    spec = CollectionSpec(int(meta["dense_size"]), meta["sparse"])
    return qe.EdgeShard.load(str(folder / "shard")), spec


def _remove(shard: qe.EdgeShard | None, folder: Path) -> None:
    if shard is not None:
        _close(shard)
    (folder / _META).unlink(missing_ok=True)
    shutil.rmtree(folder, ignore_errors=True)


def _close(shard: qe.EdgeShard) -> None:
    shard.flush()
    shard.close()


def _upsert(shard: qe.EdgeShard, points: list[StoredPoint]) -> None:
    shard.update(
        qe.UpdateOperation.upsert_points(
            [
                qe.Point(
                    p.point_id,
                    {
                        DENSE: p.dense,
                        SPARSE: qe.SparseVector(p.sparse.indices, p.sparse.values),
                    },
                    p.stored_payload(),
                )
                for p in points
            ]
        )
    )


def _request(query: StoreQuery) -> qe.QueryRequest | None:
    """The Qdrant query for a search; None when it can match nothing (an empty sparse
    query in sparse mode)."""
    flt = _filter(query.filter)
    dense = qe.Query.Nearest(query.dense, using=DENSE) if query.dense is not None else None
    sparse = (
        qe.Query.Nearest(qe.SparseVector(query.sparse.indices, query.sparse.values), using=SPARSE)
        if query.sparse is not None and query.sparse.indices
        else None
    )
    common: dict[str, Any] = {
        "limit": query.limit,
        "offset": query.offset,
        "filter": flt,
        "with_payload": True,
    }
    if query.mode == "dense":
        return qe.QueryRequest(query=dense, **common)
    if query.mode == "sparse":
        return qe.QueryRequest(query=sparse, **common) if sparse is not None else None
    each = prefetch_limit(query)
    prefetches = [
        qe.Prefetch(limit=each, query=q, filter=flt) for q in (dense, sparse) if q is not None
    ]
    # The stubs type Fusion.Rrf/Dbsf apart from Fusion; the binding takes them as queries.
    fusion: Any = qe.Fusion.Dbsf() if query.fusion == "dbsf" else qe.Fusion.Rrf(k=query.rrf_k)
    return qe.QueryRequest(query=fusion, prefetches=prefetches, **common)


def _filter(spec: PayloadFilter | None) -> qe.Filter | None:
    if spec is None or spec.is_empty():
        return None
    return qe.Filter(
        must=[_condition(c) for c in spec.must] or None,
        should=[_condition(c) for c in spec.should] or None,
        must_not=[_condition(c) for c in spec.must_not] or None,
    )


def _condition(condition: Condition) -> qe.FieldCondition:
    if condition.range is not None:
        return qe.FieldCondition(condition.key, range=qe.RangeFloat(**range_args(condition.range)))
    match = condition.match
    assert match is not None
    if match.any is not None:
        return qe.FieldCondition(condition.key, match=qe.MatchAny(match.any))
    if match.except_ is not None:
        return qe.FieldCondition(condition.key, match=qe.MatchExcept(match.except_))
    assert match.value is not None
    return qe.FieldCondition(condition.key, match=qe.MatchValue(match.value))
