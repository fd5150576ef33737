"""The scrubbing proxy: an OpenAI-compatible ``POST /api/redaction/v1/chat/completions``
(formerly ``/api/redact/v1/chat/completions``, still served, deprecated) that forwards
to the configured external provider with every message scrubbed, and rehydrates the
reply, streamed or not.

All messages of one request share one session, so the model sees one placeholder per
entity across the conversation. A caller continuing a conversation passes the session
back in ``X-Redaction-Session``; every answer carries it. Errors are OpenAI-shaped.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from spark_control.api import Host, SparkError, error_body, plugin_instance, requires
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.metrics import RedactionMetrics
from spark_control_redaction.plugin import RedactionPlugin
from spark_control_redaction.scrub import JsonLexer, StreamRehydrator, rehydrate
from spark_control_redaction.service import Redactor

PATH = "/api/redaction/v1/chat/completions"
ALIASES = {"/api/redact/v1/chat/completions": PATH}
"""Old path: new path (the old one stays served, deprecated)."""
SESSION_HEADER = "X-Redaction-Session"
UNKNOWN_HEADER = "X-Redaction-Unknown-Placeholders"

# Where a string sits in the request body: its container and its key (or index).
Slot = tuple[Any, Any]
# Request fields whose strings are protocol, not content: they are never scrubbed.
# Every other string in the body is (messages, names, tool arguments, "user",
# "metadata", tool descriptions…): an unknown field fails closed.
STRUCTURAL_KEYS = frozenset(
    {
        "model", "role", "type", "id", "tool_call_id", "stop", "response_format",
        "tool_choice", "logit_bias", "stream_options", "modalities", "reasoning_effort",
        "service_tier", "image_url", "input_audio", "parameters", "format", "detail",
        "prompt_cache_key", "verbosity",
    }
)  # fmt: skip


def _openai_error(exc: SparkError) -> JSONResponse:
    return JSONResponse(
        error_body(exc.status, exc.message, type=exc.type, detail=exc.detail, openai=True),
        status_code=exc.status,
        headers=exc.headers,
    )


def _text_slots(body: dict[str, Any]) -> list[Slot]:
    """Every string in the request that could carry PII (see ``STRUCTURAL_KEYS``)."""
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise SparkError(
            "messages must be a non-empty list", status=400, type="invalid_request_error"
        )
    for message in messages:
        if not isinstance(message, dict):
            raise SparkError(
                "each message must be an object", status=400, type="invalid_request_error"
            )
        content = message.get("content")
        if content is not None and not isinstance(content, str | list):
            raise SparkError(
                "a message's content must be a string, a list of parts or null",
                status=400,
                type="invalid_request_error",
            )
    slots: list[Slot] = []
    _collect(body, slots)
    return slots


def _collect(node: Any, slots: list[Slot]) -> None:
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in items:
        if isinstance(key, str) and key in STRUCTURAL_KEYS:
            continue
        if isinstance(value, str):
            slots.append((node, key))
        elif isinstance(value, dict | list):
            _collect(value, slots)


def _rehydrate_reply(reply: dict[str, Any], mapping: Mapping) -> list[str]:
    unknown: list[str] = []
    for choice in reply.get("choices") or []:
        message = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(message, dict):
            continue
        if isinstance(message.get("content"), str):
            result = rehydrate(message["content"], mapping)
            message["content"] = result.text
            unknown += result.unknown
        # Arguments are JSON text: what is restored into them is escaped as JSON.
        for function in _functions(message):
            result = rehydrate(function["arguments"], mapping, json_lexer=JsonLexer())
            function["arguments"] = result.text
            unknown += result.unknown
    return unknown


def _functions(message: dict[str, Any]) -> list[dict[str, Any]]:
    """The function objects with string ``arguments`` of a message or delta: each tool
    call's, and the legacy ``function_call``."""
    calls = [c for c in message.get("tool_calls") or [] if isinstance(c, dict)]
    functions = [c.get("function") for c in calls]
    functions.append(message.get("function_call"))
    return [f for f in functions if isinstance(f, dict) and isinstance(f.get("arguments"), str)]


