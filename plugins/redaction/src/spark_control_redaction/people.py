"""People found by what the sentence says they do or own, and by the words next to a
name already found (issue 21, round 6).

- A capitalised word that is the subject of a verb of speech or of handling a request
  ("Femi answered the first one", "Drew read the card out"): tickets and chat name the
  person who acted, and the model misses first names that are also words.
- A name before a possessive and a noun of a person's belongings or relations
  ("Adeyemi's queue", "Ruiz-Picasso's deputy").
- A found name widened by its neighbours: an initial before it ("M." of "M.
  Echeverría"), a capitalised given name before a family name ("Ana" of "Ana
  Ruiz-Picasso").

The verbs and nouns are English words of ordinary usage, written by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from spark_control_redaction.entities import PERSON, Span
from spark_control_redaction.names import (
    CAP_WORD,
    CUE_WORDS,
    NOT_NAMES,
    NOT_SPEAKERS,
    WORD_NAMES,
)
from spark_control_redaction.prefilter import guarded

_ACT_VERBS = (
    r"answered|replied|wrote|said|asked|called|phoned|rang|emailed|e-mailed|texted|"
    r"messaged|told|confirmed|agreed|promised|mentioned|explained|approved|signed|"
    r"read|forwarded|handled|thanked|apologi[sz]ed|complained|requested|suggested|"
    r"insisted|offered|noted|spoke|says|writes|asks|replies|confirms|agrees|will call|"
    r"will send|will sign|is on leave|is out|is away|has left|has joined|"
    # round 8: what people do in tickets and chat (not what a program does: "restarted",
    # "deployed", "failed" are a service's verbs as much as a person's)
    r"reviewed|fixed|joined|booked|cancelled|canceled|paid|owes|thinks|knows|feels|"
    r"wants|needs|prefers|noticed|reported|escalated|promised|decided|volunteered|"
    r"shared|sent|took|is off|is sick|is back|is travelling|is traveling|is presenting|"
    r"will handle|will take|will check|will review|will join|will follow|will be back|"
    r"can't make|cannot make|couldn't|won't be|isn't|wasn't|has asked|had asked|"
    r"has agreed|was right|left early|dialled in|dialed in"
)
# The subject: one capitalised word at a sentence's or a clause's start.
_ACTOR = re.compile(
    rf"(?:^|(?<=[.!?;]\s)|(?<=\n)|(?<=\bthen\s)|(?<=\band\s)|(?<=\bbut\s)|(?<=:\s))"
    rf"(?P<name>{CAP_WORD}(?:[ \t]{CAP_WORD})?)[ \t]+(?:{_ACT_VERBS})\b"
)
_BELONGINGS = (
    r"queue|desk|deputy|team|manager|boss|assistant|laptop|phone|mobile|number|address|"
    r"account|inbox|mailbox|calendar|office|car|badge|contract|salary|leave|notes|"
    r"report|husband|wife|partner|son|daughter|mother|father|sister|brother|family|"
    r"birthday|signature|passport|card|flat|apartment|house|doctor|lawyer|request|"
    r"ticket|case|order|application|file|record|email|e-mail|reply|message|call"
)
_POSSESSIVE = re.compile(
    rf"(?<![\w'\u2019])(?P<name>{CAP_WORD}(?:[ \t]{CAP_WORD})?)"
    # "Reyes' laptop": a name ending in s takes the apostrophe alone
    rf"(?:['\u2019]s|(?<=s)['\u2019])[ \t]+(?:{_BELONGINGS})\b"
)
# Capitalised words that begin sentences or name a role, a day or a thing, never a
# person's name.
_NOT_ACTORS_TEXT = """
    the a an this that these those it he she we they you i someone somebody nobody
    everyone everybody anyone who which what one none each both all either neither
    support billing sales finance legal security admin system server client host bot
    service app api proxy worker job task node pod kernel daemon scheduler database
    cache user users customer customers caller agent vendor provider bank company
    monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday
    reception management hr it ops dev devops engineering marketing operations
    manager director ceo cto cfo staff team office desk build pipeline test
    mom mum dad please kindly also then just still now here there maybe perhaps never
    always finally first next again only
