"""The second check set (bench/redaction/second) is what its generator writes, and every
labelled span is its value, so the frozen file cannot drift from its documented origin."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

HERE = Path(__file__).resolve().parents[2] / "bench" / "redaction" / "second"


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("build_second", HERE / "build_second.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_frozen_file_is_what_the_generator_writes() -> None:
    rows = _generator().build()
    lines = (HERE / "second.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == rows
    assert len(rows) == 254
    assert sum(1 for r in rows if r["negative"]) == 64


def test_every_span_is_its_value_and_negatives_have_none() -> None:
    for line in (HERE / "second.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["negative"]:
            assert row["spans"] == [], row["id"]
        for span in row["spans"]:
            assert row["text"][span["start"] : span["end"]] == span["value"], row["id"]
