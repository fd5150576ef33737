"""A scriptable OpenAI-compatible upstream for the proxy tests: a real aiohttp server on
loopback that records what it received and what happened to each request, so tests
assert the order of events rather than wall time."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

MODEL = "static/echo"


@dataclass
class Upstream:
    url: str = ""
    events: list[str] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    bodies: list[dict[str, Any]] = field(default_factory=list)
    # Every request that arrived, as "METHOD raw-path" (what the gateway sent), and
    # the Authorization header of each.
    arrived: list[str] = field(default_factory=list)
    authorizations: list[str | None] = field(default_factory=list)
    # Bodies of requests to other paths (multipart uploads, LoRA calls...).
    other_bodies: list[bytes] = field(default_factory=list)
    # Set by a test to let a paused answer go on.
    release: asyncio.Event = field(default_factory=asyncio.Event)
    # What the next chat answers do: "echo", "pause_after_first" (one chunk, then wait
    # for ``release``), "slow_stream" (many chunks, 20 ms apart), "silent" (no answer
    # until the client leaves), "hold" (answer only after ``release``),
    # "break_mid_stream" (one chunk, then the connection drops).
    mode: str = "echo"

    async def wait_for(self, event: str, within_s: float = 10.0) -> None:
        async with asyncio.timeout(within_s):
            while event not in self.events:
                await asyncio.sleep(0.01)


def _chunk(text: str, finish: str | None = None) -> bytes:
    payload = {
        "id": "chatcmpl-standin",
        "object": "chat.completion.chunk",
        "model": MODEL,
        "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": finish}],
    }
    return b"data: " + json.dumps(payload).encode() + b"\n\n"


def _app(state: Upstream) -> web.Application:
    async def models(request: web.Request) -> web.Response:
        state.headers.append(dict(request.headers))
        # As vLLM does by default: every origin allowed (the gateway must not pass it on).
        return web.json_response(
            {"object": "list", "data": [{"id": MODEL, "object": "model", "owned_by": "test"}]},
            headers={"Access-Control-Allow-Origin": "*"},
        )

    async def health(request: web.Request) -> web.Response:
        return web.Response(text="")

    async def chat(request: web.Request) -> web.StreamResponse:
        state.headers.append(dict(request.headers))
        body = await request.json()
        state.bodies.append(body)
        mode = state.mode
        if mode == "hold":
            state.events.append("held")
            await state.release.wait()
        if mode == "silent":
            state.events.append("silent")
            try:
                await asyncio.sleep(10)  # the server cancels this when the client leaves
            except asyncio.CancelledError:
                state.events.append("cancelled")
                raise
            state.events.append("finished")
            return web.json_response({})
        if not body.get("stream"):
            text = "Echo: " + str(body["messages"][-1]["content"])
            return web.json_response(
                {
                    "id": "chatcmpl-standin",
                    "object": "chat.completion",
                    "created": 0,
                    "model": MODEL,
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": text},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
                },
                headers={"Access-Control-Allow-Origin": "*"},
            )
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        try:
            await response.write(_chunk("first"))
            state.events.append("sent first")
            if mode == "pause_after_first":
                await state.release.wait()
                await response.write(_chunk(" last", "stop"))
                state.events.append("sent last")
            elif mode == "break_mid_stream":
                assert request.transport is not None
                request.transport.close()  # a crash: no last chunk, no end of stream
                state.events.append("broke")
                return response
            elif mode == "slow_stream":
                for i in range(200):  # 4 s if nobody leaves
                    await asyncio.sleep(0.02)
                    await response.write(_chunk(f" {i}"))
                state.events.append("finished")
            else:
                await response.write(_chunk(" done", "stop"))
            await response.write(b"data: [DONE]\n\n")
            await response.write_eof()
        except (ConnectionResetError, ConnectionError, asyncio.CancelledError):
            state.events.append("cancelled")
            raise
        return response

    async def anything(request: web.Request) -> web.Response:
        state.other_bodies.append(await request.read())
        return web.json_response({"path": request.raw_path})

    @web.middleware
    async def record(request: web.Request, handler: Any) -> web.StreamResponse:
        state.arrived.append(f"{request.method} {request.raw_path}")
        state.authorizations.append(request.headers.get("Authorization"))
        response: web.StreamResponse = await handler(request)
        return response

    app = web.Application(middlewares=[record])
    app.router.add_get("/v1/models", models)
    app.router.add_get("/health", health)
    app.router.add_post("/v1/chat/completions", chat)
    app.router.add_route("*", "/{tail:.*}", anything)
    return app


@contextlib.asynccontextmanager
async def serve_upstream(address: str) -> AsyncIterator[Upstream]:
    state = Upstream()
    runner = web.AppRunner(_app(state), handler_cancellation=True)
    await runner.setup()
    site = web.TCPSite(runner, address, 0)
    await site.start()
    port = runner.addresses[0][1]
    state.url = f"http://{address}:{port}/v1"
    try:
        yield state
    finally:
        state.release.set()
        await runner.cleanup()
