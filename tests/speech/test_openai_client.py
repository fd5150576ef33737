"""The official ``openai`` client, unmodified, against the gateway's /v1/audio routes."""

from __future__ import annotations

import io
from pathlib import Path

import openai
import soundfile as sf

from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway
from spark_control_speech.sim import tones
from spark_control_speech.sim.servers import VOICES
from tests.speech.conftest import meeting, open_gateway

TURNS = [(0, ["hello", "alpha", "bravo"]), (1, ["yes", "no", "maybe"])]
TEXT = "hello alpha bravo yes no maybe"


def client(gw: RunningGateway) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(base_url=f"{gw.url}/v1", api_key="not-needed-on-a-lan", max_retries=0)


async def test_transcriptions_create_in_every_response_format(
    tmp_path: Path, cluster: SimCluster
) -> None:
    data, spoken = meeting(TURNS, "MP3")
    async with open_gateway(tmp_path, cluster) as gw, client(gw) as oai:
        plain = await oai.audio.transcriptions.create(
            model="whisper-1", file=("meeting.mp3", data, "audio/mpeg")
        )
        verbose = await oai.audio.transcriptions.create(
            model="parakeet",
            file=("meeting.mp3", data, "audio/mpeg"),
            response_format="verbose_json",
            timestamp_granularities=["word", "segment"],
            language="en",
        )
        text = await oai.audio.transcriptions.create(
            model="gpt-4o-transcribe", file=("meeting.mp3", data), response_format="text"
        )
    assert plain.text == TEXT
    assert verbose.text == TEXT
    assert verbose.words is not None and [w.word for w in verbose.words] == TEXT.split()
    assert abs(verbose.words[3].start - spoken[3].start) < 0.05
    assert verbose.segments is not None and [s.text for s in verbose.segments] == [
        "hello alpha bravo",
        "yes no maybe",
    ]
    assert str(text).strip() == TEXT


async def test_diarized_json_on_v1(tmp_path: Path, cluster: SimCluster) -> None:
    data, _ = meeting(TURNS)
    async with open_gateway(tmp_path, cluster) as gw:
        response = await gw.client.post(
            "/v1/audio/transcriptions",
            files={"file": ("m.wav", data, "audio/wav")},
            data={"model": "whisper-1", "response_format": "diarized_json"},
        )
    assert response.status_code == 200, response.text
    assert [(s["speaker"], s["text"]) for s in response.json()["segments"]] == [
        ("A", "hello alpha bravo"),
        ("B", "yes no maybe"),
    ]


async def test_speech_create_returns_playable_audio(tmp_path: Path, cluster: SimCluster) -> None:
    async with open_gateway(tmp_path, cluster) as gw, client(gw) as oai:
        wav = await oai.audio.speech.create(
            model="tts-1", voice="af_bella", input="hello alpha bravo", response_format="wav"
        )
        async with oai.audio.speech.with_streaming_response.create(
            model="kokoro", voice="af_heart", input="yes no maybe okay", response_format="mp3"
        ) as streamed:
            pieces = [piece async for piece in streamed.iter_bytes()]
            content_type = streamed.headers["content-type"]
    signal, rate = sf.read(io.BytesIO(wav.content), dtype="float32")
    assert rate == tones.SAMPLE_RATE
    # What Kokoro's stand-in spoke decodes back to the words (its voice: speaker 1).
    assert [(b.word, b.speaker) for b in tones.decode(signal, rate)] == [
        ("hello", 1),
        ("alpha", 1),
        ("bravo", 1),
    ]
    assert content_type == "audio/mpeg"
    mp3 = b"".join(pieces)
    decoded, _ = sf.read(io.BytesIO(mp3), dtype="float32")
    assert [b.word for b in tones.decode(decoded, rate)] == ["yes", "no", "maybe", "okay"]


async def test_openai_errors_come_back_in_openai_shape(tmp_path: Path, cluster: SimCluster) -> None:
    async with open_gateway(tmp_path, cluster) as gw, client(gw) as oai:
        try:
            await oai.audio.transcriptions.create(
                model="whisper-1", file=("x.wav", b"", "audio/wav")
            )
        except openai.BadRequestError as exc:
            assert exc.status_code == 400
            assert "the file is empty" in str(exc)
        else:  # pragma: no cover
            raise AssertionError("an empty file must be refused")
        # A model speech does not serve goes to the /v1 fallback (none here).
        try:
            await oai.audio.transcriptions.create(
                model="someone-elses-model", file=("x.wav", b"RIFF", "audio/wav")
            )
        except openai.NotFoundError as exc:
            assert "no plugin serves /v1/audio/transcriptions" in str(exc)
        else:  # pragma: no cover
            raise AssertionError("an unknown model must reach the fallback")


async def test_openai_voice_names_speak_with_the_voices_kokoro_maps_them_to(
    tmp_path: Path, cluster: SimCluster
) -> None:
    """Kokoro-FastAPI maps OpenAI's names (alloy→am_adam, nova→bf_isabella…); the
    stand-in voices each one with its own speaker tone, so the mapping is audible."""
    async with open_gateway(tmp_path, cluster) as gw, client(gw) as oai:
        heard = {}
        for voice in ("alloy", "nova", "shimmer+echo"):
            wav = await oai.audio.speech.create(
                model="tts-1", voice=voice, input="alpha bravo", response_format="wav"
            )
            signal, rate = sf.read(io.BytesIO(wav.content), dtype="float32")
            heard[voice] = {b.speaker for b in tones.decode(signal, rate) if b.word}
    assert heard == {
        "alloy": {VOICES.index("am_adam")},
        "nova": {VOICES.index("bf_isabella")},
        "shimmer+echo": {VOICES.index("af_sky")},
    }
