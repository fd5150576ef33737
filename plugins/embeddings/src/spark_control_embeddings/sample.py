"""Loading a sample corpus into a collection at start-up (the demo's pre-filled search
collection), in the background: the embedding service may still be starting, so it is
retried for a while, and it never holds the gateway's start-up."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

from spark_control.api import SparkError
from spark_control_embeddings.service import Document, EmbeddingService
from spark_control_embeddings.store.base import CollectionMissing

log = logging.getLogger(__name__)
ATTEMPTS, PAUSE_S = 60, 1.0


def read_corpus(path: Path) -> list[Document]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Document(d["id"], d["text"], d.get("payload", {})) for d in data["documents"]]


async def load_sample(service: EmbeddingService, path: Path, collection: str) -> bool:
    """Create ``collection`` from ``path`` unless it exists; True once it does."""
    documents = await asyncio.to_thread(read_corpus, path)
    for _ in range(ATTEMPTS):
        try:
            try:
                await service.describe(collection)
                return True  # there already (a restart, or made by hand): leave it be
            except CollectionMissing:
                pass
            await service.create(collection, None)
            await service.upsert(collection, documents)
            log.info("loaded %d sample documents into %r", len(documents), collection)
            return True
        except SparkError as exc:
            # The backend not answering yet is expected just after start-up.
            log.debug("sample collection %r not loaded yet: %s", collection, exc.message)
            await _forget_half_made(service, collection)
            await asyncio.sleep(PAUSE_S)
    log.warning("gave up loading the sample collection %r", collection)
    return False


async def _forget_half_made(service: EmbeddingService, collection: str) -> None:
    try:
        info = await service.describe(collection)
    except SparkError:
        return
    if info.points == 0:
        await service.delete(collection)
