"""The coordination plugin's tiles in Chromium, against the simulated cluster: the swap
lock banner pauses the Models tile's swap button and Release (after confirmation)
clears it; the Scheduled jobs panel shows next runs and conflicts; the webhook log
shows a test delivery to a real receiver."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from spark_control.sim import SimCluster
from spark_control.testing import running_gateway
from tests.coordination.conftest import SECRET, coordination_config, receiver
from tests.e2e.helpers import open_dashboard
from tests.vllm.conftest import FIRST, reset_switches, sim_cluster

pytestmark = pytest.mark.asyncio(loop_scope="session")

LOCK = '[data-tile="coordination-lock"]'
SCHEDULE = '[data-tile="coordination-schedule"]'
WEBHOOKS = '[data-tile="coordination-webhooks"]'
SWAP_BUTTON = """document.querySelector('[data-tile="vllm"] [data-action="swap"]')"""
BIG, BIG_TP2 = "gpt-oss-120b", "qwen3-next-80b-a3b-tp2"  # 94 GiB; 106 GiB on each node


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("coordination-tile-sim"), "127.0.1.30") as sim:
        reset_switches(sim)
        yield sim


@pytest.mark.slow
async def test_the_lock_banner_pauses_swaps_and_release_clears_it(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    async with running_gateway(coordination_config(tmp_path, cluster)) as gw:
        await open_dashboard(page, gw)
        lock = page.locator(LOCK)
        models = page.locator('[data-tile="vllm"]')
        await lock.locator(".coord-free").wait_for()
        await models.locator('.vllm-state[data-state="stopped"]').wait_for()
        assert await models.get_by_role("button", name="Swap", exact=True).is_enabled()

        # A lease on another model slot is listed, and holds back only that slot: the
        # Models tile (the default slot) may still swap.
        coder = await gw.client.post(
            "/api/coordination/lock",
            json={"holder": "Bob", "reason": "code eval", "ttl_s": 600, "slot": "coder"},
        )
        assert coder.status_code == 201, coder.text
        listed = lock.locator('.coord-slots li[data-slot="coder"]')
        await listed.wait_for()
        assert "held by Bob (code eval)" in (await listed.text_content() or "")
        await lock.locator(".coord-free", has_text="default model slot is free").wait_for()
        assert await models.get_by_role("button", name="Swap", exact=True).is_enabled()
        forced = await gw.client.delete(
            "/api/coordination/lock", params={"force": "true", "slot": "coder"}
        )
        assert forced.json()["released"] is True
        await listed.wait_for(state="detached")

        acquired = await gw.client.post(
            "/api/coordination/lock",
            json={"holder": "nightly-transcripts", "reason": "batch transcription", "ttl_s": 900},
        )
        assert acquired.status_code == 201
        banner = lock.locator(".coord-banner")
        await banner.wait_for()
        text = await banner.text_content() or ""
        assert "Swaps are paused: the swap lock is held by nightly-transcripts" in text
        assert "batch transcription" in text
        assert "14 min" in text or "15 min" in text
        await page.wait_for_function(f"() => {SWAP_BUTTON}.disabled")
        refusal = models.locator(".vllm-picker .refusal")
        await expect(refusal).to_contain_text("Swapping and stopping are paused: ")
        assert "held by nightly-transcripts" in (await refusal.text_content() or "")
        # The lock pauses swaps and stops for one reason: the Models tile says it once.
        assert (await models.text_content() or "").count("held by nightly-transcripts") == 1

        # Cancel leaves the lock alone.
        await banner.get_by_role("button", name="Release lock").click()
        dialog = page.get_by_role("dialog")
        await dialog.wait_for()
        await dialog.get_by_role("button", name="Cancel").click()
        await lock.locator('.result:text("Release cancelled")').wait_for()
        assert (await gw.client.get("/api/coordination/lock")).json()["held"] is True

        await banner.get_by_role("button", name="Release lock").click()
        await dialog.wait_for()
        question = await dialog.locator(".confirm-text").text_content() or ""
        assert question.startswith("Force-release the swap lock held by nightly-transcripts?")
        assert "anyone, people or other jobs, can change the model" in question
        await dialog.get_by_role("button", name="Release lock").click()

        await banner.wait_for(state="hidden")
        await lock.locator(".coord-free").wait_for()
        await page.wait_for_function(f"() => !{SWAP_BUTTON}.disabled")
        assert await refusal.is_hidden()
        shown = (await gw.client.get("/api/coordination/lock")).json()
        assert shown == {"held": False, "slot": "default", "fencing": 4, "leases": []}
        audit = await gw.client.get(
            "/api/audit", params={"action": "coordination.lock_force_release"}
        )
        entry = audit.json()["entries"][0]
        assert (entry["target"], entry["actor"]) == ("nightly-transcripts", "dashboard")


@pytest.mark.slow
async def test_a_lease_that_runs_out_lifts_the_banner_by_itself(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    await page.set_viewport_size({"width": 360, "height": 780})
    async with running_gateway(coordination_config(tmp_path, cluster)) as gw:
        await open_dashboard(page, gw)
        await gw.client.post("/api/coordination/lock", json={"holder": "Bob", "ttl_s": 3})
        banner = page.locator(LOCK).locator(".coord-banner")
        await banner.wait_for()
        await page.wait_for_function(f"() => {SWAP_BUTTON}.disabled")
        # On a phone the banner fits the screen; Release is a real, focusable button.
        assert await page.evaluate("document.documentElement.scrollWidth") <= 360
        release = banner.get_by_role("button", name="Release lock")
        await release.focus()
        assert await page.evaluate("document.activeElement.dataset.action") == "force-release"
        await banner.wait_for(state="hidden", timeout=10_000)
        await page.wait_for_function(f"() => !{SWAP_BUTTON}.disabled")


async def test_scheduled_jobs_and_their_conflicts_are_shown(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    async with running_gateway(coordination_config(tmp_path, cluster)) as gw:
        await open_dashboard(page, gw)
        panel = page.locator(SCHEDULE)
        await panel.locator("text=No jobs declared").wait_for()
        # Two models that the vllm plugin's planner cannot hold at once on the simulated
        # pair (106 GiB on each node beside 94 GiB on one); a small one beside the 94 GiB
        # one fits, so it does not conflict (see test_schedule_coresidence.py).
        for name, cron, model, seconds in (
            ("digest", "0 * * * *", BIG_TP2, 3000),
            ("crm-sync", "15 * * * *", BIG, 3000),
            ("notes", "52 * * * *", FIRST, 300),  # beside crm-sync only
        ):
            response = await gw.client.post(
                "/api/coordination/schedule",
                json={
                    "name": name,
                    "owner": "Alice",
                    "cron": cron,
                    "model": model,
                    "expected_duration_s": seconds,
                    "description": f"{name} job",
                },
            )
            assert response.status_code == 201, response.text
        conflict = panel.locator(".coord-conflict")
        await conflict.wait_for()
        text = await conflict.text_content() or ""
        assert f"crm-sync needs {BIG} and digest needs {BIG_TP2}" in text
        assert "do not fit in the cluster's memory at the same time" in text
        assert await conflict.count() == 1, "the small model fits beside the big one"
        digest = panel.locator('[data-job="digest"]')
        assert await digest.get_attribute("data-conflict") == "yes"
        assert "Next runs:" in (await digest.locator(".coord-next").text_content() or "")
        assert "Overlaps with crm-sync" in (await digest.text_content() or "")


async def test_the_webhook_log_shows_a_test_delivery(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    async with receiver() as rec:
        hooks = {"webhooks": [{"url": rec.url + "/ok", "secrets": [SECRET]}]}
        async with running_gateway(coordination_config(tmp_path, cluster, **hooks)) as gw:
            await open_dashboard(page, gw)
            tile = page.locator(WEBHOOKS)
            await tile.locator("text=Nothing sent yet.").wait_for()
            assert rec.url in (await tile.locator(".coord-receivers").text_content() or "")
            await tile.get_by_role("button", name="Send test event").click()
            await tile.locator(
                '.coord-delivery[data-state="delivered"][data-event="test"]'
            ).wait_for()
            assert len(rec.at("/ok")) == 1


async def test_a_read_failing_on_every_event_shows_one_line_with_a_count(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    async def unavailable(route: Any) -> None:
        body = '{"error": {"message": "store unavailable", "type": "unavailable"}}'
        await route.fulfill(status=503, content_type="application/json", body=body)

    async with running_gateway(coordination_config(tmp_path, cluster)) as gw:
        await open_dashboard(page, gw)
        panel = page.locator(SCHEDULE)
        await panel.locator("text=No jobs declared").wait_for()
        await page.route("**/api/coordination/schedule", unavailable)
        status = panel.get_by_role("status")
        for count, name in enumerate(("one", "two", "three"), start=1):
            job = {"name": name, "owner": "Alice", "cron": "0 * * * *", "model": FIRST}
            job["expected_duration_s"] = 600
            answer = await gw.client.post("/api/coordination/schedule", json=job)
            assert answer.status_code == 201, answer.text
            shown = "Could not read the schedule: store unavailable (503)"
            shown += f" ({count}\u00d7)" if count > 1 else ""
            await panel.locator(".result", has_text=shown).wait_for()
        # One line for the three failures, and the next good read clears it.
        assert await status.text_content() == (
            "Could not read the schedule: store unavailable (503) (3\u00d7)"
        )
        await page.unroute("**/api/coordination/schedule")
        job = {"name": "four", "owner": "Alice", "cron": "0 * * * *", "model": FIRST}
        job["expected_duration_s"] = 600
        assert (await gw.client.post("/api/coordination/schedule", json=job)).status_code == 201
        await panel.locator('[data-job="four"]').wait_for()
        assert await status.text_content() == ""
