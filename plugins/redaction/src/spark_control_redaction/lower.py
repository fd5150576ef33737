"""People named without capitals (issue 21, round 13): chat, SMS and notes write
"hi sam", "thanks jo", "ask priya", "sam: on my way", "- mike", "cc @priya_k".

The model reads capitals, so a lower-case name is found only by what stands around it:
a greeting or a request that addresses someone, a speaker label that opens several lines
of a conversation, a sign-off on the last line, an ``@handle`` addressed in a message.
Once found, propagation replaces the name's other occurrences in any case. The words
are English words of ordinary usage, written by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spark_control_redaction.entities import PERSON, Span
from spark_control_redaction.names import NOT_NAMES, NOT_SPEAKERS
from spark_control_redaction.prefilter import guarded

# A lower-case word that may be a given name: letters (accented too), an inner
# apostrophe or hyphen; two letters at least ("jo", "kj" are names in chat).
_WORD = r"[a-zà-öø-ÿāăąćčďēęěğīıłńňōőœřśşšţťūůűźżž]{2,20}(?:['\-][a-zà-öø-ÿ]{2,20})?"

# Words that follow a greeting, a thanks or a request and are no one's name: pronouns,
# determiners, prepositions, words for a group or for family, fillers of chat.
_NOT_LOWER_TEXT = """
    a an the all both each every everyone everybody anyone anybody someone somebody
    nobody noone whoever one ones me my mine you u ya ye yall your yours yourself
    yourselves he him his she her hers it its we us our ours they them their theirs
    this that these those there here so for much lot lots again and but or if to too
    of in on at by with from into about around over back up down out off now later
    soon tonight today tomorrow tmrw tmr yesterday then when what how why who where
    which whether anyway though just very really ok okay k kk lol lmao haha omg pls
    plz please thx thanks ty ta cheers sorry hi hey hello yo morning evening night
    guys gang team folks people friends friend mate mates babe hun hon love dear
    darling sweetie sir madam maam boss chief dude bro bruh man lads ladies fam
    everyone's mum mom mam dad pa ma nan nana gran granny grandma grandpa grandad
    auntie aunt uncle sis bro cuz kids kid baby bub bubs darlin class all's
    again, not no yes yeah yep nope maybe sure would could should will shall can
    may might must do does did done is are was were be been am has have had get got
    go going gone come coming let lets let's mind first next last once twice ahead
    in advance everything anything nothing something support admin help desk office
    earlier asap anytime whenever sometime sooner meanwhile
    med rer nat phil jur oec habil dent vet ing
    reception front home work school everyone, bye later, whatever
