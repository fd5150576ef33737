"""The speech plugin's tile in Chromium against the simulated backends: the health of
ASR, diarizer and TTS, a try-it upload showing speaker-labelled text, and the TTS box
playing what it spoke."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway, make_config, running_gateway
from spark_control_speech.sim import tones
from tests.e2e.helpers import open_dashboard
from tests.speech.conftest import speech_cluster

pytestmark = pytest.mark.asyncio(loop_scope="session")

TILE = '[data-tile="speech"]'


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with speech_cluster(tmp_path_factory.mktemp("speech-tile-sim"), "127.0.2.100") as sim:
        yield sim


@asynccontextmanager
async def speech_gateway(
    tmp_path: Path, cluster: SimCluster, **speech: Any
) -> AsyncIterator[RunningGateway]:
    config = make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["speech"]},
            "speech": speech,
        },
    )
    async with running_gateway(config) as gateway:
        yield gateway


async def test_the_tile_shows_the_health_of_each_speech_service(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    async with speech_gateway(tmp_path, cluster, tts_port=9296) as gateway:  # no TTS there
        await open_dashboard(page, gateway)
        tile = page.locator(TILE)
        for service in ("asr", "diarizer"):
            await tile.locator(f'[data-service="{service}"] .status[data-state="ok"]').wait_for()
        await tile.locator('[data-service="tts"] .status[data-state="down"]').wait_for()
        assert "openai" in (await tile.locator('[data-service="asr"]').text_content() or "")


async def test_an_uploaded_recording_shows_who_said_what(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    spoken, duration = tones.script(
        [
            (0, ["hello", "team", "the", "budget", "is", "ready"]),
            (1, ["thanks", "please", "send", "the", "report"]),
            (0, ["yes"]),
        ]
    )
    recording = tones.encode(tones.render(spoken, duration), "FLAC")
    async with speech_gateway(tmp_path, cluster) as gateway:
        await open_dashboard(page, gateway)
        tile = page.locator(TILE)
        await tile.get_by_label("Recording").set_input_files(
            {"name": "standup.flac", "mimeType": "audio/flac", "buffer": recording}
        )
        await tile.get_by_label("Speaker names").fill("Alice, Bob")
        await tile.get_by_role("button", name="Transcribe").click()
        lines = tile.locator(".transcript li")
        await lines.nth(2).wait_for()
        texts = [" ".join((t or "").split()) for t in await lines.all_text_contents()]
        assert texts == [
            "0:00Alice:hello team the budget is ready",
            "0:03Bob:thanks please send the report",
            "0:06Alice:yes",
        ]
        assert "3 segments" in (await tile.get_by_role("status").first.text_content() or "")


async def test_a_bad_upload_says_what_was_wrong_in_the_tile(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    async with speech_gateway(tmp_path, cluster) as gateway:
        await open_dashboard(page, gateway)
        tile = page.locator(TILE)
        await tile.get_by_label("Recording").set_input_files(
            {"name": "notes.wav", "mimeType": "audio/wav", "buffer": b"RIFF not really audio"}
        )
        await tile.get_by_role("button", name="Transcribe").click()
        error = tile.locator(".error")
        await error.wait_for()
        assert "could not decode the audio" in (await error.text_content() or "")


async def test_the_sample_clip_and_the_tts_player(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    async with speech_gateway(tmp_path, cluster, sample_clip=True) as gateway:
        await open_dashboard(page, gateway)
        tile = page.locator(TILE)
        await tile.get_by_role("button", name="Try the sample clip").click()
        await tile.locator('.transcript li[data-speaker="C"]').wait_for()

        voice = tile.get_by_label("Voice")
        await voice.locator('option[value="bf_emma"]').wait_for(state="attached")
        await voice.select_option("bf_emma")
        await tile.get_by_label("Text to speak").fill("hello alpha bravo")
        await tile.get_by_role("button", name="Speak").click()
        player = tile.locator("audio[data-loaded='true']")
        await player.wait_for(state="attached")
        duration = await player.evaluate("audio => audio.duration")
        assert 0.5 < duration < 3.0
        src = await player.get_attribute("src")
        assert src is not None and "voice=bf_emma" in src


async def test_a_hidden_service_is_drawn_nowhere(
    page: Any, tmp_path: Path, cluster: SimCluster
) -> None:
    """disabled_services (DISABLED_SERVICES) hides a service: no Health row, no row in
    the tile, no box to try it with."""
    config = make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["speech"]},
            "disabled_services": ["tts"],
        },
    )
    async with running_gateway(config) as gateway:
        probes = (await gateway.client.get("/api/health")).json()["probes"]
        hidden = [name for name, p in probes.items() if p["state"] == "disabled"]
        assert hidden, "the API lists the hidden service as disabled, for the page to leave out"
        await open_dashboard(page, gateway)
        tile = page.locator(TILE)
        await tile.locator('[data-service="asr"] .status[data-state="ok"]').wait_for()
        for name in hidden:
            assert await page.locator(f'#health [data-probe="{name}"]').count() == 0
        assert await page.locator("#health [data-probe]").count() > 0
        assert await tile.locator('[data-service="tts"]').count() == 0
        assert await tile.get_by_text("Text to speech").count() == 0
        assert await tile.get_by_role("button", name="Speak").count() == 0
        assert await tile.get_by_role("button", name="Transcribe").count() == 1
