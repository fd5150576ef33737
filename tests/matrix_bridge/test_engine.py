"""The bot's update, restart and logs tests again, on real docker engines.

The same test functions as ``test_update.py`` and ``test_actions.py``, with this module's
``cluster`` (``engine="docker"``): the bot's container is a real one, its state, health,
restarts and logs are the engine's. Left out: what only the stand-in can do (its ``exit``
failure switch).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from spark_control.sim import SimCluster
from spark_control.sim.engine import docker_cli
from spark_control_matrix_bridge.sim import CONTAINER
from tests.matrix_bridge.conftest import NODE, sim_cluster
from tests.matrix_bridge.test_actions import (  # noqa: F401 - collected again here
    test_check_tries_good_settings_on_the_node,
    test_nodes_check_tries_every_configured_bot_on_its_node,
    test_stop_start_and_restart_answer_the_fresh_badge,
    test_view_logs_gives_the_last_lines_and_follow_streams_new_ones,
)
from tests.matrix_bridge.test_update import (  # noqa: F401 - collected again here
    test_a_failing_build_reports_the_building_phase_and_the_excerpt,
    test_an_update_with_nothing_new_keeps_the_commit_and_succeeds,
    test_update_moves_the_repo_to_the_upstream_commit_and_restarts_the_container,
)

pytestmark = pytest.mark.engine


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(
        tmp_path_factory.mktemp("matrix-bridge-engine"), "127.0.5.40", engine="docker"
    ) as sim:
        yield sim


def test_the_bot_image_is_a_real_docker_build_of_the_checkout(cluster: SimCluster) -> None:
    """``docker compose build`` on an engine is a real ``docker build`` of the context:
    the bot's image carries the checkout's commit, and has the context as a layer of
    its own on top of the base image."""
    found = cluster.container(NODE, CONTAINER)
    assert found is not None
    image = found["Config"]["Image"]
    host = cluster.engine_host(NODE)
    assert host is not None
    fmt = '{{index .Config.Labels "org.opencontainers.image.revision"}} {{len .RootFS.Layers}}'
    answer = subprocess.run(
        [docker_cli() or "docker", "-H", host, "image", "inspect", "--format", fmt, image],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    revision = found["Config"]["Labels"]["org.opencontainers.image.revision"]
    assert answer[0] == revision and len(revision) == 40
    assert int(answer[1]) >= 2, "no layer of the build context on top of the base image"
