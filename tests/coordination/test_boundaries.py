"""The coordination plugin and the vllm plugin meet only through the core's hooks:
neither imports the other."""

from __future__ import annotations

from pathlib import Path

import spark_control_coordination
import spark_control_vllm


def sources(package: object) -> list[Path]:
    root = Path(package.__file__).parent  # type: ignore[attr-defined]
    return [p for p in root.rglob("*.py")]


def test_the_vllm_plugin_never_imports_coordination() -> None:
    for path in sources(spark_control_vllm):
        assert "spark_control_coordination" not in path.read_text(), path


def test_coordination_never_imports_the_vllm_plugin() -> None:
    for path in sources(spark_control_coordination):
        assert "spark_control_vllm" not in path.read_text(), path
