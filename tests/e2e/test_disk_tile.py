"""The "Models on disk" tile in Chromium against the simulated cluster: a local model
added from its form shows with its "local" badge and is removed again; a model cached
on a node's disk is deleted after the confirmation, over real SSH."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spark_control.sim import SimCluster
from spark_control.ssh import RemoteCommand, arg
from spark_control_vllm.local_models import root_command
from tests.e2e.helpers import open_dashboard
from tests.e2e.test_vllm_tile import vllm_gateway
from tests.vllm.conftest import sim_cluster

pytestmark = pytest.mark.asyncio(loop_scope="session")

TILE = '[data-tile="vllm-disk"]'
HUB = ".cache/huggingface/hub"
CACHED_REPO = "meta-llama/Llama-3.1-8B-Instruct"  # the catalog's llama-3.1-8b-instruct


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("disk-tile-sim"), "127.0.0.170") as sim:
        yield sim


async def run(gw: Any, command: Any, stdin: str | None = None) -> str:
    node = gw.host.topology.node("spark-1")
    result = await gw.host.ssh.run(node, command, stdin=stdin)
    assert result.ok, result.stderr
    return str(result.stdout.strip())


async def make_folder(gw: Any, path: str) -> None:
    await run(gw, RemoteCommand("mkdir", "-p", arg.path(path)))
    target = arg.path(f"{path}/config.json")
    await run(gw, RemoteCommand("cat").redirect(stdout=target), stdin="{}\n")


async def test_local_models_are_added_and_removed_and_cached_ones_deleted(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    async with vllm_gateway(tmp_path, cluster) as gw:
        home = await run(gw, root_command("~"))
        local = f"{home}/models/tuned"
        await make_folder(gw, local)
        cached = f"{home}/{HUB}/models--{CACHED_REPO.replace('/', '--')}/snapshots/abc"
        await make_folder(gw, cached)

        await open_dashboard(page, gw)
        tile = page.locator(TILE)
        await tile.get_by_text("None yet").wait_for()
        await tile.get_by_role("button", name="+ Add local model").click()
        await tile.get_by_label("ID").fill("tuned")
        await tile.get_by_label("Display name").fill("Alice's fine-tune")
        await tile.get_by_label("Folder on the head node").fill(local)
        await tile.get_by_label("Memory needed per node (GB)").fill("8")
        await tile.get_by_role("button", name="Add model").click()
        row = tile.locator('.disk-local [data-model="tuned"]')
        await row.wait_for()
        assert await row.locator(".kit-pill").text_content() == "local"
        assert local in (await row.text_content() or "")
        assert "tuned" in {m["id"] for m in (await gw.client.get("/api/models")).json()["models"]}

        cached_row = tile.locator(f'.disk-node[data-node="spark-1"] [data-repo="{CACHED_REPO}"]')
        await cached_row.wait_for()
        delete = cached_row.get_by_role("button", name="Delete")
        assert await delete.is_enabled()
        await delete.click()
        dialog = page.get_by_role("dialog")
        question = await dialog.locator(".confirm-text").text_content() or ""
        assert question.startswith(f"Delete {CACHED_REPO} from spark-1\u2019s disk?")
        await dialog.get_by_role("button", name="Delete").click()
        await cached_row.wait_for(state="detached")
        gone = await gw.host.ssh.run(
            gw.host.topology.node("spark-1"), RemoteCommand("test", "-d", arg.path(cached))
        )
        assert not gone.ok

        await row.get_by_role("button", name="Remove").click()
        await page.get_by_role("dialog").get_by_role("button", name="Remove").click()
        await row.wait_for(state="detached")
        await tile.get_by_text("None yet").wait_for()
        listed = (await gw.client.get("/api/models")).json()["models"]
        assert "tuned" not in {m["id"] for m in listed}
