"""Browser safety: Host allow-list, same-origin guard, per-route body limits, error shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request

from spark_control import hookimpl
from spark_control.testing import running_gateway
from tests.core.helpers import core_config


class Echo:
    """A state-changing route with the default limit, and an upload route with a larger one."""

    @hookimpl
    def spark_routes(self, register: Any) -> None:
        small = APIRouter()

        @small.post("/api/echo")
        async def echo(request: Request) -> dict[str, int]:
            return {"bytes": len(await request.body())}

        big = APIRouter()

        @big.post("/api/echo/upload")
        async def upload(request: Request) -> dict[str, int]:
            return {"bytes": len(await request.body())}

        register(small)
        register(big, max_body_bytes=4 * 1024 * 1024)


async def _gateway(tmp_path: Path, **gateway: Any) -> Any:
    config = core_config(tmp_path, {"gateway": {"max_body_bytes": 2048, **gateway}})
    return running_gateway(config, extra_plugins={"echo": Echo()})


async def test_cross_origin_post_is_refused_and_post_without_origin_passes(
    tmp_path: Path,
) -> None:
    async with await _gateway(tmp_path) as gw:
        refused = await gw.client.post(
            "/api/echo", content=b"x", headers={"Origin": "http://evil.example"}
        )
        assert refused.status_code == 403
        assert refused.json()["error"]["type"] == "forbidden"
        assert "evil.example" in refused.json()["error"]["message"]

        assert (await gw.client.post("/api/echo", content=b"x")).json() == {"bytes": 1}

        same = await gw.client.post("/api/echo", content=b"x", headers={"Origin": gw.url})
        assert same.status_code == 200


async def test_sec_fetch_site_referer_and_null_origin_are_checked(tmp_path: Path) -> None:
    async with await _gateway(tmp_path) as gw:
        for headers in (
            {"Sec-Fetch-Site": "cross-site"},
            {"Sec-Fetch-Site": "same-site"},
            {"Referer": "http://evil.example/page"},
            {"Origin": "null"},
        ):
            response = await gw.client.post("/api/echo", content=b"x", headers=headers)
            assert response.status_code == 403, headers
        for headers in ({"Sec-Fetch-Site": "same-origin"}, {"Referer": gw.url + "/ui/"}):
            response = await gw.client.post("/api/echo", content=b"x", headers=headers)
            assert response.status_code == 200, headers


async def test_trusted_origin_may_post(tmp_path: Path) -> None:
    async with await _gateway(tmp_path, trusted_origins=["https://spark.example"]) as gw:
        response = await gw.client.post(
            "/api/echo", content=b"x", headers={"Origin": "https://spark.example"}
        )
        assert response.status_code == 200


async def test_foreign_host_header_is_refused_naming_the_setting(tmp_path: Path) -> None:
    async with await _gateway(tmp_path) as gw:
        refused = await gw.client.get("/api/plugins", headers={"Host": "rebind.evil.example"})
        assert refused.status_code == 400
        assert "gateway.allowed_hosts" in refused.json()["error"]["message"]
        for host in ("localhost:9999", "127.0.0.1", "[::1]:80", "192.0.2.7:9999"):
            response = await gw.client.get("/api/plugins", headers={"Host": host})
            assert response.status_code == 200, host


async def test_allowed_host_names_are_accepted(tmp_path: Path) -> None:
    async with await _gateway(tmp_path, allowed_hosts=["spark.lan"]) as gw:
        response = await gw.client.get("/health", headers={"Host": "spark.lan:9999"})
        assert response.status_code == 200


async def test_body_limits_are_per_route_with_declared_and_streamed_sizes(
    tmp_path: Path,
) -> None:
    async with await _gateway(tmp_path) as gw:
        too_big = await gw.client.post("/api/echo", content=b"x" * 4096)
        assert too_big.status_code == 413
        assert "2048 bytes" in too_big.json()["error"]["message"]

        async def chunks() -> Any:
            for _ in range(8):
                yield b"y" * 1024

        streamed = await gw.client.post("/api/echo", content=chunks())
        assert streamed.status_code == 413

        upload = await gw.client.post("/api/echo/upload", content=b"z" * 100_000)
        assert upload.json() == {"bytes": 100_000}


async def test_errors_share_one_shape_and_v1_errors_are_openai_shaped(tmp_path: Path) -> None:
    async with await _gateway(tmp_path) as gw:
        missing = await gw.client.get("/api/nothing-here")
        assert missing.status_code == 404
        assert set(missing.json()["error"]) == {"type", "message", "detail"}

        v1 = await gw.client.post("/v1/chat/completions", json={"model": "m"})
        assert v1.status_code == 404
        error = v1.json()["error"]
        assert {"type", "message", "code", "param"} <= set(error)

        refused = await gw.client.post(
            "/v1/chat/completions", json={}, headers={"Origin": "http://evil.example"}
        )
        assert refused.status_code == 403 and "code" in refused.json()["error"]


async def test_streaming_response_is_not_buffered_by_middleware(tmp_path: Path) -> None:
    """The SSE stream's first bytes arrive while the response is still open."""
    async with await _gateway(tmp_path) as gw, gw.client.stream("GET", "/api/events") as response:
        assert response.status_code == 200
        first = await anext(response.aiter_text())
        assert first.startswith("retry:")


async def test_openapi_schema_lists_core_routes(tmp_path: Path) -> None:
    async with await _gateway(tmp_path) as gw:
        schema = (await gw.client.get("/openapi.json")).json()
        for path in (
            "/api/plugins",
            "/api/endpoints",
            "/api/gates/{action}",
            "/api/health",
            "/api/audit",
            "/api/echo",
        ):
            assert path in schema["paths"], path
