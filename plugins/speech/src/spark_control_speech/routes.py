"""HTTP routes of the speech plugin: ``/api/speech/transcribe``, ``/api/speech/diarize``,
``/api/speech/tts``, ``/api/speech/tts/voices``, ``/api/speech``, and the
OpenAI-compatible ``/v1/audio/*`` app. The older paths (``/api/transcribe``,
``/api/diarize``, ``/api/tts``, ``/api/tts/voices``) stay served as deprecated aliases.

Three routers, one per body limit: :data:`api_router` (audio uploads),
:data:`tts_router` (small JSON) and :data:`merge_router` (merge bodies), each with its
``*_ALIASES``.

The handlers are shared: ``/v1`` answers in OpenAI's shapes and error format, ``/api``
defaults to the richer ``verbose_json`` and takes ``diarize`` as a query parameter too.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.applications import Starlette
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from spark_control.api import SparkError, Unavailable, error_body, plugin_instance, requires
from spark_control_speech import forms
from spark_control_speech.audio import FORMATS_HINT
from spark_control_speech.backends import BackendError
from spark_control_speech.dual import BleedRule
from spark_control_speech.merge import MergeRules, rename, speakers_in_order
from spark_control_speech.merge_api import dual_fields, merge, request_schema
from spark_control_speech.pipeline import (
    Speech,
    Upload,
    cap_fields,
    diarize,
    transcribe,
    transcribe_dual,
    transcribe_with_speakers,
)
from spark_control_speech.plugin import SpeechPlugin
from spark_control_speech.responses import diarized_json, turns_json, verbose_json
from spark_control_speech.services import service_for
from spark_control_speech.shapes import Turn
from spark_control_speech.tts import SpeechRequest, parse_request, synthesize, voices

log = logging.getLogger(__name__)

GetSpeech = Callable[[], Speech]
FORMATS = ("json", "text", "verbose_json", "diarized_json")
# Transcribing, diarizing and speaking answer from their input and change nothing on the
# cluster: inference, so any key may, as under /v1/audio (docs/SECURITY.md).
INFERENCE = [requires("read")]

TRANSCRIBE = "/api/speech/transcribe"
DIARIZE = "/api/speech/diarize"
TTS = "/api/speech/tts"
VOICES = "/api/speech/tts/voices"
API_ALIASES = {"/api/transcribe": TRANSCRIBE, "/api/diarize": DIARIZE}
TTS_ALIASES = {"/api/tts": TTS, "/api/tts/voices": VOICES}
MERGE_ALIASES: dict[str, str] = {}
"""Old path: new path (the old one stays served, deprecated), per router."""


def _speech(plugin: Annotated[SpeechPlugin, Depends(plugin_instance(SpeechPlugin))]) -> Speech:
    return plugin.speech()


CurrentSpeech = Annotated[Speech, Depends(_speech)]
"""This gateway's speech clients and settings (503 before the plugin started)."""

_AUDIO_FORM = {
    "multipart/form-data": {
        "schema": {
            "type": "object",
            "required": ["file"],
            "properties": {
                "file": {"type": "string", "format": "binary", "description": FORMATS_HINT},
                "response_format": {"type": "string", "enum": list(FORMATS)},
                "language": {"type": "string", "example": "en"},
                "timestamp_granularities[]": {
                    "type": "array",
                    "items": {"type": "string", "enum": ["word", "segment"]},
                },
                "diarize": {"type": "boolean"},
                "speaker_names": {
                    "type": "string",
                    "example": '{"A": "Alice", "B": "Bob"}',
                    "description": 'JSON {"A": "Alice"} or a list "Alice,Bob" in order of '
                    "first speech.",
                },
                "channels": {"type": "string", "enum": ["mono", "dual"]},
                "local_channel": {"type": "integer", "enum": [0, 1]},
                "local_speaker": {"type": "string", "example": "Alice"},
                "remote_speaker": {"type": "string", "example": "Bob"},
                "remote_file": {"type": "string", "format": "binary"},
            },
        }
    }
}
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Empty or corrupt audio, or a bad field (named)."},
    413: {"description": "Upload or audio longer than this route's limit (named)."},
    415: {"description": "Not multipart, or a file type the gateway cannot decode."},
    502: {"description": "The backend failed or answered something unreadable."},
    503: {"description": "The backend is disabled or the plugin has not started."},
}


@asynccontextmanager
async def _observed(speech: Speech) -> AsyncIterator[None]:
    """A backend a request could not reach counts as a failed health check at once, so
    an outage shorter than the poll interval is not missed."""
    try:
        yield
    except BackendError as exc:
        if exc.unreachable is not None:
            service = service_for(speech.host, exc.unreachable)
            speech.host.health.observe(service.name, False, exc.message)
        raise


