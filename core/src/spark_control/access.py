"""Access control: who a request acts as, and whether its route's scope lets it through.

Authentication happens in the security middleware, before routing: an API key
(``Authorization: Bearer``; under ``/v1`` also ``api-key``, as Azure-style OpenAI
clients send it) or the dashboard's session cookie names a :class:`Principal`. With
``access.require_keys`` on, a request without one is answered 401 unless its route is
public. Authorisation happens per route: every route carries one required scope,

- declared by the route with ``dependencies=[requires("swap")]`` (or ``"public"``),
- else ``read`` for GET and HEAD and ``admin`` for every other method (fail closed:
  a plugin's new mutating route needs an admin key until it declares otherwise),
- and under ``/v1`` the scope given to ``register.v1(..., scope=...)``, default ``read``
  (inference changes nothing on the cluster).

A key lacking the scope gets 403 in the route's error shape. Plugins may declare finer
scopes of their own (``coordination.force_release``); ``admin`` grants them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Request
from fastapi.params import Depends as DependsParam
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from prometheus_client import CollectorRegistry, Counter
from starlette.datastructures import Headers
from starlette.types import Scope

from spark_control.api_keys import BUILTIN_SCOPES, SCOPE_NAME, KeyStore, Principal
from spark_control.errors import SparkError

PUBLIC = "public"
SESSION_COOKIE = "spark_session"
PRINCIPAL_KEY = "spark.principal"  # where the middleware leaves the principal in the scope
_CHECKED = "spark.scope_checked"  # the scope already checked for this request

current_principal: ContextVar[Principal | None] = ContextVar("spark_principal", default=None)
"""The principal of the request being served (read by the audit log)."""

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Shown in the OpenAPI schema so /docs offers an "Authorize" button for keys.
_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer sck_...`")


class ScopeCheck:
    """The dependency every route carries: refuses a principal without ``scope``."""

    def __init__(self, scope: str) -> None:
        if scope != PUBLIC and not SCOPE_NAME.match(scope):
            raise ValueError(f"not a scope name: {scope!r} (e.g. 'swap', 'coordination.force')")
        self.scope = scope

    async def __call__(
        self,
        request: Request,
        _key: HTTPAuthorizationCredentials | None = Depends(_bearer),  # noqa: B008
    ) -> None:
        access: AccessControl | None = getattr(request.app.state, "access", None)
        if access is not None and request.scope.get(_CHECKED) != self.scope:
            access.authorize(request.scope, self.scope)
            request.scope[_CHECKED] = self.scope

    def __repr__(self) -> str:
        return f"requires({self.scope!r})"


def requires(scope: str) -> Any:
    """Route dependency declaring the scope a route needs: ``dependencies=[requires("swap")]``.

    ``requires("public")`` makes a route answer without a key (the core's liveness and
    sign-in routes use it; a plugin rarely should).
    """
    return Depends(ScopeCheck(scope))


ANONYMOUS = "anonymous"


def require_scope(request: Request, scope: str) -> None:
    """Refuse (401/403) a caller without ``scope``, for a part of a route that needs more
    than the route does (``DELETE /api/swap/lock?force=true`` needs ``admin``)."""
    access: AccessControl | None = getattr(request.app.state, "access", None)
    if access is not None:
        access.authorize(request.scope, scope)


def request_actor(request: Request, claimed: str | None = None) -> str:
    """Who acted, for records a person reads (a swap's actor, a gate's message): the
    name the caller gives (``X-Actor``), else the name of the API key or dashboard
    sign-in it used, else ``anonymous``. At most 100 characters."""
    if not claimed:
        claimed = request.headers.get("x-actor")
    if not claimed:
        principal: Principal | None = request.scope.get(PRINCIPAL_KEY)
        claimed = principal.name if principal is not None else ANONYMOUS
    return claimed[:100]


def declared_scope(route: APIRoute) -> str | None:
    """The scope a route declared with :func:`requires`, if any (the last one wins)."""
    found = None
    for dependency in route.dependencies:
        if isinstance(dependency, DependsParam) and isinstance(dependency.dependency, ScopeCheck):
            found = dependency.dependency.scope
    return found


def default_scope(methods: Iterable[str]) -> str:
    """``read`` for a route that only reads, ``admin`` for anything that may change state."""
    return "read" if set(methods) <= SAFE_METHODS else "admin"


@dataclass(frozen=True)
class AuthProblem:
    """Why a request carries no usable identity: the 401 to answer."""

    reason: str  # missing, invalid, expired
    message: str


class AccessControl:
    """Authenticates requests (keys, sessions) and authorises them per route scope."""

    def __init__(
        self,
        keys: KeyStore,
        *,
        require_keys: bool,
        session_ttl_s: float,
        registry: CollectorRegistry,
    ) -> None:
        self.keys = keys
        self.enforced = require_keys
        self.session_ttl_s = session_ttl_s
        self.scopes: dict[str, str] = dict(_BUILTIN_DESCRIPTIONS)
        self._public: list[tuple[frozenset[str] | None, re.Pattern[str]]] = []
        self._uses = Counter(
            "spark_control_key_requests",
            "Requests made with an API key or a dashboard session, by key name and outcome",
            ["key", "outcome"],
            registry=registry,
        )
        self._refusals = Counter(
            "spark_control_auth_refusals",
            "Requests answered 401: no key, an unknown or revoked key, an expired session",
            ["reason"],
            registry=registry,
        )

    # --- what the routes declare ------------------------------------------------------

    def add_public(self, methods: frozenset[str] | None, path_regex: re.Pattern[str]) -> None:
        self._public.append((methods, path_regex))

    def add_scope(self, scope: str, owner: str) -> None:
        if scope != PUBLIC and scope not in self.scopes:
            self.scopes[scope] = f"declared by {owner}"

    def is_public(self, method: str, path: str) -> bool:
        method = "GET" if method == "HEAD" else method
        return any(
            (methods is None or method in methods) and pattern.match(path)
            for methods, pattern in self._public
        )

    # --- authentication (the middleware) -----------------------------------------------

    async def authenticate(
        self, scope: Scope, headers: Headers
    ) -> tuple[Principal | None, AuthProblem | None]:
        """The request's principal, and the 401 to answer if it needs one and has none.

        With keys off a valid key is still recognised (the audit log names it), and
        nothing is refused.
        """
        path: str = scope["path"]
        secret = _presented_key(headers, path)
        needed = self.enforced and not self.is_public(scope.get("method", "GET"), path)
        if secret is not None:
            principal = await self.keys.check(secret)
            if principal is None and needed:
                return None, self._refuse(
                    "invalid", "the API key is not valid (unknown, mistyped or revoked)"
                )
            return principal, None
        token = _cookie(headers, SESSION_COOKIE)
        if token:
            session = await self.keys.session(token)
            if session is not None:
                return session.principal, None
            if needed:
                return None, self._refuse(
                    "expired", "your dashboard sign-in has expired or ended; sign in again"
                )
        if needed:
            return None, self._refuse(
                "missing",
                "an API key is required: send 'Authorization: Bearer <key>', or sign in "
                "on the dashboard",
            )
        return None, None

    def _refuse(self, reason: str, message: str) -> AuthProblem:
        self._refusals.labels(reason).inc()
        return AuthProblem(reason, message)

    # --- authorisation (per route) -----------------------------------------------------

    def authorize(self, scope: Scope, required: str) -> None:
        """Raise 401/403 unless the request's principal may use a route needing ``required``."""
        if required == PUBLIC:
            return
        principal: Principal | None = scope.get(PRINCIPAL_KEY)
        if principal is not None and not self.enforced:
            self._uses.labels(principal.name, "allowed").inc()
            return
        if not self.enforced:
            return
        if principal is None:  # the middleware lets no such request through; belt and braces
            raise SparkError("an API key is required", status=401, type="unauthorized")
        if not principal.allows(required):
            self._uses.labels(principal.name, "forbidden").inc()
            raise SparkError(
                f"the key {principal.name!r} lacks the {required!r} scope this route needs",
                status=403,
                type="insufficient_scope",
                detail={"required_scope": required, "key": principal.name},
            )
        self._uses.labels(principal.name, "allowed").inc()

    def known_scopes(self) -> Sequence[str]:
        return list(self.scopes)


_BUILTIN_DESCRIPTIONS = {
    "read": "see everything and call the inference and data APIs; change nothing",
    "swap": "swap, stop and restart models (and read)",
    "admin": "everything: keys, node set-up, catalog changes, every plugin scope",
}
assert tuple(_BUILTIN_DESCRIPTIONS) == BUILTIN_SCOPES


def _presented_key(headers: Headers, path: str) -> str | None:
    auth = headers.get("authorization")
    if auth is not None:
        kind, _, value = auth.partition(" ")
        if kind.lower() == "bearer" and value.strip():
            return value.strip()
    if path.startswith("/v1/"):
        alt = headers.get("api-key")
        if alt:
            return alt.strip()
    return None


def _cookie(headers: Headers, name: str) -> str | None:
    for header in headers.getlist("cookie"):
        for part in header.split(";"):
            key, _, value = part.strip().partition("=")
            if key == name:
                return value
    return None
