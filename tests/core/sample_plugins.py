"""Throwaway plugins the host tests register directly (``extra_plugins``)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Request

from spark_control import hookimpl
from spark_control.contrib import Action, Refusal
from spark_control.health import HealthState, Probe, ProbeResult
from spark_control.settings import EnvAlias, PluginSettings


class RouteOnly:
    """Claims the given GET paths, each answering with its own name and path params."""

    def __init__(self, label: str, *paths: str) -> None:
        self.label = label
        self.paths = paths

    @hookimpl
    def spark_routes(self, register: Any) -> None:
        router = APIRouter()
        for path in self.paths:

            async def answer(request: Request, _path: str = path) -> dict[str, Any]:
                return {"plugin": self.label, "route": _path, "params": request.path_params}

            router.add_api_route(path, answer, methods=["GET"])
        register(router)


class Settings(PluginSettings):
    port: Annotated[int, EnvAlias("LEGACY_DEMO_PORT")] = 8000
    greeting: str = "hello"


class WithSettings:
    settings_model = Settings


class FailingStart:
    """Its lifespan raises, so its routes must answer 503 with the reason."""

    @hookimpl
    def spark_routes(self, register: Any) -> None:
        router = APIRouter()

        @router.get("/api/failing/ping")
        async def ping() -> dict[str, str]:
            return {"pong": "yes"}

        register(router)

    @hookimpl
    def spark_lifespan(self, host: Any) -> Any:
        @contextlib.asynccontextmanager
        async def run() -> AsyncIterator[None]:
            raise RuntimeError("backend socket missing")
            yield

        return run()


class Gatekeeper:
    """Refuses ``demo.act`` while ``closed`` is set; publishes gate.changed on toggles."""

    def __init__(self) -> None:
        self.closed = False
        self.host: Any = None

    @hookimpl
    def spark_lifespan(self, host: Any) -> Any:
        self.host = host
        return None

    @hookimpl
    async def spark_gate(self, action: Action) -> Refusal | None:
        await asyncio.sleep(0)
        if action.name == "demo.act" and self.closed:
            token = action.headers.get("x-demo-token")
            if token == "let-me":
                return None
            return Refusal(
                423, "demo lock is held by Alice", detail={"holder": "Alice"}, retry_after=30
            )
        return None

    @hookimpl
    def spark_routes(self, host: Any, register: Any) -> None:
        router = APIRouter()

        @router.post("/api/demo/act")
        async def act(request: Request) -> dict[str, str]:
            await host.require_gate(
                Action("demo.act", headers={k.lower(): v for k, v in request.headers.items()})
            )
            return {"done": "yes"}

        @router.post("/api/demo/lock")
        async def lock(closed: bool = True) -> dict[str, bool]:
            self.closed = closed
            host.gate_changed("demo.act", source="gatekeeper")
            return {"closed": closed}

        register(router)


class HangingProbe:
    @hookimpl
    def spark_probes(self, register: Any) -> None:
        async def hang() -> ProbeResult:
            await asyncio.sleep(3600)
            return ProbeResult(HealthState.OK)

        async def fine() -> ProbeResult:
            return ProbeResult(HealthState.OK, "fine")

        register(Probe(name="hung-service", check=hang, timeout_s=0.5))
        register(Probe(name="fine-service", check=fine))


class AccessDemo:
    """Routes of each kind of scope, and an OpenAI-compatible ``/v1/chat/completions``.

    ``GET /api/demo/items`` (read by default), ``POST /api/demo/items`` (admin by
    default), ``POST /api/demo/force`` (the plugin's own ``demo.force`` scope),
    ``/v1/chat/completions`` (read) and ``/v1/demo/reload`` (swap).
    """

    def __init__(self) -> None:
        self.v1_headers: list[dict[str, str]] = []

    @hookimpl
    def spark_routes(self, host: Any, register: Any) -> None:
        from spark_control.access import requires

        router = APIRouter()

        @router.get("/api/demo/items")
        async def items() -> dict[str, list[str]]:
            return {"items": ["a"]}

        @router.post("/api/demo/items")
        async def add_item(request: Request) -> dict[str, str]:
            await host.audit.record(
                "demo.add", actor="anonymous", origin="test", result="ok", target="a"
            )
            return {"added": "a"}

        @router.post("/api/demo/force", dependencies=[requires("demo.force")])
        async def force() -> dict[str, str]:
            return {"forced": "yes"}

        register(router)
        register.v1("/chat/completions", self._chat)
        register.v1("/demo/reload", self._chat, scope="swap")

    async def _chat(self, scope: Any, receive: Any, send: Any) -> None:
        import json

        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        self.v1_headers.append({k.decode(): v.decode() for k, v in scope["headers"]})
        model = json.loads(body or b"{}").get("model", "demo-model")
        answer = {
            "id": "chatcmpl-demo",
            "object": "chat.completion",
            "created": 1767225600,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": "Hello, Alice."},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 3, "completion_tokens": 3, "total_tokens": 6},
        }
        raw = json.dumps(answer).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": raw})
