"""A pattern's scan skipped when the text lacks every literal its matches must hold.

A regex scan of a whole text tries the pattern at each position; a substring test is
a far cheaper scan. ``guarded`` reads the pattern itself (its parse tree) for strings
that every match must contain, so the test can never skip a text the pattern would
match, and stays right when someone edits the pattern.
"""

from __future__ import annotations

import re
import re._compiler as _compiler
import re._constants as _c
import re._parser as _parser
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

# (literal, how it is looked for): a match holds one of them. How: bits of
# ``CASELESS`` (in the text's folded form, under ``re.IGNORECASE``) and ``WORD`` (as a
# whole word, a maximal run of ``\\w`` characters, as ``\\b`` or ``(?<!\\w)`` …
# ``(?!\\w)`` around it demand), else a substring of the text itself. Plain ints, not an
# enum: the test runs per text and per literal.
Needed = frozenset[tuple[str, int]]
SUBSTRING, CASELESS, WORD = 0, 1, 2


# How ``re.IGNORECASE`` compares characters (``re._compiler``, Python 3.11): by their
# lower case, where some lower-case letters also match others (the dotless i and "i",
# the long s and "s", the final and the middle sigma …, ``_EXTRA_CASES``). ``fold``
# lower-cases and maps each such group to its first member, so a literal found by the
# pattern in any case is found by ``in`` in the folded text. "İ" lower-cases to two
# characters in ``str.lower`` but to "i" in ``re``: it is mapped first. One group mixes
# a letter with a mark that ``\w`` does not match (Greek iota and the combining
# ypogegrammeni): folding it either way would join or split words, so it is left as it
# is and no literal holds it (``_unfoldable``).
# ``tests/redaction/test_prefilter.py`` checks this against ``re`` for every code point.
_GROUPS = [(lower, *others) for lower, others in _compiler._EXTRA_CASES.items()]
_MIXED = frozenset(
    chr(c)
    for group in _GROUPS
    if len({chr(m).isalnum() or chr(m) == "_" for m in group}) > 1
    for c in group
)
_DOTTED_I = str.maketrans({"\u0130": "i"})
_SAME_LETTER = str.maketrans(
    {
        chr(group[0]): chr(min(group))
        for group in _GROUPS
        if min(group) != group[0] and chr(group[0]) not in _MIXED
    }
)


def _word_char(char: str) -> bool:
    r"""What ``\w`` matches in a ``str`` pattern."""
    return char.isalnum() or char == "_"


def fold(text: str) -> str:
    """``text`` as a case-blind literal is looked for in it (see ``_SAME_LETTER``)."""
    if text.isascii():
        return text.lower()
    return text.translate(_DOTTED_I).lower().translate(_SAME_LETTER)


def needed(pattern: re.Pattern[str]) -> Needed | None:
    """Literals one of which every match of ``pattern`` contains, or None if it needs
    none the parse shows (then nothing can be skipped)."""
    if pattern.flags & re.LOCALE:
        return None
    tree = _parser.parse(pattern.pattern, pattern.flags)
    flags = tree.state.flags
    state = _State(bool(flags & re.IGNORECASE), not flags & re.ASCII)
    return _of_sequence(list(tree), state)


@dataclass(frozen=True)
class _State:
    caseless: bool
    words: bool  # ``\\w`` is Unicode's (not under ``re.ASCII``): whole words may be used


def _better(a: Needed | None, b: Needed | None) -> Needed | None:
    """The more selective of two requirements: the one whose least selective literal is
    longer (a whole word counting two characters more), then the one with fewer."""
    if a is None or b is None:
        return a if b is None else b

    def rank(n: Needed) -> tuple[int, int]:
        return min(len(s) + (2 if m & WORD else 0) for s, m in n), -len(n)

    return a if rank(a) >= rank(b) else b


def _of_sequence(items: list[tuple[Any, Any]], state: _State) -> Needed | None:
    best: Needed | None = None
    run: list[str] = []
    mode = CASELESS if state.caseless else SUBSTRING

    def close() -> None:
        nonlocal best
        if run:
            best = _better(best, frozenset({("".join(run), mode)}))
            run.clear()

    for i, (op, av) in enumerate(items):
        if state.words and _boundary(op, av, -1, state):
            best = _better(best, _whole_words(items, i + 1, state))
        if op is _c.LITERAL and not _unfoldable(av, state):
            run.append(fold(chr(av)) if state.caseless else chr(av))
            continue
        close()
        best = _better(best, _of_item(op, av, state))
    close()
    return best


