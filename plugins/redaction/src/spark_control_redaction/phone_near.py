"""Phone numbers known by what stands near them (issue 21, round 15): a national number
after a word for a phone in one of many languages even when the text's likely regions do
not read it (a Danish number in an English-looking chat, a Hong Kong fax), a number right
after a person's name with no word for a phone at all ("Ana Ruiz - 612 345 897"),
Pakistan's UAN numbers (111-xxx-xxx), Australia's six-digit 13 numbers and extensions
said in more languages ("wew. 305", "تحويلة 214", "# 118").

``phonebook.py`` reads numbers in the regions a text suggests; these are read in any of
many regions, so each needs a word for a phone or a name right before it, and the digits
must still be a valid number of some numbering plan.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import phonenumbers

from spark_control_redaction.entities import PHONE, Span
from spark_control_redaction.phonebook import SUPPORTED_REGIONS, text_regions
from spark_control_redaction.rules import bare_number_is_not_phone, labelled_as_id

# Regions tried for a cued number the text's own regions do not read: the countries
# whose numbers a gateway in Europe, the Americas, Africa, the Middle East and Asia
# meets most, by population and trade (not the whole list: each costs a parse).
_WIDE_REGIONS_TEXT = """
US GB DE FR ES IT NL BE CH AT PL CZ SK HU RO BG GR PT IE DK NO SE FI IS EE LV LT UA RU TR
IL AE SA EG MA NG KE ZA GH IN PK BD LK NP CN HK TW JP KR SG MY ID PH TH VN AU NZ CA MX BR
AR CL CO PE
"""
_WIDE_REGIONS = tuple(r for r in _WIDE_REGIONS_TEXT.split() if r in SUPPORTED_REGIONS)

# Words for a phone, a line or a way to reach someone, in the languages the gateway
# meets (nouns, abbreviations, messaging apps, "call"), written for this round.
_CUE_WORDS = (
    r"phone|ph|tel|tel[eé]f|telf|tlf|tfno|telefon\w*|t[eé]l[eé]phone|tel[eé]fono|telefone|"
    r"mobile?|mob|m[oó]vil|movil|cell|cellulare|celular|cel|celu|handy|natel|gsm|portable|"
    r"fixo|festnetz|landline|fax|telefax|sms|text|txt|whatsapp|whats|wa|wasap|wassap|"
    r"guasap|zap|zapzap|viber|telegram|signal|wechat|kakao|line|switchboard|centrala|"
    r"centralita|centralino|zentrale|vaihde|puhelin|puh|cep|sabit|fono|hp|h/p|"
    r"handphone|nomor|contact|contacto|contatto|kontakt|kontaktu|rabta|ring|call|dial|"
    r"helpline|hotline|uan|pager|bip|beeper|bel|bellen|ringa|ring[ \t]+oss|soita|"
    r"dzwo[nń]|zavolej\w*|ara|llama\w*|chiama\w*|appel\w*|anruf\w*|ligue|liga|"
    r"(?:my|mój|moj|mi|mon|meu|mein|meine|mio|mijn|min|mitt|můj)[ \t]+"
    r"(?:number|numer|n[uú]mero|num[eé]ro|nummer|numero|číslo|broj)|"
    r"тел|моб|телефон\w*|мобильный|дзвон\w*|τηλ|κιν|κινητό|τηλέφωνο|جوال|هاتف|موبايل|"
    r"رابطہ|נייד|טלפון|電話|携帯|手机|座机|电话|微信|휴대폰|전화|핸드폰|โทร|เบอร์|"
    r"đt|sđt|điện[ \t]+thoại|"
    # a message or a call from a number, a front desk's line
    r"message|mensaje|nachricht|messaggio|mensagem|bericht|wiadomo\w*|llamada|chamada|"
    r"chiamata|reception|recepci[oó]n|rezeption|r[ée]ception|recepcja|rejestracja|empfang|"
    r"accueil|"
    # round 15: plurals and signs
    r"tel[eé]fonos|telefones|t/f|☎|☏|📞|📱|"
    # round 16: the line of an office or a desk ("hp 8123 4567 or office 6123 4567")
    r"office|desk|direct|b[üu]ro|bureau|kantoor|ufficio|oficina|escrit[oó]rio|biuro"
)
# A word for a phone, then (on the same line) at most a few words, a name or
# punctuation, then the number.
_CUED = re.compile(
    r"(?i)(?<![^\W\d_])(?:" + _CUE_WORDS + r")(?![^\W\d_])"
    r"(?P<gap>[^\n\d+]{0,32}?)"
    r"(?P<number>(?<![\d+])\(?\d[\d \t().\-/]{4,18}\d)(?![\w]|[.,]\d|[\-/]\d)"
)
# What may not stand between the word and the number: a thing's or an id's label.
_THING_GAP = re.compile(
    r"(?i)(?<![^\W\d_])(?:order|invoice|ticket|booking|reference|ref|account|customer|"
    r"case|id|code|pin|otp|serial|imei|iban|tracking|parcel|flight|room|meeting|pedido|"
    r"bestell|rechnung|commande|kunden|amount|total|price)(?![^\W\d_])|[€$£]|"
    r"[!?]|\.[ \t]+[A-ZÀ-Þ][a-zß-ÿ]{3,}"
)
# A personal name (two or three capitalised words, a particle allowed), then a
# separator and a number: a list, roster, directory or contact line.
_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
_LOWER = "a-zß-öø-ÿā-ž"
_NAME_WORD = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
# A name said in a self-introduction ("it's Tom,", "c'est Inès", "det er Kari -", "soy
# Ana:", "hier ist Jonas") may stand alone.
# Family, as a phone's contacts list names them ("Mama: 698 214 377").
_KIN_WORDS = (
    r"mum|mom|mummy|mommy|mam|mama|mamá|mamã|maman|mamma|mutti|dad|daddy|papa|papá|"
    r"papai|papà|vati|wife|husband|sis|bro|sister|brother|grandma|grandpa|granny|nan|"
    r"oma|opa|babcia|dziadek|abuela|abuelo|nonna|nonno|mamie|papi|papy|tata|mor|far"
)
_KIN = r"(?i:" + _KIN_WORDS + r")(?![^\W\d_])"
_INTRO = (
    r"(?i:it'?s|this[ \t]+is|i'?m|c'est|ici|det[ \t]+er|det[ \t]+är|het[ \t]+is|hier[ \t]+ist|"
    r"ich[ \t]+bin|soy|sono|sou|aqui[ \t]+é|tu|to[ \t]+ja|jestem)[ \t]+"
)
_NAMED = re.compile(
    rf"(?<![^\W\d_])(?P<intro>{_INTRO})?"
    rf"(?P<name>{_NAME_WORD}(?:[ \t]+(?:(?:de|van|der|von|da|di|del|le|la)[ \t]+)?"
    rf"{_NAME_WORD}){{0,2}}|(?<=[ \t])(?i:me|mig|mej|meg|moi|ich|yo|io|eu|ik|ja)|{_KIN})(?:'s)?"
    # a relation in brackets after a given name ("Laura (wife)")
    r"(?P<relation>[ \t]*\((?i:" + _KIN_WORDS + r")\))?"
    r"(?:[ \t]*(?:[\-\u2013\u2014:,|(]|\t)?[ \t]*|[ \t]*\n[ \t]*)"
    r"(?P<number>(?<![\d+])\(?0?\d[\d \t().\-/]{5,16}\d)(?![\w]|[.,]\d|[\-/]\d|[ \t]?[%€$£])"
)
# The number first, then whose it is ("655 18 42 39 - Ana Ruiz", "918 45 290 (Kari)").
_NAME_AFTER = re.compile(
    r"(?m)(?P<number>(?<![\w+.,/\-])\(?0?\d[\d \t().\-/]{5,16}\d)(?![\w]|[.,]\d|[\-/]\d)"
    rf"(?:[ \t]*[\-\u2013\u2014:|][ \t]*{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{1,2}}"
    rf"|[ \t]*\([ \t]*{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}}[ \t]*\))"
    r"[ \t]*(?=$|[,;.])"
)
# Words that title a thing's number, capitalised at a line's start ("Sort Code", "Order
# Total"): such a line is no name.
_THING_TITLE = re.compile(
    r"(?i)(?<![^\W\d_])(?:order|invoice|ticket|booking|reference|account|customer|case|"
    r"code|serial|tracking|parcel|flight|room|meeting|total|amount|balance|batch|lot|"
    r"version|build|release|page|chapter|section|article|art|item|sku|model|part|"
    r"register|registered|tax|vat|steuer|abn|acn|hrb|postcode|zip|route|bus|line|"
    r"platform|gate|seat|street|road|avenue|straße|strasse|rue|via|calle)(?![^\W\d_])"
)
# A number with the way to reach it after it ("655 18 42 39 solo WhatsApp", "… (WhatsApp
# only)", "… (mobile)"), in its clause.
_AFTER_WORD = (
    r"(?:whatsapp|wasap|zap|viber|telegram|signal|sms|imessage|wechat|微信|mobile|mobil|"
    r"m[óo]vil|cell|handy|portable|landline|festnetz)(?![^\W\d_])"
)
_ONLY = r"(?:only|just|solo|s[óo]lo|nur|seulement|somente|apenas|uniquement|alleen|bara)"
_CUED_AFTER = re.compile(
    r"(?i)(?P<number>(?<![\w+.,/\-])\(?\d[\d \t().\-/]{5,18}\d)(?![\w]|[.,]\d|[\-/]\d)"
    # "(WhatsApp only)", "(mobile)", "(solo WhatsApp)"
    r"(?:[ \t]*\([ \t]*(?:" + _ONLY + r"[ \t]+)?" + _AFTER_WORD + r"[^)\n]{0,12}\)"
    # "solo WhatsApp", "- only via Signal", ", WhatsApp only"
    r"|[ \t,;\-\u2013]+"
    + _ONLY
    + r"[ \t]+(?:(?:via|per|por|on|auf|en|par|on)[ \t]+)?"
    + _AFTER_WORD
    + r"|[ \t]*[,;\-\u2013][ \t]*"
    + _AFTER_WORD
    + r"[ \t]+"
    + _ONLY
    + r")"
)
# A directory's line: a label, a leader of dots, the number ("Recepción ...... 915 48 23 71").
_LEADER = re.compile(
    r"(?m)^[ \t]*[^\W\d_][^\n\d]{0,40}?[ \t]*(?:\.[ \t]?){3,}[ \t]*"
    r"(?P<number>\+?\(?\d[\d \t().\-/]{5,18}\d)[ \t]*$"
)
# Pakistan's Universal Access Numbers: 111 and six digits, sometimes after a city code.
_UAN = re.compile(r"(?<![\d+\-])(?:0?\d{2,3}[ \t\-])?111[ \t\-]?\d{3}[ \t\-]?\d{3}(?![\d\-])")
_UAN_CUE = re.compile(r"(?i)\buan\b|helpline|hotline|call|phone|tel\b|contact|rabta|رابطہ")
# Australia's six-digit numbers ("13 24 68", "131 408"), valid only there.
_THIRTEEN = re.compile(
    r"(?<![\d+\-.,:])13(?:[ \t]?\d{2}[ \t]?\d{2}|\d[ \t]\d{3})(?![\d\-]|[.,:]\d)"
)
_AU_HINT = re.compile(r"(?i)australia|\baest\b|\baedt\b|\bawst\b|\.au\b|\+61")
_CUE_BEFORE = re.compile(
    r"(?i)(?<![^\W\d_])(?:" + _CUE_WORDS + r"|bookings?|enquiries)"
    r"(?![^\W\d_])[^\n\d]{0,16}$"
)
# An extension dialled after the main line ("call the office then dial 204 for me").
_THEN_DIAL = re.compile(
    r"(?i)(?<![^\W\d_])(?:then|and|und|puis|luego|poi|dann)[ \t]+(?:dial|press|wähle|"
    r"wählen[ \t]+sie|compose[sz]?|marca|digita)[ \t]+(?P<ext>\d{2,5})(?![\w.,:/\-])"
)
# Extensions in words the rules do not know (Polish "wew."/"w.", Arabic "تحويلة"/
# "داخلي"), and a "#" with blanks around it, right after a phone-shaped number.
_EXTENSION = re.compile(
    r"(?P<number>\d[\d \t().\-/]{5,20}\d)\)?[ \t]*,?[ \t]*"
    r"(?:(?<![^\W\d_])(?:wew|w)\.|تحويلة|داخلي|#)[ \t]*(?P<ext>\d{1,5})(?![\w])"
)


# A plain-text table whose columns line up under a header ("NAME   EXT   DIRECT"): the
# cells of its extension column.
_ALIGNED_CELL = re.compile(r"\S+(?: \S+)*")
_EXTENSION_HEADER = re.compile(
    r"(?i)^(?:ext\.?|extn\.?|extension|durchwahl|dw|poste|nebenstelle|apparat|interno|"
    r"wewn\.?|anexo|ramal|toestel|dahili|доб\.?|内線|分机)$"
)
_EXTENSION_VALUE = re.compile(r"\d{2,6}")


@lru_cache(maxsize=4096)
def _valid_anywhere(digits: str, regions: tuple[str, ...]) -> bool:
    for region in (*regions, *_WIDE_REGIONS):
        try:
            number = phonenumbers.parse(digits, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return True
    return False


def valid_anywhere(number: str) -> bool:
    """Whether ``number`` is valid in one of the many regions a cued number is read in."""
    return _valid_anywhere(number, ())


# A date, a clock time, or a year leading a run of numbers ("2026 11 87 22 90").
_DATE = re.compile(
    r"\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}|\d{1,2}[.:]\d{2}(?:[\-\u2013]|$)|(?:19|20)\d\d[ \t.\-/]"
)


# A unit or a currency after the digits: frequencies, sizes, amounts ("GSM 900 1800 1900
# MHz").
_UNIT_AFTER = re.compile(
    r"[ \t]?(?:[kMGT]?Hz|[kMGT]?B|[kMG]?bps|mAh|[kMm]?W|kWh|V|km|kg|mm|cm|ml|m²|m2|"
    r"rpm|dpi|px|pcs|°|%|€|\$|£|¥|EUR|USD|GBP|"
    # round 16: areas ("the office has 2291 8830 sq ft")
    r"sq\.?[ \t]?(?:ft|m|yd)|sqm|ft²|ft2)(?![^\W\d_])"
)


def _phone_like(text: str, start: int, end: int, regions: tuple[str, ...], least: int) -> bool:
    number = text[start:end]
    if _UNIT_AFTER.match(text, end):
        return False
    digits = "".join(c for c in number if c.isdigit())
    if not least <= len(digits) <= 12 or _DATE.match(number.strip("()")):
        return False
    if bare_number_is_not_phone(text, start, end) or labelled_as_id(text, start):
        return False
    return _valid_anywhere(number, regions)


# The next number of a list on a cued line ("Ayuntamiento 915 48 23 71, Centro de salud
# 915 48 23 79").
_NEXT_IN_LIST = re.compile(
    r"[ \t]*[,;/|·][ \t]*(?P<gap>[^\n\d+,;|]{0,30}?)"
    r"(?P<number>(?<![\d+])\(?\d[\d \t().\-/]{4,18}\d)(?![\w]|[.,]\d|[\-/]\d)"
)


def cued_phones(text: str) -> Iterator[Span]:
    """A national number after a word for a phone, valid in some region's plan, and the
    numbers listed after it on its line."""
    regions: tuple[str, ...] | None = None
    for m in _CUED.finditer(text):
        if _THING_GAP.search(m.group("gap")):
            continue
        regions = regions if regions is not None else text_regions(text)
        start, end = m.span("number")
        if text[start] == "(" and ")" not in text[start:end]:
            start += 1
        while _phone_like(text, start, end, regions, 7):
            yield Span(PHONE, start, end)
            after = _NEXT_IN_LIST.match(text, end)
            if after is None or _THING_GAP.search(after.group("gap")):
                break
            start, end = after.span("number")


def named_phones(text: str) -> Iterator[Span]:
    """A number right after a person's name, with no word for a phone: a contact list."""
    regions: tuple[str, ...] | None = None
    for m in _NAMED.finditer(text):
        if _THING_TITLE.search(m.group("name")):
            continue
        single = len(m.group("name").split()) < 2
        kin = re.fullmatch(_KIN, m.group("name")) is not None
        if single and not (m.group("intro") or m.group("relation") or kin):
            continue  # one capitalised word alone is as often a thing as a name
        start, end = m.span("number")
        number = text[start:end]
        # written as a phone: in groups or with a trunk 0
        if not (re.search(r"\d[ \t.\-/)]\(?\d", number) or number.lstrip("(").startswith("0")):
            continue
        regions = regions if regions is not None else text_regions(text)
        if text[start] == "(" and ")" not in number:
            start += 1
        if _phone_like(text, start, end, regions, 8):
            yield Span(PHONE, start, end)