"""
_NOT_ACTORS = frozenset(_NOT_ACTORS_TEXT.split()) | NOT_NAMES | NOT_SPEAKERS


def _actor_ok(word: str, text: str) -> bool:
    base = word.rstrip("'\u2019")
    return (
        len(base) >= 3
        and not base.isupper()
        and base.casefold() not in _NOT_ACTORS
        and not CUE_WORDS.fullmatch(base)
        # written in lower case elsewhere as a word, it is one ("Config read from …")
        and base.lower() not in _lower_words(text)
    )


_WORD = re.compile(r"(?<![\w@./\-])[^\W\d_]+(?![\w@/\-])")


@lru_cache(maxsize=16)
def _lower_words(text: str) -> frozenset[str]:
    """The words ``text`` writes in lower case (one scan per text)."""
    return frozenset(w for w in _WORD.findall(text) if w.islower())


# "Jane\nRoe (cardholder)", "Jane Roe (account owner)": a name and its role.
_ROLE_AFTER = re.compile(
    rf"(?P<name>{CAP_WORD}(?:[ \t]*\n?[ \t]*{CAP_WORD}){{1,2}})[ \t]*\((?i:the[ \t]+)?"
    r"(?i:cardholder|card holder|account holder|account owner|holder|owner|customer|client|"
    r"patient|tenant|applicant|employee|guest|caller|sender|recipient|beneficiary|"
    r"signatory|policyholder|insured|driver|passenger)\)"
)


# Endings of English nouns of things no person's given name has ("Questions",
# "Statistics", "Maintenance"): such a word alone after "ask", "ping" is no one.
_THING_ENDING = re.compile(
    r"(?i)(?:tions?|sions?|ments?|ness|ities|ity|ics|ances?|ences?|ships?|ware|ology)$"
)


# Words after which a capitalised word is the person one meets, hands work to or
# asks ("spoke with Summer Reyes", "assigned to Hope Ndiaye", "ping Drew").
_MEETS = re.compile(
    r"(?<![\w-])(?i:(?:met|meet|meeting|spoke|speak|talked|talk|call|called|chat|chatted|"
    r"lunch|coffee|sync|synced|1:1|catch-up|catch up|interview|session|checked|check|"
    # round 12: what friends and families do together
    r"dinner|drinks|tea|walk|walked|hike|hiked|ride|trip|holiday|stayed|danced|played)"
    r"[ \t]+(?:with|to)|"
    # round 12: what a card, a notice or a newsletter says to someone
    r"(?:congratulations|congrats|well[ \t]+done|kudos|shout-?out|happy[ \t]+birthday)"
    r"[ \t]+to|(?:re)?assigned[ \t]+to|escalated[ \t]+to|handed(?:[ \t]+over)?"
    r"[ \t]+to|forwarded[ \t]+(?:it[ \t]+)?to|introduced[ \t]+(?:you[ \t]+)?to|cc'?d|"
    r"ping|pinged|ask|asked|according[ \t]+to|on[ \t]+behalf[ \t]+of|"
    r"(?:escalate|assign|forward|hand[ \t]+over|reach[ \t]+out|introduce[ \t]+you)[ \t]+to|"
    r"(?:reviewed|approved|signed|reported|requested|written|submitted|raised|opened|"
    r"closed|resolved|handled|escalated|authored|"
    # round 12: people's work in clubs, schools, shows and families
    r"nominated|donated|coached|refereed|judged|chaired|directed|photographed|"
    r"illustrated|composed|narrated|painted|knitted|baked|cooked|organi[sz]ed)[ \t]+by)[ \t]+"
    # perhaps quoted or bracketed: 'spoke to "Will Ashdown"', "escalate to <Hope Ndiaye>"
    r"[\"'<(\[*_]{0,2}"
    rf"(?P<name>{CAP_WORD}(?:[ \t]{CAP_WORD}){{0,2}})(?![\w'\u2019\-]|\.\w)"
)
# "Rasmus and Leilani": a capitalised word joined by "and" to a name found.
_AND_BEFORE = re.compile(rf"(?P<word>{CAP_WORD})[ \t]+(?:and|&|or)[ \t]+$")
_AND_AFTER = re.compile(rf"[ \t]+(?:and|&|or)[ \t]+(?P<word>{CAP_WORD})(?![\w'\u2019\-])")


def _met_names(text: str) -> Iterator[Span]:
    for m in _MEETS.finditer(text):
        words = m.group("name").split()
        # up to the first word that is no name ("Drew Monday", "Hope Team")
        kept: list[str] = []
        for word in words:
            if not _family_ok(word, text, lower_ok=len(words) >= 2):
                break
            kept.append(word)
        # a given name that is also a word ("Summer", "Will") counts with its family name;
        # a noun alone is no one ("ask Questions", "ping Statistics", round 9)
        if kept and (
            len(kept) >= 2 or (_family_ok(kept[0], text) and not _THING_ENDING.search(kept[0]))
        ):
            start = m.start("name")
            yield Span(PERSON, start, start + len(" ".join(kept)))


# "Frank, can you look at this?", "Pat, please sign": a capitalised word opening a
# line or a sentence, a comma, then a request to that person.
_VOCATIVE = re.compile(
    rf"(?:^|(?<=[.!?]\s)|(?<=\n))[ \t]*(?P<name>{CAP_WORD}),[ \t]+"
    r"(?:can|could|would|will|please|pls|do|did|are|have|any|thanks|thank|when|where|"
    r"what|how|just|quick)\b"
)
# Words that open a sentence with a comma and are no one's name.
_NOT_VOCATIVE_TEXT = """
    however otherwise ok okay sorry yes yeah no well so btw anyway actually honestly
    additionally meanwhile alternatively sure great cool right hmm folks guys quick
    update reminder fyi heads hey hi hello morning afternoon evening friends
    unfortunately fortunately again ideally sadly luckily finally first second third
    lastly also instead therefore thus hence regardless similarly importantly
