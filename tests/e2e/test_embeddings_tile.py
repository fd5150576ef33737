"""The embeddings plugin's tile in Chromium, against the simulated embedding worker:
health of the service and the store, collections with their counts, the try-it search
with dense, sparse and hybrid side by side, and a confirmed delete."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spark_control.sim import SimCluster
from tests.e2e.helpers import open_dashboard
from tests.embeddings.conftest import CORPUS, load_corpus, open_gateway, sim_cluster

pytestmark = pytest.mark.asyncio(loop_scope="session")

TILE = '[data-tile="embeddings"]'


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("embeddings-tile-sim"), "127.0.3.100") as sim:
        yield sim


async def column_ids(tile: Any, mode: str) -> list[str]:
    items = tile.locator(f'.emb-column[data-mode="{mode}"] li[data-id]')
    return [await items.nth(i).get_attribute("data-id") for i in range(await items.count())]


async def test_the_tile_shows_health_collections_and_three_searches_side_by_side(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    async with open_gateway(tmp_path, cluster) as gateway:
        await load_corpus(gateway, "notes")
        await open_dashboard(page, gateway)
        tile = page.locator(TILE)
        await tile.locator('[data-probe="embeddings"] .emb-state[data-state="ok"]').wait_for()
        await tile.locator('[data-probe="qdrant"] .emb-state[data-state="ok"]').wait_for()
        row = tile.locator('tr[data-collection="notes"]')
        assert await row.locator(".emb-points").text_content() == str(len(CORPUS))
        assert "embedded" in (await tile.locator(".emb-store").text_content() or "")

        # A collection made elsewhere shows up from the event stream.
        await gateway.client.post("/api/embeddings/collections", json={"name": "later"})
        await tile.locator('tr[data-collection="later"]').wait_for()

        await tile.get_by_label("Collection", exact=True).select_option("notes")
        await tile.get_by_label("Query", exact=True).fill("XJ-4471 feline napping on a carpet")
        await tile.get_by_role("button", name="Search", exact=True).click()
        await tile.locator('.emb-column[data-mode="hybrid"] li[data-id]').first.wait_for()
        dense = await column_ids(tile, "dense")
        sparse = await column_ids(tile, "sparse")
        hybrid = await column_ids(tile, "hybrid")
        assert dense[0] == "cat-rug"
        assert sparse[0] == "code-xj"
        assert set(hybrid[:2]) == {"cat-rug", "code-xj"}
        assert "cat-rug" not in sparse


async def test_deleting_a_collection_asks_first_and_works_on_a_phone(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    await page.set_viewport_size({"width": 360, "height": 780})
    async with open_gateway(tmp_path, cluster) as gateway:
        await load_corpus(gateway, "notes")
        await open_dashboard(page, gateway)
        tile = page.locator(TILE)
        row = tile.locator('tr[data-collection="notes"]')
        await row.wait_for()
        assert await page.evaluate("document.documentElement.scrollWidth") <= 360

        await row.get_by_role("button", name="Delete collection notes").click()
        dialog = page.get_by_role("dialog")
        await dialog.wait_for()
        text = await dialog.locator(".confirm-text").text_content() or ""
        assert f'Delete the collection "notes" and its {len(CORPUS)} documents?' in text
        await page.keyboard.press("Escape")
        await tile.locator('.result:text("Delete cancelled, nothing was changed.")').wait_for()
        assert (await gateway.client.get("/api/embeddings/collections/notes")).status_code == 200

        await row.get_by_role("button", name="Delete collection notes").click()
        await dialog.get_by_role("button", name="Delete").click()
        await row.wait_for(state="detached")
        assert (await gateway.client.get("/api/embeddings/collections/notes")).status_code == 404
        await tile.locator(".emb-empty").wait_for()
