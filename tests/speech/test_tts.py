"""Text to speech through the gateway: streamed as it arrives, the voice list in both
of the backend's shapes, and the voices route on /v1."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx

from spark_control.sim import SimCluster
from spark_control_speech.backends import normalise_voices
from tests.speech.conftest import open_gateway

STRINGS_ADDRESS = "127.0.2.30"


@contextlib.asynccontextmanager
async def old_kokoro(port: int) -> AsyncIterator[None]:
    """A Kokoro stand-in whose voice list is the older list of names."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "spark_control_speech.sim.servers",
        "tts",
        env={**os.environ, "BIND": STRINGS_ADDRESS, "PORT": str(port), "VOICES_SHAPE": "strings"},
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        await asyncio.wait_for(process.stdout.readline(), 20)  # "tts listening on ..."
        yield
    finally:
        process.terminate()
        await process.wait()


async def test_tts_streams_audio_pieces_as_they_arrive(tmp_path: Path, cluster: SimCluster) -> None:
    text = " ".join(["hello alpha bravo charlie delta echo"] * 20)
    async with open_gateway(tmp_path, cluster) as gw:
        arrivals: list[float] = []
        started = time.monotonic()
        async with gw.client.stream(
            "POST", "/api/tts", json={"input": text, "response_format": "pcm"}
        ) as response:
            assert response.status_code == 200, await response.aread()
            assert response.headers["content-type"] == "audio/pcm"
            assert "content-length" not in response.headers  # streamed, not buffered
            total = 0
            async for piece in response.aiter_raw():
                arrivals.append(time.monotonic() - started)
                total += len(piece)
    assert total > 100_000
    # The stand-in sends 4 KiB pieces 2 ms apart: they must not all arrive at the end.
    assert len(arrivals) > 5
    assert arrivals[0] < arrivals[-1] - 0.02


async def test_voices_in_the_newer_shape(tmp_path: Path, cluster: SimCluster) -> None:
    async with open_gateway(tmp_path, cluster) as gw:
        api = (await gw.client.get("/api/tts/voices")).json()
        v1 = (await gw.client.get("/v1/audio/voices")).json()
    assert api["voices"][0] == {"id": "af_heart", "name": "af_heart", "language": "en-us"}
    assert v1 == api


async def test_voices_in_the_older_list_of_names(tmp_path: Path, cluster: SimCluster) -> None:
    async with (
        old_kokoro(8880),
        open_gateway(
            tmp_path,
            cluster,
            _config={
                "nodes": {
                    **cluster.topology_config(),
                    "old": {
                        "address": STRINGS_ADDRESS,
                        "port": 9,
                        "user": "alice",
                        "key_path": "/nonexistent",
                    },
                },
                "services": {"tts": {"node": "old", "port": 8880, "kind": "tts"}},
            },
        ) as gw,
    ):
        response = await gw.client.get("/api/tts/voices")
    assert response.status_code == 200, response.text
    assert [v["id"] for v in response.json()["voices"]] == [
        "af_heart",
        "af_bella",
        "am_adam",
        "bf_emma",
        "bm_george",
        "af_nicole",
        "af_sarah",
        "af_sky",
        "am_michael",
        "bf_isabella",
    ]
    assert response.json()["voices"][1] == {"id": "af_bella", "name": "af_bella"}


def test_every_voice_list_shape_normalises_to_one() -> None:
    expected = [{"id": "af_heart", "name": "af_heart"}]
    assert normalise_voices(["af_heart"]) == expected
    assert normalise_voices({"voices": ["af_heart"]}) == expected
    assert normalise_voices({"voices": [{"name": "af_heart"}]}) == expected
    assert normalise_voices([{"id": "af_heart", "name": "Heart", "gender": "f"}]) == [
        {"id": "af_heart", "name": "Heart", "gender": "f"}
    ]


async def test_a_backend_that_never_answers_times_out_as_504(
    tmp_path: Path, cluster: SimCluster
) -> None:
    # A listener that accepts and never replies.
    server = await asyncio.start_server(lambda r, w: None, "127.0.2.10", 9297)
    try:
        async with open_gateway(tmp_path, cluster, tts_port=9297, backend_timeout_s=0.5) as gw:
            response = await gw.client.post("/api/tts", json={"input": "hello"})
    finally:
        server.close()
    assert response.status_code == 504
    assert "timed out" in response.json()["error"]["message"]
    assert isinstance(response, httpx.Response)
