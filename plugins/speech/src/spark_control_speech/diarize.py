"""Chunked diarization: speaker labels kept the same across chunks.

A diarizer labels the speakers of each call on its own (its ``SPEAKER_00`` in one chunk
may be somebody else in the next), so the labels of chunk ``k`` are linked to the
speakers found so far:

1. by overlap: in the audio both chunks saw, a label of chunk ``k`` is the speaker whose
   turns (from chunk ``k - 1``) it overlaps most, pairs taken greedily by overlap time;
2. for a label with no such overlap (its speaker was silent in the overlap), by voice:
   the long-term average spectrum of the voiced band (60-1000 Hz, where pitch and the
   first formant lie) of that label's audio, compared by cosine similarity with each
   known speaker's; at least ``PRINT_MATCH`` links it;
3. otherwise it is a new speaker.

Each chunk then keeps the turns between its cuts (the middle of each overlap), and
pieces of one speaker's turn that meet at a cut are joined. Final labels are ``A``,
``B``, … in order of first speech.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from spark_control_speech.chunks import Window
from spark_control_speech.shapes import Turn

PRINT_MATCH = 0.8
_MIN_LINK_OVERLAP_S = 0.2
_PRINT_BAND_HZ = (60.0, 1000.0)
_PRINT_BANDS = 48
_PRINT_MAX_S = 60.0


@dataclass
class ChunkTurns:
    """One chunk's diarization: its turns on the file's clock (chunk-local labels) and a
    voice print per label."""

    window: Window
    turns: list[Turn]
    prints: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass
class Diarization:
    turns: list[Turn]
    speakers: list[str]
    cap_reached: bool


def voice_prints(
    samples: np.ndarray, rate: int, offset: float, turns: Sequence[Turn]
) -> dict[str, np.ndarray]:
    """Per label, the normalised log spectrum of its speech in this window's samples."""
    pieces: dict[str, list[np.ndarray]] = {}
    taken: dict[str, float] = {}
    for turn in turns:
        if taken.get(turn.speaker, 0.0) >= _PRINT_MAX_S:
            continue
        a = max(0, int((turn.start - offset) * rate))
        b = min(len(samples), int((turn.end - offset) * rate))
        if b > a:
            pieces.setdefault(turn.speaker, []).append(samples[a:b])
            taken[turn.speaker] = taken.get(turn.speaker, 0.0) + (b - a) / rate
    return {label: _print(np.concatenate(parts), rate) for label, parts in pieces.items()}


def _print(signal: np.ndarray, rate: int) -> np.ndarray:
    size = 2048
    if len(signal) < size:
        signal = np.pad(signal, (0, size - len(signal)))
    count = len(signal) // size
    frames = signal[: count * size].reshape(count, size) * np.hanning(size)
    power = (np.abs(np.fft.rfft(frames, axis=1)) ** 2).mean(axis=0)
    freqs = np.fft.rfftfreq(size, 1 / rate)
    edges = np.geomspace(*_PRINT_BAND_HZ, _PRINT_BANDS + 1)
    bands = np.array(
        [power[(freqs >= lo) & (freqs < hi)].sum() for lo, hi in itertools.pairwise(edges)]
    )
    # Amplitude, not log power: the strong bands (the voice) decide, not the noise floor
    # every recording shares.
    vector = np.sqrt(bands)
    norm = np.linalg.norm(vector)
    return vector / norm if norm > 0 else vector


