"""Dual-channel recordings: the local microphone on one channel, the remote party on the
other, transcribed separately and merged in time order.

The local microphone also hears the remote party through the speakers ("bleed"), so the
local channel's transcript repeats some of the remote's words, quieter and a few
milliseconds later. A local segment is bleed, and dropped, when one remote segment

- overlaps it in time for at least ``time_overlap`` of the local segment's duration,
- contains at least ``word_overlap`` of the local segment's words (as a multiset, case
  and punctuation ignored), and
- both have at least ``min_words`` words.

Local segments are the local words in runs split at pauses and where remote speech
starts or stops, so bleed does not share a segment with what the local speaker said
before it. Inside a segment judged bleed, a word the remote party did not say at the
same moment (within ``ECHO_WINDOW_S``) is kept: a quiet "yes" said over the remote is
genuine. A short local segment never matches the third condition, so short answers
survive too. Tuned on the tone fixtures of
tests/speech/test_dual_channel.py; the defaults are the published 50 % / 80 % / 4.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from spark_control_speech.shapes import Segment, Word

_TOKEN = re.compile(r"[\w']+")
#: How late a word may reach the local microphone and still be the remote's echo.
ECHO_WINDOW_S = 0.3


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


def local_segments(
    words: Sequence[Word], remote: Sequence[Segment], pause_s: float
) -> list[list[Word]]:
    """The local words in runs, split at pauses and where remote speech starts or stops,
    so bleed never shares a segment with what the local speaker said before or after."""
    spans = sorted((s.start, s.end) for s in remote)
    starts = [a for a, _ in spans]

    def during_remote(word: Word) -> bool:
        k = bisect.bisect_right(starts, word.mid)
        return k > 0 and spans[k - 1][1] >= word.mid

    runs: list[list[Word]] = []
    state: bool | None = None
    for word in sorted(words, key=lambda w: w.start):
        here = during_remote(word)
        if runs and here == state and word.start - runs[-1][-1].end < pause_s:
            runs[-1].append(word)
        else:
            runs.append([word])
        state = here
    return runs


def _segment(run: Sequence[Word], speaker: str | None = None) -> Segment:
    return Segment(run[0].start, run[-1].end, " ".join(w.word for w in run), speaker)


def merge_channels(
    local: Sequence[Word],
    remote: tuple[Sequence[Word], Sequence[Segment]],
    names: tuple[str, str],
    rule: BleedRule,
    pause_s: float = 1.0,
) -> DualResult:
    """Both channels labelled with their names, local bleed dropped, merged in time order.

    In a local segment judged bleed, a word the remote did not say within
    ``ECHO_WINDOW_S`` is kept: a quiet "yes" said over the remote party is genuine.
    """
    local_name, remote_name = names
    remote_words, remote_segments = remote
    remote_segments = sorted(remote_segments, key=lambda s: s.start)
    kept: list[list[Word]] = []
    dropped: list[Segment] = []
    for run in local_segments(local, remote_segments, pause_s):
        segment = _segment(run)
        echoed = [
            other
            for other in remote_segments
            if other.start < segment.end
            and other.end > segment.start
            and is_bleed(segment, other, rule)
        ]
        if not echoed:
            kept.append(run)
            continue
        heard = [
            w for w in remote_words if echoed[0].start - ECHO_WINDOW_S <= w.start <= echoed[-1].end
        ]
        echoes = [w for w in run if _echo_of(w, heard)]
        genuine = [w for w in run if not _echo_of(w, heard)]
        dropped.append(_segment(echoes or run))
        if genuine and echoes:
            kept.append(genuine)
    words = [Word(w.start, w.end, w.word, local_name) for run in kept for w in run]
    words += [Word(w.start, w.end, w.word, remote_name) for w in remote_words]
    segments = [_segment(run, local_name) for run in kept]
    segments += [Segment(s.start, s.end, s.text, remote_name) for s in remote_segments]
    words.sort(key=lambda w: (w.start, w.end))
    segments.sort(key=lambda s: (s.start, s.end))
    return DualResult(words, segments, dropped)


def _echo_of(word: Word, heard: Sequence[Word]) -> bool:
    token = _tokens(word.word)
    return any(
        abs(other.start - word.start) <= ECHO_WINDOW_S and _tokens(other.word) == token
        for other in heard
    )
