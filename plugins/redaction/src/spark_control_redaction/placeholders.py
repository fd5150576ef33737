"""The placeholder format, and how to find placeholders a model has mangled.

A placeholder is ``<TYPE_N>`` or ``<TYPE_Nv>``: ``TYPE`` one of the entity types, ``N``
the entity's number in the session (one person, one e-mail address…), and an optional
lower-case ``v`` (``b``, ``c``, … ``z``, ``ba``…) naming which spelling of that entity
stood there. ``<PERSON_1>`` is the first spelling met ("John Smith"), ``<PERSON_1b>`` a
second one ("John"): a model reads both as person 1, and rehydration puts back exactly
the spelling that was replaced.

Models mangle placeholders: other case, spaces, lost or escaped brackets, Markdown or
HTML escapes. ``TOLERANT`` finds all of those; only the canonical form is ever written.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from spark_control_redaction.entities import ALL_TYPES

# "CREDIT_CARD" may come back as "CREDIT CARD" or Markdown-escaped "CREDIT\_CARD".
_TYPE_SEPARATORS = ("_", " ", "\\_")
_TYPES = "|".join(t.replace("_", r"(?:_| |\\_)") for t in sorted(ALL_TYPES, key=len, reverse=True))
_LETTERS = string.ascii_lowercase

# Inside: the type, an underscore (possibly Markdown-escaped), the number, the variant.
_CORE_BARE = rf"(?P<type>{_TYPES})\\?_(?P<number>[1-9]\d{{0,5}})(?P<variant>[a-z]{{1,3}})?"
# With brackets a model may also write spaces: "< PERSON 1 >", "[person_1]".
_CORE_SPACED = (
    rf"(?P<type>{_TYPES})(?:\s{{0,2}}\\?_\s{{0,2}}|\s{{1,2}})"
    rf"(?P<number>[1-9]\d{{0,5}})(?P<variant>[a-z]{{1,3}})?"
)
_OPEN = r"(?:<|&lt;|\[|\{|«)"
_CLOSE = r"(?:>|&gt;|\]|\}|»)"

TOLERANT = re.compile(
    "|".join(
        [
            # Markdown-escaped on both sides: \<PERSON\_1\>
            rf"\\<\s{{0,2}}{_CORE_SPACED.replace('?P<', '?P<e_')}\s{{0,2}}\\>",
            # Bracketed, each bracket optional: <PERSON_1>, [PERSON 1], <PERSON_1, PERSON_1>
            rf"{_OPEN}\s{{0,2}}{_CORE_SPACED.replace('?P<', '?P<b_')}(?:\s{{0,2}}{_CLOSE})?",
            rf"(?<![\w\\])(?:{_CORE_BARE.replace('?P<', '?P<n_')})(?:{_CLOSE})?(?![\w])",
        ]
    ),
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Ref:
    """What a placeholder points at: the entity ``(type, number)`` and its spelling."""

    type: str
    number: int
    variant: int  # 1 for the first spelling, 2 for "b", …

    @property
    def canonical(self) -> str:
        return format_placeholder(self.type, self.number, self.variant)


def variant_suffix(variant: int) -> str:
    """1 → "", 2 → "b", 26 → "z", 27 → "ba": base 26 with a..z as digits."""
    if variant <= 1:
        return ""
    digits = ""
    value = variant - 1
    while value:
        value, rest = divmod(value, 26)
        digits = _LETTERS[rest] + digits
    return digits


def parse_suffix(suffix: str | None) -> int:
    if not suffix:
        return 1
    value = 0
    for char in suffix.lower():
        value = value * 26 + _LETTERS.index(char)
    return value + 1


def format_placeholder(type_: str, number: int, variant: int = 1) -> str:
    return f"<{type_}_{number}{variant_suffix(variant)}>"


def ref_of(match: re.Match[str]) -> Ref:
    """The reference a ``TOLERANT`` match names (whatever the mangling)."""
    for prefix in ("e_", "b_", "n_"):
        type_ = match.group(prefix + "type")
        if type_ is not None:
            return Ref(
                re.sub(r"\\?_| ", "_", type_.upper()),
                int(match.group(prefix + "number")),
                parse_suffix(match.group(prefix + "variant")),
            )
    raise ValueError("not a placeholder match")


# --- streaming: could this trailing fragment still become a placeholder? ---------------

_OPEN_TOKENS = ("\\<", "<", "&lt;", "[", "{", "«")
_CLOSE_TOKENS = ("\\>", ">", "&gt;", "]", "}", "»")
_UPPER_TYPES = tuple({t.replace("_", sep) for t in ALL_TYPES for sep in _TYPE_SEPARATORS})
LONGEST_FRAGMENT = 48


def could_become_placeholder(fragment: str, previous: str) -> bool:
    """True when ``fragment`` (the end of the text so far, preceded by the character
    ``previous``) is the beginning of something ``TOLERANT`` could match once more text
    arrives, so a stream must hold it back."""
    if not fragment or len(fragment) > LONGEST_FRAGMENT:
        return False
    for token in _OPEN_TOKENS:
        if token.startswith(fragment):
            return True
        if fragment.startswith(token):
            rest = fragment[len(token) :].lstrip(" \t\n")
            if len(rest) <= 2 and not rest.strip():
                return True
            if _after_type(rest, bracketed=True):
                return True
    if previous and (previous.isalnum() or previous in "_\\"):
        return False
    return _after_type(fragment, bracketed=False)


def _after_type(rest: str, *, bracketed: bool) -> bool:
    upper = rest.upper()
    for type_ in _UPPER_TYPES:
        if type_.startswith(upper):
            return True
        if upper.startswith(type_) and _after_separator(rest[len(type_) :], bracketed=bracketed):
            return True
    return False


def _after_separator(rest: str, *, bracketed: bool) -> bool:
    seps = ("_", "\\_")
    candidates: list[str] = []
    for sep in seps:
        if sep.startswith(rest):
            return True
        if rest.startswith(sep):
            candidates.append(rest[len(sep) :])
    if bracketed:
        stripped = rest.lstrip(" \t\n")
        if not stripped:
            return True
        if stripped != rest:
            for sep in ("", *seps):
                if stripped.startswith(sep):
                    candidates.append(stripped[len(sep) :].lstrip(" \t\n"))
    return any(_after_number(c, bracketed=bracketed) for c in candidates)


def _after_number(rest: str, *, bracketed: bool) -> bool:
    if not rest:
        return True
    digits = len(rest) - len(rest.lstrip(string.digits))
    if digits == 0 or rest[0] == "0":
        return False
    rest = rest[digits:]
    letters = len(rest) - len(rest.lstrip(string.ascii_letters))
    if letters > 3:
        return False
    rest = rest[letters:]
    if not rest:
        return True
    if bracketed:
        rest = rest.lstrip(" \t\n")
        if not rest:
            return True
    return any(token.startswith(rest) and token != rest for token in _CLOSE_TOKENS)
