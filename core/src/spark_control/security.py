"""Browser safety and access as pure ASGI middleware: Host allow-list, CORS, same-origin
guard, authentication (API keys, dashboard sessions) and body limits, in that order.

Pure ASGI (no ``BaseHTTPMiddleware``) so streamed responses pass through unbuffered.
Decisions use the path the router routes on (``scope["path"]``), never the raw one.
Which scope a route needs is checked later, per route (``access.py``).
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spark_control.access import PRINCIPAL_KEY, AccessControl, current_principal
from spark_control.errors import error_body

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_CACHED_PATHS = 4096


class IndexedHeaders(Headers):
    """Starlette's read-only headers, looked up in a dict: ``Headers`` scans every
    header for each lookup, and the guards look up about eight per request."""

    def __init__(self, *, scope: Scope) -> None:
        # Headers.__init__ without its copy of the list when it is one already.
        raw = scope["headers"]
        if not isinstance(raw, list):
            raw = scope["headers"] = list(raw)
        self._list: list[tuple[bytes, bytes]] = raw
        # Reversed, so the first of repeated headers wins, as Headers gives it. Names
        # are lower-case in an ASGI scope (Headers compares them as they are, too).
        self._index = {
            name.decode("latin-1"): value.decode("latin-1") for name, value in reversed(raw)
        }

    def __getitem__(self, key: str) -> str:
        return self._index[key.lower()]

    def __contains__(self, key: Any) -> bool:
        return isinstance(key, str) and key.lower() in self._index

    def get(self, key: str, default: Any = None) -> Any:
        return self._index.get(key.lower(), default)


@dataclass
class BodyLimits:
    """Per-route body limits, kept in the router's own matching order: the first rule
    whose method and path match is the route that will serve the request."""

    default: int
    rules: list[tuple[frozenset[str] | None, re.Pattern[str], int]] = field(default_factory=list)

    # Answers already worked out, by (method, path): most traffic repeats a few paths,
    # and scanning every rule's regex per request showed in the proxy's CPU profile.
    _cache: dict[tuple[str, str], int] = field(default_factory=dict, repr=False)

    def add(self, methods: frozenset[str] | None, path_regex: re.Pattern[str], limit: int) -> None:
        """Append a rule; ``methods`` None matches every method."""
        self.rules.append((methods, path_regex, limit))
        self._cache.clear()

    def for_request(self, method: str, path: str) -> int:
        key = (method, path)
        limit = self._cache.get(key)
        if limit is None:
            limit = self._scan(method, path)
            if len(self._cache) >= _CACHED_PATHS:
                self._cache.clear()  # paths that never repeat must not grow memory
            self._cache[key] = limit
        return limit

    def _scan(self, method: str, path: str) -> int:
        for methods, pattern, limit in self.rules:
            if (methods is None or method in methods) and pattern.match(path):
                return limit
        return self.default


@dataclass
class AccessPolicy:
    """Who may reach the gateway: Host names and origins besides the gateway's own."""

    allowed_hosts: frozenset[str]
    trusted_origins: frozenset[str]
    host_setting: str = "gateway.allowed_hosts"
    cors_origins: frozenset[str] = frozenset()

    @classmethod
    def build(
        cls,
        bind_host: str,
        hosts: Iterable[str],
        origins: Iterable[str],
        cors_origins: Iterable[str] = (),
    ) -> AccessPolicy:
        names = {h.lower().strip("[]") for h in hosts} | _LOCAL_NAMES
        if bind_host not in ("0.0.0.0", "::", ""):
            names.add(bind_host.lower().strip("[]"))
        cors = frozenset(o.rstrip("/").lower() for o in cors_origins)
        # An origin allowed to call the API cross-origin may also send state changes.
        trusted = frozenset(o.rstrip("/").lower() for o in origins) | cors
        return cls(frozenset(names), trusted, cors_origins=cors)

    def host_allowed(self, hostname: str) -> bool:
        # An IP literal cannot come from DNS rebinding, which needs the attacker's domain.
        if hostname in self.allowed_hosts or "*" in self.allowed_hosts:
            return True
        try:
            ipaddress.ip_address(hostname)
        except ValueError:
            return False
        return True


