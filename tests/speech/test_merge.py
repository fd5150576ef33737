"""Label merge against hand-made cases with known answers, and the sweep against a
brute-force reference on random meetings."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from spark_control_speech.merge import (
    MergeRules,
    assign_speakers,
    label_words,
    rename,
    segments_from_words,
    speakers_in_order,
)
from spark_control_speech.shapes import Turn, Word


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
    # A ends exactly where the word starts; B starts later but overlaps.
    turns = [Turn(0.0, 1.0, "A"), Turn(1.5, 3.0, "B")]
    assert speakers([w(1.0, 2.0)], turns) == ["B"]
    # Touching on the right: A overlaps, B only touches at 2.0.
    turns = [Turn(0.0, 1.2, "A"), Turn(2.0, 3.0, "B")]
    assert speakers([w(1.0, 2.0)], turns) == ["A"]


def test_a_word_spanning_a_turn_change_goes_to_the_longer_side() -> None:
    turns = [Turn(0.0, 2.0, "A"), Turn(2.0, 4.0, "B")]
    assert speakers([w(1.8, 2.4)], turns) == ["B"]
    assert speakers([w(1.6, 2.1)], turns) == ["A"]


def test_a_word_in_a_gap_takes_the_turn_nearest_its_midpoint() -> None:
    turns = [Turn(0.0, 1.0, "A"), Turn(3.0, 4.0, "B")]
    assert speakers([w(1.2, 1.6)], turns) == ["A"]  # midpoint 1.4: 0.4 from A, 1.6 from B
    assert speakers([w(2.4, 2.8)], turns) == ["B"]  # midpoint 2.6: 1.6 from A, 0.4 from B


def test_unaligned_words_before_and_after_every_turn_are_still_labelled() -> None:
    turns = [Turn(2.0, 3.0, "A"), Turn(3.0, 4.0, "B")]
    words = [w(0.1, 0.4, "early"), w(2.2, 2.5), w(3.2, 3.5), w(9.0, 9.3, "late")]
    assert speakers(words, turns) == ["A", "A", "B", "B"]


def test_a_long_turn_reaching_past_a_later_short_one_is_the_nearest_on_the_left() -> None:
    # The word sits after both; the long turn that started first ends last.
    turns = [Turn(0.0, 5.0, "A"), Turn(1.0, 2.0, "B")]
    assert speakers([w(5.5, 5.8)], turns) == ["A"]


def test_a_one_word_flip_at_a_turn_boundary_is_smoothed() -> None:
    # The diarizer's jittery 0.3 s B turn covers 60 % of one word in Alice's speech.
    turns = [Turn(0.0, 1.05, "A"), Turn(1.05, 1.35, "B"), Turn(1.35, 3.0, "A")]
    words = [w(0.5, 0.9), w(1.0, 1.5), w(1.6, 2.0), w(2.1, 2.5)]
    assert assign_speakers(words, turns).speakers == ["A", "B", "A", "A"]
    assert speakers(words, turns) == ["A", "A", "A", "A"]


def test_a_real_one_word_interjection_is_kept() -> None:
    # Bob's "yes" lies wholly inside his own turn: the diarizer heard him.
    turns = [Turn(0.0, 1.0, "A"), Turn(1.0, 1.5, "B"), Turn(1.5, 3.0, "A")]
    words = [w(0.5, 0.9), w(1.1, 1.4, "yes"), w(1.6, 2.0)]
    assert speakers(words, turns) == ["A", "B", "A"]


def test_five_people_and_a_diarizer_that_tells_four_apart_leave_no_word_unlabelled() -> None:
    # Five people speak in turn; the diarizer (cap 4) heard Eve's turn as Alice.
    spoken = [("A", 0.0), ("B", 2.0), ("C", 4.0), ("D", 6.0), ("A", 8.0)]
    turns = [Turn(t, t + 1.8, s) for s, t in spoken]
    words = [w(t + 0.2 + k * 0.5, t + 0.6 + k * 0.5) for _, t in spoken for k in range(3)]
    labels = speakers(words, turns)
    assert None not in labels
    assert set(labels) == {"A", "B", "C", "D"}
    assert labels[-3:] == ["A", "A", "A"]  # Eve's words carry the closest voice's label


def test_segments_split_for_a_run_of_words_not_for_one() -> None:
    rules = MergeRules(min_run_words=2, pause_s=1.0)
    words = [
        Word(0.0, 0.3, "we", "A"),
        Word(0.4, 0.7, "should", "A"),
        Word(0.8, 1.1, "ship", "B"),  # a lone B inside A's sentence
        Word(1.2, 1.5, "on", "A"),
        Word(1.6, 1.9, "friday", "A"),
        Word(2.0, 2.3, "sounds", "B"),
        Word(2.4, 2.7, "good", "B"),
    ]
    segments = segments_from_words(words, rules)
    assert [(s.speaker, s.text) for s in segments] == [
        ("A", "we should ship on friday"),
        ("B", "sounds good"),
    ]
    assert (segments[0].start, segments[0].end) == (0.0, 1.9)


def test_a_pause_starts_a_new_segment_even_for_one_word() -> None:
    words = [
        Word(0.0, 0.3, "ready", "A"),
        Word(0.4, 0.7, "now", "A"),
        Word(2.0, 2.3, "yes", "B"),
        Word(3.5, 3.8, "good", "A"),
    ]
    segments = segments_from_words(words, MergeRules())
    assert [(s.speaker, s.text) for s in segments] == [
        ("A", "ready now"),
        ("B", "yes"),
        ("A", "good"),
    ]


def test_speakers_are_renamed_in_words_and_segments() -> None:
    words = [Word(0, 1, "hi", "A"), Word(1.1, 2, "hello", "B")]
    segments = segments_from_words(words, MergeRules(min_run_words=1))
    assert speakers_in_order(words) == ["A", "B"]
    named_words, named_segments = rename(words, segments, {"A": "Alice", "B": "Bob"})
    assert [x.speaker for x in named_words] == ["Alice", "Bob"]
    assert [x.speaker for x in named_segments] == ["Alice", "Bob"]


def _brute_force(words: list[Word], turns: list[Turn]) -> list[str]:
    """The rule written as words x turns, for comparison only."""
    out = []
    for word in words:
        totals: dict[str, float] = {}
        for turn in turns:
            overlap = min(word.end, turn.end) - max(word.start, turn.start)
            if overlap > 1e-9:
                totals[turn.speaker] = totals.get(turn.speaker, 0.0) + overlap
        if totals:
            out.append(max(sorted(totals), key=totals.__getitem__))
            continue
        mid = word.mid
        best = min(
            turns,
            key=lambda t: (max(0.0, t.start - mid, mid - t.end), t.start > mid, t.start),
        )
        out.append(best.speaker)
    return out


_times = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 2))


@given(
    st.lists(st.tuples(_times, st.floats(0.05, 2).map(lambda x: round(x, 2))), max_size=40),
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
