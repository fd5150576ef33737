"""Speaker label merge: transcript words × diarizer turns → who said each word.

The rules (docs/AUDIO_API.md, "How speakers are assigned"):

1. A word gets the speaker whose turns overlap it the most in summed time; a turn that
   only touches the word's edge overlaps it by zero and does not count.
2. A word no turn overlaps gets the speaker of the turn nearest to the word's midpoint
   (distance to the turn's nearer edge), so no word is left unlabelled.
3. One-word flips are smoothed: a word whose speaker differs from both neighbours, which
   agree with each other, takes theirs, unless the diarizer covered at least
   ``keep_coverage`` of the word with its own speaker (then it is a real interjection).
4. Segments are runs of words of one speaker; a new segment starts where the speaker
   changes for at least ``min_run_words`` words, or after a pause of ``pause_s``.

Everything is one sort and one sweep: words and turns are each sorted by start, and a
heap of the turns still open at the current word keeps the work near O((W + T) log T),
never W × T. A 2-hour meeting (20,000 words, 2,000 turns) takes a few tens of
milliseconds (bench/speech/bench_merge.py).
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from spark_control_speech.shapes import Segment, Turn, Word

_EPS = 1e-9


@dataclass(frozen=True)
class MergeRules:
    keep_coverage: float = 0.8
    min_run_words: int = 2
    pause_s: float = 1.0


@dataclass
class Assignment:
    """A word's speaker and how much of the word that speaker's turns cover (0..1)."""

    speaker: str
    coverage: float


def assign_speakers(words: Sequence[Word], turns: Sequence[Turn]) -> list[Assignment]:
    """Rules 1 and 2 for every word, in the order given. Needs at least one turn."""
    if not turns:
        raise ValueError("no diarizer turns to take speakers from")
    order = sorted(range(len(words)), key=lambda i: words[i].start)
    by_start = sorted(turns, key=lambda t: t.start)
    starts = [t.start for t in by_start]
    # The turn reaching furthest right among the first k turns (for the nearest turn to
    # the left of a word that no turn overlaps).
    reach: list[int] = []
    best = -1
    for k, turn in enumerate(by_start):
        if best < 0 or turn.end > by_start[best].end:
            best = k
        reach.append(best)

    result: list[Assignment | None] = [None] * len(words)
    open_turns: list[tuple[float, int]] = []  # (end, index) of turns begun before the word
    nxt = 0
    for i in order:
        word = words[i]
        while nxt < len(by_start) and by_start[nxt].start < word.end - _EPS:
            heapq.heappush(open_turns, (by_start[nxt].end, nxt))
            nxt += 1
        while open_turns and open_turns[0][0] <= word.start + _EPS:
            heapq.heappop(open_turns)  # ended before this word: it cannot overlap later ones
        totals: dict[str, float] = {}
        for end, k in open_turns:
            overlap = min(end, word.end) - max(by_start[k].start, word.start)
            if overlap > _EPS:
                speaker = by_start[k].speaker
                totals[speaker] = totals.get(speaker, 0.0) + overlap
        if totals:
            speaker = max(sorted(totals), key=totals.__getitem__)  # ties: the first label
            length = max(word.end - word.start, _EPS)
            result[i] = Assignment(speaker, min(1.0, totals[speaker] / length))
        else:
            result[i] = Assignment(_nearest(word, by_start, starts, reach), 0.0)
    return [a for a in result if a is not None]


def _nearest(word: Word, turns: Sequence[Turn], starts: Sequence[float], reach: list[int]) -> str:
    mid = word.mid
    k = bisect.bisect_right(starts, mid)  # turns[:k] start at or before the midpoint
    left = turns[reach[k - 1]] if k > 0 else None
    right = turns[k] if k < len(turns) else None
    if left is None:
        assert right is not None
        return right.speaker
    left_gap = max(0.0, mid - left.end)
    if right is None or left_gap <= right.start - mid:
        return left.speaker
    return right.speaker


def smooth_flips(assignments: list[Assignment], rules: MergeRules) -> list[str]:
    """Rule 3: the speakers after one-word flips are smoothed."""
    speakers = [a.speaker for a in assignments]
    out = list(speakers)
    for i in range(1, len(speakers) - 1):
        before, here, after = speakers[i - 1], speakers[i], speakers[i + 1]
        if before == after != here and assignments[i].coverage < rules.keep_coverage:
            out[i] = before
    return out


def label_words(
    words: Sequence[Word], turns: Sequence[Turn], rules: MergeRules | None = None
) -> list[Word]:
    """Rules 1–3: the words (sorted by start) with their speakers."""
    rules = rules or MergeRules()
    ordered = sorted(words, key=lambda w: (w.start, w.end))
    speakers = smooth_flips(assign_speakers(ordered, turns), rules)
    return [Word(w.start, w.end, w.word, s) for w, s in zip(ordered, speakers, strict=True)]


def segments_from_words(words: Sequence[Word], rules: MergeRules | None = None) -> list[Segment]:
    """Rule 4: speaker segments from labelled words (sorted by start)."""
    rules = rules or MergeRules()
    segments: list[Segment] = []
    if not words:
        return segments
    breaks = _segment_starts(words, rules)
    for a, b in zip(breaks, [*breaks[1:], len(words)], strict=True):
        run = words[a:b]
        segments.append(
            Segment(
                start=run[0].start,
                end=max(w.end for w in run),
                text=_join(w.word for w in run),
                speaker=_majority(run),
            )
        )
    return segments


def _segment_starts(words: Sequence[Word], rules: MergeRules) -> list[int]:
    starts = [0]
    current = words[0].speaker
    i = 1
    while i < len(words):
        if words[i].start - words[i - 1].end >= rules.pause_s:
            starts.append(i)
            current = words[i].speaker
        elif words[i].speaker != current:
            run = 1
            while (
                i + run < len(words)
                and words[i + run].speaker == words[i].speaker
                and run < rules.min_run_words
            ):
                run += 1
            if run >= rules.min_run_words or i + run == len(words):
                starts.append(i)
                current = words[i].speaker
        i += 1
    return starts


def _majority(run: Sequence[Word]) -> str | None:
    time: dict[str | None, float] = {}
    for w in run:
        time[w.speaker] = time.get(w.speaker, 0.0) + (w.end - w.start)
    return max(time, key=lambda s: time[s])


def _join(words: Iterable[str]) -> str:
    """Words back into text: no space before punctuation a backend gave as its own word."""
    text = ""
    for word in words:
        word = word.strip()
        if not word:
            continue
        if text and word[0] not in ",.;:!?%)]}'":
            text += " "
        text += word
    return text


def rename(
    words: Sequence[Word], segments: Sequence[Segment], names: Mapping[str, str]
) -> tuple[list[Word], list[Segment]]:
    """Speakers renamed (``{"A": "Alice"}``); labels not named stay as they are."""
    words = [Word(w.start, w.end, w.word, names.get(w.speaker or "", w.speaker)) for w in words]
    segments = [
        Segment(s.start, s.end, s.text, names.get(s.speaker or "", s.speaker)) for s in segments
    ]
    return words, segments


def speakers_in_order(words: Sequence[Word]) -> list[str]:
    """Speaker labels in order of first appearance."""
    seen: dict[str, None] = {}
    for w in words:
        if w.speaker is not None:
            seen.setdefault(w.speaker, None)
    return list(seen)
