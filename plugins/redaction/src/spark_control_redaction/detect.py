"""From findings to the spans to replace: rules, NER, deny and allow lists, values the
session already knows, and the resolution of overlaps.

Resolution never leaves a detected character in clear: when two findings overlap, the
higher-ranked one wins and what is left of the other (outside the winner) is still
replaced, under its own type.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from spark_control_redaction.addresses import address_spans
from spark_control_redaction.casual_names import casual_names
from spark_control_redaction.code_names import code_names
from spark_control_redaction.entities import (
    CREDIT_CARD,
    CUSTOM,
    EMAIL,
    IBAN,
    LITERAL,
    LOCATION,
    NER_TYPES,
    ORG,
    PERSON,
    PHONE,
    RULE_TYPES,
    SECRET,
    SSN,
    Span,
)
from spark_control_redaction.evidence import identifier_or_term, software_phrase
from spark_control_redaction.forms import fold_latin
from spark_control_redaction.kin import kin_names
from spark_control_redaction.lower import lower_names
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.names import (
    CUE_WORDS,
    NAME_WORDS,
    NOT_NAMES,
    PARTICLES,
    cue_spans,
    surface_forms,
)
from spark_control_redaction.people import (
    acting_names,
    calendar_month,
    name_word_ok,
    paired_names,
    person_piece,
    request_names,
    widen_names,
)
from spark_control_redaction.phone_context import context_phones, with_encoded_plus
from spark_control_redaction.phone_near import near_phones
from spark_control_redaction.phonebook import DEFAULT_REGIONS, library_phones
from spark_control_redaction.placeholders import TOLERANT
from spark_control_redaction.places import ORG_HEADS, org_spans, place_spans
from spark_control_redaction.prefilter import guarded
from spark_control_redaction.products import after_a_step, stand_as_products
from spark_control_redaction.round16_addresses import street_addresses
from spark_control_redaction.rules import RECOGNIZERS
from spark_control_redaction.scripts_people import given_names, script_people
from spark_control_redaction.someone import introduced, shows_someone
from spark_control_redaction.tables import (
    table_extensions,
    table_names,
    table_passwords,
    table_phones,
)
from spark_control_redaction.vcard import vcard_spans

# Words spaCy's small model now and then takes for a name or an organisation in the
# context of PII ("Email john@…", "SSN 123-…"): field labels, never an entity.
_FIELD_LABELS = frozenset(
    {
        "email", "e-mail", "mail", "phone", "tel", "mobile", "fax", "card", "ssn", "iban",
        "ip", "ipv4", "ipv6", "mac", "url", "key", "token", "secret", "password", "api",
        "address", "bearer", "basic", "summary", "details", "notes", "note", "machine",
        "login", "device", "subject", "reporter", "owner", "contact", "name", "user",
        "username", "host", "server", "port", "bic", "swift", "cell",
        "requester", "caller", "callback", "direct", "line", "date", "customer", "alt",
        "senior", "herren", "damen", "grüßen", "grüße", "rückfragen", "anbei",
    }
)  # fmt: skip


class Lists:
    """A deployment's deny list (always redact), allow list (never redact), whether
    context cues are used and its default phone regions."""

    def __init__(
        self,
        deny: Iterable[str] = (),
        allow: Iterable[str] = (),
        *,
        cues: bool = True,
        places_need_someone: bool = False,
        places_need_a_sign: bool = False,
        places_without_a_sign_stay: bool = True,
        phone_regions: Iterable[str] = DEFAULT_REGIONS,
    ) -> None:
        # Regions whose national phone numbers are looked for (settings.phone_regions).
        self.phone_regions = tuple(phone_regions)
        self._allow = frozenset(a.strip().casefold() for a in allow)
        # Context cues for names, places and organisations (settings.context_cues).
        self.cues = cues
        # Places and organisations only in a text about someone (settings).
        self.places_need_someone = places_need_someone
        # ... or in a text that shows a sign of a person (settings, round 14).
        self.places_need_a_sign = places_need_a_sign
        # ... and by default, places only (settings, round 16).
        self.places_without_a_sign_stay = places_without_a_sign_stay
        self._deny = _words_pattern(deny, ignore_case=True)

    def allowed(self, value: str) -> bool:
        return value.strip().casefold() in self._allow

    def deny_spans(self, text: str) -> list[Span]:
        if self._deny is None:
            return []
        return [Span(CUSTOM, m.start(), m.end()) for m in self._deny.finditer(text)]


def _words_pattern(values: Iterable[str], *, ignore_case: bool = False) -> re.Pattern[str] | None:
    """One pattern finding any of ``values`` as whole words (longest first)."""
    parts = []
    for value in sorted(set(values), key=len, reverse=True):
        if not value:
            continue
        left = r"(?<!\w)" if _bounded(value[0]) else ""
        right = r"(?!\w)" if _bounded(value[-1]) else ""
        parts.append(left + re.escape(value) + right)
    if not parts:
        return None
    return re.compile("|".join(parts), re.IGNORECASE if ignore_case else 0)


# Scripts written without spaces between words: a name there has no word boundary.
_UNSPACED = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")


def _bounded(char: str) -> bool:
    return (char.isalnum() or char == "_") and not _UNSPACED.match(char)


def rule_spans(text: str, types: Iterable[str]) -> list[Span]:
    found: list[Span] = []
    for type_ in types:
        recognizer = RECOGNIZERS.get(type_)
        if recognizer is not None:
            found.extend(recognizer(text))
    return found


def literal_spans(text: str) -> list[Span]:
    """Input that a rehydration would read as a placeholder: escaped by replacing it."""
    return [Span(LITERAL, m.start(), m.end()) for m in TOLERANT.finditer(text)]


def propagate(
    text: str, found: Sequence[Span], mapping: Mapping, types: frozenset[str]
) -> list[Span]:
    """Other occurrences of values already found here or earlier in the session, and
    lone words of people's names, so one missed mention does not leak a known name."""
    values: dict[str, str] = {}
    for type_, value in mapping.known_values():
        if type_ in types and type_ != LITERAL:
            values.setdefault(value, type_)
    for span in found:
        if span.type in NER_TYPES or span.type == CUSTOM:
            values.setdefault(text[span.start : span.end], span.type)
    for value, type_ in list(values.items()):
        if type_ == PERSON:
            for form in _forms(value):
                values.setdefault(form, PERSON)
    return _occurrences(text, values)


