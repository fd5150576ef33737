"""Test-suite-wide settings: a derandomized hypothesis profile for CI."""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


# -- engine mode (tests marked ``engine``: a real dockerd per simulated node) ----------

import pytest  # noqa: E402

from spark_control.sim.engine import engine_unavailable, leftover_daemons  # noqa: E402


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    reason = engine_unavailable()
    if reason is None:
        return
    skip = pytest.mark.skip(reason=f"no docker engine here: {reason}")
    for item in items:
        if item.get_closest_marker("engine") is not None:
            item.add_marker(skip)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # Engine clusters keep their exec roots in sparkeng-* folders: none may outlive them.
    left = leftover_daemons("sparkeng-")
    if left:
        print(f"\nengine mode left daemons running: pids {left}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
