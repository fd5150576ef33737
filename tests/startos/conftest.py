"""Fixtures of the StartOS package tests: the compiled env tool and the product's names.

The package's Node modules are installed by the tests themselves (``npm ci``, once per
session), so ``uv run pytest`` on a fresh clone needs nothing run first. Without Node
the tests that need it are skipped, except in CI, which has Node and must run them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.startos.envcheck import PACKAGE, build_env_tool, config_env_rows, install_node_modules


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """The package's ``node_modules``, installed from its lockfile if missing or stale."""
    if shutil.which("node") is None and not os.environ.get("CI"):
        pytest.skip("Node.js is not installed; the StartOS package tests run it")
    install_node_modules(PACKAGE)
    return PACKAGE / "node_modules"


@pytest.fixture(scope="session")
def env_tool(node_modules: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package's daemon-env tool, compiled from the sources in the work tree."""
    return build_env_tool(PACKAGE, tmp_path_factory.mktemp("startos-env-tool"))


@pytest.fixture(scope="session")
def config_rows() -> list[dict[str, Any]]:
    """``spark-control config env --json`` of this product."""
    return config_env_rows()