def _occurrences(text: str, values: dict[str, str]) -> list[Span]:
    """Where ``text`` writes one of ``values`` (value → type) as a whole word, compared
    without the accents of Latin letters ("Jose Garcia" is José García), one character
    for one so offsets stay. A plain substring test first: a long session knows
    thousands of values, and one pattern of them all would cost more to compile than
    the whole scrub."""
    folded = fold_latin(text)
    wanted: dict[str, str] = {}
    for v, t in values.items():
        f = fold_latin(v)
        if (len(v.strip()) >= 2 or _UNSPACED.fullmatch(v)) and f in folded:
            wanted.setdefault(f, t)
    # What ``_words_pattern(wanted).finditer(folded)`` finds, without compiling a new
    # pattern per text (that cost more than the search, and pushed libphonenumber's
    # patterns out of ``re``'s cache): the longest value at each start, left to right.
    longest: dict[int, int] = {}
    for value in wanted:
        left, right, size = _bounded(value[0]), _bounded(value[-1]), len(value)
        at = folded.find(value)
        while at >= 0:
            end = at + size
            if not (left and at and _word_char(folded[at - 1])) and not (
                right and end < len(folded) and _word_char(folded[end])
            ):
                longest[at] = max(end, longest.get(at, end))
            at = folded.find(value, at + 1)
    spans, done = [], 0
    for start in sorted(longest):
        if start >= done:
            done = longest[start]
            spans.append(Span(wanted[folded[start:done]], start, done))
    return spans


def _word_char(char: str) -> bool:
    """What ``\\w`` matches in a ``str`` pattern."""
    return char.isalnum() or char == "_"


# What the model now and then reads as a name, a place or an organisation in code,
# configuration and logs: never in a real one.
_NOT_IN_NAMES = re.compile(r"://|[@_=(){}\[\]<>\"/\\#$%:;|]|^[-.]|\.\w")
_HEADER_NAME = re.compile(r"^X-[A-Za-z]+(?:-[A-Za-z]+)*$")
_CASELESS_ONLY = re.compile(
    r"[\u0590-\u06ff\u0900-\u097f\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\s]+"
)
_SHORT_ACRONYM = re.compile(r"^[A-Z]{1,4}s?$")


def plausible_entity(text: str, span: Span) -> bool:
    """Whether an NER span reads like a name at all (see ``_NOT_IN_NAMES``)."""
    value = text[span.start : span.end].strip()
    if value.casefold() in _FIELD_LABELS or CUE_WORDS.fullmatch(value):
        return False
    letters = sum(c.isalpha() for c in value)
    digits = sum(c.isdigit() for c in value)
    if letters < 2 or digits * 4 > letters or _NOT_IN_NAMES.search(value):
        return False
    # Written in a script with capitals but none: "sshpass", "εκτίμηση".
    if any(c.islower() for c in value) and not any(c.isupper() for c in value):
        return False
    # "X-Auth-Token": an HTTP header's name.
    if _HEADER_NAME.match(value):
        return False
    # A place or an organisation in a script without capitals is a guess of a model
    # that reads English ("भेज" is a verb); names there are found by their cues.
    if span.type != PERSON and _CASELESS_ONLY.fullmatch(value):
        return False
    return not _model_guess(text, span, value)


def _model_guess(text: str, span: Span, value: str) -> bool:
    """What the model reads as a name but the text shows is none (round 4)."""
    # "CI", "HR", "API", "GDPR": acronyms, seldom an organisation someone would be found
    # by; initials of a person are found from the person's name, not by the model.
    if _SHORT_ACRONYM.match(value) or (value.isupper() and " " not in value and len(value) <= 5):
        return True
    # "Art. 6", "Sec. 4(b)": a reference into a document.
    if re.match(r"\.[ \u00a0]?\d", text[span.end : span.end + 3]):
        return True
    # Cyrillic and Greek: the English model only guesses there ("Обращение"); names in
    # those scripts are found by their capitals and cues (names.capitalised_runs).
    if _CYR_GREEK.search(value) and not any("a" <= c.lower() <= "z" for c in value):
        return True
    return identifier_or_term(text, span, value) or _ordinary_words(text, value)


def _ordinary_words(text: str, value: str) -> bool:
    """ "Kernel Module" in a log that also writes "kernel" and "module": ordinary words
    capitalised in a heading or a message, not a name (but the whole name written in
    lower case elsewhere is the same person: "john smith")."""
    words = re.findall(r"[^\W\d_]{3,}", value)
    if not words or any(w == w.lower() for w in words):
        return False
    if len(words) >= 2 and value.lower() in text:
        return False
    lower = _lower_prose_words(text)
    return all(w.lower() in lower for w in words)


# A word of prose, not a part of an address, a path or a dotted name ("alice@…").
_PROSE_WORD = re.compile(r"(?<![\w@./\-])[^\W\d_]+(?![\w@/\-]|\.\w)")


@lru_cache(maxsize=16)
def _lower_prose_words(text: str) -> frozenset[str]:
    """The words ``text`` writes in lower case as words of prose (one scan per text)."""
    return frozenset(w for w in _PROSE_WORD.findall(text) if w.islower())


