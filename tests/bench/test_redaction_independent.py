"""The independent redaction corpus is well formed and in step with its generator, and
its scorer counts leaks, precision and false positives as its docstring says. The
detector's figures are not judged here (see bench/redaction/independent/README.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "bench" / "redaction" / "independent"
sys.path.insert(0, str(HERE))

import build_corpus  # noqa: E402
import score  # noqa: E402


def test_the_committed_corpus_is_what_the_generator_writes() -> None:
    committed = score.load(HERE / "corpus.jsonl")
    keys = ("id", "kind", "negative", "tags", "text", "spans")
    assert committed == [{k: row[k] for k in keys} for row in build_corpus.build()]


def test_every_span_is_its_value_and_negatives_have_none() -> None:
    rows = score.load(HERE / "corpus.jsonl")
    assert len(rows) >= 600
    assert sum(1 for r in rows if r["negative"]) >= 150
    assert len({r["kind"] for r in rows}) >= 15
    for row in rows:
        assert bool(row["spans"]) != row["negative"], row["id"]
        for s in row["spans"]:
            assert row["text"][s["start"] : s["end"]] == s["value"], row["id"]


def _answer(text: str, replaced: list[tuple[int, int, str]]) -> dict[str, Any]:
    out, pos = [], 0
    for n, (start, end, typ) in enumerate(sorted(replaced)):
        out.append(text[pos:start] + f"<{typ}_{n + 1}>")
        pos = end
    out.append(text[pos:])
    ents = [{"type": t, "start": s, "end": e, "placeholder": "x"} for s, e, t in replaced]
    return {"text": "".join(out), "entities": ents, "round_trip": True}


def test_scorer_counts_leaks_precision_and_false_positives() -> None:
    text = "Will Barker said Will will call +44 20 7946 0958 Ext. 2231."
    gold = [
        {"start": 0, "end": 11, "type": "PERSON", "value": "Will Barker"},
        {"start": 17, "end": 21, "type": "PERSON", "value": "Will"},
        {"start": 32, "end": 48, "type": "PHONE", "value": "+44 20 7946 0958"},
        {"start": 54, "end": 58, "type": "PHONE", "value": "2231"},
    ]
    pos_row = {
        "id": "a",
        "kind": "mail",
        "negative": False,
        "tags": ["ambiguous-name", "template_a"],
        "text": text,
        "spans": gold,
    }
    neg_text = "Release 1.2.3 listens on 127.0.0.1."
    neg_row = {"id": "b", "kind": "log", "negative": True, "text": neg_text, "spans": []}
    # Only "Barker" and the number are replaced; "will" (the verb) is replaced too.
    answers = [
        _answer(text, [(5, 11, "PERSON"), (22, 26, "PERSON"), (32, 48, "PHONE")]),
        _answer(neg_text, [(25, 34, "IP_ADDRESS")]),
    ]
    res = score.score([pos_row, neg_row], answers)
    # "Will" is still there verbatim (a capital W: the verb is lower case), so is 2231.
    assert res["verbatim"] == {"PERSON": 1, "PHONE": 1}
    assert res["values"] == {"PERSON": 2, "PHONE": 2}
    # any character: "Will" of the full name, the lone "Will", and the extension
    assert res["spans_leaked"] == {"PERSON": 2, "PHONE": 1}
    assert res["redacted"] == {"PERSON": 2, "PHONE": 1, "IP_ADDRESS": 1}
    assert res["redacted_on_gold"] == {"PERSON": 1, "PHONE": 1}
    assert [line.split(" ")[0] for line in res["negatives_with_fp"]] == ["b"]
    assert res["fp_spans_in_positive_texts"] == ["a PERSON 'will'"]
    assert res["tags"] == {
        "ambiguous-name": {"values": 4, "leaked": 2, "spans": 4, "spans_leaked": 3}
    }
    assert json.dumps(res)  # the --json output is serialisable


def test_verbatim_needs_the_value_unglued() -> None:
    assert score.verbatim_in("Li", "Li said hi")
    assert not score.verbatim_in("Li", "Linux said hi")
    assert score.verbatim_in("李", "李经理")  # no word boundaries in CJK: counted
    assert score.verbatim_in("สมชาย", "คุณสมชายแจ้ง")  # nor in Thai
    assert score.verbatim_in("+44 20 7946 0958", "call +44 20 7946 0958.")


def test_a_word_that_is_also_the_name_is_not_a_leak_by_itself() -> None:
    text = "june will call. Ask will about it."
    gold = [
        {"start": 0, "end": 4, "type": "PERSON", "value": "june"},
        {"start": 20, "end": 24, "type": "PERSON", "value": "will"},
    ]
    row = {"id": "c", "kind": "chat", "negative": False, "text": text, "spans": gold}
    both = score.score([row], [_answer(text, [(0, 4, "PERSON"), (20, 24, "PERSON")])])
    assert both["verbatim"] == {}
    # the name "will" left in clear: two "will"s where the original had one word
    name_left = score.score([row], [_answer(text, [(0, 4, "PERSON")])])
    assert name_left["verbatim"] == {"PERSON": 1}
