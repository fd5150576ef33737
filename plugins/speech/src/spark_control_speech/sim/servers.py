"""The simulated speech backends: real HTTP servers speaking each backend's API.

Run as ``python -m spark_control_speech.sim.servers KIND`` with ``BIND`` and ``PORT``
in the environment. Kinds:

- ``asr-openai``: a Parakeet server with OpenAI's ``POST /v1/audio/transcriptions``
  (``json``, ``text``, ``verbose_json`` with ``timestamp_granularities[]``);
- ``asr-nemo``: a NeMo wrapper, ``POST /transcribe`` answering ``{"text",
  "timestamps": {"word", "segment"}}``;
- ``asr-text``: an OpenAI-shaped server that only ever gives ``{"text"}``;
- ``diarizer``: ``POST /diarize`` answering ``{"segments": [{"start", "end",
  "speaker"}]}``, labels ``SPEAKER_00``… in order of first speech in each call, at
  most ``max_speakers`` (default 4): a fifth voice gets the label of the closest one;
- ``tts``: Kokoro-FastAPI's ``POST /v1/audio/speech`` (streamed; mp3, opus, flac, wav,
  pcm) and ``GET /v1/audio/voices`` (list of objects, or of strings with
  ``VOICES_SHAPE=strings``, as older releases answered).

ASR and diarizer decode the tone bursts of ``tones.py`` from the audio they are sent,
so what they answer comes from the audio, never from a script. Every server answers
``GET /health``. ``SPARK_SIM_FAILURE=hang`` never answers health with 200;
``slow_health`` answers it after 2 s.
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import io
import json
import os
import sys
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import soundfile as sf

from spark_control_speech.sim.tones import (
    SAMPLE_RATE,
    VOCABULARY,
    Burst,
    Spoken,
    decode,
    render,
    speaker_hz,
)

SEGMENT_PAUSE_S = 0.6
DEFAULT_MAX_SPEAKERS = 4
# Kokoro v1 voices (a few of them); the ones after bm_george are where OpenAI names lead.
VOICES = (
    "af_heart",
    "af_bella",
    "am_adam",
    "bf_emma",
    "bm_george",
    "af_nicole",
    "af_sarah",
    "af_sky",
    "am_michael",
    "bf_isabella",
)
# Kokoro-FastAPI maps OpenAI's voice names to its own (its core/openai_mappings.json),
# in each part of a "+" combination, before it checks the voice exists.
OPENAI_VOICES = {
    "alloy": "am_adam",
    "ash": "af_nicole",
    "coral": "bf_emma",
    "echo": "af_bella",
    "fable": "af_sarah",
    "onyx": "bm_george",
    "nova": "bf_isabella",
    "sage": "am_michael",
    "shimmer": "af_sky",
}
TTS_FORMATS = {
    "mp3": ("MP3", None, "audio/mpeg"),
    "opus": ("OGG", "OPUS", "audio/ogg"),
    "flac": ("FLAC", None, "audio/flac"),
    "wav": ("WAV", "PCM_16", "audio/wav"),
    "pcm": ("RAW", "PCM_16", "audio/pcm"),
}


def parse_form(content_type: str, body: bytes) -> dict[str, Any]:
    """A multipart/form-data body as {name: bytes | [values]} (repeated names listed)."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    fields: dict[str, Any] = {}
    if not message.is_multipart():
        return fields
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        value = part.get_payload(decode=True) or b""
        if name in fields:
            existing = fields[name]
            fields[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            fields[name] = value
    return fields


def _text(value: Any, default: str = "") -> str:
    if isinstance(value, list):
        value = value[-1]
    return value.decode() if isinstance(value, bytes) else default


def _all(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value] if value is not None else []
    return [v.decode() for v in items]


def read_audio(data: bytes) -> tuple[np.ndarray, int]:
    signal, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    return signal.mean(axis=1), rate


def words_of(bursts: list[Burst]) -> list[Burst]:
    return [b for b in bursts if b.word is not None]


def segments_of(words: list[Burst]) -> list[list[Burst]]:
    groups: list[list[Burst]] = []
    for word in words:
        if groups and word.start - groups[-1][-1].end < SEGMENT_PAUSE_S:
            groups[-1].append(word)
        else:
            groups.append([word])
    return groups


def _r(t: float) -> float:
    return round(t, 3)


def diarize(bursts: list[Burst], max_speakers: int) -> list[dict[str, Any]]:
    labels: dict[int, str] = {}
    turns: list[dict[str, Any]] = []
    for burst in bursts:
        if burst.speaker is None:
            continue
        label = labels.get(burst.speaker)
        if label is None:
            if len(labels) < max_speakers:
                label = f"SPEAKER_{len(labels):02d}"
                labels[burst.speaker] = label
            else:  # the cap: this voice is heard as the closest one already known
                closest = min(
                    labels, key=lambda s: abs(speaker_hz(s) - speaker_hz(burst.speaker or 0))
                )
                label = labels[closest]
        # Diarizers pad turns a little; jitter of 50 ms either side.
        start, end = max(0.0, burst.start - 0.05), burst.end + 0.05
        if turns and turns[-1]["speaker"] == label and start - turns[-1]["end"] < 1.0:
            turns[-1]["end"] = _r(end)
        else:
            turns.append({"start": _r(start), "end": _r(end), "speaker": label})
    return turns


class Handler(BaseHTTPRequestHandler):
    kind = "asr-openai"
    protocol_version = "HTTP/1.1"
    # As uvicorn does: without TCP_NODELAY a small write after the headers waits for
    # the peer's delayed ACK (up to 40 ms), which no real backend makes clients pay.
    disable_nagle_algorithm = True
    _raw = b""  # this request's body, read first by do_POST

    def log_message(self, format: str, *args: Any) -> None:
        sys.stderr.write(f"{self.address_string()} {format % args}\n")

    # -- plumbing --------------------------------------------------------------------

    def _send_json(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_text(self, status: int, text: str) -> None:
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _read_body(self) -> bytes:
        """The whole request body, Content-Length or chunked, read before any answer:
        what is left unread would be parsed as the connection's next request.
        ValueError when the framing is bad (then the connection cannot be reused)."""
        if "chunked" in (self.headers.get("transfer-encoding") or "").lower():
            parts = []
            while size := int(self.rfile.readline().split(b";")[0].strip(), 16):
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            while self.rfile.readline().strip():
                pass  # trailers, up to the blank line
            return b"".join(parts)
        length = int(self.headers.get("content-length") or 0)
        if length < 0:
            raise ValueError(f"negative content-length {length}")
        return self.rfile.read(length)

    def _error(self, status: int, message: str) -> None:
        if self.kind == "tts":  # Kokoro-FastAPI (FastAPI's detail)
            self._send_json(status, {"detail": {"error": "validation_error", "message": message}})
        else:
            self._send_json(
                status, {"error": {"message": message, "type": "invalid_request_error"}}
            )

    def _form_audio(self) -> tuple[dict[str, Any], np.ndarray, int] | None:
        form = parse_form(self.headers.get("Content-Type", ""), self._raw)
        data = form.get("file") or form.get("audio")
        if not isinstance(data, bytes) or not data:
            self._error(400, "no audio file in the form")
            return None
        try:
            signal, rate = read_audio(data)
        except (sf.LibsndfileError, RuntimeError) as exc:
            self._error(400, f"could not read the audio: {exc}")
            return None
        return form, signal, rate

    # -- routes ----------------------------------------------------------------------

    def do_GET(self) -> None:
        if self.path == "/health":
            failure = os.environ.get("SPARK_SIM_FAILURE")
            if failure == "hang":
                self._send_json(503, {"status": "loading"})
                return
            if failure == "slow_health":
                time.sleep(2.0)
            self._send_json(200, {"status": "healthy"})
        elif self.kind == "tts" and self.path == "/v1/audio/voices":
            if os.environ.get("VOICES_SHAPE") == "strings":
                self._send_json(200, {"voices": list(VOICES)})
            else:
                self._send_json(
                    200,
                    {
                        "voices": [
                            {"id": v, "name": v, "language": "en-us" if v[0] == "a" else "en-gb"}
                            for v in VOICES
                        ]
                    },
                )
        else:
            self._error(404, f"no route {self.path}")

    def do_POST(self) -> None:
        try:
            self._raw = self._read_body()
        except ValueError:
            self.close_connection = True
            self._error(400, "Invalid HTTP request received.")
            return
        routes = {
            ("asr-openai", "/v1/audio/transcriptions"): self._openai,
            ("asr-text", "/v1/audio/transcriptions"): self._text_only,
            ("asr-nemo", "/transcribe"): self._nemo,
            ("diarizer", "/diarize"): self._diarize,
            ("tts", "/v1/audio/speech"): self._speech,
        }
        handler = routes.get((self.kind, self.path))
        if handler is None:
            self._error(404, f"no route {self.path}")
            return
        handler()

    def _openai(self) -> None:
        parsed = self._form_audio()
        if parsed is None:
            return
        form, signal, rate = parsed
        words = words_of(decode(signal, rate))
        text = " ".join(w.word or "" for w in words)
        fmt = _text(form.get("response_format"), "json")
        if fmt == "text":
            self._send_text(200, text)
            return
        if fmt != "verbose_json":
            self._send_json(200, {"text": text})
            return
        granularities = _all(form.get("timestamp_granularities[]")) or ["segment"]
        body: dict[str, Any] = {
            "task": "transcribe",
            "language": _text(form.get("language"), "en"),
            "duration": _r(len(signal) / rate),
            "text": text,
        }
        if "word" in granularities:
            body["words"] = [
                {"word": w.word, "start": _r(w.start), "end": _r(w.end)} for w in words
            ]
        body["segments"] = [
            {
                "id": i,
                "start": _r(group[0].start),
                "end": _r(group[-1].end),
                "text": " ".join(w.word or "" for w in group),
            }
            for i, group in enumerate(segments_of(words))
        ]
        self._send_json(200, body)

    def _text_only(self) -> None:
        parsed = self._form_audio()
        if parsed is None:
            return
        _, signal, rate = parsed
        self._send_json(
            200, {"text": " ".join(w.word or "" for w in words_of(decode(signal, rate)))}
        )

    def _nemo(self) -> None:
        parsed = self._form_audio()
        if parsed is None:
            return
        _, signal, rate = parsed
        words = words_of(decode(signal, rate))
        self._send_json(
            200,
            {
                "text": " ".join(w.word or "" for w in words),
                "timestamps": {
                    "word": [
                        {"word": w.word, "start": _r(w.start), "end": _r(w.end)} for w in words
                    ],
                    "segment": [
                        {
                            "segment": " ".join(w.word or "" for w in group),
                            "start": _r(group[0].start),
                            "end": _r(group[-1].end),
                        }
                        for group in segments_of(words)
                    ],
                },
            },
        )

    def _diarize(self) -> None:
        parsed = self._form_audio()
        if parsed is None:
            return
        form, signal, rate = parsed
        cap = int(
            _text(form.get("max_speakers"), str(DEFAULT_MAX_SPEAKERS)) or DEFAULT_MAX_SPEAKERS
        )
        self._send_json(200, {"segments": diarize(decode(signal, rate), cap)})

    def _speech(self) -> None:
        try:
            body = json.loads(self._raw)
        except ValueError:
            self._error(400, "body is not JSON")
            return
        text = str(body.get("input", "")).strip()
        voice = str(body.get("voice", "af_heart"))
        fmt = str(body.get("response_format", "mp3"))
        if not text:
            self._error(400, "Text is empty")
            return
        voices = [OPENAI_VOICES.get(v, v) for v in voice.split("+")]
        if any(v not in VOICES for v in voices):
            self._error(400, f"Voice not found: {voice}")
            return
        if fmt not in TTS_FORMATS:
            self._error(400, f"Unsupported format in this simulator: {fmt}")
            return
        speed = float(body.get("speed", 1.0))
        self._stream_speech(text, VOICES.index(voices[0]), fmt, speed)

    def _stream_speech(self, text: str, speaker: int, fmt: str, speed: float) -> None:
        container, subtype, media_type = TTS_FORMATS[fmt]
        self.send_response(200)
        self.send_header("Content-Type", media_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Content-Disposition", f"attachment; filename=speech.{fmt}")
        self.end_headers()
        words = [w for w in text.lower().split() if w]
        word_s = 0.25 / speed
        spoken = []
        t = 0.05
        for word in words:
            known = word.strip(".,!?;:") if word.strip(".,!?;:") in VOCABULARY else None
            token = known or VOCABULARY[zlib.crc32(word.encode()) % len(VOCABULARY)]
            spoken.append(Spoken(speaker, token, t, t + word_s))
            t += word_s + 0.05
        signal = render(spoken, t + 0.1, noise=0.0)
        out = io.BytesIO()
        sf.write(out, signal, SAMPLE_RATE, format=container, subtype=subtype)
        data = out.getvalue()
        # Audio leaves in pieces as it is "made": the first one after a short synthesis.
        time.sleep(0.01)
        piece = 4096
        for offset in range(0, len(data), piece):
            chunk = data[offset : offset + piece]
            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            self.wfile.flush()
            time.sleep(0.002)
        self.wfile.write(b"0\r\n\r\n")


def main(argv: list[str]) -> None:
    kind = argv[1] if len(argv) > 1 else "asr-openai"
    if kind not in ("asr-openai", "asr-nemo", "asr-text", "diarizer", "tts"):
        raise SystemExit(f"unknown kind {kind!r}")
    Handler.kind = kind
    address = (os.environ.get("BIND", "127.0.0.1"), int(os.environ.get("PORT", "0")))
    server = ThreadingHTTPServer(address, Handler)
    server.daemon_threads = True
    print(f"{kind} listening on {address[0]}:{server.server_address[1]}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    server.server_close()


if __name__ == "__main__":
    main(sys.argv)
