"""API keys and dashboard sessions: named, scoped, stored hashed in the gateway's store.

A key's secret is shown once, when it is made (``sck_<id>_<random>``); the store keeps
only its SHA-256, which is enough for a 256-bit random secret (nothing to brute-force,
so no slow hash is needed on every request). The id in the secret finds the row
without scanning. A dashboard session is a random token in an HttpOnly cookie, stored
hashed too, bound to the key that signed in: revoking the key ends its sessions.

Checked keys and sessions are cached for ``cache_s`` seconds so the hot path (the
``/v1`` proxy) does not read the database per request; a key revoked through this
gateway is dropped from the cache at once, one revoked from the CLI (another process)
within ``cache_s``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from spark_control.errors import InvalidValue, SparkError
from spark_control.store import Store

OWNER = "core.access"
SECRET_PREFIX = "sck"  # noqa: S105 - a marker, not a secret
BUILTIN_SCOPES = ("read", "swap", "admin")
KEY_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,62}$")
SCOPE_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
_SECRET = re.compile(rf"^{SECRET_PREFIX}_([0-9a-f]{{12}})_([A-Za-z0-9_-]{{43}})$")
_CACHE_LIMIT = 10_000

_MIGRATIONS = [
    """
    CREATE TABLE core_api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        scopes TEXT NOT NULL,
        hash TEXT NOT NULL,
        created REAL NOT NULL,
        revoked REAL,
        last_used REAL
    );
    CREATE UNIQUE INDEX core_api_keys_active_name ON core_api_keys (name)
        WHERE revoked IS NULL;
    CREATE TABLE core_sessions (
        hash TEXT PRIMARY KEY,
        key_id TEXT NOT NULL REFERENCES core_api_keys (id),
        created REAL NOT NULL,
        expires REAL NOT NULL
    );
    """,
]


@dataclass(frozen=True)
class Principal:
    """Who a request acts as: the key's name (never its secret) and its scopes."""

    name: str
    scopes: frozenset[str]
    key_id: str
    via: Literal["key", "session"] = "key"

    def allows(self, required: str) -> bool:
        return allows(self.scopes, required)


def allows(scopes: Iterable[str], required: str) -> bool:
    """``admin`` grants every scope; any scope grants ``read``; else the exact name."""
    granted = set(scopes)
    return "admin" in granted or required in granted or (required == "read" and bool(granted))


@dataclass(frozen=True)
class KeyInfo:
    """A key as listed: never the secret, nor its hash."""

    id: str
    name: str
    scopes: list[str]
    created: float
    revoked: float | None
    last_used: float | None

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "scopes": self.scopes,
            "created": self.created,
            "revoked": self.revoked,
            "last_used": self.last_used,
        }


@dataclass(frozen=True)
class Session:
    principal: Principal
    expires: float


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class KeyConflict(SparkError):
    """A key of that name is already active."""

    status = 409
    type = "conflict"


