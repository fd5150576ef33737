"""Edge cases of the host: limits that follow the router, readiness everywhere, fail-closed
gating, and load failures that must never take the gateway down."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter, Request
from pydantic import BaseModel, SecretStr
from starlette.routing import Route

from spark_control import hookimpl
from spark_control.contrib import Action, Refusal
from spark_control.errors import ConfigError
from spark_control.gateway import Gateway
from spark_control.health import HealthState, Probe, ProbeResult
from spark_control.settings import load_config, validate_section
from spark_control.testing import running_gateway
from tests.core.helpers import core_config
from tests.core.sample_plugins import RouteOnly
from tests.core.test_v1_routing import Embeddings, Proxy, answering


class Files:
    """A large-upload PUT beside a small POST on a path the PUT's pattern also matches."""

    calls: list[int]

    def __init__(self) -> None:
        self.calls = []

    @hookimpl
    def spark_routes(self, register: Any) -> None:
        big = APIRouter()

        @big.put("/api/files/{name}")
        async def put(name: str, request: Request) -> dict[str, int]:
            return {"bytes": len(await request.body())}

        small = APIRouter()

        @small.post("/api/files/config")
        @small.get("/api/files/config")
        async def config(request: Request) -> dict[str, int]:
            size = len(await request.body())
            self.calls.append(size)
            return {"bytes": size}

        register(big, max_body_bytes=8 * 1024 * 1024)
        register(small)


async def test_body_limit_follows_the_route_that_serves_the_request(tmp_path: Path) -> None:
    config = core_config(tmp_path, {"gateway": {"max_body_bytes": 2048}})
    files = Files()
    async with running_gateway(config, extra_plugins={"files": files}) as gw:
        assert (await gw.client.put("/api/files/a", content=b"x" * 100_000)).status_code == 200
        small = await gw.client.post("/api/files/config", content=b"x" * 100_000)
        assert small.status_code == 413

        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(10):
                yield b"y" * 1024

        chunked_get = await gw.client.request("GET", "/api/files/config", content=chunks())
        assert chunked_get.status_code == 413
        assert files.calls == []


