# ruff: noqa: RUF001  (street words and digits of other scripts on purpose)
"""Postal addresses by their shape, where the model misses the town: a street line with a
house number, then a line with a postal code and the town.

No list of towns or streets: the postal-code line is what makes an address, in the
common formats —

- U.S. and Canada: ``Town, ST 12345`` / ``Town, ON K1A 0B1`` (state or province code);
- United Kingdom: ``Town SW1A 1AA`` (the postcode ends the line), or the town on its own
  line above the postcode;
- continental Europe: ``12345 Town``, ``D-12345 Town``, ``1234 AB Town``, ``00-950 Town``,
  ``1000-001 Town``, ``123 45 Town``, only right after a street (the line above, or the
  same line before a comma), since a number before a capitalised word is common;
- Japan: ``〒123-4567`` and the rest of the line;
- round 6: Russia's ``101000, Town`` (index first), Arabic and Hebrew towns before their
  code under a street line, ``Town - 400001``, street kinds in more languages (Turkish,
  Romanian, Russian, Greek, Arabic, Hebrew, Vietnamese), Vietnamese ``TP. Town``, and
  Chinese, Japanese and Korean addresses by their divisions (prefecture or province,
  then city or ward) when they carry a number.

The town and the street (name and number) become LOCATION; the postal code stays in
clear (it is a region, not a place one lives at).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spark_control_redaction.entities import LOCATION, Span
from spark_control_redaction.prefilter import guarded

# Above the model's guesses it overlaps: the shape of an address is stronger evidence.
RANK_ADDRESS = 26

_UPPER = "A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁΑ-ΩΆ-Ώ"
_WORD = rf"[{_UPPER}][^\W\d_]*(?:['\u2019.][^\W\d_]+)*\.?"
_JOIN = (
    r"(?:[ \-]|-(?:sur|sous|le|la|les|en|lès|am|an|upon|on)-"
    r"| (?:am|an|der|im|bei|sur|sous|de|del|la|le|en|upon|on|di|do|da|dos|das) )"
)
_TOWN = rf"{_WORD}(?:{_JOIN}{_WORD}){{0,3}}"
_STREET_WORD = r"[^\W\d_][\w'\u2019./\-]*"
_HOUSE = r"\d{1,5}[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?)?"
# "221B Baker Street", "12 rue de la Paix", "Musterstraße 12", "Via Roma 5/2", "Calle
# Mayor 3, 2º" (the number first or last, one to six words).
_STREET = re.compile(
    rf"(?:{_HOUSE},? (?:{_STREET_WORD} ){{0,5}}{_STREET_WORD}"
    rf"|(?:{_STREET_WORD} ){{0,4}}{_STREET_WORD},? (?:No\.?:? ?|Nr\.?:? ?|n[º°] ?)?{_HOUSE}"
    rf"(?:,? ?(?:\d{{1,3}}[º°ª]?|[A-Z]))?)"
)
# Words that name a kind of street (whole words, or the end of a compound such as
# "Musterstraße", "Keizersgracht"): what a continental postal line needs above it, since
# "Build 2048" over "12000 Units" has the same shape.
_STREET_KIND = re.compile(
    r"(?i)(?:(?<!\w)c/|\b(?:st|rd|ave?|ln|dr|blvd|ct|pl|sq|pkwy|hwy|bd|av|avda|ul|al|str|"
    r"street|road|avenue|lane|drive|boulevard|way|court|place|square|terrace|close|"
    r"crescent|parkway|highway|row|walk|gardens|mews|rue|chemin|allée|quai|impasse|route|"
    r"via|viale|piazza|corso|largo|vicolo|calle|avenida|plaza|paseo|camino|rua|travessa|"
    r"praça|aleja|ulica|ulice|náměstí|utca|út|tér|strada|cesta|gata|gate|tie|katu|"
    r"cad|cd|caddesi|sok|sk|sokak|sokağı|mah|mahallesi|bulvarı|calea|bulevardul|trg|"
    r"ул|улица|пр|пр-т|проспект|пер|переулок|шоссе|наб|бульвар|б-р|пл|площадь|"
    r"οδός|οδ|λεωφ|λεωφόρος|πλατεία|đường|phố|"
    r"شارع|طريق|ميدان|רחוב|רח|שדרות|שד|דרך)\b"
    r"|(?:straße|strasse|str\.|weg|gasse|platz|allee|damm|ring|ufer|chaussee|straat|laan|"
    r"gracht|plein|kade|singel|dijk|gade|vej|gatan|vägen|veien|katu)(?![^\W\d_]))"
)
# An optional label before an address on its line ("Address: ", "Lieferadresse: ").
_LABEL = re.compile(r"[^\W\d_][\w \-]{0,24}:[ \t]*")

_US_STATES_TEXT = """
    AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE
    NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI
