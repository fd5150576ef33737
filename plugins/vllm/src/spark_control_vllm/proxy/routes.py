"""``GET /api/vllm/proxy``: the proxy's request rate, errors and queues, for the tile."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter

from spark_control_vllm.proxy.app import ProxyApp

EXAMPLE = {
    "window_s": 10,
    "requests_per_s": 12.4,
    "errors_per_s": 0.0,
    "upstreams": [
        {"name": "vllm", "static": False, "in_flight": 3, "queued": 0, "models": []},
    ],
}


def proxy_router(proxy: Callable[[], ProxyApp]) -> APIRouter:
    api = APIRouter(tags=["vllm"])

    @api.get(
        "/api/vllm/proxy",
        summary="The /v1 proxy's request and error rates and its upstreams' queues",
        responses={200: {"content": {"application/json": {"example": EXAMPLE}}}},
    )
    async def proxy_stats() -> dict[str, Any]:
        """Rates are per second over the last ``window_s`` complete seconds; errors are
        answers of 5xx or 429. ``in_flight`` and ``queued`` are per upstream, against
        ``vllm.proxy.max_concurrency`` and ``max_queue``."""
        return proxy().snapshot()

    return api
