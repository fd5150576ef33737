"""What plugins hand the host: the register callbacks, the shapes they accept, and the
:class:`Ledger` that judges them.

Each plugin's contributions are gathered into its own :class:`Contribution` first, then
checked against everything already accepted, so a clash withdraws one plugin whole and
names both claimants, instead of leaving it half registered. The core's own features
contribute the same way, as the claimant ``core``.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp

from spark_control.errors import ConfigError
from spark_control.health import Probe
from spark_control.topology import Service, Topology

_TILE_ID = r"^[a-z0-9][a-z0-9_.-]{0,62}$"


# --- gating ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """A mutating action about to run, as gates see it.

    ``headers`` are the request's headers with lower-case names, so a gate can read its
    own (the core does not know which header a gate wants).
    """

    name: str
    params: Mapping[str, Any] = field(default_factory=dict)
    actor: str = "anonymous"
    headers: Mapping[str, str] = field(default_factory=dict)
    dry_run: bool = False
    client: str | None = None


@dataclass(frozen=True)
class Refusal:
    """A gate's "no": the HTTP status to answer, why, and when to try again."""

    status: int
    reason: str
    detail: Any = None
    retry_after: float | None = None
    gate: str = ""


# --- tiles -----------------------------------------------------------------------------


class TileField(BaseModel):
    """A value a descriptor tile shows: ``key`` (dotted) read from the JSON at ``source``."""

    model_config = ConfigDict(extra="forbid")
    label: str
    source: str = Field(description="GET path under this gateway answering JSON.")
    key: str = Field(description="Dotted path into that JSON, e.g. 'current.model'.")


class TileAction(BaseModel):
    """A button: the request it sends, and the plain-English confirmation it asks first."""

    model_config = ConfigDict(extra="forbid")
    label: str
    method: Literal["POST", "PUT", "PATCH", "DELETE"] = "POST"
    path: str
    body: dict[str, Any] | None = None
    confirm: str | None = Field(
        None, description="Asked before a destructive action; say what happens to the cluster."
    )
    gate: str | None = Field(None, description="Gated action name; the button pauses when refused.")


