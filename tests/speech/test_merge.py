"""Label merge as a library: the word rules against hand-made cases (each bug of issue
22 pinned by one), the segment rules on realistic ASR shapes, and the sweep against a
brute-force reference on random meetings. The same rules over HTTP are in
test_merge_table.py."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from spark_control_speech.asr_input import read
from spark_control_speech.backends import parse_nemo, parse_verbose_json
from spark_control_speech.merge import (
    MergeRules,
    assign_speakers,
    diarize_transcript,
    label_words,
    rename,
    speakers_in_order,
)
from spark_control_speech.shapes import Segment, Turn, Word


def w(start: float, end: float, text: str = "word") -> Word:
    return Word(start, end, text)


def speakers(words: list[Word], turns: list[Turn], **rules: float) -> list[str | None]:
    return [x.speaker for x in label_words(words, turns, MergeRules(**rules))]  # type: ignore[arg-type]


def test_a_word_takes_the_speaker_with_the_most_summed_overlap() -> None:
    # A overlaps the word by 0.2 + 0.2 in two turns; B by 0.3 in one.
    turns = [Turn(0.0, 1.2, "A"), Turn(1.2, 1.5, "B"), Turn(1.5, 1.7, "A"), Turn(1.7, 3, "C")]
    assert speakers([w(1.0, 1.7)], turns) == ["A"]
    # Without the second A turn, B wins.
    assert speakers([w(1.0, 1.7)], [Turn(0.0, 1.2, "A"), Turn(1.2, 1.5, "B")]) == ["B"]


def test_a_turn_that_only_touches_the_word_does_not_count() -> None:
    turns = [Turn(0.0, 1.0, "A"), Turn(1.5, 3.0, "B")]
    assert speakers([w(1.0, 2.0)], turns) == ["B"]
    turns = [Turn(0.0, 1.2, "A"), Turn(2.0, 3.0, "B")]
    assert speakers([w(1.0, 2.0)], turns) == ["A"]


def test_bug5_no_overlap_takes_the_turn_nearest_by_midpoint() -> None:
    # Midpoint 5.1: A's edge is 0.2 away but its midpoint 2.65; B's midpoint is 0.7 away.
    turns = [Turn(0.0, 4.9, "A"), Turn(5.6, 6.0, "B")]
    assert speakers([w(5.0, 5.2)], turns) == ["B"]
    # Both edges touch the word (no overlap): B's midpoint (2.1) is nearer than A's (0.5).
    assert speakers([w(1.0, 2.0)], [Turn(0.0, 1.0, "A"), Turn(2.0, 2.2, "B")]) == ["B"]


def test_bug7_equal_overlap_goes_to_the_speaker_nearest_in_time_not_the_alphabet() -> None:
    # Both cover half the word; SPEAKER_01's turn is centred nearer the word.
    turns = [Turn(1.5, 3.5, "SPEAKER_00"), Turn(0.9, 1.5, "SPEAKER_01")]
    assert speakers([w(1.0, 2.0)], turns) == ["SPEAKER_01"]
    # Mirrored labels: the answer follows the time, not the name.
    turns = [Turn(1.5, 3.5, "SPEAKER_01"), Turn(0.9, 1.5, "SPEAKER_00")]
    assert speakers([w(1.0, 2.0)], turns) == ["SPEAKER_00"]


def test_bug7_equally_near_midpoints_go_to_who_spoke_nearest() -> None:
    # Midpoints 0.85 and 3.35 are both 1.25 from the word's 2.1; Zed's edge is nearer.
    turns = [Turn(0.0, 1.7, "Zed"), Turn(2.9, 3.8, "Amy")]
    assert speakers([w(2.0, 2.2)], turns) == ["Zed"]


def test_overlapping_turns_of_one_speaker_are_not_counted_twice() -> None:
    # A's two turns cover the same 0.5 s of the word; B covers 0.7 s.
    turns = [Turn(0.5, 1.5, "A"), Turn(0.6, 1.5, "A"), Turn(1.3, 2.0, "B")]
    assert speakers([w(1.0, 2.0)], turns) == ["B"]


def test_zero_length_words_take_the_turn_they_lie_inside() -> None:
    turns = [Turn(0.0, 5.0, "A"), Turn(5.5, 6.0, "B")]
    assert speakers([w(4.8, 4.8, "%")], turns) == ["A"]
    # On a turn change it only touches both: the nearest by midpoint.
    assert speakers([w(2.0, 2.0)], [Turn(0.0, 2.0, "A"), Turn(2.0, 3.0, "B")]) == ["B"]


def test_unaligned_words_before_and_after_every_turn_are_still_labelled() -> None:
    turns = [Turn(2.0, 3.0, "A"), Turn(3.0, 4.0, "B")]
    words = [w(0.1, 0.4, "early"), w(2.2, 2.5), w(3.2, 3.5), w(9.0, 9.3, "late")]
    assert speakers(words, turns) == ["A", "A", "B", "B"]


def test_a_one_word_flip_at_a_turn_boundary_is_smoothed() -> None:
    turns = [Turn(0.0, 1.05, "A"), Turn(1.05, 1.35, "B"), Turn(1.35, 3.0, "A")]
    words = [w(0.5, 0.9), w(1.0, 1.5), w(1.6, 2.0), w(2.1, 2.5)]
    assert assign_speakers(words, turns).speakers == ["A", "B", "A", "A"]
    assert speakers(words, turns) == ["A", "A", "A", "A"]


def test_a_real_one_word_interjection_is_kept() -> None:
    turns = [Turn(0.0, 1.0, "A"), Turn(1.0, 1.5, "B"), Turn(1.5, 3.0, "A")]
    words = [w(0.5, 0.9), w(1.1, 1.4, "yes"), w(1.6, 2.0)]
    assert speakers(words, turns) == ["A", "B", "A"]


def test_five_people_and_a_diarizer_that_tells_four_apart_leave_no_word_unlabelled() -> None:
    spoken = [("A", 0.0), ("B", 2.0), ("C", 4.0), ("D", 6.0), ("A", 8.0)]
    turns = [Turn(t, t + 1.8, s) for s, t in spoken]
    words = [w(t + 0.2 + k * 0.5, t + 0.6 + k * 0.5) for _, t in spoken for k in range(3)]
    labels = speakers(words, turns)
    assert None not in labels
    assert set(labels) == {"A", "B", "C", "D"}
    assert labels[-3:] == ["A", "A", "A"]


# Segments: the ASR's are kept (bugs 1, 3, 4).


def _texts(segments: list[Segment]) -> list[tuple[str | None, str]]:
    return [(s.speaker, s.text) for s in segments]


def test_bug1_asr_segments_are_kept_not_rebuilt_or_split_at_pauses() -> None:
    words = [w(0.0, 0.3, "wait"), w(0.4, 0.7, "for"), w(2.5, 2.8, "it"), w(3.0, 3.3, "yes")]
    segments = [Segment(0.0, 2.8, "Wait for... it."), Segment(3.0, 3.3, "Yes.")]
    turns = [Turn(0.0, 3.5, "A")]
    _, out = diarize_transcript(words, segments, turns)
    # Not split at the 1.8 s pause, not joined with the next segment, the ASR's text kept.
    assert _texts(out) == [("A", "Wait for... it."), ("A", "Yes.")]
    assert [(s.start, s.end) for s in out] == [(0.0, 2.8), (3.0, 3.3)]


def test_bug1_a_segment_splits_only_for_a_run_of_two_words() -> None:
    words = [w(0.0, 0.3, "we"), w(0.4, 0.7, "go"), w(0.8, 1.1, "sure"), w(1.2, 1.5, "thing")]
    turns = [Turn(0.0, 0.75, "A"), Turn(0.75, 2.0, "B")]
    _, out = diarize_transcript(words, [Segment(0.0, 1.5, "We go. Sure thing.")], turns)
    assert _texts(out) == [("A", "We go."), ("B", "Sure thing.")]
    assert [(s.start, s.end) for s in out] == [(0.0, 0.7), (0.8, 1.5)]


def test_bug3_a_segment_without_words_is_kept_with_a_speaker() -> None:
    words = [w(0.0, 0.4, "hello"), w(5.0, 5.4, "bye")]
    segments = [
        Segment(0.0, 0.4, "hello"),
        Segment(2.0, 3.0, "[inaudible]"),
        Segment(5, 5.4, "bye"),
    ]
    turns = [Turn(0.0, 1.0, "A"), Turn(1.9, 3.2, "B"), Turn(4.8, 6.0, "A")]
    _, out = diarize_transcript(words, segments, turns)
    assert _texts(out) == [("A", "hello"), ("B", "[inaudible]"), ("A", "bye")]


def test_bug4_a_lone_word_at_either_edge_of_the_transcript_stays_in_its_segment() -> None:
    words = [w(0.0, 0.3, "so"), w(0.5, 0.7, "we"), w(0.8, 1.0, "go"), w(1.2, 1.4, "ok")]
    turns = [Turn(0.0, 0.4, "B"), Turn(0.4, 1.1, "A"), Turn(1.1, 2.0, "B")]
    labelled, out = diarize_transcript(words, [Segment(0.0, 1.4, "so we go ok")], turns)
    assert [x.speaker for x in labelled] == ["B", "A", "A", "B"]
    assert _texts(out) == [("A", "so we go ok")]
    # The same words without segments: still one segment.
    _, out = diarize_transcript(words, [], turns)
    assert _texts(out) == [("A", "so we go ok")]


# Missing timestamps (bug 2): realistic ASR output.

WHISPERX = {
    "segments": [
        {
            "start": 0.31,
            "end": 2.95,
            "text": " The invoice is 250 dollars.",
            "words": [
                {"word": "The", "start": 0.31, "end": 0.45, "score": 0.84},
                {"word": "invoice", "start": 0.49, "end": 0.93, "score": 0.91},
                {"word": "is", "start": 0.99, "end": 1.09, "score": 0.88},
                {"word": "250"},
                {"word": "dollars.", "start": 2.21, "end": 2.95, "score": 0.79},
            ],
        },
        {
            "start": 3.4,
            "end": 4.1,
            "text": " 100%.",
            "words": [{"word": "100%."}],
        },
    ],
    "word_segments": [],
}


def test_bug2_whisperx_words_without_timestamps_take_their_neighbours_time() -> None:
    heard = read(WHISPERX)
    assert heard.interpolated == 2
    assert [(x.word, x.start, x.end) for x in heard.words][3:] == [
        ("250", 1.09, 2.21),
        ("dollars.", 2.21, 2.95),
        ("100%.", 3.4, 4.1),  # alone in its segment: the segment's span
    ]
    turns = [Turn(0.2, 3.0, "SPEAKER_00"), Turn(3.3, 4.2, "SPEAKER_01")]
    labelled, segments = diarize_transcript(
        heard.words, heard.segments, turns, members=heard.members
    )
    assert [x.speaker for x in labelled] == ["SPEAKER_00"] * 5 + ["SPEAKER_01"]
    assert _texts(segments) == [
        ("SPEAKER_00", "The invoice is 250 dollars."),
        ("SPEAKER_01", "100%."),
    ]


def test_bug2_a_verbose_json_backend_with_an_untimed_word_is_read_not_refused() -> None:
    body = {
        "text": "call 911 now",
        "duration": 2.0,
        "words": [
            {"word": "call", "start": 0.0, "end": 0.4},
            {"word": "911"},
            {"word": "now", "start": 1.2, "end": 1.5},
        ],
        "segments": [{"id": 0, "start": 0.0, "end": 1.5, "text": " call 911 now"}],
    }
    transcript = parse_verbose_json(body)
    assert [(x.word, x.start, x.end) for x in transcript.words] == [
        ("call", 0.0, 0.4),
        ("911", 0.4, 1.2),
        ("now", 1.2, 1.5),
    ]
    assert transcript.interpolated == 1


def test_bug2_a_nemo_backend_with_an_untimed_word_is_read() -> None:
    body = {
        "text": "hi there",
        "timestamps": {
            "word": [{"word": "hi", "start": 0.1, "end": 0.3}, {"word": "there"}],
            "segment": [{"segment": "hi there", "start": 0.1, "end": 0.9}],
        },
    }
    transcript = parse_nemo(body)
    assert [(x.word, x.start, x.end) for x in transcript.words] == [
        ("hi", 0.1, 0.3),
        ("there", 0.3, 0.9),
    ]


def test_speakers_are_renamed_in_words_and_segments() -> None:
    words = [Word(0, 1, "hi", "A"), Word(1.1, 2, "hello", "B")]
    segments = [Segment(0, 1, "hi", "A"), Segment(1.1, 2, "hello", "B")]
    assert speakers_in_order(words) == ["A", "B"]
    named_words, named_segments = rename(words, segments, {"A": "Alice", "B": "Bob"})
    assert [x.speaker for x in named_words] == ["Alice", "Bob"]
    assert [x.speaker for x in named_segments] == ["Alice", "Bob"]


# The sweep against the rules written as words x turns.


def _covered(word: Word, spans: list[tuple[float, float]]) -> float:
    """Time of the word inside the union of ``spans``."""
    total, reach = 0.0, word.start
    for a, b in sorted(spans):
        a, b = max(a, reach), min(b, word.end)
        if b > a:
            total += b - a
            reach = b
    return total


def _brute_force(words: list[Word], turns: list[Turn]) -> list[str]:
    out = []
    for word in words:
        mid = word.mid
        by_speaker: dict[str, list[tuple[float, float]]] = {}
        for t in turns:
            by_speaker.setdefault(t.speaker, []).append((t.start, t.end))
        if word.end - word.start <= 1e-9:
            totals = {
                s: 1.0
                for s, spans in by_speaker.items()
                if any(a < word.start - 1e-9 and b > word.start + 1e-9 for a, b in _joined(spans))
            }
        else:
            totals = {s: _covered(word, spans) for s, spans in by_speaker.items()}
            totals = {s: v for s, v in totals.items() if v > 1e-9}
        if totals:
            most = max(totals.values())
            tied = {s for s, v in totals.items() if v >= most - 1e-9}
            near = [
                t
                for t in turns
                if t.speaker in tied and min(t.end, word.end) - max(t.start, word.start) >= -1e-9
            ]
            best = min(abs((t.start + t.end) / 2 - mid) for t in near)
            close = [t for t in near if abs((t.start + t.end) / 2 - mid) <= best + 1e-9]
            out.append(min(close, key=lambda t: (t.start, turns.index(t))).speaker)
            continue
        best = min(abs((t.start + t.end) / 2 - mid) for t in turns)
        close = [t for t in turns if abs((t.start + t.end) / 2 - mid) <= best + 1e-9]
        edge = min(max(t.start - mid, mid - t.end, 0.0) for t in close)
        closest = [t for t in close if max(t.start - mid, mid - t.end, 0.0) <= edge + 1e-9]
        out.append(min(closest, key=lambda t: (t.start, turns.index(t))).speaker)
    return out


def _joined(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + 1e-9:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def test_turns_alike_in_every_time_go_by_the_diarizer_order() -> None:
    # A zero-length word touching two identical turns: hypothesis found this one.
    assert speakers([w(1.0, 1.0)], [Turn(0.0, 1.0, "B"), Turn(0.0, 1.0, "A")]) == ["B"]
    assert speakers([w(1.0, 1.0)], [Turn(0.0, 1.0, "A"), Turn(0.0, 1.0, "B")]) == ["A"]


_times = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 2))


@given(
    st.lists(st.tuples(_times, st.floats(0, 2).map(lambda x: round(x, 2))), max_size=40),
    st.lists(
        st.tuples(_times, st.floats(0.1, 10).map(lambda x: round(x, 2)), st.sampled_from("ABCD")),
        min_size=1,
        max_size=15,
    ),
)
def test_the_sweep_agrees_with_words_times_turns(
    word_spans: list[tuple[float, float]], turn_spans: list[tuple[float, float, str]]
) -> None:
    words = sorted((Word(s, s + d, "x") for s, d in word_spans), key=lambda x: x.start)
    turns = [Turn(s, s + d, who) for s, d, who in turn_spans]
    swept = assign_speakers(words, turns).speakers
    assert swept == _brute_force(words, turns)
