"""The leak suite: a generated corpus of 1,200 texts (a third hand-written hard cases)
and 100+ hand-labelled texts, scrubbed with the real spaCy model.

Rule-based types must never leak a single letter or digit. The NER types (people,
organisations, places) have measured recall floors, stated here and in
docs/REDACTION_GATEWAY.md; the corpus is seeded, so the figures are reproducible.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from spark_control.testing import RunningGateway
from spark_control_redaction.detect import Lists, detect_sync
from spark_control_redaction.entities import DETECTABLE_TYPES
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.ner import NerModel
from spark_control_redaction.scrub import Scrubbed, apply, rehydrate
from tests.redaction.corpus import NER_TYPES, RULE_TYPES, Sample, generate, parse_marked
from tests.redaction.evaluate import Score, score, scrub_all
from tests.redaction.provider import Provider

pytestmark = pytest.mark.slow

CORPUS_SIZE = 1200
SEED = 20261128
HAND_LABELLED = Path(__file__).parent / "fixtures" / "hand_labelled.txt"
# Measured recall (seeded corpus / hand-labelled set) minus a margin; see the docs.
CORPUS_RECALL_FLOOR = {"PERSON": 0.92, "LOCATION": 0.85, "ORG": 0.52}
HAND_RECALL_FLOOR = {"PERSON": 0.90, "LOCATION": 0.95, "ORG": 0.75}


def hand_labelled() -> list[Sample]:
    lines = HAND_LABELLED.read_text(encoding="utf-8").splitlines()
    return [parse_marked(line.replace("\\n", "\n")) for line in lines if line and line[0] != "#"]


@pytest.fixture(scope="module")
def corpus() -> list[Sample]:
    return generate(CORPUS_SIZE, SEED)


@pytest.fixture(scope="module")
def corpus_run(
    corpus: list[Sample], ner_model: NerModel
) -> tuple[list[tuple[Scrubbed, Mapping]], Score]:
    results = scrub_all(corpus, ner_model)
    return results, score(corpus, results)


def _report(leaks: list) -> str:
    return "\n".join(f"{leak.type}: {leak.value!r} in {leak.text[:120]!r}" for leak in leaks[:20])


def test_the_corpus_is_big_and_has_every_hard_case(corpus: list[Sample]) -> None:
    assert len(corpus) >= 1000
    kinds = Counter(s.kind for s in corpus)
    for kind in ["name_in_email", "glued", "repeated", "overlapping", "unicode", "split_lines"]:
        assert kinds[kind] >= 40, kinds
    labelled = Counter(label.type for s in corpus for label in s.labels)
    for type_ in (*RULE_TYPES, *NER_TYPES):
        assert labelled[type_] >= 100, labelled


def test_no_rule_based_value_leaks_on_the_corpus(
    corpus: list[Sample], corpus_run: tuple[list[tuple[Scrubbed, Mapping]], Score]
) -> None:
    results, scored = corpus_run
    leaks = scored.leaks_of(RULE_TYPES)
    assert not leaks, _report(leaks)
    for sample, (scrubbed, _) in zip(corpus, results, strict=True):
        for label in sample.labels:
            if label.type in RULE_TYPES:
                assert sample.value(label) not in scrubbed.text


def test_ner_recall_stays_above_its_floor_on_the_corpus(
    corpus_run: tuple[list[tuple[Scrubbed, Mapping]], Score],
) -> None:
    _, scored = corpus_run
    recall = {t: round(scored.recall(t), 3) for t in NER_TYPES}
    for type_, floor in CORPUS_RECALL_FLOOR.items():
        assert recall[type_] >= floor, recall


def test_rehydrate_of_scrub_is_the_original_on_the_corpus(
    corpus: list[Sample], corpus_run: tuple[list[tuple[Scrubbed, Mapping]], Score]
) -> None:
    results, _ = corpus_run
    for sample, (scrubbed, mapping) in zip(corpus, results, strict=True):
        assert rehydrate(scrubbed.text, mapping).text == sample.text


def test_one_long_session_keeps_every_value_on_one_placeholder(
    corpus: list[Sample], ner_model: NerModel
) -> None:
    mapping = Mapping()
    seen: dict[tuple[str, str], str] = {}
    texts = [s.text for s in corpus[:150]]
    for text, ner in zip(texts, ner_model.find_sync(texts), strict=True):
        spans = detect_sync(text, ner, mapping, Lists(), frozenset(DETECTABLE_TYPES))
        scrubbed = apply(text, spans, mapping)
        for rep in scrubbed.entities:
            key = (rep.type, text[rep.start : rep.end])
            assert seen.setdefault(key, rep.placeholder) == rep.placeholder
        assert rehydrate(scrubbed.text, mapping).text == text


def test_the_hand_labelled_set_meets_its_floors(ner_model: NerModel) -> None:
    samples = hand_labelled()
    assert len(samples) >= 100
    scored = score(samples, scrub_all(samples, ner_model))
    assert not scored.leaks_of(RULE_TYPES), _report(scored.leaks_of(RULE_TYPES))
    recall = {t: round(scored.recall(t), 3) for t in NER_TYPES}
    for type_, floor in HAND_RECALL_FLOOR.items():
        assert recall[type_] >= floor, recall


async def test_the_provider_never_receives_a_rule_based_value(
    gateway: RunningGateway, provider: Provider, corpus: list[Sample]
) -> None:
    batch = corpus[:90]
    for start in range(0, len(batch), 6):
        chunk = batch[start : start + 6]
        messages = [{"role": "user", "content": s.text} for s in chunk]
        response = await gateway.client.post(
            "/api/redact/v1/chat/completions", json={"model": "m", "messages": messages}
        )
        assert response.status_code == 200, response.text
        sent = provider.received[-1].raw.decode("unicode_escape")
        for sample in chunk:
            for label in sample.labels:
                if label.type in RULE_TYPES:
                    assert sample.value(label) not in sent, (label.type, sample.value(label))
        # The echo comes back whole: the last message, rehydrated.
        assert response.json()["choices"][0]["message"]["content"] == chunk[-1].text