class Tile(BaseModel):
    """A dashboard tile: a declarative descriptor, or the plugin's own ES module."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=_TILE_ID)
    title: str
    order: int = 100
    kind: Literal["descriptor", "module"] = "descriptor"
    description: str | None = None
    status_probe: str | None = Field(None, description="Probe whose state colours the tile.")
    service: str | None = Field(None, description="Tile hidden when this service is disabled.")
    fields: list[TileField] = Field(default_factory=list)
    actions: list[TileAction] = Field(default_factory=list)
    module: str | None = Field(None, description="For kind=module: file in the static dir.")


# --- node checks -----------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    detail: str = ""


NodeCheck = Callable[[Any, Any], Awaitable[CheckResult]]
"""``async def check(host, node) -> CheckResult``."""


# --- /v1 -------------------------------------------------------------------------------


@dataclass(frozen=True)
class V1Claim:
    """A plugin serving ``path`` under /v1 for ``models`` (None: every model)."""

    path: str
    app: ASGIApp
    models: Collection[str] | Callable[[], Collection[str]] | None
    plugin: str
    max_body_bytes: int | None = None
    scope: str = "read"

    def serves(self, model: str | None) -> bool:
        if self.models is None:
            return True
        models = self.models() if callable(self.models) else self.models
        return model is not None and model in models


# --- the per-plugin collection ---------------------------------------------------------


@dataclass
class Contribution:
    """Everything one plugin registered, before the host accepts it."""

    plugin: str
    routers: list[tuple[APIRouter, int | None]] = field(default_factory=list)
    v1: list[V1Claim] = field(default_factory=list)
    v1_fallback: ASGIApp | None = None
    v1_fallback_limit: int | None = None
    v1_fallback_scope: str = "read"
    # OpenAPI path items for /v1 paths (relative to /v1), which raw ASGI apps cannot
    # describe themselves.
    v1_docs: dict[str, dict[str, Any]] = field(default_factory=dict)
    probes: list[Probe] = field(default_factory=list)
    tiles: list[Tile] = field(default_factory=list)
    static_dir: Path | None = None
    checks: list[tuple[str, NodeCheck]] = field(default_factory=list)
    # Services this plugin declared (spark_services), and those of them it added to the
    # topology (the rest the config already names).
    services: list[Service] = field(default_factory=list)
    added_services: list[str] = field(default_factory=list)

    def routes(self) -> list[BaseRoute]:
        return [route for router, _ in self.routers for route in router.routes]

    def route_claims(self) -> list[tuple[str, str]]:
        """(method, path shape) pairs, parameters normalised so renames still clash."""
        claims = []
        for route in self.routes():
            if isinstance(route, Route):
                for method in sorted(route.methods or {"GET"}):
                    if method != "HEAD":
                        claims.append((method, path_shape(route.path)))
        return claims

    def shape_problems(self) -> list[str]:
        """Contributions the host cannot mount as given."""
        problems = []
        for route in self.routes():
            if not isinstance(route, APIRoute):
                problems.append(
                    f"{type(route).__name__} in a registered router: register FastAPI routers "
                    "of path operations (no nested include_router, mounts or raw routes; "
                    "raw ASGI apps go under /v1 with register.v1)"
                )
            elif route.path == "/v1" or route.path.startswith("/v1/"):
                problems.append(f"route {route.path} is under /v1: use register.v1(...)")
        return problems


def path_shape(path: str) -> str:
    """``/api/swap/{swap_id}`` and ``/api/swap/{id}`` are the same claim."""
    return re.sub(r"\{[^}:]+(:[^}]+)?\}", lambda m: "{" + (m.group(1) or "") + "}", path)


class RouteRegistrar:
    """Handed to ``spark_routes``: ``register(router)``, ``.v1(...)``, ``.v1_fallback(app)``."""

    def __init__(self, contribution: Contribution) -> None:
        self._c = contribution

    def __call__(self, router: APIRouter, *, max_body_bytes: int | None = None) -> None:
        """Claim every route of ``router``; ``max_body_bytes`` overrides the body limit."""
        self._c.routers.append((router, max_body_bytes))

    def v1(
        self,
        path: str,
        app: ASGIApp,
        *,
        models: Collection[str] | Callable[[], Collection[str]] | None = None,
        max_body_bytes: int | None = None,
        scope: str = "read",
    ) -> None:
        """Serve ``/v1{path}`` with the raw ASGI ``app`` for requests naming ``models``
        (None: every model); ``max_body_bytes`` overrides the body limit there, and
        ``scope`` is the API-key scope callers need (inference: ``read``)."""
        if not path.startswith("/") or path.startswith("/v1/"):
            raise ValueError(f"v1 path must be relative to /v1 and start with '/': {path!r}")
        self._c.v1.append(V1Claim(path, app, models, self._c.plugin, max_body_bytes, scope))

    def v1_fallback(
        self, app: ASGIApp, *, max_body_bytes: int | None = None, scope: str = "read"
    ) -> None:
        """Serve every /v1 request no other claim takes (one plugin at most)."""
        self._c.v1_fallback = app
        self._c.v1_fallback_limit = max_body_bytes
        self._c.v1_fallback_scope = scope

    def v1_docs(self, path: str, operations: Mapping[str, Any]) -> None:
        """Describe ``/v1{path}`` in the OpenAPI schema: an OpenAPI path item
        (``{"post": {"summary": ..., "requestBody": ..., "responses": ...}}``). Raw ASGI
        apps have no schema of their own; several plugins may describe one path."""
        if not path.startswith("/") or path.startswith("/v1/"):
            raise ValueError(f"v1 path must be relative to /v1 and start with '/': {path!r}")
        self._c.v1_docs.setdefault(path, {}).update(operations)


class ProbeRegistrar:
    """Handed to ``spark_probes``: ``register(probe)``."""

    def __init__(self, contribution: Contribution) -> None:
        self._c = contribution

    def __call__(self, probe: Probe) -> None:
        probe.owner = self._c.plugin
        self._c.probes.append(probe)


class TileRegistrar:
    """Handed to ``spark_tiles``: ``register(tile)`` and ``register.static(directory)``."""

    def __init__(self, contribution: Contribution) -> None:
        self._c = contribution

    def __call__(self, tile: Tile | Mapping[str, Any]) -> None:
        self._c.tiles.append(tile if isinstance(tile, Tile) else Tile.model_validate(tile))

    def static(self, directory: str | Path) -> None:
        path = Path(directory)
        if not path.is_dir():
            raise ValueError(f"static directory {path} does not exist")
        self._c.static_dir = path


class CheckRegistrar:
    """Handed to ``spark_node_checks``: ``register(name, check)``."""

    def __init__(self, contribution: Contribution) -> None:
        self._c = contribution

    def __call__(self, name: str, check: NodeCheck) -> None:
        self._c.checks.append((name, check))


class ServiceRegistrar:
    """Handed to ``spark_services``: ``register(service)`` declares a service this plugin
    brings; the topology gets it at once (so this plugin's probes see it), unless the
    config already names it."""

    def __init__(self, contribution: Contribution, topology: Topology) -> None:
        self._c = contribution
        self._topology = topology

    def __call__(self, service: Service) -> None:
        if service.node not in self._topology.nodes:
            raise ConfigError(
                f"service {service.name!r} names unknown node {service.node!r} "
                f"(known: {', '.join(self._topology.nodes) or 'none'})"
            )
        self._c.services.append(service)
        if service.name not in self._topology.services:
            self._topology.add_service(service)
            self._c.added_services.append(service.name)


# --- judging ---------------------------------------------------------------------------


@dataclass
class Ledger:
    """Who holds what so far: route claims, probes, probed services, declared services
    and tiles, each by the name of the plugin (or ``core``) that was accepted with it."""

    routes: dict[tuple[str, str], str] = field(default_factory=dict)
    probes: dict[str, str] = field(default_factory=dict)
    services: dict[str, str] = field(default_factory=dict)
    declared: dict[str, str] = field(default_factory=dict)
    tiles: dict[str, str] = field(default_factory=dict)

    def service_clashes(self, c: Contribution) -> list[str]:
        """Services ``c`` declares that an accepted plugin declared already."""
        return [
            f"service {s.name!r} is declared by both {self.declared[s.name]!r} and {c.plugin!r}"
            for s in c.services
            if s.name in self.declared
        ]

    def declare(self, c: Contribution) -> None:
        for service in c.services:
            self.declared[service.name] = c.plugin

    def route_conflicts(self, c: Contribution) -> list[str]:
        problems = []
        seen: set[tuple[str, str]] = set()
        for claim in c.route_claims():
            owner = self.routes.get(claim) or (c.plugin if claim in seen else None)
            if owner is not None:
                problems.append(
                    f"route {claim[0]} {claim[1]} is claimed by both {owner!r} and {c.plugin!r}"
                )
            seen.add(claim)
        return problems

    def probe_conflicts(self, c: Contribution) -> list[str]:
        problems = []
        for probe in c.probes:
            if probe.name in self.probes:
                problems.append(
                    f"probe {probe.name!r} is registered by both "
                    f"{self.probes[probe.name]!r} and {c.plugin!r}"
                )
            if probe.service and self.services.get(probe.service, c.plugin) != c.plugin:
                problems.append(
                    f"service {probe.service!r} is owned by both "
                    f"{self.services[probe.service]!r} and {c.plugin!r}"
                )
        return problems

    def tile_conflicts(self, c: Contribution) -> list[str]:
        return [
            f"tile {tile.id!r} is registered by both {self.tiles[tile.id]!r} and {c.plugin!r}"
            for tile in c.tiles
            if tile.id in self.tiles
        ]

    def accept(self, c: Contribution) -> None:
        """Record what ``c`` holds, so later contributions are judged against it."""
        for claim in c.route_claims():
            self.routes[claim] = c.plugin
        for probe in c.probes:
            self.probes[probe.name] = c.plugin
            if probe.service:
                self.services[probe.service] = c.plugin
        for tile in c.tiles:
            self.tiles[tile.id] = c.plugin
