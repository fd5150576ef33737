"""The tile kit (ui/kit/, served at /ui/kit/) in Chromium: what a tile imports from
'/ui/kit/index.js' behaves as docs/PLUGINS.md says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter

from spark_control import hookimpl
from tests.e2e.e2e_plugins import ModuleTile
from tests.e2e.helpers import open_dashboard, serve

pytestmark = pytest.mark.asyncio(loop_scope="session")

# The outside-plugin example, whose tile charts with the kit.
REPO = Path(__file__).resolve().parents[2]
UPS_STATIC = REPO / "examples/plugin-ups/src/spark_control_ups/static"

KIT_NAMES = """
async () => Object.keys(await import('/ui/kit/index.js')).sort()
"""

BUILD = """
async () => {
  const { h, button } = await import('/ui/kit/index.js');
  let clicked = 0;
  const onclick = () => { clicked += 1; };
  const props = { class: 'x', dataset: { a: '1' }, hidden: true, title: null, onclick };
  const node = h('p', props, '<b>not markup</b>', null, false, [h('span', { text: 'inner' })]);
  node.click();
  const b = button('Go', { dataset: { action: 'go' } });
  return { html: node.outerHTML, clicked, button: b.outerHTML };
}
"""

ERRORS = """
async () => {
  const { errorText, responseErrorText } = await import('/ui/kit/index.js');
  const { ApiError } = await import('/ui/api.js');
  const body = JSON.stringify({ error: { message: 'no such model', type: 'not_found' } });
  return [
    errorText(new ApiError(404, 'not_found', 'no such model')),
    errorText(new TypeError('Failed to fetch')),
    errorText('plain'),
    await responseErrorText(new Response(body, { status: 404 })),
    await responseErrorText(new Response('<html>', { status: 502 })),
  ];
}
"""

REPEATS = """
async () => {
  const { showMessage } = await import('/ui/kit/index.js');
  const line = document.createElement('p');
  const seen = [];
  for (const text of ['Could not read: down (502)', 'Could not read: down (502)',
      'Could not read: down (502)', 'Released.', 'Released.', null, 'Released.']) {
    showMessage(line, text);
    seen.push(line.textContent);
  }
  line.textContent = 'Releasing…';  // written by other code: the next one starts over
  showMessage(line, 'Released.');
  seen.push(line.textContent);
  return seen;
}
"""

STYLES = """
async () => {
  const { loadStyles } = await import('/ui/kit/index.js');
  const url = new URL('/ui/kit/kit.css', location.href);
  await loadStyles(url);
  await loadStyles(url.href);
  const tile = new URL('/ui/kit/not-there.css', location.href);
  await loadStyles(tile);
  await loadStyles(tile);
  const links = () => [...document.querySelectorAll('link[rel="stylesheet"]')];
  const count = (u) => links().filter((l) => l.href === u.href).length;
  return [count(url), count(tile)];
}
"""

CHART = """
async () => {
  const { sparkline, linePoints } = await import('/ui/kit/index.js');
  const lines = [{ name: 'charge' }, { name: 'load', dashed: true }];
  const chart = sparkline({ label: 'Charge', lines, min: 0, max: 100, width: 100, height: 50 });
  document.body.append(chart.element);
  chart.update([[100, 50, 'n/a', 0], [20]]);
  const [charge, load] = chart.element.querySelectorAll('polyline');
  return {
    role: chart.element.getAttribute('role'),
    label: chart.element.getAttribute('aria-label'),
    charge: charge.getAttribute('points'),
    load: load.getAttribute('points'),
    dashed: load.classList.contains('kit-line-dashed'),
    stroke: getComputedStyle(charge).fill,
    auto: linePoints([1, 3], { width: 10, height: 10, min: 1, max: 3 }),
    clamped: linePoints([-5, 500], { width: 10, height: 10, min: 0, max: 100 }),
  };
}
"""

FORMATS = """
async () => {
  const { duration, formatBytes, plural, when } = await import('/ui/kit/index.js');
  return [duration(4), duration(200), duration(7500), formatBytes(512), formatBytes(1536),
          formatBytes(128 * 2 ** 30), formatBytes(-1), plural(1, 'key', 'keys'),
          plural(3, 'key', 'keys'), when('not a time')];
}
"""

STATUS = """
async () => {
  const { statusBadge, setStatus } = await import('/ui/kit/index.js');
  const badge = statusBadge('ok', 'Health');
  const before = [badge.dataset.state, badge.textContent];
  setStatus(badge, 'on fire');
  return [...before, badge.dataset.state, badge.textContent];
}
"""

CONFIRM = """
async () => {
  const { confirmAction } = await import('/ui/kit/index.js');
  window.__answer = confirmAction('Stop the model on spark-1?', 'Stop');
}
"""


async def test_the_kit_exports_its_documented_contract(page: Any, tmp_path: Path) -> None:
    async with serve(tmp_path) as gateway:
        await open_dashboard(page, gateway)
        names = await page.evaluate(KIT_NAMES)
    # docs/PLUGINS.md lists exactly these; a change here is a change to the contract.
    assert names == [
        "STATES",
        "alignSeries",
        "button",
        "confirmAction",
        "duration",
        "errorText",
        "formatBytes",
        "formatValue",
        "h",
        "linePoints",
        "loadStyles",
        "loadUPlot",
        "plural",
        "responseErrorText",
        "setStatus",
        "showMessage",
        "sparkline",
        "statusBadge",
        "timeChart",
        "when",
    ]
    assert page.js_errors == []


async def test_show_message_counts_a_repeated_message_instead_of_repeating_it(
    page: Any, tmp_path: Path
) -> None:
    async with serve(tmp_path) as gateway:
        await open_dashboard(page, gateway)
        seen = await page.evaluate(REPEATS)
    assert seen == [
        "Could not read: down (502)",
        "Could not read: down (502) (2\u00d7)",
        "Could not read: down (502) (3\u00d7)",
        "Released.",
        "Released. (2\u00d7)",
        "",
        "Released.",
        "Released.",
    ]


async def test_h_builds_text_never_markup_and_binds_handlers(page: Any, tmp_path: Path) -> None:
    async with serve(tmp_path) as gateway:
        await open_dashboard(page, gateway)
        built = await page.evaluate(BUILD)
    assert built["html"] == (
        '<p class="x" data-a="1" hidden="">&lt;b&gt;not markup&lt;/b&gt;<span>inner</span></p>'
    )
    assert built["clicked"] == 1
    assert built["button"] == '<button type="button" class="button" data-action="go">Go</button>'


async def test_error_text_styles_formats_and_badges(page: Any, tmp_path: Path) -> None:
    async with serve(tmp_path) as gateway:
        await open_dashboard(page, gateway)
        errors = await page.evaluate(ERRORS)
        links = await page.evaluate(STYLES)
        formats = await page.evaluate(FORMATS)
        status = await page.evaluate(STATUS)
    assert errors == [
        "no such model (404)",
        "Failed to fetch",
        "plain",
        "no such model",
        "HTTP 502",
    ]
    # The page links kit.css already: loading it again adds nothing; a new sheet comes
    # once however often it is asked for, and one that fails to load does not hang.
    assert links == [1, 1]
    assert formats == [
        "4 s",
        "3 min 20 s",
        "2 h 5 min",
        "512 B",
        "1.5 KiB",
        "128 GiB",
        "?",
        "1 key",
        "3 keys",
        "?",
    ]
    assert status == ["ok", "Health: ok", "unknown", "Health: unknown"]
    assert page.js_errors == []


async def test_sparkline_draws_each_series_on_the_given_range(page: Any, tmp_path: Path) -> None:
    async with serve(tmp_path) as gateway:
        await open_dashboard(page, gateway)
        chart = await page.evaluate(CHART)
    assert (chart["role"], chart["label"]) == ("img", "Charge")
    # 100 at the top, 50 half way, the non-number left out, 0 at the bottom.
    assert chart["charge"] == "0.0,0.0 50.0,25.0 100.0,50.0"
    assert chart["load"] == ""  # one value draws no line
    assert chart["dashed"] is True
    assert chart["stroke"] == "none"  # kit.css styles the lines (no filled area)
    assert chart["auto"] == "0.0,10.0 10.0,0.0"
    assert chart["clamped"] == "0.0,10.0 10.0,0.0"


async def test_confirm_resolves_true_only_for_its_button(page: Any, tmp_path: Path) -> None:
    async with serve(tmp_path) as gateway:
        await open_dashboard(page, gateway)
        await page.evaluate(CONFIRM)
        dialog = page.locator("#confirm-dialog")
        assert await dialog.locator("#confirm-text").text_content() == "Stop the model on spark-1?"
        await dialog.locator("[data-role='confirm']").click()
        assert await page.evaluate("window.__answer") is True
        await page.evaluate(CONFIRM)
        await page.keyboard.press("Escape")
        assert await page.evaluate("window.__answer") is False


class UpsStandIn:
    """``GET /api/ups`` as the example plugin answers it, with a fixed history."""

    @hookimpl
    def spark_routes(self, register: Any) -> None:
        router = APIRouter()

        @router.get("/api/ups")
        async def ups() -> dict[str, Any]:
            history = [{"charge": c, "load": 30} for c in (100, 90, None, 80)]
            return {"ups": "<ups>", "node": "spark-1", "detail": "on battery", "history": history}

        register(router)


async def test_the_example_ups_tile_charts_with_the_kit(page: Any, tmp_path: Path) -> None:
    tile = ModuleTile(
        UPS_STATIC, [{"id": "ups", "title": "UPS", "kind": "module", "module": "ups-tile.js"}]
    )
    async with serve(tmp_path, {"ups_api": UpsStandIn(), "ups": tile}) as gateway:
        await open_dashboard(page, gateway)
        card = page.locator('[data-tile="ups"]')
        await card.locator('p:text("<ups> on spark-1: on battery")').wait_for()
        chart = card.locator("svg.kit-chart")
        assert await chart.get_attribute("aria-label") == "Battery charge and load over time"
        charge = await chart.locator('polyline[data-series="charge"]').get_attribute("points")
        load = await chart.locator('polyline[data-series="load"]').get_attribute("points")
    # 0-100 % on a 60 px high chart, the missing reading left out.
    assert charge == "0.0,0.0 120.0,6.0 240.0,12.0"
    assert load == "0.0,42.0 80.0,42.0 160.0,42.0 240.0,42.0"
    assert page.js_errors == []
