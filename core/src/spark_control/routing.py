"""Route claims and ordering, and the ``/v1`` dispatcher.

Plugins claim (method, path) pairs; a pair claimed twice is refused with both claimants
named. Routes are ordered so a literal segment always beats a parameter in the same
place (``/api/swap/lock`` before ``/api/swap/{id}``), whatever the registration order.

Under ``/v1`` a request goes by path, then by the ``model`` field of its body, then to
the one fallback (the OpenAI-compatible proxy, when installed). Its path is made
canonical once, before anything reads it (:class:`V1PathGuard`), and only the methods
an OpenAI-compatible API uses reach a plugin.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from starlette.datastructures import Headers
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spark_control.contrib import V1Claim
from spark_control.errors import SparkError, error_body
from spark_control.leader_hop import served_here, was_forwarded

# What an OpenAI-compatible server answers to: anything else (TRACE, PUT, ...) is 405.
V1_METHODS = frozenset({"GET", "POST", "DELETE"})
_V1_ALLOW = ", ".join(sorted(V1_METHODS))
# The characters of a decoded /v1 path: OpenAI-compatible routes and ids use no
# others. No '%' (a second decoding upstream could climb out), no '\\', no ';'.
_V1_PATH_CHARS = re.compile(r"[A-Za-z0-9._~:@+=,/-]*")


# Answers of canonical_v1_path by path: a /v1 request asks up to three times (the path
# guard, the dispatcher, the proxy) and clients use a handful of paths.
_CANONICAL: dict[str, str | None] = {}
_CANONICAL_LIMIT = 4096


def canonical_v1_path(path: str) -> str | None:
    """``path`` (already percent-decoded once, as servers do) with ``.`` and ``..``
    segments resolved and doubled slashes merged, if the result lies inside ``/v1/`` and
    holds only the characters an OpenAI-compatible path uses; None otherwise."""
    try:
        return _CANONICAL[path]
    except KeyError:
        pass
    canonical = _canonical(path)
    if len(_CANONICAL) >= _CANONICAL_LIMIT:
        _CANONICAL.clear()
    _CANONICAL[path] = canonical
    return canonical


def _canonical(path: str) -> str | None:
    if not _V1_PATH_CHARS.fullmatch(path):
        return None
    segments: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if not segments:
                return None
            segments.pop()
        else:
            segments.append(segment)
    if len(segments) < 2 or segments[0] != "v1":
        return None
    trailing = "/" if path.endswith("/") else ""
    return "/" + "/".join(segments) + trailing


def v1_refusal(method: str, path: str) -> SparkError | None:
    """Why a /v1 request must not reach a plugin (405 for a method an OpenAI-compatible
    API does not use, 400 for a path that is not canonical), or None."""
    if method not in V1_METHODS:
        return SparkError(
            f"{method} is not a method of the /v1 API (it answers {_V1_ALLOW})",
            status=405,
            type="method_not_allowed",
            headers={"Allow": _V1_ALLOW},
        )
    if canonical_v1_path(path) != path:
        return _bad_path(path)
    return None


def _bad_path(path: str) -> SparkError:
    shown = path if len(path) <= 200 else path[:197] + "..."
    return SparkError(
        f"the path {shown!r} leaves /v1/ or holds characters no /v1 route uses "
        "(a backslash, '%', ';', a space...); nothing was forwarded",
        status=400,
        type="invalid_path",
        detail={"path": shown},
    )


class V1PathGuard:
    """Outermost middleware: a request under ``/v1/`` continues with its canonical path
    (dot-segments resolved, percent-encoded dots and slashes as decoded, doubled slashes
    merged), so every guard, the body limits, the dispatcher and the upstream see one
    path; one that would leave ``/v1/`` or holds other characters is answered 400."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        # A plain function handing back the next app's awaitable: no coroutine of its
        # own on the /v1 path (each one is resumed again at every wait for the upstream).
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path.startswith("/v1/"):
            canonical = canonical_v1_path(path)
            if canonical is None:
                error = _bad_path(path)
                return _answer(send, error.status, error.message, error)
            if canonical != path:
                scope = {**scope, "path": canonical, "raw_path": canonical.encode("ascii")}
        return self.app(scope, receive, send)


