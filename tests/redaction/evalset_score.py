"""Scoring the engine on the evaluation set (``evalset.py``): per type, values leaked
(a letter or digit left in clear), values left verbatim, replaced spans and the correct
ones (same type, overlapping a labelled value); negatives with any replacement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spark_control_redaction.ner import NerModel
from tests.redaction.evalset import Sample
from tests.redaction.evaluate import scrub_all

TYPES = ("PERSON", "ORG", "LOCATION", "EMAIL", "PHONE", "CREDIT_CARD", "SSN", "IBAN",
         "IP_ADDRESS", "URL", "MAC_ADDRESS", "SECRET")  # fmt: skip
RULE = set(TYPES[3:])


def figures(
    samples: Sequence[Sample], outputs: Sequence[tuple[str, list[tuple[str, int, int]]]]
) -> dict[str, Any]:
    """Per type: labelled, leaked (a letter or digit left in clear), verbatim (the whole
    value still in the output), replaced spans and the correct ones; negatives with a
    false positive."""
    out: dict = {t: dict(labelled=0, leaked=0, verbatim=0, replaced=0, correct=0) for t in TYPES}
    negatives = fp = 0
    leaks = []
    for sample, (text, replaced) in zip(samples, outputs, strict=True):
        for label in sample.labels:
            row = out[label.type]
            row["labelled"] += 1
            value = sample.value(label)
            clear = [
                i for i in range(label.start, label.end)
                if sample.text[i].isalnum() and not any(a <= i < b for _, a, b in replaced)
            ]  # fmt: skip
            if clear:
                row["leaked"] += 1
                leaks.append((label.type, value, sample.kind))
            if value in text:
                row["verbatim"] += 1
        for type_, a, b in replaced:
            if type_ not in out:
                continue
            out[type_]["replaced"] += 1
            if any(lab.type == type_ and lab.start < b and a < lab.end for lab in sample.labels):
                out[type_]["correct"] += 1
        if not sample.labels:
            negatives += 1
            fp += bool([r for r in replaced if r[0] != "LITERAL"])
    return {"types": out, "negatives": negatives, "fp": fp, "leaks": leaks}


def run(samples: Sequence[Sample], model: NerModel) -> dict[str, Any]:
    results = scrub_all(samples, model)
    outputs = [(s.text, [(e.type, e.start, e.end) for e in s.entities]) for s, _ in results]
    return figures(samples, outputs)


def leak_rate(f: dict[str, Any], types: Sequence[str] = TYPES) -> float:
    rows = [f["types"][t] for t in types]
    return sum(r["leaked"] for r in rows) / max(1, sum(r["labelled"] for r in rows))


def precision(f: dict[str, Any], types: Sequence[str] = TYPES) -> float:
    rows = [f["types"][t] for t in types]
    return sum(r["correct"] for r in rows) / max(1, sum(r["replaced"] for r in rows))
