"""``POST /v1/embeddings``, OpenAI-compatible, for this plugin's own models.

The host routes ``/v1`` by path, then by the body's ``model``: requests naming one of
``embeddings.models`` come here; any other model (one vLLM serves, say) goes on to the
``/v1`` fallback, the vllm proxy. A raw ASGI app, as the host's ``/v1`` claims are.
"""

from __future__ import annotations

import base64
import json
import struct
from collections.abc import Callable
from typing import Any

from starlette.types import Receive, Scope, Send

from spark_control.api import SparkError, error_body
from spark_control_embeddings.inputs import check_texts
from spark_control_embeddings.service import EmbeddingService

MAX_BODY = 8 * 1024 * 1024


class EmbeddingsApp:
    def __init__(self, service: Callable[[], EmbeddingService]) -> None:
        self._service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            if scope.get("method") != "POST":
                raise SparkError("use POST /v1/embeddings", status=405)
            body = await _read(receive)
            answer = await self._answer(body)
        except SparkError as exc:
            await _send(
                send,
                exc.status,
                error_body(exc.status, exc.message, type=exc.type, detail=exc.detail, openai=True),
            )
            return
        await _send(send, 200, answer)

    async def _answer(self, body: bytes) -> dict[str, Any]:
        try:
            request = json.loads(body)
        except ValueError:
            raise SparkError("the body is not JSON", status=400) from None
        if not isinstance(request, dict):
            raise SparkError("the body must be a JSON object", status=400)
        texts = _texts(request.get("input"))
        check_texts(texts)
        encoding = request.get("encoding_format", "float")
        if encoding not in ("float", "base64"):
            raise SparkError(
                "encoding_format must be 'float' or 'base64'",
                status=400,
                detail={"field": "encoding_format"},
            )
        embedded = await self._service().embedder.embed(texts, dense=True)
        data = []
        for index, vector in enumerate(embedded.vectors):
            assert vector.dense is not None
            embedding: Any = vector.dense
            if encoding == "base64":
                raw = struct.pack(f"<{len(vector.dense)}f", *vector.dense)
                embedding = base64.b64encode(raw).decode()
            data.append({"object": "embedding", "index": index, "embedding": embedding})
        tokens = sum(len(t.split()) for t in texts)
        return {
            "object": "list",
            "data": data,
            "model": request.get("model"),
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise SparkError(
        "input must be a string or a list of strings (token arrays are not supported here)",
        status=400,
        detail={"field": "input"},
    )


async def _read(receive: Receive) -> bytes:
    chunks, size, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            raise SparkError("the client went away", status=400)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            raise SparkError(f"the body exceeds {MAX_BODY} bytes", status=413)
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


async def _send(send: Send, status: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})
