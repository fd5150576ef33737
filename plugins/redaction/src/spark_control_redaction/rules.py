"""Rule-based recognizers: a pattern finds candidates, a validator keeps the real ones.

Each recognizer is ``(text) -> Iterator[Span]``. Patterns are written to stay linear on
long input (bounded repetitions, no nested unbounded quantifiers). A recognizer leans
towards redacting too much: a false positive costs a placeholder, a miss is a leak.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator
from urllib.parse import unquote

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
from spark_control_redaction.national_ids import national_ids
from spark_control_redaction.prefilter import guarded
from spark_control_redaction.validators import (
    iban_ok,
    ip_ok,
    isbn13_ok,
    looks_random,
    luhn_ok,
    personal_ip,
    ssn_ok,
)

Recognizer = Callable[[str], Iterator[Span]]

# --- email and URL -----------------------------------------------------------------------

_EMAIL = re.compile(
    # (round 16: "%40", an at sign URL-encoded in a query: "?email=jane.roe%40example.com")
    r"(?<![\w.%+\-])[\w%+\-][\w.%+\-']{0,63}(?:@|%40)"
    # A mail client or a terminal may wrap a long address right after its "@".
    r"(?:[ \t]*\n[ \t]*(?=[\w\-]{1,63}\.))?"
    r"(?:[\w\-]{1,63}\.){1,8}[^\W\d_]{2,24}(?![\w\-])"
)
# An address written against harvesters: "jane [at] example [dot] org", "jane(at)example.org",
# "jane AT example DOT org", "jane@example[.]org". A bracketed "at"/"dot" or an upper-case
# spaced one; a plain " at " only with a " dot " after it and a known top-level domain.
# Round 8: also a spaced "@" ("jane @ example.com"), "-at-"/"-dot-", the full-width at
# sign and full stop (U+FF20, U+FF0E), and the German and French words for the dot
# ("(punkt)", "[point]").
_OBF_AT = (
    r"(?:[ \t]*[\[({<](?i:at|@)[\])}>][ \t]*|[ \t]+AT[ \t]+|[ \t]*-(?i:at)-[ \t]*|"
    r"[ \t]+[@\uff20][ \t]*|[ \t]*[@\uff20][ \t]+|[@\uff20])"
)
_OBF_DOT = (
    r"(?:[ \t]*[\[({<](?i:dot|\.|punkt|point)[\])}>][ \t]*|[ \t]+DOT[ \t]+|"
    r"[ \t]*-(?i:dot)-[ \t]*|[.\uff0e])"
)
_OBFUSCATED_EMAIL = re.compile(
    r"(?<![\w.%+\-])[\w%+\-][\w.%+\-]{0,63}(?:"
    + _OBF_AT
    + r")(?:[\w\-]{1,63}"
    + _OBF_DOT
    + r"){1,8}[^\W\d_]{2,24}(?![\w\-])"
)
_SPELLED_EMAIL = re.compile(
    # (round 16: also "underscore", "dash", "hyphen" between the words of the local part)
    r"(?<![\w.%+\-])[\w%+\-][\w.%+\-]{0,63}"
    r"(?:[ \t]+(?:dot|underscore|dash|hyphen)[ \t]+[\w%+\-]{1,63}){0,3}"
    r"[ \t]+at[ \t]+(?:[\w\-]{1,63}[ \t]+dot[ \t]+){1,4}"
    r"(?:" + "com|org|net|edu|gov|io|co|uk|de|fr|nl|es|it|ch|at|eu|us|ca|au|jp|info|dev" + r")\b"
)
# "jane.roe at example.com": a spelled "at" before a real host name, when the local part
# is no ordinary word (a dot, a digit, an underscore in it) or the text just said mail.
_AT_HOST = re.compile(
    r"(?<![\w.%+\-])(?P<local>[\w%+\-][\w.%+\-]{0,63})[ \t]+(?:at|AT)[ \t]+"
    r"(?:[\w\-]{1,63}\.){1,8}[^\W\d_]{2,24}(?![\w\-@])"
)
_MAIL_CUE = re.compile(
    r"(?i)(?:e-?mail|\bmail|\bwrite|\bcontact|\baddress|\bping)\w*\b[^\n.]{0,12}$"
)
_NOT_A_LOCAL_PART_TEXT = """
    me us you him her them it we i team folks people everyone someone anyone staff
"""
_NOT_A_LOCAL_PART = frozenset(_NOT_A_LOCAL_PART_TEXT.split())
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


_USERINFO_PREFIX = re.compile(r"(?i)[a-z][a-z0-9+.\-]{0,20}://[^/?#@\s]*$")


_SCP_REMOTE_AFTER = re.compile(r":[\w.\-~]+/")
_WRAPPED_LOCAL = re.compile(r"(?<![\w.%+\-])[\w%+][\w.%+\-]{0,62}-[ \t]*\n[ \t]*$")


def emails(text: str) -> Iterator[Span]:
    for m in _EMAIL.finditer(text):
        # "postgres://user:pass@host" is a URL's user and password, not an address.
        word_start = max(text.rfind(c, 0, m.start()) for c in " \t\n\"'(<") + 1
        if _USERINFO_PREFIX.search(text, word_start, m.start()):
            continue
        # "git@github.com:acme/infra.git": an SSH remote's service account, not mail.
        if m.group().startswith("git@") and _SCP_REMOTE_AFTER.match(text, m.end()):
            continue
        # Round 16: a local part a mail client wrapped after one of its hyphens
        # ("j.van-der-⏎berg@…"): the address starts on the line above.
        wrapped = _WRAPPED_LOCAL.search(text, max(0, m.start() - 80), m.start())
        yield Span(EMAIL, wrapped.start() if wrapped else m.start(), m.end())
    for pattern in (_OBFUSCATED_EMAIL, _SPELLED_EMAIL):
        for m in pattern.finditer(text):
            value = m.group()
            if _EMAIL.fullmatch(value):
                continue  # a plain address, found above
            tld = re.split(r"[\W_]+", value.lower())[-1]
            if len(tld) == 2 or re.fullmatch(_TLDS, tld):
                yield Span(EMAIL, m.start(), m.end())
    yield from _spelled_at_host(text)


def _spelled_at_host(text: str) -> Iterator[Span]:
    """ "jane.roe at example.com" (see ``_AT_HOST``)."""
    for m in _hinted(_AT_HOST, text, (" at ", " AT ", "\tat")):
        local = m.group("local")
        if local.lower() in _NOT_A_LOCAL_PART or re.fullmatch(r"(?i)v?[\d.]+\w{0,3}", local):
            continue  # "Python 3.11 at python.org": a version, not a mailbox
        tld = m.group().rsplit(".", 1)[-1].lower()
        if not (len(tld) == 2 or re.fullmatch(_TLDS, tld)):
            continue
        # "at InvoiceRendererTest.kt:88": a stack frame's file or class (round 10); a
        # host is not written in CamelCase.
        if re.search(r"[a-z][A-Z]", m.group()[m.end("local") - m.start() :]):
            continue
        if re.search(r"[.\d_]", local) or _MAIL_CUE.search(text, max(0, m.start() - 30), m.start()):
            yield Span(EMAIL, m.start(), m.end())


_URL_HOST = re.compile(r"(?i)^(?:[a-z][a-z0-9+.\-]*://)?(?:[^@/\s]*@)?(\[[^\]]+\]|[^:/?#\s]+)")


_PLAIN_REST = re.compile(r"(?::\d{1,5})?(?:/[a-z0-9._\-]*)?/?")


def _local_url(url: str) -> bool:
    """A URL of this machine (localhost, a loopback or documentation address)."""
    m = _URL_HOST.match(url)
    if m is None:
        return False
    host = m.group(1).strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    # "http://app", "http://api:8000/healthz": a service's name on a private network (an
    # upstream in nginx, a container in compose), no user and one plain step of path at
    # most ("http://intranet/wiki/Alice_Smith" names someone).
    if (
        re.fullmatch(r"[a-z][a-z0-9\-_]{0,62}", host)
        and "@" not in m.group()
        and _PLAIN_REST.fullmatch(url, m.end())
    ):
        return True
    return ip_ok(host) and not personal_ip(host)


# The host of a service's URI (RFC 3986: scheme://[userinfo@]host[:port]): "mongodb+srv://
# app:…@cluster0.example.net/shop", "amqps://…@rabbit.example.io". Only the host and port:
# the password in the user info or the query is a secret of its own, ranked above a URL.
_LABEL_RE = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
# Dotted labels whose last one is a name ("db.example.internal"), not a number ("v1.2").
_HOST_NAME = _LABEL_RE + r"(?:\." + _LABEL_RE + r")*\.[A-Za-z][A-Za-z0-9\-]{0,62}"
_DOTTED_HOST = _HOST_NAME + r"(?![\w.\-])"
_SERVICE_URI = re.compile(
    r"(?i)(?<![\w+.\-])(?!(?:https?|ftp)://)[a-z][a-z0-9+.\-]{1,20}(?::[a-z][a-z0-9+.\-]{1,20})?://"
    r"(?:[^\s/@\"'<>]{0,128}@)?(?P<host>" + _DOTTED_HOST + r")(?::\d{1,5})?"
)


# A URL wrapped by a mail client or a terminal: it ends the line in "-", "/", "_", "=",
# "&" or "?", or the next line goes on with "/", "?", "&" or "#" (round 8).
_WRAPPED_TAIL = re.compile(r"\n[ \t]{0,8}([^\s<>\"'`]{1,2048})")
# The path of a service's URI ("ssh://git@host:2222/alice/repo.git"), without its query:
# a secret in the query is found on its own.
_URI_PATH = re.compile(r"/[^\s<>\"'`?#]{0,2048}")
# A git remote in scp form: "git@github.com:alice/dotfiles.git" (the address finds the
# user and host; the path names the account).
_SCP_PATH = re.compile(
    r"(?<![\w.\-])[\w.\-]{1,32}@"
    + _HOST_NAME
    + r":(?P<path>(?!\d{1,5}\b)[\w.\-~]+(?:/[\w.\-~]+){0,20})"
)


def _unwrapped_end(text: str, end: int) -> int:
    """The end of a URL that goes on after a line break (see ``_WRAPPED_TAIL``)."""
    m = _WRAPPED_TAIL.match(text, end)
    if m is None or end == 0:
        return end
    tail = m.group(1)
    if text[end - 1] in "-/_=&?" or tail[0] in "/?&#":
        return _trim_url(text, m.start(1), m.end(1))
    return end


# Round 10: a key of YAML or of a label that starts with a domain ("app.kubernetes.io/name:",
# "cert-manager.io/cluster-issuer:"): the first thing on its line, a colon after it.
_KEY_LEAD = re.compile(r"[ \t]*(?:-[ \t]+)?[\"']?$")
_KEY_COLON = re.compile(r"[\"']?:(?:[ \t]|$)", re.M)


def _label_key(text: str, start: int, end: int) -> bool:
    line = text.rfind("\n", 0, start) + 1
    return bool(_KEY_LEAD.match(text, line, start) and _KEY_COLON.match(text, end))


def urls(text: str) -> Iterator[Span]:
    for pattern in (_URL, _HOST):
        for m in pattern.finditer(text):
            end = _trim_url(text, m.start(), m.end())
            if pattern is _HOST and _label_key(text, m.start(), end):
                continue
            if end - m.start() > 4 and not _local_url(text[m.start() : end]):
                yield Span(URL, m.start(), _unwrapped_end(text, end))
    for m in _SERVICE_URI.finditer(text):
        if not _local_url(m.group("host")):
            path = _URI_PATH.match(text, m.end())
            end = _trim_url(text, m.end(), path.end()) if path else m.end()
            yield Span(URL, m.start("host"), end)
    for m in _hinted(_SCP_PATH, text, ("@",)):
        end = _trim_url(text, m.start("path"), m.end("path"))
        if end > m.start("path"):
            yield Span(URL, m.start("path"), end)


# --- numbers: phones, cards, SSNs, IBANs ------------------------------------------------

# "x123", "ext. 123", "Ext 123", "x.123", ", extension 123", "#123".
# Also the words of other languages for it (German, Portuguese, Polish, Swedish, Dutch,
# Czech, Turkish, Russian, Greek, Hebrew, Chinese, Japanese).
_EXT_WORD = (
    r"(?:x|ext|extn|extension|durchwahl|nebenstelle|apparat|app|poste|interno|ramal|wewn|"
    r"anknytning|intern|toestel|klapka|dahili|доб|добавочный|εσωτ|שלוחה|转|轉|分机|分機|内線|內線|"
    # round 8: German "DW", French "p." (poste), the multiplication sign for an "x"
    r"dw|p(?=\.)|\u00d7|"
    # round 10: "int." (Italian, Spanish), Spanish "anexo" and "extensión", French
    # "postes", Czech "linka", Hungarian "mellék", Croatian "lokal", Romanian "interior",
    # Russian "доп.", Korean "내선"
    r"int(?=\.)|anexo|extensi[oó]n|postes|linka|mell[eé]k|lokal|interior|доп|내선)"
)
# Blanks inside a number: also the no-break, figure, thin and narrow no-break spaces
# (French typography writes "01 42 68 53 00" with U+202F).
_SP = "\u00a0\u2007\u2009\u202f"
# Between two digit groups: up to two blanks, dots, dashes or slashes.
_GAP = rf"[ \t.\-/\u2011{_SP}]{{0,2}}"
# ";ext=123" is the RFC 3966 form (tel: URIs, phone fields exported from systems).
# Round 10: the pauses of a dial string ("…0199,,4471#", "…0199,4471#") and a number
# keyed in after the call connects ("then #4419", "then dial 4419").
_EXTENSION = (
    r"(?:[\s,;(\uff08/\-\u2013\u2014]{0,4}(?i:" + _EXT_WORD + r")(?![^\W\d_])[.:#=/\uff1a]?\s{0,2}"
    r"[#\-]?\d{1,6}"
    r"|\s{0,2}#\d{1,6}"
    r"|,{2,4}\d{1,8}#?|,\d{1,8}#"
    r"|[ \t]{1,2}(?i:then)[ \t]{1,2}(?:(?i:press|dial|enter)[ \t]{1,2})?(?:#\d{1,6}|\d{3,6})#?)?"
)
_PHONE_US = re.compile(
    rf"(?<![0-9A-Za-z+])(?:(?:\+|00)?1[ \t.\-{_SP}]{{0,2}})?(?:\(\d{{3}}\)|\d{{3}})"
    rf"[ \t.\-\u2011{_SP}]{{0,2}}\d{{3}}[ \t.\-\u2011{_SP}]{{0,2}}\d{{4}}"
    + _EXTENSION
    + r"(?![0-9A-Za-z])"
)
# Round 12: also after "%2B", a "+" encoded in a URL's query ("?phone=%2B4420…").
_PHONE_INTL = re.compile(
    r"(?:(?<![0-9A-Za-z+])(?:\+|00)|(?<=%2[Bb]))[1-9]\d{0,2}"
    r"(?:" + _GAP + r"(?:\(\d{1,5}\)|\d{1,6})){1,7}" + _EXTENSION + r"(?![0-9A-Za-z])"
)
# National forms with a trunk 0 ("020 7946 0958", "(030) 1234567", "0151 12345678"); never
# "00…", the international prefix (an SKU "000123456789" is no phone).
# Round 11: a slash with a blank either side ("030 / 12 34 56"), German style; the group
# after it never starts with 0, which would be the trunk of a second number
# ("030 / 12 34 56 / 0172 / 987 65 43").
_SPACED_SLASH = r"[ \t]/[ \t](?=[1-9])"
_PHONE_NATIONAL = re.compile(
    r"(?<![0-9A-Za-z+])(?:\(0[1-9]\d{0,3}\)|0[1-9]\d{0,3})(?:(?:"
    + _SPACED_SLASH
    + "|"
    + _GAP
    + r")\d{2,8}){1,4}"
    + _EXTENSION
    + r"(?![0-9A-Za-z])"
)
# A vanity number (round 10): a North American toll-free code, or "1-" and any area code,
# then the seven letters and digits of the rest ("1-800-FLOWERS", "1-888-GO-TREKS"); the
# letters stand for keypad digits, so the number is the person's or business's own.
_PHONE_VANITY = re.compile(
    r"(?<![\w+\-.])(?:\+?1[ \-.])?(?:\(?8(?:00|33|44|55|66|77|88)\)?|(?<=1[ \-.])[2-9]\d\d)"
    r"[ \-.](?P<tail>[A-Z0-9]{1,10}(?:[\-.][A-Z0-9]{1,10}){0,3})(?![\w\-])"
)


# A seven-digit local number ("555-0134"): a phone only with an extension or after a
# word about phones.
_PHONE_LOCAL = re.compile(
    r"(?<![0-9A-Za-z+\-./])\d{3}(?P<sep>[\-.\u2011 " + _SP + r"])\d{4}(?P<ext>" + _EXTENSION + r")"
    r"(?![0-9A-Za-z\-])"
)
# Round 12: the words for a phone of more languages and messengers, shared by the cues
# below: "Cel.:" (Spanish, Portuguese), "Sími" (Icelandic), "puh." (Finnish), "tfn"
# (Swedish), "tlf" (Danish, Norwegian), "Natel" (Switzerland), "тел." (Russian,
# Bulgarian, Ukrainian), WhatsApp, Viber. Not "GSM" (its bands: "GSM 900 1800 1900").
_MORE_PHONE_WORDS = (
    r"cel|celular|cellulare|s[ií]mi|puh|puhelin|tfn|tlf|natel|whatsapp|viber|"
    r"тел|телефон|моб|мобильный|сот|"
    # round 16b: Brazil's "Fone:", Indonesia's "Telp.", Mongolia's "утас" (a phone)
    r"fone|telp|утас"
)
# Round 12: "call" in other languages ("llámame al …", "ligue para …", "appelez le …",
# "ruf … an", "chiamami al …", "bel …", "zadzwoń …").
_CALL_VERBS = (
    r"ll[aá]m(?:a|e|ar|ame|eme|enos|anos)|ligue|liga|ligar|appel(?:ez|le|er)|"
    r"ruf|rufen|anrufen|chiam(?:a|ami|atemi|are)|bel|bellen|zadzwo[ńn]|"
    # round 16b: Italian's "call back" and its pronouns glued on ("richiamarlo al …",
    # "chiamatela al …", "richiamami al …"); both spellings whole, not "(?:ri)?", so
    # that every branch has a first letter (round16_speed's look-ahead reads them)
    r"(?:richiam|chiam)(?:a|ar|are|ate)(?:mi|ci|lo|la|li|le|gli)?"
)
_PHONE_CUE_BEFORE = re.compile(
    r"(?i)(?:phone|\btel|mobile|\bmob|\bcell|\bfax|\bcall|\bdial|\bring|\bext|"
    r"(?<![^\W\d_])(?:" + _MORE_PHONE_WORDS + r")(?![^\W\d_])|"
    r"\bph|\b[ptmcod][.:])[^\n\d]{0,20}$"
)
# A national number written without a trunk 0 (Spain, Portugal, the Nordics, Greece:
# "912 345 678", "93 123 45 67") right after a word for a phone in a few languages: 8 to
# 11 digits in groups. Without such a word these are counts and ids.
# Round 11: the word for a phone after a local number, in its sentence ("I'm at 555-0134
# all afternoon, phone me", "555-0134 is my cell").
_PHONE_CUE_AFTER = re.compile(
    r"(?i)[^\n\d.!?]{0,40}?(?:\b(?:phone|call|ring|text|dial)[ \t]+(?:me|us)\b|"
    r"\b(?:is|'s)[ \t]+(?:my|our|the)[ \t]+(?:phone|mobile|cell|number|landline|line)\b)"
)
_CUED_NATIONAL = re.compile(
    r"(?i)(?<![^\W\d_])(?:phone|tel[eé]fono|tel[eé]fone|telefon|tel|telf|tlf|tfno|m[oó]vil|mobil|"
    r"mobile|cell|handy|celular|τηλ|κιν|" + _MORE_PHONE_WORDS + "|" + _CALL_VERBS + "|"
    # round 10: the verbs ("call 1300 123 456", "ring me on …")
    r"call|ring|dial)(?![^\W\d_])\.?(?:[ \t]*(?:n[oº°]\.?|num(?:ber|ero)?))?"
    # round 12: two words for one phone ("Mob. tel.", "Tel. mob.", "cell phone")
    r"(?:[ \t]*(?:tel|mob|phone)(?![^\W\d_])\.?)?"
    # round 11: a qualifier before the colon ("Teléfono de contacto:", "Mobile (UK):",
    # "phone (office):"), one to three short words or a bracketed one
    r"(?:(?:[ \t]+[^\W\d_]{1,12}){1,3}(?=[ \t]*:)|[ \t]*\([^\W\d_]{1,12}\)(?=[ \t]*:))?"
    r"[\"']?[ \t]*[:=\-]?[ \t]*[\"']?(?:(?:me|us)[ \t]+)?"
    # "mi teléfono es …", "my cell is …", "Telefon ist …", "on"/"at"/"unter" (round 8)
    # round 12: "para", "pour", "op", "na" ("ligue para …", "bel op …")
    r"(?:(?:is|es|est|ist|é|on|at|unter|au|al|para|pour|op|na)[ \t]+(?:(?:el|le|o)[ \t]+)?)?"
    # round 10: an area code in brackets without its trunk ("Tel. (11) 3456-7890")
    # round 12: a one-digit trunk of its own (Lithuania's and Russia's "8 612 48273",
    # "8 (916) 224-81-37")
    r"(?P<number>(?<![\d+])(?:(?:[1-9][ \t]?)?\([1-9]\d{0,3}\)[ \t]?\d{2,5}|[1-9]\d{0,3})"
    r"(?:[ .\-]?\d{2,5}){1,4})"
    r"(?![\d\-])"
)
_LISTED_NUMBER = re.compile(
    r"(?i)[ \t]*(?:/|,|;|\||or|oder|ou|o|y|e|und|og|och|of|lub)[ \t]*"
    r"(?P<number>(?<![\d+])(?:\([1-9]\d{0,3}\)[ \t]?\d{2,5}|[1-9]\d{0,3})(?:[ .\-]?\d{2,5}){1,4})"
    r"(?![\d\-]|[.,]\d)"
)
_EXT_SPLIT = re.compile(r"(?i)[\s,;]*(?:" + _EXT_WORD + r"|#)|,+(?=\d)|[ \t]+then\b")
# An extension on its own ("call the desk, ext. 4412"): a phone number all the same.
_LONE_EXTENSION = re.compile(
    r"(?i)(?<![\w.])(?:(?:ext|extn|extension)[.:#/]?(?:\s{1,2}(?:is|number|no\.?|nr\.?))?\s{0,2}"
    r"(?:#|x\.?(?=\d{3}))?"  # round 12: "his extension is x4412" (not "x86")
    r"|x\.|(?<=internal:\s)x|(?<=intern:\s)x|(?<=desk:\s)x|(?<=direct:\s)x"
    # round 11: the words of other languages that say nothing else ("Durchwahl 233")
    r"|(?:durchwahl|nebenstelle|postes?|interno|ramal|anexo|wewn|toestel|anknytning|dahili|"
    r"mell[eé]k|доб|доп|内線|內線|分机|分機|내선)(?![^\W\d_])[.:#/]?\s{0,2}#?"
    # round 12: the dash of a German "Durchwahl -2714" (the number's end written alone)
    r"|(?:durchwahl|nebenstelle|dw)(?![^\W\d_])[.:]?\s{0,2}[\-\u2013])"
    r"(\d{2,6})(?!\w|\.\d)"
)
# More extensions after the first one ("postes 2231 et 2232", "ext. 210, 211 or 212"):
# each a phone number of its own (round 11). Only after a word of two letters or more: a
# product "2 x 4, 5" and "(X11; …" are no extensions.
_EXT_LIST = re.compile(
    r"(?i)(?<![^\W\d_])(?=[^\W\d_]{2})(?:"
    + _EXT_WORD
    + r")(?![^\W\d_])[.:#=\uff1a]?\s{0,2}#?\d{1,6}"
    r"(?P<more>(?:[ \t]*(?:,|/|&|\+|(?<=[ \t])(?:et|and|or|ou|und|oder|y|e|o|i|en|och|og)"
    r"(?=[ \t]))[ \t]*#?\d{1,6}(?![\d.,]\d|[^\W\d_]))+)"
)
_EXT_ITEM = re.compile(r"\d{1,6}")
# An extension word of any language right after a number, which another recognizer (the
# library) found without it: "(11) 3456-7890, ramal 305" (round 11).
_EXT_AFTER_NUMBER = re.compile(
    r"(?i)(?<=\d)[\s,;(\-\u2013\u2014]{0,4}(?=[^\W\d_]{2})(?:" + _EXT_WORD + r")(?![^\W\d_])"
    r"[.:#=/\uff1a]?\s{0,2}#?(?P<ext>\d{1,6})(?![\d.,]\d|[^\W\d_])"
    # round 12: "local" (an American switchboard's word) only right after a number in a
    # phone's shape ("(503) 418-2296, local 318"): "port 8080, local 3000" is none
    r"|(?<=\d[\-. ]\d{4})[ \t]*[,;]?[ \t]*(?:local|loc\.)[ \t]*#?(?P<local>\d{2,6})(?![\w.])"
)
# An extension in a field of its own: '"extension": "789"', "ext=x12" (round 8).
_EXTENSION_FIELD = re.compile(
    r"""(?i)(?<![\w])["']?(?:ext|extn|extension|phone_?ext(?:ension)?|durchwahl)["']?[ \t]*"""
    r"""[:=][ \t]*["']?(?:x\.?)?(\d{1,6})(?![\w.])"""
)


