"""The third frozen check set of issue 21 (bench/redaction/third/) is what its build script
writes from the hand-written texts, and its labels hold: every span is its value, every
card passes Luhn, every IBAN passes mod 97. The detector's figures on it are not judged
here (the set is scored once, as a summary, by the lead)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "bench" / "redaction" / "third"
sys.path.insert(0, str(HERE))

import build_third  # noqa: E402

TYPES = {
    "PERSON",
    "ORG",
    "LOCATION",
    "EMAIL",
    "PHONE",
    "CREDIT_CARD",
    "SSN",
    "IBAN",
    "IP_ADDRESS",
    "URL",
    "MAC_ADDRESS",
    "SECRET",
}


def _rows() -> list[dict[str, Any]]:
    text = (HERE / "third.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line]


def _luhn(number: str) -> bool:
    total = 0
    for i, c in enumerate(reversed([c for c in number if c.isdigit()])):
        d = int(c) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _mod97(iban: str) -> bool:
    s = "".join(c for c in iban if not c.isspace())
    return int("".join(str(int(c, 36)) for c in s[4:] + s[:4])) % 97 == 1


def test_the_committed_set_is_what_the_build_script_writes() -> None:
    assert _rows() == build_third.build()


def test_the_set_has_its_size_and_every_type() -> None:
    rows = _rows()
    assert len(rows) >= 300
    assert sum(1 for r in rows if r["negative"]) >= 75
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({r["text"] for r in rows}) == len(rows)
    assert {s["type"] for r in rows for s in r["spans"]} == TYPES


def test_every_span_is_its_value_and_negatives_have_none() -> None:
    for row in _rows():
        assert bool(row["spans"]) != row["negative"], row["id"]
        for s in row["spans"]:
            assert row["text"][s["start"] : s["end"]] == s["value"], row["id"]


def test_cards_pass_luhn_and_ibans_pass_mod_97() -> None:
    spans = [s for r in _rows() for s in r["spans"]]
    cards = [s["value"] for s in spans if s["type"] == "CREDIT_CARD"]
    ibans = [s["value"] for s in spans if s["type"] == "IBAN"]
    assert cards and ibans
    assert all(_luhn(v) for v in cards), cards
    assert all(_mod97(v) for v in ibans), ibans
