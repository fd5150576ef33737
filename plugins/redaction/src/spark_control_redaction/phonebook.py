"""Phone numbers by Google's libphonenumber (the ``phonenumbers`` port), behind the
hand-written patterns in ``rules.py``.

The library knows every country's numbering plan, so it finds national numbers the
patterns cannot tell from other digits ("01 42 68 53 00", "03-1234-5678") and rejects
digit runs no plan allows. It needs the regions a national number may belong to: the
configured defaults plus what the text itself suggests (its scripts, country-code
top-level domains in its addresses, a few words of its language). International numbers
("+…", "00…") are found whatever the region.

Leniency ``VALID``: a number must be valid in its region's plan, which keeps version
strings, IP addresses, timestamps and most identifiers out (``POSSIBLE`` accepts any
digit run of a plausible length). A bare run of digits labelled as an identifier or a
count is dropped, as the patterns do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher

from spark_control_redaction.entities import PHONE, Span
from spark_control_redaction.prefilter import guarded
from spark_control_redaction.rules import bare_number_is_not_phone, labelled_as_id

DEFAULT_REGIONS = ("US", "GB", "DE", "FR")
# Most regions one text is matched against (each costs one pass over the text).
MAX_REGIONS = 8

# Scripts whose text is (nearly) always from these regions.
_SCRIPT_REGIONS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"[\u3040-\u30ff]"), ("JP",)),  # kana
    (re.compile(r"[\uac00-\ud7af\u1100-\u11ff]"), ("KR",)),  # hangul
    (re.compile(r"[\u4e00-\u9fff]"), ("CN", "TW", "HK")),  # han (after kana: Japanese)
    (re.compile(r"[\u0400-\u04ff]"), ("RU", "UA")),
    (re.compile(r"[\u0370-\u03ff]"), ("GR", "CY")),
    (re.compile(r"[\u0590-\u05ff]"), ("IL",)),
    (re.compile(r"[\u0600-\u06ff]"), ("SA", "AE", "EG")),
    (re.compile(r"[\u0900-\u097f]"), ("IN",)),
    (re.compile(r"[\u0e00-\u0e7f]"), ("TH",)),
    (re.compile(r"[\u10a0-\u10ff]"), ("GE",)),
    (re.compile(r"[\u0530-\u058f]"), ("AM",)),
)
# Function words and letters of Latin-script languages (common words, not names).
_LANGUAGE_REGIONS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"ß|(?i:\b(?:und|der|die|das|nicht|mit|grüße|danke|bitte)\b)"), ("DE", "AT", "CH")),
    (re.compile(r"(?i)\b(?:le|les|et|avec|merci|bonjour|cordialement|vous)\b"), ("FR", "BE", "CH")),
    (re.compile(r"ñ|(?i:\b(?:gracias|saludos|hola|usted|atentamente)\b)"), ("ES", "MX")),
    (re.compile(r"(?i)\b(?:grazie|cordiali|saluti|buongiorno|della)\b"), ("IT",)),
    (re.compile(r"(?i)\b(?:groeten|bedankt|alstublieft|het|een)\b"), ("NL", "BE")),
    (re.compile(r"[ãõ]|(?i:\b(?:obrigad[oa]|atenciosamente|você|não)\b)"), ("PT", "BR")),
    (re.compile(r"[łąęś]|(?i:\b(?:dziękuję|pozdrawiam|dzień)\b)"), ("PL",)),
    (re.compile(r"(?i)\b(?:hälsningar|tack|hej)\b"), ("SE",)),
    (re.compile(r"[ğış]|(?i:\b(?:teşekkürler|merhaba)\b)"), ("TR",)),
    # round 10: letters only a few languages write
    (re.compile(r"[řůě]"), ("CZ", "SK")),
    (re.compile(r"[őű]"), ("HU",)),
    (re.compile(r"[șță]"), ("RO",)),
    (re.compile(r"[æø]"), ("DK", "NO")),
    (
        re.compile(r"(?i)\b(?:oficina|llame|llámenos|llámanos|llámame|llámeme|favor)\b"),
        ("ES", "MX"),
    ),
    # round 11: the words of a phone line of one language ("ramal", "fixo", "celular")
    (re.compile(r"(?i)\b(?:ramal|fixo|telefone|ligue|meu|minha|escritório)\b"), ("BR", "PT")),
    (re.compile(r"(?i)\b(?:teléfono|móvil|contacto|anexo)\b"), ("ES", "MX", "CL")),
    (re.compile(r"(?i)\b(?:interno|cellulare|telefono)\b"), ("IT",)),
    # round 16: Italian words of ads, notes and replies ("Affittasi …, ore serali",
    # "chiamare dopo le 18") that no other language writes
    (re.compile(r"(?i)\b(?:affittasi|vendesi|chiamare|serali|pomeriggio|sig\.ra|perché|però|"
                r"anche|grazie mille|ciao)\b"), ("IT",)),
    # round 16: a time zone written beside a time names its country ("8am-8pm AEST")
    (re.compile(r"\b(?:AEST|AEDT|ACST|ACDT|AWST)\b"), ("AU",)),
    (re.compile(r"\b(?:NZST|NZDT)\b"), ("NZ",)),
    (re.compile(r"\bJST\b"), ("JP",)),
    (re.compile(r"\bKST\b"), ("KR",)),
    (re.compile(r"\bSGT\b"), ("SG",)),
    (re.compile(r"\bHKT\b"), ("HK",)),
    (re.compile(r"\bPKT\b"), ("PK",)),
    (re.compile(r"(?i)\b(?:wewn|telefon komórkowy|komórka)\b"), ("PL",)),
    (re.compile(r"(?i)\b(?:durchwahl|nebenstelle|festnetz)\b"), ("DE", "AT", "CH")),
    (re.compile(r"(?i)\b(?:toestel|mobiel)\b"), ("NL", "BE")),
    # round 12: more languages' letters and phone words (a text without them reads a
    # national number in the defaults' plans only)
    (re.compile(r"[ðþ]|(?i:\bs[ií]mi\b|\bkveðja)"), ("IS",)),
    (re.compile(r"[ėįų]"), ("LT",)),
    (re.compile(r"[ļķņģ]"), ("LV",)),
    (re.compile(r"[ľĺŕô]"), ("SK",)),
    (re.compile(r"(?i)\b(?:puh|puhelin|kiitos|terveisin|ystävällisin)\b"), ("FI",)),
    (re.compile(r"(?i)\b(?:tlf|hilsen|venlig)\b"), ("DK", "NO")),
    (re.compile(r"(?i)\b(?:tfn|vänliga|mobilnummer)\b"), ("SE",)),
    (re.compile(r"(?i)\b(?:hvala|pozdrav|poštovani)\b"), ("HR", "SI", "RS")),
    (re.compile(r"[ơưđ]|[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]"), ("VN",)),
    (re.compile(r"(?i)\b(?:terima kasih|hubungi|silakan|bapak)\b"), ("ID", "MY")),
    (re.compile(r"(?i)\b(?:salamat|po lang)\b"), ("PH",)),
    # Japanese words in Han characters alone (no kana): "電話番号", "携帯", "内線"
    (re.compile(r"番号|携帯|内線|御中|株式会社"), ("JP",)),
)  # fmt: skip
# A country named in the text, by its English and its own name or a large city of it
# (round 8: "call the Madrid office on 912 345 678"). Written by hand, no place list.
_COUNTRY_WORDS: tuple[tuple[str, str], ...] = (
    ("ES", "spain|spanish|españa|madrid|barcelona|valencia|sevilla|seville|bilbao"),
    ("IT", "italy|italian|italia|roma|rome|milan|milano|napoli|naples|torino|turin"),
    ("NL", "netherlands|dutch|nederland|holland|amsterdam|rotterdam|utrecht|den haag"),
    ("BE", "belgium|belgian|belgië|belgique|brussels|bruxelles|brussel|antwerp|antwerpen"),
    ("AT", "austria|austrian|österreich|vienna|wien|graz|salzburg|linz"),
    ("CH", "switzerland|swiss|schweiz|suisse|svizzera|zurich|zürich|geneva|genève|basel|bern"),
    ("PT", "portugal|portuguese|lisbon|lisboa|porto"),
    ("BR", "brazil|brazilian|brasil|são paulo|sao paulo|janeiro"),
    ("MX", "mexico|mexican|méxico|monterrey|guadalajara|cdmx"),
    ("AR", "argentina|buenos aires"),
    ("PL", "poland|polish|polska|warsaw|warszawa|kraków|krakow|wrocław|gdańsk"),
    ("CZ", "czechia|czech|česko|prague|praha|brno"),
    ("SE", "sweden|swedish|sverige|stockholm|göteborg|gothenburg|malmö"),
    ("NO", "norway|norwegian|norge|oslo|bergen"),
    ("DK", "denmark|danish|danmark|copenhagen|københavn|aarhus"),
    ("FI", "finland|finnish|suomi|helsinki|espoo|tampere"),
    ("IE", "ireland|irish|dublin|cork|galway"),
    (
        "GB",
        "united kingdom|britain|british|england|scotland|wales|london|manchester|"
        "edinburgh|glasgow|birmingham",
    ),
    ("DE", "germany|german|deutschland|berlin|münchen|munich|hamburg|köln|cologne|frankfurt"),
    ("FR", "france|french|paris|lyon|marseille|toulouse|bordeaux|lille"),
    ("US", "united states|u.s.|usa|america|new york|san francisco|chicago|boston|seattle"),
    ("CA", "canada|canadian|toronto|montreal|montréal|vancouver|ottawa|calgary"),
    ("AU", "australia|australian|sydney|melbourne|brisbane|perth|adelaide"),
    ("NZ", "new zealand|auckland|wellington"),
    ("IN", "india|indian|mumbai|delhi|bangalore|bengaluru|chennai|hyderabad|pune"),
    ("JP", "japan|japanese|tokyo|osaka|kyoto|yokohama"),
    ("CN", "china|chinese|beijing|shanghai|shenzhen|guangzhou"),
    ("KR", "korea|korean|seoul|busan"),
    ("SG", "singapore"),
    ("HK", "hong kong"),
    ("ZA", "south africa|johannesburg|cape town|durban"),
    ("AE", "emirates|uae|dubai|abu dhabi"),
    ("IL", "israel|tel aviv|jerusalem|haifa"),
    ("TR", "turkey|türkiye|turkish|istanbul|ankara|izmir"),
    ("GR", "greece|greek|athens|thessaloniki"),
    ("RU", "russia|russian|moscow|st petersburg|saint petersburg"),
    ("UA", "ukraine|ukrainian|kyiv|kiev|kharkiv|lviv|odesa"),
    ("RO", "romania|romanian|bucharest|bucurești|cluj"),
    ("HU", "hungary|hungarian|budapest"),
    # round 12
    ("IS", "iceland|icelandic|ísland|reykjavík|reykjavik"),
    ("LT", "lithuania|lithuanian|lietuva|vilnius|kaunas"),
    ("LV", "latvia|latvian|latvija|riga|rīga"),
    ("EE", "estonia|estonian|eesti|tallinn|tartu"),
    ("SK", "slovakia|slovak|slovensko|bratislava|košice"),
    ("SI", "slovenia|slovenian|slovenija|ljubljana"),
    ("HR", "croatia|croatian|hrvatska|zagreb|split"),
    ("RS", "serbia|serbian|srbija|belgrade|beograd"),
    ("BG", "bulgaria|bulgarian|sofia"),
    ("LU", "luxembourg|luxemburg"),
    ("MY", "malaysia|malaysian|kuala lumpur|penang"),
    ("ID", "indonesia|indonesian|jakarta|surabaya|bandung|bali"),
    ("PH", "philippines|filipino|manila|cebu|quezon"),
    ("TH", "thailand|thai|bangkok|chiang mai|phuket"),
    ("VN", "vietnam|vietnamese|hanoi|saigon|ho chi minh"),
    ("PK", "pakistan|pakistani|karachi|lahore|islamabad"),
    ("BD", "bangladesh|dhaka|chittagong"),
    ("LK", "sri lanka|colombo"),
    ("NG", "nigeria|nigerian|lagos|abuja"),
    ("KE", "kenya|kenyan|nairobi|mombasa"),
    ("GH", "ghana|ghanaian|accra|kumasi"),
    ("EG", "egypt|egyptian|cairo|alexandria"),
    ("MA", "morocco|moroccan|casablanca|rabat|marrakech"),
    ("SA", "saudi|riyadh|jeddah"),
    ("QA", "qatar|doha"),
    ("CO", "colombia|colombian|bogotá|bogota|medellín|medellin"),
    ("CL", "chile|chilean|santiago|valparaíso|valparaiso"),
    ("PE", "peru|peruvian|perú|lima"),
    ("TW", "taiwan|taiwanese|taipei|kaohsiung"),
)
# Looked up word by word (and by pairs of words: "new york"), not by one alternation of
# every name, which costs a regex engine a try of each name at each position.
_COUNTRY_OF: dict[str, str] = {
    name: region for region, names in _COUNTRY_WORDS for name in names.split("|")
}
# Capitalised words only (names of places are), and "U.S.", "USA", "UAE".
_WORD = re.compile(r"[A-ZÀ-ÖØ-Þ][^\W\d_]*(?:\.[A-Z]\.?)?")
# An international number's country code names a region for the national numbers around it.
_INTERNATIONAL = re.compile(r"(?<![\w+])\+[1-9][\d \t().\-/]{6,20}\d")
_ISO_BESIDE_NUMBER = re.compile(
    r"\d[ \t]*[(\[](?P<after>[A-Z]{2})[)\]]|[(\[](?P<before>[A-Z]{2})[)\]]:?[ \t]*(?=[+(]?\d)"
)
_COUNTRY_FIELD = re.compile(r"(?i)\b(?:country|country_?code|land|pays|pa[ií]s|paese)\b")
_ISO_FIELD = re.compile(r"""(?:^|(?<=[,;\t|"']))(?P<code>[A-Z]{2})(?=[,;\t|"']|$)""", re.M)
# Country-code top-level domains in addresses ("…@example.de", "www.example.co.uk").
_CC_TLD = re.compile(r"(?i)[\w\-]\.(?:co\.|com\.)?([a-z]{2})(?![\w\-.])")
# Two-letter domains used as generic names, not as a country.
_VANITY_TLDS_TEXT = """
    io ai co me tv ly fm gg sh to cc ws la so st is am im
"""
_VANITY_TLDS = frozenset(_VANITY_TLDS_TEXT.split())
_TLD_REGION = {"uk": "GB"}


def text_regions(text: str, defaults: Iterable[str] = DEFAULT_REGIONS) -> tuple[str, ...]:
    """The regions a national number in ``text`` may belong to, best guesses first."""
    cued: list[str] = []
    for pattern, regions in _SCRIPT_REGIONS:
        if pattern.search(text):
            cued.extend(regions)
    for m in _CC_TLD.finditer(text):
        tld = m.group(1).lower()
        region = _TLD_REGION.get(tld, tld.upper())
        if tld not in _VANITY_TLDS and region in SUPPORTED_REGIONS:
            cued.append(region)
    for pattern, regions in _LANGUAGE_REGIONS:
        if pattern.search(text):
            cued.extend(regions)
    # At most two named ones, so that a text naming many places keeps the defaults.
    cued.extend(list(dict.fromkeys(_named_regions(text)))[:2])
    ordered = dict.fromkeys([*cued, *(d.upper() for d in defaults)])
    return tuple(r for r in ordered if r in SUPPORTED_REGIONS)[:MAX_REGIONS]


def _named_regions(text: str) -> Iterator[str]:
    """Regions the text names: a country or a city of it, an international number's code."""
    words = [w.lower() for w in _WORD.findall(text)]
    for i, word in enumerate(words):
        region = _COUNTRY_OF.get(word)
        if region is None and i + 1 < len(words):
            region = _COUNTRY_OF.get(f"{word} {words[i + 1]}")
        if region is not None:
            yield region
    yield from _coded_regions(text)
    for m in _INTERNATIONAL.finditer(text):
        try:
            number = phonenumbers.parse(m.group(), None)
        except phonenumbers.NumberParseException:
            continue
        region = phonenumbers.region_code_for_number(number)
        if region:
            yield region


def _coded_regions(text: str) -> Iterator[str]:
    """Round 12: a country's ISO code in brackets next to a number ("9384 2716 (HK)",
    "(SG) 9123 4471"), or as a field of a record that has a country field ('"country":
    "DK"', a CSV's "country" column), names its region."""
    for m in _ISO_BESIDE_NUMBER.finditer(text):
        code = m.group("after") or m.group("before")
        if code in SUPPORTED_REGIONS:
            yield code
    if _COUNTRY_FIELD.search(text):
        for m in _ISO_FIELD.finditer(text):
            if m.group("code") in SUPPORTED_REGIONS:
                yield m.group("code")


SUPPORTED_REGIONS = frozenset(phonenumbers.SUPPORTED_REGIONS)
_DIGITS = re.compile(r"\d")

# The library compiles its metadata's patterns through ``re.compile``, whose cache keeps
# 512 patterns and drops the oldest first: the regions of a day's texts need about 500
# of them, so with the engine's own patterns they were compiled again and again (642
# compiles per 2,000 texts, about a tenth of the CPU after NER). The library's own cache
# (documented in its README) keeps them; it is bounded by the metadata (760 patterns,
# about 1 MB, with every region loaded) and changes no result.
phonenumbers.enable_pattern_cache()


def library_phones(text: str, regions: Iterable[str] = DEFAULT_REGIONS) -> Iterator[Span]:
    """Every phone number libphonenumber finds in ``text`` for its likely regions."""
    if len(_DIGITS.findall(text[:100_000])) < 5:
        return
    windows = _windows(text)
    split = _SPLIT_HINT.search(text) is not None or _turn_hinted(text)
    if not windows and not split:
        return
    yield from international_fields(text)
    ordered = text_regions(text, regions)
    if split:
        yield from split_phones(text, ordered)
    yield from _window_phones(text, windows, ordered)


def _window_phones(
    text: str, windows: list[tuple[int, int, list[int]]], ordered: tuple[str, ...]
) -> Iterator[Span]:
    for begin, end, runs in windows:
        found: list[tuple[int, int]] = []
        for region in ordered:
            for m in _matches(text[begin:end].translate(_AS_LIBRARY_DASH), region):
                start, stop = begin + m.start, begin + m.end
                if (start, stop) in found:
                    continue
                found.append((start, stop))
                if bare_number_is_not_phone(text, start, stop) or _not_a_phone(text, start, m):
                    continue
                if text[start] not in "+0" and labelled_as_id(text, start):
                    continue  # "Meeting ID: 912 345 678": a national-looking id, no trunk 0
                yield Span(PHONE, start, stop)
            # Every digit run read as a number by a likelier region: the others would
            # only read the same digits again (the library's cost is per region).
            if all(any(a <= r < b for a, b in found) for r in runs):
                break


# A number cut by a line break ("+44 20 7946\n0958", "0170-\n1234567"): a head at a line's
# end, international or after a word about phones, and digits starting the next line.
# Round 10: also a line break inside a quoted reply ("+49 30\n> 1234 5678") and an HTML
# one ("+1 (617)<br>555-0136").
_BREAK = r"(?:\n(?:[ \t]*>)*|<br[ \t]*/?>)"
_SPLIT = re.compile(
    r"(?P<head>(?<![\w+])(?:\+|00)?\(?\d[\d \t().\-/]{0,16}\d\)?)[ \t]*(?P<joint>[\-/]?)[ \t]*"
    + _BREAK
    + r"[ \t]*(?P<tail>\d[\d \t().\-/]{0,14}\d)(?![\w.,:/\-]?\d)"
)
_SPLIT_HINT = re.compile(r"\d[ \t\-/)]*" + _BREAK + r"[ \t]*\d")
# Round 16: a chat's next turn, its time and speaker, between the two parts ("my number is
# 0412 318⏎[10:02] Alice: 559 sorry hit enter"): the number was sent in two messages.
_TURN = (
    r"(?:\[[^\]\n]{1,20}\][ \t]*|[\d/.,: \t]{4,22}[\-\u2013]?[ \t]*)?"
    r"(?P<who>[^\W\d][^\n:\d]{0,30}):"
)
_TURN_SPLIT = re.compile(
    r"(?P<head>(?<![\w+])(?:\+|00)?\(?\d[\d \t().\-/]{0,16}\d\)?)[ \t]*(?P<joint>)\n[ \t]*"
    + _TURN
    + r"[ \t]*(?P<tail>\d[\d \t().\-/]{0,14}\d)(?![\w.,:/\-]?\d)"
)
_TURN_HINT = re.compile(r"\d[ \t]*\n[ \t]*" + _TURN + r"[ \t]*\d")
_PHONE_WORD = re.compile(
    r"(?i)(?:phone|\btel|mobile?|\bmob|\bcell|\bfax|\bcall|\bdial|handy|telefon|"
    r"\bdirect|\bwhatsapp|\b[tmfcpo]\b\.?:?|☎|📞|"
    # round 15: "you can reach me on 0161 832⏎> 5517"
    r"\breach|"
    # round 14: "my number is 0412⏎318 559" (both lines together valid, neither alone)
    r"\bnumber|nummer|num[eé]ro|n[uú]mero)[^\n\d]{0,12}$"
)


# A number in international form without its "+", in a field that says so: '"msisdn":
# "447700900123"', "WhatsApp: 4917612345678" (round 8).
_INTERNATIONAL_FIELD = re.compile(
    r"""(?i)(?<![\w])["']?(?:msisdn|whatsapp|e\.?164|phone_?e164|intl|international)["']?"""
    r"""[ \t]*[:=]?[ \t]*["']?(?P<number>[1-9]\d{7,14})(?![\w.])"""
)


def international_fields(text: str) -> Iterator[Span]:
    """Numbers in an international field written without "+" (see the pattern)."""
    low = text.lower()
    hints = ("msisdn", "whatsapp", "164", "intl", "international")
    if not any(h in low for h in hints):
        return
    for m in _INTERNATIONAL_FIELD.finditer(text):
        # The field says what it is: a number of a possible length for its country code.
        try:
            number = phonenumbers.parse("+" + m.group("number"), None)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            yield Span(PHONE, m.start("number"), m.end("number"))


def _turn_hinted(text: str) -> bool:
    return "\n" in text and ":" in text and _TURN_HINT.search(text) is not None


def split_phones(text: str, regions: Iterable[str]) -> Iterator[Span]:
    """Numbers written over two lines: valid only read together, neither part alone."""
    matches = list(_SPLIT.finditer(text)) if _SPLIT_HINT.search(text) else []
    if _turn_hinted(text):
        matches += _TURN_SPLIT.finditer(text)
    for m in matches:
        head, tail = m.group("head"), m.group("tail")
        turn = m.re is _TURN_SPLIT
        line_start = text.rfind("\n", 0, m.start()) + 1
        international = head.startswith(("+", "00"))
        if not international and not _PHONE_WORD.search(text, line_start, m.start()):
            continue
        # The region whose plan reads the two lines as one number, but neither alone
        # (else they are two numbers, one on each line); a country code decides alone.
        # Round 12: a hyphen at the line's end says the number goes on ("0711 / 2894-⏎
        # 3317"), even where the head alone would be a number of its own.
        hyphen = m.group("joint") == "-"
        if turn and f"{m.group('who')}:" not in text[line_start : m.start()]:
            continue  # two messages of one speaker, the first on the head's line
        for region in ("ZZ",) if international else regions:
            if (
                _valid(head + " " + tail, region)
                and (hyphen or not _valid(head, region))
                and (international or not _valid(tail, region))
            ):
                if turn:
                    # each message's part alone: the turn's time and speaker stay
                    yield Span(PHONE, m.start("head"), m.end("head"))
                    yield Span(PHONE, m.start("tail"), m.end("tail"))
                else:
                    yield Span(PHONE, m.start(), m.end())
                break


def _valid(candidate: str, region: str) -> bool:
    try:
        number = phonenumbers.parse(
            candidate.replace("00", "+", 1) if candidate.startswith("00") else candidate,
            None if region == "ZZ" else region,
        )
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(number))


# A run of digits and the separators numbers are written with, six digits at least: the
# only places worth a pass of the library (which scans the whole text once per region).
# Round 12: also the Japanese long-vowel mark written as a dash ("03ー5412ー8830").
_RUN = re.compile(
    r"[+(]?\d[\d \t().\-/\u2010-\u2015\u2212\uff0d\u30fc\uff70\u00a0\u2007\u2009\u202f]{4,40}\d"
)
# The half-width long-vowel mark, which the library does not take for a dash as it takes
# the full-width one: read as that (one character for one, so offsets stay).
_AS_LIBRARY_DASH = str.maketrans({"\uff70": "\u30fc"})
_NOT_A_NUMBER = re.compile(r"[1-9]\d{0,2}(?:\.\d{1,3}){3}|[\d.]*(?:^|\.)\d\.[\d.]*")
_MARGIN = 24  # context either side: the library looks at the characters around a number


def _windows(text: str) -> list[tuple[int, int, list[int]]]:
    """Stretches of ``text`` around digit runs, merged where they touch, each with the
    positions of its runs' first digits."""
    out: list[tuple[int, int, list[int]]] = []
    for m in _RUN.finditer(text):
        digits = sum(c.isdigit() for c in m.group())
        # E.164 allows 15 digits at most; dotted quads and versions are no numbers.
        if digits < 6 or digits > 15 or _NOT_A_NUMBER.fullmatch(m.group()):
            continue
        first = m.start() + (m.group()[0] in "+(")
        begin, end = max(0, m.start() - _MARGIN), min(len(text), m.end() + _MARGIN)
        if out and begin <= out[-1][1]:
            out[-1] = (out[-1][0], end, [*out[-1][2], first])
        else:
            out.append((begin, end, [first]))
    return out


# Only digits and dots, one group a single digit: an OID or a version ("1.3.6.1.4.1").
_DOTTED_ID = re.compile(r"[\d.]*(?:^|\.)\d(?:\.|$)[\d.]*")


def _not_a_phone(text: str, start: int, m: phonenumbers.PhoneNumberMatch) -> bool:
    """A match (at ``start`` in ``text``) that is part of a longer number ("84.399243",
    "v2.0401234567") or a dotted identifier."""
    end = start + len(m.raw_string)
    before, after = text[max(0, start - 2) : start], text[end : end + 2]
    if _DIGIT_POINT.fullmatch(before) or _POINT_DIGIT.fullmatch(after):
        return True  # ("03:19:02.441200": the seconds of a clock time, too)
    # Cut from a longer run of digits (a window's margin may start inside one).
    if before[-1:].isdigit() or after[:1].isdigit():
        return True
    # "[ 7047.235427]", "20260844.17": one dot between two runs of digits is a decimal
    # number (a kernel's clock, a build number); phones written with dots have two.
    if _DECIMAL.fullmatch(m.raw_string.strip("[( ")):
        return True
    # "load 0.42 0.38 0.31": decimal numbers in a row (round 11)
    if _DECIMALS.fullmatch(m.raw_string.strip("[( ")):
        return True
    return _DOTTED_ID.fullmatch(m.raw_string) is not None


_DECIMAL = re.compile(r"\d+\.\d+")
_DECIMALS = re.compile(r"\d{1,3}\.\d{1,3}(?:[ \t,;]+\d{1,3}\.\d{1,3})+")
_DIGIT_POINT = re.compile(r"\d[.,:]")
_POINT_DIGIT = re.compile(r"[.,]\d")


def _matches(text: str, region: str) -> Iterator[phonenumbers.PhoneNumberMatch]:
    return iter(PhoneNumberMatcher(text, region, leniency=Leniency.VALID, max_tries=_TRIES))


_TRIES = 1000  # the library's own bound on candidates per text (its default is 65535)


# The languages' words are looked up in the text's set of words (prefilter.py), not
# tried by each pattern at each position: the patterns run only on a text holding one.
_LANGUAGE_REGIONS = tuple((guarded(pattern), regions) for pattern, regions in _LANGUAGE_REGIONS)
