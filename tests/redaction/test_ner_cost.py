"""What the NER pass no longer pays for (issue 21 item 4, speed without leaks): the
pipeline's shared ``tok2vec``, which the model's ``ner`` does not listen to, and a
second pass over a text the model read lately (a chat's earlier messages, sent again
with each turn through the proxy). Neither may change what is found."""

from __future__ import annotations

import importlib

import pytest

from spark_control.testing import RunningGateway
from spark_control_redaction.ner import CACHE_ENTRIES, NerModel
from spark_control_redaction.service import _models
from spark_control_redaction.settings import DEFAULT_MODEL
from tests.redaction.provider import Provider

TEXTS = [
    "Hi team, Maria Gonzalez from Acme Corp in Lisbon will call Bob on Monday.",
    "Signed,\nJane Roe\nHead of Finance, Initech GmbH, Berlin",
    "| Owner | Kwame Asante |\n| Office | Nairobi |",
    "Dear Dr. Okafor, the board of Northwind Traders met in Toronto.",
]


def test_only_ner_runs_and_it_finds_what_the_whole_pipeline_finds(ner_model: NerModel) -> None:
    nlp = ner_model._load()
    assert nlp.pipe_names == ["ner"]  # no tok2vec, tagger, parser, lemmatizer
    whole = importlib.import_module(DEFAULT_MODEL).load()
    assert "tok2vec" in whole.pipe_names and "parser" in whole.pipe_names
    found = 0
    for text in TEXTS:
        ours = [(e.label_, e.start_char, e.end_char) for e in nlp(text).ents]
        theirs = [(e.label_, e.start_char, e.end_char) for e in whole(text).ents]
        assert ours == theirs, text
        found += len(ours)
    assert found >= len(TEXTS)  # the comparison compared entities, not empty lists


def test_a_text_read_again_costs_no_model_pass_and_finds_the_same(ner_model: NerModel) -> None:
    text = "Quarterly notes: Tomasz Wójcik met Aiko Tanaka of Umbrella Labs in Kraków."
    before = ner_model.model_reads
    first = ner_model.find_sync([text])
    assert ner_model.model_reads == before + 1
    again = ner_model.find_sync([text, text])
    assert ner_model.model_reads == before + 1
    assert again == [first[0], first[0]] and first[0]
    # One character more is another text: the model reads it.
    ner_model.find_sync([text + "!"])
    assert ner_model.model_reads == before + 2


def test_the_cache_is_bounded_keeps_no_text_and_can_be_off(ner_model: NerModel) -> None:
    texts = [f"Report {n}: Hannah Becker visited Oslo with Priya Raman." for n in "ABC"]
    try:
        ner_model.resize_cache(2)
        ner_model.find_sync(texts)  # A, B, C read; A falls out
        reads = ner_model.model_reads
        ner_model.find_sync(texts[1:])
        assert ner_model.model_reads == reads
        ner_model.find_sync(texts[:1])
        assert ner_model.model_reads == reads + 1
        # Keys are keyed digests; no cached value holds a word of the text.
        assert all(isinstance(k, bytes) and len(k) == 16 for k in ner_model._cache)
        cached = [x for entities in ner_model._cache.values() for e in entities for x in e]
        assert cached and all(isinstance(x, str | int) for x in cached)
        assert not any("Hannah" in str(v) for v in ner_model._cache.values())
        ner_model.resize_cache(0)
        assert not ner_model._cache
        reads = ner_model.model_reads
        ner_model.find_sync(texts[:1] * 2)
        assert ner_model.model_reads == reads + 2
    finally:
        ner_model.resize_cache(CACHE_ENTRIES)


async def test_a_chat_sent_again_with_one_more_turn_reads_only_the_new_message(
    gateway: RunningGateway, provider: Provider
) -> None:
    model = _models[DEFAULT_MODEL]
    provider.reply = "Noted."
    messages = [
        {"role": "system", "content": "You help Lucia Moreno of Vega Logistics in Porto."},
        {"role": "user", "content": "Lucia here: please draft a note to Henrik Larsen."},
    ]
    first = await gateway.client.post(
        "/api/redact/v1/chat/completions", json={"model": "gpt-x", "messages": messages}
    )
    assert first.status_code == 200, first.text
    reads = model.model_reads
    messages += [
        {"role": "assistant", "content": "ok, noted."},
        {"role": "user", "content": "Also copy Ingrid Solberg from the Bergen office."},
    ]
    second = await gateway.client.post(
        "/api/redact/v1/chat/completions",
        json={"model": "gpt-x", "messages": messages},
        headers={"x-redaction-session": first.headers["x-redaction-session"]},
    )
    assert second.status_code == 200, second.text
    assert model.model_reads == reads + 1  # "ok, noted." has no capital: never read
    sent = provider.received[-1].body["messages"]
    for name in ("Lucia Moreno", "Vega Logistics", "Henrik Larsen", "Ingrid Solberg"):
        assert name not in str(sent)
    assert sent[0]["content"] == provider.received[-2].body["messages"][0]["content"]