# A bare run of digits labelled as one of these is a number of a thing, not a phone.
_ID_BEFORE = re.compile(
    r"(?i)(?:(?<![a-z])(?:meeting|conference|webinar|order|tracking|invoice|ticket|case|build|job|"
    # round 12: "NO" in capitals without its dot is Norway's code in a country field
    r"run|ref|reference|booking|confirmation|shipment|parcel|account|customer|id|"
    r"(?-i:no|No|NO\.|no\.|No\.)|"
    # round 10: numbers of goods and purchases ("PO 4500012345", "SKU 000123456789")
    r"po|p\.o\.|purchase[ \t]order|sku|ean|upc|gtin|serial|part|lot|batch|asset|article|"
    r"number)|#)[\s:#]{0,3}(?:id|no\.?|number|code)?[\s:#]{0,3}$"
)


_PHONE_WORDS = re.compile(
    r"(?i)phone|\btel\b|mobile|\bmob\b|\bcell|\bfax|\bcall|\bring\b|\bsms\b|whatsapp|"
    r"(?<![^\W\d_])(?:" + _MORE_PHONE_WORDS + r")(?![^\W\d_])|"
    r"\bdial|contact|telefon|t[ée]l[ée]fono?|handy|\bnumber|\bnum\b|\bno\.|\bph\b|\bm:|\bt:"
)
_COUNT_BEFORE = re.compile(
    r"(?i)\b(?:bytes|bytes_total|requests|reqs|rps|qps|ops|count|total|packets|rows|events|"
    r"size|sum|epoch|timestamp|ts|seconds|ms|tokens|hits|misses|errors|time|date|exp|iat|nbf|"
    r"(?:created|updated|modified|expires|started|ended|seen|deleted)(?:_at|At)?|"
    # round 8: counters of systems and networks ("offset 4294967296", "ack=3735928559")
    r"offset|length|len|blocks|sectors|inode|seq|ack|win|heap|used|free|rss|vsz|pid|uid|"
    r"gid|limit|max|min|avg|duration|latency|crc|sequence)\b"
    r"[^\w\n]{0,8}$"
    # any lower-case key of a log's key=value pairs ("inode=1234567890")
    r"|(?<![\w.])[a-z][a-z_]{1,30}=$"
)
# Round 14: a year, a month and a day ("0049-30-28471930" is a number with its "00").
_ISO_DATE = re.compile(r"(?<!\d)(?:1[6-9]|2\d)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])")


# Round 16: a day, a month and a year the other way round, and the American month first
# ("09.12.2026", "07/12/2026 18:22"): the library reads "07.12.2026 14" as a number of
# some plan, a phone never writes a 19xx or 20xx group after two such pairs.
_DAY_DATE = re.compile(
    r"(?<![\d.])(?:0?[1-9]|[12]\d|3[01])(?P<sep>[./])(?:0?[1-9]|[12]\d|3[01])(?P=sep)"
    r"(?:19|20)\d\d(?!\d|[.,/]\d)"
)


def _in_iso_date(text: str, start: int, end: int) -> bool:
    """Whether a match shares digits with an ISO date ("01..2026-11-30" in a range) or a
    day's date ("07.12.2026")."""
    for pattern in (_ISO_DATE, _DAY_DATE):
        for d in pattern.finditer(text, max(0, start - 10), min(len(text), end + 10)):
            if d.start() < end and start < d.end():
                return True
    return False


# Labels of things' numbers (not of a person's account or a reference that may be anyone's
# number): a number after one is no phone even with separators and a trunk 0 ("batch
# 0170-1234567", "lot 0151 2345 6789") (round 11).
_THING_BEFORE = re.compile(
    r"(?i)(?<![a-z])(?:meeting|conference|webinar|order|tracking|invoice|ticket|build|job|run|"
    r"booking|confirmation|shipment|parcel|po|purchase[ \t]order|sku|ean|upc|gtin|serial|"
    r"part|lot|batch|asset|article|error|exit|status|return|reason|retry|result|fault|"
    r"hresult|(?:exited|failed|returned|terminated)[ \t]+with|"
    # round 16: a company's register numbers ("ACN 004 085 616", "HRB 218447")
    r"abn|acn|hrb|hra|siren|siret|kvk)"
    r"[\s:#]{0,3}(?:id|no\.?|number|code|nr\.?)?[\s:#]{0,3}$"
)


def labelled_as_thing(text: str, start: int) -> bool:
    """Whether the number at ``start`` is labelled as a thing's number ("batch …")."""
    return _THING_BEFORE.search(text, max(0, start - 30), start) is not None


def labelled_as_id(text: str, start: int) -> bool:
    """Whether the number at ``start`` is labelled as an identifier ("Meeting ID: 845 …")."""
    if _PHONE_NUMBER_LABEL.search(text, max(0, start - 30), start):
        return False  # round 12: "Contact number 98450 33127" names a phone's number
    return _ID_BEFORE.search(text, max(0, start - 30), start) is not None


_PHONE_NUMBER_LABEL = re.compile(
    r"(?i)(?:phone|contact|mobile|cell|callback|call-back|telephone|whatsapp|fax|tel\.?)"
    r"[ \t]+(?:number|no\.?|nr\.?)[\s:#]{0,3}$"
)


_CLOCK_BEFORE = re.compile(r"(?:(?<!\d)\d{1,2}:\d{2}:|\d\.\d*)$")
_GLUED_BEFORE = re.compile(r"(?:\d{2}|\b(?!(?:TEL|FAX|MOB|CELL|PH)-)[A-Z]{2,6})-$")
_GLUED_AFTER = re.compile(r"-(?:\d{5}|[A-Z]{2})")


def bare_number_is_not_phone(text: str, start: int, end: int) -> bool:
    """Whether the phone-shaped ``text[start:end]`` is some other number: a bare run of
    digits labelled as an identifier, or right after a unit or a counter ("bytes |
    7135770593") in a text that never speaks of phones, or digits of an ISO date."""
    # "10:00:00.123456 2026": the seconds of a clock time, digits after a decimal point.
    if _CLOCK_BEFORE.search(text, max(0, start - 6), start):
        return True
    # "Order #112-4456789-1234567", "INV-2026-000123": a piece of a longer identifier
    # that goes on with a hyphen (round 10).
    if _GLUED_BEFORE.search(text, max(0, start - 8), start) or _GLUED_AFTER.match(text, end):
        return True
    if labelled_as_thing(text, start):
        return True
    if text[start:end].isdigit():
        if _ID_BEFORE.search(text, max(0, start - 30), start):
            return True
        counted = _COUNT_BEFORE.search(text, max(0, start - 20), start) or _UNIT_AFTER.match(
            text, end
        )  # "… 4294967296 bytes"
        if counted and not _PHONE_WORDS.search(text):
            return True
    return _in_iso_date(text, start, end)


def _cued_phones(text: str) -> Iterator[Span]:
    """Numbers that are phones only by the words around them (see the patterns)."""
    for m in _PHONE_LOCAL.finditer(text):
        cue = _PHONE_CUE_BEFORE.search(text, max(0, m.start() - 30), m.start())
        # "555 0134" with a blank only after a cue ("p: 555 0134"): else two numbers.
        cued = cue is not None and (m.group("sep") != " " or cue.end() - cue.start() <= 8)
        if not cued and m.group("sep") != " ":
            cued = _PHONE_CUE_AFTER.match(text, m.end()) is not None
        if (m.group("ext") or cued) and not _in_iso_date(text, m.start(), m.end()):
            yield Span(PHONE, m.start(), m.end())
    for m in _CUED_NATIONAL.finditer(text):
        start, end = m.start("number"), m.end("number")
        if 8 <= sum(c.isdigit() for c in m.group("number")) <= 11 and not _in_iso_date(
            text, start, end
        ):
            yield Span(PHONE, start, end)
            # Round 12: more numbers listed after the same word ("Tel 91 781 44 20 / 699 412
            # 388"): phones of the same kind.
            while (more := _LISTED_NUMBER.match(text, end)) is not None:
                start, end = more.start("number"), more.end("number")
                if not 8 <= sum(c.isdigit() for c in more.group("number")) <= 11:
                    break
                yield Span(PHONE, start, end)


# Round 16b: digit groups parted by an odd mark, the same one between every group
# ("Tel_0049_30_2847_1930", "Handy 0176~4839~2017", "Büro 030·2847·1933"): a phone when a
# word about phones stands in its line near it; else a file's, a version's or a list's.
# Its first group is a trunk 0 or a "+" and code: "100~200~300" and "12·14·19" are ranges.
_ODD_SEPARATED = re.compile(
    r"(?<![0-9A-Za-z+])(?:\+\d|0)\d{1,4}(?P<sep>[_~\u00b7])\d{2,5}(?:(?P=sep)\d{2,5}){1,4}"
    r"(?![0-9A-Za-z_~\u00b7]|\.\w)"
)
# The word may be glued to the number by the mark itself ("Tel_0049…", "mobil_0151…").
_ODD_CUE = re.compile(
    r"(?i)(?<![^\W\d_])(?:phone|tel|telefon\w*|t[eé]l[eé]phone|tel[eé]fono|telefone|mobile?|"
    r"mob|handy|cell|fax|call|ring|dial|kontakt|contact|whatsapp|sms|"
    + _MORE_PHONE_WORDS
    + r")(?![^\W\d_])"
)
_ODD_MARKS = ("_", "~", "\u00b7")


def _odd_separated(text: str) -> Iterator[Span]:
    if not any(mark in text for mark in _ODD_MARKS):
        return
    for m in _ODD_SEPARATED.finditer(text):
        if not 8 <= sum(c.isdigit() for c in m.group()) <= 15:
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        before = list(_ODD_CUE.finditer(text, max(line_start, m.start() - 40), m.start()))
        after = _ODD_CUE.search(text, m.end(), min(line_end, m.end() + 40))
        # a word glued on by the mark must be a phone word ("backup_2024_0311_1200" is a
        # file, "build~0311~2291~44" a build)
        glued = m.start() > 0 and text[m.start() - 1] in _ODD_MARKS
        if glued and (not before or before[-1].end() != m.start() - 1):
            continue
        if before or after is not None:
            yield Span(PHONE, m.start(), m.end())


def _extensions(text: str) -> Iterator[Span]:
    """Extensions found apart from their number (see the patterns)."""
    for m in _LONE_EXTENSION.finditer(text):
        yield Span(PHONE, m.start(), m.end())
    for m in _hinted(_EXTENSION_FIELD, text, ("ext", "durchwahl"), text.lower()):
        yield Span(PHONE, m.start(1), m.end(1))
    for m in _EXT_AFTER_NUMBER.finditer(text):
        group = "ext" if m.group("ext") is not None else "local"
        yield Span(PHONE, m.start(group), m.end(group))
    for m in _EXT_LIST.finditer(text):
        for item in _EXT_ITEM.finditer(text, m.start("more"), m.end("more")):
            yield Span(PHONE, item.start(), item.end())


def phones(text: str) -> Iterator[Span]:
    for m in _PHONE_VANITY.finditer(text):
        tail = [c for c in m.group("tail") if c.isalnum()]
        # Seven keys (a few more letters are often printed and not dialled), and words.
        if 7 <= len(tail) <= 10 and sum(c.isalpha() for c in tail) >= 3:
            yield Span(PHONE, m.start(), m.end())
    yield from _extensions(text)
    yield from _cued_phones(text)
    yield from _odd_separated(text)
    for pattern, low, high in (
        (_PHONE_US, 10, 11),
        (_PHONE_INTL, 8, 15),
        (_PHONE_NATIONAL, 9, 13),
    ):
        for m in pattern.finditer(text):
            if bare_number_is_not_phone(text, m.start(), m.end()):
                continue
            # Ten bare digits from 0 or 1 are no North American number (its area code
            # starts at 2): an epoch time, a count, an id.
            if pattern is _PHONE_US and m.group().isdigit() and m.group()[0] in "01":
                continue
            core = _EXT_SPLIT.split(m.group(), maxsplit=1)[0]
            digits = sum(c.isdigit() for c in core)
            # (E.164 has 15 digits at most, "00" before them two more)
            if low <= digits <= high or (pattern is _PHONE_INTL and 8 <= digits <= 17):
                yield Span(PHONE, m.start(), m.end())


# Digit groups separated by one space, dash or line break: a card may sit inside a longer run.
_DIGIT_RUN = re.compile(r"(?<![\d])\d{1,19}(?:[ \-\n]\d{1,19}){0,12}(?!\d)")
_GROUP = re.compile(r"\d+")


def credit_cards(text: str) -> Iterator[Span]:
    for run in _DIGIT_RUN.finditer(text):
        # "USPS tracking: 9400 1000 0000 …": the label stands before the run, not before
        # the window of its groups that passes Luhn (round 10).
        if _TRACKING_BEFORE.search(text, max(0, run.start() - 30), run.start()):
            continue
        groups = [
            (g.start() + run.start(), g.end() + run.start()) for g in _GROUP.finditer(run.group())
        ]
        i = 0
        while i < len(groups):
            found = None
            # The longest window of whole groups starting at i that is a valid card number.
            for j in range(len(groups) - 1, i - 1, -1):
                digits = "".join(text[a:b] for a, b in groups[i : j + 1])
                # (one digit repeated, "0000 0000 0000", passes Luhn and is no card)
                if 12 <= len(digits) <= 19 and len(set(digits)) > 1 and luhn_ok(digits):
                    found = j
                    break
            if found is None:
                i += 1
                continue
            start, end = groups[i][0], groups[found][1]
            if start and text[start - 1] == "+":
                pass  # "+44 20 4486 1221": a phone number that happens to pass Luhn
            elif (
                not _isbn(text, start, end)
                and not _TRACKING_BEFORE.search(text, max(0, start - 30), start)
                and not _in_uuid(text, start, end)
                and not _UNIT_AFTER.match(text, end)
            ):
                yield Span(CREDIT_CARD, start, end)
            i = found + 1
    yield from _dotted_cards(text)


# Round 11: a card written in four groups of four with dots ("4111.1111.1111.1111"),
# which the run above (blanks and dashes) does not read.
_DOTTED_CARD = re.compile(r"(?<![\d.])\d{4}\.\d{4}\.\d{4}\.\d{4}(?![\d.])")


def _dotted_cards(text: str) -> Iterator[Span]:
    for m in _hinted(_DOTTED_CARD, text, (".",)):
        digits = m.group().replace(".", "")
        if len(set(digits)) > 1 and luhn_ok(digits):
            yield Span(CREDIT_CARD, m.start(), m.end())


# "2000398934016 bytes": a count with its unit, not a card.
_UNIT_AFTER = re.compile(
    r"[ \t]?(?:bytes?|B|KB|MB|GB|TB|KiB|MiB|GiB|TiB|sectors?|blocks?|rows?|records?|"
    r"items?|files?|requests?|tokens?|ms|ns|µs|us)\b"
)


def _in_uuid(text: str, start: int, end: int) -> bool:
    """Digits that are groups of a UUID ("…-4365-4011-9696-…"): an id, not a card."""
    for m in _UUID.finditer(text, max(0, start - 40), min(len(text), end + 40)):
        if m.start() <= start and end <= m.end():
            return True
    return False


_TRACKING_BEFORE = re.compile(
    r"(?i)(?:tracking|shipment|parcel|waybill|awb|consignment|meeting|webinar)"
    r"[\w ]{0,12}[\s:#]{0,3}$"
)
_ISBN_BEFORE = re.compile(r"(?i)isbn(?:-1[03])?[\s:#]{0,3}$")


def _isbn(text: str, start: int, end: int) -> bool:
    """An ISBN-13 (978/979, its own check digit) or a number labelled ISBN: a book."""
    if _ISBN_BEFORE.search(text, max(0, start - 12), start):
        return True
    digits = "".join(c for c in text[start:end] if c.isdigit())
    return len(digits) == 13 and digits[:3] in ("978", "979") and isbn13_ok(digits)


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
    # Round 16: other countries' identity and tax numbers, by their check digit.
    yield from national_ids(text)


# (round 16: a line break inside may carry a quoted reply's "> " along: "IE29 AIBK 9311⏎>
# 5212 3456 78")
_IBAN = re.compile(
    r"(?i)(?<![\w])[a-z]{2}\d{2}(?:(?:[ \n\-]|\n[ \t]{0,4}>{1,3}[ \t]?)?[a-z0-9]){11,34}"
)


def ibans(text: str) -> Iterator[Span]:
    for m in _IBAN.finditer(text):
        # The pattern may run on into the next word; try the longest valid prefix.
        ends = [i + 1 for i in range(m.start(), m.end()) if text[i].isalnum()]
        for end in reversed(ends):
            compact = "".join(re.split(r"[\s>\-]+", text[m.start() : end])).upper()
            if len(compact) < 15:
                break
            value = text[m.start() : end]
            if "-" in value and text[m.start() - 1 : m.start()] == "-":
                break  # a later group of a dashed id ("…-ef07-44b6-aebe-…", a UUID)
            if (
                iban_ok(compact)
                and not (end < len(text) and text[end].isalnum())
                and _iban_groups(value)
            ):
                yield Span(IBAN, m.start(), end)
                break


def _iban_groups(value: str) -> bool:
    """An IBAN written with spaces groups four characters ("DE89 3704 0044 …"; a line
    break may cut a group): "LH2335 boards at gate B46" passes mod 97 by chance."""
    # (round 16: or with dashes, "DE89-3704-0044-…", never both)
    if " " in value and "-" in value:
        return False
    groups = value.split("-" if "-" in value else " ")
    return len(groups) == 1 or all(len(g) == 4 or "\n" in g for g in groups[:-1])


# --- network addresses ------------------------------------------------------------------

