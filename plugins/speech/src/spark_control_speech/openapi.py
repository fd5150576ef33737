"""How the speech plugin's /v1/audio paths appear in the gateway's OpenAPI schema (they
are served by a raw ASGI app, which has no schema of its own). docs/AUDIO_API.md has
the whole contract."""

from __future__ import annotations

from typing import Any

TAGS = ["speech"]
_ERROR = {"description": "OpenAI-shaped error: 400 empty or corrupt audio, 413 too large "
          "or too long (the limit named), 415 not an audio type, 502/504 backend"}  # fmt: skip

V1_DOCS: dict[str, dict[str, Any]] = {
    "/audio/transcriptions": {
        "post": {
            "tags": TAGS,
            "summary": "Transcribe audio (OpenAI-compatible; Parakeet on the node)",
            "description": "For the models in `speech.transcription_models`; other models "
            "go to the vllm proxy. See docs/AUDIO_API.md.",
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "required": ["file"],
                            "properties": {
                                "file": {"type": "string", "format": "binary"},
                                "model": {"type": "string", "example": "parakeet"},
                                "response_format": {
                                    "type": "string",
                                    "enum": ["json", "text", "verbose_json", "diarized_json"],
                                },
                                "timestamp_granularities[]": {
                                    "type": "array",
                                    "items": {"type": "string", "enum": ["word", "segment"]},
                                },
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "The transcript in the asked format",
                    "content": {"application/json": {"example": {"text": "hello team"}}},
                },
                "4XX": _ERROR,
            },
        }
    },
    "/audio/speech": {
        "post": {
            "tags": TAGS,
            "summary": "Speak text (OpenAI-compatible; Kokoro on the node), streamed",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"type": "object"},
                        "example": {
                            "model": "kokoro",
                            "input": "Hello Alice.",
                            "voice": "af_heart",
                            "response_format": "mp3",
                        },
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "The audio, streamed as it is made",
                    "content": {"audio/mpeg": {"schema": {"type": "string", "format": "binary"}}},
                },
                "4XX": _ERROR,
            },
        }
    },
    "/audio/voices": {
        "get": {
            "tags": TAGS,
            "summary": "The TTS voices",
            "responses": {
                "200": {
                    "description": "Voice names",
                    "content": {"application/json": {"example": {"voices": ["af_heart"]}}},
                }
            },
        }
    },
}