"""
_NOT_VOCATIVE = frozenset(_NOT_VOCATIVE_TEXT.split())


# Given names that are also English words, capitalised in the middle of a sentence:
# as words they are written in lower case there ("I will", "we hope", "bill me").
# (Not "Ruby", "Crystal", "Iris", "Max", "Sky": languages, products and data sets.)
_GIVEN_WORDS_TEXT = """
    will mark rose grace hope bill faith joy dawn frank summer penny drew chase hunter
    pat sue ray gene holly ivy daisy lily violet heather jasmine autumn sandy miles
    rich rob bob dean june april
"""
_GIVEN_WORDS = frozenset(_GIVEN_WORDS_TEXT.split())
_MID_SENTENCE_WORD = re.compile(
    r"(?<=[a-z,;)][ \t])(?P<name>[A-Z][a-z]{2,6})(?![\w'\u2019\-]|\.\w)"
)
# Words before a capitalised word that make it a thing's name or a date: "the Grace
# period", "click Mark as read", "in June".
_THING_BEFORE = re.compile(
    r"(?i)(?:\b(?:the|a|an|our|your|their|this|that|these|those|its|of|in|on|"
    r"click|select|choose|tap|press|open|enable|disable|toggle|hit|use|using|new|via)"
    r"[ \t]+)$"
)
# Before a month's name: a date ("in June", "until April").
_DATE_WORDS_BEFORE = re.compile(
    r"(?i)\b(?:in|on|by|until|till|since|before|after|during|from|to|every|each|next|"
    r"last|early|late|mid|of|through|over|this|all|for)[ \t]+$"
)
# Given names that are also a month or a season: after "by", "until", "before"…
# ("by June", "over Summer") a time.
_SEASONS = frozenset({"april", "may", "june", "august", "summer", "autumn"})
_CAPITALISED_AFTER = re.compile(r"[ \t]+[A-Z]")
# What follows a modal that is also a name ("Will", "May") when it is the name:
# punctuation, the end, a possessive, or a verb of a third person ("Will said", "May
# has"); the modal takes any verb ("Will merge after lunch").
_NAME_FOLLOWS = re.compile(
    r"[ \t]*(?:$|[,.!?:;)\]\n]|['\u2019]s\b)"
    r"|[ \t]+(?:is|was|has|had|and|or|can|could|would|should|might|must|did|does|"
    r"said|says|asked|asks|told|tells|wants|wanted|needs|needed|thinks|thought|"
    r"from|at|in|for|with|about|on|who|too|also|today|tomorrow|yesterday|"
    r"[a-z]{2,}ed|[a-z]{2,}(?<![siu])s)\b"
)
# The same for the other such words, which may also take "to", a modal, "re" or a
# request ("ask Mark to review", "Grace will confirm", "Penny please check").
_NAME_FOLLOWS_MORE = re.compile(
    r"[ \t]*[(\-\u2013\u2014]|[ \t]+(?:to|will|won't|shall|should|may|re|please|"
    r"pls|know|knows|thinks|if|when|but|so|here|there|now|again|directly)\b"
)
_MODALS = frozenset({"will", "may", "hope"})


def given_word_names(text: str) -> Iterator[Span]:
    """ "and Will said", "ask, Grace": a given name that is also a word, capitalised
    after a word in lower case, is a person's name."""
    for m in _MID_SENTENCE_WORD.finditer(text):
        name = m.group("name")
        if name.casefold() not in _GIVEN_WORDS:
            continue
        if _THING_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue
        if name.casefold() in _SEASONS and (
            _DATE_WORDS_BEFORE.search(text, max(0, m.start() - 12), m.start())
            or _DATE_AFTER.match(text, m.end())
        ):
            continue
        # "the Rich Text Editor", "Summer Sale": a title-cased phrase (a family name
        # after it is found from the given name: see ``widen_names``)
        if _CAPITALISED_AFTER.match(text, m.end()):
            if not _family_after(text, m.end()):
                continue
        elif not _NAME_FOLLOWS.match(text, m.end()) and (
            name.casefold() in _MODALS or not _NAME_FOLLOWS_MORE.match(text, m.end())
        ):
            continue
        yield Span(PERSON, m.start("name"), m.end("name"))