def link_chunks(chunks: Sequence[ChunkTurns], max_speakers: int) -> Diarization:
    """Rules 1-3 over every chunk, then the kept turns with final labels."""
    prints: dict[str, np.ndarray] = {}
    kept: list[Turn] = []
    previous: list[Turn] = []  # the last chunk's turns, in global labels
    previous_window: Window | None = None
    cap_reached = False
    counter = itertools.count()

    def new_label() -> str:
        return f"g{next(counter)}"

    for chunk in chunks:
        local_labels = list(dict.fromkeys(t.speaker for t in chunk.turns))
        cap_reached = cap_reached or len(local_labels) >= max_speakers
        mapping = _link(chunk, local_labels, previous, previous_window, prints, new_label)
        for label, glabel in mapping.items():
            if label in chunk.prints:
                known = prints.get(glabel)
                prints[glabel] = (
                    chunk.prints[label] if known is None else _mean(known, chunk.prints[label])
                )
        mapped = [Turn(t.start, t.end, mapping[t.speaker]) for t in chunk.turns]
        window = chunk.window
        for turn in mapped:
            start, end = max(turn.start, window.keep_from), min(turn.end, window.keep_to)
            if end > start:
                kept.append(Turn(start, end, turn.speaker))
        previous, previous_window = mapped, window
    turns = _join_pieces(kept)
    names = _final_names(turns)
    turns = [Turn(t.start, t.end, names[t.speaker]) for t in turns]
    return Diarization(turns, list(dict.fromkeys(t.speaker for t in turns)), cap_reached)


def _link(
    chunk: ChunkTurns,
    labels: list[str],
    previous: list[Turn],
    previous_window: Window | None,
    prints: dict[str, np.ndarray],
    new_label: Callable[[], str],
) -> dict[str, str]:
    """Each of this chunk's labels as a label of the whole: by time shared with the
    previous chunk first, then by voice print, else a new one."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    if previous_window is not None:
        _link_by_overlap(chunk, previous, previous_window, mapping, used)
    for label in labels:
        if label in mapping:
            continue
        best = _closest_print(chunk.prints.get(label), prints, used)
        if best is None:
            best = new_label()
        mapping[label] = best
        used.add(best)
    return mapping


def _link_by_overlap(
    chunk: ChunkTurns,
    previous: list[Turn],
    previous_window: Window,
    mapping: dict[str, str],
    used: set[str],
) -> None:
    """Link labels that speak at the same time in the overlap of the two windows, the
    longest shared time first."""
    lo, hi = chunk.window.start, previous_window.end
    pairs: dict[tuple[str, str], float] = {}
    for mine in chunk.turns:
        for theirs in previous:
            overlap = min(mine.end, theirs.end, hi) - max(mine.start, theirs.start, lo)
            if overlap > 0:
                key = (mine.speaker, theirs.speaker)
                pairs[key] = pairs.get(key, 0.0) + overlap
    for (mine_label, global_label), overlap in sorted(pairs.items(), key=lambda kv: -kv[1]):
        if overlap < _MIN_LINK_OVERLAP_S:
            break
        if mine_label not in mapping and global_label not in used:
            mapping[mine_label] = global_label
            used.add(global_label)


def _closest_print(
    mine: np.ndarray | None, prints: dict[str, np.ndarray], used: set[str]
) -> str | None:
    """The unused label whose voice print is closest (at least PRINT_MATCH), or None."""
    best, score = None, PRINT_MATCH
    if mine is not None:
        for global_label, known in prints.items():
            similarity = float(np.dot(mine, known))
            if global_label not in used and similarity >= score:
                best, score = global_label, similarity
    return best


def _mean(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    v = a + b
    norm = np.linalg.norm(v)
    return v / norm if norm > 0 else v


def _join_pieces(turns: list[Turn]) -> list[Turn]:
    """Turns by start; pieces of one speaker that meet or overlap become one turn."""
    turns = sorted(turns, key=lambda t: (t.start, t.end))
    joined: list[Turn] = []
    last_of: dict[str, int] = {}
    for turn in turns:
        k = last_of.get(turn.speaker)
        if k is not None and turn.start <= joined[k].end + 1e-6 and k == len(joined) - 1:
            joined[k] = Turn(joined[k].start, max(joined[k].end, turn.end), turn.speaker)
            continue
        last_of[turn.speaker] = len(joined)
        joined.append(turn)
    return joined


def _final_names(turns: Sequence[Turn]) -> dict[str, str]:
    names: dict[str, str] = {}
    for turn in turns:
        if turn.speaker not in names:
            names[turn.speaker] = _letter(len(names))
    return names


def _letter(index: int) -> str:
    letters = string.ascii_uppercase
    return letters[index] if index < 26 else f"{letters[index // 26 - 1]}{letters[index % 26]}"
