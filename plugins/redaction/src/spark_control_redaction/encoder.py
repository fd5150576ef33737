"""The NER model's word encoder as one function: the same operations on the same
arrays as thinc's layers, without the layers' dispatch.

spaCy's CNN ``ner`` embeds each word itself (hash embeddings of four attributes, a
maxout, four window layers, a linear projection). thinc runs that as about sixty nested
layer calls per pass, each building a backpropagation closure, padding and unpadding
lists: for one text of twenty words that machinery costs more CPU than the arithmetic,
and it is paid once per call, so a text sent alone paid it whole. ``fuse`` replaces the
encoder's forward function (inference only) by one that calls the same ``ops`` methods
in the same order on arrays of the same shapes, so its output is bit-identical; it
checks that on a probe before it keeps it, and leaves the model alone when its layers
are not the ones this function knows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy

log = logging.getLogger(__name__)

# What the probe reads: two docs of different lengths, so that padding between docs is
# exercised as well as each doc's edges.
_PROBE = (
    "Alice Martin of Globex wrote to Bob in Paris on Monday: call 555-0100.",
    "Thanks, Dr. Roe",
)


@dataclass(frozen=True)
class _Maxout:
    """thinc's ``Maxout(normalize=True)``: maxout, then layer normalisation."""

    ops: Any
    W: Any  # (nO * nP, nI), as thinc reshapes it
    b: Any
    nO: int
    nP: int
    G: Any
    beta: Any

    def __call__(self, X: Any) -> Any:
        ops = self.ops
        Y = ops.gemm(X, self.W, trans2=True)
        Y += self.b
        best, _ = ops.maxout(ops.reshape3f(Y, Y.shape[0], self.nO, self.nP))
        # thinc's ``best.mean(axis=1, keepdims=True)`` and ``best.var(...)``, as numpy's
        # ``_methods`` compute them (a sum, divided in place by the count as a numpy
        # integer), in fewer calls: the mean ``var`` computes for itself is that same
        # mean, and ``best - mu`` is the difference it squares.
        count = numpy.intp(best.shape[1])
        mu = numpy.add.reduce(best, axis=1, keepdims=True)
        mu = numpy.true_divide(mu, count, out=mu, casting="unsafe", subok=False)
        centred = numpy.subtract(best, mu)
        var = numpy.add.reduce(numpy.square(centred), axis=1, keepdims=True)
        var = numpy.true_divide(
            var, numpy.maximum(count, 0), out=var, casting="unsafe", subok=False
        )
        var = var + 1e-08
        out = centred * var ** (-1.0 / 2.0)
        out = out * self.G
        out += self.beta
        return out


@dataclass(frozen=True)
class _Plan:
    """The encoder's parameters and settings, read once from its layers."""

    columns: list[Any]
    feature_ops: Any
    tables: list[tuple[Any, Any, Any, int]]  # (ops, column index, E, seed)
    mix: _Maxout
    pad: int
    window_ops: Any
    window: int
    layers: list[_Maxout]
    list_ops: Any
    linear_ops: Any
    W: Any
    b: Any

    def run(self, docs: list[Any]) -> Any:
        lengths = numpy.asarray([len(doc) for doc in docs], dtype="i")
        features = [
            self.feature_ops.asarray2i(doc.to_array(self.columns), dtype="uint64") for doc in docs
        ]
        ids = self.feature_ops.flatten(features)
        embedded = []
        for ops, index, E, seed in self.tables:
            column = ops.as_contig(ids[index], dtype="uint64")
            keys = ops.hash(column, seed) % E.shape[0]
            embedded.append(ops.gather_add(E, keys))
        X = self.mix(self.feature_ops.xp.hstack(embedded))
        # The window layers read the docs one after another with ``pad`` zero rows
        # before, between and after them, as thinc's ``with_array(pad=...)`` does.
        X = self.list_ops.flatten(self.list_ops.unflatten(X, lengths), pad=self.pad)
        for layer in self.layers:
            X = X + layer(self.window_ops.seq2col(X, self.window))
        X = self.list_ops.flatten(self.list_ops.unflatten(X, lengths, pad=self.pad))
        Y = self.linear_ops.gemm(X, self.W, trans2=True)
        Y += self.b
        return Y


def _node(model: Any, name: str) -> Any:
    if model.name != name:
        raise LookupError(f"{model.name!r} where {name!r} was expected")
    return model


