"""The declared Plugin API: first-party plugins import the core only through
``spark_control.api``, the import-linter contracts list every module there is, and
docs/PLUGINS.md documents exactly ``spark_control.api.__all__``."""

from __future__ import annotations

import ast
import configparser
import re
from pathlib import Path

import pytest

import spark_control.api as api

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "core" / "src" / "spark_control"
PLUGIN_SOURCES = sorted((ROOT / "plugins").glob("*/src/spark_control_*"))


def _core_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of the core (``spark_control``/``spark_control.x``)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        for module in modules:
            if module == "spark_control" or module.startswith("spark_control."):
                found.append((node.lineno, module))
    return found


def non_api_imports(source: Path) -> list[str]:
    return [
        f"{path.relative_to(source.parent)}:{line} imports {module}"
        for path in sorted(source.rglob("*.py"))
        for line, module in _core_imports(path)
        if module != "spark_control.api"
    ]


def test_first_party_plugins_import_only_the_declared_api() -> None:
    assert len(PLUGIN_SOURCES) >= 6
    problems = [p for source in PLUGIN_SOURCES for p in non_api_imports(source)]
    assert problems == []


def test_the_example_outside_plugin_imports_only_the_declared_api() -> None:
    source = ROOT / "examples" / "plugin-ups" / "src" / "spark_control_ups"
    assert (source / "plugin.py").exists()
    assert non_api_imports(source) == []


def test_the_check_catches_an_import_of_a_core_module(tmp_path: Path) -> None:
    plugin = tmp_path / "spark_control_bad"
    plugin.mkdir()
    (plugin / "plugin.py").write_text(
        "from spark_control.api import hookimpl\n"
        "from spark_control import hookimpl as again\n"
        "def f():\n    from spark_control.host import Host\n",
        encoding="utf-8",
    )
    assert non_api_imports(plugin) == [
        "spark_control_bad/plugin.py:2 imports spark_control",
        "spark_control_bad/plugin.py:4 imports spark_control.host",
    ]


@pytest.fixture(scope="module")
def contracts() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.read(ROOT / ".importlinter", encoding="utf-8")
    return parser


def _listed(parser: configparser.ConfigParser, section: str, key: str) -> set[str]:
    return set(parser[section][key].split())


def test_import_linter_contracts_name_every_core_module_and_plugin(
    contracts: configparser.ConfigParser,
) -> None:
    internals = {
        f"spark_control.{p.stem}"
        for p in CORE.iterdir()
        if (p.suffix == ".py" or (p / "__init__.py").exists()) and p.stem not in ("__init__", "api")
    }
    plugins = {p.name for p in PLUGIN_SOURCES}
    api_contract = "importlinter:contract:plugins-use-the-api"
    assert _listed(contracts, api_contract, "forbidden_modules") == internals
    assert _listed(contracts, api_contract, "source_modules") == plugins
    assert _listed(contracts, "importlinter:contract:api-above-core", "source_modules") == internals
    assert _listed(contracts, "importlinter:contract:plugins-independent", "modules") == plugins
    core_contract = "importlinter:contract:core-names-no-plugin"
    assert _listed(contracts, core_contract, "forbidden_modules") == plugins
    assert _listed(contracts, "importlinter", "root_packages") == {"spark_control", *plugins}


def test_ci_runs_the_import_contracts() -> None:
    assert "uv run lint-imports" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_api_is_versioned_and_every_name_resolves() -> None:
    assert re.fullmatch(r"\d+\.\d+", api.API_VERSION)
    for name in api.__all__:
        assert getattr(api, name) is not None, name
    assert len(set(api.__all__)) == len(api.__all__)


def test_plugins_doc_documents_exactly_the_api() -> None:
    doc = (ROOT / "docs" / "PLUGINS.md").read_text(encoding="utf-8")
    section = doc.split("## The Plugin API", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `(\w+)", section, flags=re.MULTILINE))
    assert documented == set(api.__all__)
