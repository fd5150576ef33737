"""Speech as tone bursts: the code shared by the simulated backends and the fixtures.

A spoken word is a burst of two tones sounding together: a high tone whose frequency
names the word (``WORD_BASE_HZ + WORD_STEP_HZ * index`` into ``VOCABULARY``) and a low
tone whose frequency names the speaker (``SPEAKER_BASE_HZ + SPEAKER_STEP_HZ * id``,
inside the range of human voice pitch). Silence separates words. The simulated ASR
decodes the high tones into words with their times; the simulated diarizer decodes the
low tones into speaker turns. So every answer the stand-ins give is derived from the
audio they were sent, and chunking, overlap and merging are exercised on real content.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import soundfile as sf

SAMPLE_RATE = 16_000
WORD_BASE_HZ = 1000.0
WORD_STEP_HZ = 25.0
SPEAKER_BASE_HZ = 100.0
SPEAKER_STEP_HZ = 40.0
MAX_SPEAKER_IDS = 10
_FRAME_S = 0.01
_SILENCE_RMS = 0.008  # a quiet word (amplitude 0.03) is still speech; the noise floor is not
_MIN_BURST_S = 0.06  # shorter pieces (a word cut by a chunk edge) are not words
_JOIN_GAP_S = 0.03

VOCABULARY: tuple[str, ...] = tuple(
    [
        "alpha",
        "bravo",
        "charlie",
        "delta",
        "echo",
        "foxtrot",
        "golf",
        "hotel",
        "india",
        "juliet",
        "kilo",
        "lima",
        "mike",
        "november",
        "oscar",
        "papa",
        "quebec",
        "romeo",
        "sierra",
        "tango",
        "uniform",
        "victor",
        "whiskey",
        "xray",
        "yankee",
        "zulu",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "hello",
        "yes",
        "no",
        "maybe",
        "okay",
        "thanks",
        "please",
        "budget",
        "meeting",
        "project",
        "plan",
        "review",
        "launch",
        "market",
        "sales",
        "customer",
        "price",
        "offer",
        "contract",
        "schedule",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "today",
        "tomorrow",
        "morning",
        "afternoon",
        "report",
        "design",
        "build",
        "test",
        "ship",
        "team",
        "lead",
        "agree",
        "disagree",
        "question",
        "answer",
        "idea",
        "option",
        "risk",
        "cost",
        "value",
        "quarter",
        "target",
        "number",
        "growth",
        "update",
        "status",
        "ready",
        "done",
        "later",
        "next",
        "first",
        "last",
        "good",
        "great",
        "fine",
        "the",
        "is",
        "a",
        "to",
        "we",
        "you",
        "it",
        "share",
        "send",
        "bob",
        "alice",
        "should",
        "on",
        "sounds",
        "at",
        "see",
        "hi",
        "new",
        "old",
        "call",
        "back",
    ]
)


def word_hz(word: str) -> float:
    return WORD_BASE_HZ + WORD_STEP_HZ * VOCABULARY.index(word)


def speaker_hz(speaker: int) -> float:
    return SPEAKER_BASE_HZ + SPEAKER_STEP_HZ * speaker


@dataclass(frozen=True)
class Spoken:
    """One word as placed in a fixture: who said it, what, when (seconds)."""

    speaker: int
    word: str
    start: float
    end: float


@dataclass(frozen=True)
class Burst:
    """One decoded word: its time span, word and speaker."""

    start: float
    end: float
    word: str | None
    speaker: int | None


def render(
    spoken: Sequence[Spoken],
    duration: float,
    *,
    amplitude: float | Sequence[float] = 0.4,
    noise: float = 0.001,
    seed: int = 0,
) -> np.ndarray:
    """The mono float32 signal of ``spoken`` words (per-word ``amplitude`` allowed)."""
    total = round(duration * SAMPLE_RATE)
    signal = np.zeros(total, dtype=np.float64)
    amps = [amplitude] * len(spoken) if isinstance(amplitude, (int, float)) else list(amplitude)
    for item, amp in zip(spoken, amps, strict=True):
        a, b = round(item.start * SAMPLE_RATE), round(item.end * SAMPLE_RATE)
        b = min(b, total)
        if b <= a:
            continue
        t = np.arange(b - a) / SAMPLE_RATE
        burst = np.sin(2 * np.pi * word_hz(item.word) * t) + np.sin(
            2 * np.pi * speaker_hz(item.speaker) * t
        )
        ramp = min(80, (b - a) // 4)  # soft edges, as a voice starts and stops
        envelope = np.ones(b - a)
        if ramp:
            envelope[:ramp] = np.linspace(0, 1, ramp)
            envelope[-ramp:] = np.linspace(1, 0, ramp)
        signal[a:b] += 0.5 * amp * burst * envelope
    if noise:
        signal += np.random.default_rng(seed).normal(0.0, noise, total)
    return signal.astype(np.float32)


def encode(signal: np.ndarray, fmt: str = "WAV", subtype: str | None = None) -> bytes:
    """The signal (mono, or frames x channels) as a file in ``fmt`` (WAV, FLAC, MP3, OGG)."""
    out = io.BytesIO()
    sf.write(out, signal, SAMPLE_RATE, format=fmt, subtype=subtype)
    return out.getvalue()


def decode(signal: np.ndarray, sample_rate: int) -> list[Burst]:
    """Every word burst in a mono signal, with its word and speaker tone decoded."""
    if signal.ndim > 1:
        signal = signal.mean(axis=1)
    frame = max(1, int(sample_rate * _FRAME_S))
    count = len(signal) // frame
    if count == 0:
        return []
    frames = signal[: count * frame].astype(np.float64).reshape(count, frame)
    voiced = np.sqrt((frames**2).mean(axis=1)) > _SILENCE_RMS
    bursts: list[Burst] = []
    for first, last in _runs(voiced, int(_JOIN_GAP_S / _FRAME_S)):
        start, end = first * frame, (last + 1) * frame
        if (end - start) / sample_rate < _MIN_BURST_S:
            continue
        word, speaker = _identify(signal[start:end], sample_rate)
        bursts.append(Burst(start / sample_rate, end / sample_rate, word, speaker))
    return bursts


def _runs(voiced: np.ndarray, join: int) -> list[tuple[int, int]]:
    """(first, last) frame of each voiced run, runs closer than ``join`` frames joined."""
    idx = np.flatnonzero(voiced)
    if idx.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(idx) > join + 1)
    starts = np.concatenate(([idx[0]], idx[breaks + 1]))
    ends = np.concatenate((idx[breaks], [idx[-1]]))
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _identify(piece: np.ndarray, sample_rate: int) -> tuple[str | None, int | None]:
    windowed = piece * np.hanning(len(piece))
    size = max(len(piece), sample_rate // 2)  # zero-padded: 2 Hz bins for short pieces
    spectrum = np.abs(np.fft.rfft(windowed, n=size))
    freqs = np.fft.rfftfreq(size, 1 / sample_rate)
    word_band = freqs >= WORD_BASE_HZ - WORD_STEP_HZ / 2
    low_band = (freqs >= SPEAKER_BASE_HZ - SPEAKER_STEP_HZ / 2) & (freqs < WORD_BASE_HZ / 2)
    word = speaker = None
    if word_band.any():
        hz = freqs[word_band][np.argmax(spectrum[word_band])]
        index = round((hz - WORD_BASE_HZ) / WORD_STEP_HZ)
        if 0 <= index < len(VOCABULARY):
            word = VOCABULARY[index]
    if low_band.any():
        hz = freqs[low_band][np.argmax(spectrum[low_band])]
        ident = round((hz - SPEAKER_BASE_HZ) / SPEAKER_STEP_HZ)
        if 0 <= ident < MAX_SPEAKER_IDS:
            speaker = ident
    return word, speaker


def script(
    turns: Sequence[tuple[int, Sequence[str]]],
    *,
    start: float = 0.3,
    word_s: float = 0.3,
    gap_s: float = 0.12,
    turn_gap_s: float = 0.8,
) -> tuple[list[Spoken], float]:
    """Lay out ``(speaker, words)`` turns one after another; returns the words and the
    duration (with a little silence at the end)."""
    spoken: list[Spoken] = []
    t = start
    for speaker, words in turns:
        for word in words:
            spoken.append(Spoken(speaker, word, round(t, 4), round(t + word_s, 4)))
            t += word_s + gap_s
        t += turn_gap_s - gap_s
    return spoken, t + 0.5
