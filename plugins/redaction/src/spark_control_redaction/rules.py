"""Rule-based recognizers: a pattern finds candidates, a validator keeps the real ones.

Each recognizer is ``(text) -> Iterator[Span]``. Patterns are written to stay linear on
long input (bounded repetitions, no nested unbounded quantifiers). A recognizer leans
towards redacting too much: a false positive costs a placeholder, a miss is a leak.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from spark_control_redaction.entities import (
    CREDIT_CARD,
    EMAIL,
    ENTROPY_RANK,
    IBAN,
    IP_ADDRESS,
    MAC_ADDRESS,
    ORG,
    PHONE,
    SECRET,
    SSN,
    URL,
    Span,
)
from spark_control_redaction.validators import iban_ok, ip_ok, looks_random, luhn_ok, ssn_ok

Recognizer = Callable[[str], Iterator[Span]]

# --- email and URL -----------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.%+\-])[\w%+\-][\w.%+\-']{0,63}@(?:[\w\-]{1,63}\.){1,8}[^\W\d_]{2,24}(?![\w\-])"
)
_URL = re.compile(r"(?i)\b(?:(?:https?|ftp)://|www\.)[^\s<>\"'`]{2,2048}")
# Common top-level domains, for bare host names ("example.org/path").
_TLDS = (
    "com|org|net|edu|gov|mil|int|io|co|uk|de|fr|nl|es|it|ch|at|be|se|no|dk|fi|pl|cz|pt|ie|"
    "eu|us|ca|au|nz|jp|cn|in|br|ru|info|biz|me|dev|app|ai|tv|xyz|online|site|tech|cloud"
)
_HOST = re.compile(
    r"(?i)(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.){1,6}(?:" + _TLDS + r")"
    r"(?:/[^\s<>\"'`]{0,2048})?(?![\w\-@])"
)
_TRAILING = ".,;:!?'\"*_"
_CLOSERS = {")": "(", "]": "[", "}": "{"}


def _trim_url(text: str, start: int, end: int) -> int:
    """Drop sentence punctuation and unbalanced closing brackets from a URL's end."""
    while end > start:
        last = text[end - 1]
        if last in _TRAILING or (
            last in _CLOSERS
            and text.count(last, start, end) > text.count(_CLOSERS[last], start, end)
        ):
            end -= 1
        else:
            break
    return end


def emails(text: str) -> Iterator[Span]:
    for m in _EMAIL.finditer(text):
        yield Span(EMAIL, m.start(), m.end())


def urls(text: str) -> Iterator[Span]:
    for pattern in (_URL, _HOST):
        for m in pattern.finditer(text):
            end = _trim_url(text, m.start(), m.end())
            if end - m.start() > 4:
                yield Span(URL, m.start(), end)


# --- numbers: phones, cards, SSNs, IBANs ------------------------------------------------

_EXTENSION = r"(?:\s{0,2}(?:x|ext\.?|extension)\s{0,2}\d{1,6})?"
_PHONE_US = re.compile(
    r"(?<![\w+])(?:(?:\+|00)?1[\s.\-]{0,2})?(?:\(\d{3}\)|\d{3})[\s.\-]{0,2}\d{3}[\s.\-]{0,2}\d{4}"
    + _EXTENSION
    + r"(?!\w)"
)
_PHONE_INTL = re.compile(
    r"(?<![\w+])(?:\+|00)[1-9]\d{0,2}(?:[\s.\-/]{0,2}(?:\(\d{1,5}\)|\d{1,6})){1,7}"
    + _EXTENSION
    + r"(?!\w)"
)
# National forms with a trunk 0 ("020 7946 0958", "(030) 1234567", "0151 12345678").
_PHONE_NATIONAL = re.compile(
    r"(?<![\w+])(?:\(0\d{1,4}\)|0\d{1,4})(?:[\s.\-/]{0,2}\d{2,8}){1,4}" + _EXTENSION + r"(?!\w)"
)


