"""The /v1 proxy against a static upstream (a real aiohttp server on loopback that records
what it gets): streaming without buffering, disconnects, the concurrency cap, keys,
errors, metrics. Order of events is asserted, never wall time."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from spark_control import hookimpl
from spark_control.routing import canonical_v1_path
from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway, make_config, running_gateway
from tests.core.raw_http import INSIDE_V1, TRAVERSALS, raw_request
from tests.vllm.conftest import open_gateway, sim_cluster
from tests.vllm.upstream_standin import MODEL, Upstream, serve_upstream

CHAT = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}]}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("proxy-static-sim"), "127.0.8.10") as sim:
        yield sim


@pytest.fixture
async def upstream() -> AsyncIterator[Upstream]:
    async with serve_upstream("127.0.8.50") as up:
        yield up


def _static(upstream: Upstream, **extra: Any) -> dict[str, Any]:
    return {"static_upstreams": [{"name": "bench", "url": upstream.url, **extra}]}


@pytest.fixture
async def gateway(
    tmp_path: Path, cluster: SimCluster, upstream: Upstream
) -> AsyncIterator[RunningGateway]:
    async with open_gateway(tmp_path, cluster, proxy=_static(upstream)) as gw:
        yield gw


async def test_the_openai_client_works_unmodified(
    gateway: RunningGateway, upstream: Upstream
) -> None:
    async with openai.AsyncOpenAI(
        base_url=gateway.url + "/v1", api_key="sk-gateway", max_retries=0
    ) as client:
        models = await client.models.list()
        assert [m.id for m in models.data] == [MODEL]
        # models.retrieve: the gateway answers from the same cards (vLLM has no such route).
        card = await client.models.retrieve(MODEL)
        assert card.id == MODEL and card.model_dump() == models.data[0].model_dump()
        with pytest.raises(openai.NotFoundError) as unknown:
            await client.models.retrieve("no-such-model")
        assert unknown.value.body["type"] == "model_not_found"  # type: ignore[index]
        assert unknown.value.body["param"] == "model"  # type: ignore[index]

        reply = await client.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "hello"}]
        )
        assert reply.choices[0].message.content == "Echo: hello"

        stream = await client.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "hello"}], stream=True
        )
        texts = [chunk.choices[0].delta.content async for chunk in stream]
        assert texts == ["first", " done"]

        with pytest.raises(openai.NotFoundError) as missing:
            await client.chat.completions.create(
                model="no-such-model", messages=[{"role": "user", "content": "x"}]
            )
        assert "`no-such-model` does not exist" in str(missing.value)
        assert missing.value.body["type"] == "model_not_found"  # type: ignore[index]


async def test_streaming_passes_each_chunk_before_the_upstream_sends_the_next(
    gateway: RunningGateway, upstream: Upstream
) -> None:
    upstream.mode = "pause_after_first"
    async with asyncio.timeout(10):  # a buffering proxy would wait here for ever
        async with gateway.client.stream(
            "POST", "/v1/chat/completions", json={**CHAT, "stream": True}
        ) as response:
            assert response.status_code == 200
            assert response.headers["content-type"] == "text/event-stream"
            chunks = response.aiter_bytes()
            first = await anext(chunks)
            assert b'"first"' in first
            upstream.events.append("client got first")
            upstream.release.set()
            rest = b"".join([chunk async for chunk in chunks])
    assert b'" last"' in rest and rest.endswith(b"data: [DONE]\n\n")
    assert upstream.events == ["sent first", "client got first", "sent last"]


async def test_a_client_that_leaves_mid_stream_cancels_the_upstream_request(
    gateway: RunningGateway, upstream: Upstream
) -> None:
    upstream.mode = "slow_stream"
    async with gateway.client.stream(
        "POST", "/v1/chat/completions", json={**CHAT, "stream": True}
    ) as response:
        assert b'"first"' in await anext(response.aiter_bytes())
    await upstream.wait_for("cancelled")
    assert "finished" not in upstream.events


async def test_a_client_that_leaves_before_any_answer_cancels_the_upstream_request(
    gateway: RunningGateway, upstream: Upstream
) -> None:
    upstream.mode = "silent"
    request = asyncio.create_task(gateway.client.post("/v1/chat/completions", json=CHAT))
    await upstream.wait_for("silent")
    request.cancel()
    await upstream.wait_for("cancelled")
    assert "finished" not in upstream.events
    metrics = (await gateway.client.get("/metrics")).text
    assert 'spark_control_proxy_requests_total{status="499",upstream="bench"} 1.0' in metrics


async def test_the_cap_queues_then_refuses_with_429(
    tmp_path: Path, cluster: SimCluster, upstream: Upstream
) -> None:
    proxy = {**_static(upstream), "max_concurrency": 1, "max_queue": 1}
    upstream.mode = "hold"
    async with open_gateway(tmp_path, cluster, proxy=proxy) as gw:
        first = asyncio.create_task(gw.client.post("/v1/chat/completions", json=CHAT))
        await upstream.wait_for("held")
        queued = asyncio.create_task(gw.client.post("/v1/chat/completions", json=CHAT))
        while gw.host and _snapshot_queued(await gw.client.get("/api/vllm/proxy")) < 1:
            await asyncio.sleep(0.01)
        refused = await gw.client.post("/v1/chat/completions", json=CHAT)
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "1"
        assert refused.json()["error"]["type"] == "rate_limited"
        upstream.release.set()
        assert (await first).status_code == 200
        assert (await queued).status_code == 200


def _snapshot_queued(response: httpx.Response) -> int:
    return int(response.json()["upstreams"][-1]["queued"])


async def test_the_upstream_gets_its_own_key_and_never_the_callers(
    tmp_path: Path, cluster: SimCluster, upstream: Upstream
) -> None:
    proxy = _static(upstream, api_key="sk-upstream-own")
    async with open_gateway(tmp_path, cluster, proxy=proxy) as gw:
        response = await gw.client.post(
            "/v1/chat/completions",
            json=CHAT,
            headers={
                "Authorization": "Bearer sk-gateway-secret",
                "Cookie": "spark_session=abc",
                "X-Swap-Lock-Token": "lock-secret",
                "X-Request-Id": "r-1",
            },
        )
    assert response.status_code == 200
    seen = {k.lower(): v for k, v in upstream.headers[-1].items()}
    assert seen["authorization"] == "Bearer sk-upstream-own"
    assert seen["x-request-id"] == "r-1"
    assert "cookie" not in seen and "x-swap-lock-token" not in seen
    assert "sk-gateway-secret" not in json.dumps(upstream.headers)


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b"{not json", "application/json", "not valid JSON"),
        (b"[1, 2]", "application/json", "must be a JSON object"),
        (b'{"model": 7, "messages": []}', "application/json", "`model` must be a string"),
    ],
)
async def test_malformed_requests_get_a_clear_400(
    gateway: RunningGateway, body: bytes, content_type: str, message: str
) -> None:
    response = await gateway.client.post(
        "/v1/chat/completions", content=body, headers={"Content-Type": content_type}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert message in error["message"] and error["code"] == 400


async def test_an_oversize_body_is_413(gateway: RunningGateway) -> None:
    huge = b'{"model": "x", "pad": "' + b"a" * (33 * 2**20) + b'"}'
    response = await gateway.client.post(
        "/v1/chat/completions", content=huge, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert "error" in response.json()


async def test_an_unreachable_upstream_is_a_502_and_counted(
    tmp_path: Path, cluster: SimCluster
) -> None:
    dead = {"static_upstreams": [{"name": "dead", "url": "http://127.0.8.51:9/v1"}]}
    dead["static_upstreams"][0]["models"] = ["static/dead"]  # type: ignore[index]
    async with open_gateway(tmp_path, cluster, proxy=dead) as gw:
        response = await gw.client.post(
            "/v1/chat/completions", json={**CHAT, "model": "static/dead"}
        )
        assert response.status_code == 502
        assert response.json()["error"]["type"] == "upstream_unreachable"
        metrics = (await gw.client.get("/metrics")).text
    assert 'spark_control_proxy_requests_total{status="502",upstream="dead"} 1.0' in metrics


async def test_request_and_error_rates_reach_the_tile_endpoint(
    gateway: RunningGateway, upstream: Upstream
) -> None:
    for _ in range(5):
        assert (await gateway.client.post("/v1/chat/completions", json=CHAT)).status_code == 200
    # Rates cover complete seconds only: wait until every second of these has ended.
    async with asyncio.timeout(5):
        while (stats := (await gateway.client.get("/api/vllm/proxy")).json())[
            "requests_per_s"
        ] < 0.5:
            await asyncio.sleep(0.1)
    assert stats["requests_per_s"] == pytest.approx(0.5)
    assert stats["errors_per_s"] == 0
    assert stats["upstreams"][-1]["name"] == "bench"


async def test_with_keys_on_a_read_key_works_and_only_the_upstream_key_goes_up(
    tmp_path: Path, cluster: SimCluster, upstream: Upstream
) -> None:
    config = make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["vllm"]},
            "access": {"require_keys": True, "key_cache_s": 0},
            "vllm": {"proxy": _static(upstream, api_key="sk-upstream-own")},
        },
    )
    async with running_gateway(config) as gw:
        access = gw.gateway.access
        _, secret = await access.keys.create("alice-app", ["read"], access.known_scopes())
        async with openai.AsyncOpenAI(
            base_url=gw.url + "/v1", api_key=secret, max_retries=0
        ) as client:
            reply = await client.chat.completions.create(
                model=MODEL, messages=[{"role": "user", "content": "hello"}]
            )
            assert reply.choices[0].message.content == "Echo: hello"
            wrong = openai.AsyncOpenAI(base_url=gw.url + "/v1", api_key="sck_wrong", max_retries=0)
            async with wrong:
                with pytest.raises(openai.AuthenticationError):
                    await wrong.models.list()
            swap = await gw.client.post(
                "/api/swap",
                json={"model": "gpt-oss-20b"},
                headers={"Authorization": f"Bearer {secret}"},
            )
            assert swap.status_code == 403
    seen = json.dumps(upstream.headers)
    assert "sk-upstream-own" in seen and secret not in seen
    assert all(h.get("Authorization") == "Bearer sk-upstream-own" for h in upstream.headers)


async def test_the_proxy_paths_are_in_the_openapi_schema_with_examples(
    gateway: RunningGateway,
) -> None:
    paths = (await gateway.client.get("/openapi.json")).json()["paths"]
    chat = paths["/v1/chat/completions"]["post"]
    example = chat["requestBody"]["content"]["application/json"]["example"]
    assert example["messages"][0]["role"] == "user"
    assert {"404", "429", "503"} <= set(chat["responses"])
    assert "get" in paths["/v1/models"]
    retrieve = paths["/v1/models/{model}"]["get"]
    assert retrieve["responses"]["200"]["content"]["application/json"]["example"]["id"]
    assert "404" in retrieve["responses"]


async def test_an_upstream_that_breaks_mid_stream_cuts_the_clients_stream(
    gateway: RunningGateway, upstream: Upstream
) -> None:
    upstream.mode = "break_mid_stream"
    with pytest.raises(httpx.RemoteProtocolError):
        async with gateway.client.stream(
            "POST", "/v1/chat/completions", json={**CHAT, "stream": True}
        ) as response:
            assert response.status_code == 200
            async for _ in response.aiter_bytes():
                pass  # a cut stream must not end like a whole one
    metrics = (await gateway.client.get("/metrics")).text
    assert 'spark_control_proxy_requests_total{status="502",upstream="bench"} 1.0' in metrics


async def test_the_upstreams_cors_answer_never_reaches_the_browser(
    gateway: RunningGateway, upstream: Upstream
) -> None:
    # The stand-in answers "Access-Control-Allow-Origin: *" as vLLM does by default.
    own_origin = gateway.url
    response = await gateway.client.post(
        "/v1/chat/completions", json=CHAT, headers={"Origin": own_origin}
    )
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    assert upstream.headers and all(
        "origin" not in {k.lower() for k in h} for h in upstream.headers
    )


async def test_deeply_nested_json_is_a_400_not_a_500(gateway: RunningGateway) -> None:
    response = await gateway.client.post(
        "/v1/chat/completions", content=b"[" * 100_000, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]["message"]


def _keyed_config(tmp_path: Path, cluster: SimCluster, upstream: Upstream) -> Any:
    return make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["vllm"]},
            "access": {"require_keys": True, "key_cache_s": 0},
            "vllm": {"proxy": _static(upstream, api_key="sk-upstream-own")},
        },
    )


async def _key(gw: RunningGateway, name: str, scope: str) -> dict[str, str]:
    access = gw.gateway.access
    _, secret = await access.keys.create(name, [scope], access.known_scopes())
    return {"Authorization": f"Bearer {secret}"}


async def test_no_encoded_traversal_reaches_the_upstream_with_its_key(
    tmp_path: Path, cluster: SimCluster, upstream: Upstream
) -> None:
    async with running_gateway(_keyed_config(tmp_path, cluster, upstream)) as gw:
        read = await _key(gw, "alice-app", "read")
        for target in TRAVERSALS:
            for method in ("GET", "POST"):
                answer = await raw_request(gw.url, method, target, headers=read)
                assert answer.status in (400, 404), (method, target, answer.status)
        for target, canonical in INSIDE_V1.items():
            answer = await raw_request(gw.url, "GET", target, headers=read)
            assert answer.status == 200, (target, answer.body)
            if canonical != "/v1/models":  # the gateway answers that one itself
                assert upstream.arrived[-1] == f"GET {canonical}"
        trace = await raw_request(gw.url, "TRACE", "/v1/chat/completions", headers=read)
        assert trace.status == 405 and trace.headers["allow"] == "DELETE, GET, POST"
    # Everything the gateway sent with the upstream's key was on a canonical path inside
    # /v1/; the only other request is the health probe's (it carries no key).
    keyed = [
        entry.split(" ", 1)[1].split("?")[0]
        for entry, auth in zip(upstream.arrived, upstream.authorizations, strict=True)
        if auth == "Bearer sk-upstream-own"
    ]
    assert keyed and all(canonical_v1_path(path) == path for path in keyed), keyed
    others = {
        e for e, a in zip(upstream.arrived, upstream.authorizations, strict=True) if a is None
    }
    assert others <= {"GET /health"}, others
    assert not any(entry.startswith("TRACE") for entry in upstream.arrived)


async def test_a_multipart_request_is_routed_by_its_model_field(
    gateway: RunningGateway, upstream: Upstream
) -> None:
    audio = {"file": ("a.wav", b"RIFF-audio", "audio/wav")}
    unknown = await gateway.client.post(
        "/v1/audio/transcriptions", data={"model": "no-such-model"}, files=audio
    )
    assert unknown.status_code == 404, unknown.text
    assert unknown.json()["error"]["type"] == "model_not_found"
    assert not any("/v1/audio" in entry for entry in upstream.arrived)

    served = await gateway.client.post(
        "/v1/audio/transcriptions", data={"model": MODEL}, files=audio
    )
    assert served.status_code == 200, served.text
    assert upstream.arrived[-1] == "POST /v1/audio/transcriptions"
    assert (
        b"RIFF-audio" in upstream.other_bodies[-1] and MODEL.encode() in upstream.other_bodies[-1]
    )


async def test_runtime_lora_routes_need_the_swap_scope(
    tmp_path: Path, cluster: SimCluster, upstream: Upstream
) -> None:
    async with running_gateway(_keyed_config(tmp_path, cluster, upstream)) as gw:
        read = await _key(gw, "alice-app", "read")
        swap = await _key(gw, "ci-bot", "swap")
        lora = {"lora_name": "support-tone", "lora_path": "/models/loras/support-tone"}
        for path in ("/v1/load_lora_adapter", "/v1/unload_lora_adapter"):
            refused = await gw.client.post(path, json=lora, headers=read)
            assert refused.status_code == 403, refused.text
            assert refused.json()["error"]["detail"]["required_scope"] == "swap"
            assert not any(path in entry for entry in upstream.arrived)
            allowed = await gw.client.post(path, json=lora, headers=swap)
            assert allowed.status_code == 200, allowed.text
            assert upstream.arrived[-1] == f"POST {path}"
        schema = (await gw.client.get("/openapi.json", headers=read)).json()["paths"]
    assert schema["/v1/load_lora_adapter"]["post"]["x-required-scope"] == "swap"
    assert schema["/v1/chat/completions"]["post"]["x-required-scope"] == "read"


class _ServesEmbeddings:
    """Another plugin that serves a model of its own (as embeddings or speech do)."""

    @hookimpl
    def spark_models(self, host: Any) -> list[dict[str, str]]:
        return [{"id": "bge-m3", "served_name": "bge-m3"}, {"id": MODEL, "served_name": MODEL}]


async def test_v1_models_lists_every_served_model_with_its_owner(
    tmp_path: Path, upstream: Upstream
) -> None:
    config = make_config(
        tmp_path,
        {"plugins": {"enabled": ["vllm"]}, "vllm": {"proxy": _static(upstream)}},
    )
    async with running_gateway(config, extra_plugins={"embedder": _ServesEmbeddings()}) as gw:
        listed = (await gw.client.get("/v1/models")).json()["data"]
    owners = {card["id"]: card["owned_by"] for card in listed}
    # The static upstream's model once (the upstream's card wins), the plugin's model too.
    assert owners == {MODEL: "static:bench", "bge-m3": "embedder"}


async def test_an_upstream_silent_longer_than_the_read_timeout_is_given_up(
    tmp_path: Path, cluster: SimCluster, upstream: Upstream
) -> None:
    """proxy.read_timeout_s is the longest silence, before the answer and mid-stream;
    a stream whose chunks keep coming runs past it as long as it likes."""
    proxy = {**_static(upstream), "read_timeout_s": 1.0}
    async with open_gateway(tmp_path, cluster, proxy=proxy) as gw:
        # Silent before answering: a clean 504, and the upstream request is closed.
        upstream.mode = "silent"
        async with asyncio.timeout(20):
            response = await gw.client.post("/v1/chat/completions", json=CHAT)
        assert response.status_code == 504, response.text
        assert response.json()["error"]["type"] == "timeout"
        assert "did not answer in time" in response.json()["error"]["message"]
        await upstream.wait_for("cancelled")
        assert "finished" not in upstream.events

        # Silent after the first chunk: the stream is cut, never ended like a whole one.
        upstream.events.clear()
        upstream.mode = "pause_after_first"
        with pytest.raises(httpx.RemoteProtocolError):
            async with asyncio.timeout(20):
                async with gw.client.stream(
                    "POST", "/v1/chat/completions", json={**CHAT, "stream": True}
                ) as streamed:
                    assert streamed.status_code == 200
                    async for _ in streamed.aiter_bytes():
                        pass
        await upstream.wait_for("cancelled")
        assert "sent last" not in upstream.events

        # 200 chunks 20 ms apart: 4 s in all, never 1 s silent: served whole.
        upstream.events.clear()
        upstream.mode = "slow_stream"
        async with asyncio.timeout(60):
            async with gw.client.stream(
                "POST", "/v1/chat/completions", json={**CHAT, "stream": True}
            ) as streamed:
                body = b"".join([chunk async for chunk in streamed.aiter_bytes()])
        assert body.endswith(b"data: [DONE]\n\n") and b'" 199"' in body
        assert upstream.events == ["sent first", "finished"]
        metrics = (await gw.client.get("/metrics")).text
        assert 'spark_control_proxy_requests_total{status="504",upstream="bench"} 1.0' in metrics
        assert 'spark_control_proxy_requests_total{status="502",upstream="bench"} 1.0' in metrics
