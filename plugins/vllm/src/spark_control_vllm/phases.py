"""Reading a launch log: which phase a vLLM load is in, and whether it failed.

vLLM's death is read from its log (and from health), not from the container: the
launcher's container idles on after vLLM dies. The patterns follow what vLLM prints
while it downloads, loads weights, compiles and captures graphs; the exact wording
moves between vLLM versions, so each phase accepts a few spellings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOWNLOADING = "downloading"
LOADING = "loading"
COMPILING = "compiling"
STARTING = "starting"

_PHASES: tuple[tuple[re.Pattern[str], str, float], ...] = (
    (re.compile(r"Fetching \d+ files|Downloading|download", re.IGNORECASE), DOWNLOADING, 0.2),
    (re.compile(r"Loading safetensors|Loading weights|Starting to load model"), LOADING, 0.45),
    (re.compile(r"Loading weights took|Model loading took"), LOADING, 0.65),
    (re.compile(r"torch\.compile|Compiling a graph|Capturing CUDA graph"), COMPILING, 0.8),
    (re.compile(r"Starting vLLM API server|Application startup complete"), STARTING, 0.95),
)
_DOWNLOAD_PERCENT = re.compile(r"Fetching \d+ files:\s*(\d+)%")
_READY = re.compile(r"Application startup complete")
# The most telling first: an OOM is followed by a generic engine failure.
_FAILURES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"CUDA out of memory|OutOfMemoryError"), "vLLM ran out of GPU memory"),
    (re.compile(r"CUDA error|NCCL error|cudaError"), "vLLM hit a CUDA error"),
    (
        re.compile(r"Engine core initialization failed|EngineCore failed|Traceback \(most"),
        "vLLM failed while starting",
    ),
    (re.compile(r"World size \(\d+\) is larger than"), "the model needs more GPUs than it got"),
)


def more_telling(new: str, old: str | None) -> bool:
    """Whether failure ``new`` explains more than ``old`` (an OOM beats a traceback)."""
    order = [reason for _, reason in _FAILURES]
    return old is None or order.index(new) < order.index(old)


@dataclass(frozen=True)
class LogSignal:
    """What one log line tells: a phase with progress, a failure, or readiness."""

    phase: str | None = None
    progress: float | None = None
    failure: str | None = None
    ready: bool = False


def read_line(line: str) -> LogSignal:
    for pattern, reason in _FAILURES:
        if pattern.search(line):
            return LogSignal(failure=reason)
    if _READY.search(line):
        return LogSignal(phase=STARTING, progress=0.95, ready=True)
    percent = _DOWNLOAD_PERCENT.search(line)
    if percent:
        return LogSignal(phase=DOWNLOADING, progress=0.05 + 0.3 * int(percent.group(1)) / 100)
    for pattern, phase, progress in _PHASES:
        if pattern.search(line):
            return LogSignal(phase=phase, progress=progress)
    return LogSignal()
