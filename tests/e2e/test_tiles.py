"""Tiles in Chromium: text-only rendering, confirmation, gates, module tiles, failures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.e2e_plugins import Lock, Misspelt, ModuleTile, Recorder
from tests.e2e.helpers import open_dashboard, serve

pytestmark = pytest.mark.asyncio(loop_scope="session")

HOSTILE = "<img src=x onerror=window.__xss=1>"
CONFIRM = "Restart the model server on spark-1? Requests in flight will fail."


async def test_a_hostile_tile_title_renders_as_text(page: Any, tmp_path: Path) -> None:
    tiles = [
        {
            "id": "hostile",
            "title": HOSTILE,
            "description": HOSTILE,
            "fields": [{"label": HOSTILE, "source": "/api/e2e/status", "key": "current.model"}],
            "actions": [{"label": HOSTILE, "path": "/api/e2e/poke"}],
        }
    ]
    async with serve(tmp_path, {"e2e": Recorder(tiles)}) as gateway:
        await open_dashboard(page, gateway)
        tile = page.locator('[data-tile="hostile"]')
        assert await tile.locator("h3").text_content() == HOSTILE
        assert await tile.locator(".description").text_content() == HOSTILE
        assert await tile.locator("dt").text_content() == HOSTILE
        assert await tile.locator("button").text_content() == HOSTILE
        await tile.locator('dd:text("<model-a>")').wait_for()
        assert await page.locator("img").count() == 0
        assert await page.evaluate("typeof window.__xss") == "undefined"


async def test_a_destructive_action_asks_first(page: Any, tmp_path: Path) -> None:
    recorder = Recorder(
        [
            {
                "id": "models",
                "title": "Models",
                "actions": [
                    {
                        "label": "Restart",
                        "path": "/api/e2e/reset",
                        "body": {"node": "spark-1"},
                        "confirm": CONFIRM,
                    }
                ],
            }
        ]
    )
    async with serve(tmp_path, {"e2e": recorder}) as gateway:
        await open_dashboard(page, gateway)
        tile = page.locator('[data-tile="models"]')
        button = tile.get_by_role("button", name="Restart")
        dialog = page.get_by_role("dialog")

        await button.click()
        await dialog.wait_for()
        assert await dialog.locator(".confirm-text").text_content() == CONFIRM
        assert await page.evaluate("document.activeElement.textContent") == "Cancel"
        await dialog.get_by_role("button", name="Cancel").click()
        await dialog.wait_for(state="hidden")
        await tile.locator('.result:text("cancelled")').wait_for()

        await button.focus()
        await page.keyboard.press("Enter")
        await dialog.wait_for()
        await page.keyboard.press("Tab")
        await page.keyboard.press("Tab")  # focus stays inside: back on Cancel
        assert await page.evaluate("document.activeElement.textContent") == "Cancel"
        await page.keyboard.press("Escape")
        await dialog.wait_for(state="hidden")
        assert recorder.calls == []

        await button.click()
        await dialog.get_by_role("button", name="Restart").click()
        await tile.locator('.result[data-outcome="ok"]').wait_for()
        assert recorder.calls == [("reset", {"node": "spark-1"})]


async def test_a_failed_action_shows_the_gateway_error(page: Any, tmp_path: Path) -> None:
    tiles = [{"id": "t", "title": "T", "actions": [{"label": "Go", "path": "/api/e2e/missing"}]}]
    async with serve(tmp_path, {"e2e": Recorder(tiles)}) as gateway:
        await open_dashboard(page, gateway)
        await page.get_by_role("button", name="Go").click()
        result = page.locator('[data-tile="t"] .result[data-outcome="error"]')
        await result.wait_for()
        assert "Go failed" in (await result.text_content() or "")
        assert "404" in (await result.text_content() or "")


async def test_a_failed_plugin_shows_its_reason(page: Any, tmp_path: Path) -> None:
    async with serve(tmp_path, {"broken": Misspelt()}) as gateway:
        await open_dashboard(page, gateway)
        notice = page.locator("#plugin-notice")
        await notice.wait_for()
        text = await notice.locator('[data-plugin="broken"]').text_content() or ""
        assert "broken failed" in text
        assert "spark_rotues" in text


MODULE = """
export default async function mount(container, ctx) {
  const status = await ctx.api.get('/api/e2e/status');
  const p = document.createElement('p');
  p.className = 'from-module';
  p.textContent = `${ctx.tile.title}: ${status.current.model}`;
  container.append(p);
  ctx.on('e2e.ping', (event) => {
    const q = document.createElement('p');
    q.className = 'ping';
    q.textContent = event.data.text;
    container.append(q);
  });
}
"""

BROKEN_MODULE = "export default function mount() { throw new Error('mount exploded'); }\n"


async def test_module_tile_mounts_and_a_gated_button_follows_its_gate(
    page: Any, tmp_path: Path
) -> None:
    static = tmp_path / "static"
    static.mkdir()
    (static / "tile.js").write_text(MODULE)
    (static / "broken.js").write_text(BROKEN_MODULE)
    modules = ModuleTile(
        static,
        [
            {"id": "mod", "title": "Module tile", "kind": "module", "module": "tile.js"},
            {"id": "bad", "title": "Broken", "kind": "module", "module": "broken.js", "order": 200},
        ],
    )
    gated = Recorder(
        [
            {
                "id": "gated",
                "title": "Gated",
                "actions": [{"label": "Reset", "path": "/api/e2e/reset", "gate": "e2e.reset"}],
            }
        ]
    )
    lock = Lock(held="Alice")
    async with serve(tmp_path, {"e2e": gated, "lock": lock, "modules": modules}) as gateway:
        await open_dashboard(page, gateway)
        await page.locator('.from-module:text("Module tile: <model-a>")').wait_for()
        error = page.locator('[data-tile="bad"] .tile-error')
        await error.wait_for()
        assert "mount exploded" in (await error.text_content() or "")

        gateway.host.events.publish("e2e.ping", {"text": "<b>pong</b>"}, source="e2e")
        await page.locator('[data-tile="mod"] .ping:text("<b>pong</b>")').wait_for()

        button = page.locator('[data-tile="gated"] button')
        reason = page.locator('[data-tile="gated"] .refusal')
        await page.wait_for_function(
            "() => document.querySelector('[data-tile=\"gated\"] button').disabled"
        )
        assert "held by Alice" in (await reason.text_content() or "")
        assert await reason.is_visible()

        lock.held = None
        gateway.host.gate_changed("e2e.reset", source="lock")
        await page.wait_for_function(
            "() => !document.querySelector('[data-tile=\"gated\"] button').disabled"
        )
        assert not await reason.is_visible()
        await button.click()
        await page.locator('[data-tile="gated"] .result[data-outcome="ok"]').wait_for()
        assert gated.calls == [("reset", None)]

        lock.held = "Bob"
        gateway.host.gate_changed("*", source="lock")
        await page.wait_for_function(
            "() => document.querySelector('[data-tile=\"gated\"] button').disabled"
        )
        assert "held by Bob" in (await reason.text_content() or "")
