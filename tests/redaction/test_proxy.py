"""The scrubbing proxy against a provider stand-in that records what it received."""

from __future__ import annotations

import json
from pathlib import Path

from spark_control.testing import RunningGateway, running_gateway
from spark_control_redaction.entities import ALL_TYPES
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.proxy import _rehydrate_reply, _StreamState
from tests.redaction.conftest import redaction_config
from tests.redaction.provider import Provider

PATH = "/api/redact/v1/chat/completions"
SECRET_VALUES = ["alice@example.com", "+1 555-010-0199", "4111 1111 1111 1111", "078-05-1120"]
MESSAGES = [
    {"role": "system", "content": "You help Alice Example with her bank. Alice is in a hurry."},
    {
        "role": "user",
        "content": "My card 4111 1111 1111 1111 was charged; reach me at alice@example.com "
        "or +1 555-010-0199. SSN 078-05-1120.",
    },
]


def sent_text(provider: Provider) -> str:
    return provider.received[-1].raw.decode()


async def test_the_provider_gets_scrubbed_messages_and_the_reply_is_rehydrated(
    gateway: RunningGateway, provider: Provider
) -> None:
    provider.reply = "Sure <PERSON_1b>, I'll write to **EMAIL_1** about card <credit_card_1>."
    response = await gateway.client.post(
        PATH,
        json={"model": "gpt-x", "messages": MESSAGES},
        headers={"authorization": "Bearer caller-gateway-key"},
    )
    assert response.status_code == 200, response.text
    received = provider.received[-1]
    assert received.path == "/v1/chat/completions"
    assert received.headers["authorization"] == "Bearer sk-provider-key-for-tests-0000000000"
    for value in [*SECRET_VALUES, "Alice Example"]:
        assert value not in sent_text(provider)
    assert received.body["model"] == "gpt-x"
    assert "<PERSON_1>" in received.body["messages"][0]["content"]
    reply = response.json()["choices"][0]["message"]["content"]
    assert reply == (
        "Sure Alice, I'll write to **alice@example.com** about card 4111 1111 1111 1111."
    )
    assert response.headers["x-redaction-session"].startswith("rds_")


async def test_a_streamed_reply_is_rehydrated_even_when_placeholders_split(
    gateway: RunningGateway, provider: Provider
) -> None:
    provider.reply = "Card <CREDIT_CARD_1> belongs to <EMAIL_1>; <PHONE_9> is unknown."
    provider.chunk_chars = 3
    deltas: list[str] = []
    async with gateway.client.stream(
        "POST", PATH, json={"model": "gpt-x", "messages": MESSAGES, "stream": True}
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        done = False
        async for line in response.aiter_lines():
            if line == "data: [DONE]":
                done = True
            elif line.startswith("data: "):
                delta = json.loads(line[6:])["choices"][0]["delta"]
                deltas.append(delta.get("content") or "")
    assert done
    assert "".join(deltas) == (
        "Card 4111 1111 1111 1111 belongs to alice@example.com; <PHONE_9> is unknown."
    )
    assert json.loads(sent_text(provider))["stream"] is True
    for value in SECRET_VALUES:
        assert value not in sent_text(provider)


async def test_a_conversation_continues_in_its_session(
    gateway: RunningGateway, provider: Provider
) -> None:
    first = await gateway.client.post(PATH, json={"model": "m", "messages": MESSAGES})
    session = first.headers["x-redaction-session"]
    provider.reply = None  # echo
    second = await gateway.client.post(
        PATH,
        json={"model": "m", "messages": [{"role": "user", "content": "Still alice@example.com"}]},
        headers={"x-redaction-session": session},
    )
    assert provider.received[-1].body["messages"][0]["content"] == "Still <EMAIL_1>"
    assert second.json()["choices"][0]["message"]["content"] == "Still alice@example.com"


async def test_every_content_string_is_scrubbed_even_in_unknown_fields(
    gateway: RunningGateway, provider: Provider
) -> None:
    messages = [
        {"role": "user", "name": "alice@example.com", "content": [
            {"type": "text", "text": "IBAN DE89370400440532013000"},
        ]},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "c1", "type": "function", "function": {
                "name": "pay", "arguments": "{\"card\": \"4111111111111111\"}"}},
        ]},
    ]  # fmt: skip
    body = {
        "model": "m",
        "messages": messages,
        "user": "bob@example.com",
        "metadata": {"account": "IBAN GB82 WEST 1234 5698 7654 32"},
        "future_field": ["call +1 555-010-0199"],
    }
    response = await gateway.client.post(PATH, json=body)
    assert response.status_code == 200
    sent = sent_text(provider)
    for value in [
        "alice@example.com",
        "DE89370400440532013000",
        "4111111111111111",
        "bob@example.com",
        "GB82 WEST",
        "555-010-0199",
    ]:
        assert value not in sent
    assert provider.received[-1].body["model"] == "m"
    assert provider.received[-1].body["messages"][0]["role"] == "user"


