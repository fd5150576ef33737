# ruff: noqa: RUF001, RUF003  (endings and prefixes in Cyrillic, Greek, Arabic and Hebrew on purpose)
"""More surface forms of a name word, by the grammar of its script (issue 21, round 6).

A name found once in a text is that person wherever the text writes it again, but many
languages change the written word: Russian and Ukrainian decline names ("Иван" → "Ивана",
"Ивану"), Greek too ("Γιώργος" → "Γιώργο", "Γιώργου"), Arabic and Hebrew glue a
conjunction or preposition onto the next word ("وأحمد" "and Ahmed", "לדוד" "to David"),
German umlauts are written out ("Müller" → "Mueller"), and a double family name is
often shortened to one part ("Ruiz-Picasso" → "Ruiz"). The endings and prefixes here are
those of the languages' ordinary grammar, written by hand; no name list.
"""

from __future__ import annotations

import re
import unicodedata

# Russian and Ukrainian case endings, by how the nominative ends (the ending replaced).
_CYRILLIC_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ий", ("ого", "ому", "им", "ом", "ия", "ию", "ием", "ии")),
    ("ый", ("ого", "ому", "ым", "ом")),
    ("ая", ("ой", "ую")),
    ("а", ("ы", "и", "е", "у", "ой", "ою", "і")),
    ("я", ("и", "е", "ю", "ей", "ею", "ї")),
    ("й", ("я", "ю", "ем", "е", "ї")),
    ("ь", ("я", "ю", "ем", "е", "и")),
    # a consonant ("Иван", "Петров", "Шевчук")
    ("", ("а", "у", "ом", "е", "ым", "ові", "ем")),
)

# Greek: masculine -ος/-ης/-ας, feminine -α/-η (accents stay where they are).
_GREEK_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ος", ("ο", "ου", "ε")),
    ("ός", ("ό", "ού", "έ")),
    ("ης", ("η",)),
    ("ής", ("ή",)),
    ("ας", ("α",)),
    ("άς", ("ά",)),
    ("α", ("ας",)),
    ("ά", ("άς",)),
    ("η", ("ης",)),
    ("ή", ("ής",)),
)
# One-letter words glued before a noun: Arabic "and", "so", "with", "for", "like" (and
# "for the"); Hebrew "and", "the", "in", "to", "from", "that", "as".
_ARABIC_PREFIXES = ("و", "ف", "ب", "ل", "ك", "لل", "وب", "ول")
_HEBREW_PREFIXES = ("ו", "ה", "ב", "ל", "מ", "ש", "כ", "וה", "ול", "וב", "שה", "מה")
_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)

_CYRILLIC = re.compile(r"^[\u0400-\u04ff'\-]+$")
_GREEK = re.compile(r"^[\u0370-\u03ff\u1f00-\u1fff'\-]+$")
_ARABIC = re.compile(r"^[\u0600-\u06ff]+$")
_HEBREW = re.compile(r"^[\u0590-\u05ff]+$")


def _inflected(word: str, endings: tuple[tuple[str, tuple[str, ...]], ...]) -> set[str]:
    """``word`` with each case ending of the first rule whose nominative ending it has."""
    low = word.lower()
    # Names ending in another vowel ("Шевченко") do not decline.
    if endings is _CYRILLIC_ENDINGS and low[-1] in "еёиоуыэюіїє":
        return set()
    for ending, others in endings:
        if low.endswith(ending) and len(low) - len(ending) >= 2:
            stem = word[: len(word) - len(ending)] if ending else word
            return {stem + other for other in others}
    return set()


def word_forms(word: str) -> set[str]:
    """Other ways a language writes the name word ``word`` (see the module's text)."""
    if len(word) < 3:
        return set()
    forms: set[str] = set()
    if _CYRILLIC.match(word):
        forms |= _inflected(word, _CYRILLIC_ENDINGS)
    elif _GREEK.match(word):
        forms |= _inflected(word, _GREEK_ENDINGS)
    elif _ARABIC.match(word):
        forms |= {p + word for p in _ARABIC_PREFIXES}
    elif _HEBREW.match(word):
        forms |= {p + word for p in _HEBREW_PREFIXES}
    else:
        written_out = word.translate(_UMLAUTS)
        if written_out != word:
            forms.add(written_out)
        # "Ruiz-Picasso", "Lloyd-Jones": each part of a double name alone.
        if "-" in word:
            forms |= {p for p in word.split("-") if len(p) >= 3 and p[0].isupper()}
    return forms


def _latin_base(char: str) -> str:
    """A Latin letter without its accent ("é" → "e"), any other character as it is."""
    if "\u00c0" <= char <= "\u024f" or "\u1e00" <= char <= "\u1eff":
        base = unicodedata.normalize("NFD", char)[0]
        return base if base.isascii() else char
    return char


def fold_latin(text: str) -> str:
    """``text`` with the accents of Latin letters dropped, one character for one (so
    that offsets stay those of ``text``; other scripts are left alone: Hangul would
    decompose into its first consonant)."""
    if text.isascii():
        return text
    return "".join(_latin_base(c) if ord(c) > 127 else c for c in text)