def _require(speech: Speech, service: str) -> None:
    if speech.host.topology.is_disabled(service):
        raise Unavailable(f"the {service} service is disabled (disabled_services)")


async def _handle_transcribe(speech: Speech, request: Request, *, openai: bool) -> Response:
    s = speech.settings
    _require(speech, "asr")
    async with forms.multipart(request) as form:
        file = forms.audio_file(form, "file")
        remote_file = forms.audio_file(form, "remote_file", required=False)
        fmt = forms.choice(form, "response_format", FORMATS, "json" if openai else "verbose_json")
        wants_speakers = fmt == "diarized_json" or forms.flag(
            form, "diarize", request.query_params.get("diarize")
        )
        channels = forms.choice(
            form, "channels", ("mono", "dual"), "dual" if remote_file else "mono"
        )
        language = forms.text(form, "language")
        granularities = {
            str(g)
            for key in ("timestamp_granularities[]", "timestamp_granularities")
            for g in form.getlist(key)
        }
        assert file is not None
        upload = await Upload.open(speech.host, file.file, "file", s.max_duration_s)
        if channels == "dual":
            return await _dual(speech, form, upload, remote_file, fmt, language)
        if wants_speakers:
            _require(speech, "diarizer")
            transcript, diarization = await transcribe_with_speakers(
                speech, upload, language=language
            )
            names = forms.speaker_names(
                forms.text(form, "speaker_names"),
                speakers_in_order(transcript.words, transcript.segments),
            )
            order = speakers_in_order(transcript.words, transcript.segments)
            words, segments = rename(transcript.words, transcript.segments, names)
            speakers = [names.get(x, x) for x in order]
            if fmt == "text":
                lines = [f"{seg.speaker}: {seg.text}" for seg in segments]
                return PlainTextResponse("\n".join(lines) + "\n")
            body = diarized_json(
                transcript.duration, words, segments, speakers, transcript.interpolated
            )
            body.update(cap_fields(speech, diarization))
            return JSONResponse(body)
        transcript = await transcribe(speech, upload, language=language)
    if fmt == "text":
        return PlainTextResponse(transcript.text + "\n")
    if fmt == "json":
        return JSONResponse({"text": transcript.text})
    # OpenAI gives words only when asked; /api always gives both.
    with_words = "word" in granularities or not openai
    return JSONResponse(verbose_json(transcript, words=with_words, segments=True))


async def _dual(
    speech: Speech,
    form: Any,
    upload: Upload,
    remote_file: Any,
    fmt: str,
    language: str | None,
) -> Response:
    local_name = forms.text(form, "local_speaker", "local") or "local"
    remote_name = forms.text(form, "remote_speaker", "remote") or "remote"
    if remote_file is not None:
        remote = await Upload.open(
            speech.host, remote_file.file, "remote_file", speech.settings.max_duration_s
        )
        local_side: tuple[Upload, int | None] = (upload, None)
        remote_side: tuple[Upload, int | None] = (remote, None)
    else:
        if upload.info.channels != 2:
            raise SparkError(
                f"file: dual-channel needs a stereo file (this one has {upload.info.channels} "
                "channel(s)) or a second file in 'remote_file'",
                status=400,
                detail={"field": "file"},
            )
        local_channel = forms.choice(form, "local_channel", ("0", "1"), "0")
        mine = int(local_channel)
        local_side, remote_side = (upload, mine), (upload, 1 - mine)
    result = await transcribe_dual(
        speech, local_side, remote_side, (local_name, remote_name), language=language
    )
    if fmt == "text":
        return PlainTextResponse("".join(f"{s.speaker}: {s.text}\n" for s in result.segments))
    body = diarized_json(
        upload.info.duration,
        result.words,
        result.segments,
        [local_name, remote_name],
        sum(1 for w in result.words if w.placed),
    )
    body.update(dual_fields(result.dropped, speech.bleed_rule))
    return JSONResponse(body)


async def _handle_diarize(speech: Speech, request: Request) -> Response:
    _require(speech, "diarizer")
    async with forms.multipart(request) as form:
        file = forms.audio_file(form, "file")
        assert file is not None
        upload = await Upload.open(speech.host, file.file, "file", speech.settings.max_duration_s)
        diarization = await diarize(speech, upload)
        names = forms.speaker_names(forms.text(form, "speaker_names"), diarization.speakers)
    turns = [Turn(t.start, t.end, names.get(t.speaker, t.speaker)) for t in diarization.turns]
    body: dict[str, Any] = {
        "duration": round(upload.info.duration, 3),
        "speakers": [names.get(x, x) for x in diarization.speakers],
        "turns": turns_json(turns),
    }
    body.update(cap_fields(speech, diarization))
    return JSONResponse(body)