async def test_oversized_body_on_a_shared_v1_path_runs_no_plugin(tmp_path: Path) -> None:
    seen: list[str] = []

    def recording(label: str) -> Any:
        inner = answering(label)

        async def app(scope: Any, receive: Any, send: Any) -> None:
            seen.append(label)
            await inner(scope, receive, send)

        return app

    class Fallback:
        @hookimpl
        def spark_routes(self, register: Any) -> None:
            register.v1_fallback(recording("proxy"))

    config = core_config(tmp_path, {"gateway": {"max_body_bytes": 2048}})
    plugins = {"embeddings": Embeddings(), "proxy": Fallback()}
    async with running_gateway(config, extra_plugins=plugins) as gw:

        async def chunks() -> AsyncIterator[bytes]:
            yield b'{"model": "bge-m3", "input": "'
            for _ in range(10):
                yield b"z" * 1024
            yield b'"}'

        response = await gw.client.post(
            "/v1/embeddings", content=chunks(), headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 413
        assert seen == []


async def test_a_parameter_first_route_does_not_shadow_v1_or_static(tmp_path: Path) -> None:
    static = tmp_path / "static"
    static.mkdir()
    (static / "tile.js").write_text("export default 1;\n")

    class Greedy:
        @hookimpl
        def spark_routes(self, register: Any) -> None:
            router = APIRouter()

            @router.get("/{tenant}/models")
            async def models(tenant: str) -> dict[str, str]:
                return {"shadow": tenant}

            @router.get("/{a}/{b}/{c}/{d}")
            async def deep(a: str, b: str, c: str, d: str) -> dict[str, str]:
                return {"shadow": a}

            register(router)

        @hookimpl
        def spark_tiles(self, register: Any) -> None:
            register.static(static)

    plugins = {"greedy": Greedy(), "proxy": Proxy()}
    async with running_gateway(core_config(tmp_path), extra_plugins=plugins) as gw:
        assert (await gw.client.get("/v1/models")).json()["served_by"] == "proxy"
        module = await gw.client.get("/plugins/greedy/static/tile.js")
        assert module.text == "export default 1;\n"
        assert (await gw.client.get("/acme/models")).json() == {"shadow": "acme"}


async def test_plugin_that_failed_to_start_answers_503_on_v1_too(tmp_path: Path) -> None:
    class BrokenProxy(Proxy):
        @hookimpl
        def spark_lifespan(self, host: Any) -> Any:
            @contextlib.asynccontextmanager
            async def run() -> AsyncIterator[None]:
                raise RuntimeError("upstream pool did not open")
                yield

            return run()

    async with running_gateway(core_config(tmp_path), extra_plugins={"p": BrokenProxy()}) as gw:
        response = await gw.client.post("/v1/chat/completions", json={"model": "m"})
        assert response.status_code == 503
        assert "upstream pool did not open" in response.json()["error"]["message"]
        assert "code" in response.json()["error"]


async def test_raw_starlette_routes_are_refused_at_registration(tmp_path: Path) -> None:
    class Raw:
        @hookimpl
        def spark_routes(self, register: Any) -> None:
            router = APIRouter()
            router.routes.append(Route("/api/raw", answering("raw")))
            register(router)

    async with running_gateway(core_config(tmp_path), extra_plugins={"raw": Raw()}) as gw:
        record = next(p for p in (await gw.client.get("/api/plugins")).json() if p["name"] == "raw")
        assert record["status"] == "failed" and "register.v1" in record["reason"]


async def test_strict_gateway_refuses_to_start_on_a_route_clash(tmp_path: Path) -> None:
    gateway = Gateway(
        core_config(tmp_path),
        extra_plugins={"rogue": RouteOnly("rogue", "/api/plugins")},
        strict=True,
    )
    with pytest.raises(RuntimeError, match="rogue"):
        async with gateway.app.router.lifespan_context(gateway.app):
            pass


def test_a_plugin_class_that_raises_or_a_name_listed_twice_never_crash_loading(
    tmp_path: Path,
) -> None:
    class Exploding:
        def __init__(self, host: object, settings: object) -> None:
            raise RuntimeError("no GPU driver")

    gateway = Gateway(core_config(tmp_path), extra_plugins={"boom": Exploding})
    assert gateway.records["boom"].status == "failed"
    assert "no GPU driver" in (gateway.records["boom"].reason or "")

    with pytest.raises(ConfigError, match="listed twice"):
        Gateway(core_config(tmp_path, {"plugins": {"enabled": ["a", "a"]}}))


def test_secrets_nested_in_a_bad_value_are_not_echoed() -> None:
    class Hook(BaseModel):
        url: str
        secret: SecretStr

    class Section(BaseModel):
        webhooks: list[Hook]

    with pytest.raises(ConfigError) as raised:
        validate_section(Section, {"webhooks": {"url": "u", "secret": "hunter2"}}, prefix="c")
    assert "c.webhooks" in raised.value.message and "hunter2" not in raised.value.message


def test_legacy_node_address_beats_yaml_but_yields_to_the_generated_name(
    tmp_path: Path,
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("nodes:\n  spark-1:\n    address: 192.0.2.1\n    user: alice\n")
    assert load_config(path, {"SPARK1_HOST": "192.0.2.9"}).core.nodes["spark-1"].address == (
        "192.0.2.9"
    )
    both = {"SPARK1_HOST": "192.0.2.9", "SPARK_CONTROL__NODES__SPARK_1__ADDRESS": "192.0.2.5"}
    assert load_config(path, both).core.nodes["spark-1"].address == "192.0.2.5"


def test_config_file_that_is_not_utf8_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(b"gateway:\n  host: \xff\xfe\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(path, {})


async def test_models_hook_may_take_fewer_arguments_and_one_failure_is_isolated(
    tmp_path: Path,
) -> None:
    class NoHost:
        @hookimpl
        def spark_models(self) -> list[dict[str, str]]:
            return [{"id": "a", "served_name": "A"}]

    class Broken:
        @hookimpl
        def spark_models(self, host: Any) -> list[dict[str, str]]:
            raise RuntimeError("catalog unreadable")

    plugins = {"nohost": NoHost(), "broken": Broken()}
    async with running_gateway(core_config(tmp_path), extra_plugins=plugins) as gw:
        assert await gw.host.models() == [{"id": "a", "served_name": "A", "plugin": "nohost"}]


async def test_required_plugin_with_a_probe_down_fails_gated_actions_closed(
    tmp_path: Path,
) -> None:
    class Coordinator:
        @hookimpl
        def spark_probes(self, register: Any) -> None:
            async def down() -> ProbeResult:
                return ProbeResult(HealthState.DOWN, "lease store unreachable")

            register(Probe(name="lease-store", check=down))

    config = core_config(tmp_path, {"plugins": {"required": ["coordinator"]}})
    async with running_gateway(config, extra_plugins={"coordinator": Coordinator()}) as gw:
        await gw.client.get("/api/health/deep")
        refusal = await gw.host.gate(Action("models.swap"))
        assert refusal is not None and refusal.status == 503
        assert "lease store unreachable" in refusal.reason


async def test_gating_plugin_that_failed_to_start_refuses_instead_of_vanishing(
    tmp_path: Path,
) -> None:
    class Lock:
        @hookimpl
        def spark_gate(self, action: Action) -> Refusal | None:
            return None

        @hookimpl
        def spark_lifespan(self, host: Any) -> Any:
            @contextlib.asynccontextmanager
            async def run() -> AsyncIterator[None]:
                raise RuntimeError("lock table corrupt")
                yield

            return run()

    async with running_gateway(core_config(tmp_path), extra_plugins={"lock": Lock()}) as gw:
        refusal = await gw.host.gate(Action("models.swap"))
        assert refusal is not None and refusal.status == 503
        assert "lock table corrupt" in refusal.reason


async def test_running_gateway_gives_up_on_a_start_up_that_never_ends(tmp_path: Path) -> None:
    class Stuck:
        @hookimpl
        def spark_lifespan(self, host: Any) -> Any:
            @contextlib.asynccontextmanager
            async def run() -> AsyncIterator[None]:
                await asyncio.Event().wait()
                yield

            return run()

    with pytest.raises(TimeoutError):
        async with running_gateway(
            core_config(tmp_path), extra_plugins={"stuck": Stuck()}, start_timeout_s=0.5
        ):
            pass
