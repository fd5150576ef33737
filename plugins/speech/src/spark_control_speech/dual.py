"""Dual-channel recordings: the local microphone on one channel, the remote party on the
other, transcribed separately and merged in time order.

The local microphone also hears the remote party through the speakers ("bleed"), so the
local channel's transcript repeats some of the remote's words, quieter and a few
milliseconds later. A local segment is bleed, and dropped, when one remote segment

- overlaps it in time for at least ``time_overlap`` of the local segment's duration,
- contains at least ``word_overlap`` of the local segment's words (as a multiset, case
  and punctuation ignored), and
- both have at least ``min_words`` words.

A short local segment ("yes", said quietly while the remote party talks) never matches
the third condition, so genuine short answers survive. Tuned on the tone fixtures of
tests/speech/test_dual_channel.py; the defaults are the published 50 % / 80 % / 4.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from spark_control_speech.shapes import Segment, Word

_TOKEN = re.compile(r"[\w']+")


@dataclass(frozen=True)
class BleedRule:
    time_overlap: float = 0.5
    word_overlap: float = 0.8
    min_words: int = 4


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def is_bleed(local: Segment, remote: Segment, rule: BleedRule) -> bool:
    duration = local.end - local.start
    if duration <= 0:
        return False
    overlap = min(local.end, remote.end) - max(local.start, remote.start)
    if overlap / duration < rule.time_overlap:
        return False
    mine, theirs = _tokens(local.text), _tokens(remote.text)
    if len(mine) < rule.min_words or len(theirs) < rule.min_words:
        return False
    shared = sum((Counter(mine) & Counter(theirs)).values())
    return shared / len(mine) >= rule.word_overlap


@dataclass
class DualResult:
    words: list[Word]
    segments: list[Segment]
    dropped: list[Segment]


def merge_channels(
    local: tuple[Sequence[Word], Sequence[Segment]],
    remote: tuple[Sequence[Word], Sequence[Segment]],
    names: tuple[str, str],
    rule: BleedRule,
) -> DualResult:
    """Both channels labelled with their names, local bleed dropped, merged in time order."""
    local_name, remote_name = names
    remote_segments = sorted(remote[1], key=lambda s: s.start)
    kept: list[Segment] = []
    dropped: list[Segment] = []
    for segment in sorted(local[1], key=lambda s: s.start):
        if any(
            is_bleed(segment, other, rule)
            for other in remote_segments
            if other.start < segment.end and other.end > segment.start
        ):
            dropped.append(segment)
        else:
            kept.append(segment)
    words = [
        Word(w.start, w.end, w.word, local_name)
        for w in local[0]
        if not any(d.start <= w.mid <= d.end for d in dropped)
    ]
    words += [Word(w.start, w.end, w.word, remote_name) for w in remote[0]]
    segments = [Segment(s.start, s.end, s.text, local_name) for s in kept]
    segments += [Segment(s.start, s.end, s.text, remote_name) for s in remote_segments]
    words.sort(key=lambda w: (w.start, w.end))
    segments.sort(key=lambda s: (s.start, s.end))
    return DualResult(words, segments, dropped)
