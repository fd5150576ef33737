"""A bare HTTP/1.1 client for tests that must send a request target exactly as written
(httpx, like browsers and curl, resolves ``..`` and re-encodes a path before sending),
and the table of /v1 path-traversal forms the gateway must never pass on."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

# Requests that would leave /v1/ if a server resolved them after the gateway: sent
# exactly as written, none may reach any plugin.
TRAVERSALS = [
    "/v1/../metrics",
    "/v1/%2e%2e/sleep",
    "/v1/%2E%2E/sleep",
    "/v1/.%2e/metrics",
    "/v1/%2e./metrics",
    "/v1/..%2fmetrics",
    "/v1/..%2Fapi%2Fkeys",
    "/v1/%2e%2e%2fmetrics",
    "/v1/chat/../../metrics",
    "/v1/chat/%2e%2e/%2e%2e/metrics",
    "/v1//../metrics",
    "/v1/./../metrics",
    "/v1/..",
    "/v1/%2e%2e",
    "/v1/..\\metrics",
    "/v1/..%5cmetrics",
    "/v1/%5c..%5cmetrics",
    "/v1/%252e%252e/metrics",
    "/v1/..%252fmetrics",
    "/v1/..;/metrics",
    "/v1/..%3b/metrics",
    "/v1/%00/../../metrics",
    "/v1/models%20/../../metrics",
    "/v1/%c0%ae%c0%ae/metrics",
    "/v1/%u002e%u002e/metrics",
    "/v1%2f..%2fmetrics",
    "//v1/../metrics",
    "/./v1/../metrics",
]
# Forms that resolve inside /v1/: routed, and passed on, by their canonical path.
INSIDE_V1 = {
    "/v1/./models": "/v1/models",
    "/v1/%2e/models": "/v1/models",
    "/v1//chat//completions": "/v1/chat/completions",
    "/v1/embeddings/../chat/completions": "/v1/chat/completions",
    "/v1/chat%2fcompletions": "/v1/chat/completions",
    "/v1/models/": "/v1/models/",
}


@dataclass
class RawAnswer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@contextlib.asynccontextmanager
async def _sent(
    base_url: str, method: str, target: str, headers: dict[str, str] | None, body: bytes
) -> AsyncIterator[asyncio.StreamReader]:
    """A connection on which ``method target`` has been sent, as written; closed after."""
    url = urlsplit(base_url)
    assert url.hostname is not None and url.port is not None
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    try:
        lines = [
            f"{method} {target} HTTP/1.1",
            f"Host: {url.hostname}:{url.port}",
            "Connection: close",
            f"Content-Length: {len(body)}",
            *(f"{name}: {value}" for name, value in (headers or {}).items()),
        ]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await writer.drain()
        yield reader
    finally:
        writer.close()


async def raw_status(
    base_url: str, method: str, target: str, *, headers: dict[str, str] | None = None
) -> int:
    """Only the status of ``method target`` (without a body): the connection is closed
    once the status line arrives, so an endless event stream costs nothing."""
    async with _sent(base_url, method, target, headers, b"") as reader:
        status_line = await reader.readline()
    return int(status_line.split()[1])


async def raw_request(
    base_url: str,
    method: str,
    target: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    timeout_s: float = 10.0,
) -> RawAnswer:
    """Send ``method target`` unchanged to the server at ``base_url``; read the whole answer."""
    async with asyncio.timeout(timeout_s), _sent(base_url, method, target, headers, body) as r:
        data = await r.read()
    head, _, rest = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    found = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        found[name.strip().lower()] = value.strip()
    if found.get("transfer-encoding") == "chunked":
        rest = _unchunk(rest)
    return RawAnswer(int(status_line.split()[1]), found, rest)


def _unchunk(data: bytes) -> bytes:
    out = bytearray()
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += data[:size]
        data = data[size + 2 :]
    return bytes(out)