def specificity_key(route: BaseRoute) -> tuple[tuple[int, str], ...]:
    """Sort key: per segment, literals before parameters before catch-alls; a mount is
    its prefix followed by a catch-all. Sorting every route by it makes the first match
    the most specific one."""
    path = getattr(route, "path", "")
    parts: list[tuple[int, str]] = []
    for segment in path.strip("/").split("/"):
        if segment.startswith("{") and segment.endswith("}"):
            parts.append((2 if ":path" in segment else 1, ""))
        else:
            parts.append((0, segment))
    if isinstance(route, Mount):
        parts.append((2, ""))
    return tuple(parts)


class V1Dispatcher:
    """The ASGI app behind ``/v1/{path}``: path, then model, then the fallback."""

    def __init__(
        self,
        unavailable: Callable[[str], str | None],
        authorize: Callable[[Scope, str], None] | None = None,
    ) -> None:
        """``unavailable(plugin)`` says why a plugin cannot serve now, or None;
        ``authorize(scope, required)`` raises a SparkError if the caller lacks a scope."""
        self._unavailable = unavailable
        self._authorize = authorize
        self.claims: dict[str, list[V1Claim]] = {}
        self.fallback: ASGIApp | None = None
        self.fallback_owner: str | None = None
        self.fallback_scope = "read"

    def add(self, claim: V1Claim) -> None:
        self.claims.setdefault(claim.path, []).append(claim)

    def conflicts(self, claims: Sequence[V1Claim], fallback: bool, plugin: str) -> list[str]:
        """Why ``plugin``'s /v1 claims clash with accepted ones (empty: they don't)."""
        problems = []
        if fallback and self.fallback is not None:
            problems.append(
                f"the /v1 fallback is claimed by both {self.fallback_owner!r} and {plugin!r}"
            )
        for claim in claims:
            for other in self.claims.get(claim.path, []):
                if claim.models is None and other.models is None:
                    problems.append(
                        f"every model on /v1{claim.path} is claimed by both "
                        f"{other.plugin!r} and {plugin!r}"
                    )
        return problems

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        refusal = v1_refusal(scope["method"], scope["path"])
        if refusal is not None:
            await _answer(send, refusal.status, refusal.message, refusal)
            return
        subpath = scope["path"][len("/v1") :]
        candidates = self.claims.get(subpath, [])
        if len(candidates) == 1 and candidates[0].models is None:
            only = candidates[0]
            await self._serve(only.plugin, only.app, only.scope, scope, receive, send)
            return
        if candidates:
            buffered = await _buffer(receive)
            if buffered is None:
                return  # the client went away or the body limit cut it off: nobody runs
            body, receive = buffered
            content_type = Headers(scope=scope).get("content-type", "")
            if not content_type.lower().startswith(_READABLE) and scope["method"] == "POST":
                # No /v1 endpoint takes another body (a form-urlencoded upload is the
                # usual slip): say so, rather than let nobody claim it and 404.
                got = content_type.partition(";")[0] or "no Content-Type"
                await _answer(
                    send,
                    415,
                    f"POST /v1{subpath} takes application/json or multipart/form-data "
                    f"(a file upload) with a 'model' field; got {got}",
                )
                return
            model = _model_of(content_type, body)
            for claim in candidates:
                if claim.serves(model):
                    await self._serve(claim.plugin, claim.app, claim.scope, scope, receive, send)
                    return
        if self.fallback is not None and self.fallback_owner is not None:
            # Checked here, not through _serve: one coroutine fewer on the proxy's path
            # (each is resumed again at every wait for the upstream).
            denied = self._refusal(self.fallback_owner, self.fallback_scope, scope)
            if denied is not None:
                await _answer(send, *denied)
                return
            await self.fallback(scope, receive, send)
            return
        await _answer(send, 404, f"no plugin serves /v1{subpath} here")

    async def _serve(
        self, plugin: str, app: ASGIApp, required: str, scope: Scope, receive: Receive, send: Send
    ) -> None:
        denied = self._refusal(plugin, required, scope)
        if denied is not None:
            await _answer(send, *denied)
            return
        await app(scope, receive, send)

    def _refusal(
        self, plugin: str, required: str, scope: Scope
    ) -> tuple[int, str, SparkError | None] | None:
        """Why ``plugin`` may not serve this request (status, message, error), or None."""
        if self._authorize is not None:
            try:
                self._authorize(scope, required)
            except SparkError as exc:
                return exc.status, exc.message, exc
        why = self._unavailable(plugin)
        if why is not None:
            return 503, f"plugin {plugin!r} is unavailable: {why}", None
        return None


