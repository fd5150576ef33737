"""The bot's update, restart and logs tests again, on real docker engines.

The same test functions as ``test_update.py`` and ``test_actions.py``, with this module's
``cluster`` (``engine="docker"``): the bot's container is a real one, its state, health,
restarts and logs are the engine's. Left out: what only the stand-in can do (its ``exit``
failure switch).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from spark_control.sim import SimCluster
from tests.matrix_bridge.conftest import sim_cluster
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

pytestmark = [pytest.mark.asyncio, pytest.mark.engine]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(
        tmp_path_factory.mktemp("matrix-bridge-engine"), "127.0.5.40", engine="docker"
    ) as sim:
        yield sim