_CYR_GREEK = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]")


_LEADING_CUE = re.compile(r"[^\W\d_]+(?: you)?[,.!:]?\s+")


# Where one line of a table or of a command's help ends and the next column begins.
_BREAK = re.compile(r"\n|[ \t]{2,}|\t")


def _ner_pieces(text: str, span: Span) -> list[Span]:
    """An NER span cut at line breaks (the model reads them as spaces: "Stiftung\nTel")
    and at the gaps between columns ("PATH          Configuration"), without a greeting
    it swallowed ("مرحبا أحمد" is أحمد)."""
    pieces, start = [], span.start
    for line in _BREAK.split(text[span.start : span.end]):
        at = text.index(line, start) if line else start
        lead = _LEADING_CUE.match(line)
        skip = lead.end() if lead and CUE_WORDS.fullmatch(lead.group().strip()) else 0
        if line[skip:].strip():
            piece = Span(span.type, at + skip, at + len(line), span.rank)
            # Cut only what reads as a name already ("06:28 Rollback" is a log's line).
            pieces += _result_names(text, piece) if _plausible(text, piece) else [piece]
        start = at + len(line)
    return pieces


# The numbers of a result or a ranking the model reads into a name: a score ("4-1"),
# a minute ("88'", "45+2'"), a rank ("1st", "3.") or a lone number after the name.
_RESULT_NUMBER = re.compile(
    r"(?<!\S)(?:[1-9]?\d[-\u2013:][1-9]?\d|\d{1,3}(?:\+\d{1,2})?['\u2019]"
    r"|\d{1,3}(?:st|nd|rd|th|[.)]))(?!\S)"
)
_NAME_WORD = r"[^\W\d_a-z][^\W\d_]*(?:['\u2019\-][^\W\d_]+)?"
_NAME_PIECE = re.compile(rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,3}}")


def _result_names(text: str, span: Span) -> list[Span]:
    """A guess cut at the numbers of a result or a ranking ("Chidi Obi 4-1 Lars Berg",
    "Andersson 88'", "1st Abimbola Fashola", "Pham Thu Ha 3" before "3.") where what is
    left is names; else the guess as it is ("Route 66", "Terminal 2" stay whole)."""
    value = text[span.start : span.end]
    if not any(c.isdigit() for c in value):
        return [span]
    if value[-1].isdigit() and text[span.end : span.end + 1] in (".", ")"):
        value += text[span.end]  # "Pham Thu Ha 3" of "… Pham Thu Ha 3. Le Quoc Bao"
    cuts = list(_RESULT_NUMBER.finditer(value))
    if not cuts:
        return [span]
    pieces, at = [], 0
    for m in [*cuts, None]:
        end = m.start() if m else len(value)
        part = value[at:end]
        word = part.strip(" \t-\u2013")
        if word:
            if not _NAME_PIECE.fullmatch(word):
                return [span]
            offset = span.start + at + part.index(word)
            pieces.append(Span(span.type, offset, offset + len(word), span.rank))
        at = m.end() if m else len(value)
    return pieces or [span]


# "@", or the "[at]", "(at)", " AT " of an address written against harvesters.
_AT = r"(?:@|[ \t]*[\[({<](?i:at)[\])}>]|[ \t]+AT[ \t]+)"
_EMAIL_LOCAL = re.compile(r"(?<![\w.%+\-])([A-Za-z]{2,})[._\-]([A-Za-z]{2,})\d{0,4}" + _AT)
# Whether a text can hold an address at all, written plainly or obfuscated as _AT allows:
# one quick scan before the costlier local-part patterns.
_AT_HINT = re.compile(r"@|[\[({<](?i:at)[\])}>]|[ \t]AT[ \t]")


# Characters that ``(?i)`` matches to an ASCII letter although ``str.lower()`` makes
# them something else (every code point is tried in tests/redaction/
# test_no_pattern_per_text.py).
_CASELESS_ASCII = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def _caseless(text: str) -> str:
    """``text`` in which every place a case-insensitive pattern of ASCII letters, spaces
    and commas can match holds that pattern in lower case: a test with ``in`` before a
    pattern is compiled for a name (one per name and text cost more than the search,
    and pushed other patterns out of ``re``'s cache)."""
    return text.lower() if text.isascii() else text.translate(_CASELESS_ASCII).lower()