class _StreamState:
    """One rehydrator per streamed text: each choice's content and tool-call arguments."""

    def __init__(self, mapping: Mapping) -> None:
        self.mapping = mapping
        self.streams: dict[tuple[int, str], StreamRehydrator] = {}

    def _stream(self, key: tuple[int, str]) -> StreamRehydrator:
        if key not in self.streams:
            self.streams[key] = StreamRehydrator(self.mapping, json_text=key[1] != "content")
        return self.streams[key]

    def chunk(self, data: dict[str, Any]) -> dict[str, Any]:
        for choice in data.get("choices") or []:
            if not isinstance(choice, dict):
                continue
            index = int(choice.get("index") or 0)
            delta = choice.get("delta")
            if not isinstance(delta, dict):
                delta = choice["delta"] = {}
            if isinstance(delta.get("content"), str):
                delta["content"] = self._stream((index, "content")).feed(delta["content"])
            for call in delta.get("tool_calls") or []:
                function = call.get("function") if isinstance(call, dict) else None
                if isinstance(function, dict) and isinstance(function.get("arguments"), str):
                    stream = self._stream((index, f"tool{call.get('index', 0)}"))
                    function["arguments"] = stream.feed(function["arguments"])
            legacy = delta.get("function_call")
            if isinstance(legacy, dict) and isinstance(legacy.get("arguments"), str):
                legacy["arguments"] = self._stream((index, "function_call")).feed(
                    legacy["arguments"]
                )
            if choice.get("finish_reason") is not None:
                self._flush_into(index, delta)
        return data

    def _flush_into(self, index: int, delta: dict[str, Any]) -> bool:
        """Add what choice ``index`` still holds back to ``delta``; True if anything."""
        added = False
        for (choice, where), stream in self.streams.items():
            rest = stream.finish() if choice == index else ""
            if not rest:
                continue
            added = True
            if where == "content":
                delta["content"] = (delta.get("content") or "") + rest
                continue
            if where == "function_call":
                legacy = delta.setdefault("function_call", {})
                legacy["arguments"] = (legacy.get("arguments") or "") + rest
                continue
            tool_index = int(where[4:])
            calls = delta.setdefault("tool_calls", [])
            call = next((c for c in calls if c.get("index", 0) == tool_index), None)
            if call is None:
                call = {"index": tool_index, "function": {"arguments": ""}}
                calls.append(call)
            function = call.setdefault("function", {})
            function["arguments"] = (function.get("arguments") or "") + rest
        return added

    def leftovers(self, template: dict[str, Any]) -> dict[str, Any] | None:
        """A last chunk with whatever is still held back (a stream cut short)."""
        choices = []
        for index in sorted({choice for choice, _ in self.streams}):
            delta: dict[str, Any] = {}
            if self._flush_into(index, delta):
                choices.append({"index": index, "delta": delta, "finish_reason": None})
        if not choices:
            return None
        return {**{k: v for k, v in template.items() if k != "choices"}, "choices": choices}

    def unknown(self) -> list[str]:
        return [u for s in self.streams.values() for u in s.unknown]


# Like inference under /v1: a ``read`` key may use it.
router = APIRouter(tags=["redaction"], dependencies=[requires("read")])


@router.post(
    PATH,
    summary="OpenAI-compatible chat completions through the scrubbing proxy",
    description="Forwards to the configured provider with every message scrubbed; the "
    "reply (streamed or not) comes back rehydrated. The session is in the "
    f"`{SESSION_HEADER}` response header; send it back to continue a conversation.",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "example": {
                        "model": "gpt-4o-mini",
                        "messages": [
                            {"role": "user", "content": "Write to Alice at alice@example.com."}
                        ],
                    }
                }
            }
        }
    },
)
async def chat_completions(
    plugin: Annotated[RedactionPlugin, Depends(plugin_instance(RedactionPlugin))],
    request: Request,
) -> Response:
    try:
        response = await _forward(plugin.host, plugin.service(), request)
    except SparkError as exc:
        response = _openai_error(exc)
    metrics = plugin.service.value.metrics if plugin.service.value is not None else None
    if metrics is not None:
        metrics.proxy_requests.labels(str(response.status_code)).inc()
    return response


