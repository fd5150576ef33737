"""The API browser in Chromium with nothing reachable but the gateway (an offline LAN)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from spark_control.testing import RunningGateway
from tests.e2e.helpers import serve

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def offline(page: Any, gateway: RunningGateway) -> list[str]:
    """Let the page reach only the gateway; the list fills with every other URL asked."""
    refused: list[str] = []

    async def route(route: Any) -> None:
        if route.request.url.startswith(gateway.url + "/"):
            await route.continue_()
        else:
            refused.append(route.request.url)
            await route.abort("internetdisconnected")

    await page.route("**/*", route)
    return refused


async def test_swagger_ui_draws_the_api_with_no_internet(page: Any, tmp_path: Path) -> None:
    async with serve(tmp_path) as gateway:
        refused = await offline(page, gateway)
        await page.goto(gateway.url + "/docs")
        await page.locator(".swagger-ui .opblock-summary-path", has_text="/health").first.wait_for()
        assert await page.locator(".swagger-ui .info .title").text_content() or ""
        assert refused == []


async def test_redoc_draws_the_api_with_no_internet(page: Any, tmp_path: Path) -> None:
    # ReDoc's sidebar footer drew Redocly's logo from its CDN (ERR_INTERNET_DISCONNECTED).
    async with serve(tmp_path) as gateway:
        refused = await offline(page, gateway)
        await page.goto(gateway.url + "/redoc")
        await page.get_by_text("/health").first.wait_for(state="attached")
        await page.get_by_text("API docs by Redocly").wait_for()
        await page.wait_for_load_state("networkidle")
        assert refused == []
        # The footer's image is drawn from the script (an image that fails is removed).
        assert await page.locator("img[alt='redocly logo']").count() == 1
