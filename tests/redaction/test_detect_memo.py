"""What the passes after NER ask again and again about one text is computed once for it
(issue 21, round 14), and forgotten when the text is done: no name stays in the process."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from spark_control_redaction import detect
from spark_control_redaction.detect import Lists, detect_sync
from spark_control_redaction.entities import DETECTABLE_TYPES, ORG, PERSON, Span
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.names import surface_forms

TEXT = "Maria Gonzalez wrote to Asante. Maria said Gonzalez and Kwame Asante agreed."
NER = [
    Span(PERSON, 0, 14),
    Span(ORG, TEXT.index("Asante"), TEXT.index("Asante") + 6),
    Span(PERSON, TEXT.index("Maria said"), TEXT.index("Maria said") + 5),
    Span(PERSON, TEXT.index("Kwame"), TEXT.index("Kwame") + 12),
]


def test_a_names_forms_and_a_pieces_plausibility_are_computed_once_per_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    forms: Counter[str] = Counter()
    plausible: Counter[tuple[int, int]] = Counter()

    def counted_forms(name: str) -> set[str]:
        forms[name] += 1
        return surface_forms(name)

    real = detect.plausible_entity

    def counted_plausible(text: str, span: Span) -> Any:
        plausible[span.start, span.end] += 1
        return real(text, span)

    monkeypatch.setattr(detect, "surface_forms", counted_forms)
    monkeypatch.setattr(detect, "_plausible", detect.lru_cache(maxsize=64)(counted_plausible))
    found = detect_sync(TEXT, NER, Mapping(), Lists(), frozenset(DETECTABLE_TYPES))
    assert {TEXT[s.start : s.end] for s in found if s.type == PERSON} >= {"Maria", "Asante"}
    assert forms and max(forms.values()) == 1
    assert plausible and max(plausible.values()) == 1


def test_nothing_of_a_text_stays_cached_after_it() -> None:
    detect_sync(TEXT, NER, Mapping(), Lists(), frozenset(DETECTABLE_TYPES))
    assert detect._forms.cache_info().currsize == 0
    assert detect._plausible.cache_info().currsize == 0


def test_the_same_spans_with_and_without_the_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    def run() -> list[Span]:
        return detect_sync(TEXT, NER, Mapping(), Lists(), frozenset(DETECTABLE_TYPES))

    kept = run()
    monkeypatch.setattr(detect, "_forms", detect.lru_cache(maxsize=0)(surface_forms))
    monkeypatch.setattr(detect, "_plausible", detect.lru_cache(maxsize=0)(detect.plausible_entity))
    assert run() == kept