def after_cued_phones(text: str) -> Iterator[Span]:
    """A number followed by the way to reach it or by whose it is, and a directory
    line's number."""
    regions: tuple[str, ...] | None = None
    for pattern in (_CUED_AFTER, _NAME_AFTER, _LEADER):
        for m in pattern.finditer(text):
            start, end = m.span("number")
            if pattern is _NAME_AFTER and _THING_TITLE.search(m.group(), end - m.start()):
                continue
            if pattern is _LEADER and (
                _THING_TITLE.search(text, m.start(), start)
                or (text[start] not in "0+(" and sum(c.isdigit() for c in m.group("number")) < 8)
            ):
                continue  # "Total ........ 1 249 000": an amount's line
            regions = regions if regions is not None else text_regions(text)
            if text[start] == "(" and ")" not in text[start:end]:
                start += 1
            if _phone_like(text, start, end, regions, 7):
                yield Span(PHONE, start, end)


def short_national_phones(text: str) -> Iterator[Span]:
    """Pakistan's UAN numbers and Australia's 13 numbers, beside a word for a phone."""
    if "111" in text and _UAN_CUE.search(text):
        for m in _UAN.finditer(text):
            yield Span(PHONE, m.start(), m.end())
    if "13" in text:
        hinted = _AU_HINT.search(text) is not None
        for m in _THIRTEEN.finditer(text):
            if not (hinted or _CUE_BEFORE.search(text, max(0, m.start() - 40), m.start())):
                continue
            number = phonenumbers.parse(m.group(), "AU")
            if phonenumbers.is_valid_number(number):
                yield Span(PHONE, m.start(), m.end())