_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?(?![\w])(?!\.\d)")
_IPV6 = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{0,4})"
    r"(?:%[\w.]{1,16})?(?:/\d{1,3})?(?![\w:])"
)
_MAC = re.compile(
    r"(?<![\w:\-.])(?:[0-9A-Fa-f]{2}([:\-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}"
    r"|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![\w:\-]|\.[0-9A-Fa-f])"
)


# "version 10.0.19041.1", "build 4.2.0.1": dotted numbers after these words are no address.
_PRODUCT_SLASH = re.compile(r"(?<![\w./])[A-Za-z][A-Za-z\-]{1,20}/$")
_VERSION_BEFORE = re.compile(
    r"(?i)(?:\bv|version|ver\.?|release|build|firmware|fw|kernel|driver|rev\.?|revision|"
    r"patch|update|sdk|api|os|ios|android|python|node|java|chrome|firefox|edge|windows)"
    r"[\s:=#@\-]{0,3}$"
)


def ip_addresses(text: str) -> Iterator[Span]:
    for m in _IPV4.finditer(text):
        address = m.group().split("/")[0]
        if not ip_ok(address) or not personal_ip(address) or _network(m.group()):
            continue
        if _VERSION_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue
        if _PRODUCT_SLASH.search(text, max(0, m.start() - 24), m.start()):
            continue  # "Chrome/120.0.0.0" in a user agent: a product's version
        yield Span(IP_ADDRESS, m.start(), m.end())
    for m in _IPV6.finditer(text):
        address = m.group().split("/")[0].split("%")[0]
        if address.count(":") >= 2 and ip_ok(address) and personal_ip(address):
            yield Span(IP_ADDRESS, m.start(), m.end())


def _network(value: str) -> bool:
    """ "10.0.0.0/8": a range of addresses (its host bits zero), no one's address."""
    if "/" not in value:
        # (".255" is no sign of a broadcast address: a host in a /23 or wider has one)
        return False
    try:
        net = ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return net.prefixlen < net.max_prefixlen and str(net.network_address) == value.split("/")[0]


# Round 11: twelve hex digits without separators after a label that says MAC
# ("hwaddr=3C22FB7A910E", "BSSID: 3c22fb7a910e").
_LABELLED_MAC = re.compile(
    r"(?i)(?<![\w])(?:mac|hw[ _\-]?addr(?:ess)?|ether|bssid|physical[ _]address|"
    r"mac[ _\-]?addr(?:ess)?)"
    # round 16: also a blank or "is" for the separator ("device MAC F4F5D88A2C17", "the
    # mac address is 60A4B7C81D2E")
    r"(?:[ \t]{0,2}[:=#][ \t]{0,2}|[ \t]{1,2}(?:is[ \t]{1,2})?)[\"']?(?P<mac>[0-9a-f]{12})(?![\w])"
)
# Round 16: six pairs parted by dots ("00.1b.63.84.45.e6", printed on some labels), with a
# hex letter among them or a word for a MAC just before (six two-digit numbers alone are
# too often something else).
_DOTTED_MAC = re.compile(r"(?<![\w.])[0-9A-Fa-f]{2}(?:\.[0-9A-Fa-f]{2}){5}(?![\w]|\.\w)")
_MAC_WORD_BEFORE = re.compile(r"(?i)(?:mac|hw|ether|bssid|physical|hardware|adapter)\b[^\n]{0,24}$")


def macs(text: str) -> Iterator[Span]:
    for m in _hinted(_LABELLED_MAC, text, ("mac", "addr", "ether", "bssid", "MAC"), text.lower()):
        digits = set(m.group("mac").lower())
        if digits not in ({"0"}, {"f"}):
            yield Span(MAC_ADDRESS, m.start("mac"), m.end("mac"))
    for m in _MAC.finditer(text):
        digits = {c for c in m.group().lower() if c not in ":-."}
        if digits in ({"0"}, {"f"}):
            continue  # loopback's all-zero and the broadcast address name no device
        yield Span(MAC_ADDRESS, m.start(), m.end())
    for m in _hinted(_DOTTED_MAC, text, (".",)):
        digits = {c for c in m.group().lower() if c != "."}
        if digits in ({"0"}, {"f"}):
            continue
        labelled = _MAC_WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
        if digits & set("abcdef") or labelled:
            yield Span(MAC_ADDRESS, m.start(), m.end())


# --- secrets ----------------------------------------------------------------------------

# A vendor's documented shape for each kind of key, each starting with its prefix.
_KNOWN_SECRET_SHAPES = [
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
    # SendGrid (22 and 43 characters), also wrapped once by a line break
    r"\bSG\.[\w\-]{16,40}\.(?:[\w\-]{1,42}\n(?=[\w\-]{2})[\w\-]{1,60}|[\w\-]{16,60})",
    r"\beyJ[\w\-]{8,2000}\.eyJ[\w\-]{8,4000}\.[\w\-]{8,2000}",  # JWT
    r"-----BEGIN [A-Z ]{0,30}PRIVATE KEY(?: BLOCK)?-----[\s\S]{1,20000}?-----END "
    r"[A-Z ]{0,30}PRIVATE KEY(?: BLOCK)?-----",
    r"\b(?:shpat|shpss|shpca|whsec|dop_v1|xapp|sq0atp|sq0csp)[_\-][\w\-]{16,200}",
    r"\bpypi-AgE[\w\-]{40,300}",
    r"\b\d{8,10}:AA[A-Za-z0-9_\-]{33}\b",  # Telegram bot token
    # round 10: more vendors' documented prefixes
    r"\bhv[sbr]\.[A-Za-z0-9_\-]{20,300}",  # HashiCorp Vault
    r"\bdckr_pat_[A-Za-z0-9_\-]{20,80}",  # Docker Hub
    r"\bdp\.(?:st|ct|pt|sa|scim|audit)\.[A-Za-z0-9_\-.]{20,120}",  # Doppler
    r"\bPMAK-[0-9a-fA-F]{24}-[0-9a-fA-F]{34}",  # Postman
    r"\blin_(?:api|oauth)_[A-Za-z0-9]{30,60}",  # Linear
    r"\bATATT3[A-Za-z0-9_\-=]{30,300}",  # Atlassian
    r"\bdapi[0-9a-f]{32}(?:-\d)?\b",  # Databricks
    r"\bAGE-SECRET-KEY-1[0-9A-Z]{50,70}",  # age
    r"\bgl(?:sa|c)_[A-Za-z0-9_+/=\-]{20,200}",  # Grafana
    r"\bgl(?:dt|ptt|rt|soat|ft|imt|oas|cbt)-[A-Za-z0-9_\-]{20,60}",  # GitLab
    r"\bkey-[0-9a-f]{32}\b",  # Mailgun
    r"\bNRAK-[A-Z0-9]{27}\b",  # New Relic
    r"\bsntr[ysu]s?_[A-Za-z0-9+/=_\-]{30,300}",  # Sentry
    r"\bfigd_[A-Za-z0-9_\-]{30,60}",  # Figma
    r"\bya29\.[A-Za-z0-9_\-]{30,300}",  # Google OAuth access token
    r"\bSK[0-9a-f]{32}\b",  # Twilio API key
    r"\b(?:AKID[A-Za-z0-9]{32}|LTAI[A-Za-z0-9]{12,24})\b",  # Tencent, Alibaba
    # round 12: a token's id and secret parted by a dot (Airtable's personal token)
    r"\bpat[A-Za-z0-9]{14}\.[0-9a-f]{64}\b",
    # round 14: a Discord bot token, its user id in base64, a time stamp and an HMAC
    r"\b[MNO][A-Za-z0-9_\-]{23,27}\.[A-Za-z0-9_\-]{6}\.[A-Za-z0-9_\-]{27,40}",
]
# The characters the shapes start with, as a look-ahead: most positions of a text fail
# at once instead of after a try of each of the 35 shapes there (twice as fast, the same
# matches; tests/redaction/test_rules_shortcuts.py derives the shapes' first characters
# and checks this class holds them all).
_KNOWN_FIRST = r"[\-\dALMNOPSadefghklnprswxy]"
_KNOWN_SECRETS = re.compile(f"(?={_KNOWN_FIRST})(?:{'|'.join(_KNOWN_SECRET_SHAPES)})")
# --- secrets in configuration syntax ----------------------------------------------------
#
# "DB_PASSWORD=…", "secret_key: …", '"apiKey": "…"', "--token …", "Authorization: Bearer
# …": a name that says secret, a separator, a value. The name is checked on its own
# (below) so that "AWS_SECRET_ACCESS_KEY" and "dbPassword" are names of secrets while
# "secretary", "tokenizer" and "password_reset_url" are not.

# Words that make a name a secret's name, as a part of it ("DB_PASSWORD", "apiKey").
_SECRET_WORD = re.compile(
    r"(?i)(?:pass(?:word|wd|phrase|code|wort)?|pwd|pw|secret|token|credentials?|auth|"
    r"authorization|bearer|apikey|pin|salt|dsn|sas|mot_de_passe|contrase[nñ]a|kennwort|"
    # round 11: abbreviations ("pswd", "creds"), a pre-shared key, a one-time password seed
    r"pswd|creds?|psk|t?otp|hotp|"
    # round 12: a personal access token ("AIRTABLE_PAT", "gitea_pat")
    r"pat)s?"
)
# A bare "key" is a secret's name only with something before it ("STRIPE_KEY", "apiKey").
_KEY_WORD = re.compile(r"(?i)keys?")
# Name parts that make it a name *about* a secret, whose value is not one.
_NOT_SECRET_PART = re.compile(
    r"(?i)^(?:count|len|length|size|limit|ttl|expiry|expires?|expiration|timeout|type|url|"
    r"uri|endpoint|file|path|dir|enabled|disabled|required|policy|rotation|reset|hint|label|"
    r"field|env|var|header|name|format|algorithm|algo|prompt|min|max|age|changed|updated|"
    r"created|set|id|ids|hash|strength|mode|method|provider|store|manager|validity|scope|"
    # round 10: where or for whom a secret is used ("authDomain", "auth_user")
    r"domain|host|hostname|server|realm|issuer|audience|tenant|user|username|email|"
    r"scopes|usage|endpoint|location|ref|source|version|length|regex|pattern|placeholder|"
    # round 11: a counter's name ("auth.tokens.issued=1532", "password.resets=3")
    r"issued|revoked|resets|failures|failed|attempts|errors|total|requests|refreshed|"
    r"rotated|granted|denied|expired|used|hits|misses|rate|seconds|ms|days|hours|minutes|"
    r"interval|period|reads|writes|lookups|calls|latency|"
    # round 11: what serves or checks a secret ("auth_backend ldap-2")
    r"backend|plugin|driver|mechanism|scheme|module|handler|strategy)$"
)
# "max_tokens", "num_keys": numbers of something.
_COUNT_PART = re.compile(r"(?i)^(?:max|min|num|n|total|count|no)$")
_NAME_PARTS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


_GLUED_KEY = re.compile(r"(?:api|access|secret|priv(?:ate)?|signing|encryption|master|account)key")
# Round 11: the word for a password glued after whose it is ("dbpass", "rootpw",
# "requirepass", "masterauth" of Redis, "bindpw" of LDAP).
_GLUED_PASSWORD = re.compile(
    r"(?:db|root|admin|user|master|bind|require|sql|ftp|smtp|mail|redis|ldap|vnc|wifi|wlan|"
    r"app|svc|service|sys|super|rpc|api)(?:pass|pw|pwd|pswd|auth)$"
)


def secret_name(name: str) -> bool:
    """Whether a configuration key names a secret: one of its parts (split at ``_``,
    ``-``, ``.`` and camelCase) is a secret word, and it does not end in a part that
    makes it a setting about a secret (``password_reset_url``, ``token_ttl``)."""
    parts = _NAME_PARTS.findall(name)
    if not parts or _NOT_SECRET_PART.match(parts[-1]) or _COUNT_PART.match(parts[0]):
        return False
    if any(_SECRET_WORD.fullmatch(p) for p in parts):
        return True
    # "apikey", "accesskey", "secretkey" written as one word.
    joined = "".join(parts).lower()
    if _GLUED_KEY.search(joined) or _GLUED_PASSWORD.search(joined):
        return True
    # "PGPASSWORD", "MYSQL_PWD", "storepass", "keypass": a client's own variable or flag
    # that writes the secret word glued to another.
    if re.search(r"(?:password|passwd|passphrase|secret|(?:store|key|src|dest|ssh)pass)$", joined):
        return True
    # A session cookie ("sessionid", "PHPSESSID", "JSESSIONID") lets one act as its user.
    if re.search(r"sess(?:ion)?(?:id|key|token)$", joined):
        return True
    return len(parts) > 1 and _KEY_WORD.fullmatch(parts[-1]) is not None


# name, optional closing quote, separator, value (quoted, or unquoted to the line's end
# when the name starts the line, else one token).
_ASSIGNMENT = re.compile(
    # Round 12: up to 24 blanks either side of the separator, for columns aligned by hand
    # or by a formatter (terraform fmt: 'db_root_password    = "…"')
    r"""(?P<name>(?<![\w.\-])[A-Za-z_][\w.\-]{0,80})(?:["']\]?|\])?[ \t]{0,24}"""
    r"""(?P<sep>:=|=>|=|:|[ \t](?:is|was|are|lautet|est|es)[ \t]|[ \t](?=["'`]))[ \t]{0,24}"""
    r"""(?:(?P<q>["'`])(?P<quoted>[^"'`\n]{1,400}?)(?P=q)"""
    r"""|(?P<scheme>(?i:bearer|basic|token|digest|negotiate|apikey|sso-key)[ \t]+)?"""
    r"""(?P<bare>[^\s"'`][^\s"'`,;<>)\]}]{0,400}))"""
)
_CLI_FLAG = re.compile(
    r"""(?<!\S)--?(?P<name>[A-Za-z][\w\-]{1,40})(?:=|[ \t]+)"""
    # A bare value never starts with "-": that is the next flag, read in its own turn.
    r"""(?:(?P<q>["'])(?P<quoted>[^"'\n]{1,400}?)(?P=q)|(?P<bare>[^\s"'\-][^\s"']{0,399}))"""
)
# "-p secret" and "-psecret" of clients whose -p is a password (not ssh's or docker's port).
_SHORT_PASSWORD_FLAG = re.compile(
    r"""(?i)\b(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump|sshpass|docker\s+login|"""
    r"""podman\s+login|helm\s+registry\s+login|redis-cli|mongo|mongosh|mongodump)\b"""
    r"""[^\n|;&]{0,200}?(?<!\S)-(?:p|a|P)(?:[ \t]+|(?=[^\s-]))"""
    r"""(?:(?P<q>["'])(?P<quoted>[^"'\n]{1,200}?)(?P=q)|(?P<bare>[^\s"']{1,200}))"""
)
# user:password@ in a URL or connection string, and curl's -u user:password.
_USERINFO = re.compile(
    r"(?i)\b[a-z][a-z0-9+.\-]{1,20}://[^\s:/@\"'<>]{0,64}:([^\s@/\"'<>]{1,128})@"
)
_CURL_USER = re.compile(
    r"""(?<!\S)(?:-u|--user)[ \t]+(?:["'][^\s:"']{1,64}:([^"'\n]{1,128})["']"""
    # round 11: a quoted password may hold blanks ("deploy:d3pl0y pass phrase")
    r"""|[^\s:"']{1,64}:([^\s"']{1,128}))"""
)
# Round 11: an FTP script's "user NAME PASSWORD" command, lftp's "-u user,password".
_FTP_USER = re.compile(
    r"(?im)^[ \t]*(?:quote[ \t]+)?user[ \t]+\S{1,64}[ \t]+(?P<secret>\S{1,200})[ \t]*$"
)
_LFTP_USER = re.compile(r"""(?<!\S)-u[ \t]+["']?[^\s,"']{1,64},(?P<secret>[^\s"']{1,200})""")
# Round 11: a list of one-time codes under their heading ("Recovery codes:" and one code
# a line, or several on the heading's line): each a secret.
_CODES_HEADING = re.compile(
    r"(?i)(?<![\w\-])(?:recovery|backup|scratch|emergency|one[ \-]time|2fa|mfa|otp|"
    r"rescue|wiederherstellungs|sicherungs)[ \-]?(?:codes|keys|passwords)\b(?P<tail>[^\n:]{0,30}:?)"
)
# round 16: codes listed in a sentence ("… the backup codes are 4471 9823, 6630 1157 and …")
_CODES_VERB = re.compile(r"[ \t]+(?:are|were|is|sind|lauten|sont|son|são)\b")
_CODE_ITEM = re.compile(
    r"[ \t,;]*(?:(?:or|and|und|oder|et|ou|y|o|e)[ \t]+)?(?:[-*\u2022][ \t]+|\d{1,2}[.)][ \t]+)?"
    r"(?P<code>[A-Za-z0-9]{3,12}"
    r"(?:(?:-| (?!(?:or|and|und|oder|et|ou)\b))[A-Za-z0-9]{3,12}){0,3})[ \t]*"
)
# A .netrc line (or lines): "machine host login alice password s3cret".
_NETRC = re.compile(r"(?im)(?:^|\s)(?:login\s+\S+\s+)?password\s+(\S+)(?=\s|$)")
# SQL: "IDENTIFIED BY 'x'" (MySQL, Oracle), with or without "WITH plugin" before it.
_SQL_IDENTIFIED = re.compile(
    r"""(?i)\bidentified[ \t]+(?:with[ \t]+\w+[ \t]+)?by[ \t]+(?:password[ \t]+)?"""
    r"""(?P<q>['"])(?P<secret>[^'"\n]{1,200})(?P=q)"""
)
# A .pgpass line: host:port:database:user:password (port a number or "*").
# The host has a letter, a dot or is "*", so "00:11:22:33:44:55" is no .pgpass line.
_PGPASS = re.compile(
    r"(?m)^[ \t]*(?:\*|[^\s:#]*[A-Za-z.][^\s:#]*):(?:\d{1,5}|\*):[^\s:]+:[^\s:]+:"
    r"(?P<secret>\S+)[ \t]*$"
)
_NETRC_FILE = re.compile(r"(?im)^\s*(?:machine\s+\S+|default)\b")
# Other clients whose short flag takes a password: (the client, its flag letters).
_TOOL_PASSWORD_FLAGS = (
    (r"sqlcmd|bcp|osql", "P"),  # SQL Server tools: -U user -P password
    (r"ssh-keygen", "NP"),  # new and old passphrase
    (r"openssl", "k"),
    (r"ldap(?:search|add|modify|delete|whoami|passwd|compare|modrdn)", "w"),
    (r"zip|unzip", "P"),
    (r"7z|7za|rar|unrar", "p"),
    (r"az[ \t]+login|rdesktop", "p"),
)
# Only these write the password glued to the flag ("7z a -pS3cret"); openssl's "-kfile"
# is another option.
_GLUED_FLAG_TOOLS = re.compile(r"7za?|u?n?rar")
_TOOL = re.compile(
    r"(?<![\w\-./])(?:" + "|".join(tool for tool, _ in _TOOL_PASSWORD_FLAGS) + r")(?![\w\-])"
)
_SHORT_FLAG = re.compile(
    r"""(?<!\S)-(?P<flag>[A-Za-z])(?:[ \t]+|(?P<glued>(?=[^\s-])))"""
    r"""(?:(?P<q>["'])(?P<quoted>[^"'\n]{1,200}?)(?P=q)|(?P<bare>[^\s"'\-][^\s"']{0,199}))"""
)
# "htpasswd -b file user password" (the password is the third operand) and smbclient's
# "-U user%password".
_HTPASSWD = re.compile(
    r"\bhtpasswd(?:[ \t]+-\w+)*?[ \t]+-\w*b\w*(?:[ \t]+-\w+)*(?:[ \t]+[^\s-]\S*){2}"
    r"[ \t]+(?P<secret>[^\s-]\S{0,200})"
)
_SMB_USER = re.compile(
    r"""(?<!\S)(?:-U|--user(?:=|[ \t]+))[ \t]*["']?[^\s%"']{1,64}%(?P<secret>[^\s"']{1,200})"""
)
# PHP's define('DB_PASSWORD', '…'), a Terraform variable's default, an XML element with
# key="…Password" value="…" (.NET appSettings, Ant and Spring properties), and a
# secret's name in a URL's query (JDBC URLs, "?password=…", "&api_key=…").
_PHP_DEFINE = re.compile(
    r"""(?i)\bdefine\(\s*(["'])(?P<name>[\w.\-]{1,80})\1\s*,\s*"""
    r"""(?P<q>["'])(?P<secret>[^"'\n]{1,400})(?P=q)"""
)
_HCL_VARIABLE = re.compile(
    r"""\bvariable\s+"(?P<name>[\w\-]{1,80})"\s*\{[^{}]{0,400}?\bdefault\s*=\s*"""
    r'"(?P<secret>[^"\n]{1,400})"'
)
_XML_KEY_VALUE = re.compile(
    r"""<[\w:.\-]+[^<>]{0,200}?\b(?:key|name)\s*=\s*(["'])(?P<name>[^"'<>\s]{1,80})\1"""
    r"""[^<>]{0,200}?\bvalue\s*=\s*(["'])(?P<secret>[^"'<>\n]{1,400})\3"""
)
_QUERY_PARAM = re.compile(
    r"""[?&;](?P<name>[A-Za-z_][\w.\-]{0,60})=(?P<secret>[^&\s#;"'<>]{1,400})"""
)
# A Java .properties line whose key and value are parted by white space alone
# ("db.password s3cret"): a dotted key at the line's start, one token to the line's end.
_PROPERTIES_SPACE = re.compile(
    r"(?m)^[ \t]*(?P<name>[A-Za-z_][\w\-]*(?:\.[\w\-]+)+)[ \t]+"
    r"(?P<secret>[^\s=:#!][^\s]{0,400})[ \t]*$"
)
# Round 11: a setting whose name and value are parted by blanks alone, the value ending
# the line: Dockerfile's "ENV DB_PASSWORD s3cret", Windows' "setx API_KEY s3cret", a
# daemon's directive ("requirepass s3cret"); up to three words before the name.
_SPACED_SETTING = re.compile(
    r"""(?m)^[ \t]*(?:[A-Za-z][\w\-]{0,20}[ \t]+){0,3}?(?P<name>[A-Za-z_][\w.\-]{1,80})[ \t]+"""
    r"""(?P<q>["']?)(?P<secret>[^\s"'=:#!][^\s"']{0,400})(?P=q)[ \t]*;?[ \t]*$"""
)
# Windows' "net use … /user:NAME PASSWORD" and "runas"-like "/user:NAME /pass:PASSWORD".
_NET_USE = re.compile(
    r"""(?i)\bnet[ \t]+use\b[^\n]{0,200}?/u(?:ser)?:[^\s]{1,64}[ \t]+"""
    r"""(?P<q>["']?)(?P<secret>[^\s/"'*][^\s"']{0,200})(?P=q)"""
)
# Oracle's "user/password@host" (sqlplus, JDBC thin, an easy-connect string).
_ORACLE_LOGIN = re.compile(
    r"""(?i)(?:\b(?:sqlplus|sqlldr|expdp|impdp|rman|exp|imp)(?:[ \t]+-\w+)*[ \t]+|"""
    r"""jdbc:oracle:(?:thin|oci):)["']?[\w$#]{1,30}/(?P<secret>[^\s@/"']{1,128})@"""
)
# SQL's "PASSWORD('…')" function (MySQL before 5.7) and "PASSWORD '…'" (PostgreSQL).
_SQL_PASSWORD = re.compile(
    r"""(?i)(?<![\w"'])password(?:[ \t]+|[ \t]*\([ \t]*)"""
    r"""(?P<q>['"])(?P<secret>[^'"\n]{1,200})(?P=q)"""
)
# Round 12: MySQL's "SET PASSWORD [FOR 'u'@'h'] = 'x'" (also "= PASSWORD('x')").
_SET_PASSWORD = re.compile(
    r"""(?i)\bset[ \t]+password\b(?:[ \t]+for[ \t]+[^=\n;]{1,120}?)?[ \t]*=[ \t]*"""
    r"""(?:password[ \t]*\([ \t]*)?(?P<q>['"])(?P<secret>[^'"\n]{1,200})(?P=q)"""
)
# Round 12: an ODBC connection string's braced value, which may hold ";" ("PWD={a;b}",
# a "}" inside written twice).
_ODBC_BRACED = re.compile(
    r"(?i)(?:^|[;\s\"'])(?:pwd|password)[ \t]*=[ \t]*\{(?P<secret>(?:[^}\n]|\}\}){1,200})\}"
)
# Round 12: commands whose operands are a user and then the password: RabbitMQ's
# "rabbitmqctl add_user NAME PASS" and "change_password", Mosquitto's
# "mosquitto_passwd -b FILE NAME PASS", Windows' "net user NAME PASS", IPMI's
# "ipmitool … user set password ID PASS".
_POSITIONAL_LOGIN = re.compile(
    r"""(?i)(?:\brabbitmqctl(?:[ \t]+-\S+)*[ \t]+(?:add_user|change_password)|"""
    r"""\bmosquitto_passwd(?:[ \t]+-\w+)*[ \t]+-b(?:[ \t]+-\w+)*[ \t]+\S+|"""
    r"""\bnet[ \t]+user|\bipmitool\b[^\n]{0,120}?\buser[ \t]+set[ \t]+password)"""
    r"""[ \t]+["']?[^\s"'/-][^\s"']{0,63}["']?[ \t]+"""
    r"""(?P<q>["']?)(?P<secret>[^\s"'/*\-][^\s"']{0,200})(?P=q)"""
)
# Round 12: files that hold a login and nothing else. OpenVPN's "auth-user-pass" file
# (the user on one line, the password on the next) named by its path or its directive,
# and PgBouncer's userlist ('"user" "password"' a line).
_AUTH_FILE = re.compile(
    r"(?im)(?:auth-user-pass|[\w\-/.]*/(?:auth|login|credentials?|creds|pass(?:words?)?)"
    r"(?:\.txt|\.conf)?)[ \t]*\n[ \t]*[^\s#]{1,64}[ \t]*\n[ \t]*(?P<secret>[^\s#]{3,200})[ \t]*$"
)
_USERLIST_LINE = re.compile(r'(?m)^[ \t]*"[^"\n]{1,64}"[ \t]+"(?P<secret>[^"\n]{1,200})"[ \t]*$')
# "Bearer …" anywhere, and XML elements named like a secret.
_BEARER = re.compile(r"(?i)\bbearer[ \t]+([A-Za-z0-9._~+/\-]{8,2000}=*)")
# Round 13: a KeePass XML export's (or a plist's) pair of a key and its value:
# "<Key>Password</Key><Value ProtectMemory="True">…</Value>".
_XML_KEY_THEN_VALUE = re.compile(
    r"<(?P<k>[Kk]ey)>(?P<name>[A-Za-z_][\w.\-]{0,60})</(?P=k)>\s*"
    r"<(?P<v>[Vv]alue|string)(?:\s[^>]*)?>(?P<secret>[^<\n]{1,400})</(?P=v)>"
)
_XML_SECRET = re.compile(r"<([A-Za-z_][\w.\-]{0,60})>([^<\n]{1,400})</\1>")
# Values that refer to a secret kept elsewhere, or say there is none: not secrets.
_REFERENCE = re.compile(
    r"""(?i)^(?:\$\{\{.*\}\}|\$\{[^}]*\}|\$\(.*\)|\$[A-Za-z_]\w*|"""
    # round 11: Windows' "%NAME%" and PowerShell's "$env:NAME"
    r"""%[A-Za-z_]\w*%|\$(?:env|script|global|using):[A-Za-z_]\w*|%\([^)]*\)s?|\{\{.*\}\}|\{%.*%\}|<[^<>]*>|"""
    r"""!(?:vault|secret|ref|sub|env|env_var|getatt|importvalue|join|include)\b.*|"""
    r"""\*[A-Za-z_][\w\-]*|\{.*\}|\[.*\]|[\[{]|(?:/|\./|~/)[\w./\-]*|"""
    r"""(?:os\.|process\.env|env\(|getenv|secrets?\.|vault:|ref\+|arn:|file:).*|"""
    r"""null|none|nil|true|false|yes|no|on|off|undefined|required|optional|redacted|"""
    r"""hidden|masked|empty|unset|not\s+set|n/?a|tbd|todo|str|string|int|bool|bytes|"""
    r"""secretstr|any|text|varchar|char|password|secret|token|string\?|optional\[.*|"""
    r"""not|see|ask|same|blank|disabled|enabled|none\.?|unknown|pending|"""
    # round 10: a PowerShell command's result ("ConvertTo-SecureString …", "Read-Host")
    r"""(?:convertto|convertfrom|get|read|new|import|invoke|unprotect)-[a-z]+|"""
    # round 10: a template's placeholder ("your-api-key-here", "YOUR_TOKEN", "key_here")
    r"""your[\-_][\w\-.]{1,40}|[\w\-.]{1,40}[\-_]here)$"""
)
_ATTRIBUTE_CHAIN = re.compile(r"^[A-Za-z_][\w.]*\(.*\)$|^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")
_DIGIT_INSIDE_WORD = re.compile(r"[A-Za-z]\d+[A-Za-z]")


