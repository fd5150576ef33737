"""``/api/problems``: worst first, in words, linked to tiles; badges as the worst of a
tile's probes; the pill naming what is wrong; repeated node errors said once."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from spark_control import hookimpl
from spark_control.health import HealthState, Probe, ProbeResult
from spark_control.problems import describe_health, facts_problems, pill
from spark_control.testing import running_gateway
from tests.core.helpers import core_config


def fixed(state: HealthState, detail: str) -> Any:
    async def check() -> ProbeResult:
        return ProbeResult(state, detail)

    return check


class Speech:
    """Two services on two nodes: ASR answers, TTS refuses connections."""

    @hookimpl
    def spark_probes(self, register: Any) -> None:
        register(Probe("asr", fixed(HealthState.OK, "asr answers"), service="asr", node="spark-1"))
        register(
            Probe(
                "tts",
                fixed(HealthState.DOWN, "connection refused"),
                service="tts",
                node="spark-2",
            )
        )

    @hookimpl
    def spark_tiles(self, register: Any) -> None:
        register({"id": "speech", "title": "Speech", "status_probe": "asr"})
        register({"id": "speech-help", "title": "About speech"})


class Slow:
    @hookimpl
    def spark_probes(self, register: Any) -> None:
        register(Probe("embed", fixed(HealthState.DEGRADED, "slow: 2100 ms"), node="spark-1"))


class Broken:
    @hookimpl
    def spark_lifespan(self) -> Any:
        @contextlib.asynccontextmanager
        async def run() -> AsyncIterator[None]:
            raise RuntimeError("the model file is missing")
            yield

        return run()


async def test_the_first_problem_names_the_down_service_and_its_tile(tmp_path: Path) -> None:
    plugins = {"speech": Speech(), "slow": Slow(), "broken": Broken()}
    async with running_gateway(core_config(tmp_path), extra_plugins=plugins) as gw:
        async with asyncio.timeout(10):
            while any(s.checked_at is None for s in gw.gateway.health.snapshot().values()):
                await asyncio.sleep(0.05)
        answer = (await gw.client.get("/api/problems")).json()
        schema = (await gw.client.get("/openapi.json")).json()

    problems = answer["problems"]
    first = problems[0]
    since = gw.gateway.health.snapshot()["tts"].since
    assert since is not None
    at = time.strftime("%H:%M", time.gmtime(since))
    assert first["message"] == f"tts on spark-2 is down since {at} UTC: connection refused"
    assert (first["state"], first["probe"], first["tile"]) == ("down", "tts", "speech")
    # Down and failed first, then degraded; what answers is no problem.
    states = [p["state"] for p in problems]
    assert states == ["down", "failed", "degraded"]
    assert problems[1]["message"].startswith("Plugin broken is unavailable: start-up failed")
    assert (
        problems[2]["message"]
        == "embed on spark-1 is degraded since " + problems[2]["message"].split(" since ")[1]
    )
    assert "asr" not in {p["probe"] for p in problems}

    # The Speech tile follows its worst probe, not only its status_probe.
    assert answer["tiles"]["speech"] == {"state": "down", "probes": ["asr", "tts"], "worst": "tts"}
    assert "speech-help" not in answer["tiles"]
    pill = answer["pill"]
    assert pill["state"] == "down"
    assert (
        pill["text"] == "Down: tts on spark-2 · Failed: plugin broken · Degraded: embed on spark-1"
    )
    assert "/api/problems" in schema["paths"]


def test_repeated_node_errors_are_said_once_with_a_count() -> None:
    refused = "SSHUnreachable: spark-2: connection refused"
    errors = [f"{name}: {refused}" for name in ("gpu", "meminfo", "uptime", "disk", "ip")]
    found = facts_problems("spark-2", errors, 1.0)
    assert found is not None
    assert found["message"] == f"Could not read all facts of node spark-2: {refused} (5 times)"
    assert found["count"] == 5 and found["tile"] == "node:spark-2"
    assert facts_problems("spark-1", [], 1.0) is None


def test_states_read_as_words() -> None:
    noon = 1_800_000_000.0 - 1_800_000_000.0 % 86_400 + 12 * 3600
    assert (
        describe_health("node:spark-2", "down", "timed out", noon, node="spark-2", now=noon)
        == "node spark-2 is unreachable since 12:00 UTC: timed out"
    )
    assert describe_health("asr", "unknown", service="asr", node="spark-1") == (
        "asr on spark-1 has not answered yet"
    )
    yesterday = describe_health("tts", "down", "", noon - 86_400, node="spark-2", now=noon)
    assert yesterday.endswith("since Jan 14 12:00 UTC")


def test_a_warning_is_named_in_the_pill_but_changes_no_colour() -> None:
    warning = facts_problems("spark-1", ["gpu: exit 127: nvidia-smi: not found"], 1.0)
    assert warning is not None
    assert pill([warning]) == {"state": "ok", "text": "Warning: node spark-1"}
    assert pill([]) == {"state": "ok", "text": ""}
