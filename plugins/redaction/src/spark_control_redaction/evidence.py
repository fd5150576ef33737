"""What the model reads as a name, a place or an organisation but the words around it
show is something else (issue 21, round 6): the name of a secret ("Passcode:"), an
identifier written in CamelCase ("KeyError", "HWaddr"), a part of a path or a time zone
("Europe/Berlin", "TZ=Europe"), a defined term of a contract ("the Licensee"). These are
kinds of tokens, not word lists: each test reads the span's own letters and the
characters next to it.
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


def identifier_or_term(text: str, span: Span, value: str) -> bool:
    """Whether the NER span ``value`` (``text[span.start:span.end]``, stripped) is one of
    the kinds above."""
    if secret_name(value.replace(" ", "_")):
        return True  # "Passcode", "Api Token": what a secret is called
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
