# ruff: noqa: RUF001  (letters that re.IGNORECASE takes for others, on purpose)
"""A pattern behind a look-ahead at its first character (issue 21, round 16) finds what
the pattern finds: the class is read from the parse tree and holds every character a
match can start with, compared as ``re`` compares them (case, the letters
``re.IGNORECASE`` takes for one another, ``\\w`` under ``re.ASCII`` or not)."""

from __future__ import annotations

import random
import re

import pytest

from spark_control_redaction import detect, prefilter, round16_speed
from spark_control_redaction.prefilter import first_class, led
from tests.redaction.evalset import build
from tests.redaction.test_prefilter import TRICKY, _patterns

MORE = [
    "Tel.: +49 30 1234567, phone 0412 318 559, ext. 204, x.1234, Ext 77",
    "password = hunter2; PIN: 4821; passcode is 'open sesame'; Kennwort: Geheim1",
    "İstanbul TEL 0212 555 0101 — ſecret KELVIN Kelvin \u212aelvin ΣΟΦΙΑ σοφία",
    "call me on 07700 900123 or text 07700-900-124 (mobile), fax: 020 7946 0958",
    "<PERSON_1> met <EMAIL_2>; \\<PERSON_3> ; Tracking number 1Z999AA10123456784",
    "Dear Dr. Müller,\n\nthanks!\n— Jürgen\n田中さん 김민준 님 이메일 تلفن ٠٩١٢٣٤٥٦٧٨",
]


def test_first_class_read_from_the_parse_tree() -> None:
    assert first_class(re.compile(r"(?i)(?<![^\W\d_])(?:phone|tel)")) == (
        r"(?i:[\U00000070\U00000074])"
    )
    assert first_class(re.compile(r"\bfoo|bar")) == r"(?-i:[\U00000066\U00000062])"
    assert first_class(re.compile(r"(?<!x)[A-Z]\w+")) == r"(?-i:[\U00000041-\U0000005a])"
    assert first_class(re.compile(r"[^\W\d_]+x")) == r"(?-i:[^\W\d\U0000005f])"
    assert first_class(re.compile(r"\d+|-")) == r"(?-i:[\d\U0000002d])"
    # the first character is not shown: a match may be empty, start anywhere, or mix
    # case rules, negated classes or \w of two kinds
    for source in (r"a?b", r".x", r"(?:x|)y", r"(a)?\1", r"(?i:x)y|Z", r"[^a]|b", r"(?a:\w)|\w"):
        assert first_class(re.compile(source)) is None, source
    plain = re.compile(r"a?b")
    assert led(plain) is plain


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"(?i)(?<!\w)(?:istanbul|tel)", "İSTANBUL"),
        (r"(?i)\bsecret\b", "ſecret"),
        (r"(?i)kelvin", "\u212aELVIN"),
        (r"(?i)(?:σοφια|x)", "ΣΟΦΙΑ"),
        (r"(?i)(?:straße|y)", "STRAẞE"),
        (r"(?i)в", "ᲀ"),
        (r"(?a)\w+", "abc"),
        (r"(?x) tel  # a comment\n", "tel"),
    ],
)
def test_a_text_matched_in_another_case_is_still_matched(pattern: str, text: str) -> None:
    compiled = re.compile(pattern)
    assert compiled.search(text) is not None
    assert led(compiled) is not compiled
    assert led(compiled).search(text).span() == compiled.search(text).span()  # type: ignore[union-attr]


def test_every_pattern_of_the_plugin_finds_the_same_behind_its_look_ahead() -> None:
    texts = [s.text for s in build("tuned")][:400] + TRICKY + MORE
    for name, pattern in _patterns():
        fast = led(pattern)
        if fast is pattern:
            continue
        assert fast.groupindex == pattern.groupindex and fast.groups == pattern.groups, name
        for text in texts:
            plain = [(m.span(), m.groups()) for m in pattern.finditer(text)]
            assert [(m.span(), m.groups()) for m in fast.finditer(text)] == plain, name


def test_random_texts_find_the_same_behind_the_look_ahead() -> None:
    rng = random.Random(16)
    alphabet = "aAbBiIİıſsSkK\u212a-_ .:\n0123456789٣+()телTEL"
    sources = [
        r"(?i)(?<![^\W\d_])(?:tel|ist|sk)[\w.]*",
        r"(?<![\w\-])(?:[A-Z]\w|\d{2})",
        r"(?i)\b(?:[ik]+|(?:s\d))",
        r"(?<=:)[a-zı]{2}|\b\d",
        r"(?a)\b\w\d",
    ]
    for source in sources:
        pattern = re.compile(source)
        fast = led(pattern)
        assert fast is not pattern, source
        for _ in range(400):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
            assert [m.span() for m in fast.finditer(text)] == [
                m.span() for m in pattern.finditer(text)
            ], (source, text)


def test_the_measured_patterns_are_the_faster_ones_in_their_modules() -> None:
    assert detect.TOLERANT is not None  # the plugin is loaded: round16_speed has run
    chosen = {*round16_speed._LED, *round16_speed._GUARDED, *round16_speed._BOTH}
    assert len(round16_speed.APPLIED) == len(chosen)
    texts = [s.text for s in build("tuned")][:200] + TRICKY + MORE
    for module, name, before, faster in round16_speed.APPLIED:
        assert getattr(module, name) is faster, name
        assert faster is not before, name
        original = before._pattern if isinstance(before, prefilter._Guarded) else before
        for text in texts:
            plain = [m.span() for m in original.finditer(text)]  # type: ignore[attr-defined]
            assert [m.span() for m in faster.finditer(text)] == plain, name  # type: ignore[attr-defined]
