"""The URL space by owner: every plugin's routes under ``/api/<plugin>/…``, and every
path served before (the original system's, SPEC §13, and every route of the releases
before the move) still answering as a declared alias, marked deprecated in the OpenAPI,
with the access scope and body limit of the path it stands for."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter

from spark_control.api import with_aliases
from spark_control.testing import RunningGateway, make_config, running_gateway

ROOT = Path(__file__).parents[2]

# Every plugin route the gateway served before the move (docs/SECURITY.md's rows then).
BEFORE: list[tuple[str, str]] = [
    ("GET", "/api/models"),
    ("POST", "/api/models"),
    ("DELETE", "/api/models/{model_id}"),
    ("GET", "/api/models/disk"),
    ("DELETE", "/api/models/{model_id}/disk"),
    ("GET", "/api/swap"),
    ("POST", "/api/swap"),
    ("GET", "/api/swap/history"),
    ("GET", "/api/swap/{swap_id}"),
    ("DELETE", "/api/swap/{swap_id}"),
    ("GET", "/api/swap/{swap_id}/events"),
    ("POST", "/api/vllm/stop"),
    ("POST", "/api/vllm/restart"),
    ("POST", "/api/vllm/crash-loop-guard/clear"),
    ("GET", "/api/vllm/proxy"),
    ("GET", "/api/swap/lock"),
    ("POST", "/api/swap/lock"),
    ("DELETE", "/api/swap/lock"),
    ("GET", "/api/schedule"),
    ("POST", "/api/schedule"),
    ("DELETE", "/api/schedule"),
    ("DELETE", "/api/schedule/{name}"),
    ("GET", "/api/webhooks/deliveries"),
    ("POST", "/api/webhooks/test"),
    ("POST", "/api/embed"),
    ("POST", "/api/rerank"),
    ("GET", "/api/collections"),
    ("POST", "/api/collections"),
    ("GET", "/api/collections/{name}"),
    ("DELETE", "/api/collections/{name}"),
    ("POST", "/api/collections/{name}/documents"),
    ("POST", "/api/collections/{name}/documents/delete"),
    ("POST", "/api/collections/{name}/search"),
    ("POST", "/api/transcribe"),
    ("POST", "/api/diarize"),
    ("POST", "/api/speech/merge"),
    ("POST", "/api/tts"),
    ("GET", "/api/tts"),
    ("GET", "/api/tts/voices"),
    ("GET", "/api/speech"),
    ("GET", "/api/speech/sample.wav"),
    ("POST", "/api/scrub"),
    ("POST", "/api/rehydrate"),
    ("POST", "/api/redact/v1/chat/completions"),
    ("DELETE", "/api/redact/sessions/{session_id}"),
    ("GET", "/api/redact/status"),
    ("GET", "/api/matrix-bridge/bots"),
    ("POST", "/api/matrix-bridge/bots/check"),
    ("GET", "/api/matrix-bridge/logs"),
    ("POST", "/api/matrix-bridge/update"),
    ("GET", "/api/matrix-bridge/{bot}"),
    ("GET", "/api/matrix-bridge/{bot}/logs"),
    ("GET", "/api/matrix-bridge/{bot}/status"),
    ("POST", "/api/matrix-bridge/{bot}/start"),
    ("POST", "/api/matrix-bridge/{bot}/stop"),
    ("POST", "/api/matrix-bridge/{bot}/restart"),
    ("GET", "/api/matrix-bridge/{bot}/update"),
    ("POST", "/api/matrix-bridge/{bot}/update"),
    ("GET", "/api/matrix-bridge/{bot}/update/events"),
    ("GET", "/api/matrix-bridge/{bot}/updates"),
    # Served but hidden from the OpenAPI then: the original system's redaction paths.
    ("POST", "/scrub"),
    ("POST", "/rehydrate"),
]

# ../shared/SPEC.md §13, the names downstream apps and the StartOS package use.
SPEC_13: list[tuple[str, str]] = [
    ("POST", "/api/swap"),
    ("GET", "/api/swap/lock"),
    ("POST", "/api/swap/lock"),
    ("DELETE", "/api/swap/lock"),
    ("GET", "/api/schedule"),
    ("POST", "/api/schedule"),
    ("DELETE", "/api/schedule"),
    ("GET", "/api/endpoints"),
    ("POST", "/api/matrix-bridge/update"),
    ("GET", "/api/matrix-bridge/logs"),
    ("POST", "/scrub"),
    ("POST", "/rehydrate"),
    ("GET", "/health"),
]

# A value for each path parameter that names nothing, so no call changes anything.
_PARAMS = {"swap_id": "swp_none", "bot": "no-such-bot", "model_id": "no-such-model"}
_ROUTER_404 = "Not Found"


def _config(tmp_path: Path) -> dict[str, Any]:
    return make_config(
        tmp_path,
        {
            # A node that refuses at once: routes that reach out fail fast.
            "nodes": {"spark-1": {"address": "127.0.0.1", "port": 1, "user": "alice"}},
            "vllm": {"head_node": "no-such-node"},
        },
    )


def _concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: _PARAMS.get(m[1], "none"), path)


async def _operations(gw: RunningGateway) -> dict[tuple[str, str], dict[str, Any]]:
    schema = (await gw.client.get("/openapi.json")).json()
    return {
        (method.upper(), path): operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }


def _aliases(operations: dict[tuple[str, str], dict[str, Any]]) -> dict[tuple[str, str], str]:
    return {key: op["x-alias-of"] for key, op in operations.items() if "x-alias-of" in op}


async def test_every_old_path_is_a_deprecated_alias_with_the_same_scope_and_limit(
    tmp_path: Path,
) -> None:
    async with running_gateway(_config(tmp_path)) as gw:
        operations = await _operations(gw)
        aliases = _aliases(operations)
        limits = gw.gateway.limits
        missing = [key for key in BEFORE + SPEC_13 if key not in operations]
        assert missing == [], "paths no longer served"
        moved = [key for key in BEFORE if not operations[key].get("deprecated")]
        # What did not move was already under its owner's prefix.
        assert all(re.match(r"^/api/(vllm|speech)(/|$)", path) for _, path in moved), moved
        problems = []
        for (method, old), new in sorted(aliases.items()):
            alias, target = operations[(method, old)], operations.get((method, new))
            if target is None or target.get("deprecated"):
                problems.append(f"{method} {old}: stands for {new}, which is not served")
                continue
            if alias.get("deprecated") is not True:
                problems.append(f"{method} {old}: not marked deprecated")
            if alias["x-required-scope"] != target["x-required-scope"]:
                problems.append(f"{method} {old}: scope {alias['x-required-scope']}")
            old_limit = limits.for_request(method, _concrete(old))
            new_limit = limits.for_request(method, _concrete(new))
            if old_limit != new_limit:
                problems.append(f"{method} {old}: body limit {old_limit}, not {new_limit}")
        assert problems == []
        assert {key for key in BEFORE if key not in moved} <= set(aliases)
        # The limit is the plugin's own, not the default that every route would share.
        upload = gw.host.plugin_settings("speech").max_upload_bytes  # type: ignore[union-attr]
        assert upload != limits.default
        assert limits.for_request("POST", "/api/transcribe") == upload


async def test_every_alias_answers_as_its_new_path_does(tmp_path: Path) -> None:
    """Each alias called like its new path (no parameters that name anything, an empty
    JSON body, so nothing changes): the same status, never the router's own 404."""
    async with running_gateway(_config(tmp_path)) as gw:
        aliases = _aliases(await _operations(gw))

        async def status(method: str, path: str) -> tuple[int, str]:
            kwargs: dict[str, Any] = {} if method in ("GET", "DELETE") else {"json": {}}
            async with asyncio.timeout(15):
                response = await gw.client.request(method, _concrete(path), **kwargs)
            if path in aliases.values():
                assert "Deprecation" not in response.headers, path
            elif response.status_code < 400:
                # The answer itself says the path is deprecated and names its successor.
                assert response.headers.get("Deprecation") == "true", path
                successor = _concrete(aliases[(method, path)])
                assert response.headers.get("Link") == f'<{successor}>; rel="successor-version"'
            return response.status_code, response.text

        problems = []
        for (method, old), new in sorted(aliases.items()):
            (old_status, old_text), (new_status, _) = [
                await status(method, path) for path in (old, new)
            ]
            if old_status != new_status:
                problems.append(f"{method} {old}: {old_status}, {new} answers {new_status}")
            if old_status in (404, 405) and f'"message":"{_ROUTER_404}"' in old_text:
                problems.append(f"{method} {old}: the router does not know it")
        assert problems == []