def _call_or_attribute(value: str) -> bool:
    """A value that is a call or an attribute chain of a program, not a literal.
    Round 12: a chain in mixed case with a digit between two letters ("Ld4p.B1nd.Secret")
    is the writing of a password, not of a program's names ("settings.db_password")."""
    if _ATTRIBUTE_CHAIN.match(value) is None:
        return False
    leet = _DIGIT_INSIDE_WORD.search(value) is not None
    mixed = any(c.isupper() for c in value) and any(c.islower() for c in value)
    return "(" in value or not (leet and mixed)


_ONLY_MASK = re.compile(r"^[*x•.#\-_]{1,}$", re.IGNORECASE)


# A secret said in prose: "the passphrase is "…"", "new pw for the mailbox: …", "code
# word '…'". The noun, a few words without a sentence end, then ":"/"is" and the value,
# or a quoted value right after the noun.
# Round 13: the codes people hand over to open a door, a gate, a key box, or to sign in
# once ("verification code", "Bestätigungscode", "digicode", "código del portal", "PIN",
# "код подтверждения"); their value is keyed digits (see ``_KEYED``). Not "access code"
# (a meeting's), "area code", "postcode", "error code", "promo code".
_CODE_NOUN_TEXT = (
    r"(?i:(?:verification|confirmation|security|activation|login|log-in|sign-in|"
    r"authentication|auth|pickup|collection|one-time|sms|bike[ \-]lock|lock|parking|"
    r"barrier|building|door|intercom|buzzer|voicemail|sim)[ \-](?:code|pin|passcode)|"
    r"passcode|pin(?:[ \-]?(?:code|kod(?:en)?|nummer|number))?|puk|digicode|"
    r"(?:best[äa]tigungs|sicherheits|verifizierungs|zugangs|t[üu]r|tor|alarm|tresor|"
    r"verificatie|beveiligings|toegangs|deur|poort|verifierings|bekr[æa]ftelses|"
    r"engangs|sms-?)code|"
    r"code[ \t](?:de[ \t](?:v[ée]rification|confirmation|s[ée]curit[ée]|la[ \t]porte|"
    r"l'immeuble|l\u2019immeuble|portail)|d'acc[eè]s|pin|sms)|"
    r"c[óo]digo[ \t](?:de[ \t](?:verificaci[óo]n|verifica[çc][ãa]o|seguran[çc]a|seguridad|"
    r"acesso|acceso|confirmaci[óo]n|confirma[çc][ãa]o)|d[oae]l?[ \t](?:portal|porta|port[ãa]o|"
    r"puerta|alarma|alarme|garaje|cofre)|pin)|"
    r"codice[ \t](?:di[ \t](?:accesso|verifica|sicurezza|conferma)|del[ \t](?:cancello|"
    r"portone|citofono|allarme)|pin)|"
    r"kod(?:em)?[ \t](?:weryfikacyjny|potwierdzaj[ąa]cy|dost[ęe]pu|do[ \t](?:drzwi|domofonu|"
    r"bramy|alarmu|sejfu))|kod(?:u)?[ \t]pin|"
    r"koden|nyckelbox(?:en)?|"
    r"код(?:[ \t](?:подтверждения|доступа|від[ \t]домофону|домофона|двери))?|"
    r"doğrulama[ \t]kodu(?:nuz|n)?|onay[ \t]kodu(?:nuz|n)?|"
    r"验证码|驗證碼|認証コード|確認コード|暗証番号|인증번호|"
    r"key[ \-]?safe|lock[ \-]?box|"
    # a safe's or a lock's combination, said alone ("the safe, combination 22-48-06")
    r"combination|kombination|combinaison|combinaci[óo]n|combinazione|combina[çc][ãa]o)"
)
_PROSE_NOUN = (
    r"(?i:pass(?:word|phrase|code|wort)?|pw|pwd|code[ \-]?word|pin|kennwort|"
    r"(?:api|access|secret|private|license|licence|signing)[ \-]key|access[ \-]token|"
    # round 8: one-time codes, and the word in other languages
    r"(?:one[ \-]time|verification|security|door|otp|2fa|mfa)[ \-](?:code|pin)|otp|"
    # round 11: a wallet's or an account's words ("seed phrase: ripple lantern …")
    r"(?:(?:secret[ \-])?(?:seed|recovery|mnemonic|backup)[ \-](?:phrase|words)|mnemonic)|"
    r"mot[ \t]de[ \t]passe|contrase[ñn]a|senha|wachtwoord|has[łl]o|l[öo]senord|salasana|"
    r"[şs]ifre|parola|heslo|jelsz[óo]|пароль|κωδικός|"
    # round 12: the nouns' inflected forms ("Lösenordet", "şifresi", "hesla", "passordet",
    # "salasanan") and the Nordic words; the codes that open a door, a gate, an alarm, a
    # key box or a safe ("Alarm code for the back door: …", "gate code", "safe combination")
    r"l[öo]senordet|[şs]ifre(?:si|niz|m)|hesla|passord(?:et)?|adgangskode(?:n)?|"
    r"kodeord(?:et)?|salasanan|wachtwoorden?|пароля|"
    # (not "access code", a meeting's; not "building code", a rule book's)
    r"(?:alarm|gate|entry|entrance|keypad|lock[ \-]?box|key[ \-]?box|key[ \-]?safe|"
    r"garage|front[ \-]door|back[ \-]door|safe|locker|unlock|disarm|porch)[ \-](?:code|pin)|"
    r"(?:safe|lock|padlock|locker)[ \-]combination|"
    # round 13: a password in a German compound ("Startkennwort", "WLAN-Passwort"), the
    # key of a Wi-Fi network, the Spanish and Portuguese words
    r"(?:[^\W\d_]{2,20}-?)?(?:passwort|kennwort)|"
    r"(?:wi-?fi|wlan|wpa2?|wireless|network)[ \-](?:key|password|passwort|schl[üu]ssel)|"
    r"clave|palavra-passe|" + _CODE_NOUN_TEXT + r")"
)
# The code of a door or an alarm is keyed in: digits (and "#", "*"), else it is a fault's
# or a product's code ("Alarm code: E42").
_ACCESS_NOUN = re.compile(
    r"(?i)(?:alarm|gate|entry|entrance|keypad|lock[ \-]?box|key[ \-]?box|key[ \-]?safe|"
    r"garage|front[ \-]door|back[ \-]door|safe|locker|unlock|disarm|porch)[ \-](?:code|pin)|"
    r"(?:safe|lock|padlock|locker)[ \-]combination|" + _CODE_NOUN_TEXT
)
# Round 13: up to eight groups, for a code read out digit by digit ("7 1 2 8 8 3").
_KEYED = re.compile(r"(?=(?:[^\d\n]{0,3}\d){3})[\d#*]+(?:[ \-][\d#*]+){0,7}")
# Round 13: a one-time, verification or security code may have letters too
# ("K7QM-2XLP"): upper-case groups with a digit among them.
# ("K7QM-2XLP"): upper-case groups, five characters and two digits at least (not a
# fault's code, "E42").
_CODE_VALUE = re.compile(
    r"(?=(?:[A-Z\-]*\d){2})(?=(?:-?[A-Z\d]){5})[A-Z\d]{1,10}(?:-[A-Z\d]{2,10}){0,3}(?![\w\-])"
)
# Round 13: a word of a script without spaces may stand right before the noun ("您的验证码").
_NOUN_START = r"(?<![^\W\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af])(?<!-)"
_PROSE_NOUN_ONLY = re.compile(rf"{_NOUN_START}{_PROSE_NOUN}(?![\w\-])")
_PROSE_SECRET = re.compile(
    rf"""{_NOUN_START}{_PROSE_NOUN}(?![\w\-])"""
    r"""(?:[^\n:=.!?"'`\u201c\u2018\uff1a]{0,40}?"""
    r"""(?:[ \t]*[:=\uff1a]|[ \t](?i:"""
    # round 13: "was given as …", "is set to …"
    r"""(?:is|was|has[ \t]been)[ \t]+(?:given|set|changed|reset|read[ \t]out)[ \t]+(?:as|to)|"""
    r"""is|was|are|lautet|est|es|ist|é|"""
    # round 13: "the password, it's …"
    r"""it['\u2019]s|"""
    # round 12: the verb in Swedish, Danish and Norwegian, Czech and Slovak, Polish,
    # Italian, Romanian, Greek
    r"""är|er|je|jest|è|este|είναι|"""
    # round 13: "new Wi-Fi key set to …", "PIN changed to …"
    r"""(?:re)?set[ \t]+to|changed[ \t]+to))"""
    # the value may stand on the next line (round 8)
    r"""(?:[ \t]+|[ \t]*\n[ \t]*|(?<=\uff1a))|"""
    # "Password - x", "new password → x" (round 8)
    r"""[ \t]+(?:-|\u2013|\u2014|\u2192|->|=>)[ \t]+|"""
    # round 13: "PIN reset to 802614", "passcode given as 835 216", "PIN 6604", "验证码 573920"
    r"""[ \t](?i:to|as|with)[ \t]+(?=[#*]?\d|["\u201c])|"""
    r"""[ \t]*(?<=[^\x00-\u024f])(?=[ \t]*\d)[ \t]*|"""
    # a code right after its noun: digits, or an upper-case code ("security code K7QM-2XLP")
    r"""[ \t]+(?=[#*]?\d|[A-Z][A-Z\d\-]{0,10}\d)|"""
    r"""[ \t]+(?=["'`\u201c\u2018]))"""
    r"""(?:["'`\u201c\u2018](?P<quoted>[^"'`\u201d\u2019\n]{1,120}?)["'`\u201d\u2019]"""
    # round 13: one character at least, for a code read out in groups ("1 9 7 3")
    r"""|(?P<bare>[^\s"'`][^\s"'`]{0,200}))"""
)
# The word for a password in scripts without spaces between words (and Arabic, Hebrew,
# Korean), then a colon: the token after it.
_SCRIPT_PASSWORD = re.compile(
    r"(?:パスワード|暗証番号|密码|密碼|口令|비밀번호|암호|סיסמה|סיסמא|كلمة المرور|كلمة السر)"
    r"[ \t]*[:=\uff1a][ \t]*(?P<bare>[^\s\"'`]{3,200})"
)
# "pwd hunter2x": a token of letters and digits right after the word, no separator.
_PASSWORD_THEN_TOKEN = re.compile(
    r"(?i)(?<![\w\-])(?:password|passwort|passwd|pwd|pw|api[ \-]key|"
    # round 13: "pass Up!oad88x", "Startkennwort Wz7#qLp2Rv"
    r"pass|(?:[^\W\d_]{2,20}-?)?(?:passwort|kennwort))[ \t]+"
    r"(?P<bare>(?=[\w!@#$%^&*+\-.~]{8,80}(?![^\s.,;:!?)]))(?=[^\s]*\d)(?=[^\s]*[^\W\d_])"
    r"[\w!@#$%^&*+\-.~]{8,80})"
)
_SCRIPT_PASSWORD_HINTS = (
    "パスワード",
    "暗証番号",
    "密",
    "口令",
    "비밀번호",
    "암호",
    "סיסמ",
    "كلمة",
)
# The words of a passphrase said in prose, to the sentence's end: "the passphrase is
# correct horse battery staple."
# Round 11: up to 24 words (a wallet's seed phrase has 12 or 24).
_PASSPHRASE_WORDS = re.compile(r"(?:[ \t]+[\w\-']{1,30}){1,24}(?=[ \t]*(?:[.!?;,]|$))", re.M)
# Nouns whose value is words, not one token: a passphrase, a seed or recovery phrase.
_PHRASE_NOUN = re.compile(
    r"(?i)(?:pass[ \-]?phrase|(?:secret[ \-])?(?:seed|recovery|mnemonic|backup)[ \-]"
    r"(?:phrase|words)|mnemonic)"
)
# Words of a sentence about a passphrase ("is stored in the vault"), not of one.
_SENTENCE_WORD = re.compile(
    r"(?i)(?:the|a|an|in|on|at|to|of|for|with|by|from|not|be|been|being|stored|kept|saved|"
    r"set|changed|required|missing|wrong|invalid|expired|shared|rotated|managed)$"
)
# "login is admin / s3cret", "creds: alice:s3cret": the part after the user name.
_PROSE_LOGIN = re.compile(
    r"(?i)(?<![\w\-])(?:login|logon|credentials?|creds|user(?:name)?[ \t]*(?:/|and)[ \t]*"
    r"pass(?:word)?)(?![\w\-])[^\n:=.!?]{0,20}?(?:[ \t]*[:=]|[ \t](?:is|are))[ \t]+"
    r"[^\s/:]{1,64}[ \t]*[/:][ \t]*(?P<secret>[^\s\"'`]{3,128})"
    # "login bob / s3cret", "credentials bob:s3cret": the user right after the word
    r"|(?i:(?<![\w\-])(?:login|logon|credentials?|creds))[ \t]+[^\s/:]{1,64}[ \t]*[/:][ \t]*"
    r"(?P<next>[^\s\"'`:]{3,128})(?![^\s])"
    # "use admin/s3cret to log in"
    r"|(?i:\b(?:use|with|try))[ \t]+[^\s/:]{1,64}[ \t]*/[ \t]*(?P<then>[^\s\"'`/]{3,128})"
    r"[ \t]+(?i:to[ \t]+(?:log[ \t]?in|sign[ \t]?in|login|connect))"
)
_TRAILING_PUNCT = ".,;:)]}"


def _script_secrets(text: str) -> Iterator[Span]:
    """An FTP script's password and one-time codes under their heading (round 11)."""
    if "ftp" in text.lower():
        for pattern in (_FTP_USER, _LFTP_USER):
            for m in pattern.finditer(text):
                if not _not_a_value(m.group("secret")):
                    yield Span(SECRET, m.start("secret"), m.end("secret"))
    yield from _code_lists(text)


