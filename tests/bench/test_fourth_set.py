"""The fourth redaction set (a tuning set of round 16) is what its build script writes,
every span is its value, and its card numbers and IBANs are valid. The detector's
figures are not judged here (see bench/redaction/fourth/README.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "bench" / "redaction" / "fourth"
sys.path.insert(0, str(HERE))

import build_fourth  # noqa: E402


def _rows() -> list[dict]:
    with (HERE / "fourth.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def test_the_committed_set_is_what_build_fourth_writes() -> None:
    assert _rows() == build_fourth.build()


def test_every_span_is_its_value_and_negatives_have_none() -> None:
    rows = _rows()
    assert len(rows) >= 300
    assert sum(1 for r in rows if r["negative"]) >= 80
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        assert bool(row["spans"]) != row["negative"], row["id"]
        for s in row["spans"]:
            assert row["text"][s["start"] : s["end"]] == s["value"], row["id"]
            assert s["type"] in build_fourth.TYPES.values(), row["id"]


def test_cards_pass_luhn_and_ibans_pass_mod_97() -> None:
    spans = [s for r in _rows() for s in r["spans"]]
    cards = [s["value"] for s in spans if s["type"] == "CREDIT_CARD"]
    ibans = [s["value"] for s in spans if s["type"] == "IBAN"]
    assert cards
    assert ibans
    assert all(build_fourth.luhn_ok(c) for c in cards)
    assert all(build_fourth.iban_ok(i) for i in ibans)


def test_every_type_the_gateway_labels_is_present() -> None:
    types = {s["type"] for r in _rows() for s in r["spans"]}
    assert types == set(build_fourth.TYPES.values())


def test_the_check_helpers_reject_a_wrong_digit() -> None:
    assert build_fourth.luhn_ok("4539 6781 2345 6787")
    assert not build_fourth.luhn_ok("4539 6781 2345 6788")
    assert build_fourth.iban_ok(build_fourth.with_iban_check("DE?? 5001 0517 5407 8861 20"))
    assert not build_fourth.iban_ok("DE21 5001 0517 5407 8861 20")
