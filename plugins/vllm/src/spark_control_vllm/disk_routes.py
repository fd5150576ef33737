"""HTTP API for the models on the vLLM nodes' disks (``disk.py`` does the work).

- ``GET /api/vllm/models/disk``: every vLLM node's cached models with sizes, and per
  node why it could not be listed;
- ``DELETE /api/vllm/models/{model_id}/disk``: delete a catalog model's cache folder on the
  vLLM nodes (or one, ``?node=``). Refused for an unknown id (404), the running model
  (409) and local models (422); asks the gates first (action ``vllm.disk_delete``) and
  writes every outcome but an unknown id to the audit log.

The handlers reach the catalog and the running model through :data:`View` (this
gateway's vllm plugin), so they always see the catalog and swap state of the moment.
The old paths (``/api/models/disk``, ``/api/models/{model_id}/disk``) stay served as
deprecated aliases (:data:`ALIASES`).
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Final, Protocol

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from spark_control.api import (
    Action,
    Host,
    InvalidValue,
    SparkError,
    plugin_instance,
    request_actor,
)
from spark_control_vllm.catalog import Catalog, CatalogEntry
from spark_control_vllm.disk import (
    CachedModel,
    DeleteRefused,
    NodeDeletion,
    check_deletable,
    delete_cached,
    list_nodes,
    vllm_nodes,
)
from spark_control_vllm.plugin import VllmPlugin
from spark_control_vllm.settings import VllmSettings

__all__ = ["ALIASES", "DELETE_ACTION", "DiskDeletion", "DiskListing", "disk_view", "router"]

PLUGIN: Final = "vllm"
DELETE_ACTION: Final = "vllm.disk_delete"

_NODE_EXAMPLE: Final = "node-a"
_REPO_EXAMPLE: Final = "example-org/example-model"
_ID_EXAMPLE: Final = "example-model"
_PATH_EXAMPLE: Final = "~/.cache/huggingface/hub/models--example-org--example-model"


class DiskListing(BaseModel):
    """The models cached on each vLLM node."""

    nodes: dict[str, list[CachedModel]] = Field(
        description="Node name → its cached models, by repo.",
        examples=[
            {
                _NODE_EXAMPLE: [
                    {
                        "repo": _REPO_EXAMPLE,
                        "path": _PATH_EXAMPLE,
                        "size_bytes": 16_384_000_000,
                        "catalog_ids": [_ID_EXAMPLE],
                    }
                ],
                "node-b": [],
            }
        ],
    )
    errors: dict[str, str] = Field(
        description="Node name → why it could not be listed.",
        examples=[{"node-c": "node node-c is unreachable over SSH: connection refused"}],
    )


class DiskDeletion(BaseModel):
    """What a disk delete did on each node."""

    model: str = Field(description="The catalog id.", examples=[_ID_EXAMPLE])
    repo: str = Field(
        description="The Hugging Face repo whose folder went.", examples=[_REPO_EXAMPLE]
    )
    nodes: dict[str, NodeDeletion] = Field(
        examples=[
            {
                _NODE_EXAMPLE: {
                    "deleted": True,
                    "freed_bytes": 16_384_000_000,
                    "path": _PATH_EXAMPLE,
                },
                "node-b": {"deleted": False, "freed_bytes": 0, "path": _PATH_EXAMPLE},
            }
        ]
    )
    errors: dict[str, str] = Field(
        description="Node name → why the folder could not be deleted there.", examples=[{}]
    )


def _error_example(status: int, type_: str, message: str, detail: Any) -> dict[str, Any]:
    return {
        "description": message,
        "content": {
            "application/json": {
                "example": {"error": {"type": type_, "message": message, "detail": detail}}
            }
        },
    }


_DELETE_RESPONSES: Final[dict[int | str, dict[str, Any]]] = {
    404: _error_example(
        404,
        "unknown_model",
        f"no model {'unknown-model'!r} in the catalog",
        {"model": "unknown-model"},
    ),
    409: _error_example(
        409,
        "delete_refused",
        f"{_ID_EXAMPLE} is the model running now: stop it or swap to another model before "
        "deleting it from disk.",
        {"model": _ID_EXAMPLE, "running": _ID_EXAMPLE},
    ),
    422: _error_example(
        422,
        "delete_refused",
        "example-local is a local model: local models are never deleted by Spark Control. "
        "Remove its folder on the node yourself if you no longer need it.",
        {"model": "example-local", "local_path": "/srv/models/example-local"},
    ),
    503: _error_example(
        503,
        "command_failed",
        "the model's folder could not be deleted on any node",
        {"errors": {_NODE_EXAMPLE: "node node-a is unreachable over SSH: connection refused"}},
    ),
}

DISK = "/api/vllm/models/disk"
MODEL_DISK = "/api/vllm/models/{model_id}/disk"
ALIASES = {"/api/models/disk": DISK, "/api/models/{model_id}/disk": MODEL_DISK}
"""Old path: new path (the old one stays served, deprecated)."""


class DiskView(Protocol):
    """What the disk routes read: the vllm plugin, or a test's stand-in for it."""

    host: Host

    @property
    def catalog(self) -> Catalog: ...

    def busy_model(self) -> str | None:
        """The catalog id running (or being swapped in), or None."""
        ...

    def busy_models(self) -> list[str]:
        """Every slot's model running or being swapped in."""
        ...


