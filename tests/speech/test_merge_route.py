"""``POST /api/speech/merge`` as a client sees it: the documented examples, the answer's
shape, refused input (never a 500), the body limit, the OpenAPI entry and its scope.
The rules case by case are in test_merge_table.py."""

from __future__ import annotations

import json
import random
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from spark_control.testing import RunningGateway, make_config, running_gateway
from spark_control_speech.merge_api import EXAMPLE_DUAL, EXAMPLE_MONO

NODE = {"address": "127.0.0.1", "user": "alice"}


def _config(tmp_path: Path, **extra: Any) -> Any:
    return make_config(
        tmp_path, {"nodes": {"spark-1": NODE}, "plugins": {"enabled": ["speech"]}, **extra}
    )


@pytest.fixture
async def gateway(tmp_path: Path) -> AsyncIterator[RunningGateway]:
    async with running_gateway(_config(tmp_path)) as gw:
        yield gw


async def test_the_whisperx_example_gives_diarized_json(gateway: RunningGateway) -> None:
    response = await gateway.client.post("/api/speech/merge", json=EXAMPLE_MONO)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["task"] == "transcribe"
    assert body["speakers"] == ["Alice", "Bob"]
    assert [(s["speaker"], s["text"]) for s in body["segments"]] == [
        ("Alice", "Hello team, it costs 25 dollars."),
        ("Bob", "[inaudible]"),
        ("Bob", "Sounds good."),
    ]
    assert [s["id"] for s in body["segments"]] == ["seg_0", "seg_1", "seg_2"]
    assert {s["type"] for s in body["segments"]} == {"transcript.text.segment"}
    assert body["interpolated_words"] == 1
    twenty_five = body["words"][4]
    assert twenty_five == {"word": "25", "start": 1.8, "end": 2.4, "speaker": "Alice"}
    assert body["duration"] == 5.1  # the last turn's end
    assert body["text"] == "Hello team, it costs 25 dollars. [inaudible] Sounds good."


async def test_the_dual_channel_example_drops_the_echo(gateway: RunningGateway) -> None:
    response = await gateway.client.post("/api/speech/merge", json=EXAMPLE_DUAL)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["speakers"] == ["Alice", "Bob"]
    assert [(s["speaker"], s["text"]) for s in body["segments"]] == [
        ("Alice", "hello bob"),
        ("Bob", "great please share"),
        ("Bob", "the report"),
    ]
    assert body["dropped_bleed"] == [
        {"start": 3.63, "end": 5.99, "text": "great please share the report"}
    ]
    assert body["bleed_rule"] == {"time_overlap": 0.5, "word_overlap": 0.8, "min_words": 4}


@pytest.mark.parametrize(
    ("content", "headers", "status", "needle"),
    [
        (b"{not json", {"content-type": "application/json"}, 400, "not valid JSON"),
        (
            b"words=1",
            {"content-type": "application/x-www-form-urlencoded"},
            415,
            "application/json",
        ),
        (b"[1, 2]", {"content-type": "application/json"}, 422, "JSON object"),
        (
            json.dumps({"words": [{"word": "a", "start": 0, "end": 1}]}).encode(),
            {"content-type": "application/json"},
            422,
            "turns",
        ),
        (
            json.dumps({"words": [{"start": 0, "end": 1}], "turns": []}).encode(),
            {"content-type": "application/json"},
            422,
            "words.0.word",
        ),
        (
            b'{"words": [{"word": "a", "start": NaN, "end": 1}], "turns": []}',
            {"content-type": "application/json"},
            422,
            "words.0.start",
        ),
        (
            json.dumps(
                {
                    "segments": [{"text": "x", "words": [{"word": "x", "start": 2, "end": 1}]}],
                    "turns": [{"start": 0, "end": 1, "speaker": "A"}],
                }
            ).encode(),
            {"content-type": "application/json"},
            422,
            "segments.0.words.0",
        ),
        (
            json.dumps(
                {
                    "words": [{"word": "a", "start": 0, "end": 1}],
                    "turns": [{"start": 0, "end": 1, "speaker": "A"}],
                    "speaker_names": ["Alice", " "],
                }
            ).encode(),
            {"content-type": "application/json"},
            422,
            "speaker_names",
        ),
        (
            json.dumps({"segments": [{"text": "no times"}], "remote": {"words": []}}).encode(),
            {"content-type": "application/json"},
            422,
            "segments.0",
        ),
    ],
)
async def test_bad_input_is_a_named_4xx(
    gateway: RunningGateway, content: bytes, headers: dict[str, str], status: int, needle: str
) -> None:
    response = await gateway.client.post("/api/speech/merge", content=content, headers=headers)
    assert response.status_code == status, response.text
    assert needle in response.json()["error"]["message"]


