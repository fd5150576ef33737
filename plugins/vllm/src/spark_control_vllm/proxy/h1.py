"""The proxy's HTTP/1.1 client for ``/v1`` exchanges: pooled keep-alive connections,
responses parsed by httptools (llhttp, the C parser uvicorn serves with).

Why not aiohttp here (it stays for everything else): a streamed answer arrives as one
HTTP chunk per token, and aiohttp's response stream runs about a dozen Python calls per
chunk (feeding, chunk-boundary book-keeping, flow-control checks on every read), more
than the rest of the proxy hop together (bench/proxy). Here a chunk costs one callback
that appends its bytes; the reader takes everything buffered in one join.

One connection carries one exchange at a time; a connection goes back to its pool only
after a complete answer the upstream allows to keep alive, and any other ending closes
it (which is how vLLM learns that a request was abandoned).
"""

from __future__ import annotations

import asyncio
import ssl
import time
from base64 import b64encode
from collections.abc import Iterable
from typing import cast
from urllib.parse import quote, unquote, urlsplit

import httptools

__all__ = [
    "Exchange",
    "H1Pool",
    "UpstreamConnectTimeout",
    "UpstreamFailed",
    "UpstreamUnreachable",
]

# Above this many bytes waiting for the client, the upstream's socket is not read
# (TCP then slows the upstream down) until the client has taken them.
_HIGH_WATER = 256 * 1024
# Characters a path keeps as they are; the rest is percent-encoded again (the server
# decoded the client's path).
_PATH_SAFE = "/!$&'()*+,;=:@-._~"
# A kept-alive connection unused this long is closed rather than used: uvicorn, which
# vLLM serves with, closes its side after 5 s, and a request written as that close
# crosses it would fail.
IDLE_S = 4.0
# A request on a kept-alive connection whose close came within this long of the write,
# with no byte answered, went out as the upstream was closing it and is sent once more;
# a close any later may be the upstream failing on the request, which is not repeated.
RETRY_WITHIN_S = 0.5


class UpstreamFailed(ConnectionError):
    """The upstream could not be reached, or broke the exchange off (its connection
    lost or an answer that is not HTTP)."""


class UpstreamUnreachable(UpstreamFailed):
    """No connection to the upstream: nothing was sent."""


class UpstreamConnectTimeout(UpstreamUnreachable, TimeoutError):
    """No connection to the upstream within its connect timeout."""


class H1Pool:
    """Keep-alive connections to one upstream (``http://`` or ``https://`` base URL)."""

    def __init__(self, base_url: str, *, connect_timeout_s: float) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {base_url!r}")
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.ssl: ssl.SSLContext | None = (
            ssl.create_default_context() if parts.scheme == "https" else None
        )
        self.prefix = parts.path.rstrip("/")
        self.host_header = parts.netloc.rpartition("@")[2]
        # Credentials in the URL go up as Basic auth (as aiohttp sends them) unless the
        # request carries its own Authorization (the upstream's key).
        self.authorization: str | None = None
        if parts.username is not None or parts.password is not None:
            user = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}"
            self.authorization = "Basic " + b64encode(user.encode("latin-1")).decode()
        self.connect_timeout_s = connect_timeout_s
        self._idle: list[_Connection] = []
        self._open: set[_Connection] = set()
        self._closed = False

    def target(self, path: str, query: bytes) -> str:
        """The request target for a (decoded) path and a raw query string."""
        target = self.prefix + quote(path, safe=_PATH_SAFE)
        return target + "?" + query.decode("latin-1") if query else target

    async def send(
        self, method: str, target: str, headers: Iterable[tuple[str, str]], body: bytes
    ) -> Exchange:
        """Send one request; returns once the answer's status and headers have come."""
        head = self._head(method, target, headers, body)
        request = head + body if body else head
        connection = self._idle_connection()
        lost: UpstreamFailed | None = None
        if connection is not None:
            try:
                return await connection.exchange(method, request)
            except UpstreamFailed as exc:
                connection.close()
                if connection.answered or (
                    connection.sent and time.monotonic() - connection.sent_at > RETRY_WITHIN_S
                ):
                    raise
                # A kept-alive connection the upstream closed as the request went out
                # (its idle timeout): nothing was answered, so nothing was done; once
                # more on a new connection, as browsers do.
                lost = exc if connection.sent else None
            except BaseException:
                connection.close()
                raise
        try:
            connection = await self._new_connection()
        except UpstreamUnreachable as exc:
            if lost is None:
                raise
            # The request did go out (on the kept-alive connection): not "nothing sent".
            raise UpstreamFailed(f"{lost}, then {exc}") from exc
        try:
            return await connection.exchange(method, request)
        except BaseException:
            connection.close()
            raise

    def _head(
        self, method: str, target: str, headers: Iterable[tuple[str, str]], body: bytes
    ) -> bytes:
        lines = [f"{method} {target} HTTP/1.1"]
        own_host = True
        for name, value in headers:
            if len(name) == 4 and name.lower() == "host":
                own_host = False  # the caller's (leader forwarding): the only one
            lines.append(f"{name}: {value}")
        if own_host:
            lines.insert(1, "Host: " + self.host_header)
        if self.authorization is not None and not any(
            name.lower() == "authorization" for name, _ in headers
        ):
            lines.append("Authorization: " + self.authorization)
        if body or method not in ("GET", "HEAD", "DELETE", "OPTIONS"):
            lines.append(f"Content-Length: {len(body)}")
        text = "\r\n".join(lines)
        # A line break inside a name or value would start a header of its own.
        breaks = len(lines) - 1
        if text.count("\n") != breaks or text.count("\r") != breaks:
            raise UpstreamFailed("a request header holds a line break; not sent")
        try:
            return (text + "\r\n\r\n").encode("latin-1")
        except UnicodeEncodeError as exc:
            # Only configured values can be (a client's came as bytes): an upstream key.
            raise UpstreamFailed(
                f"a request header holds {exc.object[exc.start]!r}, which HTTP/1.1 "
                "headers cannot carry (latin-1 only); not sent"
            ) from None

    def _idle_connection(self) -> _Connection | None:
        if not self._idle:
            return None
        fresh = time.monotonic() - IDLE_S
        while self._idle:
            connection = self._idle.pop()
            if connection.usable and connection.idle_since >= fresh:
                return connection
            connection.close()
        return None

    async def _new_connection(self) -> _Connection:
        if self._closed:
            raise UpstreamUnreachable("the upstream's pool is closed")
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self.connect_timeout_s):
                _, connection = await loop.create_connection(
                    lambda: _Connection(self), self.host, self.port, ssl=self.ssl
                )
        except TimeoutError as exc:
            raise UpstreamConnectTimeout(
                f"no connection within {self.connect_timeout_s:g} s"
            ) from exc
        except OSError as exc:
            raise UpstreamUnreachable(f"cannot connect ({type(exc).__name__}: {exc})") from exc
        return connection

    def _release(self, connection: _Connection) -> None:
        if connection.usable and not self._closed:
            connection.idle_since = time.monotonic()
            self._idle.append(connection)
        else:
            connection.close()

    def close(self) -> None:
        """Close every connection, idle or in use."""
        self._closed = True
        for connection in list(self._open):
            connection.close()
        self._idle.clear()


