"""Score the redaction gateway on the independent corpus, through HTTP.

    bench/netns-run uv run python bench/redaction/independent/score.py \
        [--slice tuning|heldout|all] [--json out.json]

Starts a real gateway on loopback with only the redaction plugin and its defaults, sends
every text of ``corpus.jsonl`` to ``POST /api/redaction/scrub`` (the documented route; no
``session_id``, so each text gets a new session) and compares the answer with the gold
spans. It scores whatever detector the checkout it runs from has installed.

Figures:
- leak (verbatim): a gold value (each distinct value of a text counted once) still
  appears in the scrubbed text as written (case-sensitive; a value that starts or ends
  with a letter or digit of a spaced script must not be glued to another letter or digit
  there, so "Li" in "Linux" is no leak, while "李" in "李经理" is). Where the same
  string also stands in the original outside every gold span (the verb "will" in a text
  about a person written "will"), it leaks when the scrubbed text has more of it.
- leak (any character): a gold span of which some letter or digit is not inside any
  replaced span; stricter, catches half-redacted names, extensions, split values.
- recall = 1 - the any-character leak rate, per gold span.
- precision: the share of replaced spans that overlap some gold span (any type), and,
  stricter, a gold span of the replacement's own type.
- negatives: texts without gold values in which anything was replaced.
- round trips: ``POST /api/redaction/rehydrate`` of the scrubbed text in its session gives the
  original back exactly.
- a scrub answered with an error counts as scrubbing nothing (every value leaked) and
  is listed, so one bad text cannot hide in or abort the run.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import re
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus.jsonl"
IGNORED_TYPES = {"LITERAL"}  # escapes of placeholder-shaped input are not detections


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def template_of(row: dict[str, Any]) -> str:
    """The template a row was built from: its last tag."""
    return str(row["tags"][-1])


def in_heldout(template: str) -> bool:
    """The split rule, fixed before any leak was looked at: a template whose name's sha256
    starts with an even hex digit is held out (never looked at while tuning)."""
    return int(hashlib.sha256(template.encode("utf-8")).hexdigest()[0], 16) % 2 == 0


def select(rows: list[dict[str, Any]], part: str) -> list[dict[str, Any]]:
    """``tuning``, ``heldout`` or ``all`` rows; whole templates go to one half."""
    if part == "all":
        return rows
    want = part == "heldout"
    return [r for r in rows if in_heldout(template_of(r)) == want]


def _spaced(c: str) -> bool:
    """A letter or digit of a script that separates words with spaces."""
    if not c.isalnum():
        return False
    name = unicodedata.name(c, "")
    return not name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI"))


def _occurrences(value: str, text: str) -> list[tuple[int, int]]:
    # "Li" in "Linux" is no leak; "李" in "李经理" is (CJK has no spaces between words).
    left = r"(?<![^\W_])" if _spaced(value[0]) else ""
    right = r"(?![^\W_])" if _spaced(value[-1]) else ""
    return [m.span() for m in re.finditer(left + re.escape(value) + right, text)]


def verbatim_in(value: str, text: str) -> bool:
    return bool(_occurrences(value, text))


def verbatim_leak(value: str, original: str, gold: list[dict[str, Any]], scrubbed: str) -> bool:
    """``value`` stands in the scrubbed text more often than it stood in the original
    outside every gold span (the verb "will" next to a person called "will")."""
    as_word = [
        (a, b)
        for a, b in _occurrences(value, original)
        if not any(s["start"] < b and a < s["end"] for s in gold)
    ]
    return len(_occurrences(value, scrubbed)) > len(as_word)


def uncovered_alnum(span: dict[str, Any], covered: list[bool], text: str) -> bool:
    return any(text[i].isalnum() and not covered[i] for i in range(span["start"], span["end"]))


async def scrub_all(
    rows: list[dict[str, Any]], settings: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    from spark_control.testing import make_config, running_gateway

    answers = []
    with tempfile.TemporaryDirectory() as tmp:
        # The access log (on by default, on standard output) would interleave with the tables.
        data: dict[str, Any] = {
            "plugins": {"enabled": ["redaction"]},
            "gateway": {"access_log": "off"},
        }
        if settings:
            data["redaction"] = settings
        config = make_config(Path(tmp), data)
        async with running_gateway(config, start_timeout_s=120) as gw:
            for row in rows:
                response = await gw.client.post(
                    "/api/redaction/scrub", json={"text": row["text"]}, timeout=120
                )
                if response.status_code != 200:
                    # Counted as scrubbing nothing (every value leaked) and listed.
                    error = f"{row['id']}: {response.status_code} {response.text[:300]}"
                    answers.append(
                        {"text": row["text"], "entities": [], "round_trip": False, "error": error}
                    )
                    continue
                answer = response.json()
                back = await gw.client.post(
                    "/api/redaction/rehydrate",
                    json={"text": answer["text"], "session_id": answer["session_id"]},
                    timeout=120,
                )
                answer["round_trip"] = (
                    back.status_code == 200 and back.json()["text"] == row["text"]
                )
                answers.append(answer)
    return answers


def score(rows: list[dict[str, Any]], answers: list[dict[str, Any]]) -> dict[str, Any]:
    values = Counter[str]()
    verbatim = Counter[str]()
    spans_n = Counter[str]()
    spans_leak = Counter[str]()
    red_n = Counter[str]()
    red_hit = Counter[str]()
    red_same = Counter[str]()
    leaked_by_kind: dict[str, list[str]] = defaultdict(list)
    partial_by_kind: dict[str, list[str]] = defaultdict(list)
    false_pos: list[str] = []
    pos_fp_spans: list[str] = []
    neg_n = 0
    round_trips = sum(1 for a in answers if a["round_trip"])
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    tags: dict[str, Counter[str]] = defaultdict(Counter)
    for row, ans in zip(rows, answers, strict=True):
        text, scrubbed = row["text"], ans["text"]
        ents = [e for e in ans["entities"] if e["type"] not in IGNORED_TYPES]
        covered = [False] * len(text)
        for e in ents:
            for i in range(e["start"], e["end"]):
                covered[i] = True
        gold = row["spans"]
        kinds[row["kind"]]["texts"] += 1
        # verbatim, per distinct (value, type) of the text
        for value, typ in sorted({(s["value"], s["type"]) for s in gold}):
            values[typ] += 1
            kinds[row["kind"]]["values"] += 1
            leak = verbatim_leak(value, text, gold, scrubbed)
            for tag in row.get("tags", [])[:-1]:  # the last tag names the template
                tags[tag]["values"] += 1
                tags[tag]["leaked"] += leak
            if leak:
                verbatim[typ] += 1
                kinds[row["kind"]]["leaked"] += 1
                leaked_by_kind[row["kind"]].append(f"{row['id']} {typ} {value!r}")
        for s in gold:
            spans_n[s["type"]] += 1
            partial = uncovered_alnum(s, covered, text)
            for tag in row.get("tags", [])[:-1]:
                tags[tag]["spans"] += 1
                tags[tag]["spans_leaked"] += partial
            if partial:
                spans_leak[s["type"]] += 1
                partial_by_kind[row["kind"]].append(f"{row['id']} {s['type']} {s['value']!r}")
        for e in ents:
            red_n[e["type"]] += 1
            hits = [s for s in gold if s["start"] < e["end"] and e["start"] < s["end"]]
            if hits:
                red_hit[e["type"]] += 1
                if any(s["type"] == e["type"] for s in hits):
                    red_same[e["type"]] += 1
            elif not row["negative"]:
                pos_fp_spans.append(f"{row['id']} {e['type']} {text[e['start'] : e['end']]!r}")
        if row["negative"]:
            neg_n += 1
            kinds[row["kind"]]["negatives"] += 1
            if ents:
                kinds[row["kind"]]["negatives_fp"] += 1
                shown = ", ".join(f"{e['type']} {text[e['start'] : e['end']]!r}" for e in ents)
                false_pos.append(f"{row['id']} ({row['kind']}): {shown}")
    return {
        "texts": len(rows),
        "values": dict(values),
        "verbatim": dict(verbatim),
        "spans": dict(spans_n),
        "spans_leaked": dict(spans_leak),
        "redacted": dict(red_n),
        "redacted_on_gold": dict(red_hit),
        "redacted_on_gold_same_type": dict(red_same),
        "negatives": neg_n,
        "round_trips_exact": round_trips,
        "errors": [a["error"] for a in answers if "error" in a],
        "negatives_with_fp": false_pos,
        "fp_spans_in_positive_texts": pos_fp_spans,
        "kinds": {k: dict(v) for k, v in sorted(kinds.items())},
        "tags": {k: dict(v) for k, v in sorted(tags.items())},
        "leaked_by_kind": dict(leaked_by_kind),
        "partial_by_kind": dict(partial_by_kind),
    }


def ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "-"


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f} %" if b else "-"


def report(res: dict[str, Any], lists: bool = True) -> str:
    """The tables; with ``lists`` also every leaked value and false positive (never
    asked for on a held-out slice: ``--summary``)."""
    lines = []
    values, verbatim = res["values"], res["verbatim"]
    spans, leaked = res["spans"], res["spans_leaked"]
    red, hit, same = res["redacted"], res["redacted_on_gold"], res["redacted_on_gold_same_type"]
    tv, tl = sum(values.values()), sum(verbatim.values())
    ts, tsl = sum(spans.values()), sum(leaked.values())
    tr, th, tsame = sum(red.values()), sum(hit.values()), sum(same.values())
    lines.append(f"texts: {res['texts']} ({res['negatives']} negative)")
    lines.append("")
    lines.append("| figure | value |")
    lines.append("| --- | --- |")
    lines.append(f"| leak, verbatim, all types | {pct(tl, tv)} ({tl} of {tv} values) |")
    lines.append(f"| leak, any character, all types | {pct(tsl, ts)} ({tsl} of {ts} spans) |")
    lines.append(f"| recall (span fully replaced) | {ratio(ts - tsl, ts)} |")
    lines.append(
        f"| precision (overlaps a gold span) | {ratio(th, tr)} ({th} of {tr} replacements) |"
    )
    lines.append(f"| precision, same type | {ratio(tsame, tr)} |")
    n_fp = len(res["negatives_with_fp"])
    lines.append(f"| negatives with a false positive | {n_fp} of {res['negatives']} |")
    lines.append(
        f"| round trips exact (scrub, then rehydrate) | {res['round_trips_exact']} "
        f"of {res['texts']} |"
    )
    lines.append(f"| scrub requests refused (counted as all leaked) | {len(res['errors'])} |")
    lines.append("")
    lines.append(
        "| type | values | leak verbatim | spans | leak any char | recall | replaced "
        "| precision | same-type precision |"
    )
    lines.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for typ in sorted(set(values) | set(red)):
        v, vl = values.get(typ, 0), verbatim.get(typ, 0)
        s, sl = spans.get(typ, 0), leaked.get(typ, 0)
        r, h, sm = red.get(typ, 0), hit.get(typ, 0), same.get(typ, 0)
        lines.append(
            f"| {typ} | {v} | {pct(vl, v)} | {s} | {pct(sl, s)} | {ratio(s - sl, s)} | {r} | "
            f"{ratio(h, r)} | {ratio(sm, r)} |"
        )
    lines.append("")
    lines.append(
        "| document kind | texts | values | leaked verbatim | negatives | with a false positive |"
    )
    lines.append("| --- | --- | --- | --- | --- | --- |")
    for kind, c in res["kinds"].items():
        lines.append(
            f"| {kind} | {c.get('texts', 0)} | {c.get('values', 0)} | {c.get('leaked', 0)} | "
            f"{c.get('negatives', 0)} | {c.get('negatives_fp', 0)} |"
        )
    lines.append("")
    lines.append("| category (tag) | values | leaked verbatim | spans | leaked any character |")
    lines.append("| --- | --- | --- | --- | --- |")
    for tag, c in res["tags"].items():
        if c.get("values"):
            lines.append(
                f"| {tag} | {c['values']} | {pct(c.get('leaked', 0), c['values'])} | "
                f"{c['spans']} | {pct(c.get('spans_leaked', 0), c['spans'])} |"
            )
    if not lists:
        return "\n".join(lines)
    lines.append("")
    lines.append("Leaked values (verbatim), by document kind:")
    for kind, items in sorted(res["leaked_by_kind"].items()):
        lines.append(f"- {kind} ({len(items)}):")
        lines.extend(f"    - {item}" for item in items)
    lines.append("")
    lines.append("Partly leaked spans (some letter or digit in clear, not verbatim), by kind:")
    verb = {i for items in res["leaked_by_kind"].values() for i in items}
    for kind, items in sorted(res["partial_by_kind"].items()):
        only = [i for i in items if i not in verb]
        if only:
            lines.append(f"- {kind} ({len(only)}):")
            lines.extend(f"    - {item}" for item in only)
    lines.append("")
    lines.append("Scrub requests refused:")
    lines.extend(f"- {item}" for item in res["errors"])
    lines.append("")
    lines.append("Negatives with a false positive:")
    lines.extend(f"- {item}" for item in res["negatives_with_fp"])
    lines.append("")
    lines.append(
        "Replacements on no gold span in positive texts "
        f"({len(res['fp_spans_in_positive_texts'])}):"
    )
    lines.extend(f"- {item}" for item in res["fp_spans_in_positive_texts"])
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--json", type=Path, help="also write the raw counts and lists here")
    parser.add_argument("--limit", type=int, help="score only the first N texts (smoke)")
    parser.add_argument(
        "--slice",
        choices=("tuning", "heldout", "all"),
        default="all",
        help="tune on 'tuning' only; 'heldout' templates (sha256 of the name starts with an "
        "even hex digit) are for the before/after check",
    )
    parser.add_argument(
        "--summary",
        action="store_true",
        help="print the tables only, no value (for held-out texts, whose failures are not read)",
    )
    parser.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="KEY=JSON",
        help="a redaction setting other than its default, e.g. places_need_someone=true",
    )
    args = parser.parse_args()
    settings = {k: json.loads(v) for k, v in (item.split("=", 1) for item in args.setting)}
    rows = select(load(args.corpus), args.slice)[: args.limit]
    started, cpu0 = time.perf_counter(), time.process_time()
    answers = asyncio.run(scrub_all(rows, settings))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu0
    res = score(rows, answers)
    print(report(res, lists=not args.summary))
    print(
        f"\n{len(rows)} texts in {wall:.1f} s wall, {cpu:.1f} s CPU (gateway and client in one "
        f"process); load average {os.getloadavg()[0]:.2f}",
        file=sys.stderr,
    )
    if args.json:
        args.json.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
