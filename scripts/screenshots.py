"""Regenerate the README's screenshots from the demo (desktop 1440x900, phone 390x844).

    uv run python scripts/screenshots.py [--wait 60]

Starts the demo's simulated cluster and gateway, swaps to the first catalog model so
the charts have something to show, lets the history fill for ``--wait`` seconds
(written every 2 s here instead of 30), then saves the first screen of the dashboard
to docs/screenshots/. Needs Debian's Chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from playwright.async_api import async_playwright

from spark_control.demo import DemoOptions, demo_cluster
from spark_control.testing import running_gateway

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
SIZES = {"desktop": (1440, 900), "phone": (390, 844)}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--no-proxy-server"]


async def main(wait_s: float) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        options = DemoOptions(port=0, data_dir=Path(tmp) / "demo")
        with demo_cluster(options) as (_, config):
            config.core.history.interval_s = 2.0
            async with running_gateway(config) as gw, async_playwright() as playwright:
                models = (await gw.client.get("/api/vllm/models")).json()["models"]
                await gw.client.post("/api/vllm/swap", json={"model": models[0]["id"]})
                await asyncio.sleep(wait_s)
                browser = await playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
                )
                for name, (width, height) in SIZES.items():
                    page = await browser.new_page(viewport={"width": width, "height": height})
                    await page.goto(gw.url + "/")
                    await page.wait_for_selector("body[data-ready='true']")
                    await page.wait_for_load_state("networkidle")
                    await page.screenshot(path=str(OUT / f"dashboard-{name}.png"))
                    await page.close()
                await browser.close()
                await gw.client.post("/api/vllm/stop")
    print(f"wrote {', '.join(f'dashboard-{n}.png' for n in SIZES)} to {OUT}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wait", type=float, default=60.0, help="seconds of history first")
    asyncio.run(main(parser.parse_args().wait))