def _require_json(request: Request) -> None:
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("application/json"):
        raise SparkError(
            f"expected application/json, got {content_type.split(';')[0] or 'no Content-Type'}",
            status=415,
            type="unsupported_media_type",
        )


async def _handle_speech(speech: Speech, request: Request) -> Response:
    _require(speech, "tts")
    _require_json(request)
    try:
        body = json.loads(await request.body())
    except ValueError as exc:
        raise SparkError(f"the body is not valid JSON: {exc}", status=400) from None
    tts_request = parse_request(body, speech.settings.max_tts_chars)
    return await synthesize(speech.session, speech.tts_url, tts_request, speech.settings.tts_model)


async def _handle_voices(speech: Speech) -> Response:
    _require(speech, "tts")
    return JSONResponse({"voices": await voices(speech.client, speech.voices_url)})


async def handle_transcribe(speech: Speech, request: Request, *, openai: bool) -> Response:
    async with _observed(speech):
        return await _handle_transcribe(speech, request, openai=openai)


async def handle_diarize(speech: Speech, request: Request) -> Response:
    async with _observed(speech):
        return await _handle_diarize(speech, request)


async def handle_speech(speech: Speech, request: Request) -> Response:
    async with _observed(speech):
        return await _handle_speech(speech, request)


async def handle_voices(speech: Speech) -> Response:
    async with _observed(speech):
        return await _handle_voices(speech)


api_router = APIRouter(tags=["speech"])
"""The routes whose bodies are audio uploads (large body limit)."""


@api_router.post(
    TRANSCRIBE,
    dependencies=INFERENCE,
    summary="Transcribe audio (optionally with speakers, or two channels)",
    openapi_extra={"requestBody": {"required": True, "content": _AUDIO_FORM}},
    responses=_ERRORS,
)
async def api_transcribe(speech: CurrentSpeech, request: Request) -> Response:
    """Multipart upload in ``file``. ``response_format`` ``verbose_json`` (default),
    ``json``, ``text`` or ``diarized_json``; ``diarize=true`` (form or query) labels
    every word with its speaker; ``channels=dual`` (or a ``remote_file``) transcribes
    a local and a remote channel and drops bleed. See docs/AUDIO_API.md."""
    return await handle_transcribe(speech, request, openai=False)


@api_router.post(
    DIARIZE,
    dependencies=INFERENCE,
    summary="Speaker turns of an audio file",
    openapi_extra={"requestBody": {"required": True, "content": _AUDIO_FORM}},
    responses=_ERRORS,
)
async def api_diarize(speech: CurrentSpeech, request: Request) -> Response:
    """Multipart upload in ``file``; answers ``turns`` (start, end, speaker),
    ``speakers``, and whether the diarizer's speaker cap was reached."""
    return await handle_diarize(speech, request)


tts_router = APIRouter(tags=["speech"])
"""The TTS and status routes (small JSON bodies)."""
_TTS_SCHEMA = SpeechRequest.model_json_schema()


@tts_router.post(
    TTS,
    dependencies=INFERENCE,
    summary="Speak text (audio streamed as it is made)",
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": _TTS_SCHEMA}}}
    },
    responses={
        200: {"content": {"audio/mpeg": {}}, "description": "The audio, streamed."},
        400: {"description": "Empty text or a bad field."},
        413: {"description": "Text longer than speech.max_tts_chars."},
        415: {"description": "Not JSON."},
    },
)
async def api_tts(speech: CurrentSpeech, request: Request) -> Response:
    """OpenAI's speech body: ``input``, ``voice``, ``response_format``, ``speed``,
    ``stream``; proxied to Kokoro-FastAPI."""
    return await handle_speech(speech, request)


@tts_router.get(
    TTS,
    summary="Speak text given in the query (for an <audio> element's src)",
    responses={200: {"content": {"audio/wav": {}}, "description": "The audio, streamed."}},
)
async def api_tts_get(
    speech: CurrentSpeech,
    input: str,
    voice: str = "af_heart",
    response_format: str = "wav",
    speed: float = 1.0,
) -> Response:
    """The same as ``POST /api/speech/tts`` with the fields as query parameters, so a
    browser's audio player can stream the speech straight from its ``src``."""
    _require(speech, "tts")
    body = {"input": input, "voice": voice, "response_format": response_format, "speed": speed}
    tts_request = parse_request(body, speech.settings.max_tts_chars)
    async with _observed(speech):
        return await synthesize(
            speech.session, speech.tts_url, tts_request, speech.settings.tts_model
        )


@tts_router.get(VOICES, summary="Voices the TTS service offers")
async def api_voices(speech: CurrentSpeech) -> Response:
    """``{"voices": [{"id", "name", "language"?}]}`` whatever shape the backend uses."""
    return await handle_voices(speech)


