"""``/v1`` goes by path, then by the request's model, then to the one fallback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from spark_control import hookimpl
from spark_control.routing import canonical_v1_path, multipart_field, with_multipart_field
from spark_control.testing import running_gateway
from tests.core.helpers import core_config
from tests.core.raw_http import INSIDE_V1, TRAVERSALS, raw_request


def answering(label: str) -> Any:
    """A raw ASGI app answering with its label, the path and the body it received."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        body = await request.body()
        response = JSONResponse(
            {"served_by": label, "path": scope["path"], "body_bytes": len(body)}
        )
        await response(scope, receive, send)

    return app


class Embeddings:
    @hookimpl
    def spark_routes(self, register: Any) -> None:
        register.v1("/embeddings", answering("embeddings"), models=lambda: {"bge-m3"})


class Speech:
    @hookimpl
    def spark_routes(self, register: Any) -> None:
        register.v1(
            "/audio/transcriptions",
            answering("speech"),
            models={"parakeet-tdt"},
            max_body_bytes=10_000_000,
        )


class Proxy:
    @hookimpl
    def spark_routes(self, register: Any) -> None:
        register.v1_fallback(answering("proxy"))


class SecondProxy(Proxy):
    pass


JSON = {"Content-Type": "application/json"}
PLUGINS = {"embeddings": Embeddings(), "speech": Speech(), "proxy": Proxy()}


async def test_path_then_model_then_fallback(tmp_path: Path) -> None:
    async with running_gateway(core_config(tmp_path), extra_plugins=PLUGINS) as gw:
        body = json.dumps({"model": "bge-m3", "input": "hi"}).encode()
        own = await gw.client.post("/v1/embeddings", content=body, headers=JSON)
        assert own.json()["served_by"] == "embeddings"
        assert own.json()["body_bytes"] == len(body), "the body must be replayed whole"

        other = await gw.client.post("/v1/embeddings", json={"model": "qwen-embed", "input": "x"})
        assert other.json()["served_by"] == "proxy"

        body = b'{"model": "bge-m3"}'
        chat = await gw.client.post("/v1/chat/completions", content=body, headers=JSON)
        assert chat.json() == {
            "served_by": "proxy",
            "path": "/v1/chat/completions",
            "body_bytes": len(body),
        }

        models = await gw.client.get("/v1/models")
        assert models.json()["served_by"] == "proxy"


async def test_multipart_model_field_routes_uploads(tmp_path: Path) -> None:
    async with running_gateway(core_config(tmp_path), extra_plugins=PLUGINS) as gw:
        audio = b"RIFF" + b"\0" * 50_000
        mine = await gw.client.post(
            "/v1/audio/transcriptions",
            data={"model": "parakeet-tdt"},
            files={"file": ("a.wav", audio, "audio/wav")},
        )
        assert mine.json()["served_by"] == "speech"
        assert mine.json()["body_bytes"] > 50_000
        whisper = await gw.client.post(
            "/v1/audio/transcriptions",
            data={"model": "whisper-1"},
            files={"file": ("a.wav", b"RIFF", "audio/wav")},
        )
        assert whisper.json()["served_by"] == "proxy"


async def test_a_body_no_v1_endpoint_takes_is_a_415_naming_what_is(tmp_path: Path) -> None:
    async with running_gateway(core_config(tmp_path), extra_plugins=PLUGINS) as gw:
        # The usual slip: an upload sent as a form (curl -d) instead of multipart.
        form = await gw.client.post("/v1/audio/transcriptions", data={"model": "parakeet-tdt"})
        assert form.status_code == 415, form.text
        error = form.json()["error"]
        assert error["type"] == "unsupported_media_type"
        assert "multipart/form-data" in error["message"]
        assert "got application/x-www-form-urlencoded" in error["message"]
        bare = await gw.client.post("/v1/embeddings", content=b'{"model": "bge-m3"}')
        assert bare.status_code == 415 and "no Content-Type" in bare.json()["error"]["message"]
        # Upper case is still JSON (media types are case-insensitive).
        upper = await gw.client.post(
            "/v1/embeddings",
            content=b'{"model": "bge-m3"}',
            headers={"Content-Type": "Application/JSON"},
        )
        assert upper.json()["served_by"] == "embeddings", upper.text


async def test_v1_claim_body_limit_is_its_own(tmp_path: Path) -> None:
    config = core_config(tmp_path, {"gateway": {"max_body_bytes": 4096}})
    async with running_gateway(config, extra_plugins=PLUGINS) as gw:
        upload = await gw.client.post(
            "/v1/audio/transcriptions",
            data={"model": "parakeet-tdt"},
            files={"file": ("a.wav", b"\0" * 100_000, "audio/wav")},
        )
        assert upload.status_code == 200
        chat = await gw.client.post("/v1/chat/completions", json={"x": "y" * 10_000})
        assert chat.status_code == 413
        assert "code" in chat.json()["error"]


async def test_without_fallback_unclaimed_v1_is_openai_404(tmp_path: Path) -> None:
    plugins = {"embeddings": Embeddings()}
    async with running_gateway(core_config(tmp_path), extra_plugins=plugins) as gw:
        response = await gw.client.post("/v1/chat/completions", json={"model": "m"})
        assert response.status_code == 404
        assert response.json()["error"]["message"] == "no plugin serves /v1/chat/completions here"


