"""``POST /api/speech/merge``: the label merge (and the dual-channel merge) for apps that
run their own ASR and diarizer. docs/AUDIO_API.md, "Merge", has the contract.

The body is validated here (types, finite numbers); the ASR part is then read by
:mod:`asr_input` like any backend's answer, and merged by the same code as
``/api/speech/transcribe``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError

from spark_control.api import SparkError
from spark_control_speech.asr_input import Heard, ShapeError, read
from spark_control_speech.dual import BleedRule, Channel, merge_channels
from spark_control_speech.merge import MergeRules, diarize_transcript, rename, speakers_in_order
from spark_control_speech.responses import diarized_json
from spark_control_speech.shapes import Turn

# Strict: a JSON number only. Lax parsing read `true` as 1.0 s (and "2.1" as 2.1), so a
# wrong type placed a word silently instead of getting the documented 422.
Seconds = Annotated[float, Field(allow_inf_nan=False, strict=True)]

EXAMPLE_MONO: dict[str, Any] = {
    "segments": [
        {
            "start": 0.3,
            "end": 3.1,
            "text": " Hello team, it costs 25 dollars.",
            "words": [
                {"word": "Hello", "start": 0.3, "end": 0.6, "score": 0.93},
                {"word": "team,", "start": 0.7, "end": 1.0, "score": 0.9},
                {"word": "it", "start": 1.2, "end": 1.3, "score": 0.88},
                {"word": "costs", "start": 1.4, "end": 1.8, "score": 0.91},
                {"word": "25"},
                {"word": "dollars.", "start": 2.4, "end": 3.1, "score": 0.9},
            ],
        },
        {"start": 3.3, "end": 4.0, "text": "[inaudible]", "words": []},
        {
            "start": 4.2,
            "end": 5.0,
            "text": " Sounds good.",
            "words": [
                {"word": "Sounds", "start": 4.2, "end": 4.6},
                {"word": "good.", "start": 4.7, "end": 5.0},
            ],
        },
    ],
    "turns": [
        {"start": 0.2, "end": 3.2, "speaker": "SPEAKER_00"},
        {"start": 3.4, "end": 5.1, "speaker": "SPEAKER_01"},
    ],
    "speaker_names": {"SPEAKER_00": "Alice", "SPEAKER_01": "Bob"},
}
EXAMPLE_DUAL: dict[str, Any] = {
    "words": [
        {"word": "hello", "start": 0.3, "end": 0.6},
        {"word": "bob", "start": 0.72, "end": 1.02},
    ],
    "segments": [
        {"start": 0.3, "end": 1.02, "text": "hello bob"},
        {"start": 3.63, "end": 5.99, "text": "great please share the report"},
    ],
    "remote": {
        "segments": [
            {"start": 3.6, "end": 4.74, "text": "great please share"},
            {"start": 5.24, "end": 5.96, "text": "the report"},
        ]
    },
    "local_speaker": "Alice",
    "remote_speaker": "Bob",
}


class WordIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    word: str = Field(validation_alias=AliasChoices("word", "text"), examples=["budget"])
    start: Seconds | None = Field(None, description="Seconds; may be missing.")
    end: Seconds | None = Field(None, description="Seconds; may be missing.")


class SegmentIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    text: str = Field("", validation_alias=AliasChoices("text", "segment"))
    start: Seconds | None = None
    end: Seconds | None = None
    words: list[WordIn] | None = Field(
        None, description="The segment's own words (WhisperX); then top-level words are ignored."
    )


class NemoStamps(BaseModel):
    model_config = ConfigDict(extra="ignore")
    word: list[WordIn] | None = None
    segment: list[SegmentIn] | None = None


class ChannelIn(BaseModel):
    """One transcript, in OpenAI verbose_json, WhisperX or NeMo shape."""

    model_config = ConfigDict(extra="ignore")
    words: list[WordIn] | None = Field(None, description="OpenAI verbose_json's words.")
    word_segments: list[WordIn] | None = Field(None, description="WhisperX's flat words.")
    segments: list[SegmentIn] | None = None
    timestamps: NemoStamps | None = Field(None, description="NeMo's word/segment stamps.")


class TurnIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    start: Seconds
    end: Seconds
    speaker: str = Field(validation_alias=AliasChoices("speaker", "label"), min_length=1)


class MergeRequest(ChannelIn):
    """Words and/or segments plus the diarizer's turns; or, for a dual-channel call, the
    local transcript here and the remote party's in ``remote``."""

    model_config = ConfigDict(
        extra="ignore", json_schema_extra={"examples": [EXAMPLE_MONO, EXAMPLE_DUAL]}
    )
    turns: list[TurnIn] = Field(default_factory=list, description="The diarizer's turns.")
    speaker_names: dict[str, str] | list[str] | None = Field(
        None, description='{"SPEAKER_00": "Alice"}, or names in order of first speech.'
    )
    remote: ChannelIn | None = Field(None, description="Dual channel: the remote party.")
    local_speaker: str = Field("local", min_length=1)
    remote_speaker: str = Field("remote", min_length=1)
    duration: Seconds | None = Field(None, ge=0)