def _maxout(chain: Any, n_in: int) -> _Maxout:
    """``maxout>>layernorm>>dropout`` (dropout 0 at inference) as a ``_Maxout``."""
    _node(chain, "maxout>>layernorm>>dropout")
    inner, _dropout = chain.layers
    maxout, norm = _node(inner, "maxout>>layernorm").layers
    _node(maxout, "maxout"), _node(norm, "layernorm")
    nO, nP, nI = maxout.get_dim("nO"), maxout.get_dim("nP"), maxout.get_dim("nI")
    if nI != n_in:
        raise LookupError(f"maxout reads {nI} columns, {n_in} expected")
    ops = maxout.ops
    return _Maxout(
        ops=ops,
        W=ops.reshape2f(maxout.get_param("W"), nO * nP, nI),
        b=ops.reshape1f(maxout.get_param("b"), nO * nP),
        nO=nO,
        nP=nP,
        G=norm.get_param("G"),
        beta=norm.get_param("b"),
    )


def _plan(model: Any) -> _Plan:
    """The plan of ``tok2vec>>list2array>>linear`` as spaCy's ``MultiHashEmbed.v2``
    (no static vectors) and ``MaxoutWindowEncoder.v2`` build it; LookupError otherwise."""
    tok2vec, to_array, linear = model.layers
    _node(to_array, "list2array"), _node(linear, "linear")
    embed, encode = tok2vec.layers
    extract, to_ragged, concat_array, mix_array, to_list = embed.layers
    _node(extract, "extract_features"), _node(to_ragged, "list2ragged")
    _node(to_list, "ragged2list")
    if not concat_array.name.startswith("with_array(") or concat_array.attrs["pad"] != 0:
        raise LookupError(f"{concat_array.name!r} is not the embedding's with_array")
    tables = []
    for getitem_embed in concat_array.layers[0].layers:
        getitem, hashembed = getitem_embed.layers
        _node(getitem, "ints-getitem"), _node(hashembed, "hashembed")
        tables.append(
            (hashembed.ops, getitem.attrs["index"], hashembed.get_param("E"),
             hashembed.attrs["seed"])
        )  # fmt: skip
    width = sum(E.shape[1] for _, _, E, _ in tables)
    mix = _maxout(mix_array.layers[0], width)
    if not encode.name.startswith("with_array("):
        raise LookupError(f"{encode.name!r} is not the encoder's with_array")
    layers, window, window_ops = [], None, None
    for residual in encode.layers[0].layers:
        if not residual.name.startswith("residual("):
            raise LookupError(f"{residual.name!r} is not a residual layer")
        expand, cnn = residual.layers[0].layers
        _node(expand, "expand_window")
        if window not in (None, expand.attrs["window_size"]):
            raise LookupError("window layers of different sizes")
        window, window_ops = expand.attrs["window_size"], expand.ops
        layers.append(_maxout(cnn, mix.nO * (2 * window + 1)))
    if not layers:
        raise LookupError("no window layers")
    return _Plan(
        columns=extract.attrs["columns"],
        feature_ops=extract.ops,
        tables=tables,
        mix=mix,
        pad=encode.attrs["pad"],
        window_ops=window_ops,
        window=window,  # type: ignore[arg-type]
        layers=layers,
        list_ops=to_array.ops,
        linear_ops=linear.ops,
        W=linear.get_param("W"),
        b=linear.get_param("b"),
    )


def _no_backprop(_: Any) -> Any:
    raise NotImplementedError("the fused encoder only predicts")


def fuse(nlp: Any) -> bool:
    """Run ``nlp``'s ``ner`` encoder as one function where its layers are the known
    ones and the function gives bit-identical output on a probe. Whether it does."""
    if "ner" not in nlp.pipe_names:
        return False
    model = getattr(nlp.get_pipe("ner"), "model", None)
    encoder = model.layers[0] if model is not None and model.layers else None
    if encoder is None or not hasattr(encoder, "_func"):
        return False
    try:
        plan = _plan(encoder)
    except (LookupError, ValueError, KeyError, AttributeError) as exc:
        log.info("NER encoder left as it is (%s)", exc)
        return False
    original: Callable[..., Any] = encoder._func

    def forward(m: Any, docs: Any, is_train: bool) -> Any:
        # Training, an empty batch or an empty doc: thinc's own path.
        if is_train or not docs or any(len(doc) == 0 for doc in docs):
            return original(m, docs, is_train)
        return plan.run(docs), _no_backprop

    with nlp.memory_zone():
        docs = [nlp.make_doc(text) for text in _PROBE]
        for probe in (docs, docs[:1], docs[1:]):
            if not numpy.array_equal(plan.run(probe), original(encoder, probe, False)[0]):
                log.warning("NER encoder left as it is: the fused one differs on a probe")
                return False
    encoder._func = forward
    return True
