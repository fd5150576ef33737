"""The core's own HTTP API: liveness, plugins, endpoints, gates, tiles (``router``);
nodes and the gateway's SSH key (``nodes_router``).

Health, events and audit have their routers beside their modules; this one holds the
small views over the assembly. Handlers are module-level and get the gateway they
serve through a dependency (``spark_control.deps``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from spark_control.access import PUBLIC, requires
from spark_control.contrib import Action, Refusal, Tile
from spark_control.deps import GatewayDep, HostDep
from spark_control.errors import InvalidValue, SparkError
from spark_control.ssh.install import install_key

_ACTION = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")


class PluginInfo(BaseModel):
    name: str = Field(examples=["asr"])
    version: str | None = Field(examples=["0.1.0"])
    enabled: bool
    status: str = Field(description="loaded, failed or disabled", examples=["loaded"])
    started: bool | None = Field(description="null until start-up ran; false if it failed")
    reason: str | None = Field(examples=[None])
    hooks: list[str] = Field(examples=[["spark_routes", "spark_probes"]])


class Endpoint(BaseModel):
    name: str = Field(examples=["asr"])
    node: str = Field(examples=["spark-1"])
    kind: str = Field(examples=["asr"])
    url: str = Field(examples=["http://<spark-1-ip>:8888"])
    health_path: str = Field(examples=["/health"])
    disabled: bool
    owner: str | None = Field(description="Plugin that probes this service.")


class GateAnswer(BaseModel):
    action: str = Field(examples=["models.swap"])
    allowed: bool
    refusal: dict[str, Any] | None = Field(
        examples=[{"status": 423, "reason": "swap lock held by Alice", "gate": "coordination"}]
    )


class KeyInstall(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"password": "<one-time password>"}]}
    )
    password: SecretStr = Field(
        description="The node user's password, used once for this install and never kept. "
        "May be empty when the node already accepts the key."
    )


class KeyInstallAnswer(BaseModel):
    node: str = Field(examples=["spark-1"])
    status: str = Field(
        description="installed, or already_installed (nothing changed)", examples=["installed"]
    )
    fingerprint: str = Field(examples=["SHA256:..."])


class NodeInfo(BaseModel):
    name: str = Field(examples=["spark-1"])
    address: str = Field(examples=["<spark-1-ip>"])
    user: str = Field(examples=["<spark-user>"])
    port: int = Field(examples=[22])
    labels: list[str]
    state: str = Field(description="State of the node's SSH probe", examples=["ok"])
    detail: str = Field(examples=["ssh <spark-user>@<spark-1-ip>:22"])
    facts: dict[str, Any] | None = Field(
        description="Latest GPU, memory, disk, uptime and VPN facts; null until read",
        examples=[
            {
                "gpu": {
                    "name": "NVIDIA GB10",
                    "utilization_pct": 12.0,
                    "temperature_c": 41.0,
                    "memory_used_mib": None,
                    "memory_total_mib": None,
                },
                "memory": {
                    "total_bytes": 128 * 2**30,
                    "available_bytes": 100 * 2**30,
                    "source": "meminfo",
                },
                "disk": {"path": "/", "total_bytes": 4 * 10**12, "free_bytes": 3 * 10**12},
                "uptime_s": 86400.0,
                "vpn": {"interface": "wg0", "address": "10.66.0.2"},
                "checked_at": 1767225600.0,
                "errors": [],
            }
        ],
    )


# The views over the assembly; liveness first. The nodes' routes are ``nodes_router``.
router = APIRouter(tags=["core"])
nodes_router = APIRouter(tags=["core"])


@router.get(
    "/health",
    summary="Liveness: 200 while the process serves",
    dependencies=[requires(PUBLIC)],
)
async def liveness() -> dict[str, str]:
    return {"status": "ok"}


# HEAD as GET without the body: what load balancers and uptime checkers send. Kept out of
# the schema, where a second operation of one function is a duplicate id.
router.add_api_route(
    "/health",
    liveness,
    methods=["HEAD"],
    include_in_schema=False,
    dependencies=[requires(PUBLIC)],
)


@router.get("/api/plugins", response_model=list[PluginInfo])
async def list_plugins(gateway: GatewayDep) -> list[dict[str, Any]]:
    """Every discovered plugin: loaded, failed (with the reason) or not enabled."""
    return [record.public() for record in gateway.records.values()]


@router.get("/api/endpoints", response_model=list[Endpoint])
async def list_endpoints(gateway: GatewayDep) -> list[dict[str, Any]]:
    """Every configured service, with its URL and whether it is disabled."""
    topology = gateway.host.topology
    return [
        {
            "name": s.name,
            "node": s.node,
            "kind": s.kind,
            "url": topology.service_url(s),
            "health_path": s.health_path,
            "disabled": s.disabled,
            "owner": gateway.service_owner(s.name),
        }
        for s in topology.services.values()
    ]


@router.get("/api/gates/{action}", response_model=GateAnswer)
async def check_gate(
    action: str,
    request: Request,
    host: HostDep,
    actor: Annotated[str, Query(max_length=100)] = "anonymous",
) -> dict[str, Any]:
    """Whether ``action`` (e.g. ``models.swap``) would pass every gate now (a dry run).

    Query parameters other than ``actor`` are handed to the gates as the action's
    parameters; request headers too, so a lock holder can check with its token.
    """
    if not _valid_action(action):
        raise InvalidValue("action", "must be dotted lower-case words, e.g. 'models.swap'")
    params = {k: v for k, v in request.query_params.items() if k != "actor"}
    refusal = await host.gate(
        Action(
            name=action,
            params=params,
            actor=actor,
            headers={k.lower(): v for k, v in request.headers.items()},
            dry_run=True,
            client=request.client.host if request.client else None,
        )
    )
    return {
        "action": action,
        "allowed": refusal is None,
        "refusal": None if refusal is None else _refusal_view(refusal),
    }


def _refusal_view(refusal: Refusal) -> dict[str, Any]:
    return {
        "status": refusal.status,
        "reason": refusal.reason,
        "detail": refusal.detail,
        "retry_after": refusal.retry_after,
        "gate": refusal.gate,
    }


@router.get("/api/ui/tiles")
async def list_tiles(gateway: GatewayDep) -> dict[str, Any]:
    """Tiles of enabled plugins in declared order; tiles of disabled services hidden."""
    topology = gateway.host.topology
    tiles = []
    for name, contribution in gateway.contributions.items():
        record = gateway.records.get(name)
        if record is not None and record.status != "loaded":
            continue
        for tile in contribution.tiles:
            if tile.service and topology.is_disabled(tile.service):
                continue
            tiles.append(_tile_view(name, tile))
    tiles.sort(key=lambda t: (t["order"], t["plugin"], t["id"]))
    return {"tiles": tiles}


def _tile_view(plugin: str, tile: Tile) -> dict[str, Any]:
    entry = tile.model_dump()
    entry["plugin"] = plugin
    if tile.kind == "module" and tile.module:
        entry["module_url"] = f"/plugins/{plugin}/static/{tile.module}"
    return entry


@nodes_router.get("/api/nodes", response_model=list[NodeInfo])
async def list_nodes(gateway: GatewayDep) -> list[dict[str, Any]]:
    """Every node with its SSH state and its latest facts (the dashboard's cards)."""
    probes = gateway.health.snapshot()
    nodes = []
    for n in gateway.host.topology.nodes.values():
        probe = probes.get(f"node:{n.name}")
        facts = gateway.facts.latest(n.name)
        nodes.append(
            {
                "name": n.name,
                "address": n.address,
                "user": n.user,
                "port": n.port,
                "labels": list(n.labels),
                "state": str(probe.state) if probe else "unknown",
                "detail": probe.detail if probe else "",
                "facts": facts.to_dict() if facts else None,
            }
        )
    return nodes


@nodes_router.get("/api/ssh/public-key")
async def public_key(gateway: GatewayDep) -> dict[str, str]:
    """The gateway's own SSH public key, to put in each node's authorized_keys."""
    return {"public_key": gateway.gateway_key.public_openssh}


@nodes_router.post(
    "/api/nodes/{node}/ssh-key",
    response_model=KeyInstallAnswer,
    dependencies=[requires("admin")],
    summary="Install the gateway's SSH key on a node with a one-time password",
    responses={
        404: {"description": "No such node"},
        422: {"description": "The node did not accept the password"},
        502: {"description": "The install or the key login check failed on the node"},
    },
)
async def install_ssh_key(
    node: Annotated[str, Path(max_length=63)], body: KeyInstall, request: Request, host: HostDep
) -> dict[str, Any]:
    """Log in once with ``password`` (used for this one connection, never stored or
    logged), add the node's key to ``~/.ssh/authorized_keys`` unless it is there, and
    check that key login works. If the node already accepts the key, nothing changes
    and the password is not used: ``status`` is ``already_installed``."""
    target = host.topology.nodes.get(node)
    if target is None:
        raise SparkError(f"no node named {node!r}", status=404, type="not_found")
    origin = request.client.host if request.client else "unknown"
    try:
        result = await install_key(host.ssh, target, body.password.get_secret_value())
    except SparkError as exc:
        await host.audit.record(
            "ssh.key_install",
            actor="anonymous",
            origin=origin,
            target=node,
            result="failed",
            detail={"user": target.user, "reason": exc.message},
        )
        raise
    await host.audit.record(
        "ssh.key_install",
        actor="anonymous",
        origin=origin,
        target=node,
        result=result.status,
        detail={"user": target.user, "fingerprint": result.fingerprint},
    )
    return {"node": node, "status": result.status, "fingerprint": result.fingerprint}


def _valid_action(action: str) -> bool:
    return len(action) <= 100 and _ACTION.match(action) is not None
