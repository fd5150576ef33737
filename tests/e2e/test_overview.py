"""The overview strip in Chromium: with one service down, at 1440 x 900, the first problem
names it and a GPU-memory chart holding more than an hour of history (kept in the
store, so still there after a reload) is inside the first screen; axe-core finds no
serious or critical violation on the whole page, at desktop and phone sizes."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any

import pytest

from spark_control import hookimpl
from spark_control.api import Probe, http_check
from spark_control.history import History, HistorySample
from spark_control.store import Store
from tests.e2e.helpers import open_dashboard, serve, sim_nodes

pytestmark = pytest.mark.asyncio(loop_scope="session")

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
GIB = 2**30


class Speech:
    """A TTS service on spark-2 that nothing answers for (a closed loopback port)."""

    def __init__(self, url: str) -> None:
        self.url = url

    @hookimpl
    def spark_probes(self, host: Any, register: Any) -> None:
        register(
            Probe(
                "tts",
                http_check(host.http_client, self.url, "tts answers"),
                service="tts",
                node="spark-2",
            )
        )

    @hookimpl
    def spark_tiles(self, register: Any) -> None:
        register({"id": "speech", "title": "Speech", "status_probe": "tts"})


async def seed_history(data_dir: Path, nodes: list[str], hours: float) -> None:
    """What an earlier run of the gateway wrote: a sample a minute per node."""
    now = time.time()
    async with Store(data_dir / "spark-control.db") as store:
        history = History(store)
        await history.setup()
        steps = int(hours * 60)
        await history.record(
            "core",
            [
                HistorySample(
                    "gpu_memory_used_bytes",
                    node,
                    (40 + i % 20 + n * 10) * GIB,
                    now - 60 * (steps - i),
                )
                for n, node in enumerate(nodes)
                for i in range(steps)
            ],
        )
        await history.record(
            "vllm",
            [
                HistorySample("proxy_requests_per_s", "model-a", 2 + i % 5, now - 60 * (steps - i))
                for i in range(steps)
            ],
        )


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/health"


async def test_the_down_service_leads_and_an_hour_of_gpu_memory_is_in_the_first_screen(
    browser: Any, tmp_path: Path
) -> None:
    await seed_history(tmp_path / "data", ["spark-1", "spark-2"], hours=1.5)
    context = await browser.new_context(viewport=DESKTOP)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        async with (
            sim_nodes(tmp_path, "127.0.0.2", "127.0.0.3") as nodes,
            serve(tmp_path, {"speech": Speech(closed_port_url())}, nodes["config"]) as gw,
        ):
            await open_dashboard(page, gw)
            first = page.locator("#problems li").first
            await first.locator('.status[data-state="down"]').wait_for()
            await page.reload()
            await page.wait_for_selector("body[data-ready='true']")
            first = page.locator("#problems li").first
            await first.locator('.status[data-state="down"]').wait_for()
            text = await first.text_content() or ""
            assert "tts on spark-2 is down since" in text
            link = first.locator("a")
            assert await link.get_attribute("href") == "#tile-speech"
            assert await page.locator("#tile-speech").count() == 1
            pill = await page.locator("#overall").text_content() or ""
            assert "tts on spark-2" in pill

            chart = page.locator('[data-chart="gpu-memory"] figure')
            await page.wait_for_function(
                "() => Number(document.querySelector('[data-chart=\"gpu-memory\"] figure')"
                "?.dataset.points) > 0"
            )
            span = float(await chart.get_attribute("data-last") or 0) - float(
                await chart.get_attribute("data-first") or 0
            )
            assert span >= 3600, f"the chart shows {span:.0f} s of history"
            drawn = chart.locator("canvas")
            await drawn.wait_for()
            await page.wait_for_function(
                "() => document.querySelector('[data-chart=\"gpu-memory\"] canvas')"
                "?.getBoundingClientRect().height > 100"
            )
            for box in (await chart.bounding_box(), await first.bounding_box()):
                assert box is not None
                assert box["y"] >= 0 and box["y"] + box["height"] <= DESKTOP["height"], box
                assert box["x"] >= 0 and box["x"] + box["width"] <= DESKTOP["width"], box
            # Full charts on demand: per model, from the plugins' series.
            await page.locator("#more-charts summary").click()
            more = page.locator('[data-chart="proxy_requests_per_s"] figure')
            await page.wait_for_function(
                "() => Number(document.querySelector("
                "'[data-chart=\"proxy_requests_per_s\"] figure')?.dataset.points) > 0"
            )
            assert "model-a" in (await more.get_attribute("aria-label") or "")
            # The badge of the tile is the worst of its probes.
            tile_badge = page.locator("#tile-speech .status")
            assert await tile_badge.get_attribute("data-state") == "down"
    finally:
        await context.close()
    assert not errors, errors


async def axe_serious(page: Any) -> list[dict[str, Any]]:
    await page.evaluate(AXE.read_text(encoding="utf-8"))
    result = await page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
async def test_axe_finds_no_serious_violation_on_the_demo_dashboard(
    browser: Any, tmp_path: Path, viewport: dict[str, int]
) -> None:
    from spark_control.demo import DemoOptions, demo_cluster
    from spark_control.testing import running_gateway

    with demo_cluster(DemoOptions(port=0, data_dir=tmp_path / "demo")) as (_, config):
        config.core.health.interval_s = 0.2
        async with running_gateway(config) as gw:
            context = await browser.new_context(viewport=viewport)
            page = await context.new_page()
            try:
                await open_dashboard(page, gw)
                await page.locator('[data-chart="gpu-memory"] figure').wait_for()
                await page.wait_for_load_state("networkidle")
                violations = await axe_serious(page)
                width = await page.evaluate("document.documentElement.scrollWidth")
                heights = await page.evaluate(
                    "() => Object.fromEntries([...document.querySelectorAll('#tiles .tile')]"
                    ".map(t => [t.dataset.tile, t.getBoundingClientRect().height]))"
                )
            finally:
                await context.close()
    assert violations == [], violations
    assert width <= viewport["width"], "the page scrolls sideways"
    # Tiles are as tall as their content: the short swap-lock tile is not stretched to
    # the height of the models tile beside it.
    assert heights["coordination-lock"] < 0.6 * heights["vllm"], heights
