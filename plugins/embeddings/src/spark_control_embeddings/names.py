"""Validation of every value that reaches a Qdrant path: collection names (a folder
of the embedded store, a URL segment of a Qdrant server) and document ids and payload
keys (stored and filtered on). A value outside the pattern is a 400 naming it."""

from __future__ import annotations

import json
import re
import uuid

from spark_control.api import SparkError

COLLECTION_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,62}$"
DOCUMENT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"
PAYLOAD_KEY_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]{0,63}(\.[A-Za-z][A-Za-z0-9_-]{0,63}){0,3}$"
_COLLECTION = re.compile(COLLECTION_PATTERN)
_DOCUMENT_ID = re.compile(DOCUMENT_ID_PATTERN)
_PAYLOAD_KEY = re.compile(PAYLOAD_KEY_PATTERN)
_UUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
#: Qdrant's integer point ids are unsigned 64-bit.
MAX_INT_ID = 2**64 - 1
#: A document id: a string (a UUID among them) or an unsigned integer.
DocumentId = str | int
PointId = str | int
# Fixed so a document's point id is the same on every gateway and every store.
_ID_NAMESPACE = uuid.UUID("5b0c7a52-9a8e-4c1e-8d7b-2f6a1e0c9d33")
#: Payload keys the gateway keeps for itself on every point.
RESERVED_KEYS = frozenset({"_id", "_text"})


class BadName(SparkError):
    status = 400
    type = "invalid_name"


def collection_name(name: str) -> str:
    """``name`` if it is a safe collection name, else a 400 stating the pattern."""
    if not _COLLECTION.fullmatch(name):
        raise BadName(
            f"invalid collection name {name[:80]!r}: it must match {COLLECTION_PATTERN} "
            "(1-63 lower-case letters, digits, '-' or '_', starting with a letter or digit)",
            detail={"field": "name", "pattern": COLLECTION_PATTERN},
        )
    return name


def document_id(value: object) -> DocumentId:
    """``value`` if it is a document id: an unsigned 64-bit integer (a JSON number), or a
    string matching the pattern (a UUID does); else a 400 saying what is accepted."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_INT_ID:
        return value
    if isinstance(value, str) and _DOCUMENT_ID.fullmatch(value):
        return value
    shown = value[:80] if isinstance(value, str) else json.dumps(value, default=str)[:80]
    raise BadName(
        f"invalid document id {shown!r}: give a string matching {DOCUMENT_ID_PATTERN} "
        f"(a UUID does), or an unsigned integer from 0 to {MAX_INT_ID}",
        detail={"field": "id", "pattern": DOCUMENT_ID_PATTERN, "max_integer": MAX_INT_ID},
    )


def payload_key(key: str) -> str:
    if not _PAYLOAD_KEY.fullmatch(key):
        raise BadName(
            f"invalid payload key {key[:80]!r}: it must match {PAYLOAD_KEY_PATTERN} "
            "(a name, or up to four dotted names for nested values)",
            detail={"field": "key", "pattern": PAYLOAD_KEY_PATTERN},
        )
    return key


def point_id(document: DocumentId) -> PointId:
    """The Qdrant point id of a document id. What Qdrant takes as a point id is used as
    it is: an integer, a UUID (in its canonical form, as Qdrant compares them); any other
    string gets a UUID derived from it."""
    if isinstance(document, int):
        return document
    if _UUID.fullmatch(document):
        return str(uuid.UUID(document))
    return derived_point_id(document)


def derived_point_id(document: str) -> str:
    """The UUID a string id maps to; also where earlier releases kept a document
    whose id is a UUID (``point_id`` now uses the UUID itself)."""
    return str(uuid.uuid5(_ID_NAMESPACE, document))


def legacy_point_id(document: DocumentId) -> str | None:
    """Where an older release may still hold this document, if not at ``point_id``."""
    if isinstance(document, str) and _UUID.fullmatch(document):
        return derived_point_id(document)
    return None
