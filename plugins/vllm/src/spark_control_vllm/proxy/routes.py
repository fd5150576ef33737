"""``GET /api/vllm/proxy``: the proxy's request rate, errors and queues, for the tile."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from spark_control.api import plugin_instance
from spark_control_vllm.plugin import VllmPlugin

EXAMPLE = {
    "window_s": 10,
    "requests_per_s": 12.4,
    "errors_per_s": 0.0,
    "upstreams": [
        {"name": "vllm", "static": False, "in_flight": 3, "queued": 0, "models": []},
    ],
}


ALIASES: dict[str, str] = {}
"""Already under /api/vllm/: nothing to keep."""

router = APIRouter(tags=["vllm"])


@router.get(
    "/api/vllm/proxy",
    summary="The /v1 proxy's request and error rates and its upstreams' queues",
    responses={200: {"content": {"application/json": {"example": EXAMPLE}}}},
)
async def proxy_stats(
    plugin: Annotated[VllmPlugin, Depends(plugin_instance(VllmPlugin))],
) -> dict[str, Any]:
    """Rates are per second over the last ``window_s`` complete seconds; errors are
    answers of 5xx or 429. ``in_flight`` and ``queued`` are per upstream, against
    ``vllm.proxy.max_concurrency`` and ``max_queue``."""
    return plugin.proxy.snapshot()
