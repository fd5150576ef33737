"""Text to speech through Kokoro-FastAPI, the audio streamed through as it arrives.

The request is checked here (empty text 400, too long 413 naming the limit, unknown
format 400) so the backend only sees requests it can serve. The backend's answer is
relayed chunk by chunk: the first audio byte leaves the gateway as soon as it arrives,
and a client that goes away closes the backend's stream.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any, Literal

import aiohttp
import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.responses import StreamingResponse

from spark_control.api import SparkError
from spark_control_speech.backends import BackendError, _message, _unreachable, normalise_voices

AudioFormat = Literal["mp3", "opus", "aac", "flac", "wav", "pcm"]
MEDIA_TYPES = {
    "mp3": "audio/mpeg",
    "opus": "audio/ogg",
    "aac": "audio/aac",
    "flac": "audio/flac",
    "wav": "audio/wav",
    "pcm": "audio/pcm",
}


class SpeechRequest(BaseModel):
    """OpenAI's ``/v1/audio/speech`` body (Kokoro-FastAPI takes the same)."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "model": "kokoro",
                    "input": "Hello Alice, the meeting starts at ten.",
                    "voice": "af_heart",
                    "response_format": "mp3",
                    "speed": 1.0,
                    "stream": True,
                }
            ]
        },
    )

    model: str = Field("kokoro", description="Any of speech.speech_models; Kokoro serves it.")
    input: str = Field(description="The text to speak.")
    voice: str = Field(
        "af_heart",
        pattern=r"^[A-Za-z0-9_.+()-]{1,200}$",
        description="A voice id from GET /api/speech/tts/voices; Kokoro mixes voices joined "
        "by '+'.",
    )
    response_format: AudioFormat = "mp3"
    speed: float = Field(1.0, ge=0.25, le=4.0)
    stream: bool = Field(True, description="Stream the audio as it is made.")


def parse_request(body: Any, max_chars: int) -> SpeechRequest:
    if not isinstance(body, dict):
        raise SparkError("expected a JSON object with at least 'input'", status=400)
    try:
        request = SpeechRequest.model_validate(body)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors()
        )
        field = ".".join(str(p) for p in exc.errors()[0]["loc"])
        raise SparkError(
            f"invalid request: {problems}", status=400, detail={"field": field}
        ) from None
    if not request.input.strip():
        raise SparkError("input: the text to speak is empty", status=400, detail={"field": "input"})
    if len(request.input) > max_chars:
        raise SparkError(
            f"input: {len(request.input)} characters; the limit is {max_chars} "
            "(speech.max_tts_chars)",
            status=413,
            type="payload_too_large",
            detail={"field": "input", "limit": max_chars},
        )
    return request


async def synthesize(
    session: aiohttp.ClientSession, url: str, request: SpeechRequest, backend_model: str
) -> StreamingResponse:
    """Open the backend's stream and relay it. aiohttp, not httpx, on this path: its
    client costs less per request (docs/ARCHITECTURE.md, "The proxy path"), and the first
    audio byte is what a listener waits for."""
    payload = request.model_dump()
    payload["model"] = backend_model
    try:
        upstream = await session.post(url, json=payload)
    except TimeoutError:
        raise BackendError(f"the tts service at {url} timed out", status=504) from None
    except aiohttp.ClientError as exc:
        raise BackendError(
            f"the tts service at {url} is unreachable ({type(exc).__name__})"
        ) from None
    if upstream.status >= 400:
        # The backend refusing the request (an unknown voice) is the caller's mistake.
        refused = upstream.status in (400, 422)
        try:
            text = await upstream.text()
        finally:
            upstream.release()
        raise BackendError(
            f"the tts service answered {upstream.status}: {_message_of(text)}",
            status=400 if refused else 502,
            type="bad_request" if refused else None,
        )
    media_type = upstream.headers.get("content-type") or MEDIA_TYPES[request.response_format]

    async def relay() -> AsyncIterator[bytes]:
        try:
            async for chunk in upstream.content.iter_any():
                yield chunk
        except (TimeoutError, aiohttp.ClientError):
            return  # the backend broke off: end the stream (the status is already sent)
        finally:
            upstream.release()  # also when the client went away mid-stream

    headers = {"Cache-Control": "no-store"}
    disposition = upstream.headers.get("content-disposition")
    if disposition:
        headers["Content-Disposition"] = disposition
    return StreamingResponse(relay(), media_type=media_type, headers=headers)


def _message_of(text: str) -> str:
    try:
        body = json.loads(text)
    except ValueError:
        return text[:200]
    if isinstance(body, dict):
        error = body.get("error", body.get("detail", body))
        if isinstance(error, dict):
            error = error.get("message", error)
        return str(error)[:200]
    return str(body)[:200]


async def voices(client: httpx.AsyncClient, url: str) -> list[dict[str, Any]]:
    try:
        response = await client.get(url)
    except httpx.TimeoutException:
        raise _unreachable("tts", f"the tts service at {url} timed out", 504) from None
    except httpx.HTTPError as exc:
        raise _unreachable(
            "tts", f"the tts service at {url} is unreachable ({type(exc).__name__})"
        ) from None
    if response.status_code >= 400:
        raise BackendError(f"the tts service answered {response.status_code}: {_message(response)}")
    try:
        body = response.json()
    except ValueError:
        raise BackendError("the tts service's voice list is not JSON") from None
    return normalise_voices(body)