async def test_every_plugin_route_lives_under_its_owner(tmp_path: Path) -> None:
    async with running_gateway(_config(tmp_path)) as gw:
        operations = await _operations(gw)
        wrong = []
        for name, contribution in gw.gateway.contributions.items():
            if name == "core":
                continue  # the host's own features: /health, /api/health, /api/nodes, ...
            for route in contribution.routes():
                path = getattr(route, "path", "")
                for method in getattr(route, "methods", None) or ():
                    if operations.get((method, path), {}).get("deprecated"):
                        continue
                    if path != f"/api/{name}" and not path.startswith(f"/api/{name}/"):
                        wrong.append(f"{name}: {method} {path}")
        assert wrong == []


async def test_the_docs_list_every_alias_with_its_new_path(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "PLUGINS.md").read_text()
    section = text.split("#### URL space by owner", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| `(/[^`]*)` \| `(/[^`]*)` \|$", section, re.M)
    documented = {(method, old): new for method, old, new in rows}
    assert len(documented) == len(rows)

    async with running_gateway(_config(tmp_path)) as gw:
        assert documented == _aliases(await _operations(gw))


def _dashboard_scripts() -> list[Path]:
    """The shell's and every first-party tile's scripts: what the browser runs."""
    return sorted(
        [*(ROOT / "ui").rglob("*.js"), *(ROOT / "plugins").glob("*/src/*/static/**/*.js")]
    )


def _paths_named(text: str) -> set[str]:
    """Every API path a script names (in code, strings or comments), each template
    substitution and path parameter written ``{}``, without its query."""
    text = re.sub(r"\$\{[^}]*\}", "{}", text)
    found = re.findall(r"(?<![\w.])(/api/[\w./{}-]*|/scrub\b|/rehydrate\b)", text)
    return {path.rstrip("./") for path in found}


async def test_no_dashboard_script_calls_or_names_a_deprecated_alias(tmp_path: Path) -> None:
    """The dashboard is the first client of the new URL space: a tile that still called
    an old path would break the day the aliases go, and shows users the wrong path."""
    scripts = _dashboard_scripts()
    assert len(scripts) > 10, "the tile scripts moved: update _dashboard_scripts"
    async with running_gateway(_config(tmp_path)) as gw:
        old = {re.sub(r"\{\w+\}", "{}", path) for _, path in _aliases(await _operations(gw))}
    named = [
        f"{script.relative_to(ROOT)}: {path}"
        for script in scripts
        for path in sorted(_paths_named(script.read_text()))
        # The path itself, or the base a script builds an old path from.
        if any(alias == path or alias.startswith(path + "/") for alias in old)
    ]
    assert named == []


async def test_each_gateway_hands_its_handlers_its_own_plugin_instance(tmp_path: Path) -> None:
    """The dependency finds the instance on the request's app: a lock taken through one
    gateway is not held in another running in the same process."""
    async with (
        running_gateway(_config(tmp_path / "one")) as one,
        running_gateway(_config(tmp_path / "two")) as two,
    ):
        taken = await one.client.post("/api/coordination/lock", json={"holder": "Alice"})
        assert taken.status_code == 201, taken.text
        assert (await one.client.get("/api/coordination/lock")).json()["held"] is True
        assert (await two.client.get("/api/coordination/lock")).json()["held"] is False


def test_an_alias_naming_a_path_the_router_does_not_serve_is_refused() -> None:
    router = APIRouter()

    @router.get("/api/hello/greeting")
    async def greeting() -> dict[str, str]:
        return {"greeting": "hello"}

    combined = with_aliases(router, {"/api/greeting": "/api/hello/greeting"})
    assert [route.path for route in combined.routes] == ["/api/hello/greeting", "/api/greeting"]
    with pytest.raises(ValueError, match="/api/hello/typo"):
        with_aliases(router, {"/api/greeting": "/api/hello/typo"})
