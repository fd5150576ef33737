"""The proxy's JSON body parse: exactly json.loads, value and error alike."""

from __future__ import annotations

import json

import pytest

from spark_control_vllm.proxy.body import loads

BODIES = [
    b'{"model": "m-1", "messages": []}',
    b'{"messages": [{"content": "say \\"model\\": \\"x\\""}], "model": "m-2"}',
    b'{"content": "{\\"model\\": \\"inner\\"}", "model": "outer"}',
    b'{"model":"m-3"}',
    b'{ \t\r\n"model" \n:\t "m-4" \r\n}',
    b'{"model": "m-5"}  \r\n\t ',
    b'{"model": "\\u006d-6", "x": "\\ud83d\\ude00"}',
    b'{"model": "\\ud800"}',  # a lone surrogate escape: json.loads accepts it
    '{"model": "modèle-7", "emoji": "😀"}'.encode(),
    b'{"model": 7}',
    b'{"model": null, "model": "last-wins"}',
    b'{"n": 1e400, "m": -0.0, "big": 123456789012345678901234567890}',
    b'{"a": NaN, "b": Infinity}',
    b'{"nested": ' + b"[" * 50 + b"]" * 50 + b"}",
    b"{}",
]

BAD = [
    b"",
    b"{",
    b'{"model": "m"} x',
    b'{"model": "m"}{"model": "n"}',
    b'{"model": "m",}',
    b"{'model': 'm'}",
    b'{"model": "\xff"}',  # not UTF-8
    b'{"model": "a\x00b"}',  # a control character inside a string
    b"{" * 100_000,  # nesting deeper than the recursion limit
    b'{"model": "unterminated',
]


@pytest.mark.parametrize("body", BODIES)
def test_a_body_parses_to_what_json_loads_gives(body: bytes) -> None:
    assert repr(loads(body)) == repr(json.loads(body))


@pytest.mark.parametrize(
    "body",
    [
        "\ufeff".encode() + b'{"model": "bom"}',  # a UTF-8 byte-order mark
        '{"model": "utf-16"}'.encode("utf-16-le"),
        '{"model": "utf-16"}'.encode("utf-16"),
        '{"model": "utf-32"}'.encode("utf-32-le"),
        b' {"model": "leading space"}',
        b'["model", "a list"]',
        b'"a string"',
    ],
)
def test_other_encodings_and_shapes_go_through_json_loads(body: bytes) -> None:
    try:
        expected = repr(json.loads(body))
    except ValueError as exc:
        with pytest.raises(type(exc)) as raised:
            loads(body)
        assert str(raised.value) == str(exc)
    else:
        assert repr(loads(body)) == expected


@pytest.mark.parametrize("body", BAD)
def test_a_bad_body_raises_what_json_loads_raises(body: bytes) -> None:
    try:
        json.loads(body)
    except (ValueError, RecursionError) as exc:
        expected: BaseException = exc
    else:  # pragma: no cover - every body here is bad
        pytest.fail(f"json.loads accepted {body[:40]!r}")
    with pytest.raises(type(expected)) as raised:
        loads(body)
    assert str(raised.value) == str(expected)
