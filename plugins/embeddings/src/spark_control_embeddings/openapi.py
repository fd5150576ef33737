"""How ``/v1/embeddings`` appears in the gateway's OpenAPI schema (a raw ASGI app has no
schema of its own). docs/EMBEDDINGS.md has the whole contract."""

from __future__ import annotations

from typing import Any

V1_DOCS: dict[str, dict[str, Any]] = {
    "/embeddings": {
        "post": {
            "tags": ["embeddings"],
            "summary": "Embed text (OpenAI-compatible)",
            "description": "Answered by the embeddings plugin for the models in "
            "`embeddings.models` (default `bge-m3`); any other model goes to the vllm "
            "proxy, so a vLLM-served embedding model stays reachable.",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"type": "object"},
                        "example": {"model": "bge-m3", "input": ["the budget review"]},
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "OpenAI's embedding list (float, or base64 on request)",
                    "content": {
                        "application/json": {
                            "example": {
                                "object": "list",
                                "model": "bge-m3",
                                "data": [
                                    {"object": "embedding", "index": 0, "embedding": [0.01, -0.2]}
                                ],
                                "usage": {"prompt_tokens": 3, "total_tokens": 3},
                            }
                        }
                    },
                },
                "400": {"description": "OpenAI-shaped error: a bad input"},
                "502": {"description": "The embedding backend failed (its message included)"},
            },
        }
    },
}
