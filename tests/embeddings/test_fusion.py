"""Hybrid fusion on near-miss identifiers: a part number whose keyword match stands out
must stay first after fusion with the dense ranking (which cannot tell ``PN-7731-QX``
from ``PN-7730-QX``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway
from tests.embeddings.conftest import (
    STORE_BACKENDS,
    ids,
    load_corpus,
    open_gateway,
    open_store_backend,
    search,
    sim_cluster,
)

EXACT, EXACT_ID = "PN-7731-QX", "part-31"
_DETAILS = (
    "fan",
    "fan assembly",
    "cooling fan",
    "fan tray",
    "spare fan",
    "fan module for the rack",
    "fan, boxed",
    "fan with cable",
)


def parts() -> list[dict[str, Any]]:
    """50 catalogue entries PN-7700-QX .. PN-7749-QX. The exact one has the longest
    description, so dense similarity to the bare part number ranks it low."""
    out = []
    for i in range(50):
        number = f"PN-77{i:02d}-QX"
        detail = _DETAILS[i % len(_DETAILS)]
        if number == EXACT:
            detail = "replacement cooling fan for the second rack, shipped with screws and a filter"
        out.append({"id": f"part-{i:02d}", "text": f"{number} {detail}", "payload": {}})
    return out


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("embeddings-fusion"), "127.0.3.40") as sim:
        yield sim


@pytest.fixture(params=STORE_BACKENDS, ids="-".join)
async def gw(
    request: pytest.FixtureRequest, tmp_path: Path, cluster: SimCluster
) -> AsyncIterator[RunningGateway]:
    async with open_store_backend(tmp_path, cluster, request.param) as gateway:
        await load_corpus(gateway, "parts", parts())
        yield gateway


async def test_an_exact_identifier_stays_first_among_near_misses(gw: RunningGateway) -> None:
    sparse = await search(gw, "parts", EXACT, mode="sparse", limit=50)
    dense = ids(await search(gw, "parts", EXACT, mode="dense", limit=50))
    # Keywords single it out by a margin (gateway BM25: its rare number; the worker's
    # lexical weights: one more matching token), meaning cannot: it ranks it near last.
    assert ids(sparse)[0] == EXACT_ID
    top, runner_up = (r["score"] for r in sparse["results"][:2])
    assert top >= 1.5 * runner_up
    assert dense.index(EXACT_ID) >= 25

    hybrid = await search(gw, "parts", EXACT, limit=10)  # the default fusion: dbsf
    assert ids(hybrid)[0] == EXACT_ID
    scores = [r["score"] for r in hybrid["results"]]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] - scores[1] > 0.3  # the keyword margin survives fusion
    # Reciprocal rank fusion keeps only ranks, so the near-misses that dense ranks
    # high overtake it: why it is not the default.
    rrf = ids(await search(gw, "parts", EXACT, limit=10, fusion="rrf"))
    assert EXACT_ID not in rrf[:3]


async def test_fusion_is_a_setting_and_a_per_request_choice(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with open_gateway(tmp_path / "rrf", cluster, fusion="rrf") as gw:
        await load_corpus(gw, "parts", parts())
        by_setting = ids(await search(gw, "parts", EXACT, limit=10))
        by_request = ids(await search(gw, "parts", EXACT, limit=10, fusion="dbsf"))
        refused = await gw.client.post(
            "/api/collections/parts/search", json={"query": EXACT, "fusion": "max"}
        )
    assert EXACT_ID not in by_setting[:3]
    assert by_request[0] == EXACT_ID
    assert refused.status_code == 422
