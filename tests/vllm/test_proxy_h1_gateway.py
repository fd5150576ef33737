"""The gateway's /v1 proxy over proxy/h1.py against a raw socket upstream: every way an
exchange can end leaves the pool either reusing the connection or closing it, never
reusing one that is out of step (what the client sees, and how many connections the
upstream saw)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import openai
import pytest

from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway
from spark_control_vllm.proxy.h1 import H1Pool
from tests.vllm.conftest import open_gateway, sim_cluster
from tests.vllm.test_proxy_h1 import Upstream, upstream

MODEL = "raw-model"
CHAT = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}]}
REPLY = json.dumps(
    {
        "id": "c1",
        "object": "chat.completion",
        "created": 1,
        "model": MODEL,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}
        ],
    }
).encode()
SSE = (
    b'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"raw-model",'
    b'"choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":null}]}\n\n'
    b"data: [DONE]\n\n"
)


def _answer(status: str, body: bytes, *headers: bytes) -> bytes:
    head = b"".join(h + b"\r\n" for h in headers)
    return b"HTTP/1.1 %s\r\n%scontent-length: %d\r\n\r\n%s" % (
        status.encode(),
        head,
        len(body),
        body,
    )


def _chunked(*parts: bytes, trailers: bytes = b"") -> bytes:
    body = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts)
    return (
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n"
        b"\r\n" + body + b"0\r\n" + trailers + b"\r\n"
    )


class Script:
    """What the raw upstream answers, by the request's path (the rest: a chat reply)."""

    def __init__(self) -> None:
        self.answers: dict[bytes, bytes] = {}
        # The gateway's connections that carried /v1 requests (its health probes
        # come on connections of their own).
        self.peers: set[object] = set()
        self.v1_requests = 0
        # Set when the gateway closes a connection whose answer it left unfinished.
        self.dropped = asyncio.Event()

    async def __call__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
    ) -> None:
        path = request.split(b" ", 2)[1].partition(b"?")[0]
        if path.startswith(b"/v1/"):
            self.peers.add(writer.get_extra_info("peername"))
            self.v1_requests += 1
        if path == b"/v1/silent":
            await reader.read()  # until the gateway gives up and closes
            self.dropped.set()
            return
        if path == b"/v1/stream-held":
            writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nfirst\r\n")
            await writer.drain()
            await reader.read()
            self.dropped.set()
            return
        body = json.loads(request.partition(b"\r\n\r\n")[2] or b"{}")
        if path == b"/v1/chat/completions" and body.get("stream"):
            writer.write(_chunked(SSE))
        else:
            writer.write(self.answers.get(path, _answer("200 OK", REPLY)))
        await writer.drain()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("proxy-h1-sim"), "127.0.8.80") as sim:
        yield sim


@pytest.fixture
async def raw() -> AsyncIterator[tuple[Upstream, Script]]:
    script = Script()
    async with upstream(script) as up:
        yield up, script


@pytest.fixture
async def gateway(
    tmp_path: Path, cluster: SimCluster, raw: tuple[Upstream, Script]
) -> AsyncIterator[RunningGateway]:
    up, _ = raw
    proxy = {
        "static_upstreams": [{"name": "raw", "url": up.url, "models": [MODEL]}],
        "read_timeout_s": 1.0,
    }
    async with open_gateway(tmp_path, cluster, proxy=proxy) as gw:
        yield gw


async def _chat(gw: RunningGateway) -> None:
    response = await gw.client.post("/v1/chat/completions", json=CHAT)
    assert (response.status_code, response.json()["choices"][0]["message"]["content"]) == (
        200,
        "ok",
    )


async def test_the_openai_client_reuses_one_upstream_connection(
    gateway: RunningGateway, raw: tuple[Upstream, Script]
) -> None:
    _, script = raw
    async with openai.AsyncOpenAI(
        base_url=gateway.url + "/v1", api_key="sk-x", max_retries=0
    ) as client:
        for _ in range(3):
            reply = await client.chat.completions.create(
                model=MODEL, messages=[{"role": "user", "content": "hi"}]
            )
            assert reply.choices[0].message.content == "ok"
            stream = await client.chat.completions.create(
                model=MODEL, messages=[{"role": "user", "content": "hi"}], stream=True
            )
            assert [c.choices[0].delta.content async for c in stream] == ["ok"]
    assert len(script.peers) == 1
    assert script.v1_requests == 6


