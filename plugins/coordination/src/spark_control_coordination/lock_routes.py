"""``/api/coordination/lock`` (formerly ``/api/swap/lock``): acquire, renew, inspect
and release the swap reservation lock.

``POST`` without a token acquires (201 with the token); ``POST`` with the holder's token
in ``X-Swap-Lock-Token`` renews (200); ``GET`` shows the lease (never the token);
``DELETE`` with the token releases (idempotent), and ``DELETE ?force=true`` is the
human override (same-origin guarded by the gateway, audited, fencing number raised).

The lock only holds swaps back, so taking, renewing and releasing it need the ``swap``
scope, like a swap; forcing someone else's lease needs ``admin``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from spark_control.api import InvalidValue, plugin_instance, require_scope, requires
from spark_control_coordination.lease_rows import DEFAULT_SLOT
from spark_control_coordination.plugin import CoordinationPlugin

LOCK_EXAMPLE: dict[str, Any] = {
    "held": True,
    "slot": "default",
    "holder": "nightly-transcripts (Alice)",
    "reason": "batch transcription until 03:00",
    "fencing": 42,
    "ttl_s": 1800.0,
    "granted_at": 1767225600.0,
    "expires_at": 1767227400.0,
    "expires_in_s": 1799.5,
}
LOCK_EXAMPLE["leases"] = [
    dict(LOCK_EXAMPLE),
    {
        **LOCK_EXAMPLE,
        "slot": "coder",
        "holder": "Bob",
        "reason": "evaluation run",
        "fencing": 43,
    },
]
GRANT_EXAMPLE = {**LOCK_EXAMPLE, "token": "q3J0c2VjcmV0LXRva2VuLWV4YW1wbGUtb25seQ"}
#: A model slot's name, as the vllm plugin's ``slots`` name them.
SLOT_NAME = r"^[a-z0-9][a-z0-9-]{0,31}$"
SLOT_DESCRIPTION = (
    "The model slot the lease holds (the vllm plugin's slots); a lease on one slot "
    "does not hold back swaps of another. Absent: `default` (the one model of a "
    "single-slot set-up)."
)


class LockRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"holder": "nightly-transcripts (Alice)", "reason": "batch run", "ttl_s": 1800},
                {"holder": "Bob", "reason": "evaluation run", "ttl_s": 600, "slot": "coder"},
            ]
        },
    )
    holder: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        description="Who holds it, shown to everyone. Required to acquire; not to renew.",
    )
    reason: str = Field("", max_length=300, description="Why, in a few words (shown to all).")
    ttl_s: float | None = Field(
        None,
        allow_inf_nan=False,
        description="Seconds until the lease ends unless renewed (default "
        "coordination.lock_default_ttl_s; at most coordination.lock_max_ttl_s).",
    )
    slot: str = Field(
        DEFAULT_SLOT,
        pattern=SLOT_NAME,
        description=SLOT_DESCRIPTION + " Ignored when renewing (the token names its lease).",
    )


def _actor(request: Request, x_actor: str | None, default: str = "anonymous") -> str:
    """Who acted: X-Actor if sent; a browser's request (it carries Origin) is the
    dashboard's."""
    if not x_actor and request.headers.get("origin"):
        return "dashboard"
    return (x_actor or default)[:100]


def _origin(request: Request) -> str:
    return request.client.host if request.client else "unknown"


SWAP_SCOPE = [requires("swap")]
LOCK = "/api/coordination/lock"
ALIASES = {"/api/swap/lock": LOCK}
"""Old path: new path (the old one stays served, deprecated)."""

Coordination = Annotated[CoordinationPlugin, Depends(plugin_instance(CoordinationPlugin))]

router = APIRouter(tags=["coordination"])


@router.get(
    LOCK,
    summary="The swap lock: holder, reason, expiry and fencing number (never the token)",
    responses={200: {"content": {"application/json": {"example": LOCK_EXAMPLE}}}},
)
async def get_lock(
    plugin: Coordination,
    slot: Annotated[str, Query(pattern=SLOT_NAME, description=SLOT_DESCRIPTION)] = DEFAULT_SLOT,
) -> dict[str, Any]:
    """The slot's lease at the top level (as before slots), and every slot's lease in
    ``leases``."""
    return plugin.book().public(slot)


