"""The access log: one line per HTTP request, written off the event loop.

The middleware only collects a tuple per request (time, client, method, path, status,
bytes sent, duration, and the model and upstream a plugin noted); a writer thread
formats whole batches and writes each batch with one call. Nothing per request goes
through ``logging`` (its records, formatters and handler locks cost more than the
proxy hop itself). Text lines by default, JSON lines as an option
(``gateway.access_log``).

Plugins add what only they know with :func:`note`, e.g. the proxy's model and upstream.
"""

from __future__ import annotations

import asyncio
import json
import queue
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import IO, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The scope key under which the request's notes (model, upstream) are kept.
NOTES_KEY = "spark_control.access_notes"
# A batch is written at most this long after its first request ended.
FLUSH_S = 0.05
# Beyond this many records waiting for the writer, new ones are counted, not kept (a
# stuck log reader must not grow the gateway's memory without bound).
MAX_BACKLOG = 100_000

# time, client, method, path, status, bytes, duration_s, model, upstream
Record = tuple[float, str, str, str, int, int, float, str | None, str | None]


def note(scope: Scope, *, model: str | None = None, upstream: str | None = None) -> None:
    """Record the request's model and upstream for its access-log line (a no-op when
    the access log is off)."""
    notes = scope.get(NOTES_KEY)
    if notes is None:
        return
    if model is not None:
        notes["model"] = model
    if upstream is not None:
        notes["upstream"] = upstream


class AccessLogMiddleware:
    """Pure ASGI: counts the status and body bytes sent, and hands one record per
    request to the writer when the request ends."""

    def __init__(self, app: ASGIApp, *, writer: Callable[[], AccessLogWriter | None]) -> None:
        self.app = app
        self._writer = writer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        writer = self._writer()
        if scope["type"] != "http" or writer is None:
            await self.app(scope, receive, send)
            return
        started = time.time()
        t0 = time.perf_counter()
        notes: dict[str, str] = {}
        scope[NOTES_KEY] = notes
        sent = [0, 0]  # status, body bytes

        # A plain function handing back the server's own awaitable: an ``async def``
        # wrapper would add a coroutine per message, 65 of them for a 64-chunk stream.
        def counting_send(message: Message) -> Awaitable[None]:
            if message["type"] == "http.response.body":
                sent[1] += len(message.get("body", b""))
            elif message["type"] == "http.response.start":
                sent[0] = message["status"]
            return send(message)

        failed = False
        try:
            await self.app(scope, receive, counting_send)
        except BaseException:
            failed = True
            raise
        finally:
            client = scope.get("client")
            status = sent[0] or (500 if failed else 499)  # 499: the client left first
            writer.add(
                (
                    started,
                    f"{client[0]}:{client[1]}" if client else "-",
                    scope["method"],
                    scope["path"],
                    status,
                    sent[1],
                    time.perf_counter() - t0,
                    notes.get("model"),
                    notes.get("upstream"),
                )
            )


class AccessLogWriter:
    """Batches records on the event loop and writes them from one thread."""

    def __init__(self, stream: IO[str], *, json_lines: bool = False, close_stream: bool = False):
        self._stream = stream
        self._close_stream = close_stream
        self._format = format_json if json_lines else format_text
        self._pending: list[Record] = []
        self._backlog = 0
        self._dropped = 0
        self._batches: queue.SimpleQueue[list[Record] | None] = queue.SimpleQueue()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, name="access-log", daemon=True)
        self._thread.start()

    @classmethod
    def open(cls, path: Path | None, *, json_lines: bool) -> AccessLogWriter:
        """Append to ``path``, or write to standard output (as uvicorn's log did)."""
        if path is None:
            return cls(sys.stdout, json_lines=json_lines)
        path.parent.mkdir(parents=True, exist_ok=True)
        return cls(path.open("a", encoding="utf-8"), json_lines=json_lines, close_stream=True)

    def add(self, record: Record) -> None:
        """Called on the event loop when a request ends: an append, and a timer per batch."""
        if self._backlog >= MAX_BACKLOG:
            self._dropped += 1
            return
        self._backlog += 1
        self._pending.append(record)
        if len(self._pending) == 1:
            if self._loop is None:
                self._loop = asyncio.get_running_loop()
            self._loop.call_later(FLUSH_S, self.flush)

    def flush(self) -> None:
        """Hand what is pending to the writer thread."""
        if self._pending:
            batch, self._pending = self._pending, []
            self._batches.put(batch)

    def close(self) -> None:
        """Write everything still pending, then stop the thread."""
        self.flush()
        self._batches.put(None)
        self._thread.join(timeout=5)
        if self._close_stream:
            self._stream.close()

    def _run(self) -> None:
        while True:
            batch = self._batches.get()
            if batch is None:
                return
            text = "".join(map(self._format, batch))
            dropped, self._dropped = self._dropped, 0
            if dropped:
                text += f"access log: {dropped} lines dropped (the log was not being read)\n"
            self._backlog -= len(batch)  # an int store: atomic under the GIL
            try:
                self._stream.write(text)
                self._stream.flush()
            except (OSError, ValueError):
                pass  # a closed or broken log must not take the gateway down


_second: list[Any] = [0, ""]  # the last whole second formatted, and its text
# ".000Z" to ".999Z": a look-up, not a number formatted per line.
_MILLIS = [f".{ms:03d}Z" for ms in range(1000)]
# Paths and model names repeat: each one's printable form is worked out once (a bounded
# cache; only the writer thread formats lines).
_PRINTABLE: dict[str, str] = {}
_PRINTABLE_LIMIT = 4096


def _timestamp(t: float) -> str:
    whole = int(t)
    if _second[0] != whole:
        _second[0], _second[1] = whole, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))
    return _second[1] + _MILLIS[int((t - whole) * 1000)]


def format_text(r: Record) -> str:
    """``time client "METHOD path" status bytes duration_ms model=… upstream=…``."""
    request = f"{r[2]} {_printable(r[3])}"
    line = f'{_timestamp(r[0])} {r[1]} "{request}" {r[4]} {r[5]} {r[6] * 1000:.1f}ms'
    if r[7] is not None:
        line += " model=" + _printable(r[7])
    if r[8] is not None:
        line += " upstream=" + r[8]
    return line + "\n"


def format_json(r: Record) -> str:
    entry: dict[str, Any] = {
        "time": _timestamp(r[0]),
        "client": r[1],
        "method": r[2],
        "path": r[3],
        "status": r[4],
        "bytes": r[5],
        "duration_ms": round(r[6] * 1000, 2),
        "model": r[7],
        "upstream": r[8],
    }
    return json.dumps(entry) + "\n"


def _printable(text: str) -> str:
    # A path or model name is the caller's text: no line breaks or quotes in a text line.
    shown = _PRINTABLE.get(text)
    if shown is None:
        if text.isprintable() and '"' not in text and " " not in text:
            shown = text
        else:
            shown = json.dumps(text)[1:-1].replace(" ", "%20")
        if len(_PRINTABLE) >= _PRINTABLE_LIMIT:
            _PRINTABLE.clear()
        _PRINTABLE[text] = shown
    return shown


__all__ = [
    "NOTES_KEY",
    "AccessLogMiddleware",
    "AccessLogWriter",
    "format_json",
    "format_text",
    "note",
]