def more_extensions(text: str) -> Iterator[Span]:
    """Extensions after a phone number in words the rules leave out."""
    if _THEN_DIAL.search(text) and any(
        sum(c.isdigit() for c in m.group()) >= 7 for m in _PHONE_RUN.finditer(text)
    ):
        for m in _THEN_DIAL.finditer(text):
            yield Span(PHONE, m.start("ext"), m.end("ext"))
    for m in _EXTENSION.finditer(text):
        if sum(c.isdigit() for c in m.group("number")) >= 7:
            yield Span(PHONE, m.start("ext"), m.end("ext"))


def aligned_extensions(text: str) -> Iterator[Span]:
    """The extension column of a plain-text table aligned with blanks, beside numbers."""
    if "  " not in text:
        return
    offset, column = 0, None
    cells: list[tuple[int, str]] = []
    for line in text.split("\n"):
        found = [(m.start(), m.group()) for m in _ALIGNED_CELL.finditer(line)]
        if column is not None:
            at = [(a, v) for a, v in found if abs(a - column) <= 2]
            if not at or len(found) < 2:
                column = None
            elif _EXTENSION_VALUE.fullmatch(at[0][1]):
                cells.append((offset + at[0][0], at[0][1]))
        if column is None and len(found) >= 2 and not any(c.isdigit() for c in line):
            heads = [a for a, v in found if _EXTENSION_HEADER.match(v)]
            column = heads[0] if heads else None
        offset += len(line) + 1
    # an extension column only in a text that has a phone number
    if cells and any(sum(c.isdigit() for c in m.group()) >= 7 for m in _PHONE_RUN.finditer(text)):
        yield from (Span(PHONE, start, start + len(value)) for start, value in cells)


_PHONE_RUN = re.compile(r"\d[\d \t().\-/]{5,20}\d")


def near_phones(text: str) -> Iterator[Span]:
    """Every phone number this module finds in ``text``."""
    if sum(c.isdigit() for c in text[:100_000]) < 5:
        return
    yield from cued_phones(text)
    yield from named_phones(text)
    yield from after_cued_phones(text)
    yield from short_national_phones(text)
    yield from more_extensions(text)
    yield from aligned_extensions(text)
