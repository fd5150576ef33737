"""Turn the hand-written texts of this folder into ``rulecases.jsonl``,
``round11_heldback.jsonl``, ``round12_heldback.jsonl``, ``round13_heldback.jsonl``,
``round14_heldback.jsonl``, ``round14_secrets_heldback.jsonl``,
``round15_heldback.jsonl``, ``round15_secrets_heldback.jsonl``,
``round16_phones_heldback.jsonl``, ``round16_rules_heldback.jsonl`` and
``round16b_phones_heldback.jsonl``.

    uv run python bench/redaction/rulecases/build.py

Each ``*.txt`` file holds records: a header line ``@@@ <id> <kind> <class>`` and the
text below it, up to the next header. A gold value is marked where it stands,
``⟦P|+44 20 7946 0958⟧`` (P phone, S secret, N person, E e-mail, I IBAN, C card,
D SSN, M MAC address, A IP address, U URL); ``{NBSP}``,
``{NNBSP}`` stand for U+00A0 and U+202F. The markup is only parsed here: no value is
generated, drawn or looked up, and nothing is imported from the detector.

The output has the format of ``../independent/corpus.jsonl`` (``id``, ``kind``,
``negative``, ``tags``, ``text``, ``spans``), so ``../independent/score.py --corpus``
scores it. Its last tag is the text's id: ``score.py --slice`` then holds back a text
when the sha256 of its id starts with an even hex digit (the rule fixed for the
independent corpus before any text here was scored).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUTPUTS = {
    "rulecases.jsonl": ("phones.txt", "secrets.txt", "negatives.txt"),
    # Round 11's held-back set: scored once, whole, never split or read while tuning.
    "round11_heldback.jsonl": (
        "round11_phones.txt",
        "round11_secrets.txt",
        "round11_other.txt",
        "round11_negatives.txt",
    ),
    # Round 12's held-back set: whole documents, scored once, never read while tuning.
    "round12_heldback.jsonl": (
        "round12_docs_a.txt",
        "round12_docs_b.txt",
        "round12_docs_c.txt",
    ),
    # Round 13's held-back set: secrets said in prose, scored once, never read while tuning.
    "round13_heldback.jsonl": (
        "round13_secrets.txt",
        "round13_negatives.txt",
    ),
    # Round 14's held-back set: phones as people write them, scored once, never read while tuning.
    "round14_heldback.jsonl": (
        "round14_phones.txt",
        "round14_negatives.txt",
    ),
    # Round 14's held-back set: secrets of every kind, scored once, never read while tuning.
    "round14_secrets_heldback.jsonl": (
        "round14_secrets.txt",
        "round14_secrets_negatives.txt",
    ),
    # Round 15's held-back set: phones in directories, rosters, logs and footers, scored once.
    "round15_heldback.jsonl": (
        "round15_phones.txt",
        "round15_negatives.txt",
    ),
    # Round 15's held-back set: secrets where people paste them, scored once, never read
    # while tuning.
    "round15_secrets_heldback.jsonl": (
        "round15_secrets.txt",
        "round15_secrets_negatives.txt",
    ),
    # Round 16's held-back set: phones in signatures, tickets, logs, data files, forms and
    # other scripts' digits, with look-alike negatives; scored once, never read while tuning.
    "round16_phones_heldback.jsonl": ("round16_phones.txt",),
    # Round 16's held-back set: secrets and the other rule types, scored once, never read
    # while tuning.
    "round16_rules_heldback.jsonl": (
        "round16_rules.txt",
        "round16_rules_negatives.txt",
    ),
    # Round 16b's held-back set: phones in ads, voicemail, forms, exports and 20+ languages,
    # with look-alikes; scored once before and once after tuning, never read while tuning.
    "round16b_phones_heldback.jsonl": ("round16b_phones.txt",),
}
TYPES = {
    "P": "PHONE",
    "S": "SECRET",
    "N": "PERSON",
    "E": "EMAIL",
    "I": "IBAN",
    "C": "CREDIT_CARD",
    "D": "SSN",
    "M": "MAC_ADDRESS",
    "A": "IP_ADDRESS",
    "U": "URL",
}
HEADER = re.compile(r"^@@@ (\S+) (\S+) (\S+)$")
MARK = re.compile(r"⟦([A-Z])\|(.*?)⟧", re.DOTALL)
ESCAPES = {"{NBSP}": "\u00a0", "{NNBSP}": "\u202f"}


def unescape(s: str) -> str:
    for k, v in ESCAPES.items():
        s = s.replace(k, v)
    return s


def parse_text(raw: str) -> tuple[str, list[dict[str, Any]]]:
    """The plain text and its gold spans."""
    out: list[str] = []
    spans: list[dict[str, Any]] = []
    pos = 0
    length = 0
    for m in MARK.finditer(raw):
        before = unescape(raw[pos : m.start()])
        out.append(before)
        length += len(before)
        value = unescape(m.group(2))
        spans.append(
            {"start": length, "end": length + len(value), "type": TYPES[m.group(1)], "value": value}
        )
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(unescape(raw[pos:]))
    text = "".join(out)
    if "⟦" in text or "⟧" in text:
        raise ValueError(f"unbalanced markup in {raw[:60]!r}")
    return text, spans


def records(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    head: re.Match[str] | None = None
    body: list[str] = []

    def flush() -> None:
        if head is None:
            return
        text, spans = parse_text("\n".join(body).rstrip("\n"))
        rid, kind, klass = head.groups()
        rows.append(
            {
                "id": rid,
                "kind": kind,
                "negative": not spans,
                "tags": [path.stem, klass, rid],
                "text": text,
                "spans": spans,
            }
        )

    for line in path.read_text(encoding="utf-8").splitlines():
        m = HEADER.match(line)
        if m:
            flush()
            head, body = m, []
        else:
            body.append(line)
    flush()
    return rows


def build(sources: tuple[str, ...]) -> list[dict[str, Any]]:
    rows = [r for name in sources for r in records(HERE / name)]
    ids = [r["id"] for r in rows]
    if len(ids) != len(set(ids)):
        raise ValueError("duplicate id")
    for r in rows:
        for s in r["spans"]:
            assert r["text"][s["start"] : s["end"]] == s["value"]
    return rows


def main() -> None:
    for name, sources in OUTPUTS.items():
        rows = build(sources)
        (HERE / name).write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
        )
        print(f"{len(rows)} texts, {sum(r['negative'] for r in rows)} negative -> {name}")


if __name__ == "__main__":
    main()
