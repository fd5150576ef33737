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
from spark_control_redaction.names import CAP_WORD, CUE_WORDS, NOT_NAMES, NOT_SPEAKERS

_ACT_VERBS = (
    r"answered|replied|wrote|said|asked|called|phoned|rang|emailed|e-mailed|texted|"
    r"messaged|told|confirmed|agreed|promised|mentioned|explained|approved|signed|"
    r"read|forwarded|handled|thanked|apologi[sz]ed|complained|requested|suggested|"
    r"insisted|offered|noted|spoke|says|writes|asks|replies|confirms|agrees|will call|"
    r"will send|will sign|is on leave|is out|is away|has left|has joined"
)
# The subject: one capitalised word at a sentence's or a clause's start.
_ACTOR = re.compile(
    rf"(?:^|(?<=[.!?;]\s)|(?<=\n)|(?<=\bthen\s)|(?<=\band\s)|(?<=\bbut\s)|(?<=:\s))"
    rf"(?P<name>{CAP_WORD})[ \t]+(?:{_ACT_VERBS})\b"
)
_BELONGINGS = (
    r"queue|desk|deputy|team|manager|boss|assistant|laptop|phone|mobile|number|address|"
    r"account|inbox|mailbox|calendar|office|car|badge|contract|salary|leave|notes|"
    r"report|husband|wife|partner|son|daughter|mother|father|sister|brother|family|"
    r"birthday|signature|passport|card|flat|apartment|house|doctor|lawyer|request|"
    r"ticket|case|order|application|file|record|email|e-mail|reply|message|call"
)
_POSSESSIVE = re.compile(
    rf"(?<![\w'\u2019])(?P<name>{CAP_WORD})['\u2019]s[ \t]+(?:{_BELONGINGS})\b"
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


def acting_names(text: str) -> Iterator[Span]:
    """Subjects of a verb of speech or handling, owners of a person's things, and
    names followed by a person's role."""
    for pattern in (_ACTOR, _POSSESSIVE):
        for m in pattern.finditer(text):
            if _actor_ok(m.group("name"), text):
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


_INITIAL_BEFORE = re.compile(r"(?<![\w.])[^\W\d_]\.[ \u00a0]?$")
_WORD_BEFORE = re.compile(rf"(?<![\w.'\u2019\-])(?P<word>{CAP_WORD})[ \u00a0]$")


def widen_names(text: str, spans: Sequence[Span]) -> list[Span]:
    """Found names with an initial or a capitalised given name right before them."""
    out: list[Span] = []
    for span in spans:
        if span.type != PERSON or " " in text[span.start : span.end].strip():
            continue
        before = text[max(0, span.start - 40) : span.start]
        initial = _INITIAL_BEFORE.search(before)
        if initial is not None:
            out.append(Span(PERSON, span.start - len(before) + initial.start(), span.end))
            continue
        word = _WORD_BEFORE.search(before)
        if word is not None and _actor_ok(word.group("word"), text):
            # Not the first word of a sentence ("Yesterday Smith called"): a name
            # takes the place of a subject there too, but so does any other word.
            ahead = before[: word.start()].rstrip(" \t")
            if ahead and ahead[-1] not in ".!?\n":
                start = span.start - len(before) + word.start()
                out.append(Span(PERSON, start, span.end))
    return out
