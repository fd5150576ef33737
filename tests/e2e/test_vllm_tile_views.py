"""The Models tile's views for local models and the nodes' disks, and its polish, in
Chromium against the simulated cluster (real SSH, real launcher and vLLM stand-ins):

- "+ Add local model": a folder the gateway refuses is marked on its field, a good one
  is added, listed "(local)", swapped to (a "local" badge by the model) and removed;
- "Models on disk": per node, capped with "show more", Delete refused (disabled, with
  the reason) for the running model, a folder outside the catalog and local models,
  and a real delete on one node after a red confirmation;
- colour by meaning, Stop disabled when stopped, one lock message for two actions, a
  running swap's target and elapsed time, a failed swap's log at its end, keyboard
  focus, and the tables reflowing at phone width without mid-word breaks.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from spark_control.sim import SimCluster
from spark_control.ssh import RemoteCommand, Script, arg
from spark_control.testing import RunningGateway
from spark_control_vllm.disk import cache_folder
from spark_control_vllm.sim import set_vllm_failure, set_vllm_load_time
from tests.e2e.helpers import open_dashboard
from tests.e2e.test_vllm_tile import TILE, SwapLock, vllm_gateway
from tests.vllm.conftest import sim_cluster

pytestmark = pytest.mark.asyncio(loop_scope="session")

HEAD, WORKER = "spark-1", "spark-2"
GOOD, GOOD_REPO = "llama-3.1-8b-instruct", "meta-llama/Llama-3.1-8B-Instruct"
OSS, OSS_REPO, OSS_NAME = "gpt-oss-20b", "openai/gpt-oss-20b", "gpt-oss 20B"
STRANGERS = [f"someone-else/unlisted-checkpoint-{n}" for n in range(4)]
HUB = ".cache/huggingface/hub"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 360, "height": 780}

# Each text piece of the long names (split at their <wbr>) sits on one line: a name
# wraps only between its parts, never inside a word.
MID_WORD_BREAKS = """
(root) => {
  const broken = [];
  for (const name of root.querySelectorAll('.vllm-name')) {
    if (!name.getClientRects().length) continue; // hidden row
    for (const node of name.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (lines.size > 1) broken.push(node.textContent);
    }
  }
  return broken;
}
"""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("vllm-views-sim"), "127.0.0.170") as sim:
        yield sim


@pytest.fixture(autouse=True)
def healthy(cluster: SimCluster) -> Iterator[None]:
    set_vllm_failure(cluster, HEAD, None)
    set_vllm_load_time(cluster, HEAD, None)
    yield
    set_vllm_failure(cluster, HEAD, None)
    set_vllm_load_time(cluster, HEAD, None)


async def run(gateway: RunningGateway, node: str, script: Script) -> str:
    result = await gateway.host.ssh.run(gateway.host.topology.node(node), script)
    assert result.ok, result.stderr
    return result.stdout.strip()


def from_home(*commands: RemoteCommand) -> Script:
    script: Script = RemoteCommand("cd")
    for command in commands:
        script = script.and_then(command)
    return script


async def model_folder(gateway: RunningGateway, relative: str) -> str:
    """``~/relative`` on the head node, holding a config.json; its absolute path."""
    home = await run(gateway, HEAD, from_home(RemoteCommand("pwd", "-P")))
    path = f"{home}/{relative}"
    await run(gateway, HEAD, RemoteCommand("mkdir", "-p", arg.path(path)))
    await run(gateway, HEAD, RemoteCommand("touch", arg.path(f"{path}/config.json")))
    return path


async def put_in_cache(gateway: RunningGateway, node: str, repo: str, size: int) -> None:
    """A downloaded-looking model folder in ``node``'s Hugging Face cache."""
    snapshot = f"{HUB}/{cache_folder(repo)}/snapshots/0123456789abcdef"
    await run(
        gateway,
        node,
        from_home(
            RemoteCommand("mkdir", "-p", arg.relative_path(snapshot)),
            RemoteCommand(
                "truncate", "-s", str(size), arg.relative_path(f"{snapshot}/model.safetensors")
            ),
        ),
    )


async def in_cache(gateway: RunningGateway, node: str, repo: str) -> bool:
    folder = arg.relative_path(f"{HUB}/{cache_folder(repo)}")
    script = from_home(RemoteCommand("test", "-d", folder))
    result = await gateway.host.ssh.run(gateway.host.topology.node(node), script)
    return result.ok


async def swap_and_wait(gateway: RunningGateway, tile: Any, model: str) -> None:
    started = await gateway.client.post("/api/vllm/swap", json={"model": model})
    assert started.status_code == 202, started.text
    await tile.locator(f'.vllm-model[data-model="{model}"]').wait_for(timeout=20_000)
    await tile.locator('.vllm-state[data-state="ready"]').wait_for(timeout=20_000)


