"""Every route's scope is the one docs/SECURITY.md lists by hand: the gateway is started
with every first-party plugin, each route of its OpenAPI schema is called with no key
and with a read, a swap and an admin key, and what it answers is compared with the
table. A new route without a row in that table fails here."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from spark_control.api_keys import allows
from spark_control.testing import make_config, running_gateway
from tests.core.raw_http import raw_status

DOCS = Path(__file__).parents[2] / "docs" / "SECURITY.md"
_ROW = re.compile(r"^\| `(GET|POST|PUT|PATCH|DELETE)` \| `(/[^`]*)` \| (\S+) \|$")
# A value for each path parameter that names nothing, so no call changes anything.
_PARAMS = {"swap_id": "swp_none", "bot": "no-such-bot", "node": "spark-1"}


def documented_scopes() -> dict[tuple[str, str], str]:
    """The rows of 'Every route and its scope' in docs/SECURITY.md."""
    text = DOCS.read_text()
    section = text.split("### Every route and its scope", 1)[1].split("\n## ", 1)[0]
    rows: dict[tuple[str, str], str] = {}
    for line in section.splitlines():
        found = _ROW.match(line.strip())
        if found:
            method, path, scope = found.groups()
            assert (method, path) not in rows, f"{method} {path} is listed twice"
            rows[(method, path)] = scope
    return rows


def test_the_table_is_read() -> None:
    rows = documented_scopes()
    assert rows[("POST", "/api/swap")] == "swap" and rows[("GET", "/health")] == "public"
    assert len(rows) > 80


async def test_every_route_answers_to_the_scope_the_docs_give_it(tmp_path: Path) -> None:
    config = make_config(
        tmp_path,
        {
            # A node that refuses at once: routes that reach out fail fast, not by timeout.
            "nodes": {"spark-1": {"address": "127.0.0.1", "port": 1, "user": "alice"}},
            "access": {"require_keys": True, "key_cache_s": 0},
            # No vLLM node: a stop fails at once instead of retrying SSH for its grace.
            "vllm": {"head_node": "no-such-node"},
        },
    )
    async with running_gateway(config) as gw:
        loaded = {n: r.status for n, r in gw.gateway.records.items()}
        assert set(loaded.values()) == {"loaded"}, loaded
        access = gw.gateway.access
        keys: dict[str, dict[str, str]] = {"no key": {}}
        for scope in ("read", "swap", "admin"):
            _, secret = await access.keys.create(f"{scope}-key", [scope], access.known_scopes())
            keys[scope] = {"Authorization": f"Bearer {secret}"}
        admin = keys["admin"]
        schema = (await gw.client.get("/openapi.json", headers=admin)).json()

        served = {
            (method.upper(), path): operation.get("x-required-scope")
            for path, item in schema["paths"].items()
            for method, operation in item.items()
        }
        documented = documented_scopes()
        assert sorted(set(served) - set(documented)) == [], "routes missing from SECURITY.md"
        assert sorted(set(documented) - set(served)) == [], "SECURITY.md lists unknown routes"
        assert {k: v for k, v in served.items() if v != documented[k]} == {}

        calls = [
            (method, path, scope, holder)
            for (method, path), scope in sorted(documented.items())
            for holder in keys
        ]
        # Concurrent, a few dozen at a time: a route still at work holds its call until
        # the timeout, and the others need not wait behind it.
        limit = asyncio.Semaphore(32)

        async def check(method: str, path: str, scope: str, holder: str) -> str | None:
            url = re.sub(r"\{(\w+)\}", lambda m: _PARAMS.get(m[1], "none"), path)
            async with limit:
                status = await _status(gw.url, method, url, keys[holder])
            may = scope == "public" or (holder != "no key" and allows([holder], scope))
            expected = "allowed" if may else ("401" if holder == "no key" else "403")
            got = str(status) if status in (401, 403) else "allowed"
            if status is None and not may:
                got = "no answer"
            if status == 500:  # 502-504 are fine here: nothing behind the routes runs
                got = "500 (an empty request must get a clear 4xx)"
            return None if got == expected else f"{method} {path} with {holder}: {got}"

        found = await asyncio.gather(*(check(*call) for call in calls))
        wrong = [problem for problem in found if problem is not None]
        assert wrong == []


async def _status(base_url: str, method: str, url: str, headers: dict[str, str]) -> int | None:
    """The status, or None when the route is still at work after a few seconds (a stop
    reaching for an unreachable node): a refusal comes before any work, so the caller
    counts None as let through, never as refused."""
    try:
        async with asyncio.timeout(5):
            return await raw_status(base_url, method, url, headers=headers)
    except TimeoutError:
        return None
