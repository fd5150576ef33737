"""Reading uploaded audio: what it is, how long, and windows of it as WAV for a backend.

Decoding is libsndfile's, through the ``soundfile`` package: its PyPI wheels bundle
libsndfile 1.2, which reads WAV, FLAC, OGG/Vorbis, OGG/Opus, MP3, AIFF and a few more
(``soundfile.available_formats()``). Containers it does not read (MP4/M4A/AAC, WebM)
are refused with 415 and a hint to convert. Everything here blocks (file and CPU
work): the routes run it through ``host.run_blocking``.

An upload is never decoded whole: ``read_window`` seeks and reads one chunk at a time,
so a two-hour recording costs one chunk of memory, not two hours of samples.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
import soundfile as sf

from spark_control.api import SparkError

#: Declared types we refuse outright: containers libsndfile cannot open.
UNSUPPORTED_TYPES = (
    "audio/mp4",
    "audio/m4a",
    "audio/x-m4a",
    "audio/aac",
    "audio/webm",
    "video/",
)
#: Declared types an audio file may arrive with (browsers and SDKs vary).
ACCEPTED_PREFIXES = ("audio/", "application/octet-stream", "application/ogg")
FORMATS_HINT = "WAV, FLAC, OGG (Vorbis or Opus), MP3 or AIFF"


class AudioError(SparkError):
    """The upload is not audio we can read (400), or not a type we take (415)."""

    status = 400
    type = "invalid_audio"


@dataclass(frozen=True)
class AudioInfo:
    sample_rate: int
    channels: int
    frames: int
    format: str

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate if self.sample_rate else 0.0


def check_declared_type(content_type: str | None, field: str) -> None:
    """415 for a part whose declared type is not audio (or is a container we cannot read)."""
    declared = (content_type or "application/octet-stream").split(";")[0].strip().lower()
    if declared.startswith(UNSUPPORTED_TYPES):
        raise SparkError(
            f"{field}: {declared} is not a format this gateway decodes; send {FORMATS_HINT} "
            "(for example: ffmpeg -i in.m4a -ac 1 out.flac)",
            status=415,
            type="unsupported_media_type",
            detail={"field": field, "content_type": declared},
        )
    if not declared.startswith(ACCEPTED_PREFIXES):
        raise SparkError(
            f"{field}: expected an audio file ({FORMATS_HINT}), got {declared}",
            status=415,
            type="unsupported_media_type",
            detail={"field": field, "content_type": declared},
        )


def inspect(file: BinaryIO, field: str) -> AudioInfo:
    """What the upload holds; 400 if it is empty, not audio, or has no samples."""
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    if size == 0:
        raise AudioError(f"{field}: the file is empty", detail={"field": field})
    try:
        info = sf.info(file)
    except (sf.LibsndfileError, RuntimeError, TypeError) as exc:
        raise AudioError(
            f"{field}: could not decode the audio ({_reason(exc)}); send {FORMATS_HINT}",
            detail={"field": field},
        ) from None
    finally:
        file.seek(0)
    if info.frames <= 0 or info.samplerate <= 0:
        raise AudioError(f"{field}: the audio has no samples", detail={"field": field})
    # MP3 lengths come from headers; make sure the data decodes, not just the header.
    try:
        with sf.SoundFile(file) as probe:
            probe.read(min(info.frames, probe.samplerate), dtype="float32")
    except (sf.LibsndfileError, RuntimeError) as exc:
        raise AudioError(
            f"{field}: the audio is corrupt ({_reason(exc)})", detail={"field": field}
        ) from None
    finally:
        file.seek(0)
    return AudioInfo(info.samplerate, info.channels, info.frames, info.format)


def _reason(exc: BaseException) -> str:
    # libsndfile's own words; str() prefixes "Error opening <…object at 0x…>:".
    text = str(getattr(exc, "error_string", None) or exc).strip() or type(exc).__name__
    return text.split("\n")[0][:160]


def read_window(
    file: BinaryIO, start_s: float, end_s: float, channel: int | None = None
) -> tuple[np.ndarray, int]:
    """Samples from ``start_s`` to ``end_s`` as mono float32 (one ``channel``, or all
    channels mixed down), and the sample rate."""
    file.seek(0)
    try:
        with sf.SoundFile(file) as audio:
            rate = audio.samplerate
            first = max(0, round(start_s * rate))
            count = max(0, round(end_s * rate) - first)
            if first:
                audio.seek(min(first, audio.frames))
            data = audio.read(count, dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError) as exc:
        raise AudioError(f"the audio is corrupt ({_reason(exc)})") from None
    finally:
        file.seek(0)
    mono = data[:, channel] if channel is not None else data.mean(axis=1)
    return np.ascontiguousarray(mono, dtype=np.float32), rate


def to_wav(samples: np.ndarray, sample_rate: int) -> bytes:
    """16-bit PCM WAV: the one format every ASR and diarizer server reads."""
    out = io.BytesIO()
    sf.write(out, samples, sample_rate, format="WAV", subtype="PCM_16")
    return out.getvalue()
