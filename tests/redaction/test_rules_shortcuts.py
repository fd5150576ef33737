"""The shortcuts of the passes after NER (issue 21, round 7) find what the plain scans
they replace find: known values found without a pattern per text, greetings behind a
look-ahead at their first letters, scans skipped when a character they need is absent."""

from __future__ import annotations

import re
from re import _constants as _c
from re import _parser
from typing import Any

import pytest

from spark_control_redaction import names, rules
from spark_control_redaction.addresses import address_spans
from spark_control_redaction.detect import Lists, _occurrences, _words_pattern, detect_sync
from spark_control_redaction.entities import DETECTABLE_TYPES, PERSON, Span
from spark_control_redaction.forms import fold_latin
from spark_control_redaction.mapping import Mapping

VALUES = {
    "Ann": PERSON, "Anna": PERSON, "Anna Lee": PERSON, "Lee": PERSON, "AL": PERSON,
    "José García": PERSON, "王伟": PERSON, "a.b": "CUSTOM", "x_1": "CUSTOM", "-7-": "CUSTOM",
    "aa": "CUSTOM", "Ann-Marie": PERSON,
}  # fmt: skip
TEXTS = [
    "Anna Lee met Ann, then Anna; Lee's desk. ANN annA Anna_Lee Anna-Lee AL",
    "Jose Garcia and José García wrote to 王伟先生 and 我和王伟.",
    "aaa aa aaaa a.b a.bc xa.b x_1 x_12 _x_1 -7- 1-7-2 Ann-Marie Ann-Mariel",
    "",
    "nothing known here",
]


def reference(text: str, values: dict[str, str]) -> list[Span]:
    """What the pattern of all wanted values finds (the code before round 7)."""
    folded = fold_latin(text)
    wanted: dict[str, str] = {}
    for v, t in values.items():
        if (len(v.strip()) >= 2 or re.fullmatch("[\u4e00-\u9fff]", v)) and fold_latin(v) in folded:
            wanted.setdefault(fold_latin(v), t)
    pattern = _words_pattern(wanted)
    if pattern is None:
        return []
    return [Span(wanted[m.group()], m.start(), m.end()) for m in pattern.finditer(folded)]


@pytest.mark.parametrize("text", TEXTS)
def test_known_values_found_as_the_pattern_finds_them(text: str) -> None:
    found = _occurrences(text, VALUES)
    assert found == reference(text, VALUES)
    if text.startswith("Anna Lee"):  # longest value first, whole words only
        assert [text[s.start : s.end] for s in found][:3] == ["Anna Lee", "Ann", "Anna"]


def test_greetings_behind_the_look_ahead_match_as_before() -> None:
    plain = re.compile(
        rf"(?<![^\W\d_])(?i:{names._BEFORE})[,:!]?[ \u00a0]+{names._TITLE}"
        rf"(?P<name>{names._NAME_WORDS})"
    )
    greetings = [g.replace("\\", "").rstrip("?") for g in re.findall(r"[^|()?:]+", names._BEFORE)]
    text = "\n".join(
        f"{g}, Maria Silva. {g.upper()} Иван Петров x{g} Bob" for g in greetings if g.strip()
    )
    assert len(text) > 5000
    assert names._first_letters(names._BEFORE)  # the look-ahead is in use
    ours = [m.span("name") for m in names._GREETING.finditer(text)]
    assert ours == [m.span("name") for m in plain.finditer(text)]
    assert len(ours) > 100


def test_first_letters_falls_back_when_an_alternative_starts_otherwise() -> None:
    assert names._first_letters("Dear|Hi|Dr\\.?|Szanown[ay](?: Pan(?:ie|i))?") == "[DHS]"
    assert names._first_letters("Dear|(?:Hi)") == ""
    assert names._first_letters("Dear|\\.x") == ""


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Dear 王伟先生, see 李娜女士.", ["王伟", "李娜"]),
        ('From: "Jane Roe" <jane@example.org>', ["Jane Roe"]),
        ("ping @alice.roe about it", ["alice.roe"]),
    ],
)
def test_scans_still_run_when_their_character_is_there(text: str, found: list[str]) -> None:
    spans = detect_sync(text, [], Mapping(), Lists(), frozenset(DETECTABLE_TYPES))
    people = [text[s.start : s.end] for s in spans if s.type == PERSON]
    assert all(name in people for name in found), people


def test_postal_line_under_a_street_line_without_digits() -> None:
    text = "Alice Roe\nMusterstraße 12\n10115 Berlin\nGermany"
    towns = [text[s.start : s.end] for s in address_spans(text)]
    assert "Berlin" in towns and "Musterstraße 12" in towns


# --- round 11: the known secrets' shapes behind a look-ahead at their first characters --


def _first_atoms(items: Any) -> set[str]:
    """What the parsed regex ``items`` can start with: characters, or "\\d" for any
    decimal digit; a ValueError when it could start otherwise (an optional start, a
    class of another kind), so that a new shape of unknown start fails the test."""
    for op, av in items:
        if op is _c.AT:
            continue  # \b: zero-width, the next item decides
        if op is _c.LITERAL:
            return {chr(av)}
        if op is _c.IN:
            out: set[str] = set()
            for kind, value in av:
                if kind is _c.LITERAL:
                    out.add(chr(value))
                elif kind is _c.RANGE:
                    out |= {chr(c) for c in range(value[0], value[1] + 1)}
                elif kind is _c.CATEGORY and value is _c.CATEGORY_DIGIT:
                    out.add("\\d")
                else:
                    raise ValueError(f"a class of kind {kind}")
            return out
        if op is _c.SUBPATTERN:
            return _first_atoms(av[-1])
        if op is _c.BRANCH:
            return set().union(*(_first_atoms(branch) for branch in av[1]))
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            return _first_atoms(av[2])
        raise ValueError(f"a start of kind {op}")
    raise ValueError("an empty shape")


def test_the_known_secrets_look_ahead_holds_every_shapes_first_character() -> None:
    allowed = _first_atoms(_parser.parse(rules._KNOWN_FIRST))
    # \d, not 0-9: a shape that starts with \d also starts with other scripts' digits.
    assert "\\d" in allowed
    for shape in rules._KNOWN_SECRET_SHAPES:
        assert _first_atoms(_parser.parse(shape)) <= allowed, shape


def test_the_known_secrets_look_ahead_finds_what_the_plain_alternation_finds() -> None:
    plain = re.compile("|".join(rules._KNOWN_SECRET_SHAPES))
    digits = "١٢٣٤٥٦٧٨٩"  # Arabic-Indic: \d matches them too
    texts = [
        "key sk-proj-" + "a" * 24 + " and ghp_" + "B" * 36 + ", AKIA" + "Q" * 16,
        "whsec_" + "x1" * 10 + " LTAI" + "k" * 16 + " xapp-" + "9" * 20,
        digits + ":AA" + "z" * 33 + " 123456789:AA" + "Y" * 33,
        "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----",
        "no key here, only words and 12345678 numbers",
    ]
    for text in texts:
        ours = [m.span() for m in rules._KNOWN_SECRETS.finditer(text)]
        assert ours == [m.span() for m in plain.finditer(text)], text
    assert sum(len(list(rules._KNOWN_SECRETS.finditer(t))) for t in texts) >= 7
