"""People named by who they are to someone (issue 21, round 12): "my daughter Ines",
"her husband Arvid", "the twins, Saoirse and Cillian", "Matteo, son of Lorenzo"; and by
the part they have in a club, a school or an event: "Treasurer - Ingrid Paulsen",
"Referee: Szymański".

Everyday texts (cards, notices, parish and school letters, chat) name family, friends
and neighbours by a word of relation and a given name the model often misses or calls
a place. The words are English words of ordinary usage, written by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spark_control_redaction.entities import PERSON, Span
from spark_control_redaction.names import CAP_WORD
from spark_control_redaction.people import name_word_ok
from spark_control_redaction.prefilter import guarded

# Who someone is to the writer or to another person. Not "partner", "manager", "boss",
# "client": those are as often a company or a role's holder named by a product.
_RELATION = (
    r"son|daughter|wife|husband|fianc[ée]e?|boyfriend|girlfriend|mum|mom|mother|dad|"
    r"father|sister|brother|sibling|grandson|granddaughter|grandchild|grandmother|"
    r"grandfather|grandma|grandpa|granny|gran|nan|nana|niece|nephew|cousin|aunt|auntie|"
    r"uncle|stepson|stepdaughter|stepmother|stepfather|godson|goddaughter|godmother|"
    r"godfather|friend|neighbou?r|colleague|flatmate|roommate|housemate|classmate|"
    r"teammate|baby|child|kid"
)
# A group of them, after "the" as well ("the twins, Saoirse and Cillian").
_GROUP = r"twins|triplets|kids|children|boys|girls|grandchildren|grandkids"
_OWNER = r"my|our|his|her|their|your"
_AGE = r"little|big|older|younger|eldest|oldest|youngest|late|dear|best|new|old|twin"
_NAME = rf"{CAP_WORD}(?:[ \t]{CAP_WORD})?"
_NAMES = rf"(?P<names>{_NAME}(?:[ \t]*(?:,|,?[ \t]+and|[ \t]*&)[ \t]+{_NAME})*)"
_KIN = re.compile(
    rf"(?i:\b(?:(?:{_OWNER})[ \t]+(?:(?:{_AGE})[ \t]+)?(?:(?:{_RELATION})s?|{_GROUP})"
    rf"|the[ \t]+(?:{_GROUP}))),?[ \t]+\(?{_NAMES}"
)
# "Matteo, son of Lorenzo": the one named before the relation, and the one after it.
_OF = r"son|daughter|wife|husband|widow|widower|mother|father|grandson|granddaughter"
_OF_KIN = re.compile(
    rf"(?:(?P<child>{_NAME}),[ \t]+)?(?i:\b(?:{_OF}))[ \t]+of[ \t]+(?:the[ \t]+late[ \t]+)?"
    rf"(?P<parent>{_NAME})"
)
_ONE = re.compile(_NAME)
# The parts people have in clubs, committees, schools, teams and ceremonies, as a label
# at a line's or an item's start, the names to the item's end. Not "host", "driver",
# "editor", "director", "coach": those label machines, programs and vehicles as often.
_ROLES = (
    r"chair|chairman|chairwoman|chairperson|vice[- ]chair|treasurer|secretary|president|"
    r"vice[- ]president|captain|vice[- ]captain|referee|"
    r"umpire|linesman|linesmen|quizmaster|organist|conductor|choirmaster|invigilator|"
    r"class teacher|form tutor|headteacher|head teacher|buddy|mentor|executor|landlord|"
    r"landlady|best man|maid of honou?r|officiant|celebrant|caretaker|physio|midwife"
)
_ROLE = re.compile(
    rf"(?m)(?:^|(?<=[;(:.!?])|(?<=[;(:.!?][ \t]))[ \t]*(?i:{_ROLES})"
    r"[ \t]*(?:[:\uff1a]|[ \t][-\u2013\u2014])"
    rf"[ \t]*(?P<names>{_NAME}(?:[ \t]*(?:,|[ \t]+and|[ \t]*&)[ \t]+{_NAME})*)"
    r"(?=[ \t]*(?:$|[.;,()|]|[-\u2013\u2014][ \t]))"
)


def _names(text: str, start: int, end: int) -> Iterator[Span]:
    for m in _ONE.finditer(text, start, end):
        words = m.group().split()
        # a second word may be a family name; one that is no name ends the name
        keep = [words[0]] if name_word_ok(words[0], text) else []
        if keep and len(words) > 1 and name_word_ok(words[1], text):
            keep.append(words[1])
        if keep:
            yield Span(PERSON, m.start(), m.start() + len(" ".join(keep)))


def kin_names(text: str) -> Iterator[Span]:
    """Names that follow a word of relation ("our son Tomás", "my cousin Oluwadamilare",
    "the kids (Aled, Nerys and Twm)"), stand either side of "son of", or follow a role
    that labels a line or an item ("Secretary - Marek Dvořák", "Referee: Szymański")."""
    for m in _KIN.finditer(text):
        yield from _names(text, m.start("names"), m.end("names"))
    for m in _ROLE.finditer(text):
        yield from _names(text, m.start("names"), m.end("names"))
    for m in _OF_KIN.finditer(text):
        for group in ("child", "parent"):
            if m.group(group):
                yield from _names(text, m.start(group), m.end(group))


# Patterns that scan whole texts, behind a test of the literals their matches need
# (see prefilter.py): most texts hold none, and the test costs far less than a scan.
_OF_KIN = guarded(_OF_KIN)
_ROLE = guarded(_ROLE)
