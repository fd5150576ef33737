"""Write ``round13_lower.jsonl`` from the hand-written texts in ``round13_texts.py``.

    uv run python bench/redaction/negatives/build_round13.py

The texts are literal (no generator, no fake-data library, nothing from the detector);
a value is marked where it stands, ``[[P:name]]`` (PERSON), ``[[L:…]]`` (LOCATION),
``[[E:…]]`` (EMAIL), ``[[T:…]]`` (PHONE), ``[[I:…]]`` (IBAN). This script only strips
the marks into spans and refuses a text where a word of a marked name also stands
unmarked (every occurrence of a value must be labelled).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from round13_texts import NEGATIVES, POSITIVES  # noqa: E402

TYPES = {"P": "PERSON", "L": "LOCATION", "E": "EMAIL", "T": "PHONE", "I": "IBAN"}
MARK = re.compile(r"\[\[([PLETI]):(.+?)\]\]")


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


def main() -> None:
    rows = []
    counts: dict[str, int] = {}
    problems = []
    for negative, items in ((False, POSITIVES), (True, NEGATIVES)):
        for kind, marked in items:
            counts[kind] = counts.get(kind, 0) + 1
            text, spans = strip(marked)
            if negative and spans:
                problems.append(f"negative {kind} has marks")
            if not negative and not spans:
                problems.append(f"positive {kind} has no marks")
            for w in unmarked_words(text, spans):
                problems.append(f"{kind}: {w!r} unmarked in {text[:60]!r}")
            prefix = "r13n" if negative else "r13p"
            rows.append(
                {
                    "id": f"{prefix}-{kind}-{counts[kind]:02d}",
                    "kind": kind,
                    "negative": negative,
                    "tags": [kind, "round13", "heldback"],
                    "text": text,
                    "spans": spans,
                }
            )
    if problems:
        sys.exit("\n".join(problems))
    path = HERE / "round13_lower.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    n_pos, n_neg = len(POSITIVES), len(NEGATIVES)
    print(f"{len(rows)} texts ({n_pos} with people, {n_neg} without) -> {path.name}")


if __name__ == "__main__":
    main()
