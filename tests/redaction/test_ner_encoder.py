"""The NER model's word encoder run as one function (issue 21 item 4, speed without
leaks): it must give thinc's layers' output bit for bit, on every shape of batch, and
be left out wherever it cannot prove that."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy
import pytest
from thinc.api import Linear, chain
from thinc.layers.chain import forward as thincs_forward

from spark_control_redaction import encoder
from spark_control_redaction.ner import _LAYOUT, NerModel, View
from spark_control_redaction.settings import DEFAULT_MODEL
from tests.redaction.evalset import build

# Shapes a batch can take: one word, one text alone, other scripts, markup, a long line.
ODD = [
    "Bob",
    "Hi",
    "Dear Ms. Nakamura, 山田太郎 and Ольга Петрова met Σωκράτης in Αθήνα.",
    "| Owner | **Jane Roe** |\n| Office | `Berlin` |",
    " ".join(f"Word{n} Alice Martin of Globex Corp in Paris" for n in range(60)),
    "  leading and trailing spaces  ",
]


def _reads(count: int) -> list[str]:
    texts = [s.text for s in build("tuned")][:count]
    return [r for r in (View(t).text.translate(_LAYOUT) for t in texts) if r]


def _encoder(nlp: Any) -> Any:
    return nlp.get_pipe("ner").model.layers[0]


def test_the_fused_encoder_gives_thincs_output_bit_for_bit(ner_model: NerModel) -> None:
    nlp = ner_model._load()
    model = _encoder(nlp)
    plan = encoder._plan(model)
    with nlp.memory_zone():
        docs = [nlp.make_doc(r) for r in [*ODD, *_reads(300)]]
        batches = [docs[i : i + n] for n in (1, 2, 7, 64) for i in range(0, len(docs), n)]
        for batch in batches:
            ours = plan.run(batch)
            theirs = thincs_forward(model, batch, False)[0]
            assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
            assert numpy.array_equal(ours, theirs)
    assert len(batches) > 400  # the comparison ran over many batches


def test_the_loaded_model_runs_the_fused_encoder_and_finds_the_same(
    ner_model: NerModel,
) -> None:
    nlp = ner_model._load()
    model = _encoder(nlp)
    assert model._func is not thincs_forward  # fused at load

    def entities() -> list[list[tuple[str, int, int]]]:
        with nlp.memory_zone():
            return [
                [(e.label_, e.start_char, e.end_char) for e in doc.ents]
                for doc in nlp.pipe([*ODD, *_reads(200)], batch_size=16)
            ]

    fused = entities()
    fused_forward, model._func = model._func, thincs_forward
    try:
        theirs = entities()
    finally:
        model._func = fused_forward
    assert fused == theirs
    assert sum(map(len, fused)) > 100  # entities were compared, not empty lists


def test_an_empty_doc_takes_thincs_path(ner_model: NerModel) -> None:
    nlp = ner_model._load()
    model = _encoder(nlp)
    with nlp.memory_zone():
        docs = [nlp.make_doc(""), nlp.make_doc("Alice met Bob in Paris.")]
        ours = model._func(model, docs, False)[0]
        theirs = thincs_forward(model, docs, False)[0]
    assert numpy.array_equal(ours, theirs)


def test_layers_of_another_shape_are_left_alone() -> None:
    model = chain(Linear(4, 3), Linear(2, 4))
    ner = SimpleNamespace(model=chain(model, Linear(2, 2)))
    nlp = SimpleNamespace(pipe_names=["ner"], get_pipe=lambda name: ner)
    before = model._func
    assert encoder.fuse(nlp) is False
    assert ner.model.layers[0]._func is before
    assert encoder.fuse(SimpleNamespace(pipe_names=["tagger"])) is False


def test_a_fused_encoder_that_differs_on_the_probe_is_not_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fresh = NerModel(DEFAULT_MODEL, cache=0)
    run = encoder._Plan.run

    def off_by_a_little(self: encoder._Plan, docs: list[Any]) -> Any:
        return run(self, docs) + numpy.float32(1e-6)

    monkeypatch.setattr(encoder._Plan, "run", off_by_a_little)
    nlp = fresh._load()  # a copy of its own: the load fuses, or here declines to
    assert _encoder(nlp)._func is thincs_forward
