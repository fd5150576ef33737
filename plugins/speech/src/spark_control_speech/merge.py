"""Speaker label merge: transcript words x diarizer turns → who said each word, and the
ASR's segments with speakers.

The rules (docs/AUDIO_API.md, "How speakers are assigned"):

1. A word gets the speaker whose turns cover most of it. One speaker's turns are first
   joined where they overlap, so no stretch of time counts twice. A turn that only
   touches the word's edge covers none of it. A zero-length word is covered by the turns
   it lies strictly inside.
2. A word no turn covers gets the speaker of the turn whose midpoint is nearest the
   word's midpoint; no word is left unlabelled.
3. Ties are broken by time, never by the label: between speakers covering a word
   equally, the one whose turn's midpoint is nearest the word's; between turns equally
   near by midpoint, the one whose nearer edge is closer; then the turn begun first.
4. One-word flips are smoothed: a word whose speaker differs from both neighbours, which
   agree, takes theirs, unless its own speaker's turns cover at least ``keep_coverage``
   of it (then it is a real interjection).
5. Segments are the ASR's: never joined, never split at a pause. A segment is split only
   where the speaker changes for a run of at least ``min_run_words`` words (runs counted
   over the whole transcript); a shorter run belongs to the run before it (the run after
   it at the very start). A segment without words takes a speaker like a word.

Everything is a few sorts and one sweep: words and turns are each sorted by start, and a
heap of the turns still open at the current word keeps the work near O((W + T) log T),
never W x T (bench/speech/bench_merge.py).
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import operator
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from spark_control_speech.shapes import Segment, Turn, Word

_EPS = 1e-9
_NOT_ALNUM = re.compile(r"[\W_]+")
_BY_TIME = operator.attrgetter("start", "end")


@dataclass(frozen=True)
class MergeRules:
    keep_coverage: float = 0.8
    min_run_words: int = 2
    # Only for grouping words that came without segments on a dual-channel recording.
    pause_s: float = 1.0


@dataclass
class Assignments:
    """Per word: its speaker, and how much of the word that speaker's turns cover (0..1)."""

    speakers: list[str]
    coverage: list[float]


