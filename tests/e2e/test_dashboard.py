"""The dashboard shell in Chromium: node cards, health dots, live updates, phone width."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.e2e_plugins import Recorder
from tests.e2e.helpers import open_dashboard, serve, sim_nodes

pytestmark = pytest.mark.asyncio(loop_scope="session")

# Records every state the spark-1 card's dot shows, in order, whatever redraws it.
WATCH_NODE = """
() => {
  window.__states = [];
  const read = () => {
    const badge = document.querySelector('[data-node="spark-1"] .status');
    const state = badge && badge.dataset.state;
    if (state && window.__states[window.__states.length - 1] !== state) window.__states.push(state);
  };
  new MutationObserver(read).observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'],
  });
  read();
}
"""


async def test_node_cards_and_health_dots_for_simulated_nodes(page: Any, tmp_path: Path) -> None:
    async with (
        sim_nodes(tmp_path, "127.0.0.2", "127.0.0.3") as nodes,
        serve(tmp_path, nodes=nodes["config"]) as gateway,
    ):
        await open_dashboard(page, gateway)
        for name, server in zip(("spark-1", "spark-2"), nodes["servers"], strict=True):
            card = page.locator(f'[data-node="{name}"]')
            await card.locator('.status[data-state="ok"]').wait_for()
            assert await card.locator("h3").text_content() == name
            assert await card.locator(".address .mono").text_content() == server.address
            assert await card.locator(".status-text").text_content() == "ok"
            probe = page.locator(f'[data-probe="node:{name}"]')
            await probe.locator('.status[data-state="ok"]').wait_for()
        assert await page.locator("#overall .status").get_attribute("data-state") == "ok"
        assert await page.locator("#connection").get_attribute("data-connection") == "live"


async def test_a_node_taken_down_turns_red_then_green_again(page: Any, tmp_path: Path) -> None:
    async with (
        sim_nodes(tmp_path, "127.0.0.2") as nodes,
        serve(tmp_path, nodes=nodes["config"]) as gateway,
    ):
        server = nodes["servers"][0]
        await open_dashboard(page, gateway)
        await page.locator('[data-node="spark-1"] .status[data-state="ok"]').wait_for()
        await page.evaluate(WATCH_NODE)

        await server.set_down(True)
        await page.wait_for_function("() => window.__states.includes('down')")
        card = page.locator('[data-node="spark-1"]')
        assert await card.locator(".status-text").text_content() == "down"
        assert await page.locator("#overall .status").get_attribute("data-state") == "down"
        assert "down" in (await page.locator("#announcer").text_content() or "")

        await server.set_down(False)
        await page.wait_for_function("() => window.__states.at(-1) === 'ok'")
        assert await page.evaluate("window.__states") == ["ok", "down", "ok"]
        probe = page.locator('[data-probe="node:spark-1"] .status')
        assert await probe.get_attribute("data-state") == "ok"


# Records what the page's event stream delivers, before any of the page's code runs.
RECORD_EVENTS = """
const Native = window.EventSource;
window.__received = [];
window.EventSource = class extends Native {
  constructor(...args) {
    super(...args);
    this.addEventListener('health.changed', (e) => window.__received.push(JSON.parse(e.data).data));
  }
};
"""


async def test_a_change_that_arrives_while_the_page_loads_beats_the_older_snapshot(
    page: Any, tmp_path: Path
) -> None:
    """The page subscribes, then loads; a node going down between the snapshot and its
    arrival must not be painted over by the snapshot's older "ok"."""
    async with (
        sim_nodes(tmp_path, "127.0.0.2") as nodes,
        serve(tmp_path, nodes=nodes["config"]) as gateway,
    ):
        server = nodes["servers"][0]
        while (await gateway.client.get("/api/health")).json()["probes"]["node:spark-1"][
            "state"
        ] != "ok":
            await asyncio.sleep(0.05)
        await page.add_init_script(RECORD_EVENTS)

        async def snapshot_then_node_down(route: Any) -> None:
            snapshot = await route.fetch()  # says spark-1 is ok
            await server.set_down(True)
            await page.wait_for_function(
                "() => window.__received.some(d => d.probe === 'node:spark-1'"
                " && d.state === 'down')"
            )
            await route.fulfill(response=snapshot)

        await page.route("**/api/health", snapshot_then_node_down)
        await open_dashboard(page, gateway)
        card = page.locator('[data-node="spark-1"]')
        assert await card.locator(".status").get_attribute("data-state") == "down"
        probe = page.locator('[data-probe="node:spark-1"] .status')
        assert await probe.get_attribute("data-state") == "down"


