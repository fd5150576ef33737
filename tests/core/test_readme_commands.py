"""The README's Commands table names every verb the ``spark-control`` command has."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

from spark_control.cli import _parser

README = Path(__file__).resolve().parents[2] / "README.md"


def _verbs(parser: argparse.ArgumentParser, prefix: str = "") -> Iterator[str]:
    """Every runnable command line, e.g. ``serve`` and ``keys create``."""
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subparsers:
        yield prefix
        return
    for action in subparsers:
        for name, child in action.choices.items():
            yield from _verbs(child, f"{prefix} {name}".strip())


def _table_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `spark-control ([^`]+)`", section, flags=re.M)


def test_every_cli_verb_is_in_the_readme_commands_table() -> None:
    verbs = sorted(_verbs(_parser()))
    assert len(verbs) >= 10 and "nodes install-key" in verbs and "keys create" in verbs
    rows = _table_commands()
    missing = [v for v in verbs if not any(re.match(re.escape(v) + r"(\s|$)", r) for r in rows)]
    assert missing == [], f"README.md's Commands table lacks: {missing}"
