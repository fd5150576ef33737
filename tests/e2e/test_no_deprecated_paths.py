"""The dashboard calls no deprecated path: the demo dashboard in Chromium, every tile
exercised, and each request the page makes checked against the operations the
gateway's own /openapi.json marks ``deprecated`` (the old aliases kept for other
clients, docs/PLUGINS.md "URL space by owner")."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from spark_control.demo import DemoOptions, demo_cluster
from spark_control.testing import running_gateway
from tests.e2e.helpers import open_dashboard

pytestmark = pytest.mark.asyncio(loop_scope="session")


def deprecated_operations(openapi: dict[str, Any]) -> list[tuple[str, re.Pattern[str]]]:
    """(METHOD, path pattern) of every operation the OpenAPI marks deprecated."""
    found = []
    for template, operations in openapi["paths"].items():
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        for method, operation in operations.items():
            if isinstance(operation, dict) and operation.get("deprecated"):
                found.append((method.upper(), re.compile(f"^{pattern}$")))
    return found


class Requests:
    """Every request a page makes, as (METHOD, path)."""

    def __init__(self, page: Any) -> None:
        self.seen: list[tuple[str, str]] = []
        page.on("request", lambda r: self.seen.append((r.method, urlsplit(r.url).path)))

    def deprecated(self, operations: list[tuple[str, re.Pattern[str]]]) -> list[str]:
        return sorted(
            {
                f"{method} {path}"
                for method, path in self.seen
                for old_method, pattern in operations
                if method == old_method and pattern.match(path)
            }
        )


async def exercise_tiles(page: Any) -> None:
    """Use each tile the way the owner would, waiting for what each action shows."""
    redaction = page.locator('[data-tile="redaction"]')
    await redaction.get_by_role("button", name="Scrub").click()
    await redaction.locator('[data-role="scrubbed"]').filter(has_text="<").wait_for()
    await redaction.get_by_label("Model reply to rehydrate").fill("Hello <PERSON_1>")
    await redaction.get_by_role("button", name="Rehydrate").click()
    await redaction.locator('[data-role="restored"]').filter(has_text="Hello").wait_for()
    await redaction.get_by_role("button", name="Forget session").click()
    await page.get_by_role("dialog").get_by_role("button", name="Forget").click()
    await redaction.locator("button:disabled", has_text="Rehydrate").wait_for()

    embeddings = page.locator('[data-tile="embeddings"]')
    await embeddings.get_by_label("Query", exact=True).fill("alpha")
    await embeddings.get_by_role("button", name="Search", exact=True).click()
    await embeddings.locator('.emb-column[data-mode="hybrid"]').wait_for()

    speech = page.locator('[data-tile="speech"]')
    await speech.get_by_role("button", name="Try the sample clip").click()
    await speech.locator(".transcript li").first.wait_for()
    await speech.get_by_role("button", name="Speak").click()
    await speech.locator("audio[data-loaded='true']").wait_for()

    vllm = page.locator('[data-tile="vllm"]')
    async with page.expect_request(lambda r: "/models/disk" in r.url):
        await vllm.locator("details.vllm-disk summary").click()
    await vllm.get_by_role("button", name="Swap", exact=True).click()
    async with page.expect_response(lambda r: r.request.method == "POST"):
        await page.get_by_role("dialog").get_by_role("button", name="Swap").click()

    bridge = page.locator('[data-tile="matrix_bridge.matrix-bridge"]')
    async with page.expect_request(lambda r: "/logs" in r.url):
        await bridge.get_by_role("button", name="View logs").click()


async def test_the_demo_dashboard_calls_no_deprecated_path(browser: Any, tmp_path: Path) -> None:
    with demo_cluster(DemoOptions(port=0, data_dir=tmp_path / "demo")) as (_, config):
        async with running_gateway(config) as gateway:
            operations = deprecated_operations((await gateway.client.get("/openapi.json")).json())
            assert ("POST", "/api/swap/lock") in [(m, p.pattern[1:-1]) for m, p in operations]
            context = await browser.new_context(viewport={"width": 1440, "height": 900})
            context.set_default_timeout(15_000)
            page = await context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            requests = Requests(page)
            try:
                await open_dashboard(page, gateway)
                await page.locator('[data-tile="vllm"] select').first.wait_for()
                await exercise_tiles(page)
                await page.wait_for_timeout(500)  # the refetches the actions' events start
            finally:
                await context.close()
    assert not errors, errors
    called = {path for _, path in requests.seen}
    # The exercise reached every plugin's API, so the check below covers them all.
    for prefix in ("coordination", "embeddings", "matrix_bridge", "redaction", "speech", "vllm"):
        assert any(p.startswith(f"/api/{prefix}/") for p in called), prefix
    assert requests.deprecated(operations) == []


async def test_the_check_sees_a_deprecated_call(page: Any, tmp_path: Path) -> None:
    """The same check flags a page that calls an old path (so the test above can fail)."""
    with demo_cluster(DemoOptions(port=0, data_dir=tmp_path / "demo")) as (_, config):
        async with running_gateway(config) as gateway:
            operations = deprecated_operations((await gateway.client.get("/openapi.json")).json())
            requests = Requests(page)
            await open_dashboard(page, gateway)
            await page.evaluate("fetch('/api/swap/lock').then(r => r.json())")
            await page.evaluate("fetch('/api/coordination/lock').then(r => r.json())")
    assert requests.deprecated(operations) == ["GET /api/swap/lock"]