def request_schema() -> dict[str, Any]:
    """The request's JSON schema with its parts inlined (a route's schema cannot add to
    the document's components), and its examples apart."""
    schema = MergeRequest.model_json_schema()
    defs = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return inline(defs[ref.removeprefix("#/$defs/")])
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    return inline(schema)


def _invalid(field: str, reason: str) -> SparkError:
    return SparkError(
        f"{field}: {reason}" if field else reason,
        status=422,
        type="invalid_value",
        detail={"field": field},
    )


def parse(raw: bytes) -> tuple[MergeRequest, dict[str, Any]]:
    """The validated request, and the body as sent (the ASR parts are read from it by
    asr_input, which keeps each word's field path for its errors)."""
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise SparkError(f"the body is not valid JSON: {exc}", status=400) from None
    if not isinstance(data, dict):
        raise _invalid("", "the body must be a JSON object")
    try:
        return MergeRequest.model_validate(data), data
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()[:5]
        ]
        first = ".".join(str(p) for p in exc.errors()[0]["loc"])
        raise SparkError(
            "invalid request: " + "; ".join(problems),
            status=422,
            type="invalid_value",
            detail={"field": first},
        ) from None


def _heard(body: dict[str, Any], prefix: str) -> Heard:
    try:
        return read(body)
    except ShapeError as exc:
        raise _invalid(prefix + exc.field, exc.reason) from None


def _nothing(field: str) -> SparkError:
    return _invalid(field, "nothing to merge: give words and/or segments (with times)")


def _turns(request: MergeRequest) -> list[Turn]:
    turns = []
    for i, t in enumerate(request.turns):
        if t.end < t.start:
            raise _invalid(f"turns.{i}", f"ends ({t.end}) before it starts ({t.start})")
        if t.end > t.start:  # a zero-length turn covers nothing
            turns.append(Turn(t.start, t.end, t.speaker))
    if not turns:
        raise _invalid(
            "turns",
            "at least one speaker turn with a length is needed (or 'remote' for a "
            "dual-channel merge)",
        )
    return turns


def _names(value: dict[str, str] | list[str] | None, order: list[str]) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, list):
        if not all(name.strip() for name in value):
            raise _invalid("speaker_names", "empty name in the list")
        return dict(zip(order, (n.strip() for n in value), strict=False))
    if not all(name.strip() for name in value.values()):
        raise _invalid("speaker_names", "empty name")
    return {k: v.strip() for k, v in value.items()}


def merge(raw: bytes, rules: MergeRules, bleed: BleedRule) -> dict[str, Any]:
    """The whole route's work (blocking: the gateway runs it off the event loop)."""
    request, data = parse(raw)
    local = _heard(data, "")
    if request.remote is not None:
        # One party may have said nothing; a call where neither did has nothing to merge.
        remote = _heard(data["remote"], "remote.")
        if not (local.words or local.segments or remote.words or remote.segments):
            raise _nothing("words")
        return _dual(request, local, remote, rules, bleed)
    if not local.words and not local.segments:
        raise _nothing("words")
    turns = _turns(request)
    words, segments = diarize_transcript(local.words, local.segments, turns, rules, local.members)
    order = speakers_in_order(words, segments)
    names = _names(request.speaker_names, order)
    words, segments = rename(words, segments, names)
    ends = [w.end for w in words] + [s.end for s in segments] + [t.end for t in turns]
    duration = request.duration if request.duration is not None else max(ends, default=0.0)
    speakers = [names.get(x, x) for x in order]
    return diarized_json(duration, words, segments, speakers, local.interpolated)


def _dual(
    request: MergeRequest, local: Heard, remote: Heard, rules: MergeRules, bleed: BleedRule
) -> dict[str, Any]:
    names = (request.local_speaker.strip(), request.remote_speaker.strip())
    if not all(names) or names[0] == names[1]:
        raise _invalid("local_speaker", "the two parties need two different, non-empty names")
    result = merge_channels(
        Channel(local.words, local.segments, local.members),
        Channel(remote.words, remote.segments, remote.members),
        names,
        bleed,
        rules,
    )
    ends = [w.end for w in result.words] + [s.end for s in result.segments]
    ends += [s.end for s in result.dropped]
    duration = request.duration if request.duration is not None else max(ends, default=0.0)
    body = diarized_json(
        duration,
        result.words,
        result.segments,
        list(names),
        local.interpolated + remote.interpolated,
    )
    body.update(dual_fields(result.dropped, bleed))
    return body


def dual_fields(dropped: Any, rule: BleedRule) -> dict[str, Any]:
    """What a dual-channel answer adds to diarized_json: the dropped bleed and the rule."""
    return {
        "dropped_bleed": [
            {"start": round(d.start, 3), "end": round(d.end, 3), "text": d.text} for d in dropped
        ],
        "bleed_rule": {
            "time_overlap": rule.time_overlap,
            "word_overlap": rule.word_overlap,
            "min_words": rule.min_words,
        },
    }
