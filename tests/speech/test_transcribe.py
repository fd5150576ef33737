"""Transcription through the gateway against the simulated backends: every ASR style
normalised to one shape, the response formats, audio formats, long files chunked with
overlap, and speakers merged in (chunked diarization keeps its labels)."""

from __future__ import annotations

import io
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from spark_control.sim import SimCluster
from spark_control_speech.sim import tones
from tests.speech.conftest import meeting, open_gateway, upload

SHORT = [(0, ["hello", "alpha", "bravo"]), (1, ["yes", "no", "maybe", "okay"]), (0, ["thanks"])]
WORDS = [word for _, words in SHORT for word in words]


@pytest.mark.parametrize("style", ["openai", "nemo"])
async def test_every_timestamped_style_gives_the_same_verbose_json(
    tmp_path: Path, cluster: SimCluster, style: str
) -> None:
    data, spoken = meeting(SHORT)
    async with open_gateway(tmp_path, cluster, style) as gw:
        response = await gw.client.post("/api/transcribe", files=upload(data))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["text"] == " ".join(WORDS)
    assert [x["word"] for x in body["words"]] == WORDS
    for said, heard in zip(spoken, body["words"], strict=True):
        assert heard["start"] == pytest.approx(said.start, abs=0.03)
        assert heard["end"] == pytest.approx(said.end, abs=0.03)
    assert [s["text"] for s in body["segments"]] == [
        "hello alpha bravo",
        "yes no maybe okay",
        "thanks",
    ]
    assert body["duration"] == pytest.approx(sf.info(io.BytesIO(data)).duration, abs=0.01)


async def test_a_text_only_backend_gives_text_and_no_timestamps(
    tmp_path: Path, cluster: SimCluster
) -> None:
    data, _ = meeting(SHORT)
    async with open_gateway(tmp_path, cluster, "text") as gw:
        plain = await gw.client.post("/api/transcribe", files=upload(data))
        labelled = await gw.client.post("/api/transcribe?diarize=true", files=upload(data))
    assert plain.status_code == 200, plain.text
    assert plain.json()["text"] == " ".join(WORDS)
    assert plain.json()["words"] == [] and plain.json()["segments"] == []
    assert labelled.status_code == 422
    assert "no timestamps" in labelled.json()["error"]["message"]


@pytest.mark.parametrize(
    ("fmt", "subtype", "name", "mime"),
    [
        ("FLAC", None, "m.flac", "audio/flac"),
        ("MP3", None, "m.mp3", "audio/mpeg"),
        ("OGG", "OPUS", "m.opus", "audio/ogg"),
        ("OGG", "VORBIS", "m.ogg", "application/octet-stream"),
    ],
)
async def test_compressed_formats_are_decoded(
    tmp_path: Path, cluster: SimCluster, fmt: str, subtype: str | None, name: str, mime: str
) -> None:
    spoken, duration = tones.script(SHORT)
    data = tones.encode(tones.render(spoken, duration), fmt, subtype)
    async with open_gateway(tmp_path, cluster) as gw:
        response = await gw.client.post(
            "/api/transcribe", files=upload(data, name, mime), data={"response_format": "json"}
        )
    assert response.status_code == 200, response.text
    assert response.json() == {"text": " ".join(WORDS)}


async def test_text_format_and_a_stereo_file_mixed_down(
    tmp_path: Path, cluster: SimCluster
) -> None:
    spoken, duration = tones.script(SHORT)
    mono = tones.render(spoken, duration)
    stereo = tones.encode(np.stack([mono, mono], axis=1))
    async with open_gateway(tmp_path, cluster) as gw:
        response = await gw.client.post(
            "/api/transcribe", files=upload(stereo), data={"response_format": "text"}
        )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == " ".join(WORDS) + "\n"


async def test_speakers_are_merged_into_words_and_segments_and_renamed(
    tmp_path: Path, cluster: SimCluster
) -> None:
    data, _ = meeting(SHORT)
    async with open_gateway(tmp_path, cluster) as gw:
        response = await gw.client.post(
            "/api/transcribe",
            params={"diarize": "true"},
            files=upload(data),
            data={"speaker_names": '{"A": "Alice", "B": "Bob"}'},
        )
        as_text = await gw.client.post(
            "/api/transcribe",
            files=upload(data),
            data={"diarize": "true", "response_format": "text", "speaker_names": "Alice,Bob"},
        )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["speakers"] == ["Alice", "Bob"]
    assert [(s["speaker"], s["text"]) for s in body["segments"]] == [
        ("Alice", "hello alpha bravo"),
        ("Bob", "yes no maybe okay"),
        ("Alice", "thanks"),
    ]
    assert [x["speaker"] for x in body["words"]] == ["Alice"] * 3 + ["Bob"] * 4 + ["Alice"]
    assert body["speaker_cap_reached"] is False
    assert as_text.text == "Alice: hello alpha bravo\nBob: yes no maybe okay\nAlice: thanks\n"


async def test_five_speakers_hit_the_diarizer_cap_and_the_response_says_so(
    tmp_path: Path, cluster: SimCluster
) -> None:
    turns = [(s, ["hello", "team"]) for s in range(5)]
    data, _ = meeting(turns)
    async with open_gateway(tmp_path, cluster) as gw:
        diarized = await gw.client.post("/api/diarize", files=upload(data))
        merged = await gw.client.post("/api/transcribe?diarize=true", files=upload(data))
    assert diarized.status_code == 200, diarized.text
    body = diarized.json()
    assert body["speakers"] == ["A", "B", "C", "D"]
    assert body["speaker_cap"] == 4 and body["speaker_cap_reached"] is True
    assert "at most 4 speakers" in body["note"]
    words = merged.json()["words"]
    assert len(words) == 10 and all(x["speaker"] in "ABCD" for x in words)
    assert merged.json()["speaker_cap_reached"] is True


