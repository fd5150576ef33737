"""Helpers of the core's tests."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from spark_control.settings import LoadedConfig
from spark_control.testing import make_config


def core_config(
    tmp_path: Path, data: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> LoadedConfig:
    """A config that loads no installed plugin (first-party ones are installed beside the
    core): the host's tests see only the plugins they pass or name themselves."""
    merged = dict(data or {})
    plugins = dict(merged.get("plugins") or {})
    plugins.setdefault("enabled", [])
    merged["plugins"] = plugins
    return make_config(tmp_path, merged, environ)
