"""Clients of the speech backends: one adapter per ASR style, the diarizer, Kokoro TTS.

Parakeet servers do not share one contract, so each style has its adapter and every
adapter returns the same :class:`Transcript`:

- ``openai``: ``POST /v1/audio/transcriptions`` with ``response_format=verbose_json``
  and both timestamp granularities; words and segments come back as OpenAI's.
- ``nemo``: ``POST /transcribe`` (a NeMo wrapper) answering ``{"text", "timestamps":
  {"word": [{"word", "start", "end"}], "segment": [{"segment", "start", "end"}]}}``.
- ``text``: an OpenAI-shaped endpoint that only gives ``{"text"}``; no timestamps.

A backend that cannot be reached answers 502 here, one that is too slow 504, and an
answer we cannot read 502, each naming the service: never a 500.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from spark_control.api import SparkError
from spark_control_speech.asr_input import Heard, ShapeError, read
from spark_control_speech.shapes import Transcript, Turn


class BackendError(SparkError):
    """A backend failed. ``unreachable`` names the kind (asr, diarizer, tts) when the
    request never got an answer: the health monitor hears of it at once."""

    status = 502
    type = "bad_gateway"
    unreachable: str | None = None


def _unreachable(kind: str, message: str, status: int = 502) -> BackendError:
    error = BackendError(message, status=status, detail={"service": kind})
    error.unreachable = kind
    return error


async def post(
    client: httpx.AsyncClient,
    service: str,
    url: str,
    *,
    files: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
) -> httpx.Response:
    """POST to a backend, turning every transport failure into a named 502/504."""
    try:
        response = await client.post(url, files=files, data=data)
    except httpx.TimeoutException:
        raise _unreachable(service, f"the {service} service at {url} timed out", 504) from None
    except httpx.HTTPError as exc:
        raise _unreachable(
            service, f"the {service} service at {url} is unreachable ({type(exc).__name__})"
        ) from None
    if response.status_code >= 400:
        raise BackendError(
            f"the {service} service answered {response.status_code}: {_message(response)}",
            detail={"service": service, "status": response.status_code},
        )
    return response


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        error = body.get("error", body.get("detail", body))
        if isinstance(error, dict):
            error = error.get("message", error)
        return str(error)[:200]
    return str(body)[:200]


def _json(response: httpx.Response, service: str) -> Any:
    try:
        return response.json()
    except ValueError:
        raise BackendError(f"the {service} service answered something that is not JSON") from None


def _f(value: Any) -> float:
    return float(value)


@dataclass(frozen=True)
class AsrAdapter:
    """One ASR server of a given style at ``url``."""

    style: str
    url: str
    model: str

    async def transcribe(
        self, client: httpx.AsyncClient, wav: bytes, *, language: str | None = None
    ) -> Transcript:
        files = {"file": ("chunk.wav", wav, "audio/wav")}
        data: dict[str, Any] = {"model": self.model}
        if language:
            data["language"] = language
        if self.style == "openai":
            data["response_format"] = "verbose_json"
            data["timestamp_granularities[]"] = ["word", "segment"]
        elif self.style == "text":
            data["response_format"] = "json"
        response = await post(client, "asr", self.url, files=files, data=data)
        try:
            if self.style == "nemo":
                return parse_nemo(_json(response, "asr"))
            if self.style == "text":
                return parse_text(response)
            return parse_verbose_json(_json(response, "asr"))
        except (KeyError, TypeError, ValueError) as exc:
            raise BackendError(
                f"the asr service ({self.style} style) answered an unexpected shape: {exc!r}"
            ) from None


def parse_verbose_json(body: Mapping[str, Any]) -> Transcript:
    """OpenAI's verbose_json (words may lack timestamps: see asr_input)."""
    heard = _read({"words": body.get("words"), "segments": body.get("segments")})
    return Transcript(
        text=str(body.get("text", "")).strip(),
        duration=_f(body.get("duration") or 0.0),
        words=heard.words,
        segments=heard.segments,
        language=body.get("language"),
        interpolated=heard.interpolated,
    )


def parse_nemo(body: Any) -> Transcript:
    if isinstance(body, list):  # some wrappers answer one result per file
        body = body[0]
    stamps = body.get("timestamps") or body.get("timestamp") or {}
    heard = _read({"timestamps": stamps})
    return Transcript(
        text=str(body.get("text", "")).strip(),
        duration=_f(body.get("duration") or 0.0),
        words=heard.words,
        segments=heard.segments,
        interpolated=heard.interpolated,
    )


def _read(body: Mapping[str, Any]) -> Heard:
    try:
        return read(body)
    except ShapeError as exc:
        raise BackendError(f"the asr service answered an unreadable transcript: {exc}") from None


def parse_text(response: httpx.Response) -> Transcript:
    if response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
        text = body.get("text", "") if isinstance(body, dict) else str(body)
    else:
        text = response.text
    return Transcript(text=str(text).strip(), duration=0.0, text_only=True)


@dataclass(frozen=True)
class DiarizerClient:
    url: str
    max_speakers: int

    async def diarize(self, client: httpx.AsyncClient, wav: bytes) -> list[Turn]:
        response = await post(
            client,
            "diarizer",
            self.url,
            files={"file": ("chunk.wav", wav, "audio/wav")},
            data={"max_speakers": str(self.max_speakers)},
        )
        body = _json(response, "diarizer")
        try:
            return parse_turns(body)
        except (KeyError, TypeError, ValueError) as exc:
            raise BackendError(f"the diarizer answered an unexpected shape: {exc!r}") from None


def parse_turns(body: Any) -> list[Turn]:
    """``{"segments": [...]}``, ``{"turns": [...]}`` or a bare list of
    ``{"start", "end", "speaker"|"label"}``."""
    items = body if isinstance(body, list) else body.get("segments", body.get("turns"))
    if items is None:
        raise ValueError("no 'segments' or 'turns'")
    turns = [
        Turn(_f(t["start"]), _f(t["end"]), str(t.get("speaker", t.get("label")))) for t in items
    ]
    return [t for t in turns if t.end > t.start]


def normalise_voices(body: Any) -> list[dict[str, Any]]:
    """Kokoro-FastAPI's voice list in either shape — the older list of names
    (``{"voices": ["af_bella", ...]}`` or a bare list) or the newer list of objects
    (``{"voices": [{"id", "name", ...}]}``) — as ``[{"id", "name", "language"?}]``."""
    items = body.get("voices", []) if isinstance(body, dict) else body
    if not isinstance(items, list):
        raise BackendError("the tts service's voice list is neither a list nor {'voices': [...]}")
    voices = []
    for item in items:
        if isinstance(item, str):
            voices.append({"id": item, "name": item})
        elif isinstance(item, dict) and (item.get("id") or item.get("name")):
            ident = str(item.get("id") or item.get("name"))
            voice = {"id": ident, "name": str(item.get("name") or ident)}
            for key in ("language", "gender"):
                if item.get(key):
                    voice[key] = str(item[key])
            voices.append(voice)
    return voices
