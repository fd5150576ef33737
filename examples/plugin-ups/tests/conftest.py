"""The UPS plugin's tests use Spark Control's own pytest plugin (``spark_control.testing``,
loaded automatically): ``spark_sim_cluster``, ``spark_config`` and ``spark_gateway``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from spark_control_ups.sim import reset_ups

from spark_control.sim import SimCluster


@pytest.fixture(autouse=True)
def healthy_ups(spark_sim_cluster: SimCluster) -> Iterator[None]:
    """Every test starts with the simulated UPS on line (the cluster is per session)."""
    reset_ups(spark_sim_cluster, "spark-1")
    yield
    reset_ups(spark_sim_cluster, "spark-1")