async def test_provider_errors_and_bad_requests_are_openai_shaped(
    gateway: RunningGateway, provider: Provider
) -> None:
    provider.status = 429
    limited = await gateway.client.post(PATH, json={"model": "m", "messages": MESSAGES})
    assert limited.status_code == 429
    bad = await gateway.client.post(PATH, json={"model": "m", "messages": "hi"})
    assert bad.status_code == 400
    assert bad.json()["error"]["message"] == "messages must be a non-empty list"
    assert "code" in bad.json()["error"]
    not_json = await gateway.client.post(
        PATH, content=b"nope", headers={"content-type": "application/json"}
    )
    assert not_json.status_code == 400
    odd = await gateway.client.post(
        PATH, json={"model": "m", "messages": [{"role": "user", "content": 4111111111111111}]}
    )
    assert odd.status_code == 400 and "content" in odd.json()["error"]["message"]


async def test_without_a_provider_the_proxy_answers_503(tmp_path: Path) -> None:
    async with running_gateway(redaction_config(tmp_path)) as gw:
        response = await gw.client.post(PATH, json={"model": "m", "messages": MESSAGES})
        assert response.status_code == 503
        assert "provider_base_url" in response.json()["error"]["message"]
        plain = await gw.client.post("/v1/chat/completions", json={"model": "m", "messages": []})
        assert plain.status_code != 200  # the proxy never sits on the plain /v1 path


