"""The cross-chunk speaker linker: labels linked by overlap, by voice when a speaker is
silent in the overlap, and a new speaker when neither matches."""

from __future__ import annotations

from spark_control_speech.chunks import plan
from spark_control_speech.diarize import ChunkTurns, link_chunks, voice_prints
from spark_control_speech.shapes import Turn
from spark_control_speech.sim import tones


def _chunks(
    spoken: list[tones.Spoken], duration: float, local: list[dict[int, str]]
) -> list[ChunkTurns]:
    """Two chunks (10 s, 3 s overlap), each labelling people its own way (``local``)."""
    signal = tones.render(spoken, duration)
    rate = tones.SAMPLE_RATE
    chunks = []
    for window, labels in zip(plan(duration, 10.0, 3.0), local, strict=True):
        turns = [
            Turn(max(s.start, window.start), min(s.end, window.end), labels[s.speaker])
            for s in spoken
            if s.end > window.start and s.start < window.end
        ]
        samples = signal[int(window.start * rate) : int(window.end * rate)]
        chunks.append(ChunkTurns(window, turns, voice_prints(samples, rate, window.start, turns)))
    return chunks


def test_labels_follow_overlap_then_voice_then_become_new_speakers() -> None:
    # Alice (0) and Bob (1) before the overlap (7-10 s); only Alice in it; after it Bob
    # again, and Carol (2) for the first time.
    said = [
        tones.Spoken(0, "hello", 1.0, 1.3),
        tones.Spoken(1, "yes", 3.0, 3.3),
        tones.Spoken(1, "okay", 4.0, 4.3),
        tones.Spoken(0, "budget", 7.5, 7.8),
        tones.Spoken(0, "review", 8.5, 8.8),
        tones.Spoken(1, "great", 11.0, 11.3),
        tones.Spoken(2, "thanks", 13.0, 13.3),
        tones.Spoken(2, "done", 14.0, 14.3),
    ]
    chunks = _chunks(
        said,
        15.5,
        [{0: "SPEAKER_00", 1: "SPEAKER_01"}, {0: "SPEAKER_01", 1: "SPEAKER_02", 2: "SPEAKER_00"}],
    )
    result = link_chunks(chunks, max_speakers=4)
    by_word = {}
    for s in said:
        mid = (s.start + s.end) / 2
        by_word[s.word] = next(t.speaker for t in result.turns if t.start <= mid <= t.end)
    assert by_word["hello"] == by_word["budget"] == by_word["review"] == "A"  # by overlap
    assert by_word["yes"] == by_word["great"] == "B"  # by voice: Bob was silent in 7-10 s
    assert by_word["thanks"] == by_word["done"] == "C"  # nobody known: a new speaker
    assert result.speakers == ["A", "B", "C"]
    assert result.cap_reached is False


def test_a_chunk_that_hears_as_many_voices_as_the_cap_says_so() -> None:
    said = [tones.Spoken(k, "hello", 1.0 + k, 1.3 + k) for k in range(4)]
    chunks = _chunks(said, 6.0, [{k: f"SPEAKER_0{k}" for k in range(4)}])
    assert link_chunks(chunks, max_speakers=4).cap_reached is True
    assert link_chunks(chunks, max_speakers=5).cap_reached is False