class _Turns:
    """The diarizer's turns prepared for the sweep: each speaker's turns joined where they
    overlap or touch (``span_*``), and the turns as given for midpoints (``orig``)."""

    def __init__(self, turns: Sequence[Turn]) -> None:
        if not turns:
            raise ValueError("no diarizer turns to take speakers from")
        # The diarizer's order breaks the last ties (two turns alike in every time).
        given = sorted(range(len(turns)), key=lambda k: (turns[k].start, turns[k].end, k))
        self.orig = [turns[k] for k in given]
        self.rank = given
        self.o_start = [t.start for t in self.orig]
        self.longest = max(t.end - t.start for t in self.orig)
        by_mid = sorted(range(len(self.orig)), key=lambda k: self.orig[k].start + self.orig[k].end)
        self.mid_order = by_mid
        self.mids = [(self.orig[k].start + self.orig[k].end) / 2 for k in by_mid]
        joined: list[tuple[float, float, str]] = []
        last: dict[str, int] = {}
        for t in self.orig:  # by start, so a speaker's next turn joins its last or opens one
            k = last.get(t.speaker)
            if k is not None and t.start <= joined[k][1] + _EPS:
                if t.end > joined[k][1]:
                    joined[k] = (joined[k][0], t.end, t.speaker)
                continue
            last[t.speaker] = len(joined)
            joined.append((t.start, t.end, t.speaker))
        joined.sort()
        self.span_start = [s for s, _, _ in joined]
        self.span_end = [e for _, e, _ in joined]
        self.span_who = [w for _, _, w in joined]

    def nearest(self, start: float, end: float) -> str:
        """Rule 2 (with rule 3's tie-break): the turn nearest by midpoint."""
        mid = (start + end) / 2
        mids = self.mids
        j = bisect.bisect_left(mids, mid)
        best = min(
            (abs(mids[x] - mid) for x in (j - 1, j) if 0 <= x < len(mids)),
        )
        tied: list[int] = []
        x = j - 1
        while x >= 0 and mid - mids[x] <= best + _EPS:
            tied.append(self.mid_order[x])
            x -= 1
        x = j
        while x < len(mids) and mids[x] - mid <= best + _EPS:
            tied.append(self.mid_order[x])
            x += 1
        if len(tied) == 1:
            return self.orig[tied[0]].speaker
        orig = self.orig

        def edge(k: int) -> float:
            return max(orig[k].start - mid, mid - orig[k].end, 0.0)

        nearest_edge = min(edge(k) for k in tied)
        closest = [k for k in tied if edge(k) <= nearest_edge + _EPS]
        return orig[min(closest, key=lambda k: (orig[k].start, self.rank[k]))].speaker

    def nearest_of(self, start: float, end: float, speakers: Iterable[str]) -> str:
        """Rule 3: of speakers covering a word equally, the one whose covering turn's
        midpoint is nearest the word's (then the one whose turn began first)."""
        wanted = set(speakers)
        mid = (start + end) / 2
        lo = bisect.bisect_left(self.o_start, start - self.longest - _EPS)
        hi = bisect.bisect_left(self.o_start, end + _EPS)
        best: tuple[float, float, int] | None = None
        winner = ""
        for k in range(lo, hi):
            t = self.orig[k]
            if t.speaker not in wanted:
                continue
            # Touching counts here: the speaker's joined turns cover the word.
            if min(t.end, end) - max(t.start, start) < -_EPS:
                continue
            key = (abs((t.start + t.end) / 2 - mid), t.start, self.rank[k])
            if (
                best is None
                or key[0] < best[0] - _EPS
                or (abs(key[0] - best[0]) <= _EPS and key[1:] < best[1:])
            ):
                best, winner = key, t.speaker
        return winner or self.nearest(start, end)


def assign_speakers(words: Sequence[Word], turns: Sequence[Turn] | _Turns) -> Assignments:
    """Rules 1-3 for every word, in the order given. Needs at least one turn."""
    prepared = turns if isinstance(turns, _Turns) else _Turns(turns)
    starts = [w.start for w in words]
    order = sorted(range(len(words)), key=starts.__getitem__)  # linear when in order
    t_start, t_end = prepared.span_start, prepared.span_end
    count = len(t_start)
    speakers: list[str] = [""] * len(words)
    coverage: list[float] = [0.0] * len(words)
    open_turns: list[tuple[float, int]] = []  # (end, index) of spans begun before the word
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
        if w_end - w_start <= _EPS:
            speakers[i], coverage[i] = _instant_speaker(prepared, open_turns, w_start, w_end)
        else:
            speakers[i], coverage[i] = _overlap_speaker(prepared, open_turns, w_start, w_end)
    return Assignments(speakers, coverage)


def _instant_speaker(
    prepared: _Turns, open_turns: list[tuple[float, int]], w_start: float, w_end: float
) -> tuple[str, float]:
    """A word of no length: the one turn around it, else the nearest (coverage 1.0 when
    some turn holds it)."""
    t_start, t_who = prepared.span_start, prepared.span_who
    inside = {t_who[k] for _, k in open_turns if t_start[k] < w_start - _EPS}
    if len(inside) == 1:
        return inside.pop(), 1.0
    if inside:
        return prepared.nearest_of(w_start, w_end, inside), 1.0
    return prepared.nearest(w_start, w_end), 0.0


def _overlap_speaker(
    prepared: _Turns, open_turns: list[tuple[float, int]], w_start: float, w_end: float
) -> tuple[str, float]:
    """The speaker whose turns overlap the word most (a tie: the nearest of them), and
    the share of the word they cover; the nearest speaker (0.0) when none overlaps."""
    t_start, t_who = prepared.span_start, prepared.span_who
    winner: str | None = None
    most = 0.0
    totals: dict[str, float] | None = None
    for end, k in open_turns:
        s = t_start[k]
        overlap = (end if end < w_end else w_end) - (s if s > w_start else w_start)
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
        most = max(totals.values())
        tied = [who for who, total in totals.items() if total >= most - _EPS]
        winner = tied[0] if len(tied) == 1 else prepared.nearest_of(w_start, w_end, tied)
        most = totals[winner]
    if winner is None:
        return prepared.nearest(w_start, w_end), 0.0
    share = most / (w_end - w_start)
    return winner, share if share < 1.0 else 1.0


