"""Speaker label merge: transcript words x diarizer turns → who said each word.

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
never W x T. A 2-hour meeting (20,000 words, 2,000 turns) takes a few tens of
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
class Assignments:
    """Per word: its speaker, and how much of the word that speaker's turns cover (0..1)."""

    speakers: list[str]
    coverage: list[float]


def assign_speakers(words: Sequence[Word], turns: Sequence[Turn]) -> Assignments:
    """Rules 1 and 2 for every word, in the order given. Needs at least one turn."""
    if not turns:
        raise ValueError("no diarizer turns to take speakers from")
    order = sorted(range(len(words)), key=lambda i: words[i].start)
    by_start = sorted(turns, key=lambda t: t.start)
    t_start = [t.start for t in by_start]
    t_end = [t.end for t in by_start]
    t_who = [t.speaker for t in by_start]
    # The turn reaching furthest right among the first k turns (for the nearest turn to
    # the left of a word that no turn overlaps).
    reach: list[int] = []
    best = 0
    for k, end in enumerate(t_end):
        if end > t_end[best]:
            best = k
        reach.append(best)

    count = len(by_start)
    speakers: list[str] = [""] * len(words)
    coverage: list[float] = [0.0] * len(words)
    open_turns: list[tuple[float, int]] = []  # (end, index) of turns begun before the word
    push, pop = heapq.heappush, heapq.heappop
    nxt = 0
    for i in order:
        word = words[i]
        w_start, w_end = word.start, word.end
        while nxt < count and t_start[nxt] < w_end - _EPS:
            push(open_turns, (t_end[nxt], nxt))
            nxt += 1
        while open_turns and open_turns[0][0] <= w_start + _EPS:
            pop(open_turns)  # ended before this word: it cannot overlap later ones
        winner: str | None = None
        most = 0.0
        totals: dict[str, float] | None = None
        for end, k in open_turns:
            overlap = (end if end < w_end else w_end) - (
                t_start[k] if t_start[k] > w_start else w_start
            )
            if overlap <= _EPS:
                continue
            who = t_who[k]
            if winner is None:
                winner, most = who, overlap
                continue
            if totals is None:
                totals = {winner: most}
            totals[who] = totals.get(who, 0.0) + overlap
        if totals is not None:
            winner = max(sorted(totals), key=totals.__getitem__)  # ties: the first label
            most = totals[winner]
        if winner is None:
            speakers[i] = _nearest(word.mid, t_start, t_end, t_who, reach)
        else:
            speakers[i] = winner
            coverage[i] = min(1.0, most / max(w_end - w_start, _EPS))
    return Assignments(speakers, coverage)


def _nearest(
    mid: float,
    t_start: Sequence[float],
    t_end: Sequence[float],
    t_who: Sequence[str],
    reach: Sequence[int],
) -> str:
    k = bisect.bisect_right(t_start, mid)  # turns[:k] start at or before the midpoint
    if k == 0:
        return t_who[0]
    left = reach[k - 1]
    left_gap = max(0.0, mid - t_end[left])
    if k == len(t_start) or left_gap <= t_start[k] - mid:
        return t_who[left]
    return t_who[k]


def smooth_flips(assigned: Assignments, rules: MergeRules) -> list[str]:
    """Rule 3: the speakers after one-word flips are smoothed."""
    speakers = assigned.speakers
    coverage = assigned.coverage
    out = list(speakers)
    keep = rules.keep_coverage
    for i in range(1, len(speakers) - 1):
        before = speakers[i - 1]
        if before == speakers[i + 1] != speakers[i] and coverage[i] < keep:
            out[i] = before
    return out


def label_words(
    words: Sequence[Word], turns: Sequence[Turn], rules: MergeRules | None = None
) -> list[Word]:
    """Rules 1-3: the words (sorted by start) with their speakers."""
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
