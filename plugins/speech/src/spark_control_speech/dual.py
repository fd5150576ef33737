"""Dual-channel recordings: the local microphone on one channel, the remote party on the
other, transcribed separately and merged in time order.

The local microphone also hears the remote party through the speakers ("bleed"), so the
local channel's transcript repeats some of the remote's words, quieter and a little
later. The rule (docs/AUDIO_API.md, "The bleed rule"):

1. Local segments are the local ASR's (words without segments are grouped at pauses of
   ``pause_s``). A local word is an echo when the remote said the same word within
   ``ECHO_WINDOW_S`` of it; a local segment is split where its words change between
   echo and not for a run of at least two words (the merge's split rule), so an echo
   that the ASR put in one segment with what the local speaker said stays apart. Kept
   parts join again unless a dropped part lies between them, so a segment from which no
   bleed was taken comes out whole.
2. A local segment (or part) is bleed, and dropped whole, when against the **union of
   the remote segments it overlaps** in time:

   - that union covers at least ``time_overlap`` of its duration,
   - the union's words contain at least ``word_overlap`` of its words (as a multiset,
     case and punctuation ignored), and
   - both it and the union have at least ``min_words`` words.

Comparing with the union (not one remote segment at a time) catches echo of a remote
party who speaks sentences less than a second apart. The defaults are the published
50 % / 80 % / 4, checked on the tone fixtures of tests/speech/test_dual_channel.py.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from spark_control_speech.asr_input import members_by_time
from spark_control_speech.merge import MergeRules, Piece, segment_pieces
from spark_control_speech.shapes import Segment, Word

_TOKEN = re.compile(r"[\w']+")
_EPS = 1e-9
#: How far apart in time the same word may be on both channels and still be an echo.
ECHO_WINDOW_S = 0.3
_ECHO, _OWN = "echo", "own"


@dataclass(frozen=True)
class BleedRule:
    time_overlap: float = 0.5
    word_overlap: float = 0.8
    min_words: int = 4


@dataclass
class Channel:
    """One channel's transcript: words sorted by start, segments, and each segment's
    word indices (None: match by time; no segments: group at pauses)."""

    words: list[Word]
    segments: list[Segment]
    members: list[list[int]] | None = None


@dataclass
class DualResult:
    words: list[Word]
    segments: list[Segment]
    dropped: list[Segment]


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def is_bleed(
    span: tuple[float, float],
    mine: Sequence[str],
    remote: Sequence[tuple[float, float]],
    theirs: Sequence[str],
    rule: BleedRule,
) -> bool:
    """Rule 2 for a local stretch ``span`` with tokens ``mine``, against the remote
    segments' spans it overlaps and all their tokens ``theirs``."""
    start, end = span
    duration = end - start
    if duration <= _EPS or len(mine) < rule.min_words or len(theirs) < rule.min_words:
        return False
    covered = 0.0
    reach = start
    for a, b in sorted(remote):  # the union: overlapping remote spans count once
        a, b = max(a, reach), min(b, end)
        if b > a:
            covered += b - a
            reach = b
    if covered / duration < rule.time_overlap - _EPS:
        return False
    shared = sum((Counter(mine) & Counter(theirs)).values())
    return shared / len(mine) >= rule.word_overlap - _EPS


def _grouped(channel: Channel, pause_s: float) -> tuple[list[Segment], list[list[int]]]:
    words = channel.words
    if channel.segments:
        members = channel.members
        if members is None:
            members = members_by_time(words, channel.segments)
        return list(channel.segments), [list(m) for m in members]
    members = []
    for i, word in enumerate(words):
        if members and word.start - words[members[-1][-1]].end < pause_s:
            members[-1].append(i)
        else:
            members.append([i])
    segments = [
        Segment(words[m[0]].start, max(words[i].end for i in m), " ".join(words[i].word for i in m))
        for m in members
    ]
    return segments, members