def smooth_flips(assigned: Assignments, rules: MergeRules) -> list[str]:
    """Rule 4: the speakers (of words sorted by time) after one-word flips are smoothed."""
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
    words: Sequence[Word], turns: Sequence[Turn] | _Turns, rules: MergeRules | None = None
) -> list[Word]:
    """Rules 1-4: the words (sorted by start; ties keep their order) with their speakers."""
    rules = rules or MergeRules()
    ordered = sorted(words, key=_BY_TIME)
    speakers = smooth_flips(assign_speakers(ordered, turns), rules)
    return [
        Word(w.start, w.end, w.word, s, w.placed) for w, s in zip(ordered, speakers, strict=True)
    ]


def diarize_transcript(
    words: Sequence[Word],
    segments: Sequence[Segment],
    turns: Sequence[Turn],
    rules: MergeRules | None = None,
    members: Sequence[Sequence[int]] | None = None,
) -> tuple[list[Word], list[Segment]]:
    """Rules 1-5: labelled words and the ASR's segments with speakers.

    ``members`` lists each segment's word indices in ``words`` (which must then be sorted
    by start); without it words are matched to segments by time. Without segments the
    words form one segment, split only where the speaker changes for a run.
    """
    from spark_control_speech.asr_input import members_by_time

    rules = rules or MergeRules()
    prepared = _Turns(turns)
    if members is None:
        words = sorted(words, key=_BY_TIME)
        members = members_by_time(words, segments) if segments else None
    labelled = label_words(words, prepared, rules)
    if members is None:
        if not labelled:
            return labelled, []
        whole = Segment(labelled[0].start, max(w.end for w in labelled), "")
        return labelled, split_segments(labelled, [whole], [range(len(labelled))], prepared, rules)
    return labelled, split_segments(labelled, segments, members, prepared, rules)


def split_segments(
    words: Sequence[Word],
    segments: Sequence[Segment],
    members: Sequence[Sequence[int]],
    turns: Sequence[Turn] | _Turns,
    rules: MergeRules,
) -> list[Segment]:
    """Rule 5: each segment with its speaker, split where the speaker changes for a run."""
    pieces = list(segment_pieces(words, segments, members, rules.min_run_words))
    wordless = [p for p in pieces if not p.words]
    if wordless:
        spans = [Word(p.segment.start, p.segment.end, "") for p in wordless]
        for piece, who in zip(wordless, assign_speakers(spans, turns).speakers, strict=True):
            piece.segment.speaker = who
    return [p.segment for p in pieces]


@dataclass
class Piece:
    """A segment, or one part of a split one, with the indices of its words."""

    segment: Segment
    words: list[int]


def segment_pieces(
    words: Sequence[Word],
    segments: Sequence[Segment],
    members: Sequence[Sequence[int]],
    min_run: int,
) -> Iterable[Piece]:
    """The segments split where the words' speaker changes for a run of ``min_run``
    words; a piece's speaker is who said most of its words (None without words)."""
    said = [w.speaker for w in words]
    owners = run_owners(said, min_run)
    for segment, member in zip(segments, members, strict=True):
        if not member:
            yield Piece(Segment(segment.start, segment.end, segment.text), [])
            continue
        idx = sorted(member)
        own = [owners[i] for i in idx]
        if own.count(own[0]) == len(own):
            text = segment.text or _join(words[i].word for i in idx)
            who = _speaker_of(words, idx, own[0], said)
            yield Piece(Segment(segment.start, segment.end, text, who), idx)
            continue
        cuts = [0] + [p for p in range(1, len(own)) if own[p] != own[p - 1]]
        tokens = segment.text.split()
        # The segment's own text (with its punctuation) when its words line up with it.
        aligned = len(tokens) == len(idx) and all(
            t == words[i].word or _plain(t) == _plain(words[i].word)
            for t, i in zip(tokens, idx, strict=True)
        )
        bounds = [*cuts, len(idx)]
        for n, (a, b) in enumerate(itertools.pairwise(bounds)):
            part = idx[a:b]
            start = segment.start if n == 0 else words[part[0]].start
            end = segment.end if b == len(idx) else max([words[i].end for i in part])
            text = " ".join(tokens[a:b]) if aligned else _join(words[i].word for i in part)
            who = _speaker_of(words, part, own[a], said)
            yield Piece(Segment(start, max(start, end), text, who), part)


