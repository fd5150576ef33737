"""A stand-in for the external OpenAI-compatible provider: a real HTTP server on
loopback that records exactly what it received and answers chat completions, whole or
streamed in small chunks (so placeholders arrive split across chunks)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ADDRESS = "127.0.4.1"  # this suite's loopback range: 127.0.4.0/24


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    raw: bytes

    @property
    def body(self) -> Any:
        return json.loads(self.raw)


@dataclass
class Provider:
    url: str = ""
    received: list[Received] = field(default_factory=list)
    # The reply's content; None echoes the last message's content.
    reply: str | None = None
    chunk_chars: int = 3
    status: int = 200
    # When set, the reply is a tool call with these arguments (JSON text) instead.
    tool_arguments: str | None = None


@contextmanager
def provider_stand_in() -> Iterator[Provider]:
    state = Provider()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length", "0")))
            state.received.append(
                Received(self.path, {k.lower(): v for k, v in self.headers.items()}, raw)
            )
            if self.path != "/v1/chat/completions":
                self._json(404, {"error": {"message": "no such path"}})
                return
            if state.status != 200:
                self._json(state.status, {"error": {"message": "provider says no"}})
                return
            body = json.loads(raw)
            content = state.reply
            if content is None:
                last = body["messages"][-1]["content"]
                content = last if isinstance(last, str) else json.dumps(last)
            if state.tool_arguments is not None:
                self._tool_call(body, state.tool_arguments)
            elif body.get("stream"):
                self._stream(body, content)
            else:
                self._json(
                    200,
                    {
                        "id": "chatcmpl-standin",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": body.get("model"),
                        "choices": [
                            {
                                "index": 0,
                                "message": {"role": "assistant", "content": content},
                                "finish_reason": "stop",
                            }
                        ],
                    },
                )

        def _json(self, status: int, payload: Any) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _tool_call(self, body: dict[str, Any], arguments: str) -> None:
            def call(piece: str) -> dict[str, Any]:
                function = {"name": "pay", "arguments": piece}
                return {"index": 0, "id": "call_1", "type": "function", "function": function}

            if not body.get("stream"):
                message = {"role": "assistant", "content": None, "tool_calls": [call(arguments)]}
                choice = {"index": 0, "message": message, "finish_reason": "tool_calls"}
                self._json(200, {"id": "chatcmpl-standin", "choices": [choice]})
                return
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.end_headers()
            size = state.chunk_chars
            for start in range(0, len(arguments), size):
                delta = {"tool_calls": [call(arguments[start : start + size])]}
                last = start + size >= len(arguments)
                choice = {
                    "index": 0,
                    "delta": delta,
                    "finish_reason": "tool_calls" if last else None,
                }
                self.wfile.write(f"data: {json.dumps({'choices': [choice]})}\n\n".encode())
                self.wfile.flush()
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()

        def _stream(self, body: dict[str, Any], content: str) -> None:
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.end_headers()
            pieces = [
                content[i : i + state.chunk_chars]
                for i in range(0, len(content), state.chunk_chars)
            ]
            for i, piece in enumerate(pieces):
                last = i == len(pieces) - 1
                chunk = {
                    "id": "chatcmpl-standin",
                    "object": "chat.completion.chunk",
                    "model": body.get("model"),
                    "choices": [
                        {
                            "index": 0,
                            "delta": {"content": piece},
                            "finish_reason": "stop" if last else None,
                        }
                    ],
                }
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()

    server = ThreadingHTTPServer((ADDRESS, 0), Handler)
    server.daemon_threads = True
    state.url = f"http://{ADDRESS}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="provider-stand-in", daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
