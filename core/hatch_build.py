"""Puts the repository's top-level ``ui/`` (the dashboard shell and the tile kit) into
the core's wheel as ``spark_control/dashboard/``, and into its sdist as
``src/spark_control/dashboard/`` so a wheel built from the sdist carries it too.

An editable install leaves it out: ``spark_control.ui`` then serves ``ui/`` from the
source tree, so edits show on reload."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class DashboardBuildHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        ui = Path(self.root).parent / "ui"
        if version == "editable" or not (ui / "index.html").is_file():
            return  # editable, or building from an sdist that already holds the files
        target = "spark_control/dashboard"
        if self.target_name == "sdist":
            target = f"src/{target}"
        build_data["force_include"][str(ui)] = target