class _Connection(asyncio.Protocol):
    """One keep-alive connection and the exchange it is carrying (if any)."""

    def __init__(self, pool: H1Pool) -> None:
        self._pool = pool
        self._transport: asyncio.Transport | None = None
        self._parser = httptools.HttpResponseParser(self)
        self.usable = False
        # Whether anything came back for the exchange under way (then it is not retried).
        self.answered = False
        # Whether (and when) the exchange under way wrote its request.
        self.sent = False
        self.sent_at = 0.0
        self.idle_since = 0.0
        self._exchange: Exchange | None = None
        self._head: asyncio.Future[None] | None = None
        self._raw_headers: list[tuple[bytes, bytes]] = []
        self._interim = False

    # --- asyncio ------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast("asyncio.Transport", transport)  # uvloop's is no subclass
        self.usable = True
        self._pool._open.add(self)

    def data_received(self, data: bytes) -> None:
        if self._exchange is None:
            # Bytes nobody asked for: the connection is out of step; drop it.
            self.close()
            return
        self.answered = True
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail(UpstreamFailed("the upstream switched protocols"))
        except httptools.HttpParserError as exc:
            self._fail(UpstreamFailed(f"the upstream's answer is not HTTP/1.1 ({exc})"))

    def eof_received(self) -> bool | None:
        self.usable = False
        self._ended_by_close()
        return None  # the transport closes itself

    def connection_lost(self, exc: Exception | None) -> None:
        self.usable = False
        self._pool._open.discard(self)
        self._ended_by_close()
        self._transport = None

    def _ended_by_close(self) -> None:
        exchange = self._exchange
        if exchange is None or exchange.complete or exchange.error is not None:
            return
        if exchange.status and exchange.delimited_by_close():
            exchange._finish()  # neither a length nor chunks: the close is the end
        else:
            self._fail(UpstreamFailed("the upstream closed the connection mid-answer"))

    # --- httptools callbacks -------------------------------------------------------------

    def on_message_begin(self) -> None:
        exchange = self._exchange
        if exchange is not None and exchange.complete:
            # A second answer to one request: whatever follows is out of step (raised
            # through feed_data as HttpParserCallbackError, which drops the connection).
            raise UpstreamFailed("the upstream answered twice")
        # Fields since the last answer's headers were its trailers: not this answer's.
        self._raw_headers = []

    def on_header(self, name: bytes, value: bytes) -> None:
        self._raw_headers.append((name, value))

    def on_headers_complete(self) -> None:
        exchange = self._exchange
        assert exchange is not None
        status = self._parser.get_status_code()
        if status < 200:
            # An interim answer (103 Early Hints): the real one follows.
            self._raw_headers = []
            self._interim = True
            return
        exchange.status = status
        exchange.raw_headers = self._raw_headers
        self._raw_headers = []
        if not self._parser.should_keep_alive():
            self.usable = False
        if exchange.method == "HEAD":
            # No body follows an answer to HEAD, whatever its Content-Length says; the
            # parser cannot know that, so this connection is not used again.
            self.usable = False
            exchange._finish()
        if self._head is not None and not self._head.done():
            self._head.set_result(None)

    def on_body(self, body: bytes) -> None:
        exchange = self._exchange
        assert exchange is not None
        exchange._add(body)

    def on_message_complete(self) -> None:
        if self._interim:
            self._interim = False
            return
        exchange = self._exchange
        if exchange is not None:
            exchange._finish()

    # --- the exchange ---------------------------------------------------------------------

    async def exchange(self, method: str, request: bytes) -> Exchange:
        self.sent = False
        transport = self._transport
        if transport is None or transport.is_closing():
            raise UpstreamFailed("the upstream closed the connection")
        exchange = Exchange(self, method)
        self._exchange = exchange
        self.answered = False
        self._head = head = asyncio.get_running_loop().create_future()
        transport.write(request)
        self.sent = True
        self.sent_at = time.monotonic()
        await head
        self._head = None
        if exchange.error is not None:
            raise exchange.error
        return exchange

    def _fail(self, error: UpstreamFailed) -> None:
        self.usable = False
        exchange = self._exchange
        if exchange is not None and not exchange.complete:
            exchange._break(error)
        if self._head is not None and not self._head.done():
            self._head.set_result(None)
        if self._transport is not None:
            self._transport.close()

    def _done(self, exchange: Exchange) -> None:
        """The exchange is over, its answer read whole or abandoned."""
        if self._exchange is not exchange:
            return
        self._exchange = None
        if exchange.complete and exchange.error is None:
            if exchange._paused:
                # Released unread past the high-water mark: the next answer must be read.
                exchange._paused = False
                self.resume()
            self._pool._release(self)
        else:
            self.close()

    def pause(self) -> None:
        if self._transport is not None:
            self._transport.pause_reading()

    def resume(self) -> None:
        if self._transport is not None and not self._transport.is_closing():
            self._transport.resume_reading()

    def close(self) -> None:
        self.usable = False
        if self._transport is not None:
            self._transport.close()