def phones(text: str) -> Iterator[Span]:
    for pattern, low, high in (
        (_PHONE_US, 10, 11),
        (_PHONE_INTL, 8, 15),
        (_PHONE_NATIONAL, 9, 13),
    ):
        for m in pattern.finditer(text):
            core = re.split(r"(?i)\s*(?:x|ext)", m.group(), maxsplit=1)[0]
            digits = sum(c.isdigit() for c in core)
            if low <= digits <= high or (pattern is _PHONE_INTL and digits >= 8):
                yield Span(PHONE, m.start(), m.end())


# Digit groups separated by one space, dash or line break: a card may sit inside a longer run.
_DIGIT_RUN = re.compile(r"(?<![\d])\d{1,19}(?:[ \-\n]\d{1,19}){0,12}(?!\d)")
_GROUP = re.compile(r"\d+")


def credit_cards(text: str) -> Iterator[Span]:
    for run in _DIGIT_RUN.finditer(text):
        groups = [
            (g.start() + run.start(), g.end() + run.start()) for g in _GROUP.finditer(run.group())
        ]
        i = 0
        while i < len(groups):
            found = None
            # The longest window of whole groups starting at i that is a valid card number.
            for j in range(len(groups) - 1, i - 1, -1):
                digits = "".join(text[a:b] for a, b in groups[i : j + 1])
                if 12 <= len(digits) <= 19 and luhn_ok(digits):
                    found = j
                    break
            if found is None:
                i += 1
                continue
            yield Span(CREDIT_CARD, groups[i][0], groups[found][1])
            i = found + 1


_SSN = re.compile(r"(?<![\d\-])(\d{3})([\- ]?)(\d{2})\2(\d{4})(?![\d\-])")
_SSN_CONTEXT = re.compile(r"(?i)(?:ssn|social security|soc\.? sec\.?)[^\n\d]{0,20}$")


def ssns(text: str) -> Iterator[Span]:
    for m in _SSN.finditer(text):
        area, sep, group, serial = m.groups()
        if not ssn_ok(area, group, serial):
            continue
        # Nine bare digits are an SSN only when the text says so just before.
        if not sep and not _SSN_CONTEXT.search(text, max(0, m.start() - 40), m.start()):
            continue
        yield Span(SSN, m.start(), m.end())


_IBAN = re.compile(r"(?i)(?<![\w])[a-z]{2}\d{2}(?:[ \n]?[a-z0-9]){11,34}")


def ibans(text: str) -> Iterator[Span]:
    for m in _IBAN.finditer(text):
        # The pattern may run on into the next word; try the longest valid prefix.
        ends = [i + 1 for i in range(m.start(), m.end()) if not text[i].isspace()]
        for end in reversed(ends):
            compact = "".join(text[m.start() : end].split()).upper()
            if len(compact) < 15:
                break
            if iban_ok(compact) and not (end < len(text) and text[end].isalnum()):
                yield Span(IBAN, m.start(), end)
                break


# --- network addresses ------------------------------------------------------------------

_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?(?![\w])(?!\.\d)")
_IPV6 = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{0,4})"
    r"(?:%[\w.]{1,16})?(?:/\d{1,3})?(?![\w:])"
)
_MAC = re.compile(
    r"(?<![\w:\-.])(?:[0-9A-Fa-f]{2}([:\-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}"
    r"|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![\w:\-])"
)


def ip_addresses(text: str) -> Iterator[Span]:
    for m in _IPV4.finditer(text):
        if ip_ok(m.group().split("/")[0]):
            yield Span(IP_ADDRESS, m.start(), m.end())
    for m in _IPV6.finditer(text):
        address = m.group().split("/")[0].split("%")[0]
        if address.count(":") >= 2 and address != "::" and ip_ok(address):
            yield Span(IP_ADDRESS, m.start(), m.end())


def macs(text: str) -> Iterator[Span]:
    for m in _MAC.finditer(text):
        yield Span(MAC_ADDRESS, m.start(), m.end())


# --- secrets ----------------------------------------------------------------------------

