"""What the model reads as a name, a place or an organisation but the words around it
show is something else (issue 21, round 6): the name of a secret ("Passcode:"), an
identifier written in CamelCase ("KeyError", "HWaddr"), a part of a path or a time zone
("Europe/Berlin", "TZ=Europe"), a defined term of a contract ("the Licensee"), a
heading or feature named with a word for a thing of software or paperwork ("Disk Usage
Report", "the Privacy Policy"), a lone word on a log line ("INFO Scheduler ready").
The word list is English of ordinary usage, written by hand.
"""

from __future__ import annotations

import re

from spark_control_redaction.entities import LOCATION, ORG, PERSON, Span
from spark_control_redaction.rules import secret_name

# "KeyError", "WireGuard", "HWaddr": a capital after a lower-case letter, or two capitals
# and then lower case. (People's names do that too — "McDonald", "DiCaprio" — so the
# test is for organisations and places only.)
_CAMEL = re.compile(r"^[^\W\d_]*[a-z][A-Z]|^[A-Z]{2,}[a-z]")
# Characters that glue a word into an identifier, a path or a setting.
_GLUE = "/=_\\.:@"
_THE_BEFORE = re.compile(r"(?i)(?<![\w])the[ \t]+$")


# Words that name a thing of software, work or paperwork — a report, a review, a
# service, a policy — or say what happened to it ("Started", "Failed"): a title-cased
# phrase with one of them is a heading or a feature ("Disk Usage Report", "Load
# Balancer", "the Privacy Policy"), never a person, and not an organisation or a place
# either (an organisation's own heads — "Group", "Services", "Systems" — are not here).
_THING_WORDS_TEXT = """
    report reports review reviews balancer dashboard latency overview summary usage
    metrics statistics module modules manager scheduler queue worker job jobs task tasks
    rule rules board pipeline pipelines cluster server servers engine proxy gateway
    cache monitor monitoring check checks alert alerts settings page menu button form
    table panel console portal plan planning meeting standup retro sprint release
    releases update updates upgrade patch issue issues ticket tickets request requests
    error errors exception warning notice terms conditions agreement policy policies
    guide manual documentation docs tutorial quickstart directories directory folder
    folders volume disk memory storage backup backups database logs log cleanup
    deployment deployments started finished deployed completed failed updated added
    removed fixed changed enabled disabled scheduled crashed loaded info warn debug
    trace fatal critical
"""
_THING_WORDS = frozenset(_THING_WORDS_TEXT.split())
# A line of a log: a level word.
_LOG_LEVEL = re.compile(r"\b(?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL|CRITICAL|NOTICE)\b")
# Words after which a capitalised word is a person's ("by Jenkins", "user Kim").
_PERSON_BEFORE = re.compile(
    r"(?i)(?:\b(?:by|with|from|for|to|in|at|near|of|cc|user|owner|author|assignee|contact|ask|ping|"
    r"thanks|dear|hi|hello)|@)[ \t:]+$"
)


def identifier_or_term(text: str, span: Span, value: str) -> bool:
    """Whether the NER span ``value`` (``text[span.start:span.end]``, stripped) is one of
    the kinds above."""
    if secret_name(value.replace(" ", "_")):
        return True  # "Passcode", "Api Token": what a secret is called
    if any(w.casefold() in _THING_WORDS for w in value.split()):
        return True
    if " " not in value and span.type == PERSON and _in_log_line(text, span):
        return True
    single = " " not in value
    if span.type in (ORG, LOCATION) and single:
        if _CAMEL.match(value):
            return True
        before = text[span.start - 1] if span.start else " "
        after = text[span.end] if span.end < len(text) else " "
        # "Europe/Berlin", "TZ=Europe", "config.Settings": glued into a longer token (a
        # place's name ends a sentence with "." and a space, which is no glue).
        if before in _GLUE or (after in _GLUE and not _sentence_end(text, span.end)):
            return True
    # "the Licensee shall not …", "the Software": a contract's defined term; a person
    # is not "the Alice" (a place may be: "the Hague").
    if span.type in (PERSON, ORG) and single:
        return _THE_BEFORE.search(text, max(0, span.start - 8), span.start) is not None
    return False


def _sentence_end(text: str, at: int) -> bool:
    """A full stop or colon at ``at`` followed by a space or the end of the text."""
    return text[at] in ".:" and (at + 1 >= len(text) or text[at + 1] in " \t\n\r")


def _in_log_line(text: str, span: Span) -> bool:
    """A lone word the model calls a person on a line of a log ("INFO Scheduler
    ready"), not after a word that introduces a person ("… by Jenkins"). (Also
    counting lines with identifiers, versions or paths as technical dropped more
    names than false positives: not done.)"""
    start = text.rfind("\n", 0, span.start) + 1
    end = text.find("\n", span.end)
    line = text[start : len(text) if end == -1 else end]
    if _PERSON_BEFORE.search(text, max(start, span.start - 12), span.start):
        return False
    return _LOG_LEVEL.search(line) is not None
