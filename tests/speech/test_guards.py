"""Every guard of the speech routes, with its status and message: wrong type 415, too
large or too long 413 naming the limit, empty or corrupt audio 400, speech services
only on private or loopback addresses, backend trouble a named 5xx, never a 500."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from spark_control.errors import ConfigError
from spark_control.sim import SimCluster
from spark_control.testing import make_config, running_gateway
from spark_control.topology import Node, Topology
from spark_control_speech.services import check_private, declare_services
from spark_control_speech.settings import SpeechSettings
from spark_control_speech.sim import tones
from tests.speech.conftest import meeting, open_gateway, upload

GOOD, _ = meeting([(0, ["hello", "alpha"])])


def error(response: object) -> str:
    return response.json()["error"]["message"]  # type: ignore[attr-defined]


async def test_wrong_types_are_415_with_what_was_wrong(tmp_path: Path, cluster: SimCluster) -> None:
    async with open_gateway(tmp_path, cluster) as gw:
        as_json = await gw.client.post("/api/transcribe", json={"file": "x"})
        as_image = await gw.client.post(
            "/api/transcribe", files=upload(b"\x89PNG\r\n", "x.png", "image/png")
        )
        as_m4a = await gw.client.post(
            "/api/transcribe", files=upload(b"\0\0\0 ftypM4A ", "x.m4a", "audio/mp4")
        )
        diarize_text = await gw.client.post(
            "/api/diarize", content=b"hello", headers={"content-type": "text/plain"}
        )
        tts_form = await gw.client.post("/api/tts", data={"input": "hello"})
        v1 = await gw.client.post(
            "/v1/audio/speech", content=b"hi", headers={"content-type": "text/plain"}
        )
    assert as_json.status_code == 415
    assert "expected multipart/form-data" in error(as_json)
    assert as_image.status_code == 415
    assert "file: expected an audio file" in error(as_image) and "image/png" in error(as_image)
    assert as_m4a.status_code == 415
    assert "audio/mp4 is not a format this gateway decodes" in error(as_m4a)
    assert diarize_text.status_code == 415
    assert tts_form.status_code == 415 and "expected application/json" in error(tts_form)
    # No /v1 endpoint takes text/plain: said as such, not "nobody serves this path".
    assert v1.status_code == 415 and "got text/plain" in error(v1)


async def test_empty_corrupt_and_missing_audio_are_400(tmp_path: Path, cluster: SimCluster) -> None:
    async with open_gateway(tmp_path, cluster) as gw:
        empty = await gw.client.post("/api/transcribe", files=upload(b""))
        corrupt = await gw.client.post(
            "/api/transcribe", files=upload(b"RIFF\x10\0\0\0WAVEjunk" * 20)
        )
        header_only = await gw.client.post("/api/transcribe", files=upload(GOOD[:44]))
        missing = await gw.client.post("/api/transcribe", files={"response_format": (None, "json")})
        names = await gw.client.post(
            "/api/transcribe?diarize=true", files=upload(GOOD), data={"speaker_names": "{oops"}
        )
        fmt = await gw.client.post(
            "/api/transcribe", files=upload(GOOD), data={"response_format": "srt"}
        )
        empty_diarize = await gw.client.post("/api/diarize", files=upload(b""))
    assert empty.status_code == 400 and error(empty) == "file: the file is empty"
    assert corrupt.status_code == 400 and "could not decode the audio" in error(corrupt)
    # libsndfile's reason, without its "Error opening <…object at 0x…>" preamble.
    assert "object at 0x" not in error(corrupt) and "Error opening" not in error(corrupt)
    assert header_only.status_code == 400
    assert error(header_only) == "file: the audio has no samples"
    assert missing.status_code == 400 and "multipart file field 'file'" in error(missing)
    assert names.status_code == 400 and "speaker_names: not valid JSON" in error(names)
    assert fmt.status_code == 400 and "'srt' is not one of" in error(fmt)
    assert empty_diarize.status_code == 400


async def test_silence_is_an_empty_transcript_not_an_error(
    tmp_path: Path, cluster: SimCluster
) -> None:
    silence = tones.encode(tones.render([], 2.0))
    async with open_gateway(tmp_path, cluster) as gw:
        response = await gw.client.post("/api/transcribe?diarize=true", files=upload(silence))
    assert response.status_code == 200, response.text
    assert response.json()["text"] == "" and response.json()["words"] == []


async def test_too_large_and_too_long_are_413_naming_the_limit(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with open_gateway(
        tmp_path, cluster, max_upload_bytes=200_000, max_duration_s=2.0, max_tts_chars=20
    ) as gw:
        big = await gw.client.post("/api/transcribe", files=upload(b"\0" * 250_000))
        big_v1 = await gw.client.post(
            "/v1/audio/transcriptions",
            files=upload(b"\0" * 250_000),
            data={"model": "whisper-1"},
        )
        long = await gw.client.post("/api/transcribe", files=upload(GOOD))
        wordy = await gw.client.post("/api/tts", json={"input": "hello " * 10})
    assert big.status_code == 413
    assert "limit of 200000 bytes" in error(big)
    assert big_v1.status_code == 413 and big_v1.json()["error"]["code"] == 413
    assert long.status_code == 413
    assert "limit is 0m02s (speech.max_duration_s)" in error(long)
    assert wordy.status_code == 413
    assert "60 characters; the limit is 20 (speech.max_tts_chars)" in error(wordy)


async def test_the_upload_limit_is_sized_for_meetings_and_json_routes_stay_small(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with open_gateway(tmp_path, cluster) as gw:
        limits = gw.gateway.limits
        assert limits.for_request("POST", "/api/transcribe") == 1024 * 1024 * 1024
        assert limits.for_request("POST", "/v1/audio/transcriptions") == 1024 * 1024 * 1024
        assert limits.for_request("POST", "/api/tts") == 256 * 1024


async def test_bad_tts_requests_are_400(tmp_path: Path, cluster: SimCluster) -> None:
    async with open_gateway(tmp_path, cluster) as gw:
        blank = await gw.client.post("/api/tts", json={"input": "   "})
        fmt = await gw.client.post("/api/tts", json={"input": "hi", "response_format": "ogg"})
        speed = await gw.client.post("/api/tts", json={"input": "hi", "speed": 9})
        voice = await gw.client.post("/api/tts", json={"input": "hi", "voice": "nobody"})
        not_json = await gw.client.post(
            "/api/tts", content=b"{", headers={"content-type": "application/json"}
        )
    assert blank.status_code == 400 and "input: the text to speak is empty" in error(blank)
    assert fmt.status_code == 400 and "response_format" in error(fmt)
    assert speed.status_code == 400 and "speed" in error(speed)
    # The backend's own refusal, passed on as the caller's mistake.
    assert voice.status_code == 400 and "Voice not found: nobody" in error(voice)
    assert not_json.status_code == 400 and "not valid JSON" in error(not_json)
    # A caller's mistake is typed as one, never as the gateway's or the backend's fault.
    for response in (blank, fmt, speed, voice, not_json):
        assert response.json()["error"]["type"] in {"bad_request", "invalid_value"}


def _host_with(address: str) -> Any:
    """What the guard reads of the gateway: its topology, with the speech services on
    one node at ``address`` (the real Topology class; nothing is contacted)."""
    topology = Topology(nodes={"spark-1": Node("spark-1", address, "alice", Path("/k"))})
    declare_services(SimpleNamespace(topology=topology), SpeechSettings(), topology.add_service)
    return SimpleNamespace(topology=topology)


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "0.0.0.0", "224.0.0.1"]
)
def test_a_speech_service_on_a_public_address_is_refused(address: str) -> None:
    with pytest.raises(ConfigError) as refused:
        check_private(_host_with(address), SpeechSettings())
    assert "is not a private or loopback address" in str(refused.value)
    assert "speech.allow_public_services: true" in str(refused.value)
    check_private(_host_with(address), SpeechSettings(allow_public_services=True))


@pytest.mark.parametrize(
    "address",
    ["127.0.2.10", "10.1.2.3", "192.168.1.20", "172.16.0.5", "100.64.0.7", "fe80::1", "localhost"],
)
def test_a_speech_service_on_the_lan_is_accepted(address: str) -> None:
    check_private(_host_with(address), SpeechSettings())


async def test_the_gateway_leaves_speech_out_and_says_why(tmp_path: Path) -> None:
    # 0.0.0.0 is not a LAN address, and what the gateway's node probe sends to it stays
    # on this machine.
    nodes = {"spark-1": {"address": "0.0.0.0", "port": 9, "user": "alice", "key_path": "/k"}}
    refused_config = make_config(
        tmp_path / "a", {"nodes": nodes, "plugins": {"enabled": ["speech"]}}
    )
    async with running_gateway(refused_config) as gw:
        plugins = (await gw.client.get("/api/plugins")).json()
        status = (await gw.client.post("/api/transcribe", files=upload(GOOD))).status_code
    speech = next(p for p in plugins if p["name"] == "speech")
    assert speech["status"] == "failed"
    assert "the asr service (asr) is on 0.0.0.0" in speech["reason"]
    assert "speech.allow_public_services" in speech["reason"]
    assert status == 404  # the plugin's routes were never mounted

    allowed_config = make_config(
        tmp_path / "b",
        {
            "nodes": nodes,
            "plugins": {"enabled": ["speech"]},
            "speech": {"allow_public_services": True},
        },
    )
    async with running_gateway(allowed_config) as gw:
        plugins = (await gw.client.get("/api/plugins")).json()
    assert next(p for p in plugins if p["name"] == "speech")["status"] == "loaded"


async def test_backend_trouble_is_a_named_502_or_503_never_a_500(
    tmp_path: Path, cluster: SimCluster
) -> None:
    # Nothing listens on these ports of the node: connection refused.
    async with open_gateway(tmp_path / "a", cluster, diarizer_port=9299, tts_port=9298) as gw:
        diarize = await gw.client.post("/api/diarize", files=upload(GOOD))
        speak = await gw.client.post("/api/tts", json={"input": "hello"})
        voices = await gw.client.get("/api/tts/voices")
    assert diarize.status_code == 502
    assert "the diarizer service at http://127.0.2.10:9299/diarize is unreachable" in error(diarize)
    assert speak.status_code == 502 and voices.status_code == 502
    async with open_gateway(
        tmp_path / "b", cluster, _config={"disabled_services": ["diarizer"]}
    ) as gw:
        disabled = await gw.client.post("/api/transcribe?diarize=true", files=upload(GOOD))
        plain = await gw.client.post("/api/transcribe", files=upload(GOOD))
    assert disabled.status_code == 503
    assert "the diarizer service is disabled" in error(disabled)
    assert plain.status_code == 200


@pytest.mark.parametrize("path", ["/api/transcribe", "/api/diarize"])
async def test_a_form_that_is_not_really_multipart_is_400(
    tmp_path: Path, cluster: SimCluster, path: str
) -> None:
    async with open_gateway(tmp_path, cluster) as gw:
        response = await gw.client.post(
            path,
            content=b"this is not a multipart body",
            headers={"content-type": "multipart/form-data; boundary=xyz"},
        )
    assert response.status_code == 400, response.text