def _long_meeting(seed: int = 7, fmt: str = "WAV") -> tuple[bytes, list[tones.Spoken]]:
    """About 75 s of three people, turns of 3-9 words, so chunk edges cut words,
    turns, and overlaps where only some speakers talk."""
    rng = random.Random(seed)
    turns: list[tuple[int, list[str]]] = []
    speaker = 0
    for _ in range(24):
        speaker = rng.choice([s for s in (0, 1, 2) if s != speaker])
        turns.append((speaker, rng.choices(tones.VOCABULARY, k=rng.randint(3, 9))))
    spoken, duration = tones.script(turns, word_s=0.32, gap_s=0.1, turn_gap_s=0.45)
    return tones.encode(tones.render(spoken, duration), fmt), spoken


CHUNKED = {
    "chunk_s": 7.0,
    "chunk_overlap_s": 2.0,
    "diarize_chunk_s": 11.0,
    "diarize_overlap_s": 3.0,
}


@pytest.mark.slow
async def test_chunked_transcription_matches_the_whole_file_with_monotonic_times(
    tmp_path: Path, cluster: SimCluster
) -> None:
    data, spoken = _long_meeting()
    info = sf.info(io.BytesIO(data))
    assert info.duration > 60
    async with open_gateway(tmp_path / "a", cluster, **CHUNKED) as gw:
        chunked = (await gw.client.post("/api/transcribe?diarize=true", files=upload(data))).json()
    async with open_gateway(tmp_path / "b", cluster) as gw:
        whole = (await gw.client.post("/api/transcribe?diarize=true", files=upload(data))).json()

    words = chunked["words"]
    # Every word once, in order, at its time: nothing lost or doubled at a chunk edge.
    assert [x["word"] for x in words] == [s.word for s in spoken]
    for said, heard in zip(spoken, words, strict=True):
        assert heard["start"] == pytest.approx(said.start, abs=0.03)
    starts = [x["start"] for x in words]
    assert starts == sorted(starts)
    assert all(x["end"] > x["start"] for x in words)
    segment_starts = [s["start"] for s in chunked["segments"]]
    assert segment_starts == sorted(segment_starts)

    # One label per person across the whole file, and the same as unchunked.
    label_of: dict[int, set[str]] = {}
    for said, heard in zip(spoken, words, strict=True):
        label_of.setdefault(said.speaker, set()).add(heard["speaker"])
    assert all(len(labels) == 1 for labels in label_of.values()), label_of
    assert len({next(iter(v)) for v in label_of.values()}) == 3
    assert [x["speaker"] for x in words] == [x["speaker"] for x in whole["words"]]
    assert [x["word"] for x in words] == [x["word"] for x in whole["words"]]


@pytest.mark.slow
async def test_chunked_diarization_keeps_labels_across_chunks(
    tmp_path: Path, cluster: SimCluster
) -> None:
    data, spoken = _long_meeting(seed=11, fmt="MP3")  # chunks are read by seeking in the MP3
    async with open_gateway(tmp_path, cluster, **CHUNKED) as gw:
        body = (
            await gw.client.post("/api/diarize", files=upload(data, "m.mp3", "audio/mpeg"))
        ).json()
    turns = body["turns"]
    assert [t["start"] for t in turns] == sorted(t["start"] for t in turns)
    # Every spoken word lies in a turn of the one label its speaker has throughout.
    label_of: dict[int, set[str]] = {}
    for said in spoken:
        mid = (said.start + said.end) / 2
        covering = {t["speaker"] for t in turns if t["start"] <= mid <= t["end"]}
        assert len(covering) == 1, (said, covering)
        label_of.setdefault(said.speaker, set()).update(covering)
    assert sorted(len(v) for v in label_of.values()) == [1, 1, 1]
    assert body["speakers"] == ["A", "B", "C"]


async def test_chunked_text_only_transcripts_drop_the_repeated_overlap(
    tmp_path: Path, cluster: SimCluster
) -> None:
    data, spoken = _long_meeting(seed=3)
    async with open_gateway(tmp_path, cluster, "text", **CHUNKED) as gw:
        body = (await gw.client.post("/api/transcribe", files=upload(data))).json()
    assert body["text"] == " ".join(s.word for s in spoken)


async def test_the_api_describes_its_backends(tmp_path: Path, cluster: SimCluster) -> None:
    async with open_gateway(tmp_path, cluster, "nemo") as gw:
        body: dict[str, Any] = (await gw.client.get("/api/speech")).json()
    assert body["asr"]["style"] == "nemo"
    assert body["asr"]["port"] == 9101
    assert body["diarizer"]["max_speakers"] == 4
    assert "MP3" in body["formats"]


async def test_the_speech_routes_are_in_the_openapi_schema(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with open_gateway(tmp_path, cluster) as gw:
        schema = (await gw.client.get("/openapi.json")).json()
    transcribe = schema["paths"]["/api/transcribe"]["post"]
    form = transcribe["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["required"] == ["file"]
    assert {"diarize", "speaker_names", "channels", "remote_file"} <= set(form["properties"])
    assert {"413", "415"} <= set(transcribe["responses"])
    tts = schema["paths"]["/api/tts"]["post"]["requestBody"]["content"]["application/json"]
    assert tts["schema"]["examples"][0]["voice"] == "af_heart"
    assert "/api/diarize" in schema["paths"] and "/api/tts/voices" in schema["paths"]
