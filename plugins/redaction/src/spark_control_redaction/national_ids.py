"""National identity and tax numbers other than the US SSN, found as ``SSN``.

Each number is kept only when its own check digit holds; a number whose shape is common
(nine or eleven bare digits) also needs its label just before it ("SIN", "BSN",
"Steuer-ID", "PESEL"…). Shapes with letters or punctuation of their own (a British
National Insurance number in pairs, a Brazilian CPF, an Italian codice fiscale) are
distinctive enough with their check alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

from spark_control_redaction.entities import SSN, Span
from spark_control_redaction.prefilter import guarded
from spark_control_redaction.validators import luhn_ok

# The label may stand a few words before the number ("SIN on file: …", "NAS) : …").
_GAP = r"[^\n\d]{0,24}$"


_LABELS: list[str] = []


def _labelled(pattern: str) -> re.Pattern[str]:
    _LABELS.append(pattern)
    return re.compile(r"(?i)(?<![\w])(?:" + pattern + r")(?![\w])" + _GAP)


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


# --- check digits ---


def _nino_ok(value: str) -> bool:
    """UK National Insurance number: prefixes HMRC never issues are out."""
    letters = value[:2].upper()
    return letters not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"} and letters[1] != "O"


def _dni_ok(value: str) -> bool:
    """Spanish DNI or NIE: the letter is the number mod 23."""
    compact = re.sub(r"[\s\-]", "", value).upper()
    body = compact[:-1].replace("X", "0").replace("Y", "1").replace("Z", "2")
    return body.isdigit() and "TRWAGMYFPDXBNJZSQVHLCKE"[int(body) % 23] == compact[-1]


def _steuer_id_ok(value: str) -> bool:
    """German tax id (Steuer-ID): ISO 7064 MOD 11,10, first digit not 0."""
    d = _digits(value)
    if len(d) != 11 or d[0] == "0":
        return False
    product = 10
    for c in d[:10]:
        total = (int(c) + product) % 10 or 10
        product = (total * 2) % 11
    return (11 - product) % 10 == int(d[10])


def _bsn_ok(value: str) -> bool:
    """Dutch BSN: the 11-test, the last digit weighted -1."""
    d = _digits(value)
    if len(d) != 9:
        return False
    total = sum(int(c) * w for c, w in zip(d[:8], range(9, 1, -1), strict=True))
    return (total - int(d[8])) % 11 == 0 and len(set(d)) > 1


def _cpf_ok(value: str) -> bool:
    """Brazilian CPF: two mod-11 check digits."""
    d = [int(c) for c in _digits(value)]
    if len(d) != 11 or len(set(d)) == 1:
        return False
    for n in (9, 10):
        total = sum(v * w for v, w in zip(d[:n], range(n + 1, 1, -1), strict=True))
        if (total * 10) % 11 % 10 != d[n]:
            return False
    return True


def _pesel_ok(value: str) -> bool:
    """Polish PESEL: weights 1 3 7 9, repeated."""
    d = [int(c) for c in _digits(value)]
    if len(d) != 11:
        return False
    weights = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)
    return (10 - sum(v * w for v, w in zip(d, weights, strict=False)) % 10) % 10 == d[10]


# the value of each letter or digit (by its place in A-Z, 0-9) at an odd position
_CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25,
           24, 23]  # fmt: skip


def _codice_fiscale_ok(value: str) -> bool:
    """Italian codice fiscale: the last letter checks the first fifteen characters."""
    v = value.upper()
    total = 0
    for i, c in enumerate(v[:15]):
        n = int(c) if c.isdigit() else ord(c) - 65
        total += _CF_ODD[n] if i % 2 == 0 else n
    return chr(65 + total % 26) == v[15]


def _personnummer_ok(value: str) -> bool:
    """Swedish personnummer: Luhn over YYMMDDNNNC, a real month and day."""
    d = _digits(value)[-10:]
    month, day = int(d[2:4]), int(d[4:6]) % 60  # (a samordningsnummer adds 60 to the day)
    return 1 <= month <= 12 and 1 <= day <= 31 and luhn_ok(d)


def _nir_ok(value: str) -> bool:
    """French NIR (numéro de sécurité sociale): key = 97 - (13 digits mod 97); Corsica's
    2A/2B departments count as 19/18."""
    v = re.sub(r"\s", "", value).upper()
    body, key = v[:13], v[13:]
    body = body.replace("2A", "19").replace("2B", "18")
    return body.isdigit() and key.isdigit() and 97 - int(body) % 97 == int(key)


_VERHOEFF_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]  # fmt: skip
_VERHOEFF_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2], [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]  # fmt: skip


def _aadhaar_ok(value: str) -> bool:
    """Indian Aadhaar: Verhoeff's check, never starting with 0 or 1."""
    d = _digits(value)
    if len(d) != 12 or d[0] in "01":
        return False
    check = 0
    for i, c in enumerate(reversed(d)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[i % 8][int(c)]]
    return check == 0


def _cn_id_ok(value: str) -> bool:
    """Chinese resident identity number: ISO 7064 MOD 11-2 and a real birth date."""
    v = value.upper()
    try:
        date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return False
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(v[:17], weights, strict=True))
    return "10X98765432"[total % 11] == v[17]


def _itin_ok(value: str) -> bool:
    """US ITIN: 9, then a group of 50-65, 70-88, 90-92 or 94-99."""
    d = _digits(value)
    group = int(d[3:5])
    return d[0] == "9" and (50 <= group <= 65 or 70 <= group <= 88 or group in (90, 91, 92))


# --- shapes: (pattern, check, label needed before it, or None) ---

