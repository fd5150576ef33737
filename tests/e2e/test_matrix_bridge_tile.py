"""The matrix_bridge bot tile in Chromium, against the simulated node: the badge, an
Update streaming its phases and output, a failed build shown with its phase and
excerpt, and Stop asking first in plain English."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter

from spark_control import hookimpl
from spark_control.contrib import Action, Refusal
from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway, make_config, running_gateway
from spark_control_matrix_bridge.sim import (
    checkout,
    head_of,
    push_upstream_commit,
    set_build_failure,
)
from tests.e2e.helpers import open_dashboard
from tests.matrix_bridge.conftest import BOT, BOT_USER, NODE, bot_config, sim_cluster

pytestmark = pytest.mark.asyncio(loop_scope="session")

TILE = f'[data-tile="matrix_bridge.{BOT}"]'

# Every update phase the tile marks, in the order each leaves "pending".
RECORD_PHASES = """
() => {
  const steps = document.querySelector('[data-tile="matrix_bridge.relay"] .mb-phases');
  window.__phases = [];
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.oldValue === 'pending' && !window.__phases.includes(record.target.dataset.phase)) {
        window.__phases.push(record.target.dataset.phase);
      }
    }
  }).observe(steps, {
    subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ['data-step'],
  });
}
"""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("matrix-bridge-tile-sim"), "127.0.5.100") as sim:
        yield sim


class MaintenanceLock:
    """Refuses matrix_bridge actions while held; ``POST /api/e2e-bot-lock/hold`` and
    ``/release`` change that and tell the dashboard."""

    def __init__(self) -> None:
        self.holder: str | None = None

    @hookimpl
    def spark_routes(self, host: Any, register: Any) -> None:
        router = APIRouter()

        @router.post("/api/e2e-bot-lock/hold")
        async def hold() -> dict[str, str]:
            self.holder = "Bob"
            host.gate_changed("matrix_bridge.update", source="e2e")
            return {"holder": "Bob"}

        @router.post("/api/e2e-bot-lock/release")
        async def release() -> dict[str, None]:
            self.holder = None
            host.gate_changed("*", source="e2e")
            return {"holder": None}

        register(router)

    @hookimpl
    def spark_gate(self, action: Action) -> Refusal | None:
        if action.name == "matrix_bridge.update" and self.holder:
            return Refusal(423, f"bot updates are locked by {self.holder}")
        return None


@asynccontextmanager
async def bridge_gateway(
    tmp_path: Path, cluster: SimCluster, plugins: dict[str, object] | None = None
) -> AsyncIterator[RunningGateway]:
    config = make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["matrix_bridge"]},
            "matrix_bridge": bot_config(cluster),
        },
    )
    async with running_gateway(config, extra_plugins=plugins) as gateway:
        yield gateway


async def running_badge(tile: Any, cluster: SimCluster) -> None:
    """Wait for the badge to say running; on a timeout, say what it showed instead."""
    badge = tile.locator(".mb-badge")
    try:
        await tile.locator('.mb-badge[data-docker="running"]').wait_for()
    except Exception as exc:
        shown = await badge.text_content()
        actual = cluster.container(NODE, "matrix-bridge-bot")
        raise AssertionError(
            f"badge shows {shown!r}; docker says {actual and actual['State']}"
        ) from exc


async def dialog_text(page: Any) -> str:
    dialog = page.get_by_role("dialog")
    await dialog.wait_for()
    return await dialog.locator(".confirm-text").text_content() or ""


@pytest.mark.slow
async def test_the_tile_shows_the_badge_and_update_streams_its_phases(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    new_commit = push_upstream_commit(cluster, NODE, BOT_USER, "Welcome new room members")
    async with bridge_gateway(tmp_path, cluster) as gateway:
        await open_dashboard(page, gateway)
        tile = page.locator(TILE)
        badge = tile.locator('.mb-badge[data-docker="running"]')
        await badge.wait_for()
        assert (await badge.text_content() or "").startswith("running")
        assert await tile.locator(".mb-where").text_content() == (
            f"Runs on{NODE} as {BOT_USER}Containermatrix-bridge-botCheckoutmatrix-bridge-bot (main)"
        )
        await tile.locator(".mb-phases").wait_for(state="attached")
        await page.evaluate(RECORD_PHASES)

        await tile.get_by_role("button", name="Update", exact=True).click()
        question = await dialog_text(page)
        assert question.startswith(
            'Update Relay bot? This fetches the latest "main" branch into matrix-bridge-bot '
            "on spark-1, rebuilds the bot's image and restarts its container"
        ), question
        assert "stopped after 25 minutes" in question
        await page.get_by_role("dialog").get_by_role("button", name="Update", exact=True).click()

        done = tile.locator('.mb-outcome[data-outcome="done"]')
        await done.wait_for(timeout=30_000)
        assert (await done.text_content() or "").endswith(f"{new_commit[:7]} and restarted.")
        assert await page.evaluate("window.__phases") == [
            "fetching",
            "building",
            "restarting",
            "done",
        ]
        output = await tile.locator(".mb-output").text_content() or ""
        assert "Fast-forward" in output and "naming to" in output and "Started" in output
        # The badge was refreshed right after the update, without waiting for a poll.
        await running_badge(tile, cluster)
    assert head_of(checkout(cluster, NODE, BOT_USER)) == new_commit


async def test_a_failed_build_shows_its_phase_and_excerpt(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    set_build_failure(cluster, NODE, "fail")
    try:
        async with bridge_gateway(tmp_path, cluster) as gateway:
            await open_dashboard(page, gateway)
            tile = page.locator(TILE)
            await running_badge(tile, cluster)
            await tile.get_by_role("button", name="Update", exact=True).click()
            await dialog_text(page)
            await (
                page.get_by_role("dialog").get_by_role("button", name="Update", exact=True).click()
            )
            failed = tile.locator('.mb-outcome[data-outcome="failed"]')
            await failed.wait_for(timeout=30_000)
            assert await failed.text_content() == (
                f"Update failed while building: docker compose build failed on {NODE}"
            )
            await tile.locator('.mb-phases [data-phase="building"][data-step="failed"]').wait_for()
            excerpt = await tile.locator(".mb-excerpt").text_content() or ""
            assert "did not complete successfully" in excerpt
    finally:
        set_build_failure(cluster, NODE, None)


async def test_stop_asks_in_plain_english_then_the_badge_says_exited(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    async with bridge_gateway(tmp_path, cluster) as gateway:
        await open_dashboard(page, gateway)
        tile = page.locator(TILE)
        await running_badge(tile, cluster)

        await tile.get_by_role("button", name="Stop", exact=True).click()
        question = await dialog_text(page)
        assert question == (
            "Stop Relay bot? Its container matrix-bridge-bot on spark-1 stops, and the bot "
            "stops answering in its rooms until someone presses Start."
        )
        await page.get_by_role("dialog").get_by_role("button", name="Cancel").click()
        assert cluster.container(NODE, "matrix-bridge-bot")["State"]["Status"] == "running"

        await tile.get_by_role("button", name="Stop", exact=True).click()
        await dialog_text(page)
        await page.get_by_role("dialog").get_by_role("button", name="Stop", exact=True).click()
        exited = tile.locator('.mb-badge[data-docker="exited"]')
        await exited.wait_for()
        assert await exited.get_attribute("data-state") == "down"
        assert (await exited.text_content() or "") == "exited (0)"

        await tile.get_by_role("button", name="Start", exact=True).click()
        await running_badge(tile, cluster)

        await tile.get_by_role("button", name="View logs").click()
        logs = tile.locator(".mb-logs")
        await page.wait_for_function(
            "() => document.querySelector('[data-tile=\"matrix_bridge.relay\"] .mb-logs')"
            ".textContent.includes('Logged in as')"
        )
        assert "starting" in (await logs.text_content() or "")


async def test_update_pauses_while_a_gate_refuses_it(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    lock = MaintenanceLock()
    async with bridge_gateway(tmp_path, cluster, {"e2e-lock": lock}) as gateway:
        await open_dashboard(page, gateway)
        tile = page.locator(TILE)
        await running_badge(tile, cluster)
        update = tile.get_by_role("button", name="Update", exact=True)
        assert await update.is_enabled()
        await gateway.client.post("/api/e2e-bot-lock/hold")
        paused = tile.locator(".refusal")
        await paused.wait_for()
        assert await paused.text_content() == "Paused: bot updates are locked by Bob"
        assert await update.is_disabled()
        assert await tile.get_by_role("button", name="Restart").is_enabled()
        await gateway.client.post("/api/e2e-bot-lock/release")
        await paused.wait_for(state="hidden")
        assert await update.is_enabled()
