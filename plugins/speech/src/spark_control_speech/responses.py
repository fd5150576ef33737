"""The JSON shapes the speech routes answer: OpenAI's ``verbose_json`` and
``diarized_json``, and the diarization turns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spark_control_speech.shapes import Segment, Transcript, Turn, Word


def _r(t: float) -> float:
    return round(t, 3)


def word_json(word: Word) -> dict[str, Any]:
    out: dict[str, Any] = {"word": word.word, "start": _r(word.start), "end": _r(word.end)}
    if word.speaker is not None:
        out["speaker"] = word.speaker
    return out


def verbose_json(
    transcript: Transcript, *, words: bool = True, segments: bool = True
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "task": "transcribe",
        "language": transcript.language or "unknown",
        "duration": _r(transcript.duration),
        "text": transcript.text,
    }
    if words:
        out["words"] = [word_json(w) for w in transcript.words]
    if transcript.interpolated:
        out["interpolated_words"] = transcript.interpolated
    if segments:
        out["segments"] = [
            {"id": i, "seek": 0, "start": _r(s.start), "end": _r(s.end), "text": s.text}
            for i, s in enumerate(transcript.segments)
        ]
    return out


def diarized_json(
    duration: float,
    words: Sequence[Word],
    segments: Sequence[Segment],
    speakers: Sequence[str],
    interpolated: int = 0,
) -> dict[str, Any]:
    """OpenAI's diarized_json, plus the words and how many of them had no timestamps."""
    return {
        "task": "transcribe",
        "duration": _r(duration),
        "text": " ".join(s.text for s in segments if s.text),
        "speakers": list(speakers),
        "segments": [
            {
                "type": "transcript.text.segment",
                "id": f"seg_{i}",
                "start": _r(s.start),
                "end": _r(s.end),
                "speaker": s.speaker,
                "text": s.text,
            }
            for i, s in enumerate(segments)
        ],
        "words": [word_json(w) for w in words],
        "interpolated_words": interpolated,
    }


def turns_json(turns: Sequence[Turn]) -> list[dict[str, Any]]:
    return [{"start": _r(t.start), "end": _r(t.end), "speaker": t.speaker} for t in turns]