def _family_after(text: str, at: int) -> bool:
    after = _WORD_AFTER.match(text, at)
    return after is not None and _family_ok(after.group("word"), text)


# Verbs after which a given name that is also a word is the name even where the text
# uses the word too ("I will check. Will said it's fine"): the word never stands there.
_SPEECH_AFTER = re.compile(
    r"[ \t]+(?:said|says|asked|asks|told|replied|replies|wrote|writes|answered|"
    r"confirmed|agreed|mentioned|explained|suggested|thanked|promised|called|emailed|"
    r"texted|phoned)\b"
)


def _speaks(text: str, m: re.Match[str], words: list[str]) -> bool:
    """A given name that is also a word, the subject of a verb of speech."""
    first = words[0]
    return (
        len(words) == 1
        and first.casefold() in WORD_NAMES
        and _SPEECH_AFTER.match(text, m.end("name")) is not None
    )


def acting_names(text: str) -> Iterator[Span]:
    """Subjects of a verb of speech or handling, owners of a person's things, and
    names followed by a person's role."""
    for pattern in (_ACTOR, _POSSESSIVE):
        for m in pattern.finditer(text):
            words = m.group("name").split()
            if all(_actor_ok(w, text) for w in words) or (
                pattern is _ACTOR and _speaks(text, m, words)
            ):
                yield Span(PERSON, m.start("name"), m.end("name"))
    yield from _met_names(text)
    yield from given_word_names(text)
    for m in _VOCATIVE.finditer(text) if "," in text else ():
        name = m.group("name")
        if name.casefold() not in _NOT_VOCATIVE and _actor_ok(name, text):
            yield Span(PERSON, m.start("name"), m.end("name"))
    # A role is written in parentheses: without one the scan has nothing to find.
    for m in _ROLE_AFTER.finditer(text) if "(" in text else ():
        words = m.group("name").split()
        if all(_actor_ok(w, text) for w in words):
            # one span per line: a name broken over two lines is two pieces
            at = m.start("name")
            for line in m.group("name").split("\n"):
                stripped = line.strip()
                if stripped:
                    start = text.index(stripped, at)
                    yield Span(PERSON, start, start + len(stripped))
                    at = start + len(stripped)


def _family_ok(word: str, text: str, *, lower_ok: bool = False) -> bool:
    """A capitalised word after a given name that can be its family name: not a
    word the text writes in lower case (unless ``lower_ok``), a role, a day or a
    greeting."""
    if word.casefold() in _NOT_FAMILY:
        return False
    if lower_ok:
        base = word.rstrip("'\u2019")
        return (
            len(base) >= 2
            and not base.isupper()
            and base.casefold() not in _NOT_ACTORS
            and not CUE_WORDS.fullmatch(base)
        )
    return _actor_ok(word, text)


