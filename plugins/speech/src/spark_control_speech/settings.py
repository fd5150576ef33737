"""The speech plugin's settings (config section ``speech``).

The three backends are services of the topology (kinds ``asr``, ``diarizer``, ``tts``).
Unless the ``services`` section names them, the plugin adds ``asr``, ``diarizer`` and
``tts`` on ``node`` at the ports below. Every one of them must be on a private or
loopback address: speech never leaves the LAN unless ``allow_public_services`` says so.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from spark_control.api import PluginSettings

AsrStyle = Literal["openai", "nemo", "text"]

MIB = 1024 * 1024
#: Default path of each ASR style's transcription endpoint.
ASR_PATHS: dict[str, str] = {
    "openai": "/v1/audio/transcriptions",
    "nemo": "/transcribe",
    "text": "/v1/audio/transcriptions",
}


class SpeechSettings(PluginSettings):
    node: str = Field("spark-1", description="Node the default asr, diarizer and tts run on.")
    asr_port: int = Field(9100, ge=1, le=65535, description="Port of the Parakeet ASR server.")
    asr_style: AsrStyle = Field(
        "openai",
        description="How the ASR server speaks: 'openai' (verbose_json with words and "
        "segments), 'nemo' (/transcribe answering timestamps.word/segment) or 'text' "
        "(text only, no timestamps).",
    )
    asr_path: str | None = Field(None, description="Transcription path (default: the style's).")
    asr_model: str = Field(
        "nvidia/parakeet-tdt-0.6b-v3", description="Model name sent to the ASR server."
    )
    diarizer_port: int = Field(9200, ge=1, le=65535, description="Port of the diarizer.")
    diarizer_path: str = Field("/diarize", description="The diarizer's endpoint.")
    max_speakers: int = Field(
        4, ge=1, le=32, description="Most speakers the diarizer tells apart (its cap)."
    )
    tts_port: int = Field(8880, ge=1, le=65535, description="Port of Kokoro-FastAPI.")
    tts_model: str = Field("kokoro", description="Model name sent to the TTS server.")
    transcription_models: list[str] = Field(
        default_factory=lambda: ["parakeet", "whisper-1", "gpt-4o-transcribe"],
        description="Model names /v1/audio/transcriptions answers for (others go to the "
        "OpenAI-compatible proxy).",
    )
    speech_models: list[str] = Field(
        default_factory=lambda: ["kokoro", "tts-1", "tts-1-hd", "gpt-4o-mini-tts"],
        description="Model names /v1/audio/speech answers for.",
    )
    allow_public_services: bool = Field(
        False,
        description="Allow speech services on public addresses (audio would leave the LAN).",
    )
    chunk_s: float = Field(120.0, gt=0, description="Longest audio sent to the ASR at once.")
    chunk_overlap_s: float = Field(4.0, ge=0, description="Overlap of consecutive ASR chunks.")
    diarize_chunk_s: float = Field(600.0, gt=0, description="Longest audio per diarizer call.")
    diarize_overlap_s: float = Field(30.0, ge=0, description="Overlap of diarizer chunks.")
    max_upload_bytes: int = Field(
        1024 * MIB,
        gt=0,
        description="Largest audio upload (a 2-hour 16-bit 48 kHz mono WAV is 690 MB).",
    )
    max_duration_s: float = Field(4 * 3600.0, gt=0, description="Longest audio accepted.")
    max_tts_chars: int = Field(20_000, gt=0, description="Longest text to speak in one request.")
    max_tts_body_bytes: int = Field(256 * 1024, gt=0, description="Body limit of TTS requests.")
    max_merge_body_bytes: int = Field(
        32 * MIB,
        gt=0,
        description="Body limit of POST /api/speech/merge (a 4-hour meeting's words and "
        "turns as JSON are about 5 MB).",
    )
    backend_timeout_s: float = Field(
        600.0, gt=0, description="How long one backend call may take (a long chunk on a busy GPU)."
    )
    # Label merge (docs/AUDIO_API.md, "How speakers are assigned").
    keep_coverage: float = Field(0.8, ge=0, le=1)
    min_run_words: int = Field(2, ge=1)
    pause_s: float = Field(1.0, gt=0)
    # Dual-channel bleed rule (docs/AUDIO_API.md, "Dual-channel recordings").
    bleed_time_overlap: float = Field(0.5, ge=0, le=1)
    bleed_word_overlap: float = Field(0.8, ge=0, le=1)
    bleed_min_words: int = Field(4, ge=1)
    sample_clip: bool = Field(
        False,
        description="Offer a sample clip the simulated backends understand at "
        "GET /api/speech/sample.wav (the demo turns it on).",
    )

    @model_validator(mode="after")
    def _chunks_make_progress(self) -> SpeechSettings:
        for length, overlap, name in (
            (self.chunk_s, self.chunk_overlap_s, "chunk"),
            (self.diarize_chunk_s, self.diarize_overlap_s, "diarize_chunk"),
        ):
            if overlap * 2 >= length:
                raise ValueError(
                    f"{name}_overlap_s ({overlap}) must be less than half of {name}_s ({length})"
                )
        return self

    def transcription_path(self) -> str:
        return self.asr_path or ASR_PATHS[self.asr_style]