def _code_lists(text: str) -> Iterator[Span]:
    """The codes under a heading of one-time codes (see ``_CODES_HEADING``)."""
    for m in _hinted(_CODES_HEADING, text, ("code", "key", "passw", "Code"), text.lower()):
        at = m.end()
        if not m.group().endswith(":"):
            # no colon: the codes may stand in the sentence after the noun and its verb
            # ("the backup codes for the google account are X, Y and Z")
            at = m.start("tail")
            verb = _CODES_VERB.search(text, at, min(len(text), at + 40))
            at = verb.end() if verb and "\n" not in text[at : verb.start()] else at
        codes = list(_listed_codes(text, at))
        if not codes:
            # Round 16: one line of advice and blank lines between the heading and the
            # codes ("GitHub recovery codes⏎Keep them safe.⏎⏎7a2c1-9f3e4⏎…"): a list of
            # two codes at least there.
            later = _ADVICE_THEN_BLANK.match(text, m.end())
            if later is not None:
                codes = list(_listed_codes(text, later.end()))
                codes = codes if len(codes) >= 2 else []
        yield from codes


# the rest of a heading's line, one line of advice, and blank lines
_ADVICE_THEN_BLANK = re.compile(r"[^\n]{0,80}\n[^\n\d]{1,160}\n(?:[ \t]*\n){1,2}")


def _listed_codes(text: str, at: int) -> Iterator[Span]:
    for _ in range(32):
        if text.startswith("\n", at):
            at += 1
        item = _CODE_ITEM.match(text, at)
        if item is None or not _code_like(item.group("code")):
            break
        yield Span(SECRET, item.start("code"), item.end("code"))
        at = item.end()


def _code_like(value: str) -> bool:
    """A one-time code has digits (a word of a sentence after the heading has none)."""
    return any(c.isdigit() for c in value)


def _trim_sentence_end(text: str, start: int, end: int) -> int:
    """The end of a value said in prose, without the sentence's own punctuation."""
    while end > start and text[end - 1] in _TRAILING_PUNCT:
        end -= 1
    return end


# The value said before the noun (round 10): "use 'Tr1cky' as the password", ""Tr1cky" is
# the new password", "S3cret! was my PIN".
# round 15: up to two ("the new root password")
_QUALIFIER = r"(?:(?i:new|temporary|temp|initial|default|admin|root|wifi|wi-fi|guest)[ \t]+){0,2}"
_VALUE_THEN_NOUN = re.compile(
    r"(?i:\b(?:use|try|enter|type|set|choose|pick))[ \t]+"
    r"""(?:["'`\u2018\u201c](?P<quoted>[^"'`\u2019\u201d\n]{1,120}?)["'`\u2019\u201d]"""
    r"""|(?P<bare>[^\s"'`]{3,120}))[ \t]+(?i:as)[ \t]+(?:(?i:the|your|my|our|a|an)[ \t]+)?"""
    + _QUALIFIER
    + _PROSE_NOUN
    + r"(?![\w\-])"
    + r"""|(?:["'`\u2018\u201c](?P<quoted2>[^"'`\u2019\u201d\n]{1,120}?)["'`\u2019\u201d]"""
    r"""|(?<![^\s(])(?:[A-Z]{1,3}-)?(?P<bare2>[^\s"'`]{3,120}))[ \t]+"""
    # round 13: "739104 ist Ihr Bestätigungscode", "603118 is your login code for Example
    # Bank", "G-771920 is your Google verification code"
    r"(?i:is|was|ist|est|es|è|é|är|er|je|jest)[ \t]+"
    r"(?i:the|your|my|our|ihr|dein|votre|ton|tu|su|il[ \t]tuo|uw|din|ditt)[ \t]+"
    r"(?:[A-Z][\w\-]{1,20}[ \t]+){0,2}" + _QUALIFIER + _PROSE_NOUN + r"(?![\w\-])"
)


def _value_then_noun(text: str) -> Iterator[Span]:
    """A value before the word for it (see ``_VALUE_THEN_NOUN``)."""
    if _PROSE_NOUN_ONLY.search(text) is None:
        return
    for m in _VALUE_THEN_NOUN.finditer(text):
        group = next(g for g in ("quoted", "bare", "quoted2", "bare2") if m.group(g) is not None)
        start, end = m.start(group), m.end(group)
        value = text[start:end]
        noun = m.group()[m.end(group) - m.start() :]
        if _ACCESS_NOUN.search(noun) and not _SPOKEN_PIN.search(noun):
            if _keyed_value(text, start) != (start, end):
                continue  # "Room 4 is your door code"? a code is keyed digits
        elif group.startswith("bare") and not _secret_like(value):
            continue  # "use it as the password", "This is the PIN"
        if not _not_a_value(value.strip()):
            yield Span(SECRET, start, end)


def _bare_prose_secrets(text: str) -> Iterator[Span]:
    """A token right after a word for a password, with a colon in scripts without
    spaces ("パスワード" and a full-width colon) or with no separator at all ("pwd hunter2x")."""
    low = text.lower()
    for pattern, hints in (
        (_SCRIPT_PASSWORD, _SCRIPT_PASSWORD_HINTS),
        (_PASSWORD_THEN_TOKEN, ("pw", "pass", "api", "kennwort")),
    ):
        for m in _hinted(pattern, text, hints, low):
            end = _trim_sentence_end(text, m.start("bare"), m.end("bare"))
            if not _REFERENCE.match(text[m.start("bare") : end]):
                yield Span(SECRET, m.start("bare"), end)


# A PIN or a passcode may be a word too ("my passcode is hollyhock"); the other codes are
# keyed digits or an upper-case code.
_SPOKEN_PIN = re.compile(r"(?i)(?:pin|passcode)(?![\w\-])")


def _keyed_value(text: str, start: int) -> tuple[int, int] | None:
    """A code keyed in or read out at ``start`` ("4719", "1 9 7 3", "#6612", "K7QM-2XLP"),
    without a trailing "#"; None when none starts there or it runs on into a word."""
    m = _KEYED.match(text, start)
    if m is None or text[m.end() : m.end() + 1].isalpha():
        m = _CODE_VALUE.match(text, start)  # "8842A"; not "2nd", "10am": a count, a time
    if m is None:
        return None
    end = m.end()
    while end > start + 1 and text[end - 1] in "#* -":
        end -= 1
    return start, end


# A meeting's passcode or PIN is printed in every invitation: not a secret of anyone's.
_MEETING_BEFORE = re.compile(
    r"(?i)\b(?:meeting|webinar|zoom|teams|webex|conference|dial-in|join)\b[^\n]{0,60}$"
)


def _prose_value(text: str, m: re.Match[str]) -> tuple[int, int] | None:
    """Where the secret of a ``_PROSE_SECRET`` match is, or None when it names none."""
    if _SPOKEN_PIN.match(m.group()) and _MEETING_BEFORE.search(text, 0, m.start()):
        return None  # "Meeting ID: 797 1133 4891, passcode 275478"
    if m.group("quoted") is not None:
        start, end = m.start("quoted"), m.end("quoted")
    elif _ACCESS_NOUN.match(m.group()) and (keyed := _keyed_value(text, m.start("bare"))):
        start, end = keyed
    elif _ACCESS_NOUN.match(m.group()) and not _SPOKEN_PIN.match(m.group()):
        return None
    else:
        start, end = m.start("bare"), m.end("bare")
        if _REFERENCE.match(text[start:end]):
            return None  # "${DB_PASSWORD}" before its closing brace is trimmed
        if (
            _PHRASE_NOUN.match(m.group())
            and (words := _PASSPHRASE_WORDS.match(text, end))
            # a sentence about the passphrase starts like one ("is stored in …", "is
            # the one in the vault"); a passphrase's own words may be any (round 11:
            # "four green cups of tea")
            and not _SENTENCE_WORD.match(text[start:end])
        ):
            return start, words.end()
        untrimmed, end = text[start:end], _trim_sentence_end(text, start, end)
        if end - start < 3:
            return None
        if not _secret_like(text[start:end]) or _call_or_attribute(untrimmed):
            return None  # "the password is expired", "password = getpass.getpass()"
    value = text[start:end].strip()
    if value and not _ONLY_MASK.match(value) and not _REFERENCE.match(value):
        return start, end
    return None


# Round 13: "code" alone, when the sentence is about a key box, a door or a gate ("The
# key box is left of the blue door, code 4719", "la caja junto al buzón (código 1357)").
_BARE_CODE = re.compile(
    r"(?i)(?<![\w\-])(?:code|c[óo]digo|codice|kod|koden|koodi|kode|код)(?![\w\-])"
    r"[ \t]*(?:[:=\-]|is|es|est|ist|è|é|är|er|je|jest)?[ \t]*\n?[ \t]*(?=[#*]?\d)"
)
_DOOR_CONTEXT = re.compile(
    r"(?i)(?:\b(?:lock[ \-]?box|key[ \-]?box|key[ \-]?safe|keys?|door|gate|garage|alarm|"
    r"intercom|entrance|llaves?|puerta|buz[óo]n|portal|port[ãa]o|chaves?|porta|cl[ée]s?|"
    r"porte|bo[îi]te|schl[üu]ssel\w*|t[üu]r|sleutel\w*|deur|nyckel\w*|d[öo]rr\w*|klucz\w*|"
    r"drzwi|chiav[ei]|cancello|portone)\b)[^.!?]{0,80}$"
)


# What may stand right before such a "code": a clause's start, or a word that is no
# qualifier of it.
_BARE_CODE_LEAD = re.compile(
    r"(?i)(?:^|[,;:(\u2013\u2014]|\b(?:the|a|with|and|its|el|la|le|der|die|das|de|il|the[ \t]+"
    r"door|door|gate|box|safe|lockbox|keybox|mit|con|avec|com|met|med|z))[ \t]*$"
)


def _door_codes(text: str) -> Iterator[Span]:
    """A keyed code after "code" alone in a sentence about a door (see ``_BARE_CODE``)."""
    for m in _BARE_CODE.finditer(text):
        line_start = text.rfind("\n", 0, max(0, m.start() - 1)) + 1
        if not _BARE_CODE_LEAD.search(text, line_start, m.start()):
            continue  # "area code 0113", "order code 4471": a code of something else
        if not _DOOR_CONTEXT.search(text, line_start, m.start()):
            continue
        keyed = _keyed_value(text, m.end())
        if keyed is not None:
            yield Span(SECRET, *keyed)


def prose_secrets(text: str) -> Iterator[Span]:
    yield from _bare_prose_secrets(text)
    yield from _door_codes(text)
    yield from _value_then_noun(text)
    for m in _PROSE_SECRET.finditer(text):
        if _labels_other_thing(text, m):
            continue
        where = _prose_value(text, m)
        if where is not None:
            yield Span(SECRET, *where)
    for m in _PROSE_LOGIN.finditer(text):
        group = next(g for g in ("secret", "next", "then") if m.group(g) is not None)
        start, end = m.start(group), m.end(group)
        if _REFERENCE.match(text[start:end]):
            continue
        end = _trim_sentence_end(text, start, end)
        if end > start:
            yield Span(SECRET, start, end)
    yield from _cued_prose_secrets(text)
    yield from _answered_secrets(text)
    yield from _pointed_secrets(text)
    yield from _keyed_elements(text)
    yield from _unnamed_secrets(text)


# --- round 14: the value nearest its cue ---------------------------------------------------
# ``_PROSE_SECRET`` takes the first verb after a noun and gives up when the word after it
# is no value ("Bike lock code 3911, it's the blue one": "the"). Here each noun's
# separators are tried nearest first, and one that names no value does not hide the next.
# The nouns also come in the forms that pattern lacks: inflected or followed by an
# adjective (Polish, Finnish, Turkish, Hungarian, Czech, Russian), in Indonesian,
# Vietnamese and Arabic, a key or a token of a service, and a word for a password in a
# script without spaces, followed by its particle ("パスワードは", "密码是", "비밀번호는").
_MORE_NOUN = (
    r"(?i:has[łl](?:o|a|em|u)|salasana(?:si|nne|mme|n|a)?|[şs]ifre(?:n|niz|si|m|miz)?|"
    r"jelsz(?:ó|o|av)\w{0,4}|hesl(?:o|a|em)|парол(?:ь|я|ем|\u0456)|"
    r"kata[ \t](?:sandi|laluan)|m[ậa]t[ \t]kh[ẩa]u|lozink[aeu]|geslo|slapta[žz]od[iž]\w{0,3}|"
    r"parool|salas[õo]na|парол[аи]|nenosiri|pin-?koodi\w{0,3}|tunnusluku|"
    r"(?:2fa[ \-]|mfa[ \-])?(?:backup|recovery)[ \-]codes?|"
    r"(?:api[ \-]?)?(?:chiave|cl[ée]|schl[üu]ssel|nyckel(?:n)?|n[øo]gle(?:n)?|sleutel)"
    r"(?:[ \t](?:api|wpa2?|wi-?fi|wlan|wep))?|"
    r"(?:(?:api|auth|access|bearer|bot|deploy|personal[ \-]access|refresh|session)[ \-])?token|"
    r"memorable[ \t]word|keypad|"
    # round 15: a compound with a hyphen ("Wlan-salasana", "VPN-hasło"), Hebrew
    r"(?:wlan|wi-?fi|wpa2?|vpn|admin|root|router|e-?mail)-(?:salasana\w{0,3}|passord(?:et)?|"
    r"wachtwoord|l[öo]senord(?:et)?|hesl[oa]|has[łl]o|parola|contrase[ñn]a|senha|"
    r"[şs]ifre\w{0,3}|jelsz[óo]\w{0,3}|password|passcode|pin)|ה?סיסמ[הא]|"
    r"(?:alarm|gate|entry|door|bike[ \-]lock|lock(?:er)?|safe|keypad)[ \-]?code)"
)
_SCRIPT_NOUN = (
    r"(?:パスワード|暗証番号|密码|密碼|口令|비밀번호|비번|암호|كلمة[ \t](?:المرور|السر)|"
    r"رمز[ \t]عبور|پسورد|पासवर्ड|รหัสผ่าน)"
)
# Every noun starts with a letter or a digit: the look-ahead fails at once at blanks and
# punctuation, before the look-behind and the long alternation (half the pattern's cost).
_CUE_NOUN = re.compile(
    rf"(?=[^\W_]){_NOUN_START}(?:(?:{_PROSE_NOUN}|{_MORE_NOUN})(?![\w\-])|{_SCRIPT_NOUN})"
)
# What joins a noun to its value, tried from the nearest on: a colon, an arrow or a dash,
# a comma (before a keyed code only), a verb in one of many languages, a particle.
_JOIN = re.compile(
    # a colon with a blank after it (not one inside "2a04:ccf9::17e6" or "host:5432"); an
    # equals sign is configuration syntax, read by the patterns of that section
    r"[ \t]*(?:\uff1a|:(?=[ \t\n]))[ \t]*(?:\n[ \t]*)?|"
    r"[ \t]+(?:-|\u2013|\u2014|\u2192|->|=>)[ \t]+|"
    r"[ \t]*,[ \t]*(?=[#*]?\d)|"
    r"(?:[ \t]+|[ \t]*\n[ \t]*)(?i:(?:is|was|has[ \t]been)(?:[ \t]+now)?|are|est|es|ist|"
    r"lautet|é|è|är|er|je|jest|to|on|van|είναι|là|adalah|ialah|هي|هو|היא|הוא|"
    r"it['\u2019]s|it[ \t]is|ficou|olarak|है|است|"
    r"(?:given|set|changed|reset|updated)[ \t]+(?:as|to)|"
    r"(?:chang[ée]e?|modifi[ée]e?)[ \t]+en|ist[ \t]+jetzt|est[ \t]+maintenant|es[ \t]+ahora)"
    # round 15: an adverb between the verb and the value ("ist jetzt", "is nu", "är nu")
    r"(?:[ \t]+(?i:now|jetzt|nun|nu|n[åa]|maintenant|d[ée]sormais|ahora|agora|ora|adesso|"
    r"te[ďd]|teraz|nyt|[şs]imdi|sekarang|just|simply|still))?"
    # the value may stand after a blank line ("The new password is⏎⏎X")
    r"(?:[ \t]+|[ \t]*(?:\n[ \t]*){1,2})|"
    r"[ \t]*(?:は|是|为|為|는|은|が|가|이|คือ)[ \t]*"
)
# A value said in prose: a run of Latin-script characters without blanks or quotes (a
# script without spaces goes on right after it: "Kyoto#88zxです" is not one word).
_CUE_VALUE = re.compile(r"[!#-&(-:<-~\u00a1-\u024f]{1,200}")
_QUOTED_VALUE = re.compile(
    r"""["'`\u201c\u2018\u00ab](?P<v>[^"'`\u201d\u2019\u00bb\n]{1,120}?)["'`\u201d\u2019\u00bb]"""
)
# A noun's label of something else before its colon: "wifi password (network: Casa)".
_OTHER_LABEL = re.compile(
    r"(?i)(?:ssid|network|netzwerk|r[ée]seau|red|rete|user(?:[ \t]?name)?|login|benutzer|host|"
    r"server|e-?mail|account|konto|name|url|port|id|hint|policy)[ \t]*$"
)
# What a noun's words may name instead of its value: "the PIN mailer reference is 44120",
# "the password length is …", "the wifi password hint is …".
_OTHER_NOUN_LAST = re.compile(
    r"(?i)\b(?:reference|ref|number|length|expiry|date|count|size|format|policy|hint|"
    r"name|id|ssid|field|prompt|rules?|requirements?)[ \t]*$"
)
# A number, a date, a time or a version: no password (a PIN is keyed digits, see below).
_NUMBERISH = re.compile(r"v?\d+(?:[.:/,\-]\d+)*[a-z]?")
_PHRASE_END = r"(?=[ \t]*(?:[.!?;,(]|[\u2013\u2014]|[ \t]-[ \t]|$))"
_PHRASE = re.compile(r"[\w\-']{1,30}(?:[ \t]+[\w\-']{1,30}){1,11}" + _PHRASE_END, re.M)
# Nouns whose value is a token only when it looks generated (a key, a token alone).
_WEAK_NOUN = re.compile(
    r"(?i)(?:(?:\w+[ \-])?token|chiave|cl[ée]|schl[üu]ssel|nyckel(?:n)?|n[øo]gle(?:n)?|sleutel)$"
)


def _strong_value(value: str, *, weak: bool) -> bool:
    """A token that is no word, number, date, version, path or address."""
    if len(value) < (10 if weak else 6) or _not_a_value(value) or _call_or_attribute(value):
        return False
    if _NUMBERISH.fullmatch(value) or "://" in value or _EMAIL.fullmatch(value):
        return False
    letters = any(c.isalpha() for c in value)
    digits = any(c.isdigit() for c in value)
    if weak:
        return letters and digits
    return letters and (digits or _secret_like(value))


def _quoted_cue_value(text: str, start: int) -> tuple[int, int] | None:
    quoted = _QUOTED_VALUE.match(text, start)
    if quoted is None:
        return None
    value = quoted.group("v").strip()
    if len(value) >= 3 and not _not_a_value(value) and not _call_or_attribute(value):
        return quoted.span("v")
    return (start, start)  # a quoted placeholder or reference: no value here


def _keyed_cue_value(text: str, noun: str, start: int) -> tuple[int, int] | None:
    """A code keyed in after a code's noun; ``(start, start)`` when the noun wants one
    and none stands there (a door's code is never a word)."""
    keyed_noun = _ACCESS_NOUN.fullmatch(noun) is not None or noun.lower().endswith(
        ("keypad", "code", "codes", "koodi", "luku")
    )
    spoken = _SPOKEN_PIN.fullmatch(noun) is not None
    if not (keyed_noun or spoken):
        return None
    keyed = _keyed_value(text, start)
    if keyed is not None and not re.match(r"[/.:,]\d", text[keyed[1] : keyed[1] + 2]):
        return keyed  # not a date, a time or a decimal ("PIN changed on 03/12/2026")
    return (start, start) if keyed_noun and not spoken else None


def _cued_value(text: str, noun: str, start: int, join: str) -> tuple[int, int] | None:
    """The value a noun's join leads to at ``start``, or None when none stands there."""
    fixed = _quoted_cue_value(text, start) or _keyed_cue_value(text, noun, start)
    if fixed is not None:
        return fixed if fixed[1] > fixed[0] else None
    if join.strip() == "," or (join.isspace() and _SPOKEN_PIN.fullmatch(noun)):
        return None  # a comma leads to a keyed code only; "pin python>=3.11" is a verb
    if _PHRASE_NOUN.fullmatch(noun) and not join.isspace():
        words = _PHRASE.match(text, start)
        if words is not None and not _SENTENCE_WORD.match(words.group().split()[0]):
            return start, words.end()
    m = _CUE_VALUE.match(text, start)
    if m is None or _call_or_attribute(m.group()) or _not_a_value(m.group()):
        return None  # "password = getpass.getpass()", "password: ${DB_PASSWORD}"
    end = _trim_sentence_end(text, start, m.end())
    value = text[start:end]
    if noun.lower() == "memorable word" and value.isalpha() and len(value) >= 3:
        return start, end
    weak = _WEAK_NOUN.search(noun) is not None or join.isspace()
    return (start, end) if _strong_value(value, weak=weak) else None


def _cued_prose_secrets(text: str) -> Iterator[Span]:
    """The value after each word for a secret, the nearest join first (see above)."""
    for noun in _CUE_NOUN.finditer(text):
        if _SPOKEN_PIN.match(noun.group()) and _MEETING_BEFORE.search(text, 0, noun.start()):
            continue
        # the value right after the noun, with a blank only ("WPA key rmqt-…", "PIN 4718")
        where = None
        if text.startswith((" ", "\t"), noun.end()):
            start = len(text) - len(text[noun.end() :].lstrip(" \t"))
            where = _cued_value(text, noun.group(), start, " ")
        where = where or _joined_value(text, noun) or _qualified_value(text, noun)
        if where is not None:
            yield Span(SECRET, *where)