async def test_phone_width_has_no_horizontal_scroll(browser: Any, tmp_path: Path) -> None:
    long_title = "A tile with a rather long title " + "x" * 80
    tiles = [
        {
            "id": "wide",
            "title": long_title,
            "description": "Fields and buttons must wrap on a phone.",
            "fields": [{"label": "Model", "source": "/api/e2e/status", "key": "current.model"}],
            "actions": [
                {"label": "Reset the whole cluster now", "path": "/api/e2e/reset", "confirm": "?"}
            ],
        }
    ]
    async with (
        sim_nodes(tmp_path, "127.0.0.2") as nodes,
        serve(tmp_path, {"e2e": Recorder(tiles)}, nodes["config"]) as gateway,
    ):
        context = await browser.new_context(viewport={"width": 360, "height": 740})
        try:
            page = await context.new_page()
            await open_dashboard(page, gateway)
            await page.locator('[data-node="spark-1"] .status[data-state="ok"]').wait_for()
            await page.locator('[data-tile="wide"] dd:text("<model-a>")').wait_for()
            scroll = await page.evaluate(
                "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
            )
            assert scroll[0] <= scroll[1], scroll
        finally:
            await context.close()


async def test_screenshots_light_and_dark(browser: Any, tmp_path: Path) -> None:
    """Not an assertion of looks: pictures in /tmp for a human to review."""
    tiles = [
        {
            "id": "models",
            "title": "Models",
            "status_probe": "node:spark-1",
            "description": "The model served on spark-1.",
            "fields": [
                {"label": "Current", "source": "/api/e2e/status", "key": "current.model"},
                {"label": "Calls", "source": "/api/e2e/status", "key": "current.calls"},
            ],
            "actions": [
                {"label": "Poke", "path": "/api/e2e/poke"},
                {
                    "label": "Restart",
                    "path": "/api/e2e/reset",
                    "confirm": "Restart the model server on spark-1?",
                },
            ],
        }
    ]
    async with (
        sim_nodes(tmp_path, "127.0.0.2", "127.0.0.3") as nodes,
        serve(tmp_path, {"e2e": Recorder(tiles)}, nodes["config"]) as gateway,
    ):
        for scheme in ("light", "dark"):
            context = await browser.new_context(
                viewport={"width": 1100, "height": 900}, color_scheme=scheme
            )
            try:
                page = await context.new_page()
                await open_dashboard(page, gateway)
                await page.locator('[data-node="spark-2"] .status[data-state="ok"]').wait_for()
                await page.locator('[data-tile="models"] dd:text("<model-a>")').wait_for()
                path = f"/tmp/spark-control-dashboard-{scheme}.png"
                png = await page.screenshot(path=path, full_page=True)
                assert png.startswith(b"\x89PNG")
            finally:
                await context.close()


async def test_node_facts_events_redraw_the_card(page: Any, tmp_path: Path) -> None:
    facts = {
        "gpu": {
            "name": "NVIDIA GB10",
            "utilization_pct": 87,
            "temperature_c": 64,
            "memory_used_mib": None,
            "memory_total_mib": None,
        },
        "memory": {"total_bytes": 128 * 2**30, "available_bytes": 96 * 2**30, "source": "meminfo"},
        "disk": {"path": "/", "total_bytes": 4 * 2**40, "free_bytes": 3 * 2**40},
        "uptime_s": 3 * 86400 + 5 * 3600 + 60,
        "vpn": {"interface": "wg0", "address": "<spark-1-vpn-ip>"},
        "checked_at": 0,
        "errors": [],
    }
    async with (
        sim_nodes(tmp_path, "127.0.0.2") as nodes,
        serve(tmp_path, nodes=nodes["config"]) as gateway,
    ):
        await open_dashboard(page, gateway)
        card = page.locator('[data-node="spark-1"]')
        await card.locator("dl.facts").wait_for()  # the gateway's own first reading
        gateway.host.events.publish("nodes.facts", {"node": "spark-1", "facts": facts})
        await card.locator('.vpn:text("VPN <spark-1-vpn-ip>")').wait_for()
        text = await card.locator("dl.facts").inner_text()
        assert "NVIDIA GB10 · 87% busy · 64 °C" in text
        assert "32.0 GiB of 128 GiB used" in text
        assert "3.0 TiB free of 4.0 TiB (/)" in text
        assert "3 d 5 h" in text
        meter = card.get_by_role("meter", name="Memory used")
        assert await meter.get_attribute("aria-valuenow") == "25"
