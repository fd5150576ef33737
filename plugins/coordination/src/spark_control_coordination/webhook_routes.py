"""``/api/coordination/webhooks`` (formerly ``/api/webhooks``): the delivery log and
the "send test event" action."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request

from spark_control.api import SparkError, plugin_instance
from spark_control_coordination.outbox import event_body
from spark_control_coordination.plugin import CoordinationPlugin
from spark_control_coordination.swap_events import sample_data

DELIVERY_EXAMPLE = {
    "id": "msg_2f6c0e9a4b1d7c3e5a8f0b12",
    "url": "https://<receiver-host>/hooks/spark",
    "event": "swap_complete",
    "created_at": 1767225600.0,
    "state": "pending",
    "attempts": 2,
    "next_attempt_at": 1767225608.3,
    "last_status": 503,
    "last_error": "answered 503: busy",
    "finished_at": None,
    "attempt_log": [
        {
            "attempt": 1,
            "started_at": 1767225600.1,
            "finished_at": 1767225600.2,
            "status": 503,
            "error": "answered 503: busy",
        }
    ],
}


DELIVERIES = "/api/coordination/webhooks/deliveries"
TEST = "/api/coordination/webhooks/test"
ALIASES = {"/api/webhooks/deliveries": DELIVERIES, "/api/webhooks/test": TEST}
"""Old path: new path (the old one stays served, deprecated)."""

Coordination = Annotated[CoordinationPlugin, Depends(plugin_instance(CoordinationPlugin))]

router = APIRouter(tags=["coordination"])


@router.get(
    DELIVERIES,
    summary="The webhook delivery log, newest first, each with its attempts",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "receivers": [
                            {"url": "https://<receiver-host>/hooks/spark", "events": None}
                        ],
                        "deliveries": [DELIVERY_EXAMPLE],
                    }
                }
            }
        }
    },
)
async def deliveries(
    plugin: Coordination, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> dict[str, Any]:
    sender = plugin.deliverer()
    return {
        "receivers": [{"url": t.url, "events": t.events} for t in sender.settings.targets()],
        "deliveries": await sender.outbox.list(limit),
    }


@router.post(
    TEST,
    status_code=202,
    summary="Send a test event to every configured receiver",
    responses={
        202: {
            "description": "Queued: one delivery id per receiver; see the log",
            "content": {
                "application/json": {"example": {"deliveries": ["msg_2f6c0e9a4b1d7c3e5a8f0b12"]}}
            },
        },
        409: {"description": "No receiver is configured"},
    },
)
async def send_test(
    plugin: Coordination, request: Request, x_actor: Annotated[str | None, Header()] = None
) -> dict[str, Any]:
    sender = plugin.deliverer()
    if not sender.settings.targets():
        raise SparkError(
            "no webhook receiver is configured: set coordination.webhooks (or "
            "SWAP_WEBHOOK_URL and SWAP_WEBHOOK_SECRET)",
            status=409,
            type="conflict",
        )
    now = sender.clock()
    ids = await sender.enqueue("test", event_body("test", sample_data(), now), test=True)
    await plugin.host.audit.record(
        "coordination.webhook_test",
        actor=(x_actor or "anonymous")[:100],
        origin=request.client.host if request.client else "unknown",
        result="queued",
        detail={"deliveries": ids},
    )
    return {"deliveries": ids}
