"""The demo's simulated cluster and the gateway it configures, seen in Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from spark_control.demo import DemoOptions, demo_cluster
from spark_control.testing import running_gateway
from tests.e2e.helpers import open_dashboard
from tests.e2e.test_dashboard import WATCH_NODE

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_demo_dashboard_shows_the_simulated_nodes_and_follows_a_node_down_and_back(
    page: Any, tmp_path: Path
) -> None:
    with demo_cluster(DemoOptions(port=0, data_dir=tmp_path / "demo")) as (cluster, config):
        config.core.health.interval_s = 0.2
        config.core.health.damping = 1
        async with running_gateway(config) as gateway:
            await open_dashboard(page, gateway)
            card = page.locator('[data-node="spark-1"]')
            await card.locator('.status[data-state="ok"]').wait_for()
            await page.locator('[data-node="spark-2"] .status[data-state="ok"]').wait_for()
            await card.get_by_text("NVIDIA GB10").wait_for()
            await card.get_by_text(cluster.nodes["spark-1"].wg_address.split("/")[0]).wait_for()

            await page.evaluate(WATCH_NODE)
            cluster.set_node_down("spark-1", True)
            await page.wait_for_function("() => window.__states.includes('down')")
            cluster.set_node_down("spark-1", False)
            await page.wait_for_function("() => window.__states.at(-1) === 'ok'")
            assert await page.evaluate("window.__states") == ["ok", "down", "ok"]
