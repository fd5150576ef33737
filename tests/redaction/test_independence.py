"""The detector takes no word list, pattern or threshold from a fake-data library, and
the evaluation set shares nothing with the detector (issue 21). Enforced two ways: no
module of the plugin imports one (read from the source), and importing the whole
plugin loads none (so an indirect import fails too)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import spark_control_redaction

FAKE_DATA = {"faker", "mimesis", "factory", "hypothesis", "presidio_evaluator", "snorkel"}
PLUGIN = Path(spark_control_redaction.__file__).parent
EVALSET = Path(__file__).parent / "evalset.py"


def imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_no_plugin_module_imports_a_fake_data_library() -> None:
    modules = sorted(PLUGIN.rglob("*.py"))
    assert len(modules) > 10
    for module in modules:
        tops = {name.split(".")[0] for name in imported(module)}
        assert not tops & FAKE_DATA, (module.name, tops & FAKE_DATA)


def test_loading_the_plugin_loads_no_fake_data_library() -> None:
    code = (
        "import sys, importlib, pkgutil, spark_control_redaction as p\n"
        "for m in pkgutil.iter_modules(p.__path__):\n"
        "    importlib.import_module(f'{p.__name__}.{m.name}')\n"
        f"print(sorted(set(m.split('.')[0] for m in sys.modules) & set({sorted(FAKE_DATA)!r})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_the_evaluation_set_shares_nothing_with_the_detector_or_the_corpus() -> None:
    tops = imported(EVALSET)
    assert not {n for n in tops if n.startswith(("spark_control", "tests"))}, tops
    assert not {n.split(".")[0] for n in tops} & FAKE_DATA, tops