# Words that follow a name capitalised and are no family name ("Grace Team",
# "Rose Garden", "Frank Discussion").
_NOT_FAMILY_TEXT = """
    team group garden street road avenue hotel inc ltd llc gmbh
    corp co company bank university college school hospital clinic foundation
    institute project program programme day week month year i ii iii jr sr
    senior junior head lead chief principal account sales product customer engineer
    engineering director vp president officer consultant analyst developer designer
    specialist coordinator assistant associate founder intern tel phone mobile email
    mail fax office dept department regards thanks sent via on at for from to in
"""
_NOT_FAMILY = frozenset(_NOT_FAMILY_TEXT.split())


_INITIAL_BEFORE = re.compile(r"(?<![\w.])[^\W\d_]\.[ \u00a0]?$")
# (an apostrophe inside a word is part of it, "O'Neil"; one after a non-letter opens a
# quoted string: "['Ivy Chen']")
_WORD_BEFORE = re.compile(rf"(?<![\w.\u2019\-])(?<!\w')(?P<word>{CAP_WORD})[ \u00a0]$")
_WORD_AFTER = re.compile(rf"[ \u00a0](?P<word>{CAP_WORD})(?![\w'\u2019\-]|\.\w)")
# A family name on the next line ("Ms. Dawn\nPellegrini last week", "Contact: Chidi\n
# Okonkwo"): one capitalised word opening the line, not a label ("Phone:").
_WORD_NEXT_LINE = re.compile(
    rf"[ \t]*\n[ \t]*(?P<word>{CAP_WORD})(?=[ \t]*$|[ \t]*[,.;)]|[ \t]+[a-z])", re.M
)


def widen_names(text: str, spans: Sequence[Span]) -> list[Span]:
    """Found names with an initial or a capitalised given name right before them."""
    out: list[Span] = []
    for span in spans:
        if span.type != PERSON:
            continue
        out.extend(_joined_names(text, span))
        if " " in text[span.start : span.end].strip():
            continue
        before = text[max(0, span.start - 40) : span.start]
        initial = _INITIAL_BEFORE.search(before)
        if initial is not None:
            out.append(Span(PERSON, span.start - len(before) + initial.start(), span.end))
            continue
        word = _WORD_BEFORE.search(before)
        after = _WORD_AFTER.match(text, span.end)
        if word is None and after is not None and _family_ok(after.group("word"), text):
            # "Hope Ndiaye" of "Hope" (a given name the model or a cue found): the
            # capitalised word after it is the family name.
            out.append(Span(PERSON, span.start, after.end("word")))
            continue
        below = _WORD_NEXT_LINE.match(text, span.end)
        if below is not None and _family_ok(below.group("word"), text):
            # a span per line: the line break stays where it was
            out.append(Span(PERSON, below.start("word"), below.end("word")))
        if word is not None and _actor_ok(word.group("word"), text):
            # Not the first word of a sentence ("Yesterday Smith called"): a name
            # takes the place of a subject there too, but so does any other word.
            # A given name that is also a word ("Hope Abernathy here…") is a name
            # there: as a word it is no subject before a family name.
            ahead = before[: word.start()].rstrip(" \t")
            given = word.group("word").casefold() in WORD_NAMES
            if given or (ahead and ahead[-1] not in ".!?\n"):
                start = span.start - len(before) + word.start()
                out.append(Span(PERSON, start, span.end))
    return out


def _joined_names(text: str, span: Span) -> Iterator[Span]:
    """ "Rasmus and Leilani", "Leilani & Rasmus": the other of two people joined by "and"
    to a name found."""
    before = _AND_BEFORE.search(text, max(0, span.start - 40), span.start)
    if before is not None and before.end() == span.start and _family_ok(before.group("word"), text):
        yield Span(PERSON, before.start("word"), before.end("word"))
    after = _AND_AFTER.match(text, span.end)
    if after is not None and _family_ok(after.group("word"), text):
        end = after.end("word")
        # "and Chase Wilmot": with a family name; not a longer title-cased phrase
        # ("and Grace Period Rules")
        family = _WORD_AFTER.match(text, end)
        if family is not None and _family_ok(family.group("word"), text):
            end = family.end("word")
        if not re.match(rf"[ \t]+{CAP_WORD}", text[end : end + 40]):
            yield Span(PERSON, after.start("word"), end)


