"""The engine on the redaction evaluation set (tests/redaction/evalset.py): leak,
recall and precision per type, false positives on the negative texts.

Run from the repository root:
    uv run python bench/redaction/evalset_report.py            # tuned part, by type
    uv run python bench/redaction/evalset_report.py --heldout  # held-out slice too
The held-out slice prints the same table; it is never used to choose a change.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from spark_control_redaction.ner import NerModel
from spark_control_redaction.settings import DEFAULT_MODEL
from tests.redaction.evalset import build
from tests.redaction.evalset_score import TYPES, run


def table(name: str, f: dict) -> None:
    rows = f["types"]
    labelled = sum(r["labelled"] for r in rows.values())
    leaked = sum(r["leaked"] for r in rows.values())
    verbatim = sum(r["verbatim"] for r in rows.values())
    replaced = sum(r["replaced"] for r in rows.values())
    correct = sum(r["correct"] for r in rows.values())
    print(f"\n{name}: {labelled} labelled values")
    print(
        f"{'type':<12} {'labelled':>8} {'leak %':>7} {'verbatim %':>10} {'recall':>7} "
        f"{'precision':>9}"
    )
    for t in TYPES:
        r = rows[t]
        if not r["labelled"] and not r["replaced"]:
            continue
        n = max(r["labelled"], 1)
        prec = r["correct"] / r["replaced"] if r["replaced"] else 1.0
        print(
            f"{t:<12} {r['labelled']:>8} {100 * r['leaked'] / n:>7.2f} "
            f"{100 * r['verbatim'] / n:>10.2f} {1 - r['leaked'] / n:>7.3f} {prec:>9.3f}"
        )
    print(
        f"{'all':<12} {labelled:>8} {100 * leaked / labelled:>7.2f} "
        f"{100 * verbatim / labelled:>10.2f} {1 - leaked / labelled:>7.3f} "
        f"{correct / max(replaced, 1):>9.3f}"
    )
    print(f"negatives with a false positive: {f['fp']} of {f['negatives']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", action="store_true", help="also the held-out slice")
    parser.add_argument("--leaks", type=int, default=0, help="print this many tuned leaks")
    args = parser.parse_args()
    model = NerModel(DEFAULT_MODEL, cache=0)  # CPU per distinct text, as earlier rounds
    tuned = build("tuned")
    started = time.process_time()
    f = run(tuned, model)
    cpu = time.process_time() - started
    table(f"Tuned part ({len(tuned)} texts, {len(tuned) / cpu:.0f} texts per CPU-second)", f)
    for type_, value, kind in f["leaks"][: args.leaks]:
        print(f"  leak {type_:<10} {kind:<18} {value!r}")
    if args.heldout:
        heldout = build("heldout")
        table(f"Held-out slice ({len(heldout)} texts)", run(heldout, model))


if __name__ == "__main__":
    main()