class _Remote:
    """The remote channel, indexed for the questions the local side asks."""

    def __init__(
        self, segments: Sequence[Segment], members: Sequence[Sequence[int]], words: Sequence[Word]
    ) -> None:
        order = sorted(range(len(segments)), key=lambda k: segments[k].start)
        self.segments = [segments[k] for k in order]
        self.tokens = [
            tokens(" ".join(words[i].word for i in members[k]) if members[k] else segments[k].text)
            for k in order
        ]
        self.starts = [s.start for s in self.segments]
        self.longest = max((s.end - s.start for s in self.segments), default=0.0)
        self.words = sorted(words, key=lambda w: w.start)
        self.word_starts = [w.start for w in self.words]
        self.word_tokens = [tokens(w.word) for w in self.words]

    def overlapping(self, start: float, end: float) -> list[int]:
        lo = bisect.bisect_left(self.starts, start - self.longest - _EPS)
        hi = bisect.bisect_left(self.starts, end)
        return [
            k
            for k in range(lo, hi)
            if min(end, self.segments[k].end) - max(start, self.segments[k].start) > _EPS
        ]

    def echoes(self, word: Word) -> bool:
        """Did the remote say this word within ECHO_WINDOW_S of it?"""
        token = tokens(word.word)
        if not token:
            return False
        if self.words:
            lo = bisect.bisect_left(self.word_starts, word.start - ECHO_WINDOW_S - _EPS)
            hi = bisect.bisect_right(self.word_starts, word.start + ECHO_WINDOW_S + _EPS)
            return any(self.word_tokens[k] == token for k in range(lo, hi))
        near = self.overlapping(word.start - ECHO_WINDOW_S, word.end + ECHO_WINDOW_S)
        return any(token[0] in self.tokens[k] for k in near)


@dataclass
class _Kept:
    """Consecutive kept pieces of one local segment (``source``; -1: a wordless one)."""

    source: int
    pieces: list[Piece]

    def segment(self, segments: Sequence[Segment], name: str) -> Segment:
        first, last = self.pieces[0].segment, self.pieces[-1].segment
        whole = segments[self.source] if self.source >= 0 else first
        if first.start == whole.start and last.end == whole.end:
            return Segment(whole.start, whole.end, whole.text, name)
        text = " ".join(p.segment.text for p in self.pieces)
        return Segment(first.start, last.end, text, name)


def merge_channels(
    local: Channel,
    remote: Channel,
    names: tuple[str, str],
    rule: BleedRule,
    rules: MergeRules | None = None,
) -> DualResult:
    """Both channels labelled with their names, local bleed dropped, merged in time order."""
    rules = rules or MergeRules()
    local_name, remote_name = names
    local_words = sorted(local.words, key=lambda w: (w.start, w.end))
    if local_words != local.words:
        local = Channel(local_words, local.segments, None)
    remote_segments, remote_members = _grouped(remote, rules.pause_s)
    other = _Remote(remote_segments, remote_members, remote.words)
    segments, members = _grouped(local, rules.pause_s)
    flagged = [
        Word(w.start, w.end, w.word, _ECHO if other.echoes(w) else _OWN) for w in local.words
    ]
    kept: list[_Kept] = []
    dropped: list[Segment] = []
    source = {i: k for k, member in enumerate(members) for i in member}
    last_kept = False
    for piece in segment_pieces(flagged, segments, members, rules.min_run_words):
        seg = piece.segment
        text = " ".join(local.words[i].word for i in piece.words) if piece.words else seg.text
        near = other.overlapping(seg.start, seg.end)
        theirs = [t for k in near for t in other.tokens[k]]
        spans = [(other.segments[k].start, other.segments[k].end) for k in near]
        if is_bleed((seg.start, seg.end), tokens(text), spans, theirs, rule):
            dropped.append(Segment(seg.start, seg.end, seg.text))
            last_kept = False
            continue
        k = source[piece.words[0]] if piece.words else -1
        # Pieces split apart only for the echo test join again when nothing between them
        # was dropped: a local segment is never split where no bleed was taken out of it.
        if last_kept and k >= 0 and kept[-1].source == k:
            kept[-1].pieces.append(piece)
        else:
            kept.append(_Kept(k, [piece]))
        last_kept = True
    kept_segments = [part.segment(segments, local_name) for part in kept]
    kept_words = [
        Word(w.start, w.end, w.word, local_name)
        for part in kept
        for piece in part.pieces
        for w in (local.words[i] for i in piece.words)
    ]
    words = kept_words + [Word(w.start, w.end, w.word, remote_name, w.placed) for w in remote.words]
    out = kept_segments + [Segment(s.start, s.end, s.text, remote_name) for s in remote_segments]
    words.sort(key=lambda w: (w.start, w.end))
    out.sort(key=lambda s: (s.start, s.end))
    return DualResult(words, out, dropped)
