"""The speech work behind the routes: transcribe, diarize, label, dual-channel.

One :class:`Speech` per gateway holds the settings, the backends' URLs and the pooled
HTTP client. An :class:`Upload` wraps one uploaded file: its reads are serialised (the
ASR and the diarizer run at the same time over one file) and run off the event loop.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, BinaryIO

import aiohttp
import httpx

from spark_control.api import SparkError
from spark_control_speech.audio import AudioInfo, inspect, read_window, to_wav
from spark_control_speech.backends import AsrAdapter, DiarizerClient
from spark_control_speech.chunks import join_transcripts, plan, shift
from spark_control_speech.diarize import ChunkTurns, Diarization, link_chunks, voice_prints
from spark_control_speech.dual import BleedRule, Channel, DualResult, merge_channels
from spark_control_speech.merge import MergeRules, diarize_transcript
from spark_control_speech.settings import SpeechSettings
from spark_control_speech.shapes import Transcript, Turn

CAP_NOTE = (
    "the diarizer tells at most {cap} speakers apart and found {cap} here: more people "
    "may have spoken, and their words carry the label of the closest voice"
)


@dataclass
class Speech:
    """The speech plugin's runtime for one gateway."""

    settings: SpeechSettings
    host: Any
    client: httpx.AsyncClient
    # The TTS relay's client (the first audio byte is latency-critical).
    session: aiohttp.ClientSession
    asr: AsrAdapter
    diarizer: DiarizerClient
    tts_url: str
    voices_url: str

    @property
    def rules(self) -> MergeRules:
        s = self.settings
        return MergeRules(s.keep_coverage, s.min_run_words, s.pause_s)

    @property
    def bleed_rule(self) -> BleedRule:
        s = self.settings
        return BleedRule(s.bleed_time_overlap, s.bleed_word_overlap, s.bleed_min_words)


class Upload:
    """One uploaded audio file, checked on arrival."""

    def __init__(self, file: BinaryIO, info: AudioInfo, field: str, host: Any) -> None:
        self.file = file
        self.info = info
        self.field = field
        self._host = host
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, host: Any, file: BinaryIO, field: str, max_duration_s: float) -> Upload:
        info = await host.run_blocking(inspect, file, field)
        if info.duration > max_duration_s:
            raise SparkError(
                f"{field}: the audio is {_clock(info.duration)} long; this route's limit is "
                f"{_clock(max_duration_s)} (speech.max_duration_s)",
                status=413,
                type="payload_too_large",
                detail={"field": field, "limit_s": max_duration_s, "duration_s": info.duration},
            )
        return cls(file, info, field, host)

    async def window(self, start: float, end: float, channel: int | None) -> tuple[Any, int]:
        async with self._lock:
            result: tuple[Any, int] = await self._host.run_blocking(
                read_window, self.file, start, end, channel
            )
            return result


def _clock(seconds: float) -> str:
    total = round(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m{s:02d}s" if h else f"{m}m{s:02d}s"


async def transcribe(
    speech: Speech, upload: Upload, *, channel: int | None = None, language: str | None = None
) -> Transcript:
    """The whole file's transcript, chunked with overlap when it is long."""
    s = speech.settings
    parts = []
    for window in plan(upload.info.duration, s.chunk_s, s.chunk_overlap_s):
        samples, rate = await upload.window(window.start, window.end, channel)
        wav = await speech.host.run_blocking(to_wav, samples, rate)
        result = await speech.asr.transcribe(speech.client, wav, language=language)
        parts.append((window, result if result.text_only else shift(result, window.start)))
    return join_transcripts(parts, upload.info.duration, s.pause_s)


async def diarize(speech: Speech, upload: Upload, *, channel: int | None = None) -> Diarization:
    """Speaker turns of the whole file, labels linked across chunks."""
    s = speech.settings
    chunks = []
    for window in plan(upload.info.duration, s.diarize_chunk_s, s.diarize_overlap_s):
        samples, rate = await upload.window(window.start, window.end, channel)
        wav = await speech.host.run_blocking(to_wav, samples, rate)
        turns = await speech.diarizer.diarize(speech.client, wav)
        shifted = [Turn(t.start + window.start, t.end + window.start, t.speaker) for t in turns]
        prints = await speech.host.run_blocking(voice_prints, samples, rate, window.start, shifted)
        chunks.append(ChunkTurns(window, shifted, prints))
    return link_chunks(chunks, s.max_speakers)


def cap_fields(speech: Speech, diarization: Diarization) -> dict[str, Any]:
    cap = speech.settings.max_speakers
    fields: dict[str, Any] = {
        "speaker_cap": cap,
        "speaker_cap_reached": diarization.cap_reached,
    }
    if diarization.cap_reached:
        fields["note"] = CAP_NOTE.format(cap=cap)
    return fields


async def transcribe_with_speakers(
    speech: Speech, upload: Upload, *, language: str | None = None
) -> tuple[Transcript, Diarization]:
    """Transcript and diarization of one file at once, words labelled."""
    transcript, diarization = await asyncio.gather(
        transcribe(speech, upload, language=language), diarize(speech, upload)
    )
    if transcript.text_only:
        raise SparkError(
            "the ASR service gives no timestamps (speech.asr_style is 'text'), so words "
            "cannot be given speakers; ask without diarize",
            status=422,
            type="unsupported",
        )
    if (transcript.words or transcript.segments) and diarization.turns:
        transcript.words, transcript.segments = diarize_transcript(
            transcript.words, transcript.segments, diarization.turns, speech.rules
        )
    return transcript, diarization


async def transcribe_dual(
    speech: Speech,
    local: tuple[Upload, int | None],
    remote: tuple[Upload, int | None],
    names: tuple[str, str],
    *,
    language: str | None = None,
) -> DualResult:
    """Each channel transcribed and labelled, bleed dropped, merged in time order."""
    mine, theirs = await asyncio.gather(
        transcribe(speech, local[0], channel=local[1], language=language),
        transcribe(speech, remote[0], channel=remote[1], language=language),
    )
    if mine.text_only or theirs.text_only:
        raise SparkError(
            "the ASR service gives no timestamps (speech.asr_style is 'text'), so two "
            "channels cannot be merged in time order",
            status=422,
            type="unsupported",
        )
    return merge_channels(
        Channel(mine.words, mine.segments),
        Channel(theirs.words, theirs.segments),
        names,
        speech.bleed_rule,
        speech.rules,
    )