# "pw for the vpn Lantern9$", "Пароль от почты Qw8!zx12": the noun, what it is for in a
# few lower-case words, and the value with no verb or colon, ending the clause. Only a
# value no word, id or host name looks like: a digit, and mixed case or a symbol.
_QUALIFIER_WORDS = re.compile(
    r"[ \t]+(?:for|to|of|on|от|для|к|für|pour|para|per|do|de|del|du|van|voor|för|til|na|za)"
    r"(?:[ \t]+[^\W\d_]{1,20}){1,3}[ \t]+"
)
_CLAUSE_END = re.compile(r"[ \t]*(?:[,;.!?)]|\n|$)")


def _qualified_value(text: str, noun: re.Match[str]) -> tuple[int, int] | None:
    words = _QUALIFIER_WORDS.match(text, noun.end())
    if words is None or any(w[:1].isupper() for w in words.group().split()[1:]):
        return None
    m = _CUE_VALUE.match(text, words.end())
    if m is None or _not_a_value(m.group()):
        return None
    end = _trim_sentence_end(text, m.start(), m.end())
    value = text[m.start() : end]
    if not _CLAUSE_END.match(text, end) or len(value) < 8 or not any(c.isdigit() for c in value):
        return None
    mixed = any(c.isupper() for c in value) and any(c.islower() for c in value)
    symbol = any(not c.isalnum() and c not in "-_." for c in value)
    return (m.start(), end) if (mixed or symbol) and _strong_value(value, weak=False) else None


def _joined_value(text: str, noun: re.Match[str]) -> tuple[int, int] | None:
    """The value after the nearest join of ``noun`` that leads to one."""
    # the value may stand on the next line, not further
    first = text.find("\n", noun.end())
    second = -1 if first < 0 else text.find("\n", first + 1)
    if second >= 0 and not text[first:second].strip():
        second = text.find("\n", second + 1)  # a blank line between
    line_end = second
    limit = min(noun.end() + 80, len(text) if line_end < 0 else line_end)
    at = noun.end()
    while at < limit:
        join = _JOIN.search(text, at, limit)
        if join is None:
            break
        at = max(join.end(), at + 1)
        gap = text[noun.end() : join.start()]
        if not _gap_ok(gap, join.group()):
            if join.start() > noun.end():
                break
            continue
        where = _cued_value(text, noun.group(), join.end(), join.group())
        if where is not None:
            return where
        if not _ORDINARY_WORD.match(text, join.end()):
            break  # a reference, a quoted placeholder: what the noun names is no value
    return None


def _labels_other_thing(text: str, m: re.Match[str]) -> bool:
    """Whether a ``_PROSE_SECRET`` match's colon belongs to a label of something else
    after its noun ("… wifi password btw (network: Casa_Guest)", round 14)."""
    noun = _PROSE_NOUN_ONLY.match(text, m.start())
    value = m.start("quoted") if m.group("quoted") is not None else m.start("bare")
    if noun is None or value < 0:
        return False
    between = text[noun.end() : value]
    verb = re.search(r"[ \t]+(?:is|was|are|est|es|ist|lautet)[ \t]+$", between)
    if verb is not None and _OTHER_NOUN_LAST.search(between, 0, verb.start()):
        return True  # "the PIN mailer reference is 44120"
    colon = max(between.rfind(":"), between.rfind("\uff1a"), between.rfind("="))
    return colon > 0 and _OTHER_LABEL.search(between[:colon]) is not None


# A word of the sentence after a join that named no value ("The API key is valid for …"):
# the next join may still lead to one.
_ORDINARY_WORD = re.compile(r"[^\W\d_]{1,30}(?![^\s,;])")


def _gap_ok(gap: str, join: str) -> bool:
    """Whether the words between a noun and its join still belong to it: a few words in
    one sentence, a closed aside, no label of something else before a colon."""
    if (
        "\n" in gap.rstrip(" \t")
        or re.search(r"[.!?;][ \t]|[\"`{}$<>=]|(?<![^\W\d_])'|'(?![^\W\d_])", gap)
        or gap.count("(") != gap.count(")")
    ):
        return False
    if len(re.sub(r"\([^)]*\)", "", gap).split()) > 6:
        return False
    if _OTHER_NOUN_LAST.search(gap):
        return False
    return not (join.strip()[:1] in ":=\uff1a" and _OTHER_LABEL.search(gap))


# Asked for, answered in the next turn: "Agent: … your PIN?⏎Caller: Sure, it's 6 2 0 9."
_ANSWER = re.compile(
    r"(?i)(?:[ \t]*\n[^\n:]{0,30}:?|[ \t]+[^\W\d_]{2,20}:|[ \t]+[\u2013\u2014\-])[ \t]*"
    r"(?:(?:yes|yeah|yep|sure|ok(?:ay)?|of[ \t]course|s[íi]|oui|ja)[ \t]*[,.!]?[ \t]*)?"
    r"(?:it['\u2019]s|it[ \t]is|that['\u2019]s|es|c['\u2019]est|das[ \t]ist)[ \t]+"
)
_ASKED = re.compile(
    rf"{_NOUN_START}{_PROSE_NOUN}(?![\w\-])[^\n?]{{0,30}}\?"
    # round 14: "the code they just texted you?": a one-time code, sent to someone
    r"|(?i:\bcode\b[^\n?]{0,30}\b(?:texted|sent|sms(?:ed)?|got|received)\b[^\n?]{0,20}\?)"
)
_ANSWER_WORD = re.compile(r"[^\W\d_]{3,30}(?=[ \t]*(?:[,.!;]|$))", re.M)


def _answered_secrets(text: str) -> Iterator[Span]:
    """A secret asked for at the end of a line and given at the start of the next."""
    if "?" not in text:
        return
    for asked in _ASKED.finditer(text):
        if _MEETING_BEFORE.search(text, max(0, asked.start() - 80), asked.start()):
            continue
        answer = _ANSWER.match(text, asked.end())
        if answer is None:
            continue
        where = _answer_value(text, asked.start(), answer.end())
        if where is not None:
            yield Span(SECRET, *where)


def _answer_value(text: str, asked: int, start: int) -> tuple[int, int] | None:
    """The code or the word given at ``start`` for the noun asked for at ``asked``."""
    keyed = _keyed_value(text, start)
    if keyed is not None:
        return keyed
    noun = _PROSE_NOUN_ONLY.match(text, asked)
    if noun is None or (
        _ACCESS_NOUN.fullmatch(noun.group()) is not None and not _SPOKEN_PIN.fullmatch(noun.group())
    ):
        return None  # a door's or a texted code is keyed digits
    word = _ANSWER_WORD.match(text, start) or _CUE_VALUE.match(text, start)
    if word is None:
        return None
    end = _trim_sentence_end(text, start, word.end())
    value = text[start:end]
    if len(value) < 3 or _SENTENCE_WORD.match(value) or _not_a_value(value):
        return None
    return None if value.lower() in _NO_ANSWER else (start, end)


_NO_ANSWER = frozenset(
    {
        "the",
        "that",
        "this",
        "not",
        "fine",
        "correct",
        "right",
        "wrong",
        "same",
        "yes",
        "no",
        "sorry",
        "what",
        "which",
        "here",
        "there",
        "gone",
        "lost",
        "expired",
        "blocked",
        "locked",
        "changed",
    }
)

# A value before an arrow or a dash and its noun: "Pebble&Moss42 <- new password for
# the NAS", "Quartz!Lake19 — that's the printer admin password".
_VALUE_ARROW_NOUN = re.compile(
    r"(?<![^\s(])(?P<v>[^\s\"'`]{6,120})[ \t]+(?:<-+|\u2190|-|\u2013|\u2014|=)[ \t]+"
    r"(?i:(?:that['\u2019]s|this[ \t]is|it['\u2019]s|is)[ \t]+)?"
    r"(?i:(?:the|my|your|our|a)[ \t]+)?(?:[\w\-]{1,20}[ \t]+){0,3}?" + _PROSE_NOUN + r"(?![\w\-])"
)
# "Your password was reset. New one: Fjord-Tiles-63": the noun said in the sentence before.
_NEW_ONE = re.compile(r"(?i)\bnew[ \t]+one(?:[ \t]*[:=\-\u2013\u2014]|[ \t]+is)[ \t]+")
# A key box or a door "opens with 3307"; "use the code 5521 to open the gate".
_OPENS_WITH = re.compile(
    r"(?i)\b(?:(?:opens|unlocks|open[ \t]it|unlock[ \t]it)[ \t]+with|"
    # round 15: German, French, Spanish, Italian
    r"[öo]ffnet(?:[ \t]+sich)?[ \t]+mit|s['\u2019]ouvre[ \t]+avec|se[ \t]+abre[ \t]+con|"
    r"si[ \t]+apre[ \t]+con)[ \t]+"
)
_OPENABLE = re.compile(
    r"(?i)\b(?:doors?|gates?|garage|safe|locker|padlock|lock|lock[ \-]?box|key[ \-]?box|"
    r"key[ \-]?safe|shed|cabinet|alarm|"
    r"schl[üu]ssel\w*|t[üu]r|tor|schloss|tresor|porte|portail|coffre|bo[iî]te|puerta|caja|"
    r"porta|cassetta)\b[^.!?]{0,60}$"
)
_CODE_TO_OPEN = re.compile(
    r"(?i)\b(?:use|enter|type|key[ \t]in|punch[ \t]in)[ \t]+(?:the[ \t]+)?code[ \t]+"
    r"(?=[#*]?\d)(?P<v>[\d#*][\d#* \-]{2,14}?)[ \t]+to[ \t]+"
    r"(?:open|unlock|disarm|get[ \t]into|enter)\b"
)


# Round 14: "code" alone in a sentence about a Wi-Fi network ("the wifi is Maple-House and
# the code is m4ple!house"): a value that looks generated; a keyed code "for" a door, a
# shed, a gate ("7702 is the code for the bike shed").
_WIFI_CODE = re.compile(
    r"(?i)\b(?:wi-?fi|wlan|wireless|network|r[ée]seau|red)\b[^.!?\n]{0,60}?"
    r"(?:\b(?:the|its|and|el|la|le|il|der|die|das|de)|,)[ \t]+"
    r"(?:code|c[óo]digo|codice|kod|koodi)[ \t]*(?::|is|es|est|ist|è|é|är|er|je|jest)[ \t]+"
)
_CODE_FOR = re.compile(
    r"(?<![\w#*\-])(?=[#*]?\d)(?P<v>[\d#*][\d#* ]{2,12}?)[ \t]+(?i:is|was)[ \t]+"
    r"(?i:the|my|our|your)[ \t]+(?:[\w\-]{1,20}[ \t]+)?(?i:code|pin|combination)[ \t]+"
    r"(?i:for|to|of|at)[ \t]+(?i:the|my|our|your|a)?[ \t]*(?:[\w\-]{1,20}[ \t]+)?"
    r"(?i:door|gate|garage|shed|bike[ \t]?shed|storage|cellar|locker|lock[ \t]?box|key[ \t]?box|"
    r"safe|alarm|entrance|padlock|box|cabinet)\b"
)


# Round 14: an element whose attribute names the secret and whose text is its value
# (Java's properties XML "<entry key="password">…</entry>", "<setting name="ApiKey">…").
_KEYED_ELEMENT = re.compile(
    r"""<(?P<tag>[A-Za-z_][\w.\-]{0,40})[^<>\n]{0,80}?\b(?:key|name)=["']"""
    r"""(?P<name>[A-Za-z_][\w.\-]{0,80})["'][^<>\n]{0,80}>(?P<secret>[^<\n]{1,400})</(?P=tag)>"""
)


def _keyed_elements(text: str) -> Iterator[Span]:
    for m in _hinted(_KEYED_ELEMENT, text, ("key=", "name=")):
        value = m.group("secret").strip()
        if secret_name(m.group("name")) and value and not _not_a_value(value):
            yield Span(SECRET, m.start("secret"), m.end("secret"))


def _pointed_secrets(text: str) -> Iterator[Span]:
    """A value pointed at its noun, a new one after a reset, a code a box opens with."""
    for m in _VALUE_ARROW_NOUN.finditer(text):
        value = m.group("v")
        end = _trim_sentence_end(text, m.start("v"), m.end("v"))
        if (
            _strong_value(text[m.start("v") : end], weak=True)
            and value[:1] not in "<-"
            and not re.match(r"[ \t]*[:=\uff1a]", text[m.end() :])  # "— WLAN key: …"
        ):
            yield Span(SECRET, m.start("v"), end)
    for m in _NEW_ONE.finditer(text):
        if _PROSE_NOUN_ONLY.search(text, max(0, m.start() - 120), m.start()) is None:
            continue
        where = _cued_value(text, "password", m.end(), ":")
        if where is not None:
            yield Span(SECRET, *where)
    yield from _coded_secrets(text)


def _coded_secrets(text: str) -> Iterator[Span]:
    """A Wi-Fi's code, a code for a shed, a code a box opens with (see above)."""
    for m in _WIFI_CODE.finditer(text):
        where = _cued_value(text, "password", m.end(), ":")
        if where is not None:
            yield Span(SECRET, *where)
    for m in (*_CODE_FOR.finditer(text), *_CODE_TO_OPEN.finditer(text)):
        keyed = _keyed_value(text, m.start("v"))
        if keyed is not None:
            yield Span(SECRET, *keyed)
    for m in _OPENS_WITH.finditer(text):
        if _OPENABLE.search(text.replace("\n", " "), max(0, m.start() - 80), m.start()):
            keyed = _keyed_value(text, m.end())
            if keyed is not None:
                yield Span(SECRET, *keyed)


# --- round 15: a secret with no noun next to it ----------------------------------------
# People hand a password over without saying "password" right before it: a user and the
# password with a spaced slash ("creds → alice / Blueberry!Sky31", "Wi-Fi is Guest /⏎
# sunflower-orbit-77"), the account and the password a sentence signs in with ("log into
# the Stripe with ops@ and Spr1ng!Ledger"), the value a line after the noun ("I'll send
# the password … actually⏎it's just Contract$Dec26"), a headerless password-manager row,
# and the digits an alarm is disarmed with ("zum Entschärfen 8024 eingeben"). Each value
# must look generated (``_strong_value``), so a word, a number or a path stays.
_PAIR_CUE = re.compile(
    r"(?i)(?<![\w\-])(?:creds|credentials?|logins?|log-?in|sign[ \t]?in|user(?:name)?|admin|"
    r"root|account|accounts|wi-?fi|wlan|ssid|network|zugang(?:sdaten)?|anmeldedaten|"
    r"identifiants|credenciales|credenziali|acesso|acceso|accesso|логин|доступ)(?![\w\-])"
)
# A user (or a network's name) and the value, a blank either side of the slash.
_SPACED_PAIR = re.compile(
    r"(?<![^\s:>(\u2192])(?P<user>[\w.@+\-]{1,64})[ \t]+/(?:[ \t]+|[ \t]*\n[ \t]*)"
    r"(?P<v>[^\s\"'`]{4,120})"
)
_SIGN_IN = re.compile(
    r"(?i)\b(?:log(?:ged|ging)?[ \t]?(?:in|on)(?:to)?|sign(?:ed|ing)?[ \t]?in(?:to)?|"
    r"connect(?:ed)?[ \t]+to|ssh[ \t]+into)\b[^\n.!?]{0,60}?\bwith[ \t]+"
    r"(?:[\w.@+\-]{1,40}[ \t]+(?:and|&|/)[ \t]+)?(?=\S)"
)
# "it's just X", "it is X" after the noun a line or two before it.
_IT_IS = re.compile(
    r"(?i)(?=[ictd])(?<![\w'])(?:it['\u2019]s|it[ \t]+is|that['\u2019]s|c['\u2019]est|das[ \t]+ist)"
    r"(?:[ \t]+(?:just|simply|only|now|still|einfach|nur|juste|simplement))?[ \t]+(?=\S)"
)
_DISARM = re.compile(
    r"(?i)(?=[deu])\b(?:disarm(?:ed|ing)?|entsch[äa]rf(?:en|t)|unscharf|d[ée]sarm(?:er|ez)|"
    r"desarmar|desactivar|disattivar[ei]|disinserire|deactivate)\b[ \t]*"
    r"(?:[\w\-]{1,15}[ \t]+){0,3}?"
    r"(?:(?:with|mit|avec|con|code|pin|enter|type|key[ \t]in|:)[ \t]*)?(?=[#*]?\d)"
)
# "wifi at grandma's is PEARTREE2210": a Wi-Fi network's value with no noun for it.
_WIFI_IS = re.compile(
    r"(?i)(?=[w])\b(?:wi-?fi|wlan|wireless)\b(?P<gap>[^.!?\n:=]{0,40}?)"
    r"[ \t](?:is|ist|est|es|è|är|er|je)"
    r"(?:[ \t]+(?:now|jetzt|nu|just))?[ \t]+(?=\S)"
)
_CSV_URL_CELL = re.compile(r"""^["']?(?:https?|ftp)://""")


def _looks_generated(value: str) -> bool:
    """A value with letters and a digit or a symbol, or mixed case with a digit: a
    password someone chose or a generator made, not a word, a number or a path."""
    if "/" in value or "@" in value.rstrip("@") or not _strong_value(value, weak=False):
        return False
    if any(c.isspace() for c in value):
        return False
    digits = any(c.isdigit() for c in value)
    symbol = any(not c.isalnum() and c not in "-_." for c in value)
    return digits or symbol


def _paired_secrets(text: str) -> Iterator[Span]:
    """ "alice / Blueberry!Sky31" after a word for an account or a network, on its line or
    the line before."""
    if " /" not in text:
        return
    for m in _SPACED_PAIR.finditer(text):
        line = text.rfind("\n", 0, m.start())
        line = text.rfind("\n", 0, line) if line > 0 else -1
        if _PAIR_CUE.search(text, line + 1, m.start("v")) is None:
            continue
        start, end = m.start("v"), _trim_sentence_end(text, m.start("v"), m.end("v"))
        end = _trim_clause(text, start, end)
        if _looks_generated(text[start:end]) and not _looks_generated(m.group("user")):
            yield Span(SECRET, start, end)