# Given names that are also months: "in May", "May 3", "June 2026" are dates.
_MONTH_NAMES = frozenset({"april", "may", "june", "august"})
_DATE_BEFORE = re.compile(
    r"(?i)(?:\b(?:in|on|by|since|until|till|from|through|to|of|early|late|mid|before|"
    r"after|during|last|next|this|every|each|end|start|beginning)|\d)[ \t\-]+$"
)
_DATE_AFTER = re.compile(r"[ \t]*(?:\d|,[ \t]*\d{4})")


def calendar_month(text: str, span: Span) -> bool:
    """Whether ``span`` is a lone given name that is a month there ("in May", "June
    2026"), where another mention of the same name was a person."""
    value = text[span.start : span.end]
    if span.type != PERSON or value.casefold() not in _MONTH_NAMES:
        return False
    before = text[max(0, span.start - 16) : span.start]
    return bool(_DATE_BEFORE.search(before) or _DATE_AFTER.match(text, span.end))


# Round 9 (issue 21): a request opening a short sentence, "Call Alice Example at …",
# "Tell Alice the server is down", "Ping Bob about …". The verb is a request to the
# reader about a person; the model reads it as the name's first word or misses both.
_IMPERATIVES = (
    r"call|meet|tell|ping|ask|email|e-mail|text|message|invite|remind|thank|welcome|"
    r"let|have|get|contact|phone|ring|notify|inform|cc|dm|greet|congratulate|"
    r"introduce|loop in|check with|follow up with|talk to|"
    r"speak to|reach out to|write to|say hi to|say hello to"
)
_SENTENCE_START = r"(?:^|(?<=[.!?]\s)|(?<=\n)|(?<=[.!?]\s\s))[ \t]*(?:[-*\u2022][ \t]+)?"
_IMPERATIVE_LEAD = re.compile(rf"(?i:{_IMPERATIVES})[ \t]+(?=[^\W\d_])")
# What follows the person of a request: a preposition, an object, a clause or the end.
# After "Let", "Have" and "Get" a person does something ("Let Giulia know"): a verb a
# person does, never a program's ("Let Docker pull the image").
_REQUEST_FOLLOWS = (
    r"[ \t]*(?:$|[,.!?:;)\n]|[\u2013\u2014-][ \t])|[ \t]+(?:at|about|to|for|on|in|re|"
    r"regarding|that|if|whether|when|once|before|after|asap|today|tonight|tomorrow|"
    r"now|back|again|the|a|an|this|these|our|my|your|his|her|their|we|you|it|i)\b"
)
_PERSON_DOES = (
    r"[ \t]+(?:know|check|look|call|sign|review|confirm|handle|decide|approve|fix|join|"
    r"send|reply|email|ring|phone|text|explain|help|read|bring|pick|sort|take|update|"
    r"chase|follow|meet|see|talk|speak|book|pay|come|cover|do|try|test|share)\b|"
    r"[ \t]+to\b"
)
_REQUEST = re.compile(
    rf"{_SENTENCE_START}(?P<verb>(?i:{_IMPERATIVES}))[ \t]+"
    rf"(?P<name>{CAP_WORD}(?:[ \t]{CAP_WORD})?)(?=['\u2019]s\b|(?P<after>))"
)
_LET = frozenset({"let", "have", "get"})
_NOT_REQUESTED = frozenset(_NOT_ACTORS_TEXT.split()) | _NOT_FAMILY
# What else is welcomed, thanked or asked in a heading or an interface ("Welcome Home",
# "Thank God", "Ask Questions", "Ping Statistics"): no person's name ends like these.
_NOT_REQUESTED_ALONE_TEXT = "home aboard back god goodness heaven heavens"
_NOT_REQUESTED_ALONE = frozenset(_NOT_REQUESTED_ALONE_TEXT.split())


def _request_family(word: str) -> bool:
    """A second capitalised word after a request's person: a family name unless a
    role, a day or a thing ("Tell Alice Support", "Meet Bob Monday")."""
    return len(word) >= 2 and not word.isupper() and word.casefold() not in _NOT_REQUESTED


