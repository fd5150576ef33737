"""Write ``third.jsonl``, the third frozen check set of issue 21 (round 16), from the
hand-written texts of ``third_texts_*.py``.

    uv run python bench/redaction/third/build_third.py

Every text is literal and written once (no template filled N times, no generator shared
with the detector or the other sets, no fake-data library, no name list from a package).
A value is marked where it stands, ``[[X:value]]``:

    P PERSON  O ORG  L LOCATION  E EMAIL  T PHONE  C CREDIT_CARD  S SSN  I IBAN
    A IP_ADDRESS  U URL  M MAC_ADDRESS  K SECRET

A text may also list values instead of marking them (a fourth element, ``{"P": ["Rose
Thackeray", "Rose"], "E": [...]}``): every occurrence of a listed value (whole words,
longest value first, not inside a span already made) is then labelled, and a listed
value that does not occur is an error. ``[[=word]]`` writes a word that is deliberately
left unlabelled although a labelled value spells it too (the verb ``will`` in a chat
whose speaker is ``will``). Two things are computed here and nowhere written by hand:
a card's last digit (``?`` in a ``C`` mark, the Luhn check) and an IBAN's two check
digits (``??`` after the country code, ISO 13616 mod 97). The script refuses a text where
a labelled value, or a word of three letters or more of a labelled person, also stands
unmarked (every occurrence is labelled), a negative with a mark, or a positive without
one.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

OUT = HERE / "third.jsonl"
MODULES = (
    "third_texts_mail",
    "third_texts_talk",
    "third_texts_config",
    "third_texts_records",
    "third_texts_extra",
    "third_texts_negatives",
)
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
MARK = re.compile(r"\[\[([POLETCSIAUMK=]):?(.+?)\]\]", re.DOTALL)


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


def iban_ok(iban: str) -> bool:
    s = "".join(c for c in iban if c.isalnum()).upper()
    moved = s[4:] + s[:4]
    return len(s) >= 15 and int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _with_luhn(value: str) -> str:
    """Replace the one ``?`` of a card number by its Luhn check digit."""
    for d in "0123456789":
        if luhn_ok(value.replace("?", d)):
            return value.replace("?", d)
    raise ValueError(value)


def _with_iban_check(value: str) -> str:
    """Replace ``??`` after the country code by the ISO 13616 check digits."""
    compact = "".join(c for c in value if c.isalnum() or c == "?").upper().replace("??", "00")
    moved = compact[4:] + compact[:4]
    check = 98 - int("".join(str(int(c, 36)) for c in moved)) % 97
    return value.replace("??", f"{check:02d}", 1)


def strip(marked: str) -> tuple[str, list[dict[str, Any]], list[tuple[int, int]]]:
    """The plain text, its spans, and the places of deliberately unlabelled words."""
    out: list[str] = []
    spans: list[dict[str, Any]] = []
    escaped: list[tuple[int, int]] = []
    pos = length = 0
    for m in MARK.finditer(marked):
        out.append(marked[pos : m.start()])
        length += m.start() - pos
        code, value = m.group(1), m.group(2)
        if code == "C":
            value = _with_luhn(value)
        elif code == "I":
            value = _with_iban_check(value)
        if code == "=":
            escaped.append((length, length + len(value)))
        else:
            spans.append(
                {"start": length, "end": length + len(value), "type": TYPES[code], "value": value}
            )
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), spans, escaped


def label_listed(
    text: str,
    spans: list[dict[str, Any]],
    escaped: list[tuple[int, int]],
    listed: dict[str, list[str]],
) -> list[str]:
    """Add a span for every occurrence of a listed value; name the values never found."""
    taken = [(int(s["start"]), int(s["end"])) for s in spans] + escaped
    missing = []
    pairs = sorted(((v, c) for c, vs in listed.items() for v in vs), key=lambda p: -len(p[0]))
    for value, code in pairs:
        found = False
        for m in re.finditer(rf"(?<!\w){re.escape(value)}(?!\w)", text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                found = found or any(s["value"] == value and s["start"] == m.start() for s in spans)
                continue
            spans.append({"start": m.start(), "end": m.end(), "type": TYPES[code], "value": value})
            taken.append((m.start(), m.end()))
            found = True
        if not found:
            missing.append(value)
    spans.sort(key=lambda s: int(s["start"]))
    return missing


def unlabelled(text: str, spans: list[dict[str, Any]], escaped: list[tuple[int, int]]) -> list[str]:
    """Labelled values, and words of labelled people, that also stand outside every span."""
    covered = [(int(s["start"]), int(s["end"])) for s in spans] + escaped
    wanted = {str(s["value"]) for s in spans}
    wanted |= {
        w for s in spans if s["type"] == "PERSON" for w in re.findall(r"\w{3,}", str(s["value"]))
    }
    bad = []
    for w in sorted(wanted):
        for m in re.finditer(rf"(?<!\w){re.escape(w)}(?!\w)", text):
            if not any(a <= m.start() < b for a, b in covered):
                bad.append(w)
    return bad


def build() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    seen: set[str] = set()
    counts: Counter[str] = Counter()
    for name in MODULES:
        module = importlib.import_module(name)
        for entry in module.TEXTS:
            kind, tags, marked = entry[:3]
            negative = name.endswith("negatives")
            counts[kind] += 1
            text, spans, escaped = strip(marked)
            listed = entry[3] if len(entry) > 3 else {}
            ident = f"t3{'n' if negative else 'p'}-{kind}-{counts[kind]:02d}"
            problems += [
                f"{ident}: {v!r} listed, not found"
                for v in label_listed(text, spans, escaped, listed)
            ]
            if text in seen:
                problems.append(f"{ident}: the same text twice")
            seen.add(text)
            if negative and spans:
                problems.append(f"{ident}: a negative with marks")
            if not negative and not spans:
                problems.append(f"{ident}: a positive without marks")
            problems += [f"{ident}: {w!r} unlabelled" for w in unlabelled(text, spans, escaped)]
            for s in spans:
                if s["type"] == "CREDIT_CARD" and not luhn_ok(s["value"]):
                    problems.append(f"{ident}: card fails Luhn")
                if s["type"] == "IBAN" and not iban_ok(s["value"]):
                    problems.append(f"{ident}: IBAN fails mod 97")
            rows.append(
                {
                    "id": ident,
                    "kind": kind,
                    "negative": negative,
                    "tags": [*tags.split(), "third", kind],
                    "text": text,
                    "spans": spans,
                }
            )
    if problems:
        raise ValueError("\n".join(problems))
    return rows


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    types = Counter(s["type"] for r in rows for s in r["spans"])
    kinds = Counter((r["kind"], r["negative"]) for r in rows)
    n_neg = sum(1 for r in rows if r["negative"])
    print(f"{len(rows)} texts ({len(rows) - n_neg} with personal data, {n_neg} without)")
    print(f"{sum(types.values())} spans: " + ", ".join(f"{t} {n}" for t, n in types.most_common()))
    print(
        "kinds: "
        + ", ".join(f"{k}{' (neg)' if n else ''} {c}" for (k, n), c in sorted(kinds.items()))
    )


if __name__ == "__main__":
    main()
