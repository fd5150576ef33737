# ruff: noqa: RUF001  (letters that re.IGNORECASE takes for others, on purpose)
"""A guarded pattern (issue 21, round 14) skips only texts it could not match: the
literals read from its parse tree are in every match, compared as ``re`` compares them
(case, the letters ``re.IGNORECASE`` takes for one another, whole words)."""

from __future__ import annotations

import _sre
import importlib
import re
from pathlib import Path

import pytest

import spark_control_redaction
from spark_control_redaction import prefilter
from spark_control_redaction.prefilter import (
    CASELESS,
    SUBSTRING,
    WORD,
    fold,
    guarded,
    holds,
    needed,
)
from tests.redaction.evalset import build

TRICKY = [
    "İSTANBUL office, ıstanbul, ſecret ſtuff, KELVIN (K) and Straße / STRASSE / ẞ",
    "ΣΟΦΙΑ σοφίας ς ϐ ϑ µ μ ᲀ в, Ǆ ǅ ǆ",
    "order audience DIE Die die-hard les-et LES_ET _der der_ 2der der2",
    "",
    "password: hunter2, Passwort, PASSWORD, pass word, PIN 1234, pin-code",
    "Dear Ann,\nthanks! — Bob\n<alice@example.com> (AL) SMITH, John",
]


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Every compiled pattern at the top of every module of the plugin."""
    found = []
    folder = Path(spark_control_redaction.__file__).parent
    for path in sorted(folder.glob("*.py")):
        module = importlib.import_module(f"spark_control_redaction.{path.stem}")
        for name, value in vars(module).items():
            if isinstance(value, prefilter._Guarded):
                value = value._pattern
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found.append((f"{path.stem}.{name}", value))
    return found


def test_fold_maps_each_group_of_letters_ignorecase_matches_to_one_letter() -> None:
    # re compares by the simple lower case of each letter (_sre.unicode_tolower), some
    # lower-case letters also matching others (re._compiler._EXTRA_CASES): one fold each
    for code in range(0x110000):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        folded = fold(char)
        assert len(folded) == 1, hex(code)
        assert folded == fold(chr(_sre.unicode_tolower(code))), hex(code)
        # a whole word stays a whole word
        assert (char.isalnum() or char == "_") == (folded.isalnum() or folded == "_"), hex(code)
    for lower, others in re._compiler._EXTRA_CASES.items():  # type: ignore[attr-defined]
        group = {chr(c) for c in (lower, *others)}
        if group & prefilter._MIXED:
            continue  # a letter and a mark: never in a caseless literal (below)
        assert {fold(c) for c in group} == {fold(chr(lower))}


def test_no_caseless_literal_holds_a_letter_fold_leaves_apart() -> None:
    for _name, pattern in _patterns():
        for literal, mode in needed(pattern) or ():
            if mode & CASELESS:
                assert not set(literal) & prefilter._MIXED


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"(?i)istanbul", "İSTANBUL"),
        (r"(?i)\bistanbul\b", "İstanbul"),
        (r"(?i)\bsecret\b", "ſecret"),
        (r"(?i)kelvin", "\u212aELVIN"),
        (r"(?i)straße", "STRAẞE"),
        (r"(?i)σοφια", "ΣΟΦΙΑ"),
        (r"(?i)\bσοφιας\b", "σοφιας"),
        (r"(?i)\bσοφια\b", "ΣΟΦΙΑ"),
        (r"(?i)\bσοφια\b", "σοφ\u0345α"),
        (r"(?i)\bder\b", "\u0345der"),
        (r"(?i)в", "ᲀ"),
    ],
)
def test_a_text_matched_in_another_case_is_never_skipped(pattern: str, text: str) -> None:
    compiled = re.compile(pattern)
    assert compiled.search(text)
    assert guarded(compiled).search(text) is not None


def test_literals_read_from_the_parse_tree() -> None:
    assert needed(re.compile(r"\d+")) is None
    assert needed(re.compile(r"(?:ab)?c|d")) == {("c", SUBSTRING), ("d", SUBSTRING)}
    assert needed(re.compile(r"x[ \t]*(?i:Token)=")) == {("token", CASELESS)}
    assert needed(re.compile(r"(?i)(?-i:AB)c")) == {("AB", SUBSTRING)}
    assert needed(re.compile(r"ß|(?i:\b(?:und|der)\b)")) == {
        ("ß", SUBSTRING),
        ("und", WORD | CASELESS),
        ("der", WORD | CASELESS),
    }
    assert needed(re.compile(r"(?<![\w\-])obrigad[oa](?![\w\-])")) == {
        ("obrigado", WORD),
        ("obrigada", WORD),
    }
    # a look-around's literal is not in the match; a repeat that may be absent needs none
    assert needed(re.compile(r"(?<=key)=x?")) == {("=", SUBSTRING)}
    assert needed(re.compile(r"(?:abc)*")) is None
    # "-" is no \w: "mail" is a whole word there
    assert needed(re.compile(r"\b(?:e-mail)\b")) == {("mail", WORD)}
    # characters \w never matches, a line's start and end stand for \b
    assert needed(re.compile(r"(?m)^(?:said|told):")) == {
        ("said", WORD),
        ("told", WORD),
    }
    assert needed(re.compile(r"[ \t]+(?:said|told)$")) == {("said", WORD), ("told", WORD)}
    # "[ \t]*" may be empty: "xsaid" matches, so "said" is no whole word there
    assert needed(re.compile(r"x[ \t]*said[ \t]")) == {("said", SUBSTRING)}
    # under re.ASCII, \b is ASCII's: "der" in "ñder" is a match, so no whole words
    assert needed(re.compile(r"(?a)\bder\b")) == {("der", SUBSTRING)}


def test_whole_words_skip_a_word_inside_another() -> None:
    pattern = guarded(re.compile(r"(?i)\b(?:die|der|das)\b"))
    assert pattern.search("order the audience") is None
    assert pattern.search("Die Katze").group() == "Die"  # type: ignore[union-attr]
    assert pattern.search("a _der b") is None
    assert pattern.search("(DER)") is not None
    ascii_words = guarded(re.compile(r"(?a)\bder\b"))
    assert ascii_words.search("ñder") is not None


def test_guarded_patterns_find_what_the_plain_ones_find() -> None:
    texts = [s.text for s in build("tuned")][:600] + TRICKY
    for name, pattern in _patterns():
        wrapped = guarded(pattern)
        needs = needed(pattern)
        for text in texts:
            if needs is not None and pattern.search(text):
                assert holds(needs, text), (name, text[:80])
            plain = [m.span() for m in pattern.finditer(text)]
            assert [m.span() for m in wrapped.finditer(text)] == plain, name
            assert len(wrapped.findall(text)) == len(plain), name


def test_verdicts_follow_the_text_they_were_made_for() -> None:
    pattern = guarded(re.compile(r"\btoken\b"))
    twin = guarded(re.compile(r"\btoken\b[ \t]*="))  # the same literals, one verdict
    for _ in range(3):
        assert pattern.search("a token here") is not None
        assert twin.search("no such word") is None
        assert twin.search("token = x") is not None
        assert pattern.search("tokens only") is None


def test_a_pattern_that_needs_nothing_is_returned_as_it_is() -> None:
    pattern = re.compile(r"[A-Z]{2,}")
    assert guarded(pattern) is pattern
    wrapped = guarded(re.compile(r"key=(\w+)"))
    assert wrapped.match("key=1") is not None  # what is not a scan goes to the pattern
    assert wrapped.pattern == r"key=(\w+)"
    assert wrapped.groups == 1


def test_positions_are_passed_as_re_takes_them() -> None:
    plain = re.compile(r"\bkey=\w+")
    wrapped = guarded(plain)
    text = "key=a, key=b, key=c"
    assert wrapped.search(text, pos=1).span() == plain.search(text, pos=1).span()  # type: ignore[union-attr]
    assert [m.span() for m in wrapped.finditer(text, 2, 13)] == [
        m.span() for m in plain.finditer(text, 2, 13)
    ]
    assert wrapped.findall(text, endpos=12) == plain.findall(text, endpos=12)