def request_names(text: str) -> Iterator[Span]:
    """ "Tell Alice the server is down", "Meet Alice Example at noon": the person a
    request opening a sentence is about."""
    for m in _REQUEST.finditer(text):
        words = m.group("name").split()
        if words[-1].endswith(("'s", "\u2019s")):
            words[-1] = words[-1][:-2]
        end = m.start("name") + len(" ".join(words))
        follows = _PERSON_DOES if m.group("verb").casefold() in _LET else _REQUEST_FOLLOWS
        if not (re.match(follows, text[end:]) or text.startswith(("'s", "\u2019s"), end)):
            if len(words) < 2:
                continue
            # "Ask Mariana Costa's team": two words, the second perhaps no name
            words = words[:1]
            end = m.start("name") + len(words[0])
            if not re.match(follows, text[end:]):
                continue
        if len(words) == 1 and (
            words[0].casefold() in _NOT_REQUESTED_ALONE or _THING_ENDING.search(words[0])
        ):
            continue
        # (a family name may be a word: "Alice Example", "Bob Stone")
        if _actor_ok(words[0], text) and all(_request_family(w) for w in words[1:]):
            yield Span(PERSON, m.start("name"), end)


_TRAILING_POSSESSIVE = re.compile(r"(?:['\u2019]s|(?<=s)['\u2019])$")


def person_piece(text: str, span: Span) -> Span:
    """A person the model found without the request before it ("Call Bob Stone") and
    the possessive after it ("Alice Example's"): they stay in the text, and the name
    is the same placeholder wherever it stands."""
    if span.type != PERSON:
        return span
    start, end = span.start, span.end
    lead = _IMPERATIVE_LEAD.match(text, start, end)
    if lead is not None and re.search(_SENTENCE_START + r"$", text[max(0, start - 8) : start]):
        start = lead.end()
    tail = _TRAILING_POSSESSIVE.search(text, start, end)
    if tail is not None and tail.start() > start:
        end = tail.start()
    if (start, end) == (span.start, span.end) or end - start < 2:
        return span
    return Span(span.type, start, end, span.rank)


# "alice and bob met in Paris": two people opening a sentence, written in lower case
# (chat), the subjects of a verb only people do together.
_PAIR_MET = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=\n))[ \t]*(?i:(?:ok|okay|so|btw|fyi|then|and|yesterday|today)"
    r"[ \t]*,?[ \t]+){0,3}(?P<a>[^\W\d_]{3,20})[ \t]+(?:and|&)[ \t]+"
    r"(?P<b>[^\W\d_]{3,20})[ \t]+(?:met|talked|spoke|chatted|argued|hugged|married|"
    r"texted|phoned|are[ \t]+meeting|were[ \t]+meeting|will[ \t]+meet|"
    r"had[ \t]+(?:lunch|coffee|dinner|a[ \t]+call))"
    # where, when or with whom, not what ("tests and docs met the bar", "talked over gRPC")
    r"(?=[ \t]*[.,!;]|[ \t]+(?:in|at|for|on|up|with|yesterday|today|last|this|again|"
    r"earlier|briefly|once|twice|about|after|before|during|each)\b)"
)
_NOT_PAIRED_TEXT = """
    me him her us them others friends family colleagues folks guys kids parents
    frontend backend design product qa infra platform mobile web
"""
_NOT_PAIRED = _NOT_ACTORS | frozenset(_NOT_PAIRED_TEXT.split())


def paired_names(text: str) -> Iterator[Span]:
    """ "alice and bob met", "Alice and bob talked": both people of a meeting."""
    for m in _PAIR_MET.finditer(text):
        words = (m.group("a"), m.group("b"))
        if not any(w.islower() for w in words):
            continue  # capitalised: the model and ``acting_names`` find those
        if all(
            w.casefold() not in _NOT_PAIRED and (w.islower() or _actor_ok(w, text)) for w in words
        ):
            yield Span(PERSON, m.start("a"), m.end("a"))
            yield Span(PERSON, m.start("b"), m.end("b"))


def name_word_ok(word: str, text: str) -> bool:
    """Whether a capitalised word of ``text`` can be a person's name by itself: not a
    role, a day, a cue or a word the text also writes in lower case."""
    return _actor_ok(word, text)


# Patterns that scan whole texts, behind a test of the literals their matches need
# (see prefilter.py): most texts hold none, and the test costs far less than a scan.
_MEETS = guarded(_MEETS)
_PAIR_MET = guarded(_PAIR_MET)
_ACTOR = guarded(_ACTOR)
_VOCATIVE = guarded(_VOCATIVE)
