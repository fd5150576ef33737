"""Install a plugin for real: a package and its dist-info with an entry point, on a path."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

import pytest
from stevedore import ExtensionManager

GROUP = "spark_control.plugins"


def install_plugin_distribution(
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    dist: str,
    module: str,
    source: str,
    entry_points: dict[str, str],
    version: str = "1.2.3",
) -> None:
    """Write ``module`` and a ``<dist>-<version>.dist-info`` under ``root``, and put
    ``root`` first on ``sys.path`` so importlib.metadata (and stevedore) find it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = root / f"{dist.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8"
    )
    lines = [f"[{GROUP}]"] + [f"{name} = {target}" for name, target in entry_points.items()]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(root))
    importlib.invalidate_caches()
    # stevedore remembers a group's entry points for the life of the process.
    monkeypatch.setattr(ExtensionManager, "ENTRY_POINT_CACHE", {})
    monkeypatch.delitem(sys.modules, module, raising=False)
