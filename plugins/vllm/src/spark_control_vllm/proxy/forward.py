"""The hot path: one request forwarded to one upstream, its answer streamed back.

Raw ASGI on purpose: no framework routing, no ``StreamingResponse``. Each chunk the
upstream sends is written to the client as it arrives, never collected. The caller's
credentials stay here: the upstream gets its own key, if it has one.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import aiohttp
from starlette.types import Send

from spark_control.api import SparkError, error_body
from spark_control_vllm.proxy.upstream import Upstream

# Never forwarded: per-connection headers, what aiohttp recomputes, and the caller's
# credentials for the gateway (a gateway key or dashboard cookie must not leave).
_NOT_FORWARDED = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
        "authorization",
        "api-key",
        "x-api-key",
        "cookie",
        "x-swap-lock-token",
        # The gateway answers CORS itself; vLLM's own (every origin) must not decide.
        "origin",
        "expect",
    }
)
_NOT_FORWARDED_BYTES = frozenset(name.encode("latin-1") for name in _NOT_FORWARDED)
# Not passed back: per-connection headers, and the ones the gateway's server sets itself.
_NOT_RETURNED = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"transfer-encoding",
        b"date",
        b"server",
        b"trailer",
        b"upgrade",
        b"proxy-authenticate",
    }
)
# The upstream's CORS answer never reaches a browser: the gateway's allow-list decides.
_CORS_PREFIX = b"access-control-"


class UpstreamBroke(Exception):
    """The upstream failed after the answer had begun: the client's stream is cut, not
    ended cleanly, so it cannot mistake a truncated answer for a whole one."""


class Silence:
    """The longest an upstream may stay silent mid-request, watched with one timer.

    aiohttp's ``sock_read`` timeout does the same job by cancelling and re-arming a
    timer on every read: about 2 us per chunk on uvloop, which for a 64-chunk stream
    at c=1 was most of what the gateway cost above the floor probe. Here each chunk
    only notes the loop's clock; the one timer, when it fires, re-arms itself for the
    last chunk's time plus the limit, and only a real silence of ``limit_s`` expires
    ``deadline`` (an ``asyncio.timeout``), which cancels the request's task and turns
    the cancellation into ``TimeoutError`` where the ``async with`` ends.
    """

    __slots__ = ("_deadline", "_handle", "_limit_s", "_loop", "clock", "last", "stage")

    def __init__(self, deadline: asyncio.Timeout, limit_s: float) -> None:
        self._loop = asyncio.get_running_loop()
        self._deadline = deadline
        self._limit_s = limit_s
        self.clock = self._loop.time
        self.last = self.clock()
        # What the request was waiting for when it went silent: "answer", "body", "stream".
        self.stage = "answer"
        self._handle: asyncio.TimerHandle | None = self._loop.call_at(
            self.last + limit_s, self._check
        )

    def _check(self) -> None:
        due = self.last + self._limit_s
        if self._loop.time() < due:
            self._handle = self._loop.call_at(due, self._check)
            return
        self._handle = None
        self._deadline.reschedule(self._loop.time())

    def stop(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def error(self, upstream: str) -> Exception:
        """What a silence at this stage means for the client."""
        if self.stage == "stream":
            return UpstreamBroke(f"no data for {self._limit_s:g} s mid-stream")
        if self.stage == "body":
            return SparkError(
                f"upstream {upstream!r} went silent mid-answer", status=504, type="timeout"
            )
        return SparkError(
            f"upstream {upstream!r} did not answer in time", status=504, type="timeout"
        )


# A complete answer at most this big is read whole and sent in one write.
_ONE_WRITE_BYTES = 256 * 1024


def upstream_headers(raw: list[tuple[bytes, bytes]], api_key: str | None) -> list[tuple[str, str]]:
    headers = [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, value in raw
        if name.lower() not in _NOT_FORWARDED_BYTES
    ]
    if api_key:
        headers.append(("Authorization", f"Bearer {api_key}"))
    return headers


async def forward(
    upstream: Upstream,
    method: str,
    path_and_query: str,
    headers: list[tuple[str, str]],
    body: bytes,
    send: Send,
    ending: Callable[[], None],
) -> int:
    """Send the request upstream and stream its answer to the client; the status sent.
    ``ending()`` is called just before the answer's last write.

    Raises :class:`SparkError` (502/504) when nothing came back, so the caller can still
    answer; once the answer has begun, a broken (or silent) upstream only ends the stream
    early (:class:`UpstreamBroke`).
    """
    silence: Silence | None = None
    try:
        async with asyncio.timeout(None) as deadline:
            silence = Silence(deadline, upstream.read_timeout_s)
            try:
                return await _exchange(
                    upstream, method, path_and_query, headers, body, send, ending, silence
                )
            finally:
                silence.stop()
    except TimeoutError as exc:
        if silence is None or deadline.when() is None:
            raise  # not the silence watchdog's (aiohttp's connect timeout is mapped inside)
        raise silence.error(upstream.name) from exc


async def _exchange(
    upstream: Upstream,
    method: str,
    path_and_query: str,
    headers: list[tuple[str, str]],
    body: bytes,
    send: Send,
    ending: Callable[[], None],
    silence: Silence,
) -> int:
    try:
        response = await upstream.session.request(
            method,
            upstream.base_url + path_and_query,
            data=body or None,
            headers=headers,
            allow_redirects=False,
        )
    except aiohttp.ConnectionTimeoutError as exc:
        raise SparkError(
            f"upstream {upstream.name!r} is unreachable (no connection within "
            f"{upstream.session.timeout.sock_connect:g} s)",
            status=502,
            type="upstream_unreachable",
        ) from exc
    except TimeoutError as exc:
        raise SparkError(
            f"upstream {upstream.name!r} did not answer in time", status=504, type="timeout"
        ) from exc
    except aiohttp.ClientError as exc:
        raise SparkError(
            f"upstream {upstream.name!r} is unreachable ({type(exc).__name__})",
            status=502,
            type="upstream_unreachable",
        ) from exc
    try:
        start = {
            "type": "http.response.start",
            "status": response.status,
            "headers": [
                (name, value)
                for name, value in response.raw_headers
                if name.lower() not in _NOT_RETURNED and not name.lower().startswith(_CORS_PREFIX)
            ],
        }
        length = response.content_length
        silence.last = silence.clock()
        if length is not None and length <= _ONE_WRITE_BYTES:
            silence.stage = "body"
            data = await _read_whole(upstream, response)
            if response.status == 404 and not _openai_error(data):
                # A path the upstream has no route for (vLLM answers FastAPI's
                # {"detail": "Not Found"}): the client gets the OpenAI shape.
                ending()
                await send_error(send, _unknown_path(method, path_and_query, upstream.name))
                return 404
            await send(start)
            ending()
            await send({"type": "http.response.body", "body": data})
            return response.status
        await send(start)
        silence.stage = "stream"
        clock = silence.clock
        try:
            async for chunk in response.content.iter_any():
                silence.last = clock()
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
                # A client slow to take the answer is not the upstream's silence.
                silence.last = clock()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise UpstreamBroke(f"{type(exc).__name__} mid-stream") from exc
        ending()
        await send({"type": "http.response.body", "body": b""})
        return response.status
    finally:
        # Closing (not releasing) an unfinished answer drops the connection, which is
        # how vLLM learns that the request was abandoned.
        if response.content.at_eof():
            response.release()
        else:
            response.close()


async def _read_whole(upstream: Upstream, response: aiohttp.ClientResponse) -> bytes:
    """A short answer, read whole before anything is sent (so its failure is still a
    clean 504/502 for the client)."""
    try:
        return await response.read()
    except TimeoutError as exc:
        raise SparkError(
            f"upstream {upstream.name!r} went silent mid-answer", status=504, type="timeout"
        ) from exc
    except aiohttp.ClientError as exc:
        raise SparkError(
            f"upstream {upstream.name!r} broke off its answer ({type(exc).__name__})",
            status=502,
            type="upstream_unreachable",
        ) from exc


def _openai_error(body: bytes) -> bool:
    """Whether an answer's body is an OpenAI-style error (``{"error": ...}``, or vLLM's
    older ``{"object": "error", ...}``), which passes through as it is."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False
    return isinstance(data, dict) and ("error" in data or data.get("object") == "error")


def _unknown_path(method: str, path_and_query: str, upstream: str) -> SparkError:
    path = path_and_query.partition("?")[0]
    return SparkError(
        f"Invalid URL ({method} {path}): no route of the gateway or of upstream "
        f"{upstream!r} answers it",
        status=404,
        type="invalid_request_error",
        detail={"path": path},
    )


async def send_error(send: Send, error: SparkError) -> None:
    """An OpenAI-shaped error answer, with the error's headers (Retry-After)."""
    body = json.dumps(
        error_body(error.status, error.message, type=error.type, detail=error.detail, openai=True)
    ).encode()
    headers: list[Any] = [(b"content-type", b"application/json")]
    headers += [(k.lower().encode(), v.encode()) for k, v in error.headers.items()]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
