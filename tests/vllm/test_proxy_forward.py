"""``forward()`` against a real upstream on loopback (a raw socket server, so the test
decides how the answer's bytes are split into writes): what the client's server is
asked to write, message by message."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from starlette.types import Message

from spark_control_vllm.proxy.forward import forward
from spark_control_vllm.proxy.upstream import Upstream
from spark_control_vllm.proxy.watch import Watch
from spark_control_vllm.settings import ProxySettings

HOST = "127.0.8.60"
HEAD = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
EVENTS = [b'data: {"n": %d}\n\n' % i for i in range(8)] + [b"data: [DONE]\n\n"]
CHUNKED = b"".join(b"%x\r\n%s\r\n" % (len(e), e) for e in EVENTS)
TERMINATOR = b"0\r\n\r\n"


@asynccontextmanager
async def _upstream(answer: Callable[[asyncio.StreamWriter], object]) -> AsyncIterator[str]:
    """A server that reads one request (headers and its declared body), then answers
    with ``answer(writer)`` (a coroutine that writes)."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await reader.readexactly(length)
        await answer(writer)  # type: ignore[misc]
        await writer.drain()

    server = await asyncio.start_server(serve, HOST, 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://{HOST}:{port}"
    finally:
        server.close()


async def _forward(url: str) -> tuple[int, list[Message]]:
    """Forward one streamed chat request to ``url``; the status and the messages sent."""
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    upstream = Upstream.open("up", url, ProxySettings())
    watch = Watch(receive)
    try:
        status = await forward(
            upstream,
            "POST",
            "/v1/chat/completions",
            b"",
            [("content-type", "application/json")],
            b'{"stream": true}',
            send,
            watch,
        )
    finally:
        watch.close()
        await upstream.aclose()
    return status, sent


def _body(sent: list[Message]) -> bytes:
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


async def test_a_stream_that_ends_with_a_read_is_sent_as_the_last_write() -> None:
    """The whole stream, terminator included, in one upstream write (as a fast upstream
    at c = 1 sends it): the client's server gets it as one final body message, not a
    body message and then an empty one; the bytes are the same."""

    async def at_once(writer: asyncio.StreamWriter) -> None:
        writer.write(HEAD + CHUNKED + TERMINATOR)

    async with _upstream(at_once) as url:
        status, sent = await _forward(url)
    assert status == 200
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert sent[-1].get("more_body", False) is False
    assert _body(sent) == b"".join(EVENTS)


async def test_a_stream_whose_end_comes_later_ends_with_an_empty_write() -> None:
    """The terminator in a later write: what was read goes on with more to come, and the
    answer ends with an empty body message once the upstream's end arrives."""
    more = asyncio.Event()

    async def in_two(writer: asyncio.StreamWriter) -> None:
        writer.write(HEAD + CHUNKED)
        await writer.drain()
        await more.wait()
        writer.write(TERMINATOR)

    async with _upstream(in_two) as url:
        task = asyncio.create_task(_forward(url))
        await asyncio.sleep(0.2)  # the events are read and passed on meanwhile
        more.set()
        status, sent = await task
    assert status == 200
    bodies = [m for m in sent if m["type"] == "http.response.body"]
    assert all(m.get("more_body") for m in bodies[:-1])
    assert bodies[-1] == {"type": "http.response.body", "body": b""}
    assert _body(sent) == b"".join(EVENTS)