@router.post(
    LOCK,
    status_code=201,
    summary="Acquire the swap lock, or renew it with its token",
    dependencies=SWAP_SCOPE,
    responses={
        200: {"description": "Renewed (the token was sent in X-Swap-Lock-Token)"},
        201: {
            "description": "Acquired: keep the token secret and send it with your swaps",
            "content": {"application/json": {"example": GRANT_EXAMPLE}},
        },
        409: {"description": "Held by someone else (Retry-After), or a stale token"},
        422: {"description": "A bad field: missing holder, TTL not positive or too long"},
    },
)
async def acquire_or_renew(
    plugin: Coordination,
    body: LockRequest,
    request: Request,
    x_swap_lock_token: Annotated[str | None, Header(max_length=200)] = None,
    x_actor: Annotated[str | None, Header()] = None,
) -> Any:
    """Without a token: acquire. The answer holds the secret ``token``, the
    ``fencing`` number of this grant and the expiry. With the holder's token in
    ``X-Swap-Lock-Token``: renew, i.e. the lease now ends ``ttl_s`` from now. ``slot``
    names the model slot the lease holds (default ``default``)."""
    leases = plugin.book()
    if x_swap_lock_token:
        lease = await leases.renew(x_swap_lock_token, body.ttl_s)
        return JSONResponse(
            {**leases.public(lease.slot), "renewed": True, "fencing": lease.fencing}
        )
    if not body.holder or not body.holder.strip():
        raise InvalidValue("holder", "say who takes the lock (e.g. the job's name)")
    ttl = body.ttl_s if body.ttl_s is not None else plugin.settings.lock_default_ttl_s
    granted = await leases.acquire(body.holder.strip(), body.reason, ttl, body.slot)
    await plugin.host.audit.record(
        "coordination.lock_acquire",
        actor=_actor(request, x_actor, body.holder),
        origin=_origin(request),
        target=body.holder,
        result="ok",
        detail={
            "fencing": granted.lease.fencing,
            "ttl_s": granted.lease.ttl_s,
            "slot": granted.lease.slot,
        },
    )
    return {**leases.public(body.slot), "fencing": granted.lease.fencing, "token": granted.token}


@router.delete(
    LOCK,
    summary="Release the swap lock with its token, or force it (the human override)",
    dependencies=SWAP_SCOPE,
    responses={
        200: {
            "description": "Released, or nothing to release (idempotent)",
            "content": {
                "application/json": {
                    "example": {
                        "released": True,
                        "message": "released the lease of nightly-transcripts (Alice)",
                        "held": False,
                        "fencing": 42,
                    }
                }
            },
        },
        403: {
            "description": "force from another site (same-origin guard), or force "
            "without the admin scope"
        },
        409: {"description": "Held by someone else and the token is not its token"},
        422: {"description": "Neither a token nor force=true"},
    },
)
async def release(
    plugin: Coordination,
    request: Request,
    force: Annotated[
        bool, Query(description="End whoever's lease without its token (audited).")
    ] = False,
    slot: Annotated[
        str,
        Query(pattern=SLOT_NAME, description="With force: the slot whose lease ends."),
    ] = DEFAULT_SLOT,
    x_swap_lock_token: Annotated[str | None, Header(max_length=200)] = None,
    x_actor: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    leases = plugin.book()
    if force:
        require_scope(request, "admin")
        ended, fencing = await leases.force_release(slot)
        await plugin.host.audit.record(
            "coordination.lock_force_release",
            actor=_actor(request, x_actor),
            origin=_origin(request),
            target=ended.holder if ended else None,
            result="ok",
            detail={
                "ended_fencing": ended.fencing if ended else None,
                "fencing": fencing,
                "slot": slot,
            },
        )
        message = f"force-released the lease of {ended.holder}" if ended else "the lock was free"
        return {"released": ended is not None, "message": message, **leases.public(slot)}
    if not x_swap_lock_token:
        raise InvalidValue(
            "X-Swap-Lock-Token",
            "send the lock's token to release it, or force=true to override the holder",
        )
    result = await leases.release(x_swap_lock_token)
    if result.released:
        await plugin.host.audit.record(
            "coordination.lock_release",
            actor=_actor(request, x_actor),
            origin=_origin(request),
            result="ok",
            detail={"fencing": result.fencing, "slot": result.slot},
        )
    shown = leases.public(result.slot or DEFAULT_SLOT)
    return {"released": result.released, "message": result.message, **shown}