def _of_item(op: Any, av: Any, state: _State) -> Needed | None:
    if op is _c.SUBPATTERN:
        return _of_sequence(list(av[3]), _inner(state, av))
    if op is _c.ATOMIC_GROUP:
        return _of_sequence(list(av), state)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, _high, sub = av
        return _of_sequence(list(sub), state) if low >= 1 else None
    if op is _c.BRANCH:
        union: set[tuple[str, int]] = set()
        for branch in av[1]:
            part = _of_sequence(list(branch), state)
            if part is None:
                return None
            union |= part
        return frozenset(union)
    if op is _c.IN:
        chars = _exact(op, av, state)  # a class of a few characters ("[ãõ]")
        mode = CASELESS if state.caseless else SUBSTRING
        return None if chars is None else frozenset((c, mode) for c in chars)
    return None  # a wider class, a look-around, an anchor, a back-reference


def _inner(state: _State, group: Any) -> _State:
    """The state inside a group that sets or clears flags ("(?i:…)", "(?-i:…)")."""
    _index, add, remove, _sub = group
    caseless = bool(add & re.IGNORECASE) or (state.caseless and not remove & re.IGNORECASE)
    return _State(caseless, state.words and not add & re.ASCII)


def _boundary(op: Any, av: Any, side: int, state: _State) -> bool:
    """Whether the item demands no ``\\w`` on ``side`` (-1 before, 1 after) of what
    stands next to it: ``\\b``, a negative look-around of one character whose class holds
    ``\\w``, the start or end of a line or of the text, or characters that ``\\w`` never
    matches (":", "[ \\t]+")."""
    if op is _c.AT:
        starts = (_c.AT_BEGINNING, _c.AT_BEGINNING_LINE, _c.AT_BEGINNING_STRING)
        ends = (_c.AT_END, _c.AT_END_LINE, _c.AT_END_STRING)
        return av is _c.AT_BOUNDARY or av in (starts if side < 0 else ends)
    if op is _c.ASSERT_NOT and av[0] == side and len(av[1]) == 1:
        [(inner, members)] = list(av[1])
        if inner is _c.IN:
            negated = (_c.NEGATE, None) in members
            return (_c.CATEGORY, _c.CATEGORY_WORD) in members and not negated
        return inner is _c.CATEGORY and members is _c.CATEGORY_WORD
    return _never_word(op, av, state)


def _never_word(op: Any, av: Any, state: _State) -> bool:
    """Whether the item matches one character or more, none of which ``\\w`` matches
    (in any case: only ASCII ones under ``re.IGNORECASE``)."""
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, _high, sub = av
        if low < 1 or len(sub) != 1:
            return False
        inner_op, inner_av = next(iter(sub))
        return _never_word(inner_op, inner_av, state)
    if op is _c.LITERAL:
        return _not_word_char(av, state)
    if op is not _c.IN:
        return False
    for kind, value in av:
        if kind is _c.LITERAL and _not_word_char(value, state):
            continue
        if kind is _c.CATEGORY and value in (_c.CATEGORY_SPACE, _c.CATEGORY_NOT_WORD):
            continue
        return False
    return bool(av)


def _not_word_char(code: int, state: _State) -> bool:
    char = chr(code)
    return not _word_char(char) and char not in _MIXED and (char.isascii() or not state.caseless)


_MOST_STRINGS = 256


def _whole_words(items: list[tuple[Any, Any]], start: int, state: _State) -> Needed | None:
    """The words that ``items[start:]`` match exactly up to a boundary after them, when
    each is made of ``\\w`` characters only: the match is then a whole word of the text."""
    strings = {""}
    for op, av in items[start:]:
        if _boundary(op, av, 1, state):
            if "" in strings or not all(_is_word(w) for w in strings):
                return None
            mode = WORD | (CASELESS if state.caseless else SUBSTRING)
            return frozenset((w, mode) for w in strings)
        exact = _exact(op, av, state)
        if exact is None or len(strings) * len(exact) > _MOST_STRINGS:
            return None
        strings = {a + b for a in strings for b in exact}
    return None


def _exact(op: Any, av: Any, state: _State) -> set[str] | None:
    """Every string the item matches, if they are few and the item is plain text."""
    if op is _c.LITERAL:
        return None if _unfoldable(av, state) else {fold(chr(av)) if state.caseless else chr(av)}
    if op is _c.IN and av and all(k is _c.LITERAL and not _unfoldable(c, state) for k, c in av):
        return {fold(chr(c)) if state.caseless else chr(c) for _, c in av}
    if op is _c.SUBPATTERN:
        return _exact_sequence(list(av[3]), _inner(state, av))
    if op is _c.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            part = _exact_sequence(list(branch), state)
            if part is None:
                return None
            union |= part
        return union if len(union) <= _MOST_STRINGS else None
    if op is _c.MAX_REPEAT and av[0] == 0 and av[1] == 1:
        part = _exact_sequence(list(av[2]), state)
        return None if part is None else part | {""}
    return None


