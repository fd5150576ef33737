"""The slots' HTTP API (docs/VLLM.md, "Slots"): each slot is one vLLM instance with its
own container, port and nodes, swapped and stopped on its own.

``GET /api/vllm/slots`` lists them (``default`` first: the top-level settings, which
every older route acts on); ``POST /api/vllm/slots/{slot}/swap`` (``?dry_run=true``
for the plan) and ``POST /api/vllm/slots/{slot}/stop`` act on one. An unknown slot is a
404 naming the slots.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request

from spark_control.api import SparkError, plugin_instance
from spark_control_vllm.placement import NoPlacement
from spark_control_vllm.plugin import VllmPlugin
from spark_control_vllm.routes import SWAP_SCOPE, SwapRequest, start_on, stop_on, swap_responses
from spark_control_vllm.swap import SwapManager
from spark_control_vllm.swap.dryrun import slot_downtime

SLOTS = "/api/vllm/slots"
PLAN = "/api/vllm/slots/plan"
SLOT_SWAP = "/api/vllm/slots/{slot}/swap"
SLOT_STOP = "/api/vllm/slots/{slot}/stop"
ALIASES: dict[str, str] = {}
"""New paths: nothing to keep."""

SLOTS_EXAMPLE = {
    "slots": [
        {
            "name": "default",
            "container": "vllm_node",
            "port": 8888,
            "head_node": "spark-1",
            "worker_nodes": ["spark-2"],
            "pinned": False,
            "ttl_s": None,
            "probe": "vllm",
            "state": "ready",
            "model": "gpt-oss-20b",
            "last_good_model": "gpt-oss-20b",
            "reason": None,
            "crash_loop_guard": False,
            "swap": None,
            "slot": "default",
        }
    ]
}

PLAN_EXAMPLE = {
    "dry_run": True,
    "model": "nemotron-nano-9b-v2",
    "slot": "coder",
    "nodes": ["spark-2"],
    "evict": ["llama-3.1-8b-instruct"],
    "evicted": [{"slot": "coder", "model": "llama-3.1-8b-instruct"}],
    "need_mib": 39322,
    "gpu_memory_utilization": 0.3,
    "gpu_memory_utilization_source": "catalog",
    "share": "preferred",
    "memory": [
        {
            "node": "spark-2",
            "total_mib": 131072,
            "used_before_mib": 40000,
            "used_after_mib": 46554,
            "available_after_mib": 84518,
        }
    ],
    "downtime": {"samples": 3, "p50_s": 38.2, "p90_s": 44.0, "note": None, "scope": "slot"},
}

Vllm = Annotated[VllmPlugin, Depends(plugin_instance(VllmPlugin))]


def _slot(
    plugin: Vllm,
    slot: Annotated[
        str, Path(max_length=64, description="A slot's name (default: the top level).")
    ],
) -> SwapManager:
    return plugin.slot(slot)


Slot = Annotated[SwapManager, Depends(_slot)]
"""The named slot's swap manager (404 for an unknown name, 503 before start-up)."""

router = APIRouter(tags=["vllm"])


def slot_row(slot: SwapManager) -> dict[str, Any]:
    settings = slot.settings
    return {
        "name": slot.name,
        "container": settings.container,
        "port": settings.port,
        "head_node": settings.head_node,
        "worker_nodes": list(settings.worker_nodes),
        "pinned": slot.pinned,
        "ttl_s": slot.ttl_s,
        "probe": slot.probe,
        **slot.status(),
    }


@router.get(
    SLOTS,
    summary="Every vLLM slot: where it runs and what it serves",
    responses={200: {"content": {"application/json": {"example": SLOTS_EXAMPLE}}}},
)
async def list_slots(plugin: Vllm) -> dict[str, Any]:
    plugin.manager()  # 503 before start-up
    return {"slots": [slot_row(slot) for slot in plugin.slots.values()]}


@router.get(
    PLAN,
    summary="Where a request for a model no slot serves would be placed (changes nothing)",
    responses={
        200: {"content": {"application/json": {"example": PLAN_EXAMPLE}}},
        404: {"description": "No such model"},
        409: {"description": "A slot serves that model already"},
        422: {"description": "No slot can take it (the planner's reason)"},
    },
)
async def placement_plan(
    plugin: Vllm,
    model: Annotated[str, Query(min_length=1, max_length=64, description="A catalog id.")],
) -> dict[str, Any]:
    """The plan an on-demand request (``proxy.on_demand_swap``) would carry out now: the
    slot, the slots whose models are evicted (that slot's own first), each node's memory
    in use before and after (MiB). Reads the nodes' memory; starts and stops nothing."""
    plugin.manager()  # 503 before start-up
    entry = plugin.catalog.get(model)  # 404 for an unknown id
    for slot in plugin.slots.values():
        if slot.current_model == entry.id:
            raise SparkError(
                f"slot {slot.name!r} serves {entry.id} already",
                status=409,
                type="conflict",
                detail={"slot": slot.name},
            )
    try:
        chosen = await plugin.proxy.placement(entry)
    except NoPlacement as exc:
        raise SparkError(str(exc), status=422, type="does_not_fit") from None
    return {
        "dry_run": True,
        **chosen.public(),
        "downtime": await slot_downtime(chosen.slot, entry.id),
    }


@router.post(
    SLOT_SWAP,
    status_code=202,
    summary="Swap one slot to a catalog model",
    dependencies=SWAP_SCOPE,
    responses=swap_responses(
        already="That model already answers in this slot; or, with dry_run=true, the plan "
        "(nothing changes)",
        busy="Another swap of this slot is running",
        not_found="No such slot, or no such model",
    ),
)
async def swap_slot(
    slot: Slot,
    plugin: Vllm,
    body: SwapRequest,
    request: Request,
    x_actor: Annotated[str | None, Header()] = None,
    dry_run: Annotated[bool, Query(description="Change nothing; answer this slot's plan.")] = False,
) -> Any:
    return await start_on(slot, plugin, body.model, request, x_actor, dry_run=dry_run)


@router.post(
    SLOT_STOP,
    summary="Stop one slot's vLLM",
    dependencies=SWAP_SCOPE,
    responses={
        404: {"description": "No such slot"},
        409: {"description": "A swap of this slot is running"},
        423: {"description": "A gate refused"},
    },
)
async def stop_slot(
    slot: Slot,
    plugin: Vllm,
    request: Request,
    x_actor: Annotated[str | None, Header()] = None,
) -> Any:
    return await stop_on(slot, plugin, request, x_actor)
