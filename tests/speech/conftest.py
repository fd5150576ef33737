"""Shared pieces of the speech tests: one simulated cluster for the session (the speech
plugin's stand-ins on 127.0.2.10), gateways on it, and tone-burst fixtures."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest

from spark_control.plugins import new_manager
from spark_control.sim import SimCluster
from spark_control.sim.registry import collect_simulation
from spark_control.testing import RunningGateway, make_config, running_gateway
from spark_control_speech.plugin import SpeechPlugin
from spark_control_speech.sim import PORTS, tones

BASE_ADDRESS = "127.0.2.10"
STYLE_PORTS = {
    "openai": PORTS["speech-asr"][1],
    "nemo": PORTS["speech-asr-nemo"][1],
    "text": PORTS["speech-asr-text"][1],
}


@contextlib.contextmanager
def speech_cluster(root: Path, base_address: str) -> Iterator[SimCluster]:
    pm = new_manager()
    pm.register(SpeechPlugin, name="speech")
    with SimCluster(root, registry=collect_simulation(pm), base_address=base_address) as sim:
        wait_until_serving(sim.head.address)
        yield sim


def wait_until_serving(address: str, timeout_s: float = 60.0) -> None:
    """The cluster starts its services without waiting for them; the stand-ins take a
    moment to import numpy and listen."""
    deadline = time.monotonic() + timeout_s
    with httpx.Client(trust_env=False, timeout=2.0) as client:
        for _, port in PORTS.values():
            while True:
                try:
                    if client.get(f"http://{address}:{port}/health").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the speech stand-in on {address}:{port} never answered")
                time.sleep(0.05)


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with speech_cluster(tmp_path_factory.mktemp("speech-sim"), BASE_ADDRESS) as sim:
        yield sim


@contextlib.asynccontextmanager
async def open_gateway(
    tmp_path: Path, cluster: SimCluster, style: str = "openai", **speech: Any
) -> AsyncIterator[RunningGateway]:
    """A gateway with only the speech plugin, its ASR the stand-in of ``style``."""
    extra = speech.pop("_config", {})
    settings = {"asr_style": style, "asr_port": STYLE_PORTS[style], **speech}
    config = make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["speech"]},
            "speech": settings,
            **extra,
        },
    )
    async with running_gateway(config) as gw:
        yield gw


def meeting(
    turns: Sequence[tuple[int, Sequence[str]]], fmt: str = "WAV", **layout: float
) -> tuple[bytes, list[tones.Spoken]]:
    """A recording of ``turns`` (speaker, words) as tone bursts, and what was said."""
    spoken, duration = tones.script(turns, **layout)
    return tones.encode(tones.render(spoken, duration), fmt), spoken


def upload(data: bytes, name: str = "meeting.wav", mime: str = "audio/wav") -> dict[str, Any]:
    return {"file": (name, data, mime)}