def _exact_sequence(items: list[tuple[Any, Any]], state: _State) -> set[str] | None:
    strings = {""}
    for op, av in items:
        exact = _exact(op, av, state)
        if exact is None or len(strings) * len(exact) > _MOST_STRINGS:
            return None
        strings = {a + b for a in strings for b in exact}
    return strings


def _is_word(word: str) -> bool:
    """Whether ``word`` is one run of what ``\\w`` matches in a ``str`` pattern."""
    return all(_word_char(c) for c in word)


def _unfoldable(code: int, state: _State) -> bool:
    """A character compared without case whose group ``fold`` leaves apart."""
    return state.caseless and fold(chr(code)) in _MIXED


def holds(needs: Needed, text: str) -> bool:
    """Whether ``text`` contains one of ``needs``."""
    return _Test(needs)(text)


class _Test:
    """``holds`` for one set of literals, sorted by how each is looked for."""

    def __init__(self, needs: Needed) -> None:
        def of(mode: int) -> tuple[str, ...]:
            return tuple(sorted(s for s, m in needs if m == mode))

        self.plain, self.caseless = of(SUBSTRING), of(CASELESS)
        self.words, self.caseless_words = frozenset(of(WORD)), frozenset(of(WORD | CASELESS))

    def __call__(self, text: str) -> bool:
        if any(s in text for s in self.plain):
            return True
        if self.words and not self.words.isdisjoint(_words(text, caseless=False)):
            return True
        if self.caseless_words and not self.caseless_words.isdisjoint(_words(text, caseless=True)):
            return True
        if self.caseless:
            low = _folded(text)
            return any(s in low for s in self.caseless)
        return False


# The last text's folded form and words: every guarded pattern tests the same text in
# turn. One tuple each, so a thread never reads one text with another's.
_last_fold: tuple[str, str] = ("", "")
_last_words: dict[bool, tuple[str, frozenset[str]]] = {
    False: ("", frozenset()),
    True: ("", frozenset()),
}
_WORD_RUN = re.compile(r"\w+")


def _folded(text: str) -> str:
    global _last_fold
    last = _last_fold
    if last[0] is not text:
        last = _last_fold = (text, fold(text))
    return last[1]


def _words(text: str, *, caseless: bool) -> frozenset[str]:
    last = _last_words[caseless]
    if last[0] is not text:
        runs = _WORD_RUN.findall(_folded(text) if caseless else text)
        last = _last_words[caseless] = (text, frozenset(runs))
    return last[1]


# Each set of literals' verdict on the last text it was tested on: a pattern searched
# from many positions of one text, and patterns that need the same literals (one noun
# list in two patterns), test the text once. One tuple per entry, so a thread never
# reads one text with another's verdict.
_verdicts: dict[Needed, tuple[str, bool]] = {}


_END = sys.maxsize  # re's own default for endpos


class _Guarded:
    """A compiled pattern whose scans of a text first test ``needs`` (see ``guarded``)."""

    def __init__(self, pattern: re.Pattern[str], needs: Needed) -> None:
        self._pattern = pattern
        self._needs = needs
        self._test = _Test(needs)
        _verdicts.setdefault(needs, ("", False))

    def _may_match(self, text: str) -> bool:
        last = _verdicts[self._needs]
        if last[0] is not text:
            last = _verdicts[self._needs] = (text, self._test(text))
        return last[1]

    def search(self, text: str, pos: int = 0, endpos: int = _END) -> re.Match[str] | None:
        return self._pattern.search(text, pos, endpos) if self._may_match(text) else None

    def finditer(self, text: str, pos: int = 0, endpos: int = _END) -> Iterator[re.Match[str]]:
        if not self._may_match(text):
            return iter(())
        return self._pattern.finditer(text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int = _END) -> list[Any]:
        return self._pattern.findall(text, pos, endpos) if self._may_match(text) else []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pattern, name)  # match, fullmatch, sub, pattern, groups …


# --- a look-ahead at a match's first character (round 16) --------------------------------

