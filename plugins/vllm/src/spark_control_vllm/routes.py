"""The vllm plugin's HTTP API: the catalog, local models, swaps, their event stream,
stop and restart.

Every path is under ``/api/vllm/``; the original system's (``POST /api/swap``,
``GET /api/swap``, ``GET /api/swap/{id}/events``, ``DELETE /api/swap/{id}``,
``GET /api/swap/history``, ``/api/models``) stay served as deprecated aliases
(:data:`ALIASES`).

Local models (``local_models.py``): ``POST /api/vllm/models`` adds one after checking
its folder on the node (action ``vllm.model_add``); ``DELETE /api/vllm/models/{id}``
removes one from the catalog, never from disk (action ``vllm.model_remove``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from spark_control.api import (
    Action,
    Host,
    SparkError,
    format_sse,
    plugin_instance,
    request_actor,
    requires,
)
from spark_control_vllm.catalog import CatalogEntry
from spark_control_vllm.local_models import (
    ADD_ACTION,
    REMOVE_ACTION,
    LocalModelRequest,
    check_local_model,
    check_removable,
    shipped_ids,
)
from spark_control_vllm.plugin import VllmPlugin
from spark_control_vllm.swap import RUNNING, SwapManager
from spark_control_vllm.swap.dryrun import DryRun

SWAP_EXAMPLE = {
    "id": "swp_3f9a1c2b4d5e6f70",
    "model": "qwen3-8b",
    "previous": "gpt-oss-20b",
    "state": "running",
    "phase": "loading",
    "progress": 0.45,
    "actor": "Alice",
    "started_at": 1767225600.0,
    "rollback_of": None,
    "reason": None,
    "log_excerpt": None,
    "launcher_pid": 4242,
    "log_path": "~/.cache/spark-control/vllm/swp_3f9a1c2b4d5e6f70.log",
    "finished_at": None,
    "resumed_from": None,
    "slot": "default",
}

DRY_RUN_EXAMPLE = {
    "dry_run": True,
    "model": "qwen3-8b",
    "outcome": "swap",
    "reason": None,
    "nodes": ["spark-1"],
    "evict": ["gpt-oss-20b"],
    "evicted": [{"slot": "default", "model": "gpt-oss-20b"}],
    "gpu_memory_utilization": 0.3,
    "gpu_memory_utilization_source": "catalog",
    "fits": True,
    "warning": None,
    "memory": [
        {
            "node": "spark-1",
            "total_mib": 122572,
            "used_before_mib": 42916,
            "used_after_mib": 42916,
            "available_after_mib": 79656,
        }
    ],
    "downtime": {"samples": 6, "p50_s": 41.3, "p90_s": 58.9, "note": None, "scope": "slot"},
}


class SwapRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"model": "qwen3-8b"}]}
    )
    model: str = Field(min_length=1, max_length=64, description="A catalog id.")


def swap_responses(
    *, already: str, busy: str, not_found: str | None = None
) -> dict[int | str, Any]:
    """The OpenAPI answers of a swap route: ``already`` for 200 (nothing to do, or the
    dry run's plan), ``busy`` for 409, ``not_found`` for 404 where the path names a slot."""
    responses: dict[int | str, Any] = {
        200: {
            "description": already,
            "content": {"application/json": {"example": DRY_RUN_EXAMPLE}},
        },
        202: {
            "description": "The swap started",
            "content": {"application/json": {"example": SWAP_EXAMPLE}},
        },
        409: {"description": busy},
        423: {"description": "A gate (e.g. the swap lock) refused"},
    }
    if not_found is not None:
        responses[404] = {"description": not_found}
    return responses


# Swapping, stopping and restarting need an API key with the "swap" scope (when keys
# are on); the catalog changes keep the core's default for mutating routes, "admin".
SWAP_SCOPE = [requires("swap")]


MODELS = "/api/vllm/models"
MODEL = "/api/vllm/models/{model_id}"
SWAP = "/api/vllm/swap"
HISTORY = "/api/vllm/swap/history"
ONE_SWAP = "/api/vllm/swap/{swap_id}"
SWAP_EVENTS = "/api/vllm/swap/{swap_id}/events"
ALIASES = {
    "/api/models": MODELS,
    "/api/models/{model_id}": MODEL,
    "/api/swap": SWAP,
    "/api/swap/history": HISTORY,
    "/api/swap/{swap_id}": ONE_SWAP,
    "/api/swap/{swap_id}/events": SWAP_EVENTS,
}
"""Old path: new path (the old one stays served, deprecated)."""

Vllm = Annotated[VllmPlugin, Depends(plugin_instance(VllmPlugin))]


def _manager(plugin: Vllm) -> SwapManager:
    return plugin.manager()


Swaps = Annotated[SwapManager, Depends(_manager)]
"""This gateway's swap manager (503 before the plugin started)."""

router = APIRouter(tags=["vllm"])


def action(
    request: Request, name: str, params: dict[str, Any], actor: str, *, dry_run: bool = False
) -> Action:
    return Action(
        name,
        params=params,
        actor=actor,
        headers={k.lower(): v for k, v in request.headers.items()},
        dry_run=dry_run,
        client=request.client.host if request.client else None,
    )


async def gate(host: Host, request: Request, name: str, params: dict[str, Any], actor: str) -> None:
    await host.require_gate(action(request, name, params, actor))


def model_row(
    swaps: SwapManager, entry: CatalogEntry, others: Iterable[SwapManager] = ()
) -> dict[str, Any]:
    """``entry`` with its state in the slot ``swaps`` or any of ``others``: ``loading``
    (a swap to it runs), ``running``, ``sleeping`` (vLLM's sleep mode) or
    ``available``."""
    state = "available"
    for slot in (swaps, *others):
        running = slot.running_swap
        if running is not None and running.model == entry.id:
            state = "loading"
        elif slot.current_model == entry.id and state == "available":
            state = "sleeping" if slot.idle.sleep_level else "running"
    return {**entry.model_dump(mode="json"), "state": state}


@router.get(MODELS, summary="The model catalog, each model with its state")
async def list_models(swaps: Swaps, plugin: Vllm) -> dict[str, Any]:
    """``state`` is the model's in any slot (docs/VLLM.md, "Slots")."""
    others = [slot for slot in plugin.slots.values() if slot is not swaps]
    models = [model_row(swaps, entry, others) for entry in swaps.catalog.entries()]
    return {"models": models, "warnings": swaps.catalog.warnings}


@router.post(
    MODELS,
    status_code=201,
    summary="Add a local model (a folder on the node) to the catalog",
    responses={
        201: {"description": "Added: the entry, as GET /api/vllm/models lists it"},
        409: {"description": "A model with that id exists"},
        422: {"description": "A bad field, or the folder fails a check on the node"},
        423: {"description": "A gate refused"},
    },
)
async def add_model(
    swaps: Swaps,
    plugin: Vllm,
    body: LocalModelRequest,
    request: Request,
    x_actor: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """Check the folder on the node (a directory with config.json, inside one of
    ``vllm.local_model_roots``; a chat template inside it), then write the entry to
    the overrides file. Nothing on the node changes."""
    catalog = swaps.catalog
    entry = body.entry()
    actor = request_actor(request, x_actor)

    async def audit_add(result: str, detail: Any = None) -> None:
        await audit(plugin, request, ADD_ACTION, actor, result, target=entry.id, detail=detail)

    conflict: str | None = None
    if entry.id in catalog or entry.id in shipped_ids():
        conflict = f"{entry.id!r} already exists in the catalog; choose another id"
    elif catalog.overrides is None:
        conflict = (
            "no catalog overrides file is configured: set vllm.catalog_overrides to add "
            "local models"
        )
    if conflict is not None:
        await audit_add("refused", {"reason": conflict})
        raise SparkError(conflict, status=409, type="conflict", detail={"model": entry.id})
    await gate(
        plugin.host, request, ADD_ACTION, {"model": entry.id, "local_path": entry.local_path}, actor
    )
    try:
        found = await check_local_model(plugin.host, swaps.settings, entry)
        added = await plugin.host.run_blocking(catalog.add_local, entry)
    except SparkError as exc:
        await audit_add("refused", {"reason": exc.message})
        raise
    await audit_add(
        "ok",
        {"local_path": entry.local_path, "real_paths": {f.node: f.real_path for f in found}},
    )
    plugin.host.events.publish(
        "vllm.model_added",
        {"model": added.id, "local_path": added.local_path, "actor": actor},
        source="vllm",
    )
    return model_row(swaps, added)


@router.delete(
    MODEL,
    summary="Remove a local model from the catalog (its folder stays on disk)",
    responses={
        404: {"description": "No such model"},
        409: {"description": "vLLM is running or loading it"},
        422: {"description": "Not a local model added from the API (a shipped one...)"},
        423: {"description": "A gate refused"},
    },
)
async def remove_model(
    swaps: Swaps,
    plugin: Vllm,
    request: Request,
    model_id: Annotated[str, Path(max_length=64, description="Catalog id.")],
    x_actor: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    """Remove the entry from the overrides file. Never touches the node's disk."""
    entry = swaps.catalog.get(model_id)  # 404 for an unknown id
    actor = request_actor(request, x_actor)

    async def audit_remove(result: str, detail: Any = None) -> None:
        await audit(plugin, request, REMOVE_ACTION, actor, result, target=model_id, detail=detail)

    running = swaps.running_swap
    busy = [swaps.current_model]
    if running is not None:
        busy += [running.model, running.previous]
    try:
        check_removable(entry, busy=busy)
    except SparkError as exc:
        await audit_remove("refused", {"reason": exc.message})
        raise
    await gate(plugin.host, request, REMOVE_ACTION, {"model": model_id}, actor)
    try:
        removed = await plugin.host.run_blocking(swaps.catalog.remove_local, model_id)
    except SparkError as exc:
        await audit_remove("refused", {"reason": exc.message})
        raise
    await audit_remove("ok", {"local_path": removed.local_path})
    plugin.host.events.publish(
        "vllm.model_removed", {"model": model_id, "actor": actor}, source="vllm"
    )
    return {**removed.model_dump(mode="json"), "state": "removed"}


@router.post(
    SWAP,
    status_code=202,
    summary="Swap the cluster to a catalog model",
    dependencies=SWAP_SCOPE,
    responses=swap_responses(
        already="That model is already loaded and answering: nothing to do; "
        "or, with dry_run=true, the plan (nothing changes)",
        busy="Another swap is running (its id in detail.swap_id)",
    ),
)
async def start_swap(
    swaps: Swaps,
    plugin: Vllm,
    body: SwapRequest,
    request: Request,
    x_actor: Annotated[str | None, Header()] = None,
    dry_run: Annotated[
        bool,
        Query(
            description="Change nothing; answer the plan: node(s), evictions, memory "
            "before and after per node, --gpu-memory-utilization, expected downtime."
        ),
    ] = False,
) -> Any:
    return await start_on(swaps, plugin, body.model, request, x_actor, dry_run=dry_run)


async def start_on(
    swaps: SwapManager,
    plugin: VllmPlugin,
    model: str,
    request: Request,
    x_actor: str | None,
    *,
    dry_run: bool,
) -> Any:
    """A swap of the slot ``swaps`` to ``model`` (or its dry run): the answer of
    ``POST /api/vllm/swap`` and ``POST /api/vllm/slots/{slot}/swap``."""
    entry = swaps.catalog.get(model)  # 404 for an unknown id, before any gate
    actor = request_actor(request, x_actor)
    params = {"model": model, "slot": swaps.name}
    # With several slots the planner may shrink the share so the model fits beside the
    # others; the dry run shows the figure the swap then launches with.
    share = await plugin.proxy.slot_share(entry, swaps)
    if dry_run:
        asked = action(request, "vllm.swap", params, actor, dry_run=True)
        return JSONResponse(await DryRun(swaps).plan(entry, asked, share=share))
    await gate(plugin.host, request, "vllm.swap", params, actor)
    swap = await swaps.start(model, actor=actor, share=share)
    await audit(
        plugin,
        request,
        "vllm.swap",
        actor,
        "no-op" if swap is None else f"started {swap.id}",
        target=model,
        detail={"slot": swaps.name},
    )
    if swap is None:
        return JSONResponse(swaps.status(), status_code=200)
    return swap.public()


@router.get(SWAP, summary="Current model, state and the running swap, if any")
async def swap_status(swaps: Swaps) -> dict[str, Any]:
    return swaps.status()


@router.get(HISTORY, summary="Past swaps, newest first")
async def swap_history(
    swaps: Swaps, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> dict[str, Any]:
    return {"swaps": await swaps.history(limit)}


@router.get(ONE_SWAP, summary="One swap")
async def get_swap(swaps: Swaps, swap_id: str) -> dict[str, Any]:
    swap = await swaps.get(swap_id)
    if swap is None:
        raise SparkError(f"no swap {swap_id!r}", status=404, type="not_found")
    return swap.public()


@router.delete(
    ONE_SWAP,
    summary="Cancel a running swap: stop it, roll back",
    dependencies=SWAP_SCOPE,
)
async def cancel_swap(
    swaps: Swaps,
    plugin: Vllm,
    swap_id: str,
    request: Request,
    x_actor: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    swap = await swaps.cancel(swap_id)
    actor = request_actor(request, x_actor)
    await audit(plugin, request, "vllm.swap_cancel", actor, "cancelled", target=swap_id)
    return swap.public()


@router.get(
    SWAP_EVENTS,
    summary="Server-sent events of one swap: phases, log lines, the outcome",
    response_class=StreamingResponse,
)
async def swap_events(swaps: Swaps, plugin: Vllm, swap_id: str) -> StreamingResponse:
    known = await swaps.get(swap_id)
    if known is None:
        raise SparkError(f"no swap {swap_id!r}", status=404, type="not_found")

    async def stream() -> AsyncIterator[str]:
        yield "retry: 2000\n\n"
        async with plugin.host.events.subscribe(None) as events:
            current = await swaps.get(swap_id)
            if current is not None and current.state != RUNNING:
                return
            async for event in events:
                if event.data.get("swap_id") != swap_id:
                    continue
                yield format_sse(event)
                if event.type in ("vllm.swap_complete", "vllm.swap_failed"):
                    return

    return StreamingResponse(
        stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
    )


@router.post("/api/vllm/stop", summary="Stop vLLM on the cluster", dependencies=SWAP_SCOPE)
async def stop(
    swaps: Swaps,
    plugin: Vllm,
    request: Request,
    x_actor: Annotated[str | None, Header()] = None,
) -> Any:
    return await stop_on(swaps, plugin, request, x_actor)


async def stop_on(
    swaps: SwapManager, plugin: VllmPlugin, request: Request, x_actor: str | None
) -> Any:
    """Stop the slot ``swaps``: ``POST /api/vllm/stop`` and its per-slot form."""
    actor = request_actor(request, x_actor)
    await gate(plugin.host, request, "vllm.stop", {"slot": swaps.name}, actor)
    if swaps.running_swap is not None:
        raise SparkError("a swap is running; cancel it instead", status=409, type="conflict")
    await swaps.stop_containers()
    await audit(plugin, request, "vllm.stop", actor, "ok", detail={"slot": swaps.name})
    return swaps.status()


@router.post(
    "/api/vllm/restart",
    status_code=202,
    summary="Restart the current model",
    dependencies=SWAP_SCOPE,
)
async def restart(
    swaps: Swaps,
    plugin: Vllm,
    request: Request,
    x_actor: Annotated[str | None, Header()] = None,
) -> Any:
    model = swaps.current_model or swaps.last_good
    if model is None:
        raise SparkError("no model to restart: swap to one first", status=409, type="conflict")
    actor = request_actor(request, x_actor)
    await gate(plugin.host, request, "vllm.swap", {"model": model, "slot": swaps.name}, actor)
    if swaps.running_swap is None:
        await swaps.stop_containers()
    swap = await swaps.start(model, actor=actor)
    await audit(plugin, request, "vllm.restart", actor, "started", target=model)
    return swap.public() if swap else swaps.status()


@router.post(
    "/api/vllm/crash-loop-guard/clear",
    summary="Allow automatic starts again",
    dependencies=SWAP_SCOPE,
)
async def clear_guard(
    swaps: Swaps,
    plugin: Vllm,
    request: Request,
    x_actor: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    await swaps.clear_guard()
    await audit(plugin, request, "vllm.guard_clear", request_actor(request, x_actor), "ok")
    return swaps.status()


def _origin(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def audit(
    plugin: VllmPlugin, request: Request, name: str, actor: str, result: str, **fields: Any
) -> None:
    """One audit record of this plugin's action ``name``, from the request's client."""
    await plugin.host.audit.record(
        name, actor=actor, origin=_origin(request), result=result, **fields
    )