"""
_US_STATES = frozenset(_US_STATES_TEXT.split())
_CA_PROVINCES_TEXT = """
    AB BC MB NB NL NS NT NU ON PE QC SK YT
"""
_CA_PROVINCES = frozenset(_CA_PROVINCES_TEXT.split())
_US = re.compile(
    rf"(?P<town>{_TOWN}),? (?P<st>[A-Z]{{2}})\.? {{1,2}}(?:\d{{5}}(?:-\d{{4}})?|"
    r"[A-Z]\d[A-Z] ?\d[A-Z]\d)(?![\w\-])"
)
_UK_CODE = r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}"
_UK = re.compile(rf"(?P<town>{_TOWN}),? (?:{_UK_CODE})[ \t,.]*(?:$|\n)")
_UK_ALONE = re.compile(rf"[ \t]*{_UK_CODE}[ \t,.]*$")
_TOWN_ALONE = re.compile(rf"[ \t]*(?P<town>{_TOWN})[ \t,]*$")
_EU = re.compile(
    r"(?:[A-Z]{1,2}-)?(?:\d{5}|\d{4}(?: ?[A-Z]{2}(?!\w))?|\d{2}-\d{3}|\d{4}-\d{3}|\d{3} \d{2})"
    rf"[ \t]+(?P<town>{_TOWN})(?![\w\-])"
)
# The whole line is the postal line: a code of five digits (or a lettered or grouped
# form) and the town, or the town and then its code ("Town 12345", "Town, 123456").
_EU_LINE = re.compile(
    r"[ \t]*(?:[A-Z]{1,2}-\d{4,5}|\d{5}|\d{4} ?[A-Z]{2}|\d{2}-\d{3}|\d{4}-\d{3}|\d{3} \d{2})"
    rf"[ \t]+(?P<town>{_TOWN})[ \t,]*"
)
# Towns in a script without capitals (Arabic, Hebrew): one to three words.
_CASELESS_TOWN = r"[\u0590-\u05ff\u0600-\u06ff]+(?:[ \t][\u0590-\u05ff\u0600-\u06ff]+){0,2}"
_TOWN_CODE_LINE = re.compile(
    rf"[ \t]*(?P<town>{_TOWN}|{_CASELESS_TOWN}),?[ \t]+(?:[-\u2013][ \t]*)?"
    r"(?:\d{5,7}|\d{3} \d{2})[ \t,.]*"
)
# Russian order: the six-digit index, then the town ("101000, Москва, ул. …").
_RU_INDEX = re.compile(
    r"(?<![\d\w])\d{6},[ \t]*(?:\u0433\.[ \t]?)?"
    r"(?P<town>[\u0410-\u042f\u0401][\u0430-\u044f\u0451]+(?:-[\u0410-\u044f\u0401\u0451]"
    r"[\u0430-\u044f\u0451]+)*)(?=[ \t]*(?:,|$))",
    re.MULTILINE,
)
# Chinese, Japanese and Korean addresses run from the largest division down: a
# prefecture or province, then a city, ward or county ("…県…市", "…省…市", "…시 …구").
_CJK_ADDRESS = re.compile(
    r"[\u4e00-\u9fff]{1,4}[都道府県省][\u4e00-\u9fff]{1,6}[市区町村郡县][\u4e00-\u9fff\u3040-\u30ff\d\-－丁目番地号]*"
    r"|[\u4e00-\u9fff]{2,4}市[\u4e00-\u9fff]{1,6}区[\u4e00-\u9fff\u3040-\u30ff\d\-－丁目番地号路街]*"
    r"|[\uac00-\ud7af]{1,6}(?:특별시|광역시|특별자치시|도|시)[ \t][\uac00-\ud7af]{1,6}[구군시]"
    r"(?:[ \t][\uac00-\ud7af\d\-]{1,12}(?:로|길|동)(?:[ \t]?\d{1,5}(?:-\d{1,5})?)?)?"
)
_CJK_NUMBER = re.compile(r"[\d０-９]|丁目|番地|号")
# Vietnamese "TP. Hồ Chí Minh", "Thành phố Hà Nội": a word that says "city" first.
_VI_CITY = re.compile(
    r"(?<![^\W\d_])(?:TP\.|Tp\.|Thành phố)[ \t]?(?P<town>[A-ZÀ-ỸĐ][^\W\d_]*"
    r"(?:[ \t][A-ZÀ-ỸĐ][^\W\d_]*){0,3})"
)
# A word that says "town" before its name (Russian "g.", "gor.", "gorod").
_TOWN_MARK = re.compile(
    r"(?<![^\W\d_])(?:\u0433\.|\u0433\u043e\u0440\.|\u0433\u043e\u0440\u043e\u0434)[ \t]?"
    r"(?P<town>[\u0410-\u042f\u0401][\u0430-\u044f\u0451]+"
    r"(?:-[\u0410-\u044f\u0401\u0451][\u0430-\u044f\u0451]+)*)"
)
_JP = re.compile(r"〒[ \t]?\d{3}-?\d{4}[ \t\u3000]*(?P<rest>[^\n]*)")


_DIGIT = re.compile(r"\d")  # what ``\d`` is in the patterns (any decimal digit)


def address_spans(text: str) -> Iterator[Span]:
    """Towns and streets of the postal addresses in ``text``."""
    if not any(c.isdigit() for c in text):
        return
    yield from _postal_lines(text)
    for pattern in (_TOWN_MARK, _RU_INDEX, _VI_CITY):
        for m in pattern.finditer(text):
            yield Span(LOCATION, m.start("town"), m.end("town"), rank=RANK_ADDRESS)
    marked = []
    for m in _JP.finditer(text):
        rest = m.group("rest").rstrip()
        if rest:
            marked.append(Span(LOCATION, m.start("rest"), m.start("rest") + len(rest)))
            yield Span(LOCATION, m.start("rest"), m.start("rest") + len(rest), rank=RANK_ADDRESS)
    for m in _CJK_ADDRESS.finditer(text):
        # A house number or block makes it an address ("都" and "省" are also words).
        found = Span(LOCATION, m.start(), m.end(), rank=RANK_ADDRESS)
        if _CJK_NUMBER.search(m.group()) and not any(found.overlaps(s) for s in marked):
            yield found


def _postal_lines(text: str) -> Iterator[Span]:
    lines = _lines(text)
    for i, (start, line) in enumerate(lines):
        if not _DIGIT.search(line):
            continue  # each pattern ``_towns`` reads needs a digit on the line itself
        for town in _towns(line, _previous(lines, i)):
            yield Span(LOCATION, start + town[0], start + town[1], rank=RANK_ADDRESS)


def _towns(line: str, previous: tuple[int, str] | None) -> Iterator[tuple[int, int]]:
    """Spans (within ``line``, or negative offsets into the line above) to scrub."""
    anglo = list(_anglo_towns(line, previous))
    if anglo:
        yield from anglo
        return
    yield from _continental_towns(line, previous)


def _anglo_towns(line: str, previous: tuple[int, str] | None) -> Iterator[tuple[int, int]]:
    """U.S., Canadian and British postal lines (strong enough without a street above)."""
    found = False
    for m in _US.finditer(line):
        if m.group("st") in _US_STATES or m.group("st") in _CA_PROVINCES:
            found = True
            yield m.span("town")
            yield from _street_before(line, m.start())
    for m in _UK.finditer(line + "\n"):
        found = True
        yield m.span("town")
        yield from _street_before(line, m.start())
    if not found and _UK_ALONE.fullmatch(line) and previous is not None:
        town = _TOWN_ALONE.fullmatch(previous[1])
        if town:
            yield (previous[0] + town.start("town"), previous[0] + town.end("town"))
            return
    if found:
        yield from _street_above(previous)


def _continental_towns(line: str, previous: tuple[int, str] | None) -> Iterator[tuple[int, int]]:
    """``12345 Town`` after a street on the line above, or on the same line after a comma;
    the street must name a kind of street."""
    whole = _EU_LINE.fullmatch(line) or _TOWN_CODE_LINE.fullmatch(line)
    if whole and _street_line(previous) and _street_kind_or_script(previous):
        # A line that is only a postal code and a town, under a street line: an address
        # even when the street does not say "street".
        yield whole.span("town")
        yield from _street_above(previous)
        return
    for m in _EU.finditer(line):
        before = line[: m.start()]
        street_text = before if before.strip() else previous[1] if previous else ""
        if not _street_kind_or_script((0, street_text)):
            continue
        if before.strip() == "" and _street_line(previous):
            yield m.span("town")
            yield from _street_above(previous)
        elif before.rstrip().endswith(","):
            street = list(_street_before(line, m.start()))
            if street:
                yield m.span("town")
                yield from street


def _street_kind_or_script(previous: tuple[int, str] | None) -> bool:
    """A street line that names a kind of street or is written with letters beyond
    ASCII ("Lindenhof 4", "Ermou 25" in Greek): "Build 2048" and "Room 101" are not."""
    line = previous[1] if previous else ""
    return bool(_STREET_KIND.search(line)) or any(c.isalpha() and ord(c) > 127 for c in line)


def _street_before(line: str, end: int) -> Iterator[tuple[int, int]]:
    """The street written before ``end`` on the same line, ending in a comma."""
    head = line[:end].rstrip()
    if not head.endswith(","):
        return
    head = head[:-1]
    for label_end in _label_ends(head):
        m = _STREET.fullmatch(head, label_end)
        if m:
            yield (label_end, len(head))
            return
        # The street is the last comma-separated part ("Name, 12 Main St, Town, ST …").
        comma = head.rfind(", ")
        if comma >= label_end and _STREET.fullmatch(head, comma + 2):
            yield (comma + 2, len(head))
            return


def _street_above(previous: tuple[int, str] | None) -> Iterator[tuple[int, int]]:
    if previous is None:
        return
    offset = previous[0]
    span = _street_line(previous)
    if span:
        yield (offset + span[0], offset + span[1])


def _street_line(previous: tuple[int, str] | None) -> tuple[int, int] | None:
    if previous is None:
        return None
    line = previous[1].rstrip(" \t,\r")
    for label_end in _label_ends(line):
        lead = len(line) - len(line.lstrip(" \t"))
        begin = max(label_end, lead)
        comma = line.rfind(", ")
        for at in (begin, comma + 2) if comma >= begin else (begin,):
            if _STREET.fullmatch(line, at) and any(c.isdigit() for c in line[at:]):
                return (at, len(line))
        # "12 MG Road, Andheri East": the street, then its district.
        first = line.find(", ", begin)
        street = first > begin and _STREET.fullmatch(line, begin, first)
        if street and any(c.isdigit() for c in line[begin:first]):
            return (begin, len(line))
    return None


def _label_ends(line: str) -> tuple[int, ...]:
    label = _LABEL.match(line.lstrip(" \t"))
    lead = len(line) - len(line.lstrip(" \t"))
    return (lead, lead + label.end()) if label else (lead,)


def _lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    start = 0
    for line in text.split("\n"):
        out.append((start, line))
        start += len(line) + 1
    return out


def _previous(lines: list[tuple[int, str]], i: int) -> tuple[int, str] | None:
    """The line above ``lines[i]`` relative to the line's own start (a negative
    offset), or None at the top or after a blank line."""
    if i == 0 or not lines[i - 1][1].strip():
        return None
    return (lines[i - 1][0] - lines[i][0], lines[i - 1][1])


# Patterns that scan whole texts, behind a test of the literals their matches need
# (see prefilter.py): most texts hold none, and the test costs far less than a scan.
_TOWN_MARK = guarded(_TOWN_MARK)
_VI_CITY = guarded(_VI_CITY)
_RU_INDEX = guarded(_RU_INDEX)