# A pattern that opens with a look-behind, a word boundary or a case-insensitive
# alternation gets no fast scan from ``re`` (its compiler finds no literal or class to
# skip ahead to), so the whole pattern is tried at each position of the text. A
# look-ahead at the characters a match can start with fails at once where none stands.
_CATEGORIES = {
    _c.CATEGORY_DIGIT: r"\d",
    _c.CATEGORY_NOT_DIGIT: r"\D",
    _c.CATEGORY_SPACE: r"\s",
    _c.CATEGORY_NOT_SPACE: r"\S",
    _c.CATEGORY_WORD: r"\w",
    _c.CATEGORY_NOT_WORD: r"\W",
}
_ZERO_WIDTH = (_c.AT, _c.ASSERT, _c.ASSERT_NOT)
_GLOBAL_FLAGS = re.compile(r"^(?:\(\?[aiLmsux]+\))+")
# (class items, caseless, Unicode classes): one character a match may start with.
_Atom = tuple[tuple[tuple[Any, Any], ...], bool, bool]


def first_class(pattern: re.Pattern[str]) -> str | None:
    """A character class (its flags inline) that holds the first character of every
    match of ``pattern``, read from its parse tree; None when the parse does not show
    one (a match may be empty, start with any character, or with a back-reference)."""
    if pattern.flags & re.LOCALE:
        return None
    tree = _parser.parse(pattern.pattern, pattern.flags)
    flags = tree.state.flags
    atoms = _firsts(list(tree), _State(bool(flags & re.IGNORECASE), not flags & re.ASCII))
    if not atoms:
        return None
    caseless, unicode = {a[1] for a in atoms}, {a[2] for a in atoms}
    negated = any((_c.NEGATE, None) in items for items, _, _ in atoms)
    if len(caseless) > 1 or len(unicode) > 1 or (negated and len(atoms) > 1):
        return None  # one class would not say it; rare enough to leave alone
    if unicode.pop() == bool(pattern.flags & re.ASCII):
        return None  # \w and friends read otherwise here than where the class stands
    body = _class_body([item for items, _, _ in atoms for item in items])
    if body is None:
        return None
    return f"(?{'i' if caseless.pop() else '-i'}:[{body}])"


def _class_body(items: list[tuple[Any, Any]]) -> str | None:
    """The inside of a character class of ``items`` (a parsed class's members)."""
    body: list[str] = []
    for kind, value in items:
        if kind is _c.NEGATE:
            part = "^"
        elif kind is _c.LITERAL:
            part = f"\\U{value:08x}"
        elif kind is _c.RANGE:
            part = f"\\U{value[0]:08x}-\\U{value[1]:08x}"
        elif kind is _c.CATEGORY and value in _CATEGORIES:
            part = _CATEGORIES[value]
        else:
            return None
        if part not in body:
            body.insert(0, part) if part == "^" else body.append(part)
    return "".join(body)


def _firsts(items: list[tuple[Any, Any]], state: _State) -> list[_Atom] | None:
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue  # a look-around or an anchor: the next item is the first character
        return _first_of(op, av, state)
    return None  # the sequence may match the empty string


def _first_of(op: Any, av: Any, state: _State) -> list[_Atom] | None:
    if op is _c.LITERAL:
        return [(((op, av),), state.caseless, state.words)]
    if op is _c.IN:
        return [(tuple(av), state.caseless, state.words)]
    if op is _c.SUBPATTERN:
        return _firsts(list(av[3]), _inner(state, av))
    if op is _c.ATOMIC_GROUP:
        return _firsts(list(av), state)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        return _firsts(list(av[2]), state) if av[0] >= 1 else None
    if op is _c.BRANCH:
        union: list[_Atom] = []
        for branch in av[1]:
            part = _firsts(list(branch), state)
            if part is None:
                return None
            union += part
        return union
    return None  # any character, a back-reference, a condition


def led(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` behind a look-ahead at its first character (``first_class``): the
    same matches, the same groups; ``pattern`` itself when no class is found."""
    first = first_class(pattern)
    if first is None:
        return pattern
    rest = _GLOBAL_FLAGS.sub("", pattern.pattern, count=1)
    end = "\n)" if pattern.flags & re.VERBOSE else ")"  # a comment ends at the line's end
    return re.compile(f"(?={first})(?:{rest}{end}", pattern.flags)


def guarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern``, its ``search``, ``finditer`` and ``findall`` skipping a text that
    holds none of the literals its matches need; ``pattern`` itself when it needs none.
    For patterns that scan whole texts: a match at a given position gains nothing."""
    needs = needed(pattern)
    if needs is None:
        return pattern
    return cast("re.Pattern[str]", _Guarded(pattern, needs))