class Exchange:
    """An answer whose status and headers have come; its body is read with
    :meth:`readany` or :meth:`read`, then :meth:`release` (or :meth:`close`)."""

    __slots__ = (
        "_buffer",
        "_buffered",
        "_connection",
        "_paused",
        "_waiter",
        "complete",
        "error",
        "method",
        "raw_headers",
        "status",
    )

    def __init__(self, connection: _Connection, method: str) -> None:
        self._connection = connection
        self.method = method
        self.status = 0
        self.raw_headers: list[tuple[bytes, bytes]] = []
        self._buffer: list[bytes] = []
        self._buffered = 0
        self._paused = False
        self._waiter: asyncio.Future[None] | None = None
        self.complete = False
        self.error: UpstreamFailed | None = None

    def delimited_by_close(self) -> bool:
        """Whether the answer's body ends where the connection does (no length, no
        chunks)."""
        names = {name.lower() for name, _ in self.raw_headers}
        return b"content-length" not in names and b"transfer-encoding" not in names

    @property
    def content_length(self) -> int | None:
        for name, value in self.raw_headers:
            if name.lower() == b"content-length":
                try:
                    return int(value)
                except ValueError:
                    return None
        return None

    def at_eof(self) -> bool:
        """Whether the whole answer has come and been read."""
        return self.complete and not self._buffer

    async def readany(self) -> bytes:
        """What has come of the body since the last read (waiting for some); b"" at its
        end. Raises :class:`UpstreamFailed` when the upstream broke off."""
        if not self._buffer:
            if self.error is not None:
                raise self.error
            if self.complete:
                return b""
            self._waiter = waiter = asyncio.get_running_loop().create_future()
            try:
                await waiter
            finally:
                self._waiter = None
            if not self._buffer:
                if self.error is not None:
                    raise self.error
                return b""
        buffer = self._buffer
        data = buffer[0] if len(buffer) == 1 else b"".join(buffer)
        buffer.clear()
        self._buffered = 0
        if self._paused:
            self._paused = False
            self._connection.resume()
        return data

    async def read(self) -> bytes:
        """The whole body."""
        parts = []
        while chunk := await self.readany():
            parts.append(chunk)
        return b"".join(parts)

    def release(self) -> None:
        """Done with the answer: its connection goes back to the pool if the answer was
        read whole, else it is closed."""
        self._connection._done(self)

    close = release

    # --- from the connection ---------------------------------------------------------------

    def _add(self, data: bytes) -> None:
        self._buffer.append(data)
        self._buffered += len(data)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
        if self._buffered > _HIGH_WATER and not self._paused:
            self._paused = True
            self._connection.pause()

    def _finish(self) -> None:
        self.complete = True
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _break(self, error: UpstreamFailed) -> None:
        self.error = error
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)
