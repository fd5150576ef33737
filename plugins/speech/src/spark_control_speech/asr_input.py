"""ASR output as backends and apps send it, read into timed words grouped in segments.

One reader for every shape the speech plugin meets (docs/AUDIO_API.md, "Merge"):

- OpenAI ``verbose_json``: top-level ``words`` and ``segments`` (segments hold no words);
- WhisperX: ``segments`` each with its own ``words``, and ``word_segments`` (the same
  words, flat); numbers and symbols often come without ``start``/``end``;
- NeMo: ``timestamps: {"word": [...], "segment": [{"segment", "start", "end"}]}``.

A word without timestamps takes the time between its timed neighbours in its segment
(the segment's edge where it has none); several such words share that gap evenly. A word
with only one of ``start``/``end`` is placed at that instant. The count of words placed
this way is reported. Words are matched to segments by their own list when the segments
carry one, else by time (a word belongs to the segment holding its midpoint); an untimed
word between two segments fills the earlier segment up to its text's word count.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spark_control_speech.shapes import Segment, Word

_EPS = 1e-9
_BIG = 1e300  # a float between -_BIG and _BIG is finite (NaN fails both comparisons)


class ShapeError(ValueError):
    """ASR output that cannot be read; ``field`` names where (``segments.2.words.0``)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass
class Heard:
    """Timed words (sorted by start) and segments (sorted by start), each segment with
    the indices of its words; ``members`` is None when the input had no segments."""

    words: list[Word]
    segments: list[Segment]
    members: list[list[int]] | None
    interpolated: int = 0


@dataclass
class _Raw:
    text: str
    start: float | None
    end: float | None
    order: int


def _time(value: Any, field: str) -> float | None:
    if value is None:
        return None
    try:
        t = float(value)
    except (TypeError, ValueError):
        raise ShapeError(field, f"not a number: {value!r}") from None
    if t != t or t in (float("inf"), float("-inf")):
        raise ShapeError(field, "not a finite number")
    return t


def _raw_word(item: Any, prefix: str, i: int) -> _Raw:
    """Word ``i`` of the list at ``prefix`` (the field path is only built for an error)."""
    if type(item) is not dict and not isinstance(item, Mapping):
        raise ShapeError(f"{prefix}.{i}", "a word is an object with 'word' (and 'start', 'end')")
    text = item.get("word")
    if text is None:
        text = item.get("text")
    if type(text) is not str:
        raise ShapeError(f"{prefix}.{i}.word", "missing or not a string")
    start = item.get("start")
    end = item.get("end")
    # Fast path for what every backend sends: two finite floats in order.
    if type(start) is not float or not -_BIG < start < _BIG:
        start = _time(start, f"{prefix}.{i}.start")
    if type(end) is not float or not -_BIG < end < _BIG:
        end = _time(end, f"{prefix}.{i}.end")
    if start is not None and end is not None and end < start:
        raise ShapeError(f"{prefix}.{i}", f"ends ({end}) before it starts ({start})")
    return _Raw(text.strip(), start, end, i)


