"""Every tile of the demo dashboard in Chromium at a phone's 390 x 844 and a desktop's
1440 x 900: nothing wider than its tile (no sideways scroll), no word broken across two
lines (tables reflow instead), and every control reached with Tab shows a focus ring."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from spark_control.demo import DemoOptions, demo_cluster
from spark_control.testing import running_gateway
from tests.e2e.helpers import open_dashboard

pytestmark = pytest.mark.asyncio(loop_scope="session")

# Per tile: elements sticking out of it, and words (3+ characters) drawn on two lines.
LAYOUT = r"""() => {
  const out = {};
  for (const tile of document.querySelectorAll('#tiles .tile')) {
    const edge = tile.getBoundingClientRect().right;
    const wide = [...tile.querySelectorAll('*')]
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width && box.right > edge + 1;
      })
      .map((el) => `${el.tagName}.${el.className}`);
    const broken = [];
    const walker = document.createTreeWalker(tile, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      for (const word of node.data.matchAll(/\S{3,}/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0)
          .map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(`${node.parentElement.tagName}: ${word[0]}`);
      }
    }
    out[tile.dataset.tile] = { wide, broken };
  }
  return out;
}"""

FOCUSED = r"""() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== 'none';
  return { tile: el.closest('.tile')?.dataset.tile ?? null, ring,
           name: `${el.tagName} ${el.getAttribute('aria-label') ?? el.textContent ?? ''}`.trim() };
}"""

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
async def test_every_tile_fits_keeps_words_whole_and_shows_focus(
    browser: Any, tmp_path: Path, viewport: dict[str, int]
) -> None:
    with demo_cluster(DemoOptions(port=0, data_dir=tmp_path / "demo")) as (_, config):
        async with running_gateway(config) as gateway:
            context = await browser.new_context(viewport=viewport)
            context.set_default_timeout(15_000)
            page = await context.new_page()
            try:
                await open_dashboard(page, gateway)
                # The tiles with content to lay out have drawn it.
                await page.locator('[data-tile="embeddings"] tr[data-collection]').wait_for()
                await page.locator('[data-tile="vllm"] select').first.wait_for()
                await page.locator('[data-tile="speech"] .speech-tile button').first.wait_for()
                layout = await page.evaluate(LAYOUT)
                width = await page.evaluate("document.documentElement.scrollWidth")
                # Tab from the first tile's first control through every tile's controls.
                controls = "#tiles :is(button, select, input, textarea, summary):visible"
                await page.locator(controls).first.focus()
                visited: dict[str, int] = {}
                unringed: list[str] = []
                for _ in range(200):
                    focused = await page.evaluate(FOCUSED)
                    if focused["tile"] is None:
                        break
                    visited[focused["tile"]] = visited.get(focused["tile"], 0) + 1
                    if not focused["ring"]:
                        unringed.append(f"{focused['tile']}: {focused['name']}")
                    await page.keyboard.press("Tab")
            finally:
                await context.close()
    assert width <= viewport["width"], "the page scrolls sideways"
    assert len(layout) >= 8, layout.keys()
    for tile, found in layout.items():
        assert found["wide"] == [], (tile, found["wide"])
        assert found["broken"] == [], (tile, found["broken"])
    # Tab reached the controls of every tile that has any, each with a visible ring.
    for tile in ("vllm", "embeddings", "speech", "redaction"):
        assert visited.get(tile), (tile, visited)
    assert visited.get("matrix_bridge.matrix-bridge"), visited
    assert unringed == []


async def test_a_button_that_can_do_nothing_is_disabled(page: Any, tmp_path: Path) -> None:
    with demo_cluster(DemoOptions(port=0, data_dir=tmp_path / "demo")) as (_, config):
        async with running_gateway(config) as gateway:
            await open_dashboard(page, gateway)

            redaction = page.locator('[data-tile="redaction"]')
            scrub = redaction.get_by_role("button", name="Scrub")
            text = redaction.get_by_label("Text to scrub")
            await redaction.locator(".redaction-vault").filter(has_text="session").wait_for()
            assert await text.input_value() != ""  # the sample text
            assert await scrub.is_enabled()
            await text.fill("   ")
            assert await scrub.is_disabled()
            await text.fill("Mail alice@example.com")
            await scrub.click()
            await redaction.locator('[data-role="scrubbed"]', has_text="<EMAIL_1>").wait_for()
            rehydrate = redaction.get_by_role("button", name="Rehydrate")
            assert await rehydrate.is_enabled()  # a session and a reply to restore
            await redaction.get_by_label("Model reply to rehydrate").fill("")
            assert await rehydrate.is_disabled()

            embeddings = page.locator('[data-tile="embeddings"]')
            search = embeddings.get_by_role("button", name="Search", exact=True)
            await embeddings.locator("tr[data-collection]").first.wait_for()
            assert await search.is_disabled()  # no query yet
            await embeddings.get_by_label("Query", exact=True).fill("alpha")
            assert await search.is_enabled()

            speech = page.locator('[data-tile="speech"]')
            transcribe = speech.get_by_role("button", name="Transcribe")
            assert await transcribe.is_disabled()  # no recording chosen
            await speech.get_by_label("Recording").set_input_files(
                {"name": "a.wav", "mimeType": "audio/wav", "buffer": b"RIFF"}
            )
            assert await transcribe.is_enabled()
            speak = speech.get_by_role("button", name="Speak")
            assert await speak.is_enabled()
            await speech.get_by_label("Text to speak").fill("")
            assert await speak.is_disabled()
