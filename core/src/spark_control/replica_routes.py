"""``GET /api/leadership``: which replica leads the cluster's side effects, as this
replica sees it (docs/REPLICAS.md)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from spark_control.deps import HostDep


class LeadershipView(BaseModel):
    backend: Literal["solo", "postgres"] = Field(
        description="solo: one gateway on its own database, always the leader; postgres: "
        "several gateways share a lease row on gateway.database_url",
        examples=["postgres"],
    )
    replica: str = Field(description="This replica's name.", examples=["gw-a-4121-9f02c1"])
    leader: bool = Field(description="Whether this replica leads now.", examples=[True])
    fencing: int | None = Field(
        description="This replica's fencing number while it leads; each new leader's is "
        "higher than every earlier one's.",
        examples=[7],
    )
    holder: str | None = Field(
        description="The replica that leads, as last read (null: none known).",
        examples=["gw-a-4121-9f02c1"],
    )
    leader_url: str | None = Field(
        None,
        description="Where the leader is reached (its gateway.advertise_url), as last "
        "read; a replica that does not lead forwards gated actions there. Null: unknown, "
        "or the leader advertises none.",
        examples=["http://gateway-a.internal:9999"],
    )
    ttl_s: float | None = Field(
        None, description="The lease's length (postgres only).", examples=[9.0]
    )


router = APIRouter(tags=["core"])


@router.get("/api/leadership", response_model=LeadershipView)
async def leadership(host: HostDep) -> dict[str, Any]:
    """Whether this replica leads the cluster's side effects (swaps, reconcile, bot
    updates, webhook delivery) and who does; every replica serves the API."""
    return host.leadership.view()
