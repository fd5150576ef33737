"""The plain data the speech plugin passes between its parts: words, segments, turns.

Times are seconds from the start of the audio. These are dataclasses (cheap to build
by the ten thousand); the HTTP models in ``models.py`` are built from them at the edge.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Word:
    start: float
    end: float
    word: str
    speaker: str | None = None
    # The ASR gave no timestamps for it: its times were taken from its neighbours.
    placed: bool = False

    @property
    def mid(self) -> float:
        return (self.start + self.end) / 2


@dataclass(slots=True)
class Segment:
    start: float
    end: float
    text: str
    speaker: str | None = None


@dataclass(slots=True)
class Turn:
    """A diarizer's speaker turn."""

    start: float
    end: float
    speaker: str


@dataclass
class Transcript:
    """One transcription, normalised from whichever backend style produced it."""

    text: str
    duration: float
    words: list[Word] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    language: str | None = None
    # True when the backend gave no timestamps (a text-only server).
    text_only: bool = False
    # Words the backend gave without timestamps, placed between their neighbours.
    interpolated: int = 0
