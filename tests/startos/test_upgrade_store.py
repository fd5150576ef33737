"""Upgrades keep the StartOS package's settings: every earlier release's store file still
gives the daemon the environment that release gave it (see tests/upgrade/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.startos.envcheck import package_env
from tests.upgrade.test_keeps_data import FIXTURES, VERSIONS


@pytest.mark.parametrize("version", VERSIONS)
def test_a_release_store_file_gives_the_same_daemon_environment(
    version: str, env_tool: Path
) -> None:
    store = json.loads((FIXTURES / version / "startos-store.json").read_text())
    expected = json.loads((FIXTURES / version / "expected.json").read_text())
    assert package_env(env_tool, store) == expected["seen"]["startos_env"]