class KeyStore:
    """Create, list, revoke and check API keys and sessions; call :meth:`setup` once."""

    def __init__(self, store: Store, *, cache_s: float = 5.0) -> None:
        self.store = store
        self.cache_s = cache_s
        self._keys: dict[str, tuple[float, dict[str, Any] | None]] = {}
        self._sessions: dict[str, tuple[float, Session | None]] = {}
        self._last_used: dict[str, float] = {}

    async def setup(self) -> None:
        await self.store.migrate(OWNER, _MIGRATIONS)

    # --- keys ---------------------------------------------------------------------------

    async def create(
        self, name: str, scopes: Iterable[str], known_scopes: Iterable[str] | None = None
    ) -> tuple[KeyInfo, str]:
        """Make a key; return it and its secret (the only time the secret exists).

        ``known_scopes`` None (the CLI, which does not load the plugins' routes) accepts
        the built-in scopes and any namespaced plugin scope name (``coordination.force``).
        """
        if not isinstance(name, str) or not KEY_NAME.match(name):
            raise InvalidValue(
                "name", "must be 1-63 lower-case letters, digits, '.', '_' or '-', e.g. 'ci-bot'"
            )
        chosen = sorted(set(scopes))
        if not chosen:
            raise InvalidValue("scopes", "give at least one scope, e.g. 'read'")
        known = set(BUILTIN_SCOPES if known_scopes is None else known_scopes)
        unknown = [
            s
            for s in chosen
            if s not in known and not (known_scopes is None and "." in s and SCOPE_NAME.match(s))
        ]
        if unknown:
            raise InvalidValue(
                "scopes", f"unknown scope {unknown[0]!r}; known: {', '.join(sorted(known))}"
            )
        key_id = secrets.token_hex(6)
        secret = f"{SECRET_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
        now = time.time()

        def insert(conn: Any) -> None:
            taken = conn.execute(
                "SELECT 1 FROM core_api_keys WHERE name = ? AND revoked IS NULL", (name,)
            ).fetchone()
            if taken:
                raise KeyConflict(
                    f"a key named {name!r} exists; revoke it first or choose another name",
                    detail={"name": name},
                )
            conn.execute(
                "INSERT INTO core_api_keys (id, name, scopes, hash, created) VALUES (?,?,?,?,?)",
                (key_id, name, json.dumps(chosen), digest(secret), now),
            )

        await self.store.transaction(insert)
        return KeyInfo(key_id, name, chosen, now, None, None), secret

    async def list(self, *, include_revoked: bool = False) -> list[KeyInfo]:
        await self.flush_usage()
        sql = "SELECT * FROM core_api_keys"
        if not include_revoked:
            sql += " WHERE revoked IS NULL"
        rows = await self.store.fetchall(sql + " ORDER BY created")
        return [_info(row) for row in rows]

    async def revoke(self, name: str) -> KeyInfo:
        """Revoke the active key ``name`` and end its dashboard sessions."""
        now = time.time()

        def update(conn: Any) -> dict[str, Any] | None:
            row = conn.execute(
                "SELECT * FROM core_api_keys WHERE name = ? AND revoked IS NULL", (name,)
            ).fetchone()
            if row is None:
                return None
            conn.execute("UPDATE core_api_keys SET revoked = ? WHERE id = ?", (now, row["id"]))
            conn.execute("DELETE FROM core_sessions WHERE key_id = ?", (row["id"],))
            return {**dict(row), "revoked": now}

        row = await self.store.transaction(update)
        if row is None:
            raise SparkError(f"no active key named {name!r}", status=404, type="not_found")
        self._keys.pop(row["id"], None)
        self._sessions = {h: v for h, v in self._sessions.items() if not _of_key(v, row["id"])}
        return _info(row)

    async def check(self, secret: str) -> Principal | None:
        """The principal of a presented secret, or None if it is no active key."""
        match = _SECRET.match(secret)
        if match is None:
            return None
        key_id = match.group(1)
        row = await self._key_row(key_id)
        if row is None or row["revoked"] is not None:
            return None
        if not hmac.compare_digest(digest(secret), row["hash"]):
            return None
        self._last_used[key_id] = time.time()
        return Principal(row["name"], frozenset(json.loads(row["scopes"])), key_id)

    async def _key_row(self, key_id: str) -> dict[str, Any] | None:
        now = time.monotonic()
        cached = self._keys.get(key_id)
        if cached is not None and now - cached[0] < self.cache_s:
            return cached[1]
        row = await self.store.fetchone("SELECT * FROM core_api_keys WHERE id = ?", (key_id,))
        if len(self._keys) >= _CACHE_LIMIT:
            self._keys.clear()
        self._keys[key_id] = (now, row)
        return row

    async def flush_usage(self) -> None:
        """Write the in-memory "last used" times (kept off the request path)."""
        pending, self._last_used = self._last_used, {}
        if pending:
            await self.store.executemany(
                "UPDATE core_api_keys SET last_used = ? WHERE id = ?",
                [(t, key_id) for key_id, t in pending.items()],
            )

    # --- sessions -----------------------------------------------------------------------

    async def open_session(self, principal: Principal, ttl_s: float) -> tuple[str, float]:
        """A new session token for ``principal`` and when it expires."""
        token = secrets.token_urlsafe(32)
        now = time.time()
        expires = now + ttl_s
        await self.store.execute("DELETE FROM core_sessions WHERE expires < ?", (now,))
        await self.store.execute(
            "INSERT INTO core_sessions (hash, key_id, created, expires) VALUES (?,?,?,?)",
            (digest(token), principal.key_id, now, expires),
        )
        return token, expires

    async def session(self, token: str) -> Session | None:
        """The live session of a cookie token, or None if unknown, expired or revoked."""
        if not token or len(token) > 100:
            return None
        hashed = digest(token)
        now = time.monotonic()
        cached = self._sessions.get(hashed)
        if cached is not None and now - cached[0] < self.cache_s:
            found = cached[1]
        else:
            row = await self.store.fetchone(
                "SELECT s.expires, k.id, k.name, k.scopes FROM core_sessions s"
                " JOIN core_api_keys k ON k.id = s.key_id"
                " WHERE s.hash = ? AND k.revoked IS NULL",
                (hashed,),
            )
            found = None
            if row is not None:
                principal = Principal(
                    row["name"], frozenset(json.loads(row["scopes"])), row["id"], "session"
                )
                found = Session(principal, row["expires"])
            if len(self._sessions) >= _CACHE_LIMIT:
                self._sessions.clear()
            self._sessions[hashed] = (now, found)
        if found is None or found.expires <= time.time():
            return None
        self._last_used[found.principal.key_id] = time.time()
        return found

    async def close_session(self, token: str) -> None:
        hashed = digest(token)
        self._sessions.pop(hashed, None)
        await self.store.execute("DELETE FROM core_sessions WHERE hash = ?", (hashed,))


def _of_key(entry: tuple[float, Session | None], key_id: str) -> bool:
    return entry[1] is not None and entry[1].principal.key_id == key_id


def _info(row: dict[str, Any]) -> KeyInfo:
    return KeyInfo(
        row["id"],
        row["name"],
        json.loads(row["scopes"]),
        row["created"],
        row["revoked"],
        row["last_used"],
    )