def split_host(host_header: str) -> str:
    """``Host`` header value to a lower-case hostname without port or brackets."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


class SecurityMiddleware:
    """Refuses foreign Host headers (421-style 400), preflights from origins not allowed
    (403), cross-site state changes (403), requests without a needed key (401) and bodies
    over the routed path's limit (413)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        policy: Callable[[], AccessPolicy],
        limits: Callable[[], BodyLimits],
        access: Callable[[], AccessControl | None] = lambda: None,
    ) -> None:
        self.app = app
        self._policy = policy
        self._limits = limits
        self._access = access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        openai = path.startswith("/v1/")
        headers = IndexedHeaders(scope=scope)
        method = scope["method"]
        guarded = await self._guard(scope, headers, send, openai)
        if guarded is None:
            return
        send = guarded

        access = self._access()
        if access is not None:
            principal, problem = await access.authenticate(scope, headers)
            if problem is not None:
                await _refuse(
                    send,
                    401,
                    problem.message,
                    "unauthorized",
                    openai,
                    headers={"www-authenticate": "Bearer", "cache-control": "no-store"},
                    detail={"reason": problem.reason},
                )
                return
            if principal is not None:
                scope[PRINCIPAL_KEY] = principal
                token = current_principal.set(principal)
                try:
                    await self._limited(scope, receive, send, method, path, headers, openai)
                finally:
                    current_principal.reset(token)
                return
        await self._limited(scope, receive, send, method, path, headers, openai)

    async def _guard(self, scope: Scope, headers: Headers, send: Send, openai: bool) -> Send | None:
        """The Host allow-list, CORS and the same-origin guard: None when one of them
        answered, else ``send`` (with the CORS headers added for an allowed origin)."""
        policy = self._policy()
        hostname = split_host(headers.get("host", ""))
        if not policy.host_allowed(hostname):
            await _refuse(
                send,
                400,
                f"Host {hostname or '(none)'!r} is not allowed (DNS-rebinding guard); if this is "
                f"how you reach the gateway, add it to {policy.host_setting}",
                "host_not_allowed",
                openai,
            )
            return None
        method = scope["method"]
        origin = headers.get("origin")
        cors = _cors_origin(origin, scope, headers, policy)
        if method == "OPTIONS" and origin and "access-control-request-method" in headers:
            await _preflight(send, cors, headers, openai)
            return None
        if cors is not None:
            send = _with_cors(send, cors)
        if method not in SAFE_METHODS:
            reason = _cross_origin_reason(headers, scope, policy)
            if reason:
                await _refuse(
                    send, 403, f"cross-origin request refused: {reason}", "forbidden", openai
                )
                return None
        return send

    def _limited(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        method: str,
        path: str,
        headers: Headers,
        openai: bool,
    ) -> Awaitable[None]:
        """What to await for the request, within its body limit (a plain function: no
        coroutine of its own between the middleware and the app)."""
        limit = self._limits().for_request(method, path)
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                return _refuse(send, 400, "invalid Content-Length", "bad_request", openai)
            if int(declared) > limit:
                return _refuse(send, 413, _too_large(limit), "payload_too_large", openai)
        if "transfer-encoding" not in headers:
            # The body is the declared length (or none): the server's framing holds it
            # to that, so there is nothing more to meter.
            return self.app(scope, receive, send)
        # A chunked body declares no length: meter it as it arrives, GETs too.
        return _LimitedCall(self.app, limit, openai)(scope, receive, send)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The same Host and Origin checks for a WebSocket handshake; refusal closes it."""
        headers = Headers(scope=scope)
        policy = self._policy()
        origin = headers.get("origin")
        own = f"{'https' if scope.get('scheme') == 'wss' else 'http'}://{headers.get('host', '')}"
        refused = not policy.host_allowed(split_host(headers.get("host", ""))) or (
            origin is not None
            and origin.rstrip("/").lower() not in {own.lower(), *policy.trusted_origins}
        )
        access = self._access()
        if not refused and access is not None:
            principal, problem = await access.authenticate(scope, headers)
            refused = problem is not None
            if principal is not None:
                scope[PRINCIPAL_KEY] = principal
        if refused:
            await receive()
            await send({"type": "websocket.close", "code": 1008})
            return
        await self.app(scope, receive, send)


_CORS_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE"
_HEADER_LIST = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$")


def _cors_origin(
    origin: str | None, scope: Scope, headers: Headers, policy: AccessPolicy
) -> str | None:
    """The request's Origin if it is another origin on the CORS allow-list, else None."""
    if not origin or not policy.cors_origins:
        return None
    normal = origin.strip().rstrip("/").lower()
    own = f"{scope.get('scheme', 'http')}://{headers.get('host', '')}".lower()
    return origin.strip() if normal != own and normal in policy.cors_origins else None