@tts_router.get(
    "/api/speech/sample.wav",
    summary="A sample clip for the simulated backends (demo only)",
    responses={200: {"content": {"audio/wav": {}}}, 404: {"description": "Not offered."}},
)
async def api_sample(speech: CurrentSpeech) -> Response:
    if not speech.settings.sample_clip:
        raise SparkError("no sample clip here (speech.sample_clip is off)", status=404)
    from spark_control_speech.sim import sample_clip

    return Response(sample_clip(), media_type="audio/wav")


@tts_router.get("/api/speech", summary="The speech backends and limits")
async def api_status(speech: CurrentSpeech) -> dict[str, Any]:
    return status(speech)


async def _handle_merge(speech: Speech, request: Request) -> Response:
    _require_json(request)
    raw = await request.body()
    body = await speech.host.run_blocking(merge, raw, speech.rules, speech.bleed_rule)
    return JSONResponse(body)


merge_router = APIRouter(tags=["speech"], dependencies=[requires("read")])
"""``POST /api/speech/merge``: the label merge over JSON. It calls no backend and
changes nothing, so any key may use it (``read``), like inference under /v1."""
_MERGE_SCHEMA = request_schema()
_MERGE_EXAMPLES = _MERGE_SCHEMA.pop("examples", [])
# The documented answer is the merge's own answer to the first example.
_MERGE_ANSWER = merge(json.dumps(_MERGE_EXAMPLES[0]).encode(), MergeRules(), BleedRule())


@merge_router.post(
    "/api/speech/merge",
    summary="Merge ASR words/segments with diarizer turns (or two channels)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": _MERGE_SCHEMA,
                    "examples": {
                        "whisperx": {"summary": "WhisperX + turns", "value": _MERGE_EXAMPLES[0]},
                        "dual": {"summary": "Dual channel", "value": _MERGE_EXAMPLES[1]},
                    },
                }
            },
        },
    },
    responses={
        200: {
            "description": "diarized_json: segments and words with speakers.",
            "content": {"application/json": {"example": _MERGE_ANSWER}},
        },
        400: {"description": "The body is not JSON."},
        413: {"description": "Body over speech.max_merge_body_bytes."},
        415: {"description": "Not application/json."},
        422: {"description": "A field is wrong (named), no turns, or nothing to merge."},
    },
)
async def api_merge(speech: CurrentSpeech, request: Request) -> Response:
    """Words and/or segments (OpenAI verbose_json, WhisperX or NeMo shape; a word's
    timestamps may be missing) plus the diarizer's ``turns``; or, for a dual-channel
    call, the local transcript plus ``remote``. Answers ``diarized_json``. The rules
    are in docs/AUDIO_API.md ("Merge")."""
    return await _handle_merge(speech, request)


def status(speech: Speech) -> dict[str, Any]:
    s = speech.settings
    topology = speech.host.topology

    def service(name: str) -> dict[str, Any]:
        svc = topology.services.get(name)
        if svc is None:
            return {"service": name, "configured": False}
        return {"service": name, "node": svc.node, "port": svc.port, "disabled": svc.disabled}

    return {
        "asr": {**service("asr"), "style": s.asr_style, "model": s.asr_model},
        "diarizer": {**service("diarizer"), "max_speakers": s.max_speakers},
        "tts": {**service("tts"), "model": s.tts_model},
        "limits": {
            "max_upload_bytes": s.max_upload_bytes,
            "max_duration_s": s.max_duration_s,
            "max_tts_chars": s.max_tts_chars,
        },
        "formats": FORMATS_HINT,
        "transcription_models": s.transcription_models,
        "speech_models": s.speech_models,
        "sample_clip": s.sample_clip,
    }


def v1_app(get: GetSpeech) -> Starlette:
    """The raw ASGI app behind ``/v1/audio/*`` (OpenAI's paths, shapes and errors)."""

    async def transcriptions(request: Request) -> Response:
        return await handle_transcribe(get(), request, openai=True)

    async def speech(request: Request) -> Response:
        return await handle_speech(get(), request)

    async def voice_list(request: Request) -> Response:
        return await handle_voices(get())

    async def spark_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SparkError)
        body = error_body(exc.status, exc.message, type=exc.type, detail=exc.detail, openai=True)
        return JSONResponse(body, status_code=exc.status, headers=exc.headers or None)

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        body = error_body(500, "internal error; see the gateway log", openai=True)
        return JSONResponse(body, status_code=500)

    return Starlette(
        routes=[
            Route("/v1/audio/transcriptions", transcriptions, methods=["POST"]),
            Route("/v1/audio/speech", speech, methods=["POST"]),
            Route("/v1/audio/voices", voice_list, methods=["GET"]),
        ],
        exception_handlers={SparkError: spark_error, Exception: unexpected},
    )
