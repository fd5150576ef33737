"""Phone numbers known by what is said around them rather than by their shape (issue 21,
round 14): numbers read out digit by digit or in words, a bare number answering a
question about one, a number after "my number" / "alt no.", an international number
written without its "+" after a word for a phone or in a caller-id field, and the last
digits of a phone ("手机尾号4472", "mobile ending in 4472").

The shapes of ``rules.py`` and the numbering plans of ``phonebook.py`` find numbers that
look like numbers; these are the ones only their context tells apart from a count or an
identifier, so each needs a word for a phone beside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import phonenumbers

from spark_control_redaction.entities import PHONE, Span
from spark_control_redaction.phone_near import valid_anywhere
from spark_control_redaction.phonebook import DEFAULT_REGIONS, text_regions
from spark_control_redaction.rules import labelled_as_thing

# A number is a phone by the words around it only within E.164's lengths, and from seven
# digits (a local number) on.
_LEAST, _MOST = 7, 15

# Words that ask for a phone's number: not "number" alone ("Order number:⏎4471882190").
_ASKED = re.compile(
    r"(?i)phone|\btel\b|\btel\.|mobile|\bmob\b|\bcell|call|\bring\b|\bdial|whatsapp|"
    r"\breach|contact|handy|telefon|t[eé]l[eé]phone|tel[eé]fono|joignable|erreichbar|"
    r"r[üu]ckruf|portable|m[oó]vil|celular|cellulare|телефон|电话|手机|電話|"
    # "call" in other languages
    r"\b(?:an)?ruf|appel|ll[aá]m|ligu|chiam|zadzwo|"
    r"(?:your|best|my|new|home|work)[ \t]+(?:number|nummer|num[eé]ro|n[uú]mero|no\.)|"
    # round 16: a message asked for ("txt me on …", "text us at …", "SMS")
    r"\btxt\b|\btext[ \t]+(?:me|us)\b|\bsms\b"
)
# A thing's number asked for ("Can I have the order number?"): read out, it is no phone
# unless a phone is named as well.
_THING_NUMBER = re.compile(
    r"(?i)(?<![^\W\d_])(?:order|booking|reference|tracking|invoice|ticket|policy|membership|"
    r"confirmation|serial|meeting|claim|parcel|reservation|bestell|auftrag|rechnung|"
    r"commande|dossier|pedido|reserva)|(?:account|customer|member|card|case|ref|kunden)[ \t\-]?"
    r"(?:number|nummer|no\.?|nr\.?|#|id|code|num[eé]ro|n[uú]mero)"
)
_PHONE_NAMED = re.compile(
    r"(?i)phone|\btel\b|\btel\.|mobile|\bcell|callback|call-back|call back|whatsapp|"
    r"contact|handy|telefon|t[eé]l[eé]phone|tel[eé]fono|joignable|erreichbar|portable|"
    r"m[oó]vil|celular|телефон|电话|手机|電話"
)


# --- numbers read out ------------------------------------------------------------------

# Spoken digits, one digit each: English ("oh" for zero), German, French, Spanish,
# Italian, Dutch, Portuguese.
_UNITS = (
    r"zero|oh|one|two|three|four|five|six|seven|eight|nine|"
    r"null|eins|zwei|zwo|drei|vier|fünf|sechs|sieben|acht|neun|"
    r"z[ée]ro|un|deux|trois|quatre|cinq|sept|huit|neuf|"
    r"cero|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|"
    r"due|tre|quattro|cinque|sei|sette|otto|nove|"
    r"nul|een|één|twee|drie|vijf|zes|zeven|negen|"
    r"um|dois|três|sete|oito"
)
# Pairs read as one number (French and German read numbers two digits at a time,
# English speakers sometimes): two digits each.
_TENS = (
    r"(?:vingt|trente|quarante|cinquante|soixante|quatre-vingts?)"
    r"(?:[- ]et[- ](?:un|onze)|-(?:dix-(?:sept|huit|neuf)|dix|onze|douze|treize|quatorze|"
    r"quinze|seize|deux|trois|quatre|cinq|six|sept|huit|neuf))?|"
    r"dix-sept|dix-huit|dix-neuf|dix|onze|douze|treize|quatorze|quinze|seize|"
    r"(?:(?:ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun)und)?"
    r"(?:zwanzig|dreißig|vierzig|fünfzig|sechzig|siebzig|achtzig|neunzig)|"
    r"zehn|elf|zwölf|dreizehn|vierzehn|fünfzehn|sechzehn|siebzehn|achtzehn|neunzehn|"
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|"
    r"five|six|seven|eight|nine))?|"
    r"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
)
# "double four", "triple seven": the digit said once stands for two or three.
_REPEAT = r"(?:double|triple|doppel|doppia|doble)"
_TOKEN = (
    r"(?:(?P<rep>" + _REPEAT + r")[ \t]+)?(?:(?P<tens>" + _TENS + r")|(?P<unit>" + _UNITS + r")"
    r"|(?P<digits>\d{1,4}))(?![^\W_])"
)
_TOKEN_RE = re.compile(r"(?i)(?<![^\W_])" + _TOKEN)
_PLAIN_TOKEN = re.sub(r"\(\?P<\w+>", "(?:", _TOKEN)
# Between two read-out groups: blanks, a comma, a dash, dots or an ellipsis.
_JOINT = r"(?:[ \t]*(?:,|\.{1,3}|\u2026|-|\u2013)?[ \t]+|-)"
_READ_OUT = re.compile(
    r"(?i)(?<![^\W_])" + _PLAIN_TOKEN + r"(?:" + _JOINT + _PLAIN_TOKEN + r"){3,20}"
)
_SPELL_HINT = re.compile(
    r"(?i)\b(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|null|zwei|drei|vier|"
    r"fünf|sechs|sieben|acht|neun|z[ée]ro|deux|trois|quatre|cinq|sept|huit|neuf|cero|dos|"
    r"tres|cuatro|cinco|seis|siete|ocho|nueve|due|tre|quattro|cinque|sette|otto|nove|"
    r"twee|drie|vijf|zes|zeven|negen|dois|três|oito)\b|\b\d \d \d"
)


def read_out_phones(text: str) -> Iterator[Span]:
    """A number read out in words or digit by digit ("six one seven, four four two,
    eight eight one nine", "0 7 9 1 1, 2 2 3", "null acht neun, 21 44 83 90"), where
    the line or the one before it talks about a phone."""
    for m in _READ_OUT.finditer(text):
        digits, words, singles = 0, 0, 0
        for token in _TOKEN_RE.finditer(m.group()):
            repeat = 2 if token.group("rep") else 1
            if token.group("tens"):
                digits, words = digits + 2 * repeat, words + 1
            elif token.group("unit"):
                digits, words = digits + repeat, words + 1
            else:
                digits += len(token.group("digits"))
                singles += len(token.group("digits")) == 1
        # Words, or single digits said one by one: grouped digits alone are the
        # patterns' and the library's to judge.
        if not (words or singles >= 5) or not _LEAST <= digits <= _MOST:
            continue
        if _talked_about(text, m.start()) or _asked_after(text, m.end()):
            yield Span(PHONE, m.start(), m.end())


def _asked_after(text: str, end: int) -> bool:
    """Round 16: whether the rest of the line after a read-out number asks for a call or
    a message ("six one two, three four five, eight nine seven, call me back")."""
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if _THING_NUMBER.search(text, end, line_end) is not None:
        return False
    return _ASKED.search(text, end, line_end) is not None


def _talked_about(text: str, start: int) -> bool:
    """Whether the line up to ``start``, or the line before it, asks for or talks about
    a phone number (and not only about a thing's number)."""
    line = text.rfind("\n", 0, start)
    before = text.rfind("\n", 0, max(line, 0)) if line > 0 else -1
    if _ASKED.search(text, before + 1, start) is None:
        return False
    thing = _THING_NUMBER.search(text, before + 1, start) is not None
    return not thing or _PHONE_NAMED.search(text, before + 1, start) is not None


# --- a bare number answering a question about one --------------------------------------

# A line that is only a number, maybe after a speaker's name ("Customer: 98201 44377.").
_ANSWER = re.compile(
    r"(?m)^[ \t]*(?:\[[^\]\n]{1,20}\][ \t]*)?(?:(?P<who>[^\W\d][^\n:\d]{0,30}):[ \t]*)?"
    r"(?:(?:it'?s|that'?s|sure|yes|yeah|ja|oui|s[ií])[, \t]+)?"
    r"(?P<number>\+?\(?\d[\d \t().\-/]{5,22}\d)[ \t]*[.!]?[ \t]*$"
)


def answered_phones(text: str) -> Iterator[Span]:
    """A number alone on its line (a transcript's or a chat's turn) right after a line
    that asks for or talks about a phone number."""
    if "\n" not in text:
        return
    for m in _ANSWER.finditer(text):
        number = m.group("number")
        if not _LEAST <= sum(c.isdigit() for c in number) <= _MOST or _dated(number):
            continue
        # "Meeting ID: 174 1454 3739" under "Join the call": a label of a thing's number
        if labelled_as_thing(text, m.start("number")) or _ID_LABEL.search(m.group("who") or ""):
            continue
        if m.start() > 0 and _talked_about(text, m.start("number")):
            yield Span(PHONE, m.start("number"), m.end("number"))


_ID_LABEL = re.compile(r"(?i)(?:\bid|\bno\.?|\bnr\.?|number|code|\bref|#)[ \t]*$")
_DATE_LIKE = re.compile(r"\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}")


def _dated(number: str) -> bool:
    return _DATE_LIKE.fullmatch(number.strip()) is not None


# --- a number after "my number", "alt no.", "contact" ------------------------------------

# Whose or which number: these name a phone's number, never a thing's ("order number").
_OWN_NUMBER = re.compile(
    r"(?i)(?:(?<![^\W\d_])(?:my|new|alt\.?|alternative|alternate|other|second|home|work|"
    r"private|personal|best|direct|callback|call-back|contact|mobile|cell|phone|landline|"
    r"daytime|evening|emergency|his|her|their|your|our|wa|whatsapp|rückruf|handy)"
    r"[ \t]+(?:number|no\.?|nr\.?|num\.?|#)[ \t]*(?:(?:is|was|:|-|=|\u2013)[ \t]*)?"
    # the same in other languages ("mi número es", "mon numéro :", "meine Nummer ist")
    r"|(?i:(?<![^\W\d_])(?:mi|mon|meu|minha|mein|meine|mio|il mio|mijn|mitt|min|mój|můj|"
    r"nuevo|nouveau|neue|novo|nuovo|nieuwe|nowy)[ \t]+(?:n[uú]mero|num[eé]ro|nummer|numer|"
    r"číslo|handynummer|telefonnummer)(?:[ \t]+(?:de[ \t]+)?(?:tel[eé]fono|t[eé]l[eé]phone|"
    r"telefone|telefono|portable|celular|m[oó]vil|cellulare))?[ \t]*"
    r"(?:(?:es|est|é|ist|is|è|è il|jest|je|är|er|:|-)[ \t]*)?))"
    r"(?P<number>\+?\(?\d[\d \t().\-/]{5,22}\d)(?![\w.,:/\-]?\d)"
)


def own_number_phones(text: str) -> Iterator[Span]:
    """A number after words that say it is someone's phone number ("new number 612 447
    309", "alt no. 9123 4471")."""
    if not _hint(text, ("num", "núm", "no", "nr", "#", "mer", "čísl")):
        return
    for m in _OWN_NUMBER.finditer(text):
        number = m.group("number")
        if _LEAST <= sum(c.isdigit() for c in number) <= _MOST and not _dated(number):
            yield Span(PHONE, m.start("number"), m.end("number"))


# A word for a phone (or "contact"), then a number in international form without its
# "+" ("contact 971 50 447 2891", "WhatsApp 44 7852 613904").
_CUED_INTERNATIONAL = re.compile(
    r"(?i)(?<![^\W\d_])(?:contact|phone|tel|telephone|mobile|mob|cell|whatsapp|call|ring|"
    r"fax|reach\s+(?:me|us)\s+(?:at|on))\.?[ \t]*(?:(?:on|at|no\.?|number)[ \t]*)?[:=\-]?[ \t]*"
    r"(?P<number>[1-9]\d{0,3}(?:[ \t.\-]\d{1,5}){1,5})(?![\w.,:/\-]?\d)"
)


def cued_international(text: str) -> Iterator[Span]:
    """A number after a word for a phone that is valid only read as an international
    number without its "+" (a country code first)."""
    for m in _CUED_INTERNATIONAL.finditer(text):
        number = m.group("number")
        digits = "".join(c for c in number if c.isdigit())
        if not 10 <= len(digits) <= _MOST:
            continue
        try:
            parsed = phonenumbers.parse("+" + digits, None)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            yield Span(PHONE, m.start("number"), m.end("number"))


# --- caller-id fields ------------------------------------------------------------------

# The calling party in telephony logs and records: ANI, CLI, caller id (the called
# number, DNIS, is usually the business's own line).
_CALLER_FIELD = re.compile(
    r"""(?i)(?<![\w])["']?(?:ani|cli|clid|clip|caller_?id|callerid|caller_?(?:number|num)|"""
    r"""calling_?(?:number|party|num)|from_?number|src_?number|source_?number|a_?number|"""
    r"""orig(?:inating)?_?number)["']?[ \t]*[:=][ \t]*["']?(?P<number>\+?\d{7,15})(?![\w.])"""
)


def caller_fields(text: str) -> Iterator[Span]:
    """A number in a caller-id field, with or without its "+" or trunk 0."""
    if not _hint(text, ("ani", "cli", "call", "number", "num", "orig")):
        return
    for m in _CALLER_FIELD.finditer(text):
        number = m.group("number").lstrip("+")
        if number.startswith("0"):
            yield Span(PHONE, m.start("number"), m.end("number"))
            continue
        try:
            parsed = phonenumbers.parse("+" + number, None)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(parsed):
            yield Span(PHONE, m.start("number"), m.end("number"))


# --- the last digits of a phone --------------------------------------------------------

_TAIL = re.compile(
    r"(?i)(?:(?:phone|mobile|cell|handy|number)[^\n\d]{0,16}?(?:ending|ends)[ \t]+(?:in|with)"
    r"[ \t]+(?:\.{2,3}|\u2026|\*+|x+)?|(?:手机|电话|手机号|手机号码|電話)尾号[:\uff1a]?[ \t]*|"
    r"(?:last|final)[ \t]+(?:3|4|three|four)[ \t]+digits[ \t]+of[ \t]+(?:your|the|my|his|her)"
    r"[ \t]+(?:phone|mobile|cell|number)[^\n\d]{0,12}?)(?P<tail>\d{3,4})(?!\d)"
)


def phone_tails(text: str) -> Iterator[Span]:
    """The last digits of a phone, given to identify someone ("手机尾号4472")."""
    if not _hint(text, ("end", "尾号", "last", "final")):
        return
    for m in _TAIL.finditer(text):
        yield Span(PHONE, m.start("tail"), m.end("tail"))


# --- a number glued to the word before it ----------------------------------------------

# A word for a phone, or "on"/"at" after one, with no blank before the number
# ("Telefon0221 8833 410", "ring me on07412 557 301", "mobil0170 3894512").
_GLUED = re.compile(
    r"(?i)(?<![^\W\d_])(?P<word>phone|tel|telefon|telephone|telefono|teléfono|mobile?|mob|"
    r"handy|cell|fax|call|ring|text|sms|whatsapp|number|nummer|kontakt|contact|on|at|au|al|"
    # round 16: "num", "no", "nr" glued to the digits ("salva il mio num3479021773")
    r"num|numero|número|numéro|nr|"
    r"unter|op|na|em)(?P<number>\+?\(?\d[\d \t().\-/]{5,20}\d)(?![\w.,:/\-]?\d)"
)
_PREPOSITIONS = frozenset({"on", "at", "au", "al", "unter", "op", "na", "em"})


def glued_phones(matches: list[re.Match[str]], regions: _Regions) -> Iterator[Span]:
    """A number written right after a word for a phone (``_GLUED``'s matches), valid in
    one of ``regions``."""
    for m in matches:
        text = m.string
        if m.group("word").lower() in _PREPOSITIONS and not _ASKED.search(
            text, max(0, m.start() - 30), m.start()
        ):
            continue
        number = m.group("number")
        if _dated(number) or not _LEAST <= sum(c.isdigit() for c in number) <= _MOST:
            continue
        if regions.valid(number):
            yield Span(PHONE, m.start("number"), m.end("number"))


def _valid_in(number: str, regions: tuple[str, ...]) -> bool:
    """Whether ``number`` is a valid phone number, international or of one of ``regions``."""
    for region in (None,) if number.startswith("+") else regions:
        try:
            parsed = phonenumbers.parse(number, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return True
    return False


# --- letters a scanner read for digits -------------------------------------------------

# A run of digits with a letter an OCR pass often reads for a digit ("2O" for 20, "33l8"
# for 3318, "S3" for 53), after a word for a phone.
_CONFUSABLE = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "S": "5", "B": "8"})
_SCANNED = re.compile(
    r"(?i:phone|\btel|fax|mobile?|\bmob|handy|cell|\bt|\bf|\bm|"
    # round 16: the words written in full ("Telefono: O2 8736 441O")
    r"t[eé]l[eé]fono?|telefon|t[eé]l[eé]phone|m[oó]vil|cellulare|celular)"
    r"[^\n\w%]{0,4}(?<![%\w])"
    r"(?P<number>\+?[\dOlIS(][\dOlISB \t().\-/]{5,22}[\dOlISB])(?![\w])"
)


def scanned_phones(matches: list[re.Match[str]], regions: _Regions) -> Iterator[Span]:
    """A phone number in scanned text, a letter or two read for digits (``_SCANNED``'s
    matches)."""
    for m in matches:
        number = m.group("number")
        letters = sum(c.isalpha() for c in number)
        if not 1 <= letters <= 2 or re.search(r"[A-Za-z]{2}", number):
            continue  # a word, not a misread digit
        read = number.translate(_CONFUSABLE)
        if _LEAST <= sum(c.isdigit() for c in read) <= _MOST and regions.valid(read):
            yield Span(PHONE, m.start("number"), m.end("number"))


# --- vanity numbers outside North America ----------------------------------------------

# Freephone and shared-cost codes (UK 0800/0808/03xx/08xx, Australia 1300/1800, Ireland
# 1800) then the letters of a word on the keypad ("0800 FLOWERS", "1300 BUY TILES").
_VANITY = re.compile(
    r"(?<![\w+\-.])(?:0800|0808|0500|0300|0330|0333|0344|0345|0370|0845|0870|1300|1800)"
    r"[ \-.]?(?P<tail>[A-Z0-9]{2,10}(?:[ \-.][A-Z0-9]{1,10}){0,2})(?![\w\-])"
)


_CLOCK_WORD = re.compile(
    r"(?:UTC|GMT|CET|CEST|EET|EEST|WET|BST|IST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|AEST|AEDT|"
    r"JST|HRS|HOURS|HR|H|Z|LT|LOCAL)\b"
)


def vanity_phones(text: str) -> Iterator[Span]:
    """A freephone or shared-cost code and a word spelled on the keypad."""
    for m in _VANITY.finditer(text):
        tail = [c for c in m.group("tail") if c.isalnum()]
        if _CLOCK_WORD.match(m.group("tail")):
            continue  # "1800 UTC DAILY": a time of day
        if 6 <= len(tail) <= 8 and sum(c.isalpha() for c in tail) >= 3:
            yield Span(PHONE, m.start(), m.end())


# --- extensions said or keyed in -------------------------------------------------------

# An extension read out ("ask for extension two one four"), in parentheses after a
# name ("Alice (x4471)"), or keyed in after a dial string's pause or wait ("…2200p214",
# "…2200 w214").
_SAID_EXTENSION = re.compile(
    r"(?i)(?<![^\W\d_])(?:extension|ext\.?|extn|durchwahl|poste|interno)[ \t]+(?:is[ \t]+)?"
    r"(?P<ext>" + _PLAIN_TOKEN + r"(?:" + _JOINT + _PLAIN_TOKEN + r"){1,5})"
)
_BRACKETED_EXTENSION = re.compile(r"(?i)\((?:x|ext\.?)[ \t]?(?P<ext>\d{2,6})\)")
# An extension in a field of its own beside a phone ("…, '(415) 862-3307', 'x214')"), an
# "x1234" alone after a label's colon ("Bob: x1234"; not the codecs "x264", "x265"), and a
# German letterhead's "Fax -39" after "Tel. 030 2847 19-0" (the number's end alone).
_FIELD_EXTENSION = re.compile(
    r"""(?i)(?:(?<=[,;|\t(]['"])|(?<=[,;|\t]\s['"])|(?<=[|\t] ))(?:x|ext\.?[ \t]?)"""
    r"""(?P<ext>\d{2,6})(?=['"]?[ \t]*[,;|\t)])"""
)
_LABELLED_EXTENSION = re.compile(
    r"(?m)^[ \t]*[^\W\d_][^\n:\d]{0,30}:[ \t]*x\.?(?P<ext>(?!26[45]\b)\d{3,6})[ \t]*$"
)
_DASHED_EXTENSION = re.compile(
    r"(?i)(?<![^\W\d_])(?:fax|telefax|tel\.?|telefon|durchwahl|dw)[ \t.:]*[\-\u2013][ \t]?"
    r"(?P<ext>\d{1,5})(?![\w\-])"
)
_PHONE_SHAPE = re.compile(r"\d[\d \t().\-/]{5,20}\d")
_PAUSED_EXTENSION = re.compile(
    r"(?P<number>\+?\d[\d \t().\-]{5,20}\d)[ \t]?[pPwW](?P<ext>\d{2,6})(?![\w])"
)


def extensions(text: str) -> Iterator[Span]:
    """Extensions the patterns of ``rules.py`` leave: said, bracketed or keyed in."""
    low = text.lower()
    if "ext" in low or "durchwahl" in low or "poste" in low or "interno" in low:
        for m in _SAID_EXTENSION.finditer(text):
            if 2 <= _digit_count(m.group("ext")) <= 6 and not m.group("ext").isdigit():
                yield Span(PHONE, m.start("ext"), m.end("ext"))
    if "(" in text:
        for m in _BRACKETED_EXTENSION.finditer(text):
            yield Span(PHONE, m.start("ext"), m.end("ext"))
    for m in _PAUSED_EXTENSION.finditer(text):
        if _LEAST <= sum(c.isdigit() for c in m.group("number")) <= _MOST:
            yield Span(PHONE, m.start("ext"), m.end("ext"))
    for m in _LABELLED_EXTENSION.finditer(text):
        yield Span(PHONE, m.start("ext"), m.end("ext"))
    found = [m for p in (_FIELD_EXTENSION, _DASHED_EXTENSION) for m in p.finditer(text)]
    # a field's or a dash's extension only beside a number
    if found and any(
        sum(c.isdigit() for c in p.group()) >= _LEAST for p in _PHONE_SHAPE.finditer(text)
    ):
        yield from (Span(PHONE, m.start("ext"), m.end("ext")) for m in found)


def _digit_count(spoken: str) -> int:
    """The digits a run of read-out tokens stands for."""
    digits = 0
    for token in _TOKEN_RE.finditer(spoken):
        repeat = 2 if token.group("rep") else 1
        if token.group("tens"):
            digits += 2 * repeat
        elif token.group("unit"):
            digits += repeat
        else:
            digits += len(token.group("digits"))
    return digits


# --- "call" in more languages ----------------------------------------------------------

# "Call me on" in languages the rules' words leave out (Polish "zadzwoń pod", Czech
# "zavolejte na", Finnish "soita", Turkish "ara", Russian "позвоните", Greek
# "τηλεφωνήστε", Malay/Indonesian "hubungi", Vietnamese "gọi", Swahili "piga simu"),
# and the "hp"/"h/p" (handphone) of Singapore and Malaysia: a national number of 8 to 11
# digits in groups after one, as ``rules._CUED_NATIONAL`` takes it after its words.
_CALL_MORE = re.compile(
    r"(?i)(?<![^\W\d_])(?:zadzwo[ńn]|zadzwoni[jć]|dzwo[ńn]|zavolej(?:te)?|volej(?:te)?|"
    r"soita|soittakaa|ara|aray\u0131n|позвони(?:те)?|звони(?:те)?|τηλεφώνησε|τηλεφωνήστε|"
    r"hubungi|gọi|piga[ \t]+simu|h/p|hp(?=[ \t]*(?::|is|no))|handphone|"
    # the noun for a call ("devuélveme la llamada al …"), a phone word with "#" ("Tel#:")
    r"llamada|chamada|chiamata|appel|(?:tel|ph|phone|cell|mob|mobile|fax)(?=[ \t]*#))"
    r"(?:[ \t]+(?:me|mi|mnie|mig|mua|saya|beni|мне|μου|cho[ \t]+mình|cho[ \t]+tôi))?"
    r"(?:[ \t]+(?:pod|na|on|at|numaras\u0131|numaras\u0131ndan|по|στο|ke|di|số|kwa|al|au|"
    r"para|a|ao))?"
    r"[ \t]*#?(?:(?:no\.?|is)[ \t]*)?:?[ \t]*"
    r"(?P<number>(?<![\d+])\(?[1-9]\d{0,3}\)?(?:[ .\-]?\d{2,5}){1,4})(?![\d\-])"
)


def called_phones(text: str) -> Iterator[Span]:
    """A national number after "call" in more languages (see the pattern)."""
    for m in _CALL_MORE.finditer(text):
        number = m.group("number")
        if 8 <= sum(c.isdigit() for c in number) <= 11 and not _dated(number):
            yield Span(PHONE, m.start("number"), m.end("number"))


def _hint(text: str, words: tuple[str, ...]) -> bool:
    low = text.lower()
    return any(w in low for w in words)


def context_phones(text: str, regions: Iterable[str] = DEFAULT_REGIONS) -> Iterator[Span]:
    """Every phone number this module finds in ``text`` (``regions``: the configured
    regions of national numbers)."""
    if _SPELL_HINT.search(text) is not None and _ASKED.search(text) is not None:
        yield from read_out_phones(text)
    if not any(c.isdigit() for c in text):
        return
    yield from phone_tails(text)
    yield from vanity_phones(text)
    yield from extensions(text)
    # The rest needs a number of a phone's length (seven digits at least, or "O"/"l"
    # read for some): most texts have none, and are spared their passes.
    if _SEVEN.search(text) is None:
        return
    yield from answered_phones(text)
    yield from own_number_phones(text)
    yield from cued_international(text)
    yield from caller_fields(text)
    yield from called_phones(text)
    glued, scanned = list(_GLUED.finditer(text)), list(_SCANNED.finditer(text))
    if glued or scanned:
        # The text's own regions (a pass of their own) only for what the configured
        # ones do not read.
        ordered = _Regions(text, tuple(regions))
        yield from glued_phones(glued, ordered)
        yield from scanned_phones(scanned, ordered)


class _Regions:
    """The configured regions, then, when asked for more, those the text suggests."""

    def __init__(self, text: str, configured: tuple[str, ...]) -> None:
        self.text, self.configured = text, configured
        self._more: tuple[str, ...] | None = None

    def valid(self, number: str) -> bool:
        if _valid_in(number, self.configured):
            return True
        if self._more is None:
            self._more = tuple(
                r for r in text_regions(self.text, self.configured) if r not in self.configured
            )
        # Round 16: a word for a phone stands right before these numbers, so a region
        # the text does not suggest may read them too ("Telefono: O2 8736 441O").
        return _valid_in(number, self._more) or valid_anywhere(number)


_SEVEN = re.compile(r"[\dOlISB](?:[ \t().\-/]{0,2}[\dOlISB]){6}")


# Round 16: a "+" encoded in a URL or a form post ("phone=%2B34612345897"): the patterns
# and the library read the digits after it, and its "2B" would stay in clear.
_ENCODED_PLUS = re.compile(r"%2[Bb]$")


def with_encoded_plus(text: str, spans: Iterable[Span]) -> list[Span]:
    """``spans`` with each phone number right after an encoded "+" widened over it."""
    return [
        Span(s.type, s.start - 3, s.end, s.rank)
        if s.type == PHONE and s.start >= 3 and _ENCODED_PLUS.search(text, s.start - 3, s.start)
        else s
        for s in spans
    ]