def test_streamed_tool_call_arguments_are_rehydrated_and_flushed_at_the_end() -> None:
    mapping = Mapping()
    mapping.placeholder_for("EMAIL", "alice@example.com")
    state = _StreamState(mapping)

    def chunk(arguments: str, finish: str | None = None) -> dict:
        call = {"index": 0, "function": {"arguments": arguments}}
        delta = {"tool_calls": [call]}
        return {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

    out = [state.chunk(chunk(piece)) for piece in ['{"to": "<EMA', 'IL_1>", "cc": "EMAIL_1']]
    last = state.chunk({"choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]})
    texts = [c["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"] for c in out]
    texts.append(last["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"])
    assert "".join(texts) == '{"to": "alice@example.com", "cc": "alice@example.com'


# --- tool-call arguments are JSON: what is restored into them is escaped (issue 16.12) ---

# Values that end a JSON string or break its line if restored as they are.
AWKWARD = [
    'say "hi"',
    "C:\\Users\\alice",
    "4111 1111\n1111 1111",
    "tab\there\r\nnext",
    "é \u2028 ✓",
]


def _awkward_mapping() -> tuple[Mapping, dict[str, str]]:
    """One entity of every type (placeholder -> value), each value awkward in JSON."""
    mapping = Mapping()
    values: dict[str, str] = {}
    for index, type_ in enumerate(ALL_TYPES):
        value = f"{type_.lower()} {AWKWARD[index % len(AWKWARD)]} {index}"
        values[mapping.placeholder_for(type_, value)] = value
    return mapping, values


def _arguments(values: dict[str, str]) -> tuple[str, dict[str, object]]:
    """Tool-call arguments naming every placeholder (inside strings, in a list, mangled,
    and one bare value outside any string), and what they must parse to."""
    placeholders = list(values)
    args: dict[str, object] = {f"k{i}": f"[{p[1:-1]}] and {p}" for i, p in enumerate(placeholders)}
    expected: dict[str, object] = {
        f"k{i}": f"{values[p]} and {values[p]}" for i, p in enumerate(placeholders)
    }
    args["list"] = [f'quoted \\"{placeholders[0]}\\"', "back\\\\slash"]
    expected["list"] = [f'quoted \\"{values[placeholders[0]]}\\"', "back\\\\slash"]
    text = json.dumps(args, ensure_ascii=False)[:-1] + f', "bare": {placeholders[1]}}}'
    expected["bare"] = values[placeholders[1]]
    return text, expected


def test_restored_tool_arguments_stay_valid_json_for_every_type_and_awkward_values() -> None:
    mapping, values = _awkward_mapping()
    text, expected = _arguments(values)
    reply = {"choices": [{"message": {"tool_calls": [{"function": {"arguments": text}}]}}]}
    assert _rehydrate_reply(reply, mapping) == []
    restored = reply["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"]
    assert json.loads(restored) == json.loads(json.dumps(expected))
    legacy = {"choices": [{"message": {"function_call": {"arguments": text}}}]}
    _rehydrate_reply(legacy, mapping)
    assert json.loads(legacy["choices"][0]["message"]["function_call"]["arguments"]) == expected


def test_streamed_tool_arguments_stay_valid_json_whatever_the_chunking() -> None:
    mapping, values = _awkward_mapping()
    text, expected = _arguments(values)
    for size in (1, 2, 3, 5, 8, 13):
        state = _StreamState(mapping)
        pieces = [text[i : i + size] for i in range(0, len(text), size)]
        out = []
        for i, piece in enumerate(pieces):
            finish = "tool_calls" if i == len(pieces) - 1 else None
            delta = {"tool_calls": [{"index": 0, "function": {"arguments": piece}}]}
            chunk = state.chunk(
                {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            )
            for call in chunk["choices"][0]["delta"]["tool_calls"]:
                out.append(call["function"]["arguments"])
        assert json.loads("".join(out)) == expected, size
        assert state.unknown() == []


async def test_a_card_written_across_two_lines_comes_back_in_valid_tool_arguments(
    gateway: RunningGateway, provider: Provider
) -> None:
    card = "4111 1111\n1111 1111"
    messages = [{"role": "user", "content": f'Pay with card {card}, note "urgent".'}]
    provider.tool_arguments = '{"card": "<CREDIT_CARD_1>", "ref": "<PHONE_9>"}'
    for stream in (False, True):
        body = {"model": "m", "messages": messages, "stream": stream}
        if not stream:
            response = await gateway.client.post(PATH, json=body)
            assert response.status_code == 200, response.text
            assert response.headers["x-redaction-unknown-placeholders"] == "1"
            call = response.json()["choices"][0]["message"]["tool_calls"][0]
            arguments = call["function"]["arguments"]
        else:
            parts = []
            async with gateway.client.stream("POST", PATH, json=body) as response:
                async for line in response.aiter_lines():
                    if line.startswith("data: {"):
                        delta = json.loads(line[6:])["choices"][0]["delta"]
                        for call in delta.get("tool_calls") or []:
                            parts.append(call["function"]["arguments"])
            arguments = "".join(parts)
        assert "1111" not in sent_text(provider)
        assert json.loads(arguments) == {"card": card, "ref": "<PHONE_9>"}
    # The proxy's unknown placeholders are counted like the rehydrate route's.
    metrics = (await gateway.client.get("/metrics")).text
    assert "spark_control_redaction_unknown_placeholders_total 2.0" in metrics
