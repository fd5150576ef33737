"""How the proxy's /v1 paths appear in the gateway's OpenAPI schema (the proxy is raw
ASGI, so it describes itself here). The shapes are OpenAI's; vLLM documents the rest."""

from __future__ import annotations

from typing import Any

TAGS = ["vllm proxy"]
ERROR_EXAMPLE = {
    "error": {
        "type": "model_not_loaded",
        "message": "The model `gpt-oss-20b` is in the catalog but not loaded (loaded: "
        "llama-3.1-8b-instruct); swap to it with POST /api/vllm/swap or from the dashboard",
        "detail": {"field": "model", "loaded": "llama-3.1-8b-instruct"},
        "code": 404,
        "param": "model",
    }
}
_ERRORS: dict[str, Any] = {
    status: {
        "description": why,
        "content": {"application/json": {"example": ERROR_EXAMPLE}},
    }
    for status, why in {
        "400": "Malformed JSON, not an object, or `model` not a string (or vLLM's own "
        "400); a path that leaves /v1/",
        "405": "A method the /v1 API does not use (it answers GET, POST and DELETE)",
        "404": "`model_not_found`, or `model_not_loaded` (a catalog model not loaded)",
        "413": "The body is over 32 MiB",
        "429": "The upstream's cap and queue are full; Retry-After says when to try again",
        "502": "The upstream is unreachable",
        "503": "A swap is under way past `swap_wait_s`, or nothing is loaded (Retry-After); "
        "on a replica that does not lead, an on-demand swap it could not send on to the "
        "leader (`gate_refused`, `X-Spark-Leader`: docs/REPLICAS.md)",
        "504": "The upstream went silent past `read_timeout_s` (or the leader, sent an "
        "on-demand request, did not answer)",
    }.items()
}


def _json_body(example: dict[str, Any]) -> dict[str, Any]:
    return {
        "required": True,
        "content": {"application/json": {"schema": {"type": "object"}, "example": example}},
    }


CHAT_EXAMPLE = {
    "model": "meta-llama/Llama-3.1-8B-Instruct",
    "messages": [{"role": "user", "content": "Hello"}],
    "stream": False,
}
CHAT_REPLY = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "model": "meta-llama/Llama-3.1-8B-Instruct",
    "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "Hi!"}, "finish_reason": "stop"}
    ],
    "usage": {"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11},
}

V1_DOCS: dict[str, dict[str, Any]] = {
    "/chat/completions": {
        "post": {
            "tags": TAGS,
            "summary": "Chat completion from the loaded model (OpenAI-compatible)",
            "description": "Passed to the vLLM that serves `model` (served name or catalog "
            "id); `stream: true` answers Server-Sent Events chunk by chunk. See "
            'docs/VLLM.md, "The proxy".',
            "requestBody": _json_body(CHAT_EXAMPLE),
            "responses": {
                "200": {
                    "description": "The completion, or an SSE stream of chunks",
                    "content": {
                        "application/json": {"example": CHAT_REPLY},
                        "text/event-stream": {"schema": {"type": "string"}},
                    },
                },
                **_ERRORS,
            },
        }
    },
    "/completions": {
        "post": {
            "tags": TAGS,
            "summary": "Text completion from the loaded model (OpenAI-compatible)",
            "requestBody": _json_body(
                {"model": "meta-llama/Llama-3.1-8B-Instruct", "prompt": "Once", "max_tokens": 8}
            ),
            "responses": {"200": {"description": "The completion, or an SSE stream"}, **_ERRORS},
        }
    },
    "/models": {
        "get": {
            "tags": TAGS,
            "summary": "The models that answer now (the loaded vLLM's and static upstreams')",
            "responses": {
                "200": {
                    "description": "OpenAI's model list",
                    "content": {
                        "application/json": {
                            "example": {
                                "object": "list",
                                "data": [
                                    {
                                        "id": "meta-llama/Llama-3.1-8B-Instruct",
                                        "object": "model",
                                        "owned_by": "vllm",
                                    }
                                ],
                            }
                        }
                    },
                }
            },
        }
    },
    "/models/{model}": {
        "get": {
            "tags": TAGS,
            "summary": "One model that answers now (the OpenAI SDK's models.retrieve)",
            "description": "The card `GET /v1/models` lists under this id; the id may hold "
            "a slash (`openai/gpt-oss-20b`), sent as it is.",
            "parameters": [
                {"name": "model", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {
                "200": {
                    "description": "OpenAI's model card",
                    "content": {
                        "application/json": {
                            "example": {
                                "id": "meta-llama/Llama-3.1-8B-Instruct",
                                "object": "model",
                                "owned_by": "vllm",
                            }
                        }
                    },
                },
                "404": _ERRORS["404"],
            },
        }
    },
    **{
        path: {
            "post": {
                "tags": TAGS,
                "summary": summary,
                "description": "Passed to the managed vLLM (it must run with "
                "`VLLM_ALLOW_RUNTIME_LORA_UPDATING=True`). It changes what the server runs, "
                "so it needs the `swap` scope, like a swap.",
                "requestBody": _json_body(example),
                "responses": {"200": {"description": "vLLM's answer"}, **_ERRORS},
            }
        }
        for path, summary, example in (
            (
                "/load_lora_adapter",
                "Load a LoRA adapter into the running vLLM",
                {"lora_name": "support-tone", "lora_path": "/models/loras/support-tone"},
            ),
            (
                "/unload_lora_adapter",
                "Unload a LoRA adapter from the running vLLM",
                {"lora_name": "support-tone"},
            ),
        )
    },
}
LORA_PATHS = ("/load_lora_adapter", "/unload_lora_adapter")
