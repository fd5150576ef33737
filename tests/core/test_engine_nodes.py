"""Node facts and node checks again, on real docker engines: ``docker info`` is the
engine's, and the memory a running container takes shows in the node's view."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from spark_control.plugins import new_manager
from spark_control.sim import SimCluster
from spark_control.sim.registry import collect_simulation
from tests.core.test_nodes_on_sim import (  # noqa: F401 - collected again here
    ModelImage,
    test_memory_and_disk_facts_follow_what_runs_on_the_node,
    test_node_checks_pass_the_core_and_name_a_missing_prerequisite,
)

pytestmark = pytest.mark.engine


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    pm = new_manager()
    pm.register(ModelImage(), name="models")
    with SimCluster(
        tmp_path_factory.mktemp("engine-nodes"),
        registry=collect_simulation(pm),
        base_address="127.0.0.60",
        engine="docker",
    ) as sim:
        yield sim
