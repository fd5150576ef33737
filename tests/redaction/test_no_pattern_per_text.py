"""The passes after NER compile no regular expression per text (issue 21, speed round 9):
libphonenumber keeps its metadata's patterns, and the words of a text are looked for
with ``str`` methods, or behind a substring test, where a pattern per word was compiled
before. Each shortcut is checked against the pattern it stands for."""

from __future__ import annotations

import re
import string
import sys
from collections.abc import Iterator

import pytest

from spark_control_redaction import evidence
from spark_control_redaction.detect import Lists, _caseless, detect_sync, email_names
from spark_control_redaction.entities import DETECTABLE_TYPES, ORG, PERSON, Span
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.phonebook import DEFAULT_REGIONS, library_phones

TYPES = frozenset(DETECTABLE_TYPES)


def _texts(name: str, local: str, product: str, last: str) -> list[str]:
    """Texts whose words a pattern per word was compiled for (an address's local part,
    a product's name, a text's last word), none written a second time."""
    return [
        f"Hi,\n\nthe {product} build broke. Write to {local}@example.com or "
        f"{name}.kowal@example.org, +44 20 7946 0958.\n\nthanks\n\n{last.title()}",
        f"{product} crashed again: see the log of {local}@example.net.",
    ]


WARM = _texts("maria", "ops.lead", "Vexlor", "bruno")
FRESH = _texts("tomasz", "qa.team", "Quintel", "quentin")


def _ner(text: str, product: str) -> list[Span]:
    """The model's reading of the product's name, as an organisation."""
    return [Span(ORG, m.start(), m.end()) for m in re.finditer(product, text)]


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every pattern compiled while the test runs (``re``'s cache hits are not)."""
    seen: list[str] = []
    compile_ = re._compiler.compile  # type: ignore[attr-defined]

    def counting(pattern: str, flags: int = 0) -> object:
        seen.append(str(pattern))
        return compile_(pattern, flags)

    monkeypatch.setattr(re._compiler, "compile", counting)  # type: ignore[attr-defined]
    return seen


def test_new_words_compile_no_pattern(compiles: list[str]) -> None:
    lists = Lists()
    for text in WARM:
        detect_sync(text, _ner(text, "Vexlor"), Mapping(), lists, TYPES)
    fresh = [(text, _ner(text, "Quintel")) for text in FRESH]
    compiles.clear()
    for text, ner in fresh:
        found = detect_sync(text, ner, Mapping(), lists, TYPES)
        assert found  # (the texts do hold personal data)
    assert compiles == []


def test_phone_library_keeps_its_patterns(compiles: list[str]) -> None:
    text = "Call +44 20 7946 0958, 020 7946 0958 or (415) 555-0134 x12."
    first = [(s.start, s.end) for s in library_phones(text, DEFAULT_REGIONS)]
    re.purge()  # what any other code's patterns do to ``re``'s cache of 512
    compiles.clear()
    assert [(s.start, s.end) for s in library_phones(text, DEFAULT_REGIONS)] == first
    assert first and compiles == []


def _all_characters() -> str:
    return "".join(map(chr, range(sys.maxunicode + 1)))


def test_caseless_holds_every_character_that_case_insensitive_ascii_matches() -> None:
    every = _all_characters()
    for char in string.ascii_lowercase + " ,":
        matched = re.findall(f"(?i){re.escape(char)}", every)
        assert matched and all(_caseless(c) == char for c in matched), char
        # (and in a longer text, where one character lower-cased into two shifts the rest)
        assert all(char in _caseless(f"\u0130{c}\u0130") for c in matched)


def test_email_names_find_a_name_written_with_look_alike_letters() -> None:
    # (?i) reads the dotless and the dotted i and the long s as "i" and "s": the
    # substring test must not drop them.
    for written in ("Maria S\u0131lva", "MAR\u0130A S\u0130LVA", "Maria \u017filva", "Maria Silva"):
        text = f"From maria.silva@example.com\n{written} called."
        start = text.index(written)
        assert any(
            s.type == PERSON and (s.start, s.end) == (start, start + len(written))
            for s in email_names(text, [])
        ), written


def _reference_mentions(text: str, word: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(rf"(?<![\w.\-]){re.escape(word)}(?![\w\-])", text)]


MENTION_TEXTS = [
    "Hugo hugo Hugo. .Hugo -Hugo Hugo- Hugo_ _Hugo xHugo Hugox Hugo2 2Hugo Hugo.x éHugo Hugoé",
    "HugoHugo Hugo Hugo,Hugo/Hugo ²Hugo Hugo² ٣Hugo Hugo٣ Hugo\nHugo",
    "aaa aa aaaa a aa-aa aa.aa",
    "",
]


@pytest.mark.parametrize("text", MENTION_TEXTS)
@pytest.mark.parametrize("word", ["Hugo", "aa", "a", "Hugo Hugo"])
def test_mentions_are_what_the_pattern_finds(text: str, word: str) -> None:
    assert list(evidence._mentions(text, word)) == _reference_mentions(text, word)


def test_word_tests_are_the_classes_of_the_pattern() -> None:
    every = _all_characters()
    assert {c for c in every if evidence._word_dot_or_dash(c)} == set(re.findall(r"[\w.\-]", every))
    assert {c for c in every if evidence._word_or_dash(c)} == set(re.findall(r"[\w\-]", every))


def _reference_beside(text: str, word: str) -> bool:
    """``_beside_a_product`` as it was: one pattern compiled per word."""
    w = re.escape(word)
    pattern = re.compile(
        rf"(?<![\w.\-])(?:{w}{evidence._JOINED}(?P<after>{evidence._PRODUCT_WORD})|"
        rf"(?P<before>{evidence._PRODUCT_WORD}){evidence._JOINED}{w})(?![\w\-])"
    )
    for m in pattern.finditer(text):
        other = m.group("after") or m.group("before")
        if other == word:
            continue
        end = m.end("after") if m.group("after") else m.end("before")
        if evidence._product_by_itself(text, other, end):
            return True
    return False


JOINS = [", ", ",", " , and ", ",or ", " and ", " or ", " to ", " vs ", " vs. ", " versus ",
         "/", " / ", "\t,\t", " " * 45 + "and ", "," + " " * 45, "," + "\t" * 41 + "or ",
         " andx ", " ", "-", " & "]  # fmt: skip
PRODUCTS = ["FastAPI", "Redis 7.2", "Vite", "Pydantic", "Nginx v1", "`use_consul`"]


def _beside_texts() -> Iterator[tuple[str, str]]:
    for join in JOINS:
        for product in PRODUCTS:
            for word in ("Consul", "Alice"):
                yield f"from {word}{join}{product} today", word
                yield f"from {product}{join}{word} today", word
                yield f"{product}{join}{word}", word
                yield f"use_consul: {word}{join}{product}-x and {word}", word


@pytest.mark.parametrize(("text", "word"), list(_beside_texts()))
def test_beside_a_product_decides_as_the_pattern_per_word(text: str, word: str) -> None:
    evidence._beside_a_product.cache_clear()
    expected = _reference_beside(text, word)
    assert evidence._beside_a_product(text, word) == expected
    if expected:  # the test before the pattern never rules out a match
        assert evidence._maybe_beside(text, word)
