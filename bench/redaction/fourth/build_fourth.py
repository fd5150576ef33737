"""Write the fourth redaction set, a tuning set of round 16 (issue 21), from the
hand-written texts in ``r16fourth_texts_*.py``.

    uv run python bench/redaction/fourth/build_fourth.py

The texts are literal (no generator, no fake-data library, no name list, nothing
from the detector). A value is marked where it stands, ``[[X:value]]``, with X one of
P PERSON, O ORG, L LOCATION, E EMAIL, T PHONE, C CREDIT_CARD, S SSN, I IBAN,
A IP_ADDRESS, U URL, M MAC_ADDRESS, K SECRET. A card written with a trailing ``?``
gets its Luhn digit here, an IBAN written with ``??`` after the country its mod-97
check digits. This script strips the marks into spans and refuses a text where a
marked value, or a word of a marked name, also stands unmarked (every occurrence of a
value is labelled), a negative with a mark, or a positive without one.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import r16fourth_texts_a  # noqa: E402
import r16fourth_texts_b  # noqa: E402
import r16fourth_texts_c  # noqa: E402
import r16fourth_texts_n  # noqa: E402

OUT = HERE / "fourth.jsonl"
TYPES = {
    "P": "PERSON",
    "O": "ORG",
    "L": "LOCATION",
    "E": "EMAIL",
    "T": "PHONE",
    "C": "CREDIT_CARD",
    "S": "SSN",
    "I": "IBAN",
    "A": "IP_ADDRESS",
    "U": "URL",
    "M": "MAC_ADDRESS",
    "K": "SECRET",
}
MARK = re.compile(r"\[\[([POLETCSIAUMK]):(.+?)\]\]", re.S)


def luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return len(digits) >= 12 and total % 10 == 0


def with_luhn(card: str) -> str:
    """``card`` ends in ``?``; the digit that makes it pass Luhn replaces it."""
    for d in "0123456789":
        if luhn_ok(card[:-1] + d):
            return card[:-1] + d
    raise ValueError(card)


def iban_ok(iban: str) -> bool:
    s = iban.replace(" ", "")
    s = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in s)) % 97 == 1


def with_iban_check(iban: str) -> str:
    """``iban`` has ``??`` after its country code; the mod-97 check digits replace it."""
    bban = iban[4:].replace(" ", "")
    n = int("".join(str(int(c, 36)) for c in bban + iban[:2] + "00"))
    return f"{iban[:2]}{98 - n % 97:02d}{iban[4:]}"


def strip(marked: str) -> tuple[str, list[dict[str, object]]]:
    out: list[str] = []
    spans: list[dict[str, object]] = []
    pos = length = 0
    for m in MARK.finditer(marked):
        out.append(marked[pos : m.start()])
        length += m.start() - pos
        typ, value = TYPES[m.group(1)], m.group(2)
        if typ == "CREDIT_CARD" and value.endswith("?"):
            value = with_luhn(value)
        if typ == "IBAN" and value[2:4] == "??":
            value = with_iban_check(value)
        spans.append({"start": length, "end": length + len(value), "type": typ, "value": value})
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), spans


def unmarked(text: str, spans: list[dict[str, object]]) -> list[str]:
    """Marked values, and words of marked names (three letters or more), that also
    stand outside every span."""
    covered = [(int(str(s["start"])), int(str(s["end"]))) for s in spans]
    needles = {str(s["value"]) for s in spans}
    needles |= {
        w for s in spans if s["type"] == "PERSON" for w in re.findall(r"\w{3,}", str(s["value"]))
    }
    bad = []
    for w in sorted(needles):
        for m in re.finditer(rf"(?<!\w){re.escape(w)}(?!\w)", text):
            if not any(a <= m.start() < b for a, b in covered):
                bad.append(w)
    return bad


def build() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    counts: dict[str, int] = {}
    problems = []
    sources = (
        (False, r16fourth_texts_a.POSITIVES),
        (False, r16fourth_texts_b.POSITIVES),
        (False, r16fourth_texts_c.POSITIVES),
        (True, r16fourth_texts_n.NEGATIVES),
    )
    for negative, items in sources:
        for kind, tags, marked in items:
            counts[kind] = counts.get(kind, 0) + 1
            text, spans = strip(marked)
            rid = f"f4{'n' if negative else 'p'}-{kind}-{counts[kind]:02d}"
            if negative == bool(spans):
                problems.append(f"{rid}: negative={negative} with {len(spans)} marks")
            problems += [f"{rid}: {w!r} unmarked" for w in unmarked(text, spans)]
            problems += [f"{rid}: markup left" for _ in re.finditer(r"\[\[[A-Z]:", text)]
            rows.append(
                {
                    "id": rid,
                    "kind": kind,
                    "negative": negative,
                    "tags": [*tags, "round16", "fourth", "tuning"],
                    "text": text,
                    "spans": spans,
                }
            )
    if problems:
        raise SystemExit("\n".join(problems))
    return rows


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    neg = sum(1 for r in rows if r["negative"])
    print(f"{len(rows)} texts ({len(rows) - neg} with personal data, {neg} without) -> {OUT.name}")


if __name__ == "__main__":
    main()