# Letters an address writes as another letter (dotless i as "i", "ø" as "o"…).
_FOLD_EXTRA = str.maketrans(
    {"\u0131": "i", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D"}
)


def _fold_accents(text: str) -> str:
    """``text`` with each letter's accent dropped, one character for one (so that
    offsets stay those of ``text``)."""
    out = []
    for c in text.translate(_FOLD_EXTRA):
        base = unicodedata.normalize("NFD", c)[0] if ord(c) > 127 else c
        out.append(base)
    return "".join(out)


def email_names(text: str, found: Sequence[Span]) -> list[Span]:
    """A name written as an address's local part ("maria.gonzalez@…") is that person's:
    where the text also writes it as a name ("Maria Gonzalez"), that is a person."""
    if "@" not in text and not _AT_HINT.search(text):
        return []
    spans: list[Span] = _lone_local_names(text) if "@" in text else []
    folded = _fold_accents(text) if not text.isascii() else text
    matches = list(_EMAIL_LOCAL.finditer(text))
    if not matches:
        # "w.ashcombe@…": a one-letter piece is no name, the other piece still is.
        return spans + _address_words(text, folded)
    low = _caseless(folded)
    for m in matches:
        first, last = m.group(1), m.group(2)
        for name in (f"{first} {last}", f"{last} {first}", f"{last}, {first}"):
            if name.lower() not in low:
                continue  # (most names: no pattern compiled for them)
            # "emilie.faure@…" is Émilie Fauré: compare without accents.
            for hit in re.finditer(rf"(?i)(?<!\w){re.escape(name)}(?!\w)", folded):
                if text[hit.start()].isupper():
                    spans.append(Span(PERSON, hit.start(), hit.end()))
    return spans + _address_words(text, folded)


def _address_words(text: str, folded: str) -> list[Span]:
    """A capitalised word that is one part of an address's local part ("Femi:" beside
    "femi.adeyemi@…", "sigrun.p@…"): that person's given or family name."""
    spans: list[Span] = []
    wanted: set[str] = set()
    for m in _LOCAL_PART.finditer(text):
        pieces = re.split(r"[._\-]", m.group(1))
        if len(pieces) < 2:
            continue
        wanted.update(
            p.casefold()
            for p in pieces
            if len(p) >= 3
            and p.isalpha()
            and p.casefold() not in _ROLE_WORDS
            and p.casefold() not in NOT_NAMES
        )
    if wanted:
        for hit in _PROSE_WORD.finditer(folded):
            if hit.group().casefold() not in wanted:
                continue
            word = text[hit.start() : hit.end()]
            if (word[0].isupper() and not word.isupper()) or (word.isupper() and len(word) > 3):
                spans.append(Span(PERSON, hit.start(), hit.end()))
    return spans


# "alice@example.com": an address whose local part is one word (round 9), at a mail
# domain ("example.com", "example.co.uk"), not at a machine ("deploy@build.example.net").
_LONE_LOCAL = re.compile(
    r"(?<![\w.%+\-])(?P<local>[A-Za-z]{3,20})@(?P<host>[A-Za-z0-9\-]+)"
    r"\.(?:(?:co|com|org|net|ac|gov|edu)\.)?[A-Za-z]{2,}(?![\w\-]|\.\w)"
)


def _lone_local_names(text: str) -> list[Span]:
    """ "Call Alice … at alice@example.com": the capitalised word a one-word local part
    spells is that person's name, where the text uses it as one (not "Git" beside
    "git@github.com": the host names the same word)."""
    wanted = {
        m.group("local").casefold()
        for m in _LONE_LOCAL.finditer(text)
        if m.group("local").casefold() not in _ROLE_WORDS
        and m.group("local").casefold() not in NOT_NAMES
        and m.group("local").casefold() not in m.group("host").casefold()
    }
    spans: list[Span] = []
    for word in wanted:
        for hit in re.finditer(rf"(?<![\w@.\-])(?i:{word})(?![\w@\-]|\.\w)", text):
            value = hit.group()
            if value[0].isupper() and name_word_ok(value, text):
                spans.append(Span(PERSON, hit.start(), hit.end()))
    return spans


_LOCAL_PART = re.compile(r"(?<![\w.%+\-])([A-Za-z][A-Za-z._\-]{2,40}?)\d{0,4}" + _AT)
# Local parts that name a role, not a person.
_ROLE_WORDS_TEXT = """info support sales admin noreply no-reply reply billing team office
    hello contact accounts account help mail service services security abuse postmaster webmaster
    notifications alerts jobs careers press media marketing finance legal hr dev ops
    it devops root test demo user users customer customers orders order shop store news
    newsletter invoice invoices payments payment booking bookings reservations privacy
    compliance partners partner feedback hostmaster dpo ceo cto cfo"""
_ROLE_WORDS = frozenset(_ROLE_WORDS_TEXT.split())


_INITIALS_AFTER = re.compile(r"[ \t]*\((?P<ini>[^\W\d_]{2,4})\)")


_NAME_THEN_INITIALS = re.compile(rf"(?P<name>{NAME_WORDS})[ \t]*\((?P<ini>[^\W\d_]{{2,4}})\)")


def _initials(words: list[str]) -> str:
    return "".join(w[0] if w in PARTICLES else w[0].upper() for w in words)


def defined_initials(text: str, found: Sequence[Span]) -> list[Span]:
    """ "Jane Roe (JR)": initials defined right after a name stand for that person (and
    every later "JR" is found by ``propagate``); the name with them, also where the
    model did not find it ("Keiko Tanabe (KT)")."""
    spans = []
    for m in _NAME_THEN_INITIALS.finditer(text):
        words = m.group("name").split()
        # The name may carry words before it ("Present: Femi Adeyemi"): its tail.
        for k in range(max(0, len(words) - 4), len(words) - 1):
            tail = words[k:]
            if _initials(tail) == m.group("ini") and tail[0][0].isupper():
                start = m.start("name") + m.group("name").index(" ".join(tail))
                spans.append(Span(PERSON, start, m.end("name")))
                spans.append(Span(PERSON, m.start("ini"), m.end("ini")))
                break
    for span in found:
        if span.type != PERSON:
            continue
        after = _INITIALS_AFTER.match(text, span.end)
        words = text[span.start : span.end].split()
        if after and len(words) >= 2 and after.group("ini") == "".join(w[0] for w in words):
            spans.append(Span(PERSON, after.start("ini"), after.end("ini")))
    return spans


# "A. de Vries", "M. Hořejší": an initial and a family name is a person.
_INITIAL_SURNAME = re.compile(
    r"[^\W\d_]\.[ \u00a0]?(?:(?:van|von|de|der|den|du|da|di|del|dos|das|ter|le|la)[ \u00a0])*"
    r"[^\W\d_a-z][^\W\d_]+(?:-[^\W\d_]+)?"
)


def _retype_known_people(text: str, candidates: list[Span]) -> list[Span]:
    """A word the model calls a place or an organisation while the text names a person
    with it ("Asante" after "Kwame Asante") is that person."""
    people: set[str] = set()
    for span in candidates:
        if span.type == PERSON:
            people.update(_forms(text[span.start : span.end]))
    candidates = [
        Span(PERSON, s.start, s.end, s.rank)
        if s.type in (ORG, LOCATION)
        and (_INITIAL_SURNAME.fullmatch(text[s.start : s.end]) or _named_again(text, s, candidates))
        else s
        for s in candidates
    ]
    if not people:
        return candidates
    return [
        Span(PERSON, s.start, s.end, s.rank)
        if s.type in (ORG, LOCATION) and text[s.start : s.end] in people
        else s
        for s in candidates
    ]


# A word that acts as a person's name does: a possessive, or a verb after it
# ("Henrietta can collect it", "Priyanka will report to …", "Marguerite lives alone").
_ACTS = re.compile(r"(?:['\u2019]s)?[ \t]+[a-z]{2,}\b")


# A pronoun only a person takes: a brand's or a place's first word acts alone too
# ("Google Home … Google supports"), but the text then calls nobody "she" or "who".
_SOMEONE = re.compile(r"(?i)\b(?:she|he|her|hers|his|him|herself|himself|who|whom)\b")


def _named_again(text: str, span: Span, candidates: Sequence[Span]) -> bool:
    """A place or an organisation the model found, written as a person's name, whose
    first or last word stands again by itself and acts as a person's name does
    ("Henrietta Vollmer" read as ORG, then "Henrietta can collect it"): the model
    mistyped a person, where the text calls someone "she", "his" or "who". Places and
    organisations are seldom cut to one of their words."""
    value = text[span.start : span.end]
    if not _person_shaped(value) or len(value.split()) != 2 or not _SOMEONE.search(text):
        return False
    inside = [(c.start, c.end) for c in candidates if text[c.start : c.end] == value]
    for word in {value.split()[0], value.split()[1]}:
        if len(word) < 3:
            continue
        for hit in re.finditer(rf"(?<![\w@.\-]){re.escape(word)}(?![\w@\-])", text):
            if any(a <= hit.start() < b for a, b in inside):
                continue
            if _ACTS.match(text, hit.end()) and word.casefold() not in _lower_prose_words(text):
                return True
    return False


def resolve(text: str, candidates: Iterable[Span], lists: Lists) -> list[Span]:
    """Non-overlapping spans to replace, ordered by position."""
    ordered = sorted(
        (c for c in candidates if c.end > c.start),
        key=lambda s: (-s.priority, -(s.end - s.start), s.start),
    )
    accepted = _Accepted()
    for candidate in ordered:
        if candidate.type != LITERAL and lists.allowed(text[candidate.start : candidate.end]):
            continue
        pieces = accepted.outside(candidate)
        trimmed = pieces != [candidate]
        for piece in pieces:
            stripped = _strip(text, piece)
            if stripped is None:
                continue
            # What another find left of a name is often just the label before it
            # ("IBAN", "mailto:"): keep only what still reads like a name.
            if trimmed and stripped.type in NER_TYPES and not _name_like(text, stripped):
                continue
            accepted.add(stripped)
    return accepted.spans


class _Accepted:
    """Accepted spans, which never overlap, kept in order of position: a candidate is
    compared with the few accepted spans it overlaps, found by bisection (comparing it
    with every accepted span cost seconds on a text naming thousands of people)."""

    def __init__(self) -> None:
        self.spans: list[Span] = []
        self._starts: list[int] = []
        self._ends: list[int] = []

    def outside(self, span: Span) -> list[Span]:
        """The parts of ``span`` not covered by any accepted span."""
        # Accepted spans do not overlap, so their ends are in order too: those that
        # overlap ``span`` start before its end and end after its start.
        first = bisect.bisect_right(self._ends, span.start)
        last = bisect.bisect_left(self._starts, span.end)
        if first >= last:
            return [span]
        pieces, at = [], span.start
        for other in self.spans[first:last]:
            if at < other.start:
                pieces.append(Span(span.type, at, other.start))
            at = max(at, other.end)
        if at < span.end:
            pieces.append(Span(span.type, at, span.end))
        return pieces

    def add(self, span: Span) -> None:
        at = bisect.bisect_left(self._starts, span.start)
        self.spans.insert(at, span)
        self._starts.insert(at, span.start)
        self._ends.insert(at, span.end)


def _name_like(text: str, span: Span) -> bool:
    value = text[span.start : span.end].strip(" .,;:()[]<>\"'")
    letters = sum(c.isalpha() for c in value)
    return letters >= 2 and value.casefold() not in _FIELD_LABELS


def _strip(text: str, span: Span) -> Span | None:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if not any(c.isalnum() for c in text[start:end]):
        return None
    return Span(span.type, start, end)


# What makes a text about someone: a place or an organisation the model guesses is
# personal only beside a person, or a way to reach or pay one (issue 21, round 11).
_PERSONAL = frozenset({PERSON, EMAIL, PHONE, IBAN, CREDIT_CARD, SSN})
# A person's story names a place or an organisation or two; a forecast, a list of
# regions, a market report or a product's availability names many.
_MANY = 3
# Two or three capitalised words, as a person's name is written: the model calls many a
# person an organisation or a place ("Eva Novak from Prague joined …"), so such a guess
# is no proof that a text is about no one.
_NAME_SHAPE = re.compile(
    r"[^\W\d_a-z][^\W\d_A-Z]+(?:[ \u00a0](?:(?:van|von|de|da|dos|del|di|le|la) )?"
    r"[^\W\d_a-z][^\W\d_A-Z]+(?:-[^\W\d_a-z][^\W\d_A-Z]+)?){1,2}"
)
# Words of geography and of organisations, never a part of a person's name here.
_PLACE_OR_ORG_TEXT = """
    north south east west northern southern eastern western new united saint san santa
    sankt kingdom states republic union federal pacific atlantic america europe asia
    africa middle central city county island islands bay point hall street road park
    river lake mount valley coast port airport station centre center group bank company
    club university college school museum store market cloud shipping care date
"""
_PLACE_OR_ORG_WORDS = frozenset(_PLACE_OR_ORG_TEXT.split()) | frozenset(ORG_HEADS)


def _model_guesses_kept(
    text: str,
    guesses: list[Span],
    found: Sequence[Span],
    mapping: Mapping,
    addresses: list[Span],
) -> list[Span]:
    """The model's people, places and organisations to replace. In a text about someone
    (``_about_someone``: what the rules and cues found, or the session), all of them.
    In a text about no one, none laid out as a heading or a table's cell ("| Launched |",
    "Design Critique" on a line of its own), and no place or organisation of a list of
    them ("Sydney, Singapore and Tokyo") unless a person may be among the guesses."""
    if not guesses:
        return []
    guesses = _retype_known_people(text, guesses)
    if _about_someone(found, mapping, addresses=bool(addresses)):
        return guesses
    guesses = [g for g in guesses if not _laid_out(text, g) and not _imperative(text, g)]
    guesses = _without_product_words(text, guesses)
    listed = _listed(text, guesses)
    if any(
        g not in listed and (g.type == PERSON or _person_shaped(text[g.start : g.end]))
        for g in guesses
    ):
        return guesses
    return [g for g in guesses if g not in listed]


def _without_product_words(text: str, guesses: list[Span]) -> list[Span]:
    """The guesses without the model's one-word people when each of them stands where a
    product, a tool or a button stands ("Press Restart", "in Grafana", "Kafka 3.6",
    products.py) and the text shows no sign of a person (someone.py): the small model
    reads many a product and step as a given name (round 15)."""
    people = [g for g in guesses if g.type == PERSON]
    words = [(g.start, g.end) for g in people if text[g.start : g.end].isalpha()]
    if len(words) < len(people) or not stand_as_products(text, words):
        return guesses
    # "Open Settings": a step's verb beside the word is no given name of it.
    others = [g for g in guesses if g.type != PERSON or not after_a_step(text, g.start)]
    if shows_someone(text, _name_guessed(text, others)):
        return guesses
    return [g for g in guesses if g.type != PERSON]


def _person_shaped(value: str) -> bool:
    """Whether a place or an organisation the model found may be a person it mistyped."""
    words = value.casefold().split()
    return bool(_NAME_SHAPE.fullmatch(value)) and not any(w in _PLACE_OR_ORG_WORDS for w in words)


# A capitalised word right before or after a one-word guess, on its line: the model cuts
# names ("Anders Nilsson heads sales" read as the organisation "Nilsson").
_WORD_BEFORE = re.compile(r"[^\W\d_a-z][^\W\d_A-Z]+[ \u00a0]$")
_WORD_AFTER = re.compile(r"[ \u00a0][^\W\d_a-z][^\W\d_A-Z]+\b")


def _name_guessed(text: str, guesses: Sequence[Span]) -> bool:
    """Whether the model guessed anything written like a person's name, kept or not
    ("Summer Hollis: 4-8 Mar" is a line of a leave tracker, not a heading), or one word
    of such a name."""
    for g in guesses:
        value = text[g.start : g.end]
        if _person_shaped(value):
            return True
        if " " in value:
            continue
        before = _WORD_BEFORE.search(text, max(0, g.start - 40), g.start)
        after = _WORD_AFTER.match(text, g.end)
        if before and _person_shaped(before.group().rstrip() + " " + value):
            return True
        if after and _person_shaped(value + " " + after.group().lstrip()):
            return True
    return False


def _about_someone(
    found: Sequence[Span], mapping: Mapping, *, addresses: bool, shapes: str | None = None
) -> bool:
    """Whether the text (or its session) holds personal data besides places and
    organisations: a person, an e-mail address, a phone number, an account or a card, a
    postal address. With ``shapes`` (the text), a place or an organisation written as a
    person's name is counted as one (the model mistypes people: "Eva Novak from
    Prague joined …")."""
    if addresses or any(s.type in _PERSONAL for s in found):
        return True
    if shapes is not None and any(
        s.type in (ORG, LOCATION) and _person_shaped(shapes[s.start : s.end]) for s in found
    ):
        return True
    return any(e.type in _PERSONAL for e in mapping.entities)


# A line's small words, which a title-cased heading leaves in lower case.
_HEADING_SMALL_TEXT = "a an and as at by for in of on or the to vs with from"
_HEADING_SMALL = frozenset(_HEADING_SMALL_TEXT.split())
_HEADING_LEAD = re.compile(r"^[ \t]*(?:#+|[-*\u2022>]|\d+(?:\.\d+)*\.?|\w\))?[ \t]*")


# What a heading does not hold and a line of a ranking or of results does: places
# numbered in the line ("1. Hoang Van Minh 2. Pham Thu Ha") or a result between two
# sides ("Chidi Obi 4-1 Lars Berg"). (Items parted by commas are no such sign: a menu's
# or a product's line lists dishes and brands the model calls people.)
_ITEMS = re.compile(
    r"[^\W\d_][ \t]+\d{1,3}[.)][ \t]+[^\W\d_]"
    r"|[^\W\d_][ \t]+\d{1,3}[ \t]*[-\u2013:][ \t]*\d{1,3}[ \t]+[^\W\d_]"
)


def _laid_out(text: str, span: Span) -> bool:
    """Whether ``span`` is a table's cell by itself or a part of a heading (a line of
    capitalised words without a sentence's end): a label, not a mention of someone."""
    start = text.rfind("\n", 0, span.start) + 1
    end = text.find("\n", span.end)
    line = text[start : end if end >= 0 else len(text)]
    at, to = span.start - start, span.end - start
    if "|" in line:
        left, right = line.rfind("|", 0, at), line.find("|", to)
        if left >= 0 and right >= 0 and not line[left + 1 : at].strip():
            return not line[to:right].strip(" .,;:*_`")
    body = line[_HEADING_LEAD.match(line).end() :].strip()  # type: ignore[union-attr]
    if not body or len(body) > 80 or body[-1] in ".!?," or "|" in body:
        return False
    if _ITEMS.search(body):
        return False
    words = re.findall(r"[^\W\d_][\w'\u2019\-]*", body)
    if span.type == PERSON and len(words) >= 6 and body.isupper():
        # Round 13: a notice in capitals ("NOTE TO NIGHT SHIFT: BARNABY OKONKWO IS
        # COVERING …") is a sentence the model read title-cased (ner.read_capitals).
        return False
    return len(words) >= 2 and all(w[0].isupper() or w.casefold() in _HEADING_SMALL for w in words)


# What joins the items of a list: commas, "and", "or", slashes, line breaks and bullets.
_LIST_GAP = re.compile(r"(?:[ \t]*(?:[,;/&\u00b7]|\band\b|\bor\b|\n[ \t]*[-*\u2022]?)[ \t]*)+")


def _listed(text: str, guesses: list[Span]) -> set[Span]:
    """The guesses that stand in a list of ``_MANY`` or more places and organisations,
    one right after another (one of them the model may call a person: "São Paulo,
    Mumbai, Sydney"); a list of people stays."""
    ordered = sorted(guesses, key=lambda g: g.start)
    runs: list[list[Span]] = []
    for g in ordered:
        if runs and _LIST_GAP.fullmatch(text[runs[-1][-1].end : g.start]):
            runs[-1].append(g)
        else:
            runs.append([g])
    return {
        g
        for run in runs
        if len(run) >= _MANY and sum(g.type == PERSON for g in run) <= 1
        for g in run
    }


# Words that follow a verb, never a name, at a sentence's start ("Run the installer",
# "Install any updates"); a name there is followed by its verb or a comma.
_AFTER_IMPERATIVE = re.compile(
    r"[ \t]+(?:the|a|an|this|these|those|your|our|their|its|all|any|each|every)\b"
)
_SENTENCE_START = re.compile(r"(?:^|[.!?][ \t]+|\n)[ \t]*(?:[-*\u2022>#]+[ \t]*)?$")


def _imperative(text: str, span: Span) -> bool:
    """A one-word person the model reads in a verb that opens a sentence and takes an
    object ("Run the installer from …")."""
    value = text[span.start : span.end]
    return (
        span.type == PERSON
        and value.isalpha()
        and bool(_SENTENCE_START.search(text, 0, span.start))
        and bool(_AFTER_IMPERATIVE.match(text, span.end))
    )


def _by_rules(text: str, types: frozenset[str]) -> tuple[list[Span], list[Span]]:
    """What the rules find, and apart from it the organisations they find by a legal
    form: with the model's places and organisations, in a text about someone only when
    the deployment says so (settings.places_need_someone)."""
    found, orgs = literal_spans(text), []
    for s in rule_spans(text, (t for t in (*RULE_TYPES, ORG) if t in types)):
        if s.type != ORG:
            found.append(s)
        elif not software_phrase(text[s.start : s.end]):
            orgs.append(s)
    return found, orgs


def _people_by_cue(text: str, found: list[Span]) -> list[Span]:
    """People found by what the text says around them; ``found`` is what else is
    found (names in addresses and initials are read from it)."""
    people = [
        *cue_spans(text),
        *acting_names(text),
        *request_names(text),
        *paired_names(text),
        *code_names(text),
        *table_names(text),
        *kin_names(text),
        *lower_names(text),
        *casual_names(text),
        *script_people(text),
    ]
    people += email_names(text, [*found, *people])
    people += given_names(text, [*found, *people])
    return people + defined_initials(text, [*found, *people])


def _about_no_one(
    text: str,
    guesses: list[Span],
    kept: list[Span],
    by_cue: list[Span],
    legal: list[Span],
    lists: Lists,
) -> tuple[list[Span], list[Span]]:
    """What stays of the model's guesses (``kept``), of the places and organisations found
    by a cue (``by_cue``) and of the organisations found by a legal form (``legal``) in a
    text where nothing personal was found (``_about_someone``). With
    ``places_need_someone``, the model's people only. With ``places_need_a_sign`` (round
    14), the model's places and organisations and those of a cue go when the text shows
    no sign of a person at all (someone.py): a forecast's towns, a market's companies,
    an office's city; a company named with its legal form stays. Called only with one
    of the two settings on; by default, all stay."""
    if lists.places_need_someone:
        return [g for g in kept if g.type == PERSON], []
    if shows_someone(text, _name_guessed(text, guesses)):
        return kept, legal + by_cue
    return (
        [g for g in kept if g.type == PERSON or introduced(text, g.start)],
        legal + [s for s in by_cue if introduced(text, s.start)],
    )


# A capitalised word that opens a sentence and is followed by a verb in the past tense
# ("Globex opened a warehouse outside Rotterdam", "Tesla recalled cars sold in Norway"):
# the subject of an act, an organisation or a person the model did not read.
_SUBJECT = re.compile(
    r"(?:^|[.!?][ \t]+|\n[ \t]*)(?P<word>[^\W\d_a-z][^\W\d_A-Z]+)[ \t]+[^\W\d_A-Z]+ed\b"
)
_NOT_A_SUBJECT = frozenset({"the", "a", "an", "this", "that", "these", "those", "it", "we"})


def _unread_subject(text: str, guesses: Sequence[Span]) -> bool:
    """Whether a sentence opens with a capitalised word the model guessed nothing in,
    followed by a verb in the past tense (``_SUBJECT``)."""
    for m in _SUBJECT.finditer(text):
        if m.group("word").casefold() in _NOT_A_SUBJECT:
            continue
        if not any(g.start <= m.start("word") < g.end for g in guesses):
            return True
    return False


def _places_of_no_one(
    text: str, guesses: list[Span], kept: list[Span], by_cue: list[Span], legal: list[Span]
) -> tuple[list[Span], list[Span]]:
    """The model's guesses (``kept``) and what the cues and legal forms found (``by_cue``,
    ``legal``) without their places, by default (settings.places_without_a_sign_stay,
    round 16), in a text where nothing personal was found that shows no sign of a person
    (someone.py), names no organisation and opens no sentence with an act of a subject
    the model did not read (``_unread_subject``), and where the place is not introduced
    as someone's: a forecast's towns, a fixture's grounds, a travel note's sights.
    Organisations stay replaced, and so do a company's places ("Tesla recalled cars
    sold in Norway"): the model calls many a person's employer or a mistyped person an
    organisation, and dropping them leaked (``places_need_a_sign`` is the deployment's
    choice for them)."""
    if (
        any(s.type == ORG for s in (*kept, *by_cue, *legal))
        or _unread_subject(text, guesses)
        or shows_someone(text, _name_guessed(text, guesses))
    ):
        return kept, legal + by_cue
    return (
        [g for g in kept if g.type != LOCATION or introduced(text, g.start)],
        legal + [s for s in by_cue if s.type != LOCATION or introduced(text, s.start)],
    )


# Asked again and again for one text: a name's forms (by each pass of propagation and by
# the retyping of places), an NER piece's plausibility (once when cut, once when kept).
# Kept while a text is read, cleared after it, so that no name stays in the process.
_forms = lru_cache(maxsize=4096)(lambda name: frozenset(surface_forms(name)))
_plausible = lru_cache(maxsize=4096)(plausible_entity)


def detect_sync(
    text: str,
    ner: Sequence[Span],
    mapping: Mapping,
    lists: Lists,
    types: frozenset[str],
) -> list[Span]:
    """Every span to replace in ``text``, given the NER spans already computed."""
    try:
        return _detect(text, ner, mapping, lists, types)
    finally:
        _forms.cache_clear()
        _plausible.cache_clear()


def _detect(
    text: str,
    ner: Sequence[Span],
    mapping: Mapping,
    lists: Lists,
    types: frozenset[str],
) -> list[Span]:
    candidates, legal = _by_rules(text, types)
    by_cue: list[Span] = []
    if PHONE in types:
        candidates += library_phones(text, lists.phone_regions)
        candidates += table_extensions(text)
        candidates += table_phones(text)
        candidates += context_phones(text, lists.phone_regions)
        candidates += near_phones(text)
        candidates = with_encoded_plus(text, candidates)
    if SECRET in types:
        candidates += table_passwords(text)
    if CUSTOM in types:
        candidates += lists.deny_spans(text)
    # The model's guesses: kept or not once the rest is found (_model_guesses_kept).
    guesses = [
        piece
        for span in ner
        if span.type in types
        for piece in _ner_pieces(text, person_piece(text, span))
        if _plausible(text, piece)
    ]
    # Round 16: the whole address from its street part too (longer, so it wins over the
    # parts address_spans finds and the postal code goes with it).
    addresses = [*address_spans(text), *street_addresses(text)] if LOCATION in types else []
    candidates += addresses
    if lists.cues:
        by_cue += [s for s in place_spans(text) if LOCATION in types]
        by_cue += [s for s in org_spans(text) if ORG in types]
        candidates += [s for s in vcard_spans(text) if s.type in types]
    if lists.cues and PERSON in types:
        candidates += _people_by_cue(text, [*candidates, *legal, *by_cue, *guesses])
    kept = _model_guesses_kept(text, guesses, candidates, mapping, addresses)
    strict = lists.places_need_someone or lists.places_need_a_sign
    if strict and not _about_someone(
        [*candidates, *kept], mapping, addresses=bool(addresses), shapes=text
    ):
        kept, by_cue = _about_no_one(text, guesses, kept, by_cue, legal, lists)
    elif lists.places_without_a_sign_stay and not _about_someone(
        [*candidates, *kept], mapping, addresses=bool(addresses), shapes=text
    ):
        kept, by_cue = _places_of_no_one(text, guesses, kept, by_cue, legal)
    else:
        by_cue = legal + by_cue
    candidates += by_cue + kept
    candidates = _retype_known_people(text, candidates)
    candidates += [
        s for s in propagate(text, candidates, mapping, types) if not calendar_month(text, s)
    ]
    if lists.cues and PERSON in types:
        # A name widened by its given name ("Ana Ruiz-Picasso") brings its other forms.
        wider = widen_names(text, candidates)
        if wider:
            candidates += wider + propagate(text, wider, Mapping(), types)
    # "Ask Van An's team": the possessive stays in the text, whoever found the name
    return resolve(text, [person_piece(text, c) for c in candidates], lists)


# Patterns that scan whole texts, behind a test of the literals their matches need
# (see prefilter.py): most texts hold none, and the test costs far less than a scan.
_NAME_THEN_INITIALS = guarded(_NAME_THEN_INITIALS)
_SOMEONE = guarded(_SOMEONE)

# The costliest scans behind a look-ahead or a test of literals (round 16), set once every
# module of the plugin is loaded: round16_speed.py says which and why.
from spark_control_redaction import round16_speed  # noqa: E402, F401
