"""Organisations and places by what the text says around them, where the small model
misses them: "moved to Tartu", "our office in Cluj-Napoca", "Quillon Medical",
"Wexcombe County Council". Word lists written by hand from ordinary English usage."""

from __future__ import annotations

import re
from collections.abc import Iterator

from spark_control_redaction.entities import LOCATION, ORG, Span
from spark_control_redaction.prefilter import guarded

_CAP = r"[A-Z][\w'\u2019]*(?:-[A-Z]?[\w']+)*"
_CAPS = rf"{_CAP}(?: (?:de |da |do |del |la |le |am |upon |on )?{_CAP}){{0,2}}"
# Verbs and nouns after which a capitalised name is a place.
_PLACE_CUE = re.compile(
    r"(?i:\b(?:based|located|headquartered|born|living|lives|live|stationed|situated|"
    r"resides|resident|office|offices|branch|branches|agency|warehouse|site|campus|clinic|"
    r"store|shop|hotel|flight|train|trip|travel(?:ling|ing|led|ed)?|relocat\w*|moved|"
    r"moving|move|arrive[sd]?|arriving|fly(?:ing)?|flew|drive|driving|visit(?:ing|ed)?|"
    r"team|teams)\s+(?:in|to|at|from|near|for)|\bagence de|\bbureau de|\bnach|\bin der "
    r"Nähe von)\s+(?P<name>" + _CAPS + r")"
)
_ORG_HEAD = (
    r"Labs?|Medical|Biotech|Analytics|Systems|Capital|Insurance|Bakery|Hospital|Council|"
    r"Foods|Freight|Logistics|Technologies|Technology|Solutions|Consulting|Partners|Bank|"
    r"Foundation|Stiftung|Institute|Clinic|Pharma|Pharmaceuticals|Software|Networks|"
    r"Ventures|Industries|Airlines|Motors|Energy|Media|Studios|Health|Healthcare|Robotics|"
    r"Dynamics|Semiconductors?|Telecom|Communications|Associates|Agency|Trust|Bancorp|"
    r"Brewery|Restaurant|Hotel|Academy|School|College|Press|Publishing|Shipping|Airways|"
    r"Insights|Security|Services|Works|Markets|Retail|Apparel|Construction|Engineering"
)
ORG_HEADS = tuple(w.casefold() for w in _ORG_HEAD.split("|") if w.isalpha())
_ORG_NAME = re.compile(
    rf"(?<![\w])(?:the )?(?:{_CAP} ){{1,3}}(?:{_ORG_HEAD})(?![\w])"
    rf"|(?<![\w])(?:University|Ministry|Department|Bank|Museum) of(?: the)? {_CAPS}"
)
# Capitalised words that begin sentences and headings, never the first word of a name.
_NOT_FIRST_TEXT = """
    The A An Our Your My Their His Her Its This That These Those Our We I You Please
    Dear Hi Hello Thanks Call Ask Send Mail Note Re Fwd Subject
"""
_NOT_FIRST = frozenset(_NOT_FIRST_TEXT.split())


# Days and months follow "moved to", "flight on" too: a time, not a place.
_TIMES_TEXT = """Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February
    March April May June July August September October November December Today Tomorrow
    Q1 Q2 Q3 Q4 Noon Midnight"""
_TIMES = frozenset(_TIMES_TEXT.split())


def place_spans(text: str) -> Iterator[Span]:
    for m in _PLACE_CUE.finditer(text):
        first = m.group("name").split()[0]
        if first not in _NOT_FIRST and first not in _TIMES:
            yield Span(LOCATION, m.start("name"), m.end("name"))


def org_spans(text: str) -> Iterator[Span]:
    for m in _ORG_NAME.finditer(text):
        value = m.group()
        first = value.split()[0]
        start = m.start()
        if first in _NOT_FIRST or first == "the":
            start += len(first) + 1
            if start >= m.end():
                continue
        yield Span(ORG, start, m.end(), rank=RANK_ORG_CUE)


RANK_ORG_CUE = 24  # above the model's guesses, below every validated rule


# Patterns that scan whole texts, behind a test of the literals their matches need
# (see prefilter.py): most texts hold none, and the test costs far less than a scan.
_PLACE_CUE = guarded(_PLACE_CUE)
