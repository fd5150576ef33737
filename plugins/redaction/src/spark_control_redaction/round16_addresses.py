# ruff: noqa: RUF001, RUF002  (street words of other scripts on purpose)
"""Round 16: a postal address found by its street part, with or without a postal line.

A street part is a house number beside a word that names a kind of street, in many
languages and in three orders —

- the number first: ``410 W Commerce St``, ``12 rue des Tanneurs``, ``Flat 3, 19 Holloway
  Road``, ``Unit 3/41 Albert St``;
- the kind first, a name, then the number: ``Calle Hortaleza 31``, ``Via Roma 5``,
  ``ul. Długa 14/6``, ``Jl. Kaliurang Km 5``, ``Carrera 15 # 93-47``;
- a name, then the kind (or a compound ending in it), then the number: ``Tartu mnt 18``,
  ``Gneisenaustraße 41``, ``Storgatan 12``, ``Moda Cad. No:88 D:5``;

and Russian ``ул. Name, д. 19, кв. 4`` (``г. Town,`` before it), ``PO Box 318``.

After it, the parts a postal address goes on with are taken too: a flat (``Apt 2B``,
``3º B``), then up to four comma-separated parts that are a postal code and town, a town,
a state or province with its code (``San Antonio, TX 78207``, ``Brunswick VIC 3056``,
``Kadıköy/İstanbul``); on the next line only a part with a postal code. The WHOLE address
is one LOCATION span: a house number with a postal code locates a home, so the postal code
is no longer left in clear.

Guards: a street word alone is nothing (it needs a number beside it and a name word, so
"Road 2 closed", "3 St", "Lane 4" are not addresses); the name words are capitalised
(particles such as "de", "des", "van" aside), so "5 before the Main St" is not one; the
number may not follow a digit, a dot or a colon (versions, times, prices); lines of logs
(a timestamp first, or ``key=value``) are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spark_control_redaction.entities import LOCATION, Span

RANK_STREET_ADDRESS = 26  # as addresses.RANK_ADDRESS: the shape beats the model's guesses

_CAP = r"[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁİŞĞÇ]"
_NAME = rf"{_CAP}[^\W\d_]*(?:['\u2019\-][^\W\d_]+)*(?:\.|(?![^\W\d_]))"
_PARTICLE = (
    r"(?:de la|della|dei|del|des|de|du|dos|das|da|do|di|van|der|den|von|les|la|le)(?![^\W\d_])"
)
# Capitalised words that open a sentence, not a street's name ("The Platz 3 board").
_NOT_NAME = r"(?!(?:The|A|An|This|That|These|Our|My|Your|In|At|On|To|From|For|And|Or)\b)"
_NAMES = rf"{_NOT_NAME}(?:{_NAME}|{_PARTICLE})(?: (?:{_NAME}|{_PARTICLE})){{0,3}}"
_HOUSE = r"(?<![\d.,])\d{1,5}[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?)?(?![\d.,:]\d)"

_EN_KIND = (
    r"(?:St|Street|Rd|Road|Ave|Avenue|Av|Ln|Lane|Dr|Drive|Blvd|Boulevard|Ct|Court|Pl|Place|"
    r"Sq|Square|Ter|Terr|Terrace|Close|Cres|Crescent|Way|Row|Walk|Gardens|Mews|Pkwy|Parkway|"
    r"Hwy|Highway|Cir|Circle|Grove|Lawn|Hill|Rise|Vale|View|Green|Parade|Pde|Esplanade)"
    # a whole word: "St" is not the start of "Street"
    r"(?![^\W\d_])\.?"
)
_KIND_FIRST_AFTER_NUMBER = (
    r"(?:[Rr]ue|[Aa]venue|[Aa]llée|[Ii]mpasse|[Bb]oulevard|[Bb]d|[Cc]hemin|[Pp]lace|[Qq]uai|"
    r"[Rr]oute|[Cc]ours|[Ss]quare|[Rr]ua|[Aa]v\.?)"
)
# "Via" capitalised only: English writes "via Slack 3 times" in lower case.
_KIND_BEFORE_NAME = (
    r"(?:[Cc]alle|C/|[Aa]venida|[Aa]vda\.|Av\.|[Pp]aseo|[Pp]laza|[Cc]amino|Via|[Vv]iale|[Pp]iazza|"
    r"[Cc]orso|[Ll]argo|[Vv]icolo|[Rr]ua|[Tt]ravessa|[Rr]ue|[Aa]venue|[Bb]oulevard|[Ss]trada|"
    r"[Cc]alea|[Bb]ulevardul|[Ss]tr\.|ul\.|ulica|al\.|aleja|os\.|[Jj]l\.|[Jj]alan)"
)
_KIND_AFTER_NAME = (
    r"(?:mnt|tn|pst|gate|gata|gatan|vej|gade|vägen|veien|Gasse|Straße|Strasse|Str\.|Weg|"
    r"Allee|Platz|straat|laan|Cad\.|Cd\.|Caddesi|Sok\.|Sk\.|Sokak|Sokağı|Bulvarı|Blv\.|"
    r"utca|út|tér|katu|tie|ulice|Mah\.)"
)
_COMPOUND = (
    rf"{_CAP}[^\W\d_]{{1,}}?(?:straße|strasse|str\.|weg|gasse|platz|allee|damm|ufer|straat|"
    r"laan|gracht|plein|kade|singel|dijk|gade|vej|gatan|gata|vägen|veien|katu)"
)
_MARKER = r"(?:,? (?:No\.?|Nr\.?|n[º°]|№|Km\.?) ?:? ?|,? |:)"
_UNIT = r"(?:Flat|Apt\.?|Apartment|Unit|Suite|Ste\.?)"
_FLAT_AFTER = (
    rf"(?:,? {_UNIT} ?#?\w{{1,5}}|,? \d{{1,2}}[º°ª]\.?(?: ?[A-Z](?!\w))?"
    r"|(?: D| Daire) ?:? ?\d{1,4}"
    r"|,? (?:кв|корп|стр)\. ?\d{1,4}\w?)"
)

_STREET = re.compile(
    rf"(?P<unit>{_UNIT} ?\d{{1,5}}[A-Za-z]?(?:, ?| |/)|(?:г\. ?{_NAME}, ?))?"
    r"(?P<street>"
    rf"{_HOUSE},? (?:{_NAMES} {_EN_KIND}|{_KIND_FIRST_AFTER_NUMBER} {_NAMES})"
    rf"|{_KIND_BEFORE_NAME} {_NAMES}{_MARKER}{_HOUSE}"
    rf"|{_NAMES} {_KIND_AFTER_NAME}{_MARKER}{_HOUSE}"
    rf"|{_COMPOUND}(?: \d{{1,3}}\.)?{_MARKER}{_HOUSE}"
    rf"|(?:[Cc]arrera|[Cc]alle|[Cc]ra\.?|[Cc]l\.?|[Dd]iagonal|[Tt]ransversal) \d{{1,3}}[A-Z]?"
    r" ?(?:#|No\.?) ?\d{1,3}[A-Z]?-\d{1,3}"
    r"|(?:ул|пр|пр-т|просп|пер|наб|ш|б-р|бул)\. ?[А-ЯЁ][\w\-]*(?: [А-ЯЁа-яё][\w\-]*)?"
    r",? д\. ?\d{1,4}\w?"
    r"|(?:P\.? ?O\.?|Post Office) Box \d{1,6}"
    rf"|(?P<block>\d{{1,4}}(?:-\d{{1,4}}){{2}} {_NAME})"
    r")"
    rf"(?P<flat>{_FLAT_AFTER})*"
)
_WORD = rf"{_CAP}[^\W\d_]*(?:['\u2019.][^\W\d_]+)*\.?"
_TOWN_JOIN = (
    r"(?: |-(?:sur|sous|le|la|les|en|lès|am|an|upon|on|de|du)-|-"
    r"| (?:am|an|der|im|upon|on|de|la|le|sur) )"
)
_TOWN = rf"{_WORD}(?:{_TOWN_JOIN}{_WORD}){{0,3}}(?:-(?:ku|shi|cho|gun))?"
_CODE = (
    r"(?:\d{3}-\d{4}|\d{5}(?:-\d{4})?|\d{4,6}|\d{3} \d{2}|\d{2}-\d{3}|\d{4} ?[A-Z]{2}(?!\w)"
    r"|[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d|[A-Z]\d{2} ?[A-Z\d]{4})"
)
_PART = re.compile(
    r"(?:[A-Z]{1,2}-)?(?:\d{5}|\d{4}(?: ?[A-Z]{2})?|\d{2}-\d{3}|\d{3} \d{2})"
    rf"[ \t]+{_TOWN}"
    rf"|{_TOWN}(?:/{_TOWN})?(?:,? [A-Z]{{2,3}}\.?(?= \d| [A-Z]\d))?(?:,? {_CODE})?(?![\w\-])"
    rf"|[A-Z]{{2,3}}\.? {_CODE}(?![\w\-])"
)
_SEP = re.compile(r",[ \t]*|[ \t]*\n[ \t]*|[ \t]+(?=[A-Z]{2,3}\.? \d|\d{4,5}\b)")
_LOG_LINE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[ T]\d|\w=\S", re.MULTILINE)


# A thing's label or a step of a recipe right before the number: the number is the
# thing's, not a house's ("Order 4471 Park Place", "Parcel 12 …", "Add 3 Sage Green").
_THING_BEFORE = re.compile(
    r"(?i)(?<![^\W\d_])(?:order|parcel|invoice|ticket|item|items|sku|step|table|page|"
    r"chapter|section|version|build|release|qty|quantity|add|take|use|serves|"
    r"batch|lot|case|issue|pr|run|job|rule|line|row|id)[.:#]?[ \t]*$"
)


def street_addresses(text: str) -> Iterator[Span]:
    """Whole postal addresses found by their street part (one LOCATION span each)."""
    if not any(c.isdigit() for c in text):
        return
    for m in _STREET.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start : len(text) if line_end < 0 else line_end]
        if _LOG_LINE.search(line) or (m.group("block") and not m.group("unit")):
            continue  # a block number ("3-7-12 Kitazawa") only after a flat
        if _THING_BEFORE.search(text, max(0, m.start() - 24), m.start()):
            continue  # a thing's number or a quantity ("Order 4471 Park Place shipping")
        yield Span(LOCATION, m.start(), _tail(text, m.end()), rank=RANK_STREET_ADDRESS)


def _tail(text: str, end: int) -> int:
    """Where the address that ends its street part at ``end`` ends: up to four parts
    after it (postal code and town, town, state and code)."""
    for _ in range(4):
        sep = _SEP.match(text, end)
        if not sep:
            break
        part = _PART.match(text, sep.end())
        if not part or not part.group():
            break
        if "\n" in sep.group() and not any(c.isdigit() for c in part.group()):
            break  # a line below joins only with a postal code in it
        end = part.end()
    return end
