"""The vllm plugin's "Models" tile in Chromium, against the simulated cluster: a swap
with its progress bar, live log and outcome; the swap button following a gate."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi import APIRouter

from spark_control import hookimpl
from spark_control.contrib import Action, Refusal
from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway, make_config, running_gateway
from spark_control_vllm.sim import set_vllm_failure, set_vllm_load_time
from tests.e2e.helpers import open_dashboard
from tests.vllm.conftest import sim_cluster

pytestmark = pytest.mark.asyncio(loop_scope="session")

MODEL, MODEL_NAME = "gpt-oss-20b", "gpt-oss 20B"
GOOD = "llama-3.1-8b-instruct"
TILE = '[data-tile="vllm"]'
SWAP_BUTTON = """document.querySelector('[data-tile="vllm"] [data-action="swap"]')"""

# Every value the progress bar shows, in order, from the moment it is installed.
RECORD_PROGRESS = """
() => {
  const bar = document.querySelector('[data-tile="vllm"] [role="progressbar"]');
  window.__progress = [];
  new MutationObserver(() => {
    const value = Number(bar.getAttribute('aria-valuenow'));
    if (window.__progress.at(-1) !== value) window.__progress.push(value);
  }).observe(bar, { attributes: true, attributeFilter: ['aria-valuenow'] });
}
"""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("vllm-tile-sim"), "127.0.0.100") as sim:
        yield sim


class SwapLock:
    """Refuses ``actions`` (default ``vllm.swap``) while somebody holds it;
    ``POST /api/e2e-lock/hold`` ``{"holder"}`` and ``POST /api/e2e-lock/release``
    change that and say so."""

    def __init__(self, actions: tuple[str, ...] = ("vllm.swap",)) -> None:
        self.holder: str | None = None
        self.actions = actions

    @hookimpl
    def spark_routes(self, host: Any, register: Any) -> None:
        router = APIRouter()

        @router.post("/api/e2e-lock/hold")
        async def hold(body: dict[str, str]) -> dict[str, str | None]:
            self.holder = body["holder"]
            host.gate_changed("*", source="e2e-lock")
            return {"holder": self.holder}

        @router.post("/api/e2e-lock/release")
        async def release() -> dict[str, str | None]:
            self.holder = None
            host.gate_changed("*", source="e2e-lock")
            return {"holder": None}

        register(router)

    @hookimpl
    def spark_gate(self, action: Action) -> Refusal | None:
        if action.name in self.actions and self.holder:
            return Refusal(423, f"the swap lock is held by {self.holder}")
        return None


@asynccontextmanager
async def vllm_gateway(
    tmp_path: Path,
    cluster: SimCluster,
    plugins: Mapping[str, object] | None = None,
    **vllm: Any,
) -> AsyncIterator[RunningGateway]:
    """A gateway with the vllm plugin on ``cluster``; vLLM is stopped when it closes."""
    config = make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["vllm"]},
            "vllm": {"load_deadline_s": 20, "download_deadline_s": 20, **vllm},
        },
    )
    async with running_gateway(config, extra_plugins=plugins) as gateway:
        try:
            yield gateway
        finally:
            await gateway.client.post("/api/vllm/stop")


async def test_a_swap_from_the_tile_shows_progress_log_and_the_new_model(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    set_vllm_failure(cluster, "spark-1", None)
    set_vllm_load_time(cluster, "spark-1", 2)
    try:
        async with vllm_gateway(tmp_path, cluster) as gateway:
            await open_dashboard(page, gateway)
            tile = page.locator(TILE)
            await tile.locator('.vllm-state[data-state="stopped"]').wait_for()
            await tile.locator('[role="progressbar"]').wait_for(state="attached")
            await tile.locator('.vllm-memory [data-node="spark-1"]').wait_for()
            await page.evaluate(RECORD_PROGRESS)

            await tile.get_by_label("Swap to").select_option(MODEL)
            await tile.get_by_role("button", name="Swap", exact=True).click()
            dialog = page.get_by_role("dialog")
            await dialog.wait_for()
            question = await dialog.locator(".confirm-text").text_content() or ""
            assert question.startswith(f"Swap the cluster to {MODEL_NAME}?"), question
            assert "usually a few minutes" in question
            await dialog.get_by_role("button", name="Swap").click()

            await tile.locator('.vllm-state[data-state="swapping"]').wait_for()
            await tile.get_by_role("button", name="Cancel swap").wait_for()
            await tile.locator(".vllm-log-line").first.wait_for()
            await tile.locator('.vllm-state[data-state="ready"]').wait_for(timeout=15_000)

            assert await tile.locator(".vllm-model").text_content() == MODEL_NAME
            await tile.locator(".vllm-outcome", has_text=f"{MODEL_NAME} is ready").wait_for()
            assert await tile.get_by_role("button", name="Cancel swap").is_hidden()
            progress: list[float] = await page.evaluate("window.__progress")
            assert progress == sorted(progress), progress
            assert len(set(progress)) >= 2, progress
            assert progress[-1] == 100, progress
            assert await tile.locator(".vllm-log-line").count() > 3
            option = tile.locator(f'option[value="{MODEL}"]')
            assert await option.get_attribute("data-state") == "running"

            # Traffic through the /v1 proxy shows as a request rate (10 s window).
            chat = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}]}
            for _ in range(5):
                answer = await gateway.client.post("/v1/chat/completions", json=chat)
                assert answer.status_code == 200, answer.text
            rate = tile.locator(".vllm-rate")
            await rate.filter(has_text="0.5/s · 0 errors/s").wait_for(timeout=15_000)
    finally:
        set_vllm_load_time(cluster, "spark-1", None)


async def test_the_swap_button_follows_the_gate_and_works_at_phone_width(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    await page.set_viewport_size({"width": 360, "height": 780})
    lock = SwapLock()
    async with vllm_gateway(tmp_path, cluster, {"e2e_lock": lock}) as gateway:
        await open_dashboard(page, gateway)
        tile = page.locator(TILE)
        swap = tile.get_by_role("button", name="Swap", exact=True)
        refusal = tile.locator(".vllm-picker .refusal")
        await tile.locator('.vllm-state[data-state="stopped"]').wait_for()
        assert await swap.is_enabled()
        assert await page.evaluate("document.documentElement.scrollWidth") <= 360

        # Keyboard: the picker and the button are reachable; Escape leaves nothing sent.
        await tile.get_by_label("Swap to").focus()
        await page.keyboard.press("Tab")
        assert await page.evaluate("document.activeElement.dataset.action") == "swap"
        await page.keyboard.press("Enter")
        await page.get_by_role("dialog").wait_for()
        await page.keyboard.press("Escape")
        await tile.locator('.result:text("cancelled, nothing was sent")').wait_for()

        await gateway.client.post("/api/e2e-lock/hold", json={"holder": "Bob"})
        await page.wait_for_function(f"() => {SWAP_BUTTON}.disabled")
        assert "the swap lock is held by Bob" in (await refusal.text_content() or "")
        assert await refusal.is_visible()
        assert await swap.get_attribute("aria-describedby") == await refusal.get_attribute("id")

        await gateway.client.post("/api/e2e-lock/release")
        await page.wait_for_function(f"() => !{SWAP_BUTTON}.disabled")
        assert await refusal.is_hidden()
        status = (await gateway.client.get("/api/vllm/swap")).json()
        assert status["state"] == "stopped"


async def test_the_tile_follows_where_a_failed_swap_settles_and_keeps_why_after_a_reload(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    """A failed swap with nothing to roll back to ends "down" in the tile as in the API
    (the tile hears where the state settled); the "why" line names the crash-loop guard
    while it is tripped (a person's failed restart too) and no longer once it is
    cleared; a reloaded page shows the last failure's reason and log from the history."""
    from playwright.async_api import expect

    set_vllm_load_time(cluster, "spark-1", None)
    async with vllm_gateway(tmp_path, cluster, crash_loop_failures=1) as gateway:
        await open_dashboard(page, gateway)
        tile = page.locator(TILE)
        state = tile.locator(".vllm-state")
        why = tile.locator(".vllm-reason dd")
        await tile.locator('.vllm-state[data-state="stopped"]').wait_for()
        good = await gateway.client.post("/api/vllm/swap", json={"model": GOOD})
        assert good.status_code == 202, good.text
        await tile.locator('.vllm-state[data-state="ready"]').wait_for(timeout=20_000)

        # The guard trips at this first failure: no rollback, nothing running.
        set_vllm_failure(cluster, "spark-1", "exit", times=1)
        started = await gateway.client.post("/api/vllm/swap", json={"model": MODEL})
        assert started.status_code == 202, started.text
        await tile.locator('.vllm-state[data-state="down"]').wait_for(timeout=20_000)
        api = (await gateway.client.get("/api/vllm/swap")).json()
        assert api["state"] == "down" and api["crash_loop_guard"] is True
        assert await why.text_content() == api["reason"]
        assert "crash-loop guard" in api["reason"]

        # A reload: the failure panel is rebuilt from the swap history.
        await page.reload()
        await page.wait_for_selector("body[data-ready='true']")
        reason = tile.locator(".vllm-failure .vllm-failure-reason")
        await reason.first.wait_for()
        text = await reason.first.text_content() or ""
        assert text.startswith(f"The swap to {MODEL_NAME} failed"), text
        assert text.endswith(": vLLM failed while starting"), text
        excerpt = await tile.locator(".vllm-failure .vllm-excerpt").first.text_content() or ""
        assert excerpt.strip(), "the log tail is shown"
        assert await tile.locator(".vllm-guard").is_visible()

        # A person's restart (of the last good model) fails while the guard is tripped:
        # nothing to roll back to, and the reason still names the guard.
        set_vllm_failure(cluster, "spark-1", "exit", times=1)
        restarted = await gateway.client.post("/api/vllm/restart")
        assert restarted.status_code == 202, restarted.text
        await tile.locator(".vllm-failure-reason", has_text="The swap to").first.wait_for()
        await tile.locator('.vllm-state[data-state="down"]').wait_for(timeout=20_000)
        await expect(why).to_contain_text("crash-loop guard")

        # Cleared: the "why" line no longer says the guard is tripped.
        await tile.get_by_role("button", name="Clear guard").click()
        dialog = page.get_by_role("dialog")
        await dialog.get_by_role("button", name="Clear guard").click()
        await tile.locator(".vllm-guard").wait_for(state="hidden")
        await expect(why).not_to_contain_text("crash-loop guard")
        assert (await why.text_content() or "").startswith("vLLM is down: ")
        assert await state.get_attribute("data-state") == "down"


GREEDY = {
    "id": "greedy",
    "display_name": "Greedy model",
    "hf_repo": "example/greedy",
    "memory_gb": 100,
    "gpu_memory_utilization": 0.95,  # 0.95 x 128 GiB beside the node's own 6 GiB: no room
}


async def _open_plan(page: Any, tile: Any, model: str) -> Any:
    """Choose ``model``, press Swap and return the confirmation dialog's plan."""
    await tile.get_by_label("Swap to").select_option(model)
    await tile.get_by_role("button", name="Swap", exact=True).click()
    dialog = page.get_by_role("dialog")
    await dialog.wait_for()
    plan = dialog.locator(".vllm-plan")
    await plan.wait_for()
    return plan


async def test_the_swap_confirmation_shows_the_dry_run_plan(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    set_vllm_failure(cluster, "spark-1", None)
    set_vllm_load_time(cluster, "spark-1", 1)
    overrides = tmp_path / "models.yaml"
    overrides.write_text(yaml.safe_dump({"models": [GREEDY]}))
    try:
        async with vllm_gateway(tmp_path, cluster, catalog_overrides=str(overrides)) as gateway:
            await open_dashboard(page, gateway)
            tile = page.locator(TILE)
            await tile.locator('.vllm-state[data-state="stopped"]').wait_for()
            dialog = page.get_by_role("dialog")

            # A plan that does not fit says so, in the confirmation, before anything runs.
            plan = await _open_plan(page, tile, "greedy")
            assert await plan.get_attribute("data-fits") == "no"
            warning = await plan.get_by_role("alert").text_content() or ""
            assert warning.startswith("This plan does not fit: greedy needs"), warning
            await dialog.get_by_role("button", name="Cancel").click()
            await tile.locator(".result", has_text="cancelled, nothing was sent").wait_for()
            assert (await gateway.client.get("/api/vllm/swap")).json()["state"] == "stopped"

            # The plan of a real swap: node, evictions, utilisation, memory, downtime.
            plan = await _open_plan(page, tile, MODEL)
            assert await plan.get_attribute("data-fits") == "yes"
            summary = await plan.locator(".vllm-plan-summary").text_content()
            assert summary == (
                "Runs on spark-1; stops nothing; --gpu-memory-utilization 0.3 (catalog)."
            )
            row = plan.locator('.vllm-plan-memory tr[data-node="spark-1"]')
            cells = [await c.text_content() for c in await row.locator("td").all()]
            assert cells[2] == "128 GiB", cells  # total; now and after: what the node reads
            assert cells[0] != cells[1], cells  # the model's share is added
            downtime = plan.locator(".vllm-plan-downtime")
            assert await downtime.text_content() == "Expected downtime: no history yet."
            await dialog.get_by_role("button", name="Swap").click()
            await tile.locator('.vllm-state[data-state="ready"]').wait_for(timeout=30_000)

            # Once it has come up, its load time is the history the next plan shows.
            plan = await _open_plan(page, tile, MODEL)
            text = await plan.locator(".vllm-plan-downtime").text_content() or ""
            assert text.startswith("Expected downtime: p50 "), text
            assert text.endswith("(1 past swap)."), text
            await dialog.get_by_role("button", name="Cancel").click()
            plan = await _open_plan(page, tile, GOOD)
            summary = await plan.locator(".vllm-plan-summary").text_content() or ""
            assert f"stops {MODEL_NAME};" in summary, summary
            await dialog.get_by_role("button", name="Cancel").click()
    finally:
        set_vllm_load_time(cluster, "spark-1", None)


#: A second slot on the same node, beside the default one.
CODER_SLOT = {"name": "coder", "container": "vllm_coder", "port": 8890, "head_node": "spark-1"}


async def test_with_several_slots_the_confirmation_picks_a_slot_and_shows_its_plan(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    set_vllm_failure(cluster, "spark-1", None)
    set_vllm_load_time(cluster, "spark-1", 1)
    try:
        async with vllm_gateway(tmp_path, cluster, slots=[CODER_SLOT]) as gateway:
            try:
                # The default slot runs GOOD; the coder slot is empty.
                started = await gateway.client.post("/api/vllm/swap", json={"model": GOOD})
                assert started.status_code == 202, started.text
                await open_dashboard(page, gateway)
                tile = page.locator(TILE)
                await tile.locator('.vllm-state[data-state="ready"]').wait_for(timeout=30_000)
                dialog = page.get_by_role("dialog")

                # The default slot's plan first: MODEL replaces GOOD there.
                plan = await _open_plan(page, tile, MODEL)
                picker = dialog.get_by_label("Slot")
                assert await picker.input_value() == "default"
                labels = [await o.text_content() for o in await picker.locator("option").all()]
                assert labels == [
                    "default (spark-1; now Llama 3.1 8B Instruct)",
                    "coder (spark-1; empty)",
                ], labels
                summary = await plan.locator(".vllm-plan-summary").text_content() or ""
                assert "stops Llama 3.1 8B Instruct;" in summary, summary

                # Picking the coder slot shows its plan: beside GOOD, stopping nothing.
                await picker.select_option("coder")
                summary_of = dialog.locator(".vllm-plan-summary")
                await summary_of.filter(has_text="stops nothing").wait_for()
                assert (await summary_of.text_content() or "").startswith(
                    "Runs on spark-1; stops nothing;"
                )
                await dialog.get_by_role("button", name="Swap").click()

                # The swap went to the coder slot; the default one still runs GOOD.
                async def coder_model() -> str | None:
                    rows = (await gateway.client.get("/api/vllm/slots")).json()["slots"]
                    return {r["name"]: r for r in rows}["coder"]["model"]

                for _ in range(300):
                    if await coder_model() == MODEL:
                        break
                    await page.wait_for_timeout(200)
                assert await coder_model() == MODEL
                default = (await gateway.client.get("/api/vllm/swap")).json()
                assert default["model"] == GOOD
            finally:
                await gateway.client.post("/api/vllm/slots/coder/stop")
    finally:
        set_vllm_load_time(cluster, "spark-1", None)