def run_owners(speakers: Sequence[str | None], min_run: int) -> list[str | None]:
    """Per word, the speaker of the run it belongs to: its own in a run of at least
    ``min_run`` words, else the long run before it (after it at the start; None when the
    transcript has no long run)."""
    runs: list[tuple[int, int]] = []
    i = 0
    n = len(speakers)
    while i < n:
        j = i + 1
        while j < n and speakers[j] == speakers[i]:
            j += 1
        runs.append((i, j))
        i = j
    owners: list[str | None] = [None] * n
    current: str | None = None
    pending: list[tuple[int, int]] = []  # short runs before the first long one
    for a, b in runs:
        if b - a >= min_run:
            current = speakers[a]
            for pa, pb in pending:
                owners[pa:pb] = [current] * (pb - pa)
            pending = []
        elif current is None:
            pending.append((a, b))
            continue
        owners[a:b] = [current] * (b - a)
    return owners


def _speaker_of(
    words: Sequence[Word], idx: Sequence[int], owner: str | None, said: Sequence[str | None]
) -> str | None:
    """A piece's speaker: who said most of its words; on a tie the run's, then who spoke
    longest in it, then who spoke first."""
    who = [said[i] for i in idx]
    if who.count(who[0]) == len(who):
        return who[0]
    counts = Counter(who)
    most = max(counts.values())
    tied = [x for x, c in counts.items() if c == most]
    if len(tied) == 1:
        return tied[0]
    if owner in tied:
        return owner
    time: dict[str | None, float] = {}
    for i in idx:
        time[said[i]] = time.get(said[i], 0.0) + (words[i].end - words[i].start)
    longest = max(time[x] for x in tied)
    return next(x for x in who if x in tied and time[x] >= longest - _EPS)


def _plain(word: str) -> str:
    return _NOT_ALNUM.sub("", word.lower())


def _join(words: Iterable[str]) -> str:
    """Words back into text: no space before punctuation a backend gave as its own word."""
    parts: list[str] = []
    for word in words:
        word = word.strip()
        if not word:
            continue
        if parts and word[0] not in ",.;:!?%)]}'":
            parts.append(" ")
        parts.append(word)
    return "".join(parts)


def rename(
    words: Sequence[Word], segments: Sequence[Segment], names: Mapping[str, str]
) -> tuple[list[Word], list[Segment]]:
    """Speakers renamed (``{"A": "Alice"}``); labels not named stay as they are."""
    words = [
        Word(w.start, w.end, w.word, names.get(w.speaker or "", w.speaker), w.placed) for w in words
    ]
    segments = [
        Segment(s.start, s.end, s.text, names.get(s.speaker or "", s.speaker)) for s in segments
    ]
    return words, segments


def speakers_in_order(words: Sequence[Word], segments: Sequence[Segment] = ()) -> list[str]:
    """Speaker labels in order of first speech (words, and segments without words)."""
    first: dict[str, float] = {}
    for who, start in [
        *((w.speaker, w.start) for w in words),
        *((s.speaker, s.start) for s in segments),
    ]:
        if who is not None and (who not in first or start < first[who]):
            first[who] = start
    return sorted(first, key=first.__getitem__)
