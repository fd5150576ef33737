"""The proxy's HTTP/1.1 client (``proxy/h1.py``) against raw socket servers on loopback,
so each test decides exactly what the upstream writes and when it hangs up."""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from spark_control_vllm.proxy import h1
from spark_control_vllm.proxy.h1 import (
    H1Pool,
    UpstreamConnectTimeout,
    UpstreamFailed,
    UpstreamUnreachable,
)

HOST = "127.0.8.62"
OK = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"

Answer = Callable[[asyncio.StreamReader, asyncio.StreamWriter, bytes], Awaitable[None]]


class Upstream:
    """A raw server: reads each request's head and body, then ``answer`` writes."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.connections = 0
        self.requests: list[bytes] = []
        self.url = ""
        self.server: asyncio.Server | None = None

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                length = 0
                for line in head.split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                request = head + await reader.readexactly(length)
                self.requests.append(request)
                await self.answer(reader, writer, request)
                if writer.is_closing():
                    return
        finally:
            writer.close()


@asynccontextmanager
async def upstream(answer: Answer, path: str = "") -> AsyncIterator[Upstream]:
    up = Upstream(answer)
    up.server = server = await asyncio.start_server(up.serve, HOST, 0)
    up.url = f"http://{HOST}:{server.sockets[0].getsockname()[1]}{path}"
    try:
        yield up
    finally:
        server.close()


async def _ok(_r: asyncio.StreamReader, writer: asyncio.StreamWriter, _q: bytes) -> None:
    writer.write(OK)
    await writer.drain()


async def _get(pool: H1Pool, path: str = "/v1/models", body: bytes = b"") -> tuple[int, bytes]:
    exchange = await pool.send("POST" if body else "GET", pool.target(path, b""), [], body)
    try:
        return exchange.status, await exchange.read()
    finally:
        exchange.release()


async def test_a_connection_is_kept_alive_between_exchanges() -> None:
    async with upstream(_ok) as up:
        pool = H1Pool(up.url, connect_timeout_s=2)
        assert [await _get(pool) for _ in range(3)] == [(200, b"ok")] * 3
        pool.close()
    assert up.connections == 1
    head = up.requests[0].split(b"\r\n")
    assert head[0] == b"GET /v1/models HTTP/1.1"
    assert head[1] == f"Host: {up.url.removeprefix('http://')}".encode()


async def test_a_host_header_given_replaces_the_pools_own() -> None:
    async with upstream(_ok) as up:
        pool = H1Pool(up.url, connect_timeout_s=2)
        exchange = await pool.send("GET", "/v1/models", [("x-a", "1"), ("Host", "a.example")], b"")
        exchange.release()
        pool.close()
    head = up.requests[0].split(b"\r\n")
    assert [line for line in head if line.lower().startswith(b"host:")] == [b"Host: a.example"]
    assert head[1:3] == [b"x-a: 1", b"Host: a.example"]


async def test_credentials_in_the_base_url_go_up_as_basic_auth_unless_a_key_does() -> None:
    # As aiohttp sent them (and still does for the model list): an upstream behind a
    # proxy with Basic auth must not see /v1 requests without it.
    async with upstream(_ok) as up:
        url = up.url.replace("http://", "http://alice:s%40cret@")
        pool = H1Pool(url, connect_timeout_s=2)
        assert await _get(pool) == (200, b"ok")
        keyed = await pool.send("GET", "/v1/models", [("Authorization", "Bearer k")], b"")
        keyed.release()
        pool.close()
    basic, bearer = (
        [line for line in r.split(b"\r\n") if b"uthorization" in line] for r in up.requests
    )
    assert basic == [b"Authorization: Basic YWxpY2U6c0BjcmV0"]  # alice:s@cret
    assert bearer == [b"Authorization: Bearer k"]
    assert pool.host_header == up.url.removeprefix("http://")


async def test_an_answer_that_says_close_is_not_reused() -> None:
    async def close(_r: asyncio.StreamReader, writer: asyncio.StreamWriter, _q: bytes) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok")
        await writer.drain()

    async with upstream(close) as up:
        pool = H1Pool(up.url, connect_timeout_s=2)
        assert [await _get(pool) for _ in range(2)] == [(200, b"ok")] * 2
        pool.close()
    assert up.connections == 2


async def test_a_body_that_ends_with_the_connection_is_read_whole() -> None:
    async def until_close(
        _r: asyncio.StreamReader, writer: asyncio.StreamWriter, _q: bytes
    ) -> None:
        writer.write(b"HTTP/1.0 200 OK\r\n\r\nall of ")
        await writer.drain()
        await asyncio.sleep(0.05)
        writer.write(b"it")
        writer.close()

    async with upstream(until_close) as up:
        pool = H1Pool(up.url, connect_timeout_s=2)
        assert await _get(pool) == (200, b"all of it")
        pool.close()


async def test_a_stream_cut_mid_answer_is_an_error_not_an_end() -> None:
    async def cut(_r: asyncio.StreamReader, writer: asyncio.StreamWriter, _q: bytes) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n")
        await writer.drain()
        writer.transport.abort()

    async with upstream(cut) as up:
        pool = H1Pool(up.url, connect_timeout_s=2)
        exchange = await pool.send("GET", "/v1/x", [], b"")
        assert await exchange.readany() == b"hello"
        with pytest.raises(UpstreamFailed, match="mid-answer"):
            await exchange.readany()
        assert not exchange.at_eof()
        exchange.release()
        pool.close()


async def test_an_answer_that_is_not_http_is_an_error() -> None:
    async def garbage(_r: asyncio.StreamReader, writer: asyncio.StreamWriter, _q: bytes) -> None:
        writer.write(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")
        await writer.drain()

    async with upstream(garbage) as up:
        pool = H1Pool(up.url, connect_timeout_s=2)
        with pytest.raises(UpstreamFailed, match="not HTTP"):
            await pool.send("GET", "/v1/models", [], b"")
        pool.close()


async def test_no_listener_is_unreachable_and_nothing_was_sent() -> None:
    probe = await asyncio.start_server(_ok, HOST, 0)
    port = probe.sockets[0].getsockname()[1]
    probe.close()
    await probe.wait_closed()
    pool = H1Pool(f"http://{HOST}:{port}", connect_timeout_s=2)
    with pytest.raises(UpstreamUnreachable, match="cannot connect"):
        await pool.send("GET", "/v1/models", [], b"")


async def test_a_connect_that_takes_too_long_is_a_connect_timeout() -> None:
    # 192.0.2.1 (TEST-NET-1) is never routed; in the tests' network namespace there is
    # no route at all, which fails at once instead: either way nothing hangs.
    pool = H1Pool("http://192.0.2.1:9", connect_timeout_s=0.2)
    with pytest.raises(UpstreamUnreachable):
        await asyncio.wait_for(pool.send("GET", "/v1/models", [], b""), 5)


async def test_the_connect_timeout_is_its_own_error(monkeypatch: pytest.MonkeyPatch) -> None:
    loop = asyncio.get_running_loop()

    async def never(*_a: object, **_k: object) -> None:
        await asyncio.sleep(10)

    monkeypatch.setattr(loop, "create_connection", never)
    pool = H1Pool(f"http://{HOST}:9", connect_timeout_s=0.05)
    with pytest.raises(UpstreamConnectTimeout, match=r"no connection within 0\.05 s"):
        await pool.send("GET", "/v1/models", [], b"")


async def test_a_kept_alive_connection_the_upstream_closed_is_replaced() -> None:
    async def once(_r: asyncio.StreamReader, writer: asyncio.StreamWriter, _q: bytes) -> None:
        writer.write(OK)
        await writer.drain()
        writer.close()  # the upstream's idle timeout, without saying so in the answer

    async with upstream(once) as up:
        pool = H1Pool(up.url, connect_timeout_s=2)
        assert await _get(pool) == (200, b"ok")
        assert await _get(pool, body=b"{}") == (200, b"ok")
        pool.close()
    assert up.connections == 2
    assert len(up.requests) == 2


async def test_a_reused_connection_closed_as_the_request_left_is_retried_once() -> None:
    # The race with an upstream's idle timeout: the request goes out on a kept-alive
    # connection just as the upstream closes it, and nothing comes back. Nothing was
    # answered, so it is sent again on a new connection.
    per_connection: dict[int, int] = {}

    async def race(_r: asyncio.StreamReader, writer: asyncio.StreamWriter, _q: bytes) -> None:
        key = id(writer.transport)
        per_connection[key] = per_connection.get(key, 0) + 1
        if per_connection[key] == 2:
            writer.transport.abort()
            return
        writer.write(OK)
        await writer.drain()

    async with upstream(race) as up:
        pool = H1Pool(up.url, connect_timeout_s=2)
        assert await _get(pool) == (200, b"ok")
        assert await _get(pool, body=b"{}") == (200, b"ok")
        pool.close()
    assert up.connections == 2
    assert len(up.requests) == 3  # the second went out twice


async def test_a_request_sent_then_refused_on_the_retry_is_not_called_unsent() -> None:
    # The request went out on a kept-alive connection the upstream then dropped, and the
    # new connection is refused: the upstream may have acted on it (the leader may have
    # begun a swap), so this is no UpstreamUnreachable ("nothing was sent").
    async def answer_once(
        _r: asyncio.StreamReader, writer: asyncio.StreamWriter, _q: bytes
    ) -> None:
        if len(up.requests) == 1:
            writer.write(OK)
            await writer.drain()
            return
        assert up.server is not None
        up.server.close()  # no more connections
        writer.transport.abort()

    async with upstream(answer_once) as up:
        pool = H1Pool(up.url, connect_timeout_s=2)
        assert await _get(pool) == (200, b"ok")
        with pytest.raises(UpstreamFailed, match="cannot connect") as raised:
            await pool.send("POST", "/v1/chat/completions", [], b"{}")
        assert not isinstance(raised.value, UpstreamUnreachable)
        pool.close()
    assert len(up.requests) == 2


async def test_a_fresh_connection_closed_without_an_answer_is_not_retried() -> None:
    async def hang_up(_r: asyncio.StreamReader, writer: asyncio.StreamWriter, _q: bytes) -> None:
        writer.transport.abort()

    async with upstream(hang_up) as up:
        pool = H1Pool(up.url, connect_timeout_s=2)
        with pytest.raises(UpstreamFailed, match="closed"):
            await pool.send("POST", "/v1/chat/completions", [], b"{}")
        pool.close()
    assert len(up.requests) == 1


async def test_a_header_with_a_line_break_is_refused_before_anything_is_sent() -> None:
    async with upstream(_ok) as up:
        pool = H1Pool(up.url, connect_timeout_s=2)
        with pytest.raises(UpstreamFailed, match="line break"):
            await pool.send("GET", "/v1/models", [("x-a", "b\r\nx-injected: 1")], b"")
        pool.close()
    assert up.requests == []


async def test_an_answer_to_head_ends_with_its_headers() -> None:
    async def head(_r: asyncio.StreamReader, writer: asyncio.StreamWriter, _q: bytes) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n")
        await writer.drain()

    async with upstream(head) as up:
        pool = H1Pool(up.url, connect_timeout_s=2)
        exchange = await asyncio.wait_for(pool.send("HEAD", "/v1/models", [], b""), 5)
        assert exchange.status == 200
        assert await asyncio.wait_for(exchange.read(), 5) == b""
        exchange.release()
        pool.close()


async def test_an_interim_answer_is_skipped() -> None:
    async def hints(_r: asyncio.StreamReader, writer: asyncio.StreamWriter, _q: bytes) -> None:
        writer.write(b"HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\n" + OK)
        await writer.drain()

    async with upstream(hints) as up:
        pool = H1Pool(up.url, connect_timeout_s=2)
        assert await _get(pool) == (200, b"ok")
        pool.close()


async def test_a_client_slower_than_the_upstream_holds_the_upstream_back() -> None:
    big = 4 * 1024 * 1024

    async def flood(_r: asyncio.StreamReader, writer: asyncio.StreamWriter, _q: bytes) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n" % big + b"x" * big)
        await writer.drain()

    async with upstream(flood) as up:
        pool = H1Pool(up.url, connect_timeout_s=2)
        exchange = await pool.send("GET", "/v1/big", [], b"")
        await asyncio.sleep(0.3)  # the client takes nothing for a while
        assert exchange._buffered < 1024 * 1024  # read stops past the high-water mark
        assert len(await exchange.read()) == big
        assert exchange.at_eof()
        exchange.release()
        pool.close()


async def test_an_abandoned_answer_closes_its_connection() -> None:
    closed = asyncio.Event()

    async def slow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, _q: bytes) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n")
        await writer.drain()
        await reader.read()  # returns at the client's close
        closed.set()

    async with upstream(slow) as up:
        pool = H1Pool(up.url, connect_timeout_s=2)
        exchange = await pool.send("POST", "/v1/chat/completions", [], b"{}")
        assert await exchange.readany() == b"hello"
        exchange.release()  # the client left: the upstream must learn it
        await asyncio.wait_for(closed.wait(), 5)
        assert pool._idle == []
        pool.close()


def test_the_target_encodes_the_path_again_and_keeps_the_base_path() -> None:
    pool = H1Pool("http://upstream.example:8000/prefix/", connect_timeout_s=1)
    assert pool.target("/v1/models/a b%c", b"x=1&y=%20") == "/prefix/v1/models/a%20b%25c?x=1&y=%20"
    assert pool.host_header == "upstream.example:8000"
    assert H1Pool("https://u.example", connect_timeout_s=1).port == 443


def test_a_base_url_that_is_not_http_is_refused() -> None:
    with pytest.raises(ValueError, match="not an http"):
        H1Pool("ftp://upstream.example", connect_timeout_s=1)


async def test_an_answers_trailers_are_not_the_next_answers_headers() -> None:
    async def trailers(_r: asyncio.StreamReader, writer: asyncio.StreamWriter, q: bytes) -> None:
        if q.startswith(b"GET /v1/first "):
            writer.write(
                b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ntrailer: x-trailer\r\n\r\n"
                b"2\r\nok\r\n0\r\nx-trailer: of-the-first\r\n\r\n"
            )
        else:
            writer.write(OK)
        await writer.drain()

    async with upstream(trailers) as up:
        pool = H1Pool(up.url, connect_timeout_s=2)
        assert await _get(pool, "/v1/first") == (200, b"ok")
        exchange = await pool.send("GET", "/v1/second", [], b"")
        assert await exchange.read() == b"ok"
        exchange.release()
        pool.close()
    assert up.connections == 1
    assert exchange.raw_headers == [(b"content-length", b"2")]


async def test_a_second_answer_to_one_request_is_not_read_as_its_body_or_the_next() -> None:
    async def twice(_r: asyncio.StreamReader, writer: asyncio.StreamWriter, _q: bytes) -> None:
        writer.write(OK + b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nab")
        await writer.drain()

    async with upstream(twice) as up:
        pool = H1Pool(up.url, connect_timeout_s=2)
        exchange = await pool.send("GET", "/v1/models", [], b"")
        await asyncio.sleep(0.05)  # the stray answer has come too
        assert (exchange.status, exchange.raw_headers) == (200, [(b"content-length", b"2")])
        assert await exchange.read() == b"ok"
        exchange.release()
        # Out of step: that connection is dropped, the next request gets its own answer.
        assert await asyncio.wait_for(_get(pool), 5) == (200, b"ok")
        pool.close()
    assert up.connections == 2


async def test_an_answer_released_unread_past_the_high_water_mark_leaves_reading_on() -> None:
    # A client that leaves once the upstream's whole big answer has come (and reading
    # paused for it): the connection goes back to the pool and must read the next answer.
    big = 400 * 1024

    async def big_then_ok(_r: asyncio.StreamReader, writer: asyncio.StreamWriter, q: bytes) -> None:
        if q.startswith(b"GET /v1/big "):
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n" % big + b"x" * big)
        else:
            writer.write(OK)
        await writer.drain()

    async with upstream(big_then_ok) as up:
        pool = H1Pool(up.url, connect_timeout_s=2)
        exchange = await pool.send("GET", "/v1/big", [], b"")
        async with asyncio.timeout(5):
            while not exchange.complete:
                await asyncio.sleep(0.01)
        exchange.release()
        assert await asyncio.wait_for(_get(pool), 5) == (200, b"ok")
        pool.close()


def _self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for HOST, and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "upstream.example")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


async def test_an_https_upstream_keeps_alive_and_ends_answers_as_plain_http_does(
    tmp_path: Path,
) -> None:
    cert_file, key_file = _self_signed(tmp_path)
    served = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    served.load_cert_chain(cert_file, key_file)

    async def answers(_r: asyncio.StreamReader, writer: asyncio.StreamWriter, q: bytes) -> None:
        if q.startswith(b"GET /v1/until-close "):
            writer.write(b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nuntil close")
            await writer.drain()
            writer.close()
        elif q.startswith(b"GET /v1/cut "):
            writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n")
            await writer.drain()
            writer.transport.abort()
        else:
            writer.write(OK)
            await writer.drain()

    up = Upstream(answers)
    server = await asyncio.start_server(up.serve, HOST, 0, ssl=served)
    pool = H1Pool(f"https://{HOST}:{server.sockets[0].getsockname()[1]}", connect_timeout_s=2)
    try:
        with pytest.raises(UpstreamUnreachable, match="CERTIFICATE_VERIFY_FAILED"):
            await _get(pool)  # verified against the system's authorities by default
        pool.ssl = ssl.create_default_context(cafile=cert_file)
        assert [await _get(pool) for _ in range(2)] == [(200, b"ok")] * 2
        assert await _get(pool, "/v1/until-close") == (200, b"until close")
        exchange = await pool.send("GET", "/v1/cut", [], b"")
        assert await exchange.readany() == b"hello"
        with pytest.raises(UpstreamFailed, match="mid-answer"):
            await exchange.readany()
        exchange.release()
        assert await _get(pool) == (200, b"ok")
    finally:
        pool.close()
        server.close()
    assert (up.connections, len(up.requests)) == (3, 5)


async def test_a_connection_idle_longer_than_the_upstreams_keep_alive_is_not_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(h1, "IDLE_S", 0.05)
    async with upstream(_ok) as up:
        pool = H1Pool(up.url, connect_timeout_s=2)
        assert await _get(pool) == (200, b"ok")
        assert await _get(pool) == (200, b"ok")  # at once: the same connection
        await asyncio.sleep(0.1)
        assert await _get(pool) == (200, b"ok")  # after the idle limit: a new one
        pool.close()
    assert up.connections == 2


async def test_a_close_long_after_the_write_is_not_retried(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The upstream took the request and failed on it (a crash mid-prefill), not the
    # idle-timeout race: the POST is not run a second time.
    monkeypatch.setattr(h1, "RETRY_WITHIN_S", 0.05)
    per_connection: dict[int, int] = {}

    async def crash(_r: asyncio.StreamReader, writer: asyncio.StreamWriter, _q: bytes) -> None:
        key = id(writer.transport)
        per_connection[key] = per_connection.get(key, 0) + 1
        if per_connection[key] == 2:
            await asyncio.sleep(0.2)
            writer.transport.abort()
            return
        writer.write(OK)
        await writer.drain()

    async with upstream(crash) as up:
        pool = H1Pool(up.url, connect_timeout_s=2)
        assert await _get(pool) == (200, b"ok")
        with pytest.raises(UpstreamFailed, match="closed"):
            await _get(pool, body=b"{}")
        pool.close()
    assert len(up.requests) == 2  # sent once, not again


async def test_a_header_value_http_cannot_carry_is_refused_before_anything_is_sent() -> None:
    async with upstream(_ok) as up:
        pool = H1Pool(up.url, connect_timeout_s=2)
        with pytest.raises(UpstreamFailed, match="latin-1 only"):
            await pool.send("GET", "/v1/models", [("Authorization", "Bearer sk-€")], b"")
        pool.close()
    assert up.requests == []