async def test_a_body_over_the_limit_is_413_with_the_limit(tmp_path: Path) -> None:
    config = _config(tmp_path, speech={"max_merge_body_bytes": 4096})
    async with running_gateway(config) as gw:
        words = [{"word": "w", "start": k, "end": k + 0.5} for k in range(200)]
        response = await gw.client.post(
            "/api/speech/merge",
            json={"words": words, "turns": [{"start": 0, "end": 200, "speaker": "A"}]},
        )
    assert response.status_code == 413
    assert "4096" in response.json()["error"]["message"]


async def test_a_long_meeting_goes_through_in_one_request(gateway: RunningGateway) -> None:
    # Half an hour: 5,000 words, 500 turns of four speakers (~300 KB of JSON).
    rng = random.Random(7)
    turns, words, t = [], [], 0.0
    for k in range(500):
        end = t + rng.uniform(2.0, 5.0)
        turns.append({"start": round(t, 2), "end": round(end, 2), "speaker": "ABCD"[k % 4]})
        t = end + 0.2
    for k in range(5000):
        start = k * 0.36
        words.append({"word": f"w{k}", "start": round(start, 2), "end": round(start + 0.3, 2)})
    response = await gateway.client.post("/api/speech/merge", json={"words": words, "turns": turns})
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["words"]) == 5000
    assert all(w["speaker"] in "ABCD" for w in body["words"])
    assert sum(len(s["text"].split()) for s in body["segments"]) == 5000


async def test_the_route_is_in_the_openapi_with_examples_and_needs_read(tmp_path: Path) -> None:
    config = _config(tmp_path, access={"require_keys": True})
    async with running_gateway(config) as gw:
        access = gw.gateway.access
        _, secret = await access.keys.create("meeting-app", ["read"], access.known_scopes())
        key = {"Authorization": f"Bearer {secret}"}
        anonymous = await gw.client.post("/api/speech/merge", json=EXAMPLE_MONO)
        assert anonymous.status_code == 401
        allowed = await gw.client.post("/api/speech/merge", json=EXAMPLE_MONO, headers=key)
        assert allowed.status_code == 200, allowed.text
        schema = (await gw.client.get("/openapi.json", headers=key)).json()
    operation = schema["paths"]["/api/speech/merge"]["post"]
    assert operation["x-required-scope"] == "read"
    content = operation["requestBody"]["content"]["application/json"]
    assert content["examples"]["whisperx"]["value"] == EXAMPLE_MONO
    assert content["examples"]["dual"]["value"] == EXAMPLE_DUAL
    answer = operation["responses"]["200"]["content"]["application/json"]["example"]
    assert answer["speakers"] == ["Alice", "Bob"] and answer["interpolated_words"] == 1
    properties = content["schema"]["properties"]
    assert {"words", "segments", "turns", "remote", "speaker_names"} <= set(properties)
    # Self-contained: the parts are inlined, no reference the document cannot resolve.
    assert "$ref" not in json.dumps(content["schema"])
    word = properties["words"]["anyOf"][0]["items"]
    assert {"word", "start", "end"} <= set(word["properties"])