async def test_error_answers_no_content_and_bodies_at_the_one_write_limit_keep_it(
    gateway: RunningGateway, raw: tuple[Upstream, Script]
) -> None:
    _, script = raw
    limit = 256 * 1024
    script.answers = {
        b"/v1/err": _answer("500 Internal Server Error", b'{"error":{"message":"boom"}}'),
        b"/v1/nope": _answer("404 Not Found", b'{"detail":"Not Found"}'),
        b"/v1/empty": b"HTTP/1.1 204 No Content\r\n\r\n",
        b"/v1/at": _answer("200 OK", b"a" * limit),
        b"/v1/over": _answer("200 OK", b"b" * (limit + 1)),
        b"/v1/trailers": _chunked(b"t", trailers=b"x-trailer: of-the-last-answer\r\n"),
    }
    err = await gateway.client.post("/v1/err", json={})
    assert (err.status_code, err.json()["error"]["message"]) == (500, "boom")
    nope = await gateway.client.post("/v1/nope", json={})
    assert nope.status_code == 404 and nope.json()["error"]["type"] == "invalid_request_error"
    empty = await gateway.client.post("/v1/empty", json={})
    assert (empty.status_code, empty.content) == (204, b"")
    at = await gateway.client.post("/v1/at", json={})
    assert at.content == b"a" * limit
    over = await gateway.client.post("/v1/over", json={})
    assert over.content == b"b" * (limit + 1)
    trailers = await gateway.client.post("/v1/trailers", json={})
    assert trailers.content == b"t"
    after = await gateway.client.post("/v1/chat/completions", json=CHAT)
    assert "x-trailer" not in after.headers
    await _chat(gateway)
    assert len(script.peers) == 1


async def test_a_client_that_leaves_mid_stream_drops_the_connection_not_the_pool(
    gateway: RunningGateway, raw: tuple[Upstream, Script]
) -> None:
    _, script = raw
    await _chat(gateway)
    async with gateway.client.stream("POST", "/v1/stream-held", json={}) as response:
        assert await anext(response.aiter_bytes()) == b"first"
    await asyncio.wait_for(script.dropped.wait(), 10)  # the upstream learns it
    await _chat(gateway)  # on a new connection: the held one was closed
    await _chat(gateway)
    assert len(script.peers) == 2


async def test_an_upstream_given_up_for_silence_loses_its_connection(
    gateway: RunningGateway, raw: tuple[Upstream, Script]
) -> None:
    _, script = raw
    await _chat(gateway)
    silent = await gateway.client.post("/v1/silent", json={})
    assert silent.status_code == 504
    with pytest.raises(httpx.RemoteProtocolError):
        async with gateway.client.stream("POST", "/v1/stream-held", json={}) as response:
            async for _ in response.aiter_bytes():
                pass
    await _chat(gateway)
    await _chat(gateway)
    # The first connection carried the silent request, the second the held stream.
    assert len(script.peers) == 3


async def test_concurrent_requests_open_what_they_need_then_reuse_it(
    gateway: RunningGateway, raw: tuple[Upstream, Script]
) -> None:
    _, script = raw
    await asyncio.gather(*(_chat(gateway) for _ in range(16)))
    opened = len(script.peers)
    assert 1 <= opened <= 16
    for _ in range(3):
        await asyncio.gather(*(_chat(gateway) for _ in range(opened)))
    assert len(script.peers) == opened


async def test_a_host_header_given_goes_up_alone_so_the_leader_checks_the_callers(
    gateway: RunningGateway,
) -> None:
    # Leader forwarding sends the caller's Host on (the leader checks Host and Origin as
    # the follower did). Two Host headers, the pool's first, made the leader compare a
    # browser's Origin with its own address and refuse the request as cross-origin.
    port = gateway.url.rpartition(":")[2]
    caller = f"localhost:{port}"
    pool = H1Pool(gateway.url, connect_timeout_s=2)
    headers = [
        ("host", caller),
        ("origin", f"http://{caller}"),
        ("content-type", "application/json"),
    ]
    try:
        exchange = await pool.send(
            "POST", "/v1/chat/completions", headers, json.dumps(CHAT).encode()
        )
        body = await exchange.read()
        exchange.release()
    finally:
        pool.close()
    assert exchange.status == 200, body
