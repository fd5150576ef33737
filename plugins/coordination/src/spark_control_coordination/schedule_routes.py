"""``/api/coordination/schedule`` (formerly ``/api/schedule``): the registry of
external jobs, their next runs and conflicts.

Jobs are keyed by name: posting a name again replaces its entry (a job re-declares
itself on every deploy). Models are checked against every plugin's ``spark_models``.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from spark_control.api import InvalidValue, SparkError, plugin_instance
from spark_control_coordination.plugin import CoordinationPlugin
from spark_control_coordination.schedule import (
    Job,
    check_cron,
    check_timezone,
    judge,
    model_sets,
    next_runs,
    overlaps,
)

JOB_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
NEXT_RUNS = 5
JOB_EXAMPLE: dict[str, Any] = {
    "name": "nightly-transcripts",
    "owner": "Alice",
    "cron": "30 2 * * *",
    "timezone": "Europe/Berlin",
    "expected_duration_s": 3600,
    "model": "llama-3.1-8b-instruct",
    "description": "Transcribes and summarises the day's meetings.",
}

SCHEDULE_EXAMPLE: dict[str, Any] = {
    "now": "2026-01-01T12:00:00+00:00",
    "horizon_days": 7.0,
    "jobs": [
        {
            **JOB_EXAMPLE,
            "model_known": True,
            "next_runs": ["2026-01-02T02:30:00+01:00", "2026-01-03T02:30:00+01:00"],
            "conflicts_with": ["crm-sync"],
        }
    ],
    "conflicts": [
        {
            "jobs": ["crm-sync", "nightly-transcripts"],
            "models": ["gpt-oss-120b", "llama-3.1-8b-instruct"],
            "first_overlap": "2026-01-02T01:30:00+00:00",
            "reason": "their models do not fit in the cluster's memory at the same time",
        }
    ],
}
_SCHEDULE_RESPONSE = {"content": {"application/json": {"example": SCHEDULE_EXAMPLE}}}


class JobRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [dict(JOB_EXAMPLE)]})
    name: str = Field(pattern=JOB_NAME, description="Unique; letters, digits, _ . -")
    owner: str = Field(min_length=1, max_length=100)
    cron: str = Field(
        min_length=1, max_length=200, description="Five fields, or @hourly/@daily/..."
    )
    timezone: str = Field("UTC", min_length=1, max_length=64, description="IANA zone name.")
    expected_duration_s: float = Field(
        1800.0, gt=0, le=7 * 86400, allow_inf_nan=False, description="How long a run takes."
    )
    model: str = Field(min_length=1, max_length=64, description="Catalog id it needs.")
    description: str = Field("", max_length=1000)


SCHEDULE = "/api/coordination/schedule"
JOB = "/api/coordination/schedule/{name}"
ALIASES = {"/api/schedule": SCHEDULE, "/api/schedule/{name}": JOB}
"""Old path: new path (the old one stays served, deprecated)."""

Coordination = Annotated[CoordinationPlugin, Depends(plugin_instance(CoordinationPlugin))]

router = APIRouter(tags=["coordination"])


async def load(plugin: CoordinationPlugin) -> list[Job]:
    rows = await plugin.host.store.fetchall(
        "SELECT name, owner, cron, timezone, expected_duration_s, model, description "
        "FROM coordination_schedule ORDER BY name"
    )
    return [Job(**row) for row in rows]


async def known_models(plugin: CoordinationPlugin) -> set[str]:
    return {str(m["id"]) for m in await plugin.host.models() if "id" in m}


async def find_conflicts(
    plugin: CoordinationPlugin, jobs: list[Job], moment: datetime
) -> list[dict[str, Any]]:
    """Walking a week of runs of every job costs real CPU time (cronsim), so the
    overlaps are found off the event loop; whether each overlap's models can be
    resident at once is asked of the plugins (``host.co_resident``: the vllm plugin
    reads the nodes' memory). The answer is kept (per gateway) for the rest of the
    minute while jobs stay the same."""
    cache = plugin.schedule_cache
    horizon = timedelta(days=plugin.settings.schedule_horizon_days)
    key = (tuple(jobs), moment.replace(second=0, microsecond=0), horizon)
    if key not in cache:
        found = await plugin.host.run_blocking(overlaps, jobs, moment, horizon)
        answers = {
            models: await plugin.host.co_resident(sorted(models))
            for models in sorted(model_sets(found, jobs), key=sorted)
        }
        cache.clear()
        cache[key] = judge(found, jobs, answers.get)
    return cache[key]


async def view(plugin: CoordinationPlugin) -> dict[str, Any]:
    jobs = await load(plugin)
    moment = datetime.now(UTC)
    clashes = await find_conflicts(plugin, jobs, moment)
    models = await known_models(plugin)
    listed = []
    for job in jobs:
        listed.append(
            {
                "name": job.name,
                "owner": job.owner,
                "cron": job.cron,
                "timezone": job.timezone,
                "expected_duration_s": job.expected_duration_s,
                "model": job.model,
                "model_known": job.model in models,
                "description": job.description,
                "next_runs": next_runs(job, moment, NEXT_RUNS),
                "conflicts_with": sorted(
                    {n for c in clashes if job.name in c["jobs"] for n in c["jobs"]} - {job.name}
                ),
            }
        )
    return {
        "now": moment.isoformat(),
        "horizon_days": plugin.settings.schedule_horizon_days,
        "jobs": listed,
        "conflicts": clashes,
    }


@router.get(
    SCHEDULE,
    summary="Declared jobs with next runs and conflicts",
    responses={200: _SCHEDULE_RESPONSE},
)
async def list_jobs(plugin: Coordination) -> dict[str, Any]:
    """Every job with its next runs (in its own zone); ``conflicts`` lists jobs whose
    runs overlap within the horizon and whose models cannot be resident at once (two
    jobs; or three or more whose every pair fits but not all together), with
    ``reason``. Without a plugin that knows the models' memory (the vllm plugin), any
    two different models conflict."""
    return await view(plugin)


@router.post(
    SCHEDULE,
    status_code=201,
    summary="Declare (or re-declare) a job",
    responses={
        200: {"description": "A job of that name was replaced"},
        201: {"description": "Declared; the whole registry is returned", **_SCHEDULE_RESPONSE},
        422: {"description": "Bad cron, unknown time zone or unknown model"},
    },
)
async def declare(
    plugin: Coordination,
    body: JobRequest,
    request: Request,
    x_actor: Annotated[str | None, Header()] = None,
) -> Any:
    zone = check_timezone(body.timezone)
    cron = check_cron(body.cron, zone)
    models = await known_models(plugin)
    if body.model not in models:
        raise InvalidValue(
            "model",
            f"{body.model!r} is not a catalog id; known: {', '.join(sorted(models)) or 'none'}",
        )
    now = time.time()
    store = plugin.host.store
    changed = await store.execute(
        "UPDATE coordination_schedule SET owner = ?, cron = ?, timezone = ?, "
        "expected_duration_s = ?, model = ?, description = ?, updated_at = ? "
        "WHERE name = ?",
        (
            body.owner,
            cron,
            body.timezone,
            body.expected_duration_s,
            body.model,
            body.description,
            now,
            body.name,
        ),
    )
    if not changed:
        await store.execute(
            "INSERT INTO coordination_schedule (name, owner, cron, timezone, "
            "expected_duration_s, model, description, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                body.name,
                body.owner,
                cron,
                body.timezone,
                body.expected_duration_s,
                body.model,
                body.description,
                now,
                now,
            ),
        )
    await plugin.host.audit.record(
        "coordination.schedule_declare",
        actor=(x_actor or body.owner)[:100],
        origin=request.client.host if request.client else "unknown",
        target=body.name,
        result="replaced" if changed else "added",
    )
    plugin.host.events.publish(
        "coordination.schedule_changed", {"name": body.name}, source="coordination"
    )
    return JSONResponse(await view(plugin), status_code=200 if changed else 201)


async def remove(
    plugin: CoordinationPlugin, name: str, request: Request, actor: str | None
) -> dict[str, Any]:
    removed = await plugin.host.store.execute(
        "DELETE FROM coordination_schedule WHERE name = ?", (name,)
    )
    if not removed:
        raise SparkError(f"no job named {name!r} in the schedule", status=404, type="not_found")
    await plugin.host.audit.record(
        "coordination.schedule_remove",
        actor=(actor or "anonymous")[:100],
        origin=request.client.host if request.client else "unknown",
        target=name,
        result="ok",
    )
    plugin.host.events.publish(
        "coordination.schedule_changed", {"name": name}, source="coordination"
    )
    return await view(plugin)


@router.delete(
    SCHEDULE,
    summary="Remove a job (by ?name=)",
    responses={200: _SCHEDULE_RESPONSE, 404: {"description": "No such job"}},
)
async def remove_by_query(
    plugin: Coordination,
    request: Request,
    name: Annotated[str, Query(pattern=JOB_NAME)],
    x_actor: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    return await remove(plugin, name, request, x_actor)


@router.delete(
    JOB,
    summary="Remove a job",
    responses={200: _SCHEDULE_RESPONSE, 404: {"description": "No such job"}},
)
async def remove_by_path(
    plugin: Coordination,
    request: Request,
    name: Annotated[str, Path(pattern=JOB_NAME)],
    x_actor: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    return await remove(plugin, name, request, x_actor)
