"""CPU cost of everything after the NER pass (rules, libphonenumber, address shapes,
propagation, resolution) per text, with the model's spans computed once beforehand.

Run from the repository root:
    uv run python bench/redaction/rules_cost.py              # as shipped
    uv run python bench/redaction/rules_cost.py --without phones,addresses
``--without`` switches off round 5's mechanisms (libphonenumber, postal addresses) in
this process only, to price them. Best of three passes over the evaluation set's tuned
texts; process CPU time (``time.process_time``), so other processes' load matters less.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from spark_control_redaction import detect
from spark_control_redaction.entities import DETECTABLE_TYPES, Span
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.ner import NerModel
from spark_control_redaction.settings import DEFAULT_MODEL
from tests.redaction.evalset import build

TYPES = frozenset(DETECTABLE_TYPES)


def _nothing(*_args: object) -> Iterator[Span]:
    return iter(())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--without", default="", help="phones,addresses: switched off")
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    off = {w for w in args.without.split(",") if w}
    if "phones" in off:
        detect.library_phones = _nothing  # type: ignore[assignment]
    if "addresses" in off:
        detect.address_spans = _nothing  # type: ignore[assignment]
    texts = [s.text for s in build("tuned")]
    ner = NerModel(DEFAULT_MODEL).find_sync(texts)
    lists = detect.Lists()
    best = float("inf")
    for _ in range(args.passes):
        start = time.process_time()
        for text, spans in zip(texts, ner, strict=True):
            detect.detect_sync(text, spans, Mapping(), lists, TYPES)
        best = min(best, time.process_time() - start)
    print(
        f"{len(texts)} texts, without {sorted(off) or 'nothing'}: "
        f"{best / len(texts) * 1000:.3f} ms CPU per text after NER (best of {args.passes})"
    )


if __name__ == "__main__":
    main()
