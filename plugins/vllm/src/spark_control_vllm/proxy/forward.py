"""The hot path: one request forwarded to one upstream, its answer streamed back.

Raw ASGI on purpose: no framework routing, no ``StreamingResponse``. Each chunk the
upstream sends is written to the client as it arrives, never collected. The caller's
credentials stay here: the upstream gets its own key, if it has one.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.types import Send

from spark_control.api import SparkError, error_body
from spark_control_vllm.proxy.h1 import Exchange, UpstreamConnectTimeout, UpstreamFailed
from spark_control_vllm.proxy.upstream import Upstream
from spark_control_vllm.proxy.watch import UpstreamBroke, Watch

__all__ = ["UpstreamBroke", "forward", "send_error", "upstream_headers"]

# Never forwarded: per-connection headers, what the client sets itself (Host,
# Content-Length: proxy/h1.py), and the caller's
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
    path: str,
    query: bytes,
    headers: list[tuple[str, str]],
    body: bytes,
    send: Send,
    watch: Watch,
) -> int:
    """Send the request upstream and stream its answer to the client; the status sent.
    ``watch.ending()`` is called just before the answer's last write; ``watch`` also
    cuts the request when the upstream stays silent longer than its read timeout.

    Raises :class:`SparkError` (502/504) when nothing came back, so the caller can still
    answer; once the answer has begun, a broken (or silent) upstream only ends the stream
    early (:class:`UpstreamBroke`).
    """
    watch.expect(upstream.read_timeout_s)
    try:
        response = await upstream.pool.send(
            method, upstream.pool.target(path, query), headers, body
        )
    except (UpstreamFailed, asyncio.CancelledError) as exc:
        watch.quiet()
        error = _no_answer(upstream, exc, watch)
        if error is None:
            raise  # cancelled, not by the silence watch: goes on as it is
        raise error from exc
    try:
        start = {
            "type": "http.response.start",
            "status": response.status,
            "headers": [(name, value) for name, value in response.raw_headers if _returned(name)],
        }
        length = response.content_length
        watch.last = watch.clock()
        if length is not None and length <= _ONE_WRITE_BYTES:
            watch.stage = "body"
            data = await _read_whole(upstream, response)
            watch.quiet()
            if response.status == 404 and not _openai_error(data):
                # A path the upstream has no route for (vLLM answers FastAPI's
                # {"detail": "Not Found"}): the client gets the OpenAI shape.
                watch.ending()
                await send_error(send, _unknown_path(method, path, upstream.name))
                return 404
            await send(start)
            watch.ending()
            await send({"type": "http.response.body", "body": data})
            return response.status
        await send(start)
        watch.stage = "stream"
        clock = watch.clock
        last = b""
        try:
            while chunk := await response.readany():
                watch.last = clock()
                if response.at_eof():
                    # The upstream's answer ended with this read (at c = 1 a whole
                    # streamed answer often comes in one): it goes as the last write,
                    # the same bytes in one server write and one send fewer.
                    last = chunk
                    break
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
                # A client slow to take the answer is not the upstream's silence.
                watch.last = clock()
        except UpstreamFailed as exc:
            raise UpstreamBroke(f"{exc} (mid-stream)") from exc
        watch.ending()
        await send({"type": "http.response.body", "body": last})
        return response.status
    except asyncio.CancelledError:
        if watch.was_silence():
            raise watch.error(upstream.name) from None
        raise
    finally:
        watch.quiet()
        # A finished answer's connection goes back to the pool; closing (not releasing)
        # an unfinished one drops the connection, which is how vLLM learns that the
        # request was abandoned.
        response.release()


def _no_answer(upstream: Upstream, exc: BaseException, watch: Watch) -> Exception | None:
    """What the client is told when the upstream did not answer (None: a cancellation
    that is not the silence watch's)."""
    if isinstance(exc, asyncio.CancelledError):
        return watch.error(upstream.name) if watch.was_silence() else None
    if isinstance(exc, UpstreamConnectTimeout):
        return SparkError(
            f"upstream {upstream.name!r} is unreachable ({exc})",
            status=502,
            type="upstream_unreachable",
        )
    return SparkError(
        f"upstream {upstream.name!r} is unreachable ({exc})",
        status=502,
        type="upstream_unreachable",
    )


# Response header names (as the upstream spelled them) -> whether they are passed back.
_RETURNED: dict[bytes, bool] = {}


def _returned(name: bytes) -> bool:
    """Per-connection headers, the ones the gateway's server sets itself and the
    upstream's CORS answer are not passed back (remembered per spelling: a few names
    repeat on every answer)."""
    keep = _RETURNED.get(name)
    if keep is None:
        lower = name.lower()
        keep = lower not in _NOT_RETURNED and not lower.startswith(_CORS_PREFIX)
        if len(_RETURNED) < 1024:
            _RETURNED[name] = keep
    return keep


async def _read_whole(upstream: Upstream, response: Exchange) -> bytes:
    """A short answer, read whole before anything is sent (so its failure is still a
    clean 502 for the client)."""
    try:
        return await response.read()
    except UpstreamFailed as exc:
        raise SparkError(
            f"upstream {upstream.name!r} broke off its answer ({exc})",
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


def _unknown_path(method: str, path: str, upstream: str) -> SparkError:
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
