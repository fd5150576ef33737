"""What the detectors replace in one text, for the class tests of each round."""

from __future__ import annotations

from spark_control_redaction.detect import Lists, detect_sync
from spark_control_redaction.entities import DETECTABLE_TYPES, LITERAL, Span
from spark_control_redaction.mapping import Mapping

ALL = frozenset(DETECTABLE_TYPES)


def found(
    text: str, *guesses: tuple[str, str], lists: Lists | None = None
) -> list[tuple[str, str]]:
    """What is replaced when the model reported ``guesses`` (type, words) in ``text``
    (with the defaults, or ``lists``)."""
    spans = [Span(t, text.index(w), text.index(w) + len(w)) for t, w in guesses]
    detected = detect_sync(text, spans, Mapping(), lists or Lists(), ALL)
    return [(s.type, text[s.start : s.end]) for s in detected if s.type != LITERAL]


def leaked(text: str, value: str) -> list[str]:
    """The letters and digits of ``value`` (first occurrence in ``text``) left in clear."""
    spans = detect_sync(text, [], Mapping(), Lists(), ALL)
    start = text.index(value)
    return [
        text[i]
        for i in range(start, start + len(value))
        if text[i].isalnum() and not any(s.start <= i < s.end for s in spans)
    ]
