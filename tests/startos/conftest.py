"""Fixtures of the StartOS package tests: the compiled env tool and the product's names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.startos.envcheck import PACKAGE, build_env_tool, config_env_rows


@pytest.fixture(scope="session")
def env_tool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package's daemon-env tool, compiled from the sources in the work tree."""
    return build_env_tool(PACKAGE, tmp_path_factory.mktemp("startos-env-tool"))


@pytest.fixture(scope="session")
def config_rows() -> list[dict[str, Any]]:
    """``spark-control config env --json`` of this product."""
    return config_env_rows()
