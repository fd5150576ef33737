"""What a real app may send to ``POST /api/speech/merge``: each input gets a clear 4xx
naming what was wrong, or a sensible 200, never a 500 (independent of the route's own
tests, written from SPEC §8's "bad input ... never a 500")."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from spark_control.testing import RunningGateway, make_config, running_gateway

pytestmark = pytest.mark.asyncio(loop_scope="module")

NODE = {"address": "127.0.0.1", "user": "alice"}
TURNS = [{"start": 0.0, "end": 2.0, "speaker": "A"}, {"start": 2.0, "end": 4.0, "speaker": "B"}]
WORDS = [
    {"word": "one", "start": 0.1, "end": 0.4},
    {"word": "two", "start": 0.5, "end": 0.9},
    {"word": "three", "start": 2.1, "end": 2.5},
    {"word": "four", "start": 2.6, "end": 3.0},
]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def gateway(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningGateway]:
    config = make_config(
        tmp_path_factory.mktemp("robust"),
        {"nodes": {"spark-1": NODE}, "plugins": {"enabled": ["speech"]}},
    )
    async with running_gateway(config) as gw:
        yield gw


def _with(**changes: Any) -> dict[str, Any]:
    return {"words": WORDS, "turns": TURNS, **changes}


def _word(**changes: Any) -> dict[str, Any]:
    return {"words": [*WORDS[:2], {**WORDS[2], **changes}, WORDS[3]], "turns": TURNS}


# (id, body, the 4xx expected and a piece of its message); never a 500.
REFUSED: list[tuple[str, Any, int, str]] = [
    ("empty words and no segments", _with(words=[]), 422, ""),
    ("no turns", {"words": WORDS}, 422, "turns"),
    ("empty turns", _with(turns=[]), 422, "turns"),
    ("end before start", _word(start=2.5, end=2.1), 422, "words"),
    ("turn ends before it starts", _with(turns=[{"start": 3, "end": 1, "speaker": "A"}]), 422, ""),
    ("time as text", _word(start="2.1"), 422, "start"),
    ("time as bool", _word(start=True), 422, "start"),
    ("turn speaker missing", _with(turns=[{"start": 0, "end": 4}]), 422, "speaker"),
    ("turn speaker a number", _with(turns=[{"start": 0, "end": 4, "speaker": 7}]), 422, ""),
    ("word text a number", _word(word=3), 422, "word"),
    ("words not a list", _with(words={"word": "x"}), 422, "words"),
    ("speaker_names wrong type", _with(speaker_names="Alice"), 422, "speaker_names"),
    ("remote not an object", _with(remote=[1, 2]), 422, "remote"),
    (
        "same name both parties",
        _with(remote={"words": WORDS}, local_speaker="X", remote_speaker="X"),
        422,
        "",
    ),
]


@pytest.mark.parametrize(("name", "body", "status", "needle"), REFUSED, ids=[r[0] for r in REFUSED])
async def test_refused_with_a_clear_4xx(
    gateway: RunningGateway, name: str, body: Any, status: int, needle: str
) -> None:
    response = await gateway.client.post("/api/speech/merge", json=body)
    assert response.status_code != 500, response.text
    assert 400 <= response.status_code < 500, (name, response.status_code, response.text)
    assert needle.lower() in response.text.lower(), response.text


@pytest.mark.parametrize("token", [b"NaN", b"Infinity", b"-Infinity", b"1e400"])
async def test_non_finite_times_are_refused(gateway: RunningGateway, token: bytes) -> None:
    body = (
        b'{"words": [{"word": "x", "start": ' + token + b', "end": 1.0}],'
        b' "turns": [{"start": 0, "end": 2, "speaker": "A"}]}'
    )
    response = await gateway.client.post(
        "/api/speech/merge", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code in (400, 422), response.text
    assert "start" in response.text or "finite" in response.text.lower(), response.text


def _speakers(body: dict[str, Any]) -> list[tuple[str, str]]:
    return [(w["word"], w["speaker"]) for w in body["words"]]


async def _merge(gateway: RunningGateway, body: Any) -> dict[str, Any]:
    response = await gateway.client.post("/api/speech/merge", json=body)
    assert response.status_code == 200, response.text
    return response.json()


async def test_words_out_of_order_are_merged_in_time_order(gateway: RunningGateway) -> None:
    body = await _merge(gateway, _with(words=list(reversed(WORDS))))
    assert _speakers(body) == [("one", "A"), ("two", "A"), ("three", "B"), ("four", "B")]
    assert [(s["speaker"], s["text"]) for s in body["segments"]] == [
        ("A", "one two"),
        ("B", "three four"),
    ]


async def test_turns_out_of_order_give_the_same_answer(gateway: RunningGateway) -> None:
    forward = await _merge(gateway, _with())
    backward = await _merge(gateway, _with(turns=list(reversed(TURNS))))
    assert forward["segments"] == backward["segments"]
    assert forward["words"] == backward["words"]


async def test_duplicate_words_are_both_kept(gateway: RunningGateway) -> None:
    body = await _merge(gateway, _with(words=[*WORDS, dict(WORDS[3])]))
    assert _speakers(body)[-2:] == [("four", "B"), ("four", "B")]


async def test_negative_times_either_refused_or_labelled(gateway: RunningGateway) -> None:
    words = [{"word": "early", "start": -0.5, "end": -0.2}, *WORDS]
    response = await gateway.client.post("/api/speech/merge", json=_with(words=words))
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        assert response.json()["words"][0]["speaker"] == "A"  # the nearest turn


async def test_a_word_with_only_an_end_is_placed_like_an_untimed_word(
    gateway: RunningGateway,
) -> None:
    answer = await _merge(gateway, _word(start=None))
    assert answer["interpolated_words"] == 1
    assert [w["word"] for w in answer["words"]] == ["one", "two", "three", "four"]


async def test_unicode_text_survives(gateway: RunningGateway) -> None:
    words = [
        {"word": "Grüße", "start": 0.1, "end": 0.4},
        {"word": "日本語", "start": 0.5, "end": 0.9},
        {"word": "🙂", "start": 2.1, "end": 2.5},
        {"word": "naïve", "start": 2.6, "end": 3.0},
    ]
    body = await _merge(gateway, _with(words=words, speaker_names={"A": "Zoë", "B": "Ðavid"}))
    assert [(s["speaker"], s["text"]) for s in body["segments"]] == [
        ("Zoë", "Grüße 日本語"),
        ("Ðavid", "🙂 naïve"),
    ]


async def test_zero_length_turns_and_words_do_not_break_it(gateway: RunningGateway) -> None:
    turns = [*TURNS, {"start": 1.0, "end": 1.0, "speaker": "C"}]
    words = [*WORDS, {"word": "dot", "start": 3.5, "end": 3.5}]
    body = await _merge(gateway, _with(words=words, turns=turns))
    assert all(w["speaker"] in {"A", "B"} for w in body["words"])


async def test_all_words_untimed_with_segments_are_placed_in_them(
    gateway: RunningGateway,
) -> None:
    body = {
        "segments": [
            {
                "start": 0.0,
                "end": 1.0,
                "text": " one two",
                "words": [{"word": "one"}, {"word": "two"}],
            },
            {"start": 2.0, "end": 3.0, "text": " three", "words": [{"word": "three"}]},
        ],
        "turns": TURNS,
    }
    answer = await _merge(gateway, body)
    assert answer["interpolated_words"] == 3
    assert _speakers(answer) == [("one", "A"), ("two", "A"), ("three", "B")]


async def test_a_large_meeting_is_bounded_and_answered(gateway: RunningGateway) -> None:
    n = 20_000
    words = [{"word": f"w{i}", "start": i * 0.3, "end": i * 0.3 + 0.2} for i in range(n)]
    turns = [
        {"start": k * 30.0, "end": (k + 1) * 30.0, "speaker": f"S{k % 3}"} for k in range(n // 100)
    ]
    answer = await _merge(gateway, {"words": words, "turns": turns})
    assert len(answer["words"]) == n
    assert len(answer["segments"]) == n // 100


async def test_over_the_body_limit_is_413(gateway: RunningGateway) -> None:
    blob = b'{"words": [' + b'{"word": "xxxxxxxx", "start": 1.0, "end": 1.2},' * 800_000
    response = await gateway.client.post(
        "/api/speech/merge", content=blob + b"{}]}", headers={"content-type": "application/json"}
    )
    assert response.status_code == 413, response.text[:200]