_RULES: list[tuple[re.Pattern[str], Callable[[str], bool], re.Pattern[str] | None]] = [
    # "AB 12 34 56 C" in pairs; "AB123456C" only after its label
    (
        re.compile(r"(?<![\w])[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] \d{2} \d{2} \d{2} [A-D](?![\w])"),
        _nino_ok,
        None,
    ),
    (
        re.compile(r"(?<![\w])[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D](?![\w])"),
        _nino_ok,
        _labelled(r"(?-i:NINO|NI)(?:\s*(?:no|number|num|#))?\.?|national\s+insurance(?:\s+\w+)?"),
    ),
    # Canada's SIN / NAS
    (
        re.compile(r"(?<![\w\-.])\d{3}([ \-]?)\d{3}\1\d{3}(?![\w\-.])"),
        lambda v: luhn_ok(_digits(v)) and _digits(v)[0] not in "08",
        _labelled(r"(?-i:SIN|NAS)|social\s+insurance(?:\s+\w+)?|assurance\s+sociale"),
    ),
    # Spain's DNI and NIE (the check letter is enough with a label)
    (
        re.compile(r"(?<![\w\-])(?:\d{8}|[XYZ][ \-]?\d{7})[ \-]?[A-Z](?![\w\-])"),
        _dni_ok,
        _labelled(r"(?-i:DNI|D\.N\.I\.|NIE|N\.I\.E\.|NIF|N\.I\.F\.)|documento(?:\s+\w+){0,3}"),
    ),
    # Germany's Steuer-ID
    (
        re.compile(r"(?<![\w\-.])\d{2} ?\d{3} ?\d{3} ?\d{3}(?![\w\-.])"),
        _steuer_id_ok,
        _labelled(
            r"Steuer-?ID|Steuer-?IdNr\.?|IdNr\.?|Steuer-?Identifikationsnummer|"
            r"(?:steuerliche\s+)?Identifikationsnummer|(?-i:TIN)"
        ),
    ),
    # the Netherlands' BSN
    (
        re.compile(r"(?<![\w\-.])\d{4}\.?\d{2}\.?\d{3}(?![\w\-.])|(?<![\w\-.])\d{9}(?![\w\-.])"),
        _bsn_ok,
        _labelled(r"BSN|burgerservicenummer|sofinummer|sofi-nummer"),
    ),
    # Brazil's CPF: its dots and dash are enough; bare digits after "CPF"
    (re.compile(r"(?<![\w.\-])\d{3}\.\d{3}\.\d{3}-\d{2}(?![\w\-]|\.\d)"), _cpf_ok, None),
    (re.compile(r"(?<![\w.\-])\d{11}(?![\w\-]|\.\d)"), _cpf_ok, _labelled(r"CPF")),
    # Poland's PESEL
    (re.compile(r"(?<![\w.\-])\d{11}(?![\w\-]|\.\d)"), _pesel_ok, _labelled(r"PESEL")),
    # Italy's codice fiscale
    (
        re.compile(r"(?<![\w])[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z](?![\w])", re.I),
        _codice_fiscale_ok,
        None,
    ),
    # Sweden's personnummer
    (
        re.compile(r"(?<![\w\-.])(?:19|20)?\d{6}[\-+]\d{4}(?![\w\-])"),
        _personnummer_ok,
        _labelled(r"personnummer|personnr\.?|pnr\.?|samordningsnummer"),
    ),
    # France's NIR: its spaced form is enough, 15 bare digits after its label
    (
        re.compile(
            r"(?<![\w])[12] ?\d{2} ?(?:0[1-9]|1[0-2]|[2-9]\d) ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}"
            r"(?![\w])"
        ),
        _nir_ok,
        _labelled(
            r"(?-i:NIR|INSEE)|n°\s*(?:de\s+)?(?:SS|sécu(?:rité sociale)?)|sécurité\s+sociale|"
            r"num[ée]ro\s+(?:de\s+)?s[ée]cu(?:rit[ée]\s+sociale)?|carte\s+vitale"
        ),
    ),
    # India's Aadhaar
    (
        re.compile(r"(?<![\w\-.])\d{4}([ \-]?)\d{4}\1\d{4}(?![\w\-.])"),
        _aadhaar_ok,
        _labelled(r"Aadhaa?r(?:\s+\w+)?|(?-i:UIDAI|UID)|आधार(?:\s+\S+)?"),
    ),
    # China's resident identity number: eighteen characters, a birth date and a check
    (re.compile(r"(?<![\w])\d{17}[\dXx](?![\w])"), _cn_id_ok, None),
    # US ITIN (the SSN pattern leaves out the 9xx area)
    (
        re.compile(r"(?<![\d\-])9\d{2}([\- ]?)\d{2}\1\d{4}(?![\d\-])"),
        _itin_ok,
        _labelled(r"(?-i:ITIN|TIN|SSN(?:/ITIN)?)|taxpayer(?:\s+\w+){0,2}"),
    ),
]


_DIGIT = re.compile(r"\d")
# Any of the labels anywhere: most texts have none, and then only the shapes that need no
# label are tried (one search instead of one per labelled shape).
_ANY_LABEL = guarded(re.compile(r"(?i)(?<![\w])(?:" + "|".join(_LABELS) + r")(?![\w])"))


def national_ids(text: str) -> Iterator[Span]:
    """Identity and tax numbers of other countries, by their check digit (and label)."""
    if not _DIGIT.search(text):
        return
    labelled = _ANY_LABEL.search(text) is not None
    for pattern, check, label in _RULES:
        if label is not None and not labelled:
            continue
        for m in pattern.finditer(text):
            if not check(m.group()):
                continue
            if label is not None and not label.search(text, max(0, m.start() - 60), m.start()):
                continue
            yield Span(SSN, m.start(), m.end())
