"""The NER model's matrix products through numpy's BLAS, one thread per call.

thinc multiplies with ``blis``, whose wheel has no kernel for many x86 CPUs (this
project's machine among them) and falls back to its generic reference code: about a
third of the speed of numpy's OpenBLAS on one core. OpenBLAS itself would take two
threads for a product this size, and a second thread that spins while other work holds
the cores costs far more CPU than it saves; setting its thread count is process-wide,
which a plugin must not do. So each product is cut into row blocks small enough that
OpenBLAS runs them on the calling thread (it uses one thread when M·N·K is at most
``SINGLE_THREAD_MNK``), all in one ``numpy.matmul`` call over the stacked blocks. A
product of one row goes to numpy's ``gemv`` instead, whose threshold is its own: at
this model's sizes (1 by 288 times 288 by 288) it cost no more CPU than with one thread (measured).

On a CPU where OpenBLAS is no faster than blis (speed round 9: AVX2 without AVX-512,
where the blocks made the NER pass 75 % slower) blis stays: ``faster_than_blis`` times
both once per process.

Only the pipes' own ``NumpyOps`` are replaced (not a GPU's); the numbers differ from
blis's only by the order of float additions, and the NER spans of the four corpora
were compared unchanged (docs/PERFORMANCE.md, "Redaction speed, round 8").
"""

from __future__ import annotations

import time
from functools import cache
from typing import Any

import numpy
from thinc.api import NumpyOps

# OpenBLAS's GEMM_MULTITHREAD_THRESHOLD (4) times SMP_THRESHOLD_MIN (65,536): at or
# below it, interface/gemm.c runs the product on one thread.
SINGLE_THREAD_MNK = 4 * 65_536


class OneThreadOps(NumpyOps):
    """thinc's CPU operations with ``gemm`` by numpy in single-thread row blocks."""

    name = "numpy-one-thread"

    def __init__(self) -> None:
        super().__init__(use_blis=False)

    def gemm(
        self,
        x: Any,
        y: Any,
        *,
        out: Any = None,
        trans1: bool = False,
        trans2: bool = False,
    ) -> Any:
        a = x.T if trans1 else x
        b = y.T if trans2 else y
        if a.ndim != 2 or b.ndim != 2 or a.dtype != numpy.float32 or b.dtype != numpy.float32:
            return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)
        m, k = a.shape
        n = b.shape[1]
        target = out
        if target is None or not target.flags.c_contiguous:
            target = numpy.empty((m, n), dtype=numpy.float32)
        rows = max(1, SINGLE_THREAD_MNK // max(1, k * n))
        whole = m - m % rows
        if whole:
            # Stacked blocks: numpy calls BLAS once per block, in C.
            blocks = numpy.ascontiguousarray(a[:whole]).reshape(-1, rows, k)
            numpy.matmul(blocks, b, out=target[:whole].reshape(-1, rows, n))
        if whole < m:
            numpy.matmul(a[whole:], b, out=target[whole:])
        if out is not None and target is not out:
            out[...] = target
            return out
        return target


# Products of the sizes the model multiplies (rows of a batch by its widths): what the
# two ways are timed on before one is chosen.
_PROBES = ((40, 96, 384), (27, 288, 288), (64, 288, 96))


def _cpu_of(ops: NumpyOps, pairs: list[tuple[Any, Any]]) -> float:
    """The least CPU time of five passes of ``ops`` over ``pairs`` (least: what other
    processes' load adds is noise on top)."""
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        for _ in range(4):
            for x, w in pairs:
                ops.gemm(x, w, trans2=True)
        best = min(best, time.process_time() - started)
    return best


@cache
def faster_than_blis() -> bool:
    """Whether numpy's BLAS in single-thread blocks multiplies faster than blis on this
    CPU. Round 8's machine: about three times (blis had no kernel for its CPU). A
    machine whose OpenBLAS has no fast kernel either (speed round 9: a 40 by 96 by 384
    product took 110 µs there on one OpenBLAS thread, 98 µs with blis, and the blocks
    made the NER pass 75 % slower) keeps blis. Either way the spans are the same (the
    products differ only in the order of float additions; docs/PERFORMANCE.md).
    Measured once per process (about 50 ms of CPU)."""
    rng = numpy.random.default_rng(0)
    pairs = [
        (rng.standard_normal((m, k), dtype=numpy.float32),
         rng.standard_normal((n, k), dtype=numpy.float32))
        for m, k, n in _PROBES
    ]  # fmt: skip
    blis, blocks = NumpyOps(), OneThreadOps()
    _cpu_of(blis, pairs[:1]), _cpu_of(blocks, pairs[:1])  # (first calls: set-up)
    # Interleaved, so that a change of load touches both; a clear margin to switch.
    return 1.15 * _cpu_of(blocks, pairs) < _cpu_of(blis, pairs)


def use_one_thread_products(nlp: Any, *, faster: bool | None = None) -> bool:
    """Give every layer of ``nlp``'s pipes that runs on thinc's ``NumpyOps`` the
    single-thread products above (GPU and other backends are left alone), where they
    are faster than blis on this CPU (``faster``: measured when not given). Whether
    they were given."""
    if not (faster_than_blis() if faster is None else faster):
        return False
    ops = OneThreadOps()
    for _, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        if model is None:
            continue
        for node in model.walk():
            if type(node.ops) is NumpyOps:
                node.ops = ops
    return True
