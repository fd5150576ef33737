"""Write the held-back sets of rounds 12 to 16 from their hand-written texts:
``round12_people.jsonl`` from ``round12_texts.py``, ``round13_lower.jsonl`` from
``round13_texts.py``, ``round14_heldback.jsonl`` from ``round14_texts.py``,
``round15_heldback.jsonl`` from ``round15_texts.py``, ``round16_heldback.jsonl`` from
``round16_texts.py``, ``round16_r16latin.jsonl`` from ``round16_r16latin_texts.py``,
``round16_r16scripts.jsonl`` from ``round16_r16scripts_texts.py``,
``round16_addr.jsonl`` from ``round16_addr_texts.py``.

    uv run python bench/redaction/negatives/build_marked.py

The texts are literal (no generator, no fake-data library, nothing from the detector);
a value is marked where it stands, ``[[P:name]]`` (PERSON), ``[[L:…]]`` (LOCATION),
``[[O:…]]`` (ORG), ``[[E:…]]`` (EMAIL), ``[[T:…]]`` (PHONE), ``[[I:…]]`` (IBAN). This
script only strips the marks into spans and refuses a text where a word of a marked name
also stands unmarked (every occurrence of a value must be labelled).
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# round (its number, with a name where a round wrote more than one set; the ids and the
# round's tag carry it) -> (module of its texts, the file written, the file of its texts
# with people if they are written apart, like round 11's pair)
ROUNDS: dict[str, tuple[str, str, str | None]] = {
    "12": ("round12_texts", "round12_people.jsonl", None),
    "13": ("round13_texts", "round13_lower.jsonl", None),
    "14": ("round14_texts", "round14_heldback.jsonl", "round14_positives.jsonl"),
    "15": ("round15_texts", "round15_heldback.jsonl", "round15_positives.jsonl"),
    "16": ("round16_texts", "round16_heldback.jsonl", "round16_positives.jsonl"),
    "16latin": ("round16_r16latin_texts", "round16_r16latin.jsonl", None),
    "16scripts": ("round16_r16scripts_texts", "round16_r16scripts.jsonl", None),
    "16addr": ("round16_addr_texts", "round16_addr.jsonl", None),
}
TYPES = {
    "P": "PERSON",
    "L": "LOCATION",
    "O": "ORG",
    "E": "EMAIL",
    "T": "PHONE",
    "I": "IBAN",
}
MARK = re.compile(r"\[\[([PLOETI]):(.+?)\]\]", re.S)


def strip(marked: str) -> tuple[str, list[dict[str, object]]]:
    out: list[str] = []
    spans: list[dict[str, object]] = []
    pos = 0
    length = 0
    for m in MARK.finditer(marked):
        out.append(marked[pos : m.start()])
        length += m.start() - pos
        value = m.group(2)
        spans.append(
            {"start": length, "end": length + len(value), "type": TYPES[m.group(1)], "value": value}
        )
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), spans


def unmarked_words(text: str, spans: list[dict[str, object]]) -> list[str]:
    """Words of marked people (three letters or more, capitalised or not) that also
    stand outside every span."""
    covered = [(int(s["start"]), int(s["end"])) for s in spans]
    words = {
        w for s in spans if s["type"] == "PERSON" for w in re.findall(r"\w{3,}", str(s["value"]))
    }
    bad = []
    for w in sorted(words):
        for m in re.finditer(rf"(?<!\w){re.escape(w)}(?!\w)", text):
            if not any(a <= m.start() < b for a, b in covered):
                bad.append(w)
    return bad


def build(round_: str) -> None:
    module, name, positives_name = ROUNDS[round_]
    texts = importlib.import_module(module)
    positives, negatives = texts.POSITIVES, texts.NEGATIVES
    rows = []
    counts: dict[str, int] = {}
    problems = []
    for negative, items in ((False, positives), (True, negatives)):
        for kind, marked in items:
            counts[kind] = counts.get(kind, 0) + 1
            text, spans = strip(marked)
            if negative and spans:
                problems.append(f"negative {kind} has marks")
            if not negative and not spans:
                problems.append(f"positive {kind} has no marks")
            for w in unmarked_words(text, spans):
                problems.append(f"{kind}: {w!r} unmarked in {text[:60]!r}")
            prefix = f"r{round_}n" if negative else f"r{round_}p"
            rows.append(
                {
                    "id": f"{prefix}-{kind}-{counts[kind]:02d}",
                    "kind": kind,
                    "negative": negative,
                    "tags": [kind, f"round{round_}", "heldback"],
                    "text": text,
                    "spans": spans,
                }
            )
    if problems:
        sys.exit("\n".join(problems))
    n_pos, n_neg = len(positives), len(negatives)
    if positives_name is None:
        _write(HERE / name, rows)
        print(f"{len(rows)} texts ({n_pos} with people, {n_neg} without) -> {name}")
    else:
        _write(HERE / name, [r for r in rows if r["negative"]])
        _write(HERE / positives_name, [r for r in rows if not r["negative"]])
        print(f"{n_neg} texts without anyone -> {name}, {n_pos} with people -> {positives_name}")


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    for round_ in ROUNDS:
        build(round_)


if __name__ == "__main__":
    main()
