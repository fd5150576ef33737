"""A request body's JSON, parsed as ``json.loads`` parses it, minus its Python layers.

``json.loads(bytes)`` runs four Python functions around the C scanner (the encoding
guess, ``decode``, ``raw_decode``, the whitespace check): on the proxy's hot path they
cost more than the scan of a small chat request. For the usual body (UTF-8 text that
starts with ``{``) this calls the same scanner directly; anything else, and every body
that fails, goes through ``json.loads`` itself, so results and error messages are its.
"""

from __future__ import annotations

import json
from typing import Any, cast

# The scanner json.loads uses (its default decoder's: same options, same C code).
_SCAN = cast(Any, json.JSONDecoder()).scan_once
# What json.loads allows after the value (json.decoder.WHITESPACE).
_SPACE = " \t\n\r"


def loads(body: bytes) -> Any:
    """``json.loads(body)``: the same value, or the same exception."""
    # json.loads reads a body as UTF-8 unless it starts with a BOM or a NUL byte (UTF-16
    # and -32); '{' then a byte other than NUL rules both out.
    if body[:1] == b"{" and body[1:2] != b"\x00":
        try:
            text = body.decode("utf-8", "surrogatepass")
            value, end = _SCAN(text, 0)
        except (ValueError, StopIteration, RecursionError):
            pass  # json.loads says what is wrong, in its words
        else:
            if end == len(text) or not text[end:].strip(_SPACE):
                return value
    return json.loads(body)