def disk_view(plugin: Annotated[VllmPlugin, Depends(plugin_instance(VllmPlugin))]) -> DiskView:
    return plugin


View = Annotated[DiskView, Depends(disk_view)]


def _settings(host: Host) -> VllmSettings:
    found = host.plugin_settings(PLUGIN)
    if not isinstance(found, VllmSettings):
        raise SparkError("the vllm plugin's settings are not loaded", status=503)
    return found


router = APIRouter(tags=["vllm"])


def _deletable(entry: CatalogEntry, catalog: Catalog, busy: list[str]) -> str:
    """The repo to delete for ``entry``, refused while any slot runs or loads it."""
    repo = check_deletable(entry, catalog, None)
    for model in busy:
        repo = check_deletable(entry, catalog, model)
    return repo


@router.get(
    DISK,
    summary="Models cached on each vLLM node's disk",
    response_model=DiskListing,
)
async def list_disk(view: View) -> DiskListing:
    """Each vLLM node's Hugging Face cache (``~/.cache/huggingface/hub``): every
    model folder with its size and the catalog entries served from it. A node that
    cannot be listed is named in ``errors``; the others are still listed."""
    host = view.host
    nodes = vllm_nodes(host, _settings(host))
    listed, errors = await list_nodes(host, nodes, view.catalog)
    return DiskListing(nodes=listed, errors=errors)


@router.delete(
    MODEL_DISK,
    summary="Delete a model from the vLLM nodes' disks",
    response_model=DiskDeletion,
    responses=_DELETE_RESPONSES,
)
async def delete_disk(
    view: View,
    request: Request,
    model_id: Annotated[
        str, Path(description="Catalog id.", max_length=64, examples=[_ID_EXAMPLE])
    ],
    node: Annotated[
        str | None,
        Query(description="Only this node (default: every vLLM node).", max_length=64),
    ] = None,
) -> DiskDeletion:
    """Delete the catalog model's Hugging Face cache folder on the vLLM nodes. Local
    models (``local_path``) and the running model are never deleted; a node where the
    folder is absent reports ``deleted: false``."""
    host, catalog = view.host, view.catalog
    entry = catalog.get(model_id)  # UnknownModel: 404
    nodes = vllm_nodes(host, _settings(host))
    if node is not None:
        nodes = [n for n in nodes if n.name == node]
        if not nodes:
            raise InvalidValue("node", f"{node[:64]!r} is not a vLLM node")
    client = request.client.host if request.client else "unknown"
    actor = request_actor(request)

    async def audit(result: str, detail: Any) -> None:
        await host.audit.record(
            DELETE_ACTION,
            actor=actor,
            origin=client,
            target=model_id,
            result=result,
            detail=detail,
        )

    try:
        repo = _deletable(entry, catalog, view.busy_models())
    except DeleteRefused as exc:
        await audit("refused", {"reason": exc.message})
        raise
    await host.require_gate(
        Action(
            DELETE_ACTION,
            params={"model": model_id, "node": node},
            actor=actor,
            headers={k.lower(): v for k, v in request.headers.items()},
            client=client,
        )
    )
    outcomes = await asyncio.gather(
        *(delete_cached(host, n, repo) for n in nodes), return_exceptions=True
    )
    done: dict[str, NodeDeletion] = {}
    errors: dict[str, str] = {}
    for target, outcome in zip(nodes, outcomes, strict=True):
        if isinstance(outcome, NodeDeletion):
            done[target.name] = outcome
        elif isinstance(outcome, Exception):
            errors[target.name] = getattr(outcome, "message", None) or str(outcome)
        else:
            raise outcome
    freed = sum(d.freed_bytes for d in done.values())
    detail = {
        "repo": repo,
        "deleted_on": [n for n, d in done.items() if d.deleted],
        "freed_bytes": freed,
        "errors": errors,
    }
    if errors and not done:
        await audit("failed", detail)
        raise SparkError(
            "the model's folder could not be deleted on any node",
            status=503,
            type="command_failed",
            detail={"model": model_id, "errors": errors},
        )
    await audit("partial" if errors else "ok", detail)
    if any(d.deleted for d in done.values()):
        host.events.publish("vllm.disk_deleted", {"model": model_id, **detail}, source=PLUGIN)
    return DiskDeletion(model=model_id, repo=repo, nodes=done, errors=errors)