"""
_NOT_LOWER = frozenset(_NOT_LOWER_TEXT.split()) | NOT_NAMES | NOT_SPEAKERS
# (read by casual_names.py, whose lower-case readers refuse the same words)
NOT_LOWER = _NOT_LOWER

# A greeting, a thanks, an apology or a request that is followed by whom it addresses
# ("hi sunita,", "thanks jo!", "sorry kit", "ask thandiwe", "tell svetlana to").
_CUE = re.compile(
    r"(?<![\w@'\-])(?i:hi|hii+|hey|heya|hiya|hello|yo|oi|morning|evening|"
    r"thanks|thank you|thx|thnx|ty|cheers|sorry|congrats|congratulations|"
    r"happy (?:bday|birthday)|love you|miss you|"
    r"ask|tell|call|ring|text|ping|remind|cc|dear|"
    # a relation written before a name ("call aunt maggie", "uncle fergus")
    r"aunt|auntie|aunty|uncle|cousin|granny|grandma|grandpa|nana|nanna|"
    # a title in lower case ("mr. alvarez", "dr okafor")
    r"mr\.?|mrs\.?|ms\.?|mx\.?|dr\.?|"
    # who writes ("hi its jess from the nursery")
    r"(?:hi|hey|hello),?[ \t]+(?:it'?s|this is|its))"
    rf"[ \t]+(?P<name>{_WORD})(?:[ \t]*(?:\+|&|[ \t]and|[ \t]or)[ \t]+(?P<next>{_WORD}))?"
    r"(?=[ \t]*(?:[,.!?;)\n]|$|[ \t](?:to|if|and|or|u|you|r|ur|"
    r"re|about|for|said|says|has|had|have|is|are|was|wants|will|can|could|did|do|"
    r"just|when|from|here|pls|please|x+)\b))"
)
# Who was there, in lower case: "present priya, jen, tomás; apologies from bea".
_ROSTER = re.compile(
    r"(?<![\w\-])(?i:present|attending|attendees|apologies(?:[ \t]+from)?|absent)[ \t]*:?[ \t]+"
    rf"(?P<list>{_WORD}(?:[ \t]*(?:,|&|\+|[ \t]and)[ \t]*{_WORD})*)(?=[ \t]*(?:[;.\n]|$))"
)
_ROSTER_ITEM = re.compile(_WORD)
_NOUN_BEFORE = re.compile(
    r"(?i:\b(?:the|a|an|your|my|our|his|her|their|that|this|quick|short|phone|video|"
    r"conference|follow-up|group))[ \t]+\Z"
)
# "sam: on my way" (a stamp "[12:01]" before, perhaps) and "<sam> on my way".
_SPEAKER = re.compile(
    rf"(?m)^[ \t]*(?:\[[\d/.\-, :APMapm]{{4,30}}\][ \t]*)?(?:(?P<name>{_WORD}):"
    rf"|<(?P<irc>{_WORD})>)[ \t]+\S"
)
# A sign-off on the last line: "- mike", "-- stellan", "xx becca", "cheers, gav".
_SIGNOFF = re.compile(
    r"(?:^|\n|[.!?][ \t]+)[ \t]*(?:--?|\u2013|\u2014|x+|love|cheers,?|thanks,?|ta,?)"
    rf"[ \t]+(?P<name>{_WORD})[ \t]*[.!]?[ \t]*\Z"
)
# An @handle addressed in a message: after a cue ("cc @ilinca", "thanks @yusuf") or
# opening a line and followed by what is said to it ("@niamh_k did you …").
_HANDLE = r"@(?P<handle>[a-z][a-z0-9_]{1,29}(?:\.[a-z0-9_]{1,29})?)"
_HANDLE_CUED = re.compile(
    r"(?<![\w@])(?:cc|ping|pinging|thanks|thank you|thx|ty|cheers|props to|kudos to|"
    r"shout-?out to|shout out to|congrats|ask|and|or|lol|lmao|haha|hi|hey)"
    rf"[ \t]+{_HANDLE}(?![\w@/(.\-])"
)
_HANDLE_OPENING = re.compile(
    rf"(?m)^[ \t]*{_HANDLE}[ \t,:]+(?:did|do|can|could|are|will|have|is|thanks|pls|please|"
    r"u|you|r)\b"
)
# Handles of a group or a service, not of someone.
_NOT_HANDLES_TEXT = (
    "channel here everyone all team admins admin mods moderators devs staff bot support help"
)
_NOT_HANDLES = frozenset(_NOT_HANDLES_TEXT.split())


def _name_ok(word: str) -> bool:
    return word.casefold() not in _NOT_LOWER


def _cued(text: str) -> Iterator[Span]:
    for m in _CUE.finditer(text):
        # a noun, not a request ("thanks for the call earlier", "a text later")
        if _NOUN_BEFORE.search(text, max(0, m.start() - 20), m.start()):
            continue
        said_who = re.search(r"(?i:it'?s|is)[ \t]+$", text[m.start() : m.start("name")])
        if said_who and not re.match(r"[ \t]+(?:from|here)\b", text[m.end("name") :]):
            continue  # "hi its late, …"
        if m.group("name").islower() and _name_ok(m.group("name")):
            yield Span(PERSON, m.start("name"), m.end("name"))
            # a second name joined to the first ("ask dmitri or svetlana")
            if m.group("next") and _name_ok(m.group("next")):
                yield Span(PERSON, m.start("next"), m.end("next"))


def _roster(text: str) -> Iterator[Span]:
    for m in _ROSTER.finditer(text):
        items = list(_ROSTER_ITEM.finditer(text, m.start("list"), m.end("list")))
        words = [i.group() for i in items if i.group() != "and"]
        # every item a lower-case word that may be a name, or none of them is one
        if words and all(w.islower() and _name_ok(w) for w in words):
            for i in items:
                if i.group() != "and":
                    yield Span(PERSON, i.start(), i.end())


def _speakers(text: str) -> Iterator[Span]:
    """Lower-case speaker labels of a conversation: two speakers at least, one of them
    on two lines, and the labels open half of the lines or more."""
    if ":" not in text and "<" not in text:
        return
    matches = [m for m in _SPEAKER.finditer(text) if _name_ok(m.group("name") or m.group("irc"))]
    if not matches:
        return
    counts: dict[str, int] = {}
    for m in matches:
        key = m.group("name") or m.group("irc")
        counts[key] = counts.get(key, 0) + 1
    lines = sum(1 for line in text.splitlines() if line.strip())
    if len(counts) < 2 or max(counts.values()) < 2 or 2 * len(matches) < lines:
        return
    for m in matches:
        group = "name" if m.group("name") else "irc"
        yield Span(PERSON, m.start(group), m.end(group))


def _signoff(text: str) -> Iterator[Span]:
    tail_at = max(0, len(text) - 60)
    m = _SIGNOFF.search(text, tail_at)
    if m is None:
        return
    word = m.group("name")
    before = text[: m.start("name")]
    # a word the text also writes before is a word ("… it is done.\n- done")
    # (the substring test first: no pattern compiled for a word the text never writes)
    written = word.casefold() in before.casefold() and re.search(
        rf"(?<!\w){re.escape(word)}(?!\w)", before, re.I
    )
    if _name_ok(word) and not written:
        yield Span(PERSON, m.start("name"), m.end("name"))


def _handles(text: str) -> Iterator[Span]:
    if "@" not in text:
        return
    for pattern in (_HANDLE_CUED, _HANDLE_OPENING):
        for m in pattern.finditer(text):
            if m.group("handle").casefold() not in _NOT_HANDLES:
                # the name without its "@", as a mention is labelled
                yield Span(PERSON, m.start("handle"), m.end("handle"))


def lower_names(text: str) -> Iterator[Span]:
    """People a text names in lower case, by what stands around them (module doc)."""
    yield from _cued(text)
    yield from _roster(text)
    yield from _speakers(text)
    yield from _signoff(text)
    yield from _handles(text)


# Patterns that scan whole texts, behind a test of the literals their matches need
# (see prefilter.py): most texts hold none, and the test costs far less than a scan.
_ROSTER = guarded(_ROSTER)