async def _preflight(send: Send, cors: str | None, headers: Headers, openai: bool) -> None:
    """Answer a CORS preflight: 204 with the grants for an allowed origin, 403 otherwise.

    No ``Access-Control-Allow-Credentials``: cross-origin callers authenticate with a
    key in a header, never with the dashboard's cookie.
    """
    if cors is None:
        origin = headers.get("origin", "")
        await _refuse(
            send,
            403,
            f"origin {origin!r} may not call this API from a browser; add it to "
            "access.cors_origins to allow it",
            "forbidden",
            openai,
        )
        return
    requested = headers.get("access-control-request-headers", "").strip()
    allowed = requested if requested and _HEADER_LIST.match(requested) else "authorization"
    await send(
        {
            "type": "http.response.start",
            "status": 204,
            "headers": [
                (b"access-control-allow-origin", cors.encode()),
                (b"access-control-allow-methods", _CORS_METHODS.encode()),
                (b"access-control-allow-headers", allowed.encode()),
                (b"access-control-max-age", b"600"),
                (b"vary", b"Origin"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": b""})


def _with_cors(send: Send, origin: str) -> Send:
    """``send`` with the CORS headers that let the allowed origin read the response."""

    async def cors_send(message: Message) -> None:
        if message["type"] == "http.response.start":
            extra = [
                (b"access-control-allow-origin", origin.encode()),
                (b"access-control-expose-headers", b"retry-after, content-type"),
                (b"vary", b"Origin"),
            ]
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return cors_send


def _cross_origin_reason(headers: Headers, scope: Scope, policy: AccessPolicy) -> str | None:
    """Why a state-changing request looks cross-site, or None if it does not.

    A request with none of Origin, Referer and Sec-Fetch-Site (curl, SDKs) passes:
    browsers always send at least one of them on a cross-site POST.
    """
    origin = headers.get("origin")
    site = headers.get("sec-fetch-site")
    referer = headers.get("referer")
    if origin is None and site is None and referer is None:
        return None  # the usual API client: nothing to compare (and nothing built)
    own = f"{scope.get('scheme', 'http')}://{headers.get('host', '')}".lower()
    trusted = {own, *policy.trusted_origins}
    if origin is not None:
        if origin.strip().lower() == "null":
            return "Origin is 'null'"
        if origin.rstrip("/").lower() not in trusted:
            return f"Origin {origin!r} is not this gateway ({own})"
        return None
    if site is not None and site.lower() in ("cross-site", "same-site"):
        return f"Sec-Fetch-Site is {site!r}"
    if referer is not None:
        ref_origin = _origin_of(referer)
        if ref_origin is not None and ref_origin not in trusted:
            return f"Referer is from {ref_origin}"
    return None


def _too_large(limit: int) -> str:
    return f"request body is larger than this route's limit of {limit} bytes"


class _LimitedCall:
    """Runs the app with a receive that stops at ``limit`` bytes and answers 413."""

    def __init__(self, app: ASGIApp, limit: int, openai: bool) -> None:
        self.app = app
        self.limit = limit
        self.openai = openai
        self.received = 0
        self.exceeded = False
        self.started = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self._receive, self._send = receive, send
        try:
            await self.app(scope, self._limited_receive, self._guarded_send)
        except Exception:
            if not self.exceeded:
                raise
        if self.exceeded and not self.started:
            await _refuse(send, 413, _too_large(self.limit), "payload_too_large", self.openai)

    async def _limited_receive(self) -> Message:
        if self.exceeded:
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                self.exceeded = True
                return {"type": "http.disconnect"}
        return message

    async def _guarded_send(self, message: Message) -> None:
        if self.exceeded and not self.started:
            return  # the 413 below replaces whatever the app says
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)


async def _refuse(
    send: Send,
    status: int,
    message: str,
    type_: str,
    openai: bool,
    *,
    headers: dict[str, str] | None = None,
    detail: Any = None,
) -> None:
    body = json.dumps(error_body(status, message, type=type_, detail=detail, openai=openai))
    raw = body.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(raw)).encode()),
                *((k.encode(), v.encode()) for k, v in (headers or {}).items()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": raw})
