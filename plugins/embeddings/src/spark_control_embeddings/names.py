"""Validation of every value that reaches a Qdrant path: collection names (a folder
of the embedded store, a URL segment of a Qdrant server) and document ids and payload
keys (stored and filtered on). A value outside the pattern is a 400 naming it."""

from __future__ import annotations

import re
import uuid

from spark_control.api import SparkError

COLLECTION_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,62}$"
DOCUMENT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"
PAYLOAD_KEY_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]{0,63}(\.[A-Za-z][A-Za-z0-9_-]{0,63}){0,3}$"
_COLLECTION = re.compile(COLLECTION_PATTERN)
_DOCUMENT_ID = re.compile(DOCUMENT_ID_PATTERN)
_PAYLOAD_KEY = re.compile(PAYLOAD_KEY_PATTERN)
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


def document_id(value: str) -> str:
    if not _DOCUMENT_ID.fullmatch(value):
        raise BadName(
            f"invalid document id {value[:80]!r}: it must match {DOCUMENT_ID_PATTERN}",
            detail={"field": "id", "pattern": DOCUMENT_ID_PATTERN},
        )
    return value


def payload_key(key: str) -> str:
    if not _PAYLOAD_KEY.fullmatch(key):
        raise BadName(
            f"invalid payload key {key[:80]!r}: it must match {PAYLOAD_KEY_PATTERN} "
            "(a name, or up to four dotted names for nested values)",
            detail={"field": "key", "pattern": PAYLOAD_KEY_PATTERN},
        )
    return key


def point_id(document: str) -> str:
    """The Qdrant point id of a document id (Qdrant takes integers or UUIDs only)."""
    return str(uuid.uuid5(_ID_NAMESPACE, document))