async def open_disk_view(tile: Any) -> None:
    """Open "Models on disk" (closed at first: the disks are read only while it is open)."""
    view = tile.locator("details.vllm-disk")
    assert await view.get_attribute("open") is None
    await view.locator("summary").click()


async def test_a_local_model_is_added_from_the_form_swapped_to_and_removed(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    await page.set_viewport_size(DESKTOP)
    async with vllm_gateway(tmp_path, cluster) as gateway:
        folder = await model_folder(gateway, "models/my-finetune")
        outside = await model_folder(gateway, "elsewhere/my-finetune")
        await open_dashboard(page, gateway)
        tile = page.locator(TILE)
        await tile.locator('.vllm-state[data-state="stopped"]').wait_for()

        toggle = tile.get_by_role("button", name="+ Add local model")
        assert await toggle.get_attribute("aria-expanded") == "false"
        await toggle.click()
        assert await toggle.get_attribute("aria-expanded") == "true"
        form = tile.get_by_role("form", name="Add a local model")
        await form.wait_for()
        assert await page.evaluate("document.activeElement.name") == "id"

        await form.get_by_label("ID").fill("my-finetune")
        await form.get_by_label("Display name").fill("My fine-tune")
        path = form.get_by_label("Folder on the head node")
        await path.fill(outside)
        await form.get_by_label("Memory per node (GB)").fill("8")
        await form.get_by_role("button", name="Add model").click()

        # The gateway's check failed on the node: the field says why and has focus.
        await expect(path).to_have_attribute("aria-invalid", "true")
        error = form.locator('[data-field="local_path"] .vllm-field-error')
        await expect(error).to_contain_text("is not inside a local model root")
        assert await page.evaluate("document.activeElement.name") == "local_path"
        described = await path.get_attribute("aria-describedby") or ""
        assert await error.get_attribute("id") in described.split()
        assert (await gateway.client.get("/api/vllm/models")).json()["models"][-1][
            "id"
        ] != "my-finetune"

        await path.fill(folder)
        await expect(path).not_to_have_attribute("aria-invalid", "true")
        await form.get_by_role("button", name="Add model").click()
        await tile.locator(".result", has_text="Added My fine-tune").wait_for()
        assert await form.is_hidden()
        option = tile.locator('option[value="my-finetune"]')
        assert await option.text_content() == "My fine-tune (local)"
        assert await tile.get_by_label("Swap to").input_value() == "my-finetune"
        listed = {
            m["id"]: m for m in (await gateway.client.get("/api/vllm/models")).json()["models"]
        }
        assert listed["my-finetune"]["local_path"] == folder

        # In the disk view: a local row whose Delete is disabled with the reason.
        await open_disk_view(tile)
        row = tile.locator('.vllm-disk tr[data-model="my-finetune"]')
        await row.wait_for()
        await expect(row.locator(".vllm-local-badge")).to_have_text("local")
        delete = row.get_by_role("button", name="Delete My fine-tune from disk")
        assert await delete.is_disabled()
        note_id = (await delete.get_attribute("aria-describedby") or "").split()[0]
        note = await page.locator(f"#{note_id}").text_content()
        assert note == "Never deleted by Spark Control: the folder is yours."

        # Swapped to, it runs from its folder with a "local" badge by its name; it
        # cannot be removed from the catalog while it runs.
        await swap_and_wait(gateway, tile, "my-finetune")
        assert await tile.locator(".vllm-model").text_content() == "My fine-tune"
        await expect(tile.locator(".vllm-summary .vllm-local-badge")).to_be_visible()
        remove = row.get_by_role("button", name="Remove from catalog: My fine-tune")
        await expect(remove).to_be_disabled()
        await expect(row).to_contain_text("In use: it is running")

        await swap_and_wait(gateway, tile, GOOD)
        await expect(tile.locator(".vllm-summary .vllm-local-badge")).to_be_hidden()
        await expect(remove).to_be_enabled()
        await remove.click()
        dialog = page.get_by_role("dialog")
        question = await dialog.locator(".confirm-text").text_content() or ""
        assert f"Its folder {folder} stays on the node" in question, question
        confirm = dialog.get_by_role("button", name="Remove from catalog")
        assert "danger" not in (await confirm.get_attribute("class") or "")  # nothing is destroyed
        await confirm.click()
        await tile.locator(".result", has_text="Removed My fine-tune from the catalog").wait_for()
        await row.wait_for(state="detached")
        await tile.locator('option[value="my-finetune"]').wait_for(state="detached")
        listed = {m["id"] for m in (await gateway.client.get("/api/vllm/models")).json()["models"]}
        assert "my-finetune" not in listed
        assert (await run(gateway, HEAD, RemoteCommand("ls", arg.path(folder)))) == "config.json"


async def test_models_on_disk_per_node_with_delete_where_the_api_allows_it(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    await page.set_viewport_size(DESKTOP)
    async with vllm_gateway(tmp_path, cluster) as gateway:
        for repo in STRANGERS:
            await put_in_cache(gateway, HEAD, repo, 1000)
        await put_in_cache(gateway, HEAD, OSS_REPO, 3_000_000)
        await put_in_cache(gateway, WORKER, OSS_REPO, 3_000_000)
        await open_dashboard(page, gateway)
        tile = page.locator(TILE)
        await swap_and_wait(gateway, tile, GOOD)  # downloads it into spark-1's cache
        await open_disk_view(tile)

        head = tile.locator(f'.vllm-disk-group[data-node="{HEAD}"]')
        rows = head.locator("tbody tr")
        await expect(rows).to_have_count(6)
        # Capped: five shown, the rest behind "show more".
        more = head.locator(".vllm-more")
        await expect(more).to_have_text("Show 1 more model")
        assert await more.get_attribute("aria-expanded") == "false"
        assert await rows.locator("visible=true").count() == 5
        await more.click()
        assert await rows.locator("visible=true").count() == 6
        assert await more.get_attribute("aria-expanded") == "true"
        await expect(more).to_have_text("Show fewer")

        async def reason(button: Any) -> str:
            note_id = (await button.get_attribute("aria-describedby") or "").split()[0]
            return await page.locator(f"#{note_id}").text_content() or ""

        running = head.get_by_role("button", name=f"Delete {GOOD_REPO} from {HEAD}")
        assert await running.is_disabled()
        assert (await reason(running)).startswith("In use: Llama")
        stranger = head.get_by_role("button", name=f"Delete {STRANGERS[0]} from {HEAD}")
        assert await stranger.is_disabled()
        assert (await reason(stranger)).startswith("Not in the catalog")

        # The one that can go: a red confirmation naming the folder and the node.
        delete = head.get_by_role("button", name=f"Delete {OSS_REPO} from {HEAD}")
        assert await delete.is_enabled()
        assert "danger" in (await delete.get_attribute("class") or "")
        await delete.click()
        dialog = page.get_by_role("dialog")
        question = await dialog.locator(".confirm-text").text_content() or ""
        assert question.startswith(f"Delete {OSS_REPO} (2.9 MiB) from {HEAD}'s disk?"), question
        assert f"A later swap to {OSS_NAME} downloads it again." in question
        confirm = dialog.get_by_role("button", name="Delete")
        assert "danger" in (await confirm.get_attribute("class") or "")
        await confirm.click()
        await tile.locator(".result", has_text=f"Deleted {OSS_REPO} from {HEAD}").wait_for()
        await head.locator(f'tr[data-repo="{OSS_REPO}"]').wait_for(state="detached")
        assert not await in_cache(gateway, HEAD, OSS_REPO)
        # Only on that node: the worker keeps its copy, and the tile still lists it.
        assert await in_cache(gateway, WORKER, OSS_REPO)
        worker = tile.locator(f'.vllm-disk-group[data-node="{WORKER}"]')
        await worker.locator(f'tr[data-repo="{OSS_REPO}"]').wait_for()

        # Keyboard: Tab from "Refresh" reaches the worker's Delete with a visible focus ring.
        await tile.get_by_role("button", name="Refresh the models on disk").focus()
        for _ in range(12):
            await page.keyboard.press("Tab")
            label = await page.evaluate("document.activeElement.getAttribute('aria-label')")
            if label == f"Delete {OSS_REPO} from {WORKER}":
                break
        else:
            pytest.fail("the worker's Delete is not reachable with Tab")
        outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("", "none"), outline


async def test_colour_by_meaning_one_lock_message_and_a_swap_with_target_and_elapsed_time(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    await page.set_viewport_size(DESKTOP)
    # A lock that refuses swaps and stops for one reason, as the coordination lock does.
    lock = SwapLock(actions=("vllm.swap", "vllm.stop"))
    async with vllm_gateway(tmp_path, cluster, {"e2e_lock": lock}) as gateway:
        await open_dashboard(page, gateway)
        tile = page.locator(TILE)
        await tile.locator('.vllm-state[data-state="stopped"]').wait_for()
        stop = tile.get_by_role("button", name="Stop", exact=True)
        restart = tile.get_by_role("button", name="Restart", exact=True)
        # Red only for what stops or deletes; Stop can do nothing while vLLM is stopped.
        assert "danger" in (await stop.get_attribute("class") or "")
        assert "danger" not in (await restart.get_attribute("class") or "")
        assert await stop.is_disabled()

        await gateway.client.post("/api/e2e-lock/hold", json={"holder": "Bob"})
        refusal = tile.locator(".vllm-picker .refusal")
        await expect(refusal).to_have_text(
            "Swapping and stopping are paused: the swap lock is held by Bob"
        )
        assert (await tile.text_content() or "").count("the swap lock is held by Bob") == 1
        await gateway.client.post("/api/e2e-lock/release")
        await expect(refusal).to_be_hidden()

        # A swap that takes a few seconds: the summary names its target (not "none")
        # and the elapsed time grows.
        set_vllm_load_time(cluster, HEAD, 4)
        started = await gateway.client.post("/api/vllm/swap", json={"model": OSS})
        assert started.status_code == 202, started.text
        await tile.locator('.vllm-state[data-state="swapping"]').wait_for()
        model = tile.locator(".vllm-model")
        await expect(model).to_have_text(OSS_NAME)
        note = tile.locator(".vllm-model-note")
        await expect(note).to_have_text("loading · 1 s", timeout=5_000)
        await expect(note).to_have_text("loading · 3 s", timeout=5_000)
        await expect(tile.locator(".vllm-elapsed")).to_contain_text("Elapsed: ")
        await tile.locator('.vllm-state[data-state="ready"]').wait_for(timeout=20_000)
        await expect(note).to_be_hidden()
        await expect(tile.locator(".vllm-elapsed")).to_contain_text("Took ")
        await expect(stop).to_be_enabled()

        # Restart asks with a plain (not red) button; Escape sends nothing.
        await restart.click()
        dialog = page.get_by_role("dialog")
        confirm = dialog.get_by_role("button", name="Restart")
        assert "danger" not in (await confirm.get_attribute("class") or "")
        await page.keyboard.press("Escape")
        await tile.locator('.result:text("cancelled, nothing was sent")').wait_for()

        # A failed swap: its log excerpt opens scrolled to its end, where the error is.
        set_vllm_load_time(cluster, HEAD, None)
        set_vllm_failure(cluster, HEAD, "exit", times=1)
        failed = await gateway.client.post("/api/vllm/swap", json={"model": GOOD})
        assert failed.status_code == 202, failed.text
        excerpt = tile.locator(".vllm-failure .vllm-excerpt").first
        await excerpt.wait_for(timeout=20_000)
        box = await excerpt.evaluate("(e) => [e.scrollTop, e.scrollHeight, e.clientHeight]")
        assert box[1] > box[2], f"the excerpt is longer than its box: {box}"
        assert box[0] + box[2] >= box[1] - 2, f"scrolled to its end: {box}"
        await tile.locator('.vllm-state[data-state="ready"]').wait_for(timeout=20_000)

        await page.reload()
        await page.wait_for_selector("body[data-ready='true']")
        excerpt = tile.locator(".vllm-failure .vllm-excerpt").first
        await excerpt.wait_for()
        box = await excerpt.evaluate("(e) => [e.scrollTop, e.scrollHeight, e.clientHeight]")
        assert box[0] + box[2] >= box[1] - 2 and box[0] > 0, f"after a reload too: {box}"


async def test_the_disk_tables_and_the_form_reflow_at_phone_width(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    await page.set_viewport_size(PHONE)
    async with vllm_gateway(tmp_path, cluster) as gateway:
        long_repo = "example-organisation/an-unusually-long-checkpoint-name-for-a-phone"
        await put_in_cache(gateway, HEAD, long_repo, 5000)
        await put_in_cache(gateway, HEAD, OSS_REPO, 5000)
        await open_dashboard(page, gateway)
        tile = page.locator(TILE)
        await open_disk_view(tile)
        row = tile.locator(f'.vllm-disk tr[data-repo="{long_repo}"]')
        await row.wait_for()
        await row.scroll_into_view_if_needed()

        # Stacked rows: the cells sit under each other, labelled, inside the screen.
        assert await row.evaluate("(r) => getComputedStyle(r).display") == "grid"
        size = row.locator(".vllm-disk-size")
        assert await size.evaluate("(c) => getComputedStyle(c, '::before').content") == '"Size: "'
        name_box = await row.locator("th").bounding_box()
        size_box = await size.bounding_box()
        assert name_box and size_box and size_box["y"] >= name_box["y"] + name_box["height"] - 1
        assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert await page.evaluate(MID_WORD_BREAKS, await tile.element_handle()) == []
        lines = await row.locator(".vllm-name").evaluate(
            "(n) => new Set([...n.getClientRects()].map((r) => Math.round(r.top))).size"
        )
        assert lines > 1, "the long name wraps (between its parts)"

        await tile.get_by_role("button", name="+ Add local model").click()
        form = tile.get_by_role("form", name="Add a local model")
        await form.wait_for()
        assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        for label in ("ID", "Display name", "Folder on the head node", "Memory per node (GB)"):
            box = await form.get_by_label(label).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], label
        await page.keyboard.press("Escape")
        await form.wait_for(state="hidden")
        focused = await page.evaluate("document.activeElement.textContent")
        assert focused == "+ Add local model"
