"""Replacing spans with placeholders, and putting the originals back, whole or streamed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from spark_control_redaction.entities import Span
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.placeholders import (
    LONGEST_FRAGMENT,
    TOLERANT,
    could_become_placeholder,
    ref_of,
)

# The last characters of the closing brackets TOLERANT knows (>, &gt;, ], }, »).
_CLOSE_ENDS = frozenset(">;]}»")


@dataclass(frozen=True)
class Replacement:
    type: str
    placeholder: str
    start: int
    end: int


@dataclass
class Scrubbed:
    text: str
    entities: list[Replacement]


def apply(text: str, spans: list[Span], mapping: Mapping) -> Scrubbed:
    """``text`` with each span replaced by its placeholder (added to ``mapping``)."""
    out: list[str] = []
    found: list[Replacement] = []
    position = 0
    for span in spans:
        placeholder = mapping.placeholder_for(span.type, text[span.start : span.end])
        out.append(text[position : span.start])
        out.append(placeholder)
        found.append(Replacement(span.type, placeholder, span.start, span.end))
        position = span.end
    out.append(text[position:])
    return Scrubbed("".join(out), found)


@dataclass
class Rehydrated:
    text: str
    restored: int = 0
    unknown: list[str] = field(default_factory=list)


class JsonLexer:
    """Follows a JSON text as it is read, to know whether a position is inside a string
    literal: a value restored there must be escaped (a quote, a backslash or a line
    break would end the string or break the JSON), and one restored outside a string
    becomes a string of its own."""

    def __init__(self) -> None:
        self.in_string = False
        self._escaped = False

    def read(self, text: str) -> None:
        for char in text:
            if not self.in_string:
                self.in_string = char == '"'
            elif self._escaped:
                self._escaped = False
            elif char == "\\":
                self._escaped = True
            elif char == '"':
                self.in_string = False

    def encode(self, value: str) -> str:
        quoted = json.dumps(value, ensure_ascii=False)
        return quoted[1:-1] if self.in_string else quoted


def rehydrate(
    text: str, mapping: Mapping, *, pos: int = 0, json_lexer: JsonLexer | None = None
) -> Rehydrated:
    """``text[pos:]`` with every placeholder of the session restored; placeholders the
    session does not have are left as written and listed in ``unknown``.

    ``pos`` lets a stream keep the character before the piece as context (the pattern
    looks behind for a word character). With ``json_lexer`` the text is JSON (a tool
    call's arguments) read from where the lexer stands, and values are restored as
    JSON, so the result parses whenever the model's text did."""
    out: list[str] = []
    result = Rehydrated("")
    position = pos
    for match in TOLERANT.finditer(text, pos):
        value = mapping.value_of(ref_of(match))
        if value is None:
            result.unknown.append(match.group())
            continue
        out.append(text[position : match.start()])
        if json_lexer is not None:
            json_lexer.read(text[position : match.start()])
            value = json_lexer.encode(value)
        out.append(value)
        result.restored += 1
        position = match.end()
    out.append(text[position:])
    if json_lexer is not None:
        json_lexer.read(text[position:])
    result.text = "".join(out)
    return result


class StreamRehydrator:
    """Rehydrates a text that arrives in chunks, holding back only a trailing fragment
    that could still grow into a placeholder."""

    def __init__(self, mapping: Mapping, *, json_text: bool = False) -> None:
        self.mapping = mapping
        # Tool-call arguments are JSON: restored values are escaped as JSON.
        self._json = JsonLexer() if json_text else None
        self._pending = ""
        self._previous = ""  # the last character emitted, as context
        self.restored = 0
        self.unknown: list[str] = []

    def feed(self, chunk: str) -> str:
        self._pending += chunk
        cut = len(self._pending)
        for start in range(max(0, cut - LONGEST_FRAGMENT), cut):
            previous = self._pending[start - 1] if start else self._previous
            if could_become_placeholder(self._pending[start:], previous):
                cut = start
                break
        return self._emit(self._before_open_bare_close(cut))

    def finish(self) -> str:
        return self._emit(len(self._pending))

    def _before_open_bare_close(self, cut: int) -> int:
        """``cut``, or the start of a bare placeholder that ends the piece with a closing
        bracket: whether the bracket is the placeholder's depends on the next character
        ("ORG_2>" ends a placeholder, "ORG_2>1" keeps the ">"), so it waits for it. The
        piece before it may end the same way ("ORG_2>ORG_2>"), hence the loop."""
        while cut and self._pending[cut - 1] in _CLOSE_ENDS:
            text = self._previous + self._pending[:cut]
            matches = list(TOLERANT.finditer(text, len(self._previous)))
            last = matches[-1] if matches else None
            if last is None or last.end() != len(text) or last.group("n_type") is None:
                break
            if last.end() == max(last.end("n_number"), last.end("n_variant")):
                break  # no bracket taken: the next character cannot change this match
            cut = last.start() - len(self._previous)
        return cut

    def _emit(self, cut: int) -> str:
        if cut == 0:
            return ""
        piece, self._pending = self._pending[:cut], self._pending[cut:]
        result = rehydrate(
            self._previous + piece, self.mapping, pos=len(self._previous), json_lexer=self._json
        )
        self._previous = piece[-1]
        self.restored += result.restored
        self.unknown += result.unknown
        return result.text