async def _forward(host: Host, service: Redactor, request: Request) -> Response:
    settings = service.settings
    if settings.provider_base_url is None:
        raise SparkError(
            "no external provider is configured (redaction.provider_base_url)",
            status=503,
            type="unavailable",
        )
    body = await _json_object(request)
    session_id = await _scrub_messages(service, body, request.headers.get(SESSION_HEADER) or None)
    headers = {"content-type": "application/json"}
    if settings.provider_api_key is not None:
        headers["authorization"] = f"Bearer {settings.provider_api_key.get_secret_value()}"
    url = settings.provider_base_url + "/chat/completions"
    client = host.http_client(timeout=httpx.Timeout(settings.provider_timeout_s, connect=5.0))
    try:
        upstream = await client.send(
            client.build_request("POST", url, json=body, headers=headers), stream=True
        )
    except httpx.HTTPError as exc:
        await client.aclose()
        raise SparkError(
            f"the provider did not answer: {type(exc).__name__}", status=502, type="bad_gateway"
        ) from None
    mapping = await service.mapping(session_id)
    out_headers = {SESSION_HEADER: session_id}
    is_stream = upstream.headers.get("content-type", "").startswith("text/event-stream")
    if upstream.status_code != 200 or not is_stream:
        return await _whole_reply(upstream, client, mapping, service.metrics, out_headers)
    return StreamingResponse(
        _relay(upstream, client, _StreamState(mapping), service.metrics),
        media_type="text/event-stream",
        headers={**out_headers, "cache-control": "no-cache"},
    )


async def _json_object(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body())
    except ValueError as exc:
        raise SparkError(
            f"the body is not JSON: {exc}", status=400, type="invalid_request_error"
        ) from None
    if not isinstance(body, dict):
        raise SparkError("the body must be a JSON object", status=400, type="invalid_request_error")
    return body


async def _scrub_messages(service: Redactor, body: dict[str, Any], session_id: str | None) -> str:
    """Scrub every message text of ``body`` in place, in one session; its id."""
    slots = _text_slots(body)
    texts = [holder[key] for holder, key in slots]
    for text in texts:
        if len(text) > service.settings.max_text_chars:
            service.check_text(text, "messages")
    non_empty = [i for i, t in enumerate(texts) if t.strip()]
    session, results, _ = await service.scrub_many(
        [texts[i] for i in non_empty], session_id, service.entity_types(None)
    )
    for i, (scrubbed, _) in zip(non_empty, results, strict=True):
        holder, key = slots[i]
        holder[key] = scrubbed
    return session


async def _whole_reply(
    upstream: httpx.Response,
    client: httpx.AsyncClient,
    mapping: Mapping,
    metrics: RedactionMetrics,
    headers: dict[str, str],
) -> Response:
    """A reply that is not a stream (or not a 200), read whole and rehydrated."""
    try:
        raw = await upstream.aread()
    finally:
        await upstream.aclose()
        await client.aclose()
    try:
        reply = json.loads(raw)
    except ValueError:
        raise SparkError(
            f"the provider answered {upstream.status_code} with a body that is not JSON",
            status=502,
            type="bad_gateway",
        ) from None
    if upstream.status_code == 200 and isinstance(reply, dict):
        unknown = _rehydrate_reply(reply, mapping)
        headers[UNKNOWN_HEADER] = str(len(unknown))
        metrics.unknown_placeholders.inc(len(unknown))
    return JSONResponse(reply, status_code=upstream.status_code, headers=headers)


async def _relay(
    upstream: httpx.Response,
    client: httpx.AsyncClient,
    state: _StreamState,
    metrics: RedactionMetrics,
) -> AsyncIterator[bytes]:
    last: dict[str, Any] = {}
    done = False
    try:
        async for line in upstream.aiter_lines():
            if not line.startswith("data:"):
                continue
            payload = line[5:].strip()
            if payload == "[DONE]":
                rest = state.leftovers(last)
                if rest is not None:
                    yield f"data: {json.dumps(rest)}\n\n".encode()
                yield b"data: [DONE]\n\n"
                done = True
                continue
            try:
                data = json.loads(payload)
            except ValueError:
                continue
            if isinstance(data, dict):
                last = data
                data = state.chunk(data)
            yield f"data: {json.dumps(data)}\n\n".encode()
        if not done:  # cut short: still hand over what was held back
            rest = state.leftovers(last)
            if rest is not None:
                yield f"data: {json.dumps(rest)}\n\n".encode()
    finally:
        metrics.unknown_placeholders.inc(len(state.unknown()))
        await upstream.aclose()
        await client.aclose()