def _trim_clause(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in "?!":
        end -= 1
    return end


def _generated_after(text: str, start: int) -> Span | None:
    """The value at ``start`` when it looks generated, without the clause's punctuation."""
    v = _CUE_VALUE.match(text, start)
    if v is None:
        return None
    end = _trim_clause(text, start, _trim_sentence_end(text, start, v.end()))
    return Span(SECRET, start, end) if _looks_generated(text[start:end]) else None


def _unnamed_secrets(text: str) -> Iterator[Span]:
    """A secret with no noun right before it (see above)."""
    yield from _paired_secrets(text)
    cues = list(_hinted(_SIGN_IN, text, ("with",)))
    cues += [
        m
        for m in _hinted(_IT_IS, text, ("it", "It", "IT", "hat", "est", "das", "Das"))
        if _PROSE_NOUN_ONLY.search(text, max(0, m.start() - 160), m.start()) is not None
    ]
    # "the wifi password hint is Blue2027", "the wifi name is …": another thing's value
    cues += [
        m
        for m in _hinted(_WIFI_IS, text, ("wi", "Wi", "WI", "wl", "WL"))
        if not _OTHER_NOUN_LAST.search(m.group("gap"))
    ]
    for m in cues:
        span = _generated_after(text, m.end())
        if span is not None:
            yield span
    for m in _hinted(
        _DISARM, text, ("arm", "rf", "scharf", "activ", "attiv", "inser"), text.lower()
    ):
        keyed = _keyed_value(text, m.end())
        if keyed is not None and not re.match(r"[/.:,]\d", text[keyed[1] : keyed[1] + 2]):
            yield Span(SECRET, *keyed)
    yield from _manager_rows(text)
    yield from _bare_answers(text)
    for m in _hinted(_LABEL_LINE, text, ("\n",)):
        if _looks_generated(m.group("v")):
            yield Span(SECRET, m.start("v"), m.end("v"))


# Round 15: asked for in chat, answered with the value alone on the next turn, after the
# speaker's label or a quote mark ("what's the staging db pw again?⏎[10:43] dev2: X").
_BARE_ANSWER = re.compile(
    r"[ \t]*\n(?:\[[^\]\n]{1,24}\][ \t]*)?(?:[^\s:][^\n:]{0,30}:[ \t]+|>[ \t]*)?"
    # round 16: an aside may follow the value after a dash, a comma or a bracket
    # ("X — user is family", "X (caps)")
    r"(?P<v>[^\s\"'`]{4,120})[ \t]*(?:(?:\u2014|\u2013|--?|,|\()[^\n]{0,80})?(?=\n|$)"
)


# Round 15: a label alone on its line, no colon, and the value alone on the next (a Wi-Fi
# card: "Network: CafeGuest⏎Key⏎latte4everyone").
_LABEL_LINE = re.compile(
    # a short line, then one token alone: checked first, the nouns are dear to try
    r"(?m)^(?=[^\n]{1,40}\n[ \t]*[^\s\"'`]{4,120}[ \t]*(?:\n|$))"
    rf"[ \t]*(?:{_PROSE_NOUN}|(?i:key|schl[üu]ssel|cl[ée]))[ \t]*\n"
    r"[ \t]*(?P<v>[^\s\"'`]{4,120})[ \t]*$"
)


def _bare_answers(text: str) -> Iterator[Span]:
    if "?" not in text:
        return
    # only a line that ends in a question is read for the noun (cheaper than ``_ASKED``)
    for question in re.finditer(r"\?[ \t]*(?=\n)", text):
        line = text.rfind("\n", 0, question.start()) + 1
        if _PROSE_NOUN_ONLY.search(text, line, question.start()) is None:
            continue
        m = _BARE_ANSWER.match(text, question.end())
        if m is not None and _looks_generated(m.group("v")):
            yield Span(SECRET, m.start("v"), m.end("v"))


def _manager_rows(text: str) -> Iterator[Span]:
    """A password manager's export row without its header: cells of a URL, a name, a user
    and, last, the password ("https://…","shop.example.com","customer8812","Marigold77$")."""
    if "://" not in text:
        return
    at = 0
    for line in text.splitlines(keepends=True):
        if "://" not in line:
            at += len(line)
            continue
        cells = _csv_cells(line)
        url = next((n for n, (a, b) in enumerate(cells) if _CSV_URL_CELL.match(line[a:b])), None)
        # the password is the last value that looks generated two cells or more after the
        # URL (a user name stands between them; a note may follow)
        for a, b in reversed(cells[url + 2 :] if url is not None else []):
            value = line[a:b].strip()
            if value and _looks_generated(value):
                start = at + a + len(line[a:b]) - len(line[a:b].lstrip())
                yield Span(SECRET, start, start + len(value))
                break
        at += len(line)


def _csv_cells(line: str) -> list[tuple[int, int]]:
    """The cells of a comma-separated row, each without its quotes."""
    cells: list[tuple[int, int]] = []
    row = line.rstrip("\r\n")
    if row.count(",") < 2:
        return cells
    for m in re.finditer(r'"([^"\n]*)"|([^,"\n]*)', row):
        if m.start() > 0 and row[m.start() - 1] != ",":
            continue
        group = 1 if m.group(1) is not None else 2
        cells.append(m.span(group))
    return cells


# "DB_PASSWORD=a.b.c" in an env file is a literal, not an attribute access.
_ENV_LINE = re.compile(r"[ \t]*(?:export[ \t]+)?[A-Z][A-Z0-9_]*=\S")
# A command after an environment variable given to it alone.
_COMMAND = (
    r"(?:[A-Z_][A-Z0-9_]*=|(?:sudo[ \t]+)?(?:psql|pg_dump|pg_restore|pg_dumpall|"
    r"mysql|mysqldump|mysqladmin|mariadb|sshpass|ssh|scp|rsync|redis-cli|mongosh|mongo|curl|"
    r"wget|git|npm|npx|yarn|pip|python3?|node|docker|podman|kubectl|helm|terraform|aws|az|"
    r"gcloud|ansible-playbook|make|java|go|cargo|\./\S+)(?![\w\-]))"
)
_ENV_COMMAND = re.compile(r"(\S+)[ \t]+" + _COMMAND)
# "PGPASSWORD= psql …": an empty value, then the command.
_EMPTY_BEFORE_COMMAND = re.compile(r"=[ \t]+" + _COMMAND)


def _value_span(m: re.Match[str], text: str, *, line_value: bool) -> tuple[int, int] | None:
    """Where the secret of an assignment match is, or None when its value is no secret."""
    if m.group("quoted") is not None:
        start, end = m.start("quoted"), m.end("quoted")
    else:
        start, end = m.start("bare"), m.end("bare")
        if line_value:
            # A configuration line: the value runs to the line's end (or a comment).
            line_end = text.find("\n", start)
            line_end = len(text) if line_end == -1 else line_end
            rest = text[start:line_end]
            comment = re.search(r"\s(?:#|//|;)\s", rest)
            end = start + (comment.start() if comment else len(rest.rstrip()))
            # A .properties value goes on after a line ending in a backslash.
            while text[end - 1] == "\\" and text.startswith("\n", end):
                next_end = text.find("\n", end + 1)
                end = len(text) if next_end == -1 else next_end
                end = start + len(text[start:end].rstrip())
            command = _ENV_COMMAND.match(text, start, end)
            if command and _ENV_LINE.match(text, text.rfind("\n", 0, start) + 1):
                end = command.end(1)  # "PGPASSWORD=x psql -h db": the shell ends it at a space
            while end > start and text[end - 1] in ",;":
                end -= 1
    value = text[start:end].strip()
    if not value or _ONLY_MASK.match(value) or _REFERENCE.match(value) or _FILLER.search(value):
        return None
    if m.group("quoted") is None and _REFERENCE.match(value.split()[0]):
        return None  # "password: str = Field(…)"
    if m.group("quoted") is None and _call_or_attribute(value):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if not (line_value and _ENV_LINE.match(text, line_start)):
            return None
    return start, end


def _line_start(text: str, index: int) -> bool:
    """Whether only indentation, a list dash, ``export`` or a quote stands before."""
    line_start = text.rfind("\n", 0, index) + 1
    before = text[line_start:index]
    return re.fullmatch(r"""\s*(?:-\s+|export\s+|set\s+|["'])?""", before) is not None


def configured_secrets(text: str) -> Iterator[Span]:
    yield from _assigned_secrets(text)
    yield from _flag_secrets(text)
    for pattern in (_SQL_IDENTIFIED, _PGPASS):
        for m in pattern.finditer(text):
            if not _REFERENCE.match(m.group("secret")):
                yield Span(SECRET, m.start("secret"), m.end("secret"))
    yield from _login_secrets(text)
    yield from _script_secrets(text)
    if _NETRC_FILE.search(text):
        for m in _NETRC.finditer(text):
            yield Span(SECRET, m.start(1), m.end(1))
    for m in _hinted(_XML_KEY_THEN_VALUE, text, ("<Key>", "<key>")):
        if secret_name(m.group("name")) and not _REFERENCE.match(m.group("secret").strip()):
            yield Span(SECRET, m.start("secret"), m.end("secret"))
    for m in _XML_SECRET.finditer(text):
        if secret_name(m.group(1)) and not _REFERENCE.match(m.group(2).strip()):
            yield Span(SECRET, m.start(2), m.end(2))
    yield from _named_secrets(text)
    yield from _wifi_qr_secrets(text)
    yield from _cookie_secrets(text)
    yield from _banner_secrets(text)


# Round 16: what a tool prints when it generates a password or a token for you: a line
# that names it and ends with a colon (whatever stands between: a user, a parenthesis,
# a command in backticks), then the value alone on the next line, maybe after one blank
# line ("Password for the elastic user (reset with `…`):⏎  Zq7=Wv2…").
_BANNER = re.compile(
    r"(?im)^[^\n]{0,160}?(?<![\w\-])(?:password|passphrase|passwort|kennwort|token|secret|"
    r"mot de passe|contraseña|senha)(?![\w\-])[^\n]{0,160}:[ \t]*\n(?:[ \t]*\n)?"
    r"[ \t]*(?P<value>[^\s<>\[\]{}()]{6,200})[ \t]*$"
)


def _banner_secrets(text: str) -> Iterator[Span]:
    for m in _hinted(_BANNER, text, ("ass", "oken", "ecret", "ASS", "OKEN", "ort", "eña", "nha")):
        value = m.group("value")
        if _REFERENCE.match(value) or _FILLER.search(value) or "/" in value:
            continue
        if _strong_value(value, weak=False) and (
            any(c.isdigit() for c in value) or looks_random(value)
        ):
            yield Span(SECRET, m.start("value"), m.end("value"))


# Round 16: the password field of a Wi-Fi QR code's string ("WIFI:T:WPA;S:Home;P:…;;"),
# quoted or with "\;" escapes.
_WIFI_QR = re.compile(
    r"(?i)\bWIFI:(?:[A-Z]{1,2}:(?:\\.|[^;\n\\]){0,64};){0,6}?P:"
    r'(?:"(?P<quoted>[^"\n]{1,200})"|(?P<bare>(?:\\.|[^;\n\\]){1,200}))'
)


def _wifi_qr_secrets(text: str) -> Iterator[Span]:
    for m in _hinted(_WIFI_QR, text, ("WIFI:", "wifi:", "Wifi:")):
        group = "quoted" if m.group("quoted") is not None else "bare"
        yield Span(SECRET, m.start(group), m.end(group))


# Round 16: the values of a Cookie or Set-Cookie header (also curl's -b/--cookie) that
# read as generated once their %-escapes are undone ("connect.sid=s%3AQx7W…"): a session
# id lets one act as its user, whatever the cookie's name.
_COOKIE_LINE = re.compile(
    r"""(?im)(?:^[ \t<>]*(?P<set>set-)?cookie[ \t]*:[ \t]*|(?<!\S)(?:-b|--cookie)[ \t]+["'])"""
    r"""(?P<pairs>[^\n"']{1,4000})"""
)
_COOKIE_PAIR = re.compile(r"(?P<name>[^=;\s]{1,80})=(?P<value>[^;\s]{1,2000})")


def _cookie_secrets(text: str) -> Iterator[Span]:
    for line in _hinted(_COOKIE_LINE, text, ("ookie", "OOKIE", "-b ")):
        pairs = list(_COOKIE_PAIR.finditer(line.group("pairs")))
        if line.group("set"):
            pairs = pairs[:1]  # what follows the first pair are its attributes
        base = line.start("pairs")
        for p in pairs:
            value = p.group("value").strip('"')
            plain = re.sub(r"[^A-Za-z0-9]", "", unquote(value))
            if looks_random(plain) or (secret_name(p.group("name")) and len(plain) >= 8):
                yield Span(SECRET, base + p.start("value"), base + p.end("value"))


def _login_secrets(text: str) -> Iterator[Span]:
    """A URL's or curl's password, a bearer token."""
    for pattern in (_USERINFO, _CURL_USER, _BEARER):
        for m in pattern.finditer(text):
            group = 1 if m.group(1) is not None else 2
            # Round 12: "postgres://app:${DB_PASSWORD}@db": a reference, filled in elsewhere
            if not _REFERENCE.match(m.group(group)):
                yield Span(SECRET, m.start(group), m.end(group))


# --- secrets in program code (round 8) ---
# A string naming a secret, then the string given to it: os.environ.setdefault("TOKEN",
# "…"), config.set("auth", "password", "…"), putenv("DB_PASSWORD", "…").
_NAME_THEN_VALUE = re.compile(
    r"""(["'])(?P<name>[A-Za-z_][\w.\-]{0,80})\1[ \t]*,[ \t]*(?:default[ \t]*=[ \t]*)?"""
    r"""(?P<q>["'])(?P<secret>[^"'\n]{1,400})(?P=q)(?![ \t]*:)"""
)
# A name/value pair: Kubernetes' "- name: DB_PASSWORD / value: …", a JSON
# {"name": "API_TOKEN", "value": "…"}, AWS's {"Key": "…", "Value": "…"}.
_NAME_VALUE_PAIR = re.compile(
    r"""(?i)\b(?:name|key|parameter|param|variable|var)["']?[ \t]*[:=][ \t]*["']?"""
    r"""(?P<name>[A-Za-z_][\w.\-]{0,80})["']?[ \t]*(?:,[ \t]*|\n[ \t]*(?:-[ \t]+)?)"""
    r"""["']?(?:value|val|secret)["']?[ \t]*[:=][ \t]*"""
    r"""(?:(?P<q>["'])(?P<quoted>[^"'\n]{1,400})(?P=q)|(?P<bare>[^\s"',}{][^\s"',}]{0,400}))"""
)
# A user and a password given to a log-in call or an auth tuple: smtp.login(user, "…"),
# auth=("bob", "…"), HTTPBasicAuth("bob", "…"), BasicAuth(login="bob", password=…).
_LOGIN_CALL = re.compile(
    r"""(?i)(?:\.login|\bauth(?:enticate)?|\bbasic_?auth|\bhttp_?auth|\bHTTPBasicAuth|"""
    r"""\bHTTPDigestAuth|\bset_password|\bsimple_bind_s|\bbind|Credentials?(?:::new)?|"""
    r"""\bjwt\.(?:encode|decode))[ \t]*(?:=[ \t]*)?[(\[][ \t]*"""
    r"""[^,()\[\]\n]{1,80},[ \t]*(?P<q>["'])(?P<secret>[^"'\n]{1,400})(?P=q)"""
)
# A secret's value on the line below its name: YAML "password:\n  s3cret" (also a block
# scalar "|"), Python "password = (\n    "…"\n)": the next line, more indented, is the value.
_NEXT_LINE_VALUE = re.compile(
    r"""(?m)^(?P<indent>[ \t]*)(?:-[ \t]+)?["']?(?P<name>[A-Za-z_][\w.\-]{0,80})["']?[ \t]*"""
    r"""(?::|=)[ \t]*(?:\(|\\|[|>][+\-]?)?[ \t]*\n(?P<inner>[ \t]+)"""
    r"""(?:(?P<q>["'])(?P<quoted>[^"'\n]{1,400})(?P=q)|(?P<bare>[^\s"'#\-][^\s"']{0,400}))"""
    r"""[ \t]*,?[ \t]*$"""
)
# PowerShell's plain text made a SecureString: ConvertTo-SecureString "…" -AsPlainText
# (round 10).
_SECURE_STRING = re.compile(
    r"""(?i)\bConvertTo-SecureString[ \t]+(?:-String[ \t]+)?"""
    r"""(?P<q>["'])(?P<secret>[^"'\n]{1,400})(?P=q)"""
)
# A typed assignment, "password: str = "…"" (Python), "pwd: &str = "…"" (Rust).
_ANNOTATED = re.compile(
    r"""(?<![\w.\-])(?P<name>[A-Za-z_]\w{0,80})[ \t]*:[ \t]*&?[A-Za-z_][\w\[\], .|']{0,60}?"""
    r"""[ \t]*=[ \t]*b?(?P<q>["'])(?P<secret>[^"'\n]{1,400})(?P=q)"""
)
# A default after a reference: "process.env.DB_PASS || "…"", "?? "…"", "or "…"".
_FALLBACK = re.compile(
    # the operator first (a name-first pattern is tried at every word); the name before it
    # is read backwards from there
    r"""(?:\|\||\?\?|\bor\b)[ \t]*(?P<q>["'])(?P<secret>[^"'\n]{1,400})(?P=q)"""
)
_FALLBACK_NAME = re.compile(
    r"""(?P<name>[A-Za-z_][\w.]{0,80})(?:\[["'](?P<key>[\w.\-]{1,80})["']\])?[ \t]*$"""
)
# A triple-quoted string given to a secret's name (Python, TOML's multi-line strings).
_TRIPLE_QUOTED = re.compile(
    r"(?P<name>(?<![\w.\-])[A-Za-z_][\w.\-]{0,80})[ \t]*[:=][ \t]*[rbuRBU]{0,2}"
    r'(?P<q>"""|\'\'\')(?P<secret>[\s\S]{1,4000}?)(?P=q)'
)
# A signed URL's signature (Azure SAS "sig=", S3 "X-Amz-Signature=", "Signature=").
_SIGNATURE_PARAM = re.compile(
    r"(?i)(?:[?&;]|^|(?<=\s))(?:sig|signature|x-amz-signature|x-goog-signature)="
    r"(?P<secret>[^&\s#;\"'<>]{8,})"
)
# A quoted string continued on the next line: "abc" \ (newline) "def", or "abc" (newline)
# "def" inside brackets.
_CONTINUED_STRING = re.compile(r"""[ \t]*\\?[ \t]*\n[ \t]*(["'])([^"'\n]{1,400})\1""")


def _code_secrets(text: str) -> Iterator[Span]:
    """Secrets in program code's own syntax (see the patterns above)."""
    yield from _name_then_value(text)
    yield from _name_value_pairs(text)
    yield from _called_secrets(text)
    for m in _hinted(_SECURE_STRING, text, ("securestring",), text.lower()):
        if not _not_a_value(m.group("secret").strip()):
            yield Span(SECRET, m.start("secret"), m.end("secret"))


def _name_then_value(text: str) -> Iterator[Span]:
    at = 0
    while (m := _NAME_THEN_VALUE.search(text, at)) is not None:
        # "set("auth", "password", "…")": the value may be the name of the next pair.
        at = m.end("name")
        value = m.group("secret").strip()
        if (
            secret_name(m.group("name"))
            and value
            and not _not_a_value(value)
            and not _in_quoted_row(text, m.start())
        ):
            yield Span(SECRET, m.start("secret"), m.end("secret"))


# Round 14: a line of four quoted cells or more and nothing else is a CSV row (a password
# manager's header ""Username","Password","URL""), not a call's name and default.
_QUOTED_ROW = re.compile(r"""[ \t]*(?:"[^"\n]*"[ \t]*[,;\t][ \t]*){3,}"[^"\n]*"[ \t]*""")


def _in_quoted_row(text: str, at: int) -> bool:
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return _QUOTED_ROW.fullmatch(text, start, len(text) if end < 0 else end) is not None


def _name_value_pairs(text: str) -> Iterator[Span]:
    pairs = _hinted(_NAME_VALUE_PAIR, text, ("val", "secret"), text.lower())
    below = _hinted(_NEXT_LINE_VALUE, text, ("\n",))
    for pattern, found in ((_NAME_VALUE_PAIR, pairs), (_NEXT_LINE_VALUE, below)):
        for m in found:
            if not secret_name(m.group("name")):
                continue
            if pattern is _NEXT_LINE_VALUE and len(m.group("inner")) <= len(m.group("indent")):
                continue
            group = "quoted" if m.group("quoted") is not None else "bare"
            value = m.group(group).strip()
            if value.endswith(":") or _not_a_value(value):
                continue  # a nested mapping's key, a reference
            yield Span(SECRET, m.start(group), m.end(group))
            if group == "quoted":
                yield from _continued(text, m.end("quoted") + 1)


def _hinted(
    pattern: re.Pattern[str], text: str, hints: tuple[str, ...], seen: str = ""
) -> Iterator[re.Match[str]]:
    """``pattern``'s matches in ``text``, when ``seen`` (``text`` itself, or it in lower
    case) holds one of ``hints``: a substring search is far cheaper than a pattern tried
    at every position, and most texts hold none."""
    if any(h in (seen or text) for h in hints):
        yield from pattern.finditer(text)


def _called_secrets(text: str) -> Iterator[Span]:
    low = text.lower()
    for m in _hinted(_TRIPLE_QUOTED, text, ('"""', "'''")):
        if secret_name(m.group("name")) and not _not_a_value(m.group("secret").strip()):
            yield Span(SECRET, m.start("secret"), m.end("secret"))
    if "sig" in low:
        yield from (Span(SECRET, *m.span("secret")) for m in _SIGNATURE_PARAM.finditer(text))
    hints = ("login", "auth", "bind", "credential", "set_password", "jwt.")
    for m in _hinted(_LOGIN_CALL, text, hints, low):
        if not _not_a_value(m.group("secret").strip()):
            yield Span(SECRET, m.start("secret"), m.end("secret"))
    for m in _hinted(_ANNOTATED, text, (":",)):
        if secret_name(m.group("name")) and not _not_a_value(m.group("secret").strip()):
            yield Span(SECRET, m.start("secret"), m.end("secret"))
    for m in _hinted(_FALLBACK, text, ("||", "??", "or")):
        before = _FALLBACK_NAME.search(text, max(0, m.start() - 120), m.start())
        name = before and (before.group("key") or before.group("name"))
        if name and secret_name(name) and not _not_a_value(m.group("secret").strip()):
            yield Span(SECRET, m.start("secret"), m.end("secret"))


def _not_a_value(value: str) -> bool:
    # round 15: a path ends a directive with ";" ("ssl_certificate_key /etc/…/x.key;"); a
    # key shown cut short ("sk-...redacted", "ghp_…4f2a") is a mask
    reference = _REFERENCE.match(value) or _REFERENCE.match(value.rstrip(";"))
    reference = reference or _CUT_SHORT.match(value)
    return not value or _ONLY_MASK.match(value) is not None or reference is not None


def _continued(text: str, end: int) -> Iterator[Span]:
    """The parts of a quoted secret continued on the following lines (after ``end``,
    its closing quote)."""
    for _ in range(8):
        m = _CONTINUED_STRING.match(text, end)
        if m is None:
            return
        yield Span(SECRET, m.start(2), m.end(2))
        end = m.end()


def _named_secrets(text: str) -> Iterator[Span]:
    """Secrets whose name and value sit in a file format's own syntax (see above)."""
    yield from _code_secrets(text)
    for pattern in (_PHP_DEFINE, _HCL_VARIABLE, _XML_KEY_VALUE, _QUERY_PARAM, _PROPERTIES_SPACE):
        for m in pattern.finditer(text):
            value = m.group("secret").strip()
            if (
                secret_name(m.group("name"))
                and value
                and not _REFERENCE.match(value)
                and not _ONLY_MASK.match(value)
            ):
                yield Span(SECRET, m.start("secret"), m.end("secret"))
    yield from _spaced_secrets(text)
    for pattern in (_HTPASSWD, _SMB_USER):
        for m in pattern.finditer(text):
            if not _REFERENCE.match(m.group("secret")):
                yield Span(SECRET, m.start("secret"), m.end("secret"))


_NUMBER = re.compile(r"[+\-]?\d+(?:[.,]\d+)?(?:[eE][+\-]?\d+)?%?")


def _spaced_secrets(text: str) -> Iterator[Span]:
    """A name and its value parted by blanks, and the logins of a few commands (round 11)."""
    for m in _hinted(_SPACED_SETTING, text, (" ", "\t")):
        value = m.group("secret")
        # "secret_reads 88", "auth_latency_ms 12.5": a metric's name and its reading; nginx's
        # "proxy_pass http://app:9000": an upstream (a password in a URL is found apart)
        if _NUMBER.fullmatch(value) or "://" in value:
            continue
        if (
            secret_name(m.group("name"))
            and (_secret_like(value) or m.group("q"))
            and not _not_a_value(value)
            and not _call_or_attribute(value)
        ):
            yield Span(SECRET, m.start("secret"), m.end("secret"))
    low = text.lower()
    for pattern, hints in (
        (_SET_PASSWORD, ("password",)),
        (_ODBC_BRACED, ("pwd", "password")),
        (_POSITIONAL_LOGIN, ("rabbitmqctl", "mosquitto", "net", "ipmitool")),
        (_AUTH_FILE, ("auth", "login", "cred", "pass")),
        (_USERLIST_LINE, ("userlist", "pgbouncer")),
        (_NET_USE, ("net",)),
        (_ORACLE_LOGIN, ("oracle", "sqlplus", "sqlldr", "dp ", "rman", "exp", "imp")),
        (_SQL_PASSWORD, ("password",)),
        (_WPA_PASSPHRASE, ("wpa_passphrase",)),
        (_NETSH_KEY, ("key content",)),
        (_PIPED_SECRET, ("secret", "passw", "vault", "pass insert", "login")),
        (_HERE_STRING_SECRET, ("<<<",)),
        (_ESCAPED_JSON_SECRET, ('\\"',)),
    ):
        for m in _hinted(pattern, text, hints, low):
            if pattern is _ESCAPED_JSON_SECRET and not secret_name(m.group("name")):
                continue
            start = m.start("secret")
            if pattern is _PIPED_SECRET and "chpasswd" in m.group():
                start += m.group("secret").find(":") + 1  # "user:password", one a line
            if not _not_a_value(text[start : m.end("secret")]) and not _REFERENCE.match(
                m.group("secret")
            ):
                yield Span(SECRET, start, m.end("secret"))


# Round 16: wpa_supplicant's helper takes the network and its passphrase
# ("wpa_passphrase HomeNet 'S3cret!'"); Windows prints a saved Wi-Fi's key as
# "Key Content : …" (netsh wlan show profile … key=clear).
_WPA_PASSPHRASE = re.compile(
    r"""\bwpa_passphrase[ \t]+(?:"[^"\n]{1,64}"|'[^'\n]{1,64}'|\S{1,64})[ \t]+"""
    r"""(?P<q>["']?)(?P<secret>[^\s"'][^"'\n]{0,62}?)(?P=q)(?=[ \t]*(?:$|[|;&>\n]))""",
    re.M,
)
_NETSH_KEY = re.compile(r"(?im)\bkey[ \t]+content[ \t]*:[ \t]*(?P<secret>\S{1,200})[ \t]*$")
# A literal piped into a command that stores or uses a secret ("echo -n 'X' | docker
# secret create …", "printf '%s' 'X' | gh secret set …", "echo 'X' | docker login
# --password-stdin"), or given to it as a here-string ("… --data-file=- <<< 'X'").
_STORING_COMMAND = (
    r"(?:docker|podman)[ \t]+(?:secret[ \t]+create|login)|gcloud[ \t]+secrets|"
    r"gh[ \t]+secret[ \t]+set|(?:npx[ \t]+)?wrangler[ \t]+secret|flyctl?[ \t]+secrets|"
    r"vault[ \t]+(?:kv|write|login)|pass[ \t]+insert|chpasswd|passwd|kubectl[ \t]+create"
    r"[ \t]+secret|az[ \t]+keyvault|aws[ \t]+secretsmanager|doppler[ \t]+secrets|"
    r"[\w\-]+[ \t]+[^\n|]{0,80}--password-stdin"
)
_PIPED_SECRET = re.compile(
    r"""(?i)\b(?:echo|printf)(?:[ \t]+-[neE]{1,2})*(?:[ \t]+(?P<f>["'])%s\\?n?(?P=f))?"""
    r"""[ \t]+(?P<q>["'])(?P<secret>[^"'\n$]{4,200})(?P=q)[ \t]*\|[ \t]*(?:sudo[ \t]+)?"""
    r"(?:" + _STORING_COMMAND + r")"
)
_HERE_STRING_SECRET = re.compile(
    r"""(?i)\b(?:""" + _STORING_COMMAND + r""")[^\n]{0,200}?<<<[ \t]*"""
    r"""(?P<q>["'])(?P<secret>[^"'\n$]{4,200})(?P=q)"""
)
# JSON written inside a JSON string or a log line, its quotes escaped:
# "{\"password\":\"…\"}".
_ESCAPED_JSON_SECRET = re.compile(
    r'\\"(?P<name>[A-Za-z_][\w.\-]{0,80})\\"[ \t]*:[ \t]*'
    r'\\"(?P<secret>(?:[^"\\\n]|\\[^"]){1,400})\\"'
)


def _assignments(text: str) -> Iterator[re.Match[str]]:
    """Every assignment, also one inside the value of another: "client = Client(token=
    "…")" reads "client" first, whose bare value would swallow "token=" (round 8)."""
    at = 0
    while (m := _ASSIGNMENT.search(text, at)) is not None:
        yield m
        at = m.end() if secret_name(m.group("name")) else m.end("sep")


def _assigned_secrets(text: str) -> Iterator[Span]:
    """Values given to a secret's name: ``password = …``, ``token: …``, "the key is …"."""
    for m in _assignments(text):
        if not secret_name(m.group("name")):
            continue
        sep = m.group("sep").strip()
        if sep == "=" and _EMPTY_BEFORE_COMMAND.match(text, m.start("sep")):
            continue
        prose = sep not in (":", "=", ":=", "=>")
        line_value = not prose and m.group("scheme") is None and _line_start(text, m.start())
        where = _value_span(m, text, line_value=line_value)
        if where is None:
            continue
        value = text[where[0] : where[1]]
        if m.group("scheme") is not None and value.isalpha() and value.islower():
            continue  # "auth: token expired": a word after a scheme's name (round 10)
        if _assigned_no_secret(text, m, where):
            continue
        if prose and m.group("quoted") is None:
            where = (where[0], _trim_sentence_end(text, *where))
            if not _secret_like(text[where[0] : where[1]]):
                continue  # "the token is expired."
        yield Span(SECRET, *where)
        if m.group("quoted") is not None:
            yield from _continued(text, m.end())


# Round 15: what a secret's name is given that is no secret: a word that starts a log
# message ("auth: login attempt …", "auth: invalid password for …"), a constructor
# ("creds = new NetworkCredential(…)"), an installer's placeholder ("changeme"), a key
# shown cut short (see ``_not_a_value``), a name inside a template expression ("{{ lookup(…,
# 'secret=kv/data/db:password') }}") and a meeting's printed passcode.
_PLACEHOLDER_WORD = re.compile(r"(?i)change[\-_]?me|replace[\-_]?me|placeholder|dummy|fixme")
_CUT_SHORT = re.compile(r"(?i)^[\w\-]{0,12}(?:\.{3}|\u2026)[\w\-]{0,12}$")
_NEW_OR_AWAIT = re.compile(r"(?:new|await)[ \t]+[A-Za-z_]")


def _assigned_no_secret(text: str, m: re.Match[str], where: tuple[int, int]) -> bool:
    value = text[where[0] : where[1]].rstrip()
    bare = m.group("quoted") is None and m.group("scheme") is None
    call = re.fullmatch(r"[A-Za-z_][\w.]*\(", value) is not None
    if call or (value.startswith("<") and text.startswith(">", where[1])):
        return True  # "config.requireSecret(", "Bearer <YOUR_TOKEN>"
    lower_word = value.isalpha() and value.islower()
    sentence = re.match(r"[ \t]+[a-z]", text[where[1] :]) is not None
    if bare and m.group("sep").strip() == ":" and lower_word and sentence:
        return True  # a sentence after a colon, not a setting's value
    if bare and _NEW_OR_AWAIT.match(text, where[0]):
        return True
    if _PLACEHOLDER_WORD.fullmatch(value) or _CUT_SHORT.match(value):
        return True
    line = text.rfind("\n", 0, m.start()) + 1
    if text.count("{{", line, m.start()) > text.count("}}", line, m.start()):
        return True  # inside a template's expression
    name = m.group("name").lower()
    return name in ("passcode", "pin") and _MEETING_BEFORE.search(text, line, m.start()) is not None


def _flag_secrets(text: str) -> Iterator[Span]:
    """Values of a command line's secret flags: ``--password …``, ``-p…``."""
    for m in _CLI_FLAG.finditer(text):
        if secret_name(m.group("name")):
            where = _value_span(m, text, line_value=False)
            if where is not None and not text[where[0]].startswith("-"):
                yield Span(SECRET, *where)
    for m in _SHORT_PASSWORD_FLAG.finditer(text):
        where = _value_span(m, text, line_value=False)
        if where is not None:
            yield Span(SECRET, *where)
    yield from _tool_flag_secrets(text)


def _tool_flag_secrets(text: str) -> Iterator[Span]:
    """The value of a client's password flag (``sqlcmd … -P x``, ``7z a -px``)."""
    for tool in _TOOL.finditer(text):
        letters = next(f for t, f in _TOOL_PASSWORD_FLAGS if re.fullmatch(t, tool.group()))
        glued_ok = _GLUED_FLAG_TOOLS.fullmatch(tool.group()) is not None
        end = len(text)
        for stop in "\n|;&":
            at = text.find(stop, tool.end())
            end = min(end, len(text) if at == -1 else at)
        # Flags are read one after another, so "-S db -P x" reaches the "-P".
        at = tool.end()
        while (m := _SHORT_FLAG.search(text, at, end)) is not None:
            at = m.start() + 2
            if m.group("flag") not in letters or (m.group("glued") is not None and not glued_ok):
                continue
            where = _value_span(m, text, line_value=False)
            if where is not None:
                yield Span(SECRET, *where)


def _secret_like(value: str) -> bool:
    """A value said in prose ("my password is …") that is not an ordinary word."""
    return any(not c.isalpha() for c in value) or any(c.isupper() for c in value[1:])


# A random-looking token; it may start right after "=" (an assignment) or ":".
_TOKEN = re.compile(r"(?<![\w+/\-])[A-Za-z0-9+/_\-]{20,512}={0,2}(?![\w+/=\-])")


# The next line of a value wrapped by a terminal or an editor: one token of letters and
# digits (base64's "+/=" too), nothing else on the line.
_WRAPPED_LINE = re.compile(r"\n[ \t]*(?P<token>[A-Za-z0-9+/_\-.~]{3,400}=*)[ \t]*(?=\n|$)")
# The rest of a line after a one-word value: "password: Sunny Day 2024".
_MORE_WORDS = re.compile(r"(?:[ \t]+[^\s:=,;.!?()\[\]{}<>\"'`|#]{1,20}){1,4}[.!?]?[ \t]*(?=\n|$)")


def _value_tail(text: str, span: Span) -> Span | None:
    """The rest of a secret that a line break or blanks cut off (round 8): a token on the
    next line alone (a wrapped value), or the other words of a passphrase on its line."""
    value = text[span.start : span.end]
    wrapped = _WRAPPED_LINE.match(text, span.end)
    if wrapped is not None:
        token = wrapped.group("token")
        mixed = any(c.isdigit() for c in token) and any(c.isalpha() for c in token)
        if value.endswith(("-", "\\")) or (mixed and len(value) >= 4):
            return Span(SECRET, wrapped.start("token"), wrapped.end("token"))
    # Only after a colon ("wifi password: Sunny Day 2024"); a flag's value ends at a blank.
    if value.isalpha() and re.search(
        r"[:\uff1a][ \t]*$", text[max(0, span.start - 4) : span.start]
    ):
        more = _MORE_WORDS.match(text, span.end)
        if more is not None:
            end = _trim_sentence_end(text, span.end, more.end())
            if end > span.end and text[span.end : end].strip():
                return Span(SECRET, span.end, end)
    return None


def secrets(text: str) -> Iterator[Span]:
    for m in _KNOWN_SECRETS.finditer(text):
        # "sk_test_xxxxxxxxxxxxxxxx": a template's placeholder in a key's shape (round 10)
        if not _FILLER.search(m.group()):
            yield Span(SECRET, m.start(), m.end())
    for span in (*configured_secrets(text), *prose_secrets(text)):
        yield span
        tail = _value_tail(text, span)
        if tail is not None:
            yield tail
    public = [m.span() for m in _hinted(_PUBLIC_BLOCK, text, ("-----BEGIN",))]
    for m in _TOKEN.finditer(text):
        if not _named_not_secret(text, m) and not any(a <= m.start() < b for a, b in public):
            yield Span(SECRET, m.start(), m.end(), rank=ENTROPY_RANK)


# Eight "x" or "*" in a row: no generated key has them, a placeholder does
# ("sk_live_xxxxxxxx…", "ghp_********"); a PEM block is never read so.
_FILLER = re.compile(r"^(?!-----)[\s\S]*?([xX*\u2022])\1{7}")
# A certificate, a public key, a signature or a certificate request in PEM armour
# (round 10): published on purpose, so its base64 lines are no secret.
_PUBLIC_BLOCK = re.compile(
    r"-----BEGIN (?P<kind>(?:TRUSTED |X509 )?CERTIFICATE|(?:RSA |EC |DSA |SSH2 )?PUBLIC KEY|"
    r"(?:NEW )?CERTIFICATE REQUEST|X509 CRL|PGP PUBLIC KEY BLOCK|PGP SIGNATURE|PKCS7|CMS)"
    r"-----[\s\S]{1,20000}?-----END (?P=kind)-----"
)


def _named_not_secret(text: str, m: re.Match[str]) -> bool:
    """Whether the random-looking token ``m`` is something else: not random after all,
    a UUID, a content hash, a trace context, a public key, a path or a generated name."""
    token = m.group()
    if not looks_random(token.rstrip("=")) or _UUID.fullmatch(_ID_PREFIX.sub("", token)):
        return True  # "GPU-3b1e6c2a-…": a UUID, maybe with its kind in front
    # A commit, a checksum or an image digest: hex that names content, not a key.
    if _HEX.fullmatch(token) and _DIGEST_BEFORE.search(text, max(0, m.start() - 40), m.start()):
        return True
    # Round 10: a commit in a git refspec ("+3f9d…:refs/remotes/origin/main", what every
    # CI checkout prints) and a cloud resource's id ("subnet-0a1b2c3d4e5f60718",
    # "vol-049df61146c4d7901"): a kind, a dash and 8 or 17 hex digits.
    if _HEX.fullmatch(token.lstrip("+")) and text.startswith(":refs/", m.end()):
        return True
    if _CLOUD_ID.fullmatch(token) or _checksum_line(text, m):
        return True
    if _TRACEPARENT.fullmatch(token):
        return True  # a W3C trace context: version, trace id, span id, flags
    if _SRI.match(token):
        return True  # a subresource-integrity hash ("sha384-…") names a file's content
    if _PUBLIC_BEFORE.search(text, max(0, m.start() - 24), m.start()):
        return True  # a public key or its fingerprint: published on purpose
    # Round 12: a content hash after its scheme's tag, in base64 too (go.sum's and a
    # Terraform lock file's "h1:…=", "zh:…"), and a data: URI's inline content.
    if _HASH_SCHEME_BEFORE.search(text, max(0, m.start() - 8), m.start()):
        return True
    if _DATA_URI_BEFORE.search(text, max(0, m.start() - 80), m.start()):
        return True
    return _path_or_name(token)


def _checksum_line(text: str, m: re.Match[str]) -> bool:
    """Round 16: a line of a checksum tool's output ("<hex>  file.tar.gz", "<hex> *file"):
    the digest opens the line, two blanks or " *" and the file's name follow it."""
    token = m.group()
    return (
        _HEX.fullmatch(token) is not None
        and len(token) in (32, 40, 56, 64, 96, 128)
        and (m.start() == 0 or text[m.start() - 1] == "\n")
        and _CHECKSUM_FILE_AFTER.match(text, m.end()) is not None
    )


_CHECKSUM_FILE_AFTER = re.compile(r"(?:  | \*)[^\s][^\n]{0,250}$", re.M)
_HASH_SCHEME_BEFORE = re.compile(r"(?<![\w])(?:h1|zh|sha1|sha256|sha384|sha512|md5|blake2b):$")
_DATA_URI_BEFORE = re.compile(r"\bdata:[\w.+\-]{1,40}/[\w.+\-]{1,40}(?:;[\w\-]+=[\w\-]+)*;base64,$")


# A piece of a path or of a generated name: a word, a number, a short hex id, "v2", "7B".
# Round 10: also a short word in capitals, a capital and digits, a CamelCase word
# ("PIL", "V17", "ImageFile").
_NAME_PIECE = re.compile(
    r"[A-Z]?[a-z]+\d{0,3}|\d+[A-Za-z]?|[0-9a-f]{1,12}|[A-Z]{1,5}\d{0,3}|(?:[A-Z][a-z]+){2,3}"
)
_WORD_PIECE = re.compile(r"[A-Z]?[a-z]{3,}")


# A name written in camelCase of words and numbers ("sha256WithRSAEncryption").
_CAMEL_PIECE = re.compile(r"[A-Z]?[a-z]{2,}|[A-Z]{2,}(?![a-z])|\d+")


def _camel_name(token: str) -> bool:
    """ "sha256WithRSAEncryption", "getUserById2": words (three letters or more, or an
    acronym) and numbers glued in camelCase, as a program names things (round 10). A
    random token has pieces of one or two letters between its digits."""
    pieces = _CAMEL_PIECE.findall(token)
    if "".join(pieces) != token or len(pieces) < 3:
        return False
    words = [p for p in pieces if p.isalpha()]
    return len(words) >= 2 and all(len(w) >= 3 for w in words)


def _path_or_name(token: str) -> bool:
    """A path or a generated name ("pod/cart-service-7c8a30f9c-b9078",
    "12/site-packages/httpx/base", "dist/app-3"): pieces between "/", "-" and "_" that
    are words, numbers and short hex ids, two of them words. A key's random pieces are
    neither ("wJalrXUtnFEMI/K7MDENG/…")."""
    if _camel_name(token):
        return True
    pieces = [p for p in re.split(r"[/_\-]+", token) if p]
    # "TLS_AES_128_GCM_SHA256", "ERR_CONNECTION_RESET": a constant's name, parted by "_".
    if (
        "_" in token
        and not re.search(r"[/\-]", token)
        and len(pieces) >= 3
        and all(re.fullmatch(r"[A-Z]+\d*|\d+", p) for p in pieces)
    ):
        return True
    return (
        len(pieces) >= 3
        and all(_NAME_PIECE.fullmatch(p) for p in pieces)
        and sum(_WORD_PIECE.fullmatch(p) is not None for p in pieces) >= 2
    )


_CLOUD_ID = re.compile(r"[a-z]{1,8}-(?:[0-9a-f]{8}|[0-9a-f]{17})")
_TRACEPARENT = re.compile(r"[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}")
_ID_PREFIX = re.compile(r"^[A-Za-z]{1,12}[\-_]")
# "ssh-ed25519 AAAA…", "SHA256:Xq3b…" (an SSH key's fingerprint), "ecdsa-sha2-nistp256 …".
_PUBLIC_BEFORE = re.compile(
    r"(?:\b(?:ssh-(?:ed25519|rsa|dss)|ecdsa-sha2-nistp\d{3}|sk-ssh-ed25519@openssh\.com)[ \t]+"
    r"|\bSHA(?:256|384|512):)$"
)
_SRI = re.compile(r"sha(?:256|384|512)-[A-Za-z0-9+/]{40,90}={0,2}$")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_HEX = re.compile(r"[0-9a-fA-F]+")
_DIGEST_BEFORE = re.compile(
    r"(?i)(?:commit|sha(?:1|224|256|384|512)?(?:sum)?|hash|checksum|digest|md5(?:sum)?|"
    r"revision|rev|merge|cherry-pick|revert|blob|tree|etag|@sha256|"
    # ids of a request's trace in logs: they name an event, not a credential
    r"trace[_\-]?id|span[_\-]?id|request[_\-]?id|correlation[_\-]?id|x-request-id|"
    r"traceparent|parent[_\-]?id|event[_\-]?id|message[_\-]?id|build[_\-]?id|"
    # hex after the kind of thing it names: "container 3f4e…", "trace 4bf9…", "event …"
    r"container|image|layer|event|trace|span|job|run|task|object|node|volume|instance)"
    # "MD5("") = …": a test vector's input between the name and the value
    # (round 11: a checksum tool's columns, "md5     4f9b…", have more blanks)
    r"(?:\([^()\n]{0,24}\))?[\s:=#@\-\"']{0,8}$"
)


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


# Patterns that scan whole texts, behind a test of the literals their matches need
# (see prefilter.py): most texts hold none, and the test costs far less than a scan.
_KNOWN_SECRETS = guarded(_KNOWN_SECRETS)
_SPELLED_EMAIL = guarded(_SPELLED_EMAIL)
_PGPASS = guarded(_PGPASS)
_PROSE_LOGIN = guarded(_PROSE_LOGIN)
_HTPASSWD = guarded(_HTPASSWD)
_CURL_USER = guarded(_CURL_USER)
_HCL_VARIABLE = guarded(_HCL_VARIABLE)
_SERVICE_URI = guarded(_SERVICE_URI)
_TOOL = guarded(_TOOL)
_PROSE_NOUN_ONLY = guarded(_PROSE_NOUN_ONLY)
_PROSE_SECRET = guarded(_PROSE_SECRET)
_VALUE_THEN_NOUN = guarded(_VALUE_THEN_NOUN)
_BARE_CODE = guarded(_BARE_CODE)
_SHORT_PASSWORD_FLAG = guarded(_SHORT_PASSWORD_FLAG)
_SQL_IDENTIFIED = guarded(_SQL_IDENTIFIED)
_USERINFO = guarded(_USERINFO)
_BEARER = guarded(_BEARER)
_PHP_DEFINE = guarded(_PHP_DEFINE)
_EXT_AFTER_NUMBER = guarded(_EXT_AFTER_NUMBER)
