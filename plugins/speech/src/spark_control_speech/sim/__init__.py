"""The speech plugin's part of the simulated cluster: ASR (one server per adapter
style), diarizer and Kokoro TTS stand-ins on the head node, plus a sample clip.

Each stand-in is a ``sim.service`` (a backend outside any container) on the node's
address at the port a real deployment uses by default (``PORTS``), so the plugin's
default settings find them. The demo's tile offers a sample meeting clip made of the same tones.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from spark_control.api import ContainerContext, ProcessSpec, SimRegistrar
from spark_control_speech.sim import tones

#: service name → (server kind, port)
PORTS: dict[str, tuple[str, int]] = {
    "speech-asr": ("asr-openai", 9100),
    "speech-asr-nemo": ("asr-nemo", 9101),
    "speech-asr-text": ("asr-text", 9102),
    "speech-diarizer": ("diarizer", 9200),
    "speech-tts": ("tts", 8880),
}
SAMPLE_TURNS: list[tuple[int, list[str]]] = [
    (0, ["hello", "team", "the", "budget", "review", "is", "ready"]),
    (1, ["thanks", "please", "share", "the", "report", "today"]),
    (0, ["yes", "the", "report", "is", "done"]),
    (2, ["great", "next", "quarter", "target", "is", "growth"]),
    (1, ["agree"]),
]


def _starter(kind: str, port: int) -> Callable[[ContainerContext], ProcessSpec]:
    def start(ctx: ContainerContext) -> ProcessSpec:
        return ProcessSpec(
            [sys.executable, "-m", "spark_control_speech.sim.servers", kind],
            env={"BIND": ctx.address, "PORT": str(port)},
        )

    return start


def sample_clip() -> bytes:
    """A short three-speaker meeting as tone bursts (what the stand-ins understand)."""
    spoken, duration = tones.script(SAMPLE_TURNS)
    return tones.encode(tones.render(spoken, duration))


def register(sim: SimRegistrar) -> None:
    for name, (kind, port) in PORTS.items():
        sim.service(name, _starter(kind, port))
    # The demo's tile offers the sample clip (GET /api/speech/sample.wav).
    sim.settings({"sample_clip": True})
