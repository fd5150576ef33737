"""Scoring a scrubber against labelled samples: leaks, recall and precision per type.

A labelled value *leaks* when any of its letters or digits is left in clear (outside
every replaced span). It is *found* (recall) when none leaks, whatever type the
replacement got; a replaced span is *correct* (precision) when it overlaps a labelled
value of its own type.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spark_control_redaction.detect import Lists, detect_sync
from spark_control_redaction.entities import DETECTABLE_TYPES
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.ner import NerModel
from spark_control_redaction.scrub import Replacement, Scrubbed, apply
from tests.redaction.corpus import Label, Sample


@dataclass
class Leak:
    sample: int
    type: str
    value: str
    text: str


@dataclass
class Score:
    found: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    labelled: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    correct: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    replaced: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    leaks: list[Leak] = field(default_factory=list)

    def recall(self, type_: str) -> float:
        return self.found[type_] / self.labelled[type_] if self.labelled[type_] else 1.0

    def precision(self, type_: str) -> float:
        return self.correct[type_] / self.replaced[type_] if self.replaced[type_] else 1.0

    def leaks_of(self, types: Iterable[str]) -> list[Leak]:
        wanted = set(types)
        return [leak for leak in self.leaks if leak.type in wanted]


def scrub_all(samples: Sequence[Sample], model: NerModel | None) -> list[tuple[Scrubbed, Mapping]]:
    """Scrub each sample in a session of its own (returned with the result), NER
    batched over the corpus."""
    texts = [s.text for s in samples]
    ner = model.find_sync(texts) if model is not None else [[] for _ in texts]
    types = frozenset(DETECTABLE_TYPES)
    out = []
    for text, spans in zip(texts, ner, strict=True):
        mapping = Mapping()
        out.append(
            (apply(text, detect_sync(text, spans, mapping, Lists(), types), mapping), mapping)
        )
    return out


def _covered(label: Label, text: str, replaced: list[Replacement]) -> bool:
    for i in range(label.start, label.end):
        if text[i].isalnum() and not any(r.start <= i < r.end for r in replaced):
            return False
    return True


def score(samples: Sequence[Sample], results: Sequence[tuple[Scrubbed, Mapping]]) -> Score:
    result = Score()
    for index, (sample, (scrubbed, _)) in enumerate(zip(samples, results, strict=True)):
        for label in sample.labels:
            result.labelled[label.type] += 1
            if _covered(label, sample.text, scrubbed.entities):
                result.found[label.type] += 1
            else:
                result.leaks.append(Leak(index, label.type, sample.value(label), sample.text))
        for rep in scrubbed.entities:
            if rep.type == "LITERAL":
                continue
            result.replaced[rep.type] += 1
            if any(
                lab.type == rep.type and lab.start < rep.end and rep.start < lab.end
                for lab in sample.labels
            ):
                result.correct[rep.type] += 1
    return result
