"""The hand-written rule set (bench/redaction/rulecases/) is in step with its source
files, every span is its value, and its halves are those the README states. The
detector's figures are not judged here (see docs/PERFORMANCE.md, round 10)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "bench" / "redaction" / "rulecases"
sys.path.insert(0, str(ROOT / "bench" / "redaction" / "independent"))

import score  # noqa: E402


def _build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("rulecases_build", HERE / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_sets_are_what_build_writes() -> None:
    build = _build()
    assert "rulecases.jsonl" in build.OUTPUTS
    for name, sources in build.OUTPUTS.items():
        committed = [json.loads(line) for line in (HERE / name).read_text().splitlines()]
        assert committed == build.build(sources), name


def test_spans_halves_and_negatives() -> None:
    rows = score.load(HERE / "rulecases.jsonl")
    assert len(rows) == 433
    for row in rows:
        assert bool(row["spans"]) != row["negative"], row["id"]
        for s in row["spans"]:
            assert row["text"][s["start"] : s["end"]] == s["value"], row["id"]
    tuning, held = score.select(rows, "tuning"), score.select(rows, "heldout")
    assert (len(tuning), len(held)) == (221, 212)
    assert sum(r["negative"] for r in tuning) == 45


def test_markup_is_parsed_with_offsets_and_escapes() -> None:
    text, spans = _build().parse_text("Tel{NBSP}⟦P|+44 20\n7946 0958⟧, pw ⟦S|x y⟧.")
    assert text == "Tel\u00a0+44 20\n7946 0958, pw x y."
    assert [(s["type"], text[s["start"] : s["end"]]) for s in spans] == [
        ("PHONE", "+44 20\n7946 0958"),
        ("SECRET", "x y"),
    ]