_KNOWN_SECRETS = re.compile(
    "|".join(
        [
            r"\bsk-(?:proj-|ant-|live-)?[A-Za-z0-9_\-]{20,200}",  # OpenAI, Anthropic
            r"\bgh[pousr]_[A-Za-z0-9]{30,100}",  # GitHub tokens
            r"\bgithub_pat_[A-Za-z0-9_]{30,120}",
            r"\bglpat-[A-Za-z0-9_\-]{20,60}",  # GitLab
            r"\bxox[abposr]-[A-Za-z0-9\-]{10,120}",  # Slack
            r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b",  # AWS access key id
            r"\bAIza[0-9A-Za-z_\-]{35}",  # Google API key
            r"\bhf_[A-Za-z0-9]{30,60}",  # Hugging Face
            r"\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{16,120}",  # Stripe
            r"\bnpm_[A-Za-z0-9]{36}",
            r"\bSG\.[\w\-]{16,40}\.[\w\-]{16,60}",  # SendGrid
            r"\beyJ[\w\-]{8,2000}\.eyJ[\w\-]{8,4000}\.[\w\-]{8,2000}",  # JWT
            r"-----BEGIN [A-Z ]{0,30}PRIVATE KEY-----[\s\S]{1,20000}?-----END [A-Z ]{0,30}"
            r"PRIVATE KEY-----",
        ]
    )
)
# "password: hunter2", "api_key=…": the value is a secret whatever it looks like.
_ASSIGNED = re.compile(
    r"(?i)\b(?:password|passwd|passphrase|pwd|secret|api[_\- ]?key|access[_\- ]?key|"
    r"access[_\- ]?token|auth[_\- ]?token|bearer|client[_\- ]?secret|private[_\- ]?key|token)"
    r"[\"']?\s{0,3}(?:[:=]|is)\s{0,3}[\"']?([^\s\"',;]{6,200})"
)
_TOKEN = re.compile(r"(?<![\w+/=\-])[A-Za-z0-9+/_\-]{20,512}={0,2}(?![\w+/=\-])")


def secrets(text: str) -> Iterator[Span]:
    for m in _KNOWN_SECRETS.finditer(text):
        yield Span(SECRET, m.start(), m.end())
    for m in _ASSIGNED.finditer(text):
        yield Span(SECRET, m.start(1), m.end(1))
    for m in _TOKEN.finditer(text):
        if looks_random(m.group().rstrip("=")):
            yield Span(SECRET, m.start(), m.end(), rank=ENTROPY_RANK)


# --- organisations by their legal form ---------------------------------------------------

# Capitalised words ending in a legal form ("Example Holdings Ltd", "Muster & Söhne
# GmbH"): a safety net under the statistical model, which misses many company names.
_LEGAL_FORM = re.compile(
    r"(?<![\w])(?:[A-Z][\w'\u2019\-.]{0,40}(?:,? (?:and |& |und |et |y )?| & )){1,4}"
    r"(?:Inc|LLC|L\.L\.C\.|Ltd|Limited|PLC|plc|Corp|Corporation|GmbH|AG|KG|SE|SA|S\.A\.|SAS|"
    r"SARL|S\.L\.|SL|BV|B\.V\.|NV|N\.V\.|Co|Company|Group|Holdings|LLP|LP)(?![\w])\.?"
)


def organisations(text: str) -> Iterator[Span]:
    for m in _LEGAL_FORM.finditer(text):
        yield Span(ORG, m.start(), m.end(), rank=RANK_ORG_RULE)


RANK_ORG_RULE = 25  # above the NER guesses it overlaps, below every validated rule

RECOGNIZERS: dict[str, Recognizer] = {
    EMAIL: emails,
    URL: urls,
    PHONE: phones,
    CREDIT_CARD: credit_cards,
    SSN: ssns,
    IBAN: ibans,
    IP_ADDRESS: ip_addresses,
    MAC_ADDRESS: macs,
    SECRET: secrets,
    ORG: organisations,
}
