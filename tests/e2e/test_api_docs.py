"""The API browser in Chromium with nothing reachable but the gateway (an offline LAN)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.helpers import serve

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_swagger_ui_draws_the_api_with_no_internet(page: Any, tmp_path: Path) -> None:
    async with serve(tmp_path) as gateway:
        refused: list[str] = []

        async def offline(route: Any) -> None:
            if route.request.url.startswith(gateway.url + "/"):
                await route.continue_()
            else:
                refused.append(route.request.url)
                await route.abort("internetdisconnected")

        await page.route("**/*", offline)
        await page.goto(gateway.url + "/docs")
        await page.locator(".swagger-ui .opblock-summary-path", has_text="/health").first.wait_for()
        assert await page.locator(".swagger-ui .info .title").text_content() or ""
        assert refused == []
