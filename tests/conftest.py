"""Test-suite-wide settings: a derandomized hypothesis profile for CI."""

import os
import signal

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


# -- engine mode (tests marked ``engine``: a real dockerd per simulated node) ----------

import pytest  # noqa: E402

from spark_control.sim.engine import (  # noqa: E402
    STARTED_EXEC_ROOTS,
    engine_unavailable,
    kill_leftovers,
    leftover_daemons,
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    reason = engine_unavailable()
    full = os.environ.get("SPARK_ENGINE_FULL") == "1"
    no_engine = pytest.mark.skip(reason=f"no docker engine here: {reason}")
    # The whole fault matrix again on real engines takes minutes: on request only.
    not_asked = pytest.mark.skip(reason="the full engine matrix runs with SPARK_ENGINE_FULL=1")
    for item in items:
        if item.get_closest_marker("engine") is None:
            continue
        if reason is not None:
            item.add_marker(no_engine)
        elif item.get_closest_marker("slow") is not None and not full:
            item.add_marker(not_asked)


def pytest_configure(config: pytest.Config) -> None:
    # A run stopped with SIGTERM (a CI timeout, ``kill``) ends as Ctrl-C does: pytest
    # tears the fixtures down, so engine clusters stop their daemons. Python's default
    # SIGTERM ends the process at once and orphans them, mounts and all.
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@pytest.hookimpl(trylast=True)  # after pytest's own, which tears down what a Ctrl-C left up
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # No dockerd, containerd or shim of an engine this session started may outlive it:
    # any left fails the run, and is killed (with its mounts) so it does not linger.
    left = [pid for root in STARTED_EXEC_ROOTS for pid in leftover_daemons(root)]
    if left:
        print(f"\nengine mode left daemons running: pids {left}; killed")
        kill_leftovers(STARTED_EXEC_ROOTS)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
