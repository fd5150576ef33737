"""Long audio in overlapping windows, and the overlap taken out again afterwards.

Window ``k`` covers ``[k·step, k·step + length]`` with ``step = length - overlap``. Each
window's results are shifted by its start. In the overlap of two windows both saw the
same audio; the cut is the middle of the overlap: the earlier window keeps what has its
midpoint before the cut, the later one what has it at or after. A word cut in two by a
window's edge lies past the cut of that window (the overlap is at least twice as long
as a word), so it is taken whole from the neighbour.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from spark_control_speech.shapes import Segment, Transcript, Word


@dataclass(frozen=True)
class Window:
    index: int
    start: float
    end: float
    keep_from: float  # the cut with the previous window (-inf for the first)
    keep_to: float  # the cut with the next window (+inf for the last)

    def keeps(self, t: float) -> bool:
        return self.keep_from <= t < self.keep_to


def plan(duration: float, length: float, overlap: float) -> list[Window]:
    """The windows covering ``duration`` seconds (one window when it fits in one)."""
    if duration <= length:
        return [Window(0, 0.0, duration, -math.inf, math.inf)]
    step = length - overlap
    count = math.ceil((duration - overlap) / step)
    bounds = [(k * step, min(duration, k * step + length)) for k in range(count)]
    windows = []
    for k, (start, end) in enumerate(bounds):
        keep_from = (start + bounds[k - 1][1]) / 2 if k else -math.inf
        keep_to = (bounds[k + 1][0] + end) / 2 if k + 1 < count else math.inf
        windows.append(Window(k, start, end, keep_from, keep_to))
    return windows


def shift(transcript: Transcript, offset: float) -> Transcript:
    """A window's transcript on the whole file's clock."""
    return Transcript(
        text=transcript.text,
        duration=transcript.duration,
        words=[
            Word(w.start + offset, w.end + offset, w.word, w.speaker, w.placed)
            for w in transcript.words
        ],
        segments=[
            Segment(s.start + offset, s.end + offset, s.text, s.speaker)
            for s in transcript.segments
        ],
        language=transcript.language,
        text_only=transcript.text_only,
        interpolated=transcript.interpolated,
    )


def join_transcripts(
    parts: Sequence[tuple[Window, Transcript]], duration: float, pause_s: float = 1.0
) -> Transcript:
    """One transcript from the windows' (already shifted) transcripts."""
    if len(parts) == 1:
        only = parts[0][1]
        grouped = only.segments or _segments_by_pause(only.words, pause_s)
        return Transcript(
            only.text,
            duration,
            only.words,
            grouped,
            only.language,
            only.text_only,
            only.interpolated,
        )
    language = next((t.language for _, t in parts if t.language), None)
    if any(t.text_only for _, t in parts):
        return Transcript(_join_texts([t.text for _, t in parts]), duration, [], [], language, True)
    words: list[Word] = []
    segments: list[Segment] = []
    for window, transcript in parts:
        kept = [w for w in transcript.words if window.keeps(w.mid)]
        words += kept
        if transcript.segments and kept:
            segments += _regroup(transcript.segments, kept)
        elif transcript.segments:
            segments += [s for s in transcript.segments if window.keeps((s.start + s.end) / 2)]
        else:
            segments += _segments_by_pause(kept, pause_s)
    text = " ".join(s.text for s in segments if s.text) or " ".join(w.word for w in words)
    interpolated = sum(1 for w in words if w.placed)
    return Transcript(text, duration, words, segments, language, interpolated=interpolated)


def _regroup(segments: Sequence[Segment], kept: Sequence[Word]) -> list[Segment]:
    """The backend's segments of one window, holding only the words the window kept."""
    ordered = sorted(segments, key=lambda s: s.start)
    groups: dict[int, list[Word]] = {}
    k = 0
    for word in kept:
        while k + 1 < len(ordered) and word.mid >= ordered[k].end:
            k += 1
        groups.setdefault(k, []).append(word)
    return [
        Segment(ws[0].start, ws[-1].end, " ".join(w.word for w in ws))
        for _, ws in sorted(groups.items())
    ]


def _segments_by_pause(words: Sequence[Word], pause_s: float) -> list[Segment]:
    segments: list[Segment] = []
    run: list[Word] = []
    for word in words:
        if run and word.start - run[-1].end >= pause_s:
            segments.append(Segment(run[0].start, run[-1].end, " ".join(w.word for w in run)))
            run = []
        run.append(word)
    if run:
        segments.append(Segment(run[0].start, run[-1].end, " ".join(w.word for w in run)))
    return segments


_MAX_OVERLAP_WORDS = 80
_NORMAL = re.compile(r"[^\w']+")


def _norm(word: str) -> str:
    return _NORMAL.sub("", word.lower())


def _join_texts(texts: Sequence[str]) -> str:
    """Texts of overlapping windows (no timestamps) joined with the repeat taken out:
    the longest run of words ending one text and starting the next is kept once."""
    words: list[str] = []
    for text in texts:
        incoming = text.split()
        best = 0
        tail = [_norm(w) for w in words[-_MAX_OVERLAP_WORDS:]]
        head = [_norm(w) for w in incoming[:_MAX_OVERLAP_WORDS]]
        for size in range(min(len(tail), len(head)), 0, -1):
            if tail[-size:] == head[:size]:
                best = size
                break
        words += incoming[best:]
    return " ".join(words)