def _list(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ShapeError(field, "expected a list")
    return value


def read(body: Mapping[str, Any]) -> Heard:
    """Words and segments of one transcript in any of the shapes above."""
    words_field, words_in, segments_field, segments_in = _sources(body)
    flat = [_raw_word(item, words_field, i) for i, item in enumerate(_list(words_in, words_field))]
    heads, nested = _segment_heads(segments_in, segments_field)
    if nested is not None and not any(nested) and flat:
        nested = None  # empty per-segment lists next to real top-level words

    if not heads:
        if not flat:
            return Heard([], [], None)
        groups = [flat]
        bounds: list[tuple[float | None, float | None]] = [(None, None)]
    elif nested is not None:
        groups = nested
        bounds = [(s, e) for _, s, e in heads]
    else:
        groups = _by_time(flat, heads, segments_field)
        bounds = [(s, e) for _, s, e in heads]

    interpolated = 0
    timed_groups: list[list[Word]] = []
    for k, (group, (lo, hi)) in enumerate(zip(groups, bounds, strict=True)):
        timed, count = _place(group, lo, hi, f"{segments_field}.{k}" if heads else words_field)
        interpolated += count
        timed_groups.append(timed)
    if not heads:
        return _assemble(timed_groups, None, interpolated)
    return _assemble(timed_groups, _segments(heads, timed_groups, segments_field), interpolated)


def _sources(body: Mapping[str, Any]) -> tuple[str, Any, str, list[Any]]:
    """Where the words and the segments are: (field, value) of each."""
    stamps = body.get("timestamps")
    if stamps is not None and not isinstance(stamps, Mapping):
        raise ShapeError("timestamps", "expected {'word': [...], 'segment': [...]}")
    stamps = stamps or {}
    if body.get("words") is not None:
        words_field, words_in = "words", body.get("words")
    elif body.get("word_segments") is not None:
        words_field, words_in = "word_segments", body.get("word_segments")
    else:
        words_field, words_in = "timestamps.word", stamps.get("word")
    segments_field = "segments" if body.get("segments") is not None else "timestamps.segment"
    segments_in = _list(body.get("segments", stamps.get("segment")), segments_field)
    return words_field, words_in, segments_field, segments_in


_Head = tuple[str, float | None, float | None]


def _segment_heads(
    segments_in: list[Any], segments_field: str
) -> tuple[list[_Head], list[list[_Raw]] | None]:
    """Each segment's (text, start, end), and its own words when segments carry them."""
    heads: list[_Head] = []
    nested: list[list[_Raw]] | None = None
    for i, item in enumerate(segments_in):
        field = f"{segments_field}.{i}"
        heads.append(_segment_head(item, field))
        if isinstance(item.get("words"), list):
            nested = nested if nested is not None else [[] for _ in range(i)]
        if nested is not None:
            nested.append(
                [
                    _raw_word(w, f"{field}.words", k)
                    for k, w in enumerate(_list(item.get("words"), f"{field}.words"))
                ]
            )
    return heads, nested


def _segment_head(item: Any, field: str) -> _Head:
    if not isinstance(item, Mapping):
        raise ShapeError(field, "a segment is an object with 'text', 'start', 'end'")
    text = item.get("text", item.get("segment", ""))
    if not isinstance(text, str):
        raise ShapeError(f"{field}.text", "not a string")
    start = _time(item.get("start"), f"{field}.start")
    end = _time(item.get("end"), f"{field}.end")
    if start is not None and end is not None and end < start:
        raise ShapeError(field, f"ends ({end}) before it starts ({start})")
    return text.strip(), start, end


def _segments(
    heads: list[_Head], timed_groups: list[list[Word]], segments_field: str
) -> list[Segment]:
    """The segments, a missing time taken from their words."""
    segments: list[Segment] = []
    for (text, start, end), words in zip(heads, timed_groups, strict=True):
        if start is None or end is None:
            if not words:
                raise ShapeError(
                    f"{segments_field}.{len(segments)}", "a segment without words needs its times"
                )
            start = min(w.start for w in words) if start is None else start
            end = max(w.end for w in words) if end is None else end
        segments.append(Segment(start, end, text))
    return segments


def _assemble(groups: list[list[Word]], segments: list[Segment] | None, interpolated: int) -> Heard:
    """Words sorted by time (ties keep their order) and each segment's word indices."""
    words_in = [w for group in groups for w in group]
    group_of = [g for g, group in enumerate(groups) for _ in group]
    # Ties keep their order: the index is the last key (a stable sort by start, end).
    order = sorted(
        range(len(words_in)),
        key=list(
            zip(
                (w.start for w in words_in),
                (w.end for w in words_in),
                range(len(words_in)),
                strict=True,
            )
        ).__getitem__,
    )
    words = [words_in[i] for i in order]
    if segments is None:
        return Heard(words, [], None, interpolated)
    members_by_group: list[list[int]] = [[] for _ in groups]
    for position, i in enumerate(order):
        members_by_group[group_of[i]].append(position)
    seg_order = sorted(range(len(segments)), key=lambda k: (segments[k].start, segments[k].end, k))
    return Heard(
        words,
        [segments[k] for k in seg_order],
        [members_by_group[k] for k in seg_order],
        interpolated,
    )


def _place(
    group: Sequence[_Raw], lo: float | None, hi: float | None, field: str
) -> tuple[list[Word], int]:
    """The group's words with times; untimed ones spread over the gap they sit in."""
    out: list[Word] = []
    count = 0
    n = len(group)
    i = 0
    while i < n:
        raw = group[i]
        if raw.start is not None and raw.end is not None:
            out.append(Word(raw.start, raw.end, raw.text))
            i += 1
            continue
        if raw.start is not None or raw.end is not None:
            at = raw.start if raw.start is not None else raw.end
            assert at is not None
            out.append(Word(at, at, raw.text, placed=True))
            count += 1
            i += 1
            continue
        j = i
        while j < n and group[j].start is None and group[j].end is None:
            j += 1
        left = out[-1].end if out else lo
        right = _first_time(group[j:]) if j < n else None
        right = right if right is not None else hi
        if left is None and right is None:
            raise ShapeError(
                field, "no timestamps to place its words by (give the segment's times)"
            )
        left = left if left is not None else right
        right = right if right is not None else left
        assert left is not None and right is not None
        right = max(left, right)
        n_run = j - i
        edges = [left + (right - left) * m / n_run for m in range(n_run)] + [right]
        for k in range(i, j):
            m = k - i
            out.append(Word(edges[m], edges[m + 1], group[k].text, placed=True))
        count += j - i
        i = j
    return out, count


def _first_time(rest: Sequence[_Raw]) -> float | None:
    for raw in rest:
        if raw.start is not None:
            return raw.start
        if raw.end is not None:
            return raw.end
    return None


def _by_time(
    flat: Sequence[_Raw], heads: Sequence[tuple[str, float | None, float | None]], field: str
) -> list[list[_Raw]]:
    """Top-level words shared out to segments that do not list their own words."""
    spans: list[tuple[float, float]] = []
    for k, (_, start, end) in enumerate(heads):
        if start is None or end is None:
            raise ShapeError(f"{field}.{k}", "needs 'start' and 'end' to match words to it")
        spans.append((start, end))
    order = sorted(range(len(spans)), key=lambda k: spans[k])
    starts = [spans[k][0] for k in order]
    rank = {k: r for r, k in enumerate(order)}
    groups: list[list[_Raw]] = [[] for _ in heads]
    home: list[int | None] = []
    for raw in flat:
        if raw.start is None or raw.end is None:
            at = raw.start if raw.start is not None else raw.end
            home.append(None if at is None else _segment_at(at, at, spans, order, starts))
        else:
            home.append(_segment_at(raw.start, raw.end, spans, order, starts))
    # Untimed words between two timed ones: fill the segments in between by word count.
    i = 0
    while i < len(flat):
        if home[i] is not None:
            groups[home[i]].append(flat[i])  # type: ignore[index]
            i += 1
            continue
        j = i
        while j < len(flat) and home[j] is None:
            j += 1
        before = home[i - 1] if i > 0 else None
        after = home[j] if j < len(flat) else None
        first = rank[before] if before is not None else 0
        last = rank[after] if after is not None else len(order) - 1
        run = list(flat[i:j])
        for r in range(first, last + 1):
            k = order[r]
            room = len(heads[k][0].split()) - len(groups[k])
            take = len(run) if r == last else max(0, room)
            groups[k] += run[:take]
            run = run[take:]
        i = j
    return groups


def _segment_at(
    start: float,
    end: float,
    spans: Sequence[tuple[float, float]],
    order: Sequence[int],
    starts: Sequence[float],
) -> int:
    """The segment holding the word's midpoint (the one it overlaps most when two do),
    else the nearest."""
    mid = (start + end) / 2
    r = bisect.bisect_right(starts, mid + _EPS)
    holding = [order[x] for x in range(max(0, r - 3), r) if spans[order[x]][1] >= mid - _EPS]
    if holding:
        return max(
            holding,
            key=lambda k: (min(end, spans[k][1]) - max(start, spans[k][0]), -spans[k][0]),
        )
    candidates = [order[x] for x in (r - 1, r) if 0 <= x < len(order)]
    return min(
        candidates,
        key=lambda k: max(spans[k][0] - mid, mid - spans[k][1], 0.0),
    )


def members_by_time(words: Sequence[Word], segments: Sequence[Segment]) -> list[list[int]]:
    """For timed words (sorted) and segments: each segment's word indices, by time."""
    members: list[list[int]] = [[] for _ in segments]
    if not segments:
        return members
    spans = [(s.start, s.end) for s in segments]
    order = sorted(range(len(spans)), key=spans.__getitem__)
    starts = [spans[k][0] for k in order]
    ends = [spans[k][1] for k in order]
    mids = [(w.start + w.end) / 2 for w in words]
    apart = all(ends[r] <= starts[r + 1] for r in range(len(order) - 1))
    if apart and mids == sorted(mids):
        # Segments one after another and midpoints in order (the usual ASR output):
        # each segment's words are a slice; a midpoint on a shared edge goes to the
        # earlier segment, words in a gap to the nearer segment.
        left, right = bisect.bisect_left, bisect.bisect_right
        taken = 0
        for r, k in enumerate(order):
            lo = max(taken, left(mids, starts[r] - _EPS))
            for i in range(taken, lo):  # in the gap before this segment
                before = mids[i] - ends[r - 1] if r else float("inf")
                members[order[r - 1] if before <= starts[r] - mids[i] else k].append(i)
            hi = max(lo, right(mids, ends[r] + _EPS))
            members[k].extend(range(lo, hi))
            taken = hi
        members[order[-1]].extend(range(taken, len(words)))
        return members
    for i, word in enumerate(words):
        members[_segment_at(word.start, word.end, spans, order, starts)].append(i)
    return members