async def test_second_fallback_is_refused_naming_both(tmp_path: Path) -> None:
    plugins = {"proxy": Proxy(), "proxy2": SecondProxy()}
    async with running_gateway(core_config(tmp_path), extra_plugins=plugins) as gw:
        records = {p["name"]: p for p in (await gw.client.get("/api/plugins")).json()}
        assert records["proxy2"]["status"] == "failed"
        assert "'proxy'" in records["proxy2"]["reason"]
        assert "'proxy2'" in records["proxy2"]["reason"]


class Described:
    @hookimpl
    def spark_routes(self, register: Any) -> None:
        register.v1("/embeddings", answering("described"), models={"bge-m3"})
        register.v1_docs("/embeddings", {"post": {"summary": "Embed text"}})
        register.v1_docs("/embeddings", {"get": {"summary": "Not a real operation"}})


async def test_v1_paths_are_in_the_openapi_schema_as_plugins_describe_them(
    tmp_path: Path,
) -> None:
    plugins = {"described": Described(), "proxy": Proxy()}
    async with running_gateway(core_config(tmp_path), extra_plugins=plugins) as gw:
        schema = (await gw.client.get("/openapi.json")).json()
        again = (await gw.client.get("/openapi.json")).json()
    item = schema["paths"]["/v1/embeddings"]
    assert item["post"]["summary"] == "Embed text"
    assert item["get"]["summary"] == "Not a real operation"
    assert again["paths"]["/v1/embeddings"] == item  # built once, not twice
    assert not any(p.startswith("/v1/{") for p in schema["paths"])


def recording(seen: list[str]) -> Any:
    inner = answering("proxy")

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["path"])
        await inner(scope, receive, send)

    return app


class RecordingProxy:
    def __init__(self) -> None:
        self.seen: list[str] = []

    @hookimpl
    def spark_routes(self, register: Any) -> None:
        register.v1_fallback(recording(self.seen))


async def test_no_encoded_traversal_leaves_v1(tmp_path: Path) -> None:
    proxy = RecordingProxy()
    plugins = {"embeddings": Embeddings(), "proxy": proxy}
    async with running_gateway(core_config(tmp_path), extra_plugins=plugins) as gw:
        for target in TRAVERSALS:
            answer = await raw_request(gw.url, "GET", target)
            assert answer.status in (400, 404), (target, answer.status, answer.body)
        assert proxy.seen == []
        refused = await raw_request(gw.url, "GET", "/v1/%2e%2e/sleep")
        assert refused.status == 400
        assert refused.json()["error"]["type"] == "invalid_path"
        assert "/v1/../sleep" in refused.json()["error"]["message"]

        for target, canonical in INSIDE_V1.items():
            answer = await raw_request(gw.url, "GET", target)
            assert answer.status == 200, (target, answer.body)
            assert answer.json()["path"] == canonical
        assert proxy.seen == list(INSIDE_V1.values())
        # Routing happens on the canonical path, so a claim is found through any form.
        claimed = await raw_request(
            gw.url,
            "POST",
            "/v1/./chat/../embeddings",
            headers=JSON,
            body=json.dumps({"model": "bge-m3", "input": "x"}).encode(),
        )
        assert claimed.json() == {
            "served_by": "embeddings",
            "path": "/v1/embeddings",
            "body_bytes": 33,
        }


async def test_only_the_methods_of_an_openai_api_reach_a_plugin(tmp_path: Path) -> None:
    proxy = RecordingProxy()
    async with running_gateway(core_config(tmp_path), extra_plugins={"proxy": proxy}) as gw:
        for method in ("TRACE", "PUT", "PATCH", "OPTIONS", "PROPFIND"):
            answer = await raw_request(gw.url, method, "/v1/models")
            assert answer.status == 405, (method, answer.status)
            assert answer.headers["allow"] == "DELETE, GET, POST"
            assert answer.json()["error"]["type"] == "method_not_allowed"
        assert proxy.seen == []
        for method in ("GET", "POST", "DELETE"):
            assert (await raw_request(gw.url, method, "/v1/models")).status == 200
        assert proxy.seen == ["/v1/models"] * 3


def test_canonical_v1_paths() -> None:
    assert canonical_v1_path("/v1/a/./b/../c") == "/v1/a/c"
    assert canonical_v1_path("/v1/responses/resp_1/cancel") == "/v1/responses/resp_1/cancel"
    assert canonical_v1_path("/v1/models/meta-llama/Llama-3.1-8B-Instruct") is not None
    for outside in ("/v1/..", "/v1/", "/v1/a/../..", "/v2/models", "/v1/a\\b", "/v1/a%2eb"):
        assert canonical_v1_path(outside) is None, outside


def test_a_multipart_field_is_read_and_replaced_in_place() -> None:
    boundary = "b0undary"
    content_type = f"multipart/form-data; boundary={boundary}"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="model"\r\n'
        f"Content-Type: audio/wav\r\n\r\nRIFF\r\n--model--\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="language"\r\n\r\nen\r\n'
        f"--{boundary}--\r\n"
    ).encode()
    assert multipart_field(content_type, body, "model") == "whisper"
    renamed = with_multipart_field(content_type, body, "model", "openai/whisper-large-v3")
    assert renamed == body.replace(b"\r\n\r\nwhisper\r\n", b"\r\n\r\nopenai/whisper-large-v3\r\n")
    assert multipart_field(content_type, renamed, "model") == "openai/whisper-large-v3"
    assert multipart_field(content_type, renamed, "language") == "en"
    assert with_multipart_field(content_type, body, "absent", "x") == body
