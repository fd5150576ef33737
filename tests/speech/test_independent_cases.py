"""The independent cases of independent_cases.py, sent over HTTP to a running gateway's
``POST /api/speech/merge``. Spec cases must pass; choice cases (where §8 leaves a
reading open) must answer 200 with every word labelled, whatever reading they take."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from spark_control.testing import RunningGateway, make_config, running_gateway

from .independent_cases import CASES, DUAL

# One gateway for the module, so its event loop must be the module's too.
pytestmark = pytest.mark.asyncio(loop_scope="module")

NODE = {"address": "127.0.0.1", "user": "alice"}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def gateway(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningGateway]:
    config = make_config(
        tmp_path_factory.mktemp("indep"),
        {"nodes": {"spark-1": NODE}, "plugins": {"enabled": ["speech"]}},
    )
    async with running_gateway(config) as gw:
        yield gw


def transcript(asr: dict[str, Any]) -> dict[str, Any]:
    """The ASR answer as an app would send it: as it came, NeMo's under ``timestamps``."""
    return dict(asr["data"])


def request(case: dict[str, Any]) -> dict[str, Any]:
    if "local" in case:
        body = transcript(case["local"]["asr"])
        body["remote"] = transcript(case["remote"]["asr"])
        body["local_speaker"] = case["local"]["turns"][0]["speaker"]
        body["remote_speaker"] = case["remote"]["turns"][0]["speaker"]
        if "rename" in case:
            body["local_speaker"] = case["rename"][body["local_speaker"]]
            body["remote_speaker"] = case["rename"][body["remote_speaker"]]
        return body
    body = transcript(case["asr"])
    body["turns"] = case["turns"]
    if "rename" in case:
        body["speaker_names"] = case["rename"]
    return body


def _norm(text: str) -> str:
    return " ".join(text.split())


def mismatches(case: dict[str, Any], answer: dict[str, Any]) -> list[str]:
    """What in ``answer`` differs from the case's expectation (empty when it holds)."""
    expect = case["expect"]
    out = []
    if "labels" in expect:
        got = [w.get("speaker") for w in answer.get("words", [])]
        if got != expect["labels"]:
            out.append(f"labels {got} != {expect['labels']}")
    if "segments" in expect:
        got_segs = answer.get("segments", [])
        want = expect["segments"]
        brief = [(s.get("speaker"), _norm(s.get("text", ""))) for s in got_segs]
        if len(got_segs) != len(want):
            out.append(f"segments {brief} != {[(s.get('speaker'), s['text']) for s in want]}")
        else:
            for i, (g, w) in enumerate(zip(got_segs, want, strict=True)):
                if "speaker" in w and g.get("speaker") != w["speaker"]:
                    out.append(f"seg {i} speaker {g.get('speaker')} != {w['speaker']}")
                if _norm(g.get("text", "")) != _norm(w["text"]):
                    out.append(f"seg {i} text {g.get('text')!r} != {w['text']!r}")
                for key in ("start", "end"):
                    if key in w and not math.isclose(g.get(key, -1), w[key], abs_tol=1e-3):
                        out.append(f"seg {i} {key} {g.get(key)} != {w[key]}")
    if "interpolated" in expect and answer.get("interpolated_words") != expect["interpolated"]:
        out.append(f"interpolated {answer.get('interpolated_words')} != {expect['interpolated']}")
    return out


ALL = CASES + DUAL


@pytest.mark.parametrize("case", [c for c in ALL if c["kind"] == "spec"], ids=lambda c: c["id"])
async def test_spec_case(gateway: RunningGateway, case: dict[str, Any]) -> None:
    response = await gateway.client.post("/api/speech/merge", json=request(case))
    assert response.status_code == 200, response.text
    assert mismatches(case, response.json()) == [], case["rule"]


@pytest.mark.parametrize("case", [c for c in ALL if c["kind"] == "choice"], ids=lambda c: c["id"])
async def test_choice_case_answers(gateway: RunningGateway, case: dict[str, Any]) -> None:
    response = await gateway.client.post("/api/speech/merge", json=request(case))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["segments"]
    assert all(w.get("speaker") for w in body.get("words", []))
