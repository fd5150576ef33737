"""The session vault: each session's mapping, encrypted at rest in the gateway's store.

A session id (``rds_`` + 32 random URL-safe characters) is the capability to use a
mapping, issued only by the server. The database keeps a SHA-256 of the id, never the
id itself, and the mapping is sealed with AES-256-GCM under a key kept in the gateway's
secrets folder (``host.secrets_dir``: ``redaction-vault.key``, mode 0600; with several
replicas one folder they all mount, so a session one scrubbed another rehydrates), bound
to that hash so a sealed mapping copied onto another session's row does not open. An
expired session's mapping is wiped at once; its row stays (without data) for one more
TTL so callers hear "expired" rather than "unknown".
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import secrets
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from spark_control.api import SparkError, secret_file
from spark_control_redaction.mapping import Mapping

if TYPE_CHECKING:
    from spark_control.api import Store

KEY_FILE = "redaction-vault.key"
SESSION_ID = re.compile(r"^rds_[A-Za-z0-9_\-]{32}$")
_NONCE = 12

MIGRATIONS = [
    """
    CREATE TABLE redaction_sessions (
        id_hash TEXT PRIMARY KEY,
        created_at REAL NOT NULL,
        used_at REAL NOT NULL,
        expires_at REAL NOT NULL,
        entities INTEGER NOT NULL DEFAULT 0,
        sealed BLOB
    )
    """,
]


class UnknownSession(SparkError):
    status = 404
    type = "unknown_session"

    def __init__(self) -> None:
        super().__init__(
            "unknown session_id: pass an id a scrub returned, or leave it out to start "
            "a new session"
        )


class ExpiredSession(SparkError):
    status = 410
    type = "session_expired"

    def __init__(self) -> None:
        super().__init__(
            "this session has expired and its mapping was deleted: scrub again without "
            "session_id to start a new one"
        )


def load_or_create_key(secrets_dir: Path) -> bytes:
    """The vault key, created (32 random bytes, 0600) on first use; replicas creating
    it at once on one shared folder all get the one that was written first."""
    path = secrets_dir / KEY_FILE
    key = secret_file(path, lambda: AESGCM.generate_key(bit_length=256))
    if len(key) != 32:
        raise SparkError(f"{path} is not a vault key (32 bytes); move it away to start a new vault")
    return key


@dataclass
class VaultStats:
    sessions: int
    entities: int
    expired: int


class Vault:
    def __init__(self, store: Store, key: bytes, ttl_s: float) -> None:
        self._store = store
        self._aead = AESGCM(key)
        self.ttl_s = ttl_s
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    async def setup(self) -> None:
        await self._store.migrate("redaction", MIGRATIONS)

    @staticmethod
    def new_session_id() -> str:
        return "rds_" + secrets.token_urlsafe(24)

    def lock(self, session_id: str) -> asyncio.Lock:
        """Serialises the read-modify-write of one session's mapping."""
        lock = self._locks.get(session_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[session_id] = lock
        return lock

    @staticmethod
    def _hash(session_id: str) -> str:
        return hashlib.sha256(session_id.encode()).hexdigest()

    async def load(self, session_id: str) -> Mapping:
        """The session's mapping; 404 for an id never issued (or deleted), 410 expired."""
        if not SESSION_ID.match(session_id):
            raise UnknownSession()
        id_hash = self._hash(session_id)
        row = await self._store.fetchone(
            "SELECT expires_at, sealed FROM redaction_sessions WHERE id_hash = ?", (id_hash,)
        )
        if row is None:
            raise UnknownSession()
        if row["sealed"] is None or row["expires_at"] <= time.time():
            await self._wipe(id_hash)
            raise ExpiredSession()
        try:
            plain = self._aead.decrypt(
                row["sealed"][:_NONCE], row["sealed"][_NONCE:], id_hash.encode()
            )
        except InvalidTag:
            raise SparkError(
                f"this session's mapping cannot be opened with the vault key in {KEY_FILE} "
                "(was the key replaced?); scrub again without session_id",
                status=410,
                type="session_unreadable",
            ) from None
        return Mapping.from_json(json.loads(plain))

    async def save(self, session_id: str, mapping: Mapping) -> float:
        """Seal and store the mapping; returns the new expiry time."""
        id_hash = self._hash(session_id)
        nonce = os.urandom(_NONCE)
        plain = json.dumps(mapping.to_json(), separators=(",", ":")).encode()
        sealed = nonce + self._aead.encrypt(nonce, plain, id_hash.encode())
        now = time.time()
        expires = now + self.ttl_s
        await self._store.execute(
            "INSERT INTO redaction_sessions (id_hash, created_at, used_at, expires_at, "
            "entities, sealed) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id_hash) DO UPDATE SET "
            "used_at = excluded.used_at, expires_at = excluded.expires_at, "
            "entities = excluded.entities, sealed = excluded.sealed",
            (id_hash, now, now, expires, len(mapping), sealed),
        )
        return expires

    async def touch(self, session_id: str) -> float:
        """Extend a session's life after a use that changed nothing."""
        expires = time.time() + self.ttl_s
        await self._store.execute(
            "UPDATE redaction_sessions SET used_at = ?, expires_at = ? "
            "WHERE id_hash = ? AND sealed IS NOT NULL",
            (time.time(), expires, self._hash(session_id)),
        )
        return expires

    async def delete(self, session_id: str) -> bool:
        if not SESSION_ID.match(session_id):
            return False
        changed = await self._store.execute(
            "DELETE FROM redaction_sessions WHERE id_hash = ?", (self._hash(session_id),)
        )
        return changed > 0

    async def _wipe(self, id_hash: str) -> None:
        await self._store.execute(
            "UPDATE redaction_sessions SET sealed = NULL, entities = 0 WHERE id_hash = ?",
            (id_hash,),
        )

    async def purge(self) -> int:
        """Wipe expired mappings, and forget ids expired for longer than a TTL."""
        now = time.time()
        wiped = await self._store.execute(
            "UPDATE redaction_sessions SET sealed = NULL, entities = 0 "
            "WHERE expires_at <= ? AND sealed IS NOT NULL",
            (now,),
        )
        await self._store.execute(
            "DELETE FROM redaction_sessions WHERE expires_at <= ?", (now - self.ttl_s,)
        )
        return wiped

    async def stats(self) -> VaultStats:
        row = await self._store.fetchone(
            "SELECT COUNT(*) FILTER (WHERE sealed IS NOT NULL AND expires_at > ?) AS live, "
            "COALESCE(SUM(entities) FILTER (WHERE sealed IS NOT NULL AND expires_at > ?), 0) "
            "AS entities, COUNT(*) FILTER (WHERE sealed IS NULL OR expires_at <= ?) AS expired "
            "FROM redaction_sessions",
            (time.time(),) * 3,
        )
        assert row is not None
        return VaultStats(int(row["live"]), int(row["entities"]), int(row["expired"]))
