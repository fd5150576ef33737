"""The whole swap fault matrix on real docker engines (slow; the core of it is
``test_engine_swap.py``). Same test functions as ``test_swap_faults.py``; this module's
``cluster`` runs on real engines."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from spark_control.sim import SimCluster
from tests.vllm import test_swap_faults
from tests.vllm.conftest import sim_cluster
from tests.vllm.test_swap_faults import *  # noqa: F403 - every test, collected again here

pytestmark = [pytest.mark.asyncio, pytest.mark.engine, pytest.mark.slow]


@pytest.fixture(autouse=True)
def _engine_deadlines(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    # A load on a real engine adds a docker run and a docker exec (a few hundred ms,
    # seconds on a loaded machine): the stand-in's 3 s load deadline is too tight for
    # a load meant to succeed. The hung-load test is about that deadline: it keeps it.
    if "hung_load" not in request.node.name:
        monkeypatch.setitem(test_swap_faults.FAST, "load_deadline_s", 15)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    root = tmp_path_factory.mktemp("swap-engine-full")
    with sim_cluster(root, "127.0.0.170", engine="docker") as sim:
        yield sim