async def _buffer(receive: Receive) -> tuple[bytes, Receive] | None:
    """Read the whole body (already capped by the route's body limit), and give back a
    receive that replays it; None if it never arrived whole. Done only when a path has
    several claimants."""
    chunks: list[bytes] = []
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    body = b"".join(chunks)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


_READABLE = ("application/json", "multipart/form-data")


def _model_of(content_type: str, body: bytes) -> str | None:
    media = content_type.lower()
    if media.startswith("application/json"):
        try:
            data: Any = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return None
        model = data.get("model") if isinstance(data, dict) else None
        return model if isinstance(model, str) else None
    if media.startswith("multipart/form-data"):
        return multipart_field(content_type, body, "model")
    return None


def multipart_field(content_type: str, body: bytes, name: str) -> str | None:
    """The value of one small text field of a multipart body (enough to route by)."""
    found = _multipart_value(content_type, body, name)
    return None if found is None else found[2].decode("utf-8", "replace")


def with_multipart_field(content_type: str, body: bytes, name: str, value: str) -> bytes:
    """``body`` with the text field ``name`` set to ``value`` (unchanged if absent): how
    a request naming a model by another name is passed on, uploads untouched."""
    found = _multipart_value(content_type, body, name)
    if found is None:
        return body
    start, end, _ = found
    return body[:start] + value.encode() + body[end:]


def _multipart_value(content_type: str, body: bytes, name: str) -> tuple[int, int, bytes] | None:
    """Where the value of text field ``name`` lies in ``body`` (start, end, bytes)."""
    boundary = None
    for part in content_type.split(";")[1:]:
        key, _, param = part.strip().partition("=")
        if key.lower() == "boundary":
            boundary = param.strip('"')
    if not boundary:
        return None
    marker = f'name="{name}"'.encode()
    delimiter = b"--" + boundary.encode()
    offset = 0
    for section in body.split(delimiter):
        head, sep, value = section.partition(b"\r\n\r\n")
        if sep and marker in head and b"filename=" not in head:
            start = offset + len(head) + len(sep)
            value = value.removesuffix(b"\r\n")
            return start, start + len(value), value
        offset += len(section) + len(delimiter)
    return None


async def _answer(send: Send, status: int, message: str, error: SparkError | None = None) -> None:
    """An OpenAI-shaped error answer (with ``error``'s type, detail and headers)."""
    body = error_body(
        status,
        message,
        type=error.type if error else None,
        detail=error.detail if error else None,
        openai=True,
    )
    headers = [(b"content-type", b"application/json")]
    if error is not None:
        headers += [(k.lower().encode(), v.encode()) for k, v in error.headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": json.dumps(body).encode()})


class V1Shortcut:
    """Middleware that hands ``/v1/`` requests straight to the dispatcher, past the
    framework's exception middleware and router: on the proxy's hot path, matching a
    request against every route costs more than the hop upstream itself. Installed
    innermost, so every guard middleware still runs first.

    ``replica`` (several gateways): this replica's name, which the answer to a ``/v1``
    request another replica forwarded here carries (``X-Spark-Served-By``)."""

    def __init__(
        self, app: ASGIApp, *, dispatcher: V1Dispatcher, replica: str | None = None
    ) -> None:
        self.app = app
        self.dispatcher = dispatcher
        self.replica = replica

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        if self.replica is not None and was_forwarded(scope):
            send = served_here(send, self.replica)
        try:
            await self.dispatcher(scope, receive, send)
        except SparkError as exc:
            # What the framework's handler would answer, OpenAI-shaped; an app that
            # raises after its answer began leaves the server to end the connection.
            await _answer(send, exc.status, exc.message, exc)


def v1_route(dispatcher: V1Dispatcher) -> Route:
    return Route(
        "/v1/{path:path}",
        endpoint=dispatcher,
        methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        include_in_schema=False,
    )