def test_one_text_alone_finds_what_it_finds_in_a_batch(ner_model: NerModel) -> None:
    # Alone it goes through a plain call, in a batch through ``nlp.pipe``.
    try:
        ner_model.resize_cache(0)  # both ways must run the model
        reads = ner_model.model_reads
        batched = ner_model.find_sync(TEXTS)
        alone = [ner_model.find_sync([text])[0] for text in TEXTS]
        assert ner_model.model_reads == reads + 2 * len(TEXTS)
    finally:
        ner_model.resize_cache(CACHE_ENTRIES)
    assert alone == batched and all(batched)


def test_products_run_through_numpy_in_single_thread_blocks_and_equal_blis() -> None:
    import numpy
    from thinc.api import NumpyOps

    from spark_control_redaction.matmul import SINGLE_THREAD_MNK, OneThreadOps

    ops, blis = OneThreadOps(), NumpyOps()
    rng = numpy.random.default_rng(7)
    calls: list[tuple[int, ...]] = []
    real = numpy.matmul

    def spy(a: numpy.ndarray, b: numpy.ndarray, **kw: object) -> object:
        calls.append(a.shape)
        return real(a, b, **kw)

    # Rows that fill whole blocks, a remainder, one row and none; both transpositions.
    for m, k, n in [(27, 288, 288), (64, 384, 288), (1, 96, 64), (0, 64, 384), (7, 64, 74)]:
        x = rng.standard_normal((m, k), dtype=numpy.float32)
        w = rng.standard_normal((n, k), dtype=numpy.float32)
        numpy.matmul = spy  # type: ignore[assignment]
        try:
            got = ops.gemm(x, w, trans2=True)
        finally:
            numpy.matmul = real
        assert numpy.allclose(got, blis.gemm(x, w, trans2=True), rtol=1e-4, atol=1e-4)
        # Every BLAS call is small enough for OpenBLAS to keep it on this thread.
        assert calls or m == 0
        assert all(shape[-2] * k * n <= SINGLE_THREAD_MNK for shape in calls)
        calls.clear()
        got_t = ops.gemm(numpy.ascontiguousarray(x.T), w, trans1=True, trans2=True)
        assert numpy.allclose(got_t, got, rtol=1e-5, atol=1e-5)
    # ``out``: contiguous (written in place) and a strided view (filled through a copy).
    x = rng.standard_normal((10, 288), dtype=numpy.float32)
    w = rng.standard_normal((288, 288), dtype=numpy.float32)
    expected = blis.gemm(x, w, trans2=True)
    whole = numpy.zeros((11, 288), dtype=numpy.float32)
    assert ops.gemm(x, w, trans2=True, out=whole[1:]) is not None
    assert numpy.allclose(whole[1:], expected, rtol=1e-4, atol=1e-4) and not whole[0].any()
    strided = numpy.zeros((10, 576), dtype=numpy.float32)[:, ::2]
    assert ops.gemm(x, w, trans2=True, out=strided) is strided
    assert numpy.allclose(strided, expected, rtol=1e-4, atol=1e-4)


def test_the_loaded_model_multiplies_with_the_faster_products(ner_model: NerModel) -> None:
    from thinc.api import NumpyOps

    from spark_control_redaction.matmul import OneThreadOps, faster_than_blis

    nodes = list(ner_model._load().get_pipe("ner").model.walk())
    chosen = OneThreadOps if faster_than_blis() else NumpyOps
    assert nodes and all(type(node.ops) is chosen for node in nodes)


@pytest.mark.parametrize("faster", [True, False])
def test_single_thread_products_only_where_faster(faster: bool) -> None:
    from types import SimpleNamespace

    from thinc.api import Linear, NumpyOps, chain

    from spark_control_redaction.matmul import OneThreadOps, use_one_thread_products

    model = chain(Linear(4, 3), Linear(2, 4))
    nlp = SimpleNamespace(pipeline=[("ner", SimpleNamespace(model=model)), ("x", object())])
    assert use_one_thread_products(nlp, faster=faster) is faster
    kinds = {type(node.ops) for node in model.walk()}
    assert kinds == ({OneThreadOps} if faster else {NumpyOps})


def test_words_read_do_not_grow_the_vocabulary(ner_model: NerModel) -> None:
    """spaCy adds every unseen word to the vocabulary's strings; without a memory zone
    a gateway's would grow with every text it ever scrubbed."""
    nlp = ner_model._load()
    ner_model.find_sync(["Warm-up: Ingrid Novak met Tariq Haddad in Porto."])
    before = len(nlp.vocab.strings)
    unseen = [
        f"Ticket {n}: qzv{n}xlorp wibbled frumptastic{n} Elspeth Quorvane{n} yarnwhistle."
        for n in range(40)
    ]
    found = ner_model.find_sync(unseen)
    assert any(found)  # the model read the texts (and found names in them)
    assert len(nlp.vocab.strings) == before
