"""The matrix_bridge plugin's HTTP API, under ``/api/matrix_bridge`` (the plugin's name;
every path of the older ``/api/matrix-bridge`` stays served as a deprecated alias).

Per bot: ``GET /{bot}`` (settings, badge, last update), ``GET /{bot}/status`` (read now),
``POST /{bot}/update`` and its ``GET`` / ``/events`` / ``GET /{bot}/updates``,
``POST /{bot}/restart|stop|start``, ``GET /{bot}/logs`` (last N lines, or followed as
server-sent events). The original system's single-bot paths, ``POST /update`` and
``GET /logs``, act on the first configured bot. ``POST /bots/check`` tries a bot's
settings on its node. Mutating routes ask the gates and are audited.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from spark_control.api import (
    Action,
    Host,
    InvalidValue,
    SparkError,
    SSHUnreachable,
    format_sse,
    plugin_instance,
)
from spark_control.api import validators as v
from spark_control_matrix_bridge import commands
from spark_control_matrix_bridge.bots import Bot
from spark_control_matrix_bridge.checks import check_bot
from spark_control_matrix_bridge.manager import BotManager
from spark_control_matrix_bridge.plugin import MatrixBridgePlugin
from spark_control_matrix_bridge.settings import check_folder
from spark_control_matrix_bridge.update import RUNNING

PREFIX = "/api/matrix_bridge"
OLD_PREFIX = "/api/matrix-bridge"
TAG = "matrix_bridge"

BOT_EXAMPLE = {
    "name": "matrix-bridge",
    "title": "Matrix Bridge bot",
    "node": "spark-1",
    "user": "<spark-user>",
    "container": "matrix-bridge-bot",
    "folder": "matrix-bridge-bot",
    "branch": "main",
    "status": {
        "state": "running",
        "exit_code": None,
        "health": "healthy",
        "started_at": "2026-01-01T09:00:00.000000000Z",
        "oom_killed": False,
        "detail": None,
        "checked_at": 1767258000.0,
        "label": "running, healthy",
    },
    "update": None,
    "update_time_cap_s": 1500.0,
}
UPDATE_EXAMPLE = {
    "id": "upd_3f9a1c2b4d5e6f70",
    "bot": "matrix-bridge",
    "actor": "Alice",
    "state": "running",
    "phase": "building",
    "started_at": 1767258000.0,
    "finished_at": None,
    "from_commit": "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
    "to_commit": None,
    "failed_phase": None,
    "reason": None,
    "excerpt": None,
    "resumed_by": None,
    "lines": [{"phase": "fetching", "text": "Updating 4b825dc..9f1e2d3"}],
}
LinesQuery = Annotated[int | None, Query(ge=1, le=10_000, description="How many lines.")]
ACTIONS = {
    "restart": "restarted",
    "stop": "stopped",
    "start": "started",
}


class CheckRequest(BaseModel):
    """A bot's settings to try on its node; nothing is changed there."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "node": "spark-1",
                    "user": "<spark-user>",
                    "container": "matrix-bridge-bot",
                    "folder": "matrix-bridge-bot",
                    "branch": "main",
                }
            ]
        },
    )
    node: str = Field(max_length=64)
    user: str = Field(max_length=64)
    container: str = Field(max_length=200)
    folder: str = Field(max_length=4096)
    branch: str = Field(max_length=300)


MatrixBridge = Annotated[MatrixBridgePlugin, Depends(plugin_instance(MatrixBridgePlugin))]


def _manager(plugin: MatrixBridge) -> BotManager:
    return plugin.manager()


Bots = Annotated[BotManager, Depends(_manager)]
"""This gateway's bot manager (503 before the plugin started)."""

router = APIRouter(tags=[TAG])


def actor_of(request: Request, actor: str | None) -> str:
    return (actor or request.headers.get("x-actor") or "anonymous")[:100]


def origin_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def gate(host: Host, request: Request, name: str, bot: Bot, actor: str) -> None:
    await host.require_gate(
        Action(
            name,
            params={"bot": bot.name, "node": bot.node, "container": bot.container},
            actor=actor,
            headers={k.lower(): val for k, val in request.headers.items()},
            client=request.client.host if request.client else None,
        )
    )


async def audit(
    host: Host,
    request: Request,
    action: str,
    bot: Bot,
    actor: str,
    result: str,
    detail: Any = None,
) -> None:
    await host.audit.record(
        f"matrix_bridge.{action}",
        actor=actor,
        origin=origin_of(request),
        target=bot.name,
        result=result,
        detail=detail,
    )


# --- reading -----------------------------------------------------------------------


@router.get(
    f"{PREFIX}/bots",
    summary="Every configured bot with its badge and last update",
    responses={
        200: {"content": {"application/json": {"example": {"bots": [BOT_EXAMPLE], "hidden": []}}}}
    },
)
async def list_bots(bots: Bots) -> dict[str, Any]:
    return {
        "bots": [bots.describe(bot) for bot in bots.roster.bots],
        "hidden": list(bots.roster.hidden),
    }


@router.get(
    f"{PREFIX}/{{bot}}",
    summary="One bot: settings, badge, last update",
    responses={
        200: {"content": {"application/json": {"example": BOT_EXAMPLE}}},
        404: {"description": "No such bot"},
    },
)
async def get_bot(bots: Bots, bot: str) -> dict[str, Any]:
    return bots.describe(bots.bot(bot))


@router.get(
    f"{PREFIX}/{{bot}}/status",
    summary="Read the bot's container state now",
    responses={200: {"content": {"application/json": {"example": BOT_EXAMPLE["status"]}}}},
)
async def bot_status(bots: Bots, bot: str) -> dict[str, Any]:
    return (await bots.refresh(bots.bot(bot))).public()


# --- update ------------------------------------------------------------------------


async def start_update(bots: BotManager, request: Request, bot: Bot, actor: str) -> dict[str, Any]:
    await gate(bots.host, request, "matrix_bridge.update", bot, actor)
    try:
        update = await bots.start_update(bot, actor)
    except SparkError as exc:
        await audit(bots.host, request, "update", bot, actor, "refused", {"reason": exc.message})
        raise
    await audit(
        bots.host,
        request,
        "update",
        bot,
        actor,
        f"started {update.id}",
        {"branch": bot.branch, "folder": bot.folder},
    )
    return update.public()


update_responses: dict[int | str, dict[str, Any]] = {
    202: {
        "description": "The update started",
        "content": {"application/json": {"example": UPDATE_EXAMPLE}},
    },
    404: {"description": "No such bot"},
    409: {"description": "An update or another action of this bot is running"},
    423: {"description": "A gate refused"},
}


@router.post(
    f"{PREFIX}/{{bot}}/update",
    status_code=202,
    summary="Update the bot: git fetch + fast-forward, rebuild, restart",
    responses=update_responses,
)
async def update_bot(
    bots: Bots, bot: str, request: Request, x_actor: Annotated[str | None, Header()] = None
) -> dict[str, Any]:
    """Runs in the background; follow it with ``GET .../update/events`` or the
    ``matrix_bridge.update_*`` events of ``GET /api/events``. The whole update has a
    hard time cap (``matrix_bridge.update_time_cap_s``, 25 minutes by default)."""
    return await start_update(bots, request, bots.bot(bot), actor_of(request, x_actor))


@router.post(
    f"{PREFIX}/update",
    status_code=202,
    summary="Update the first configured bot (the original system's path)",
    responses=update_responses,
)
async def update_first(
    bots: Bots, request: Request, x_actor: Annotated[str | None, Header()] = None
) -> dict[str, Any]:
    return await start_update(bots, request, bots.first(), actor_of(request, x_actor))


@router.get(
    f"{PREFIX}/{{bot}}/update",
    summary="The running or last update of the bot, with its output",
    responses={
        200: {"content": {"application/json": {"example": UPDATE_EXAMPLE}}},
        404: {"description": "No such bot, or it was never updated"},
    },
)
async def last_update(bots: Bots, bot: str) -> dict[str, Any]:
    found = bots.updates.get(bots.bot(bot).name)
    if found is None:
        raise SparkError(f"{bot} has not been updated yet", status=404, type="not_found")
    return found.public()


@router.get(
    f"{PREFIX}/{{bot}}/updates",
    summary="Past updates of the bot, newest first",
)
async def update_history(
    bots: Bots, bot: str, limit: Annotated[int, Query(ge=1, le=50)] = 10
) -> dict[str, Any]:
    return {"updates": await bots.history(bots.bot(bot), limit)}


@router.get(
    f"{PREFIX}/{{bot}}/update/events",
    summary="Server-sent events of the running update: phases, output, outcome",
    response_class=StreamingResponse,
)
async def update_events(bots: Bots, bot: str) -> StreamingResponse:
    host = bots.host
    name = bots.bot(bot).name

    async def stream() -> AsyncIterator[str]:
        yield "retry: 2000\n\n"
        async with host.events.subscribe(None) as events:
            current = bots.updates.get(name)
            if current is None or current.state != RUNNING:
                return
            async for event in events:
                if event.source != "matrix_bridge" or event.data.get("update_id") != current.id:
                    continue
                yield format_sse(event)
                if event.type in ("matrix_bridge.update_done", "matrix_bridge.update_failed"):
                    return

    return StreamingResponse(
        stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
    )


# --- container actions -------------------------------------------------------------


def _action_route(verb: str) -> dict[str, Any]:
    """The path operation of ``POST .../{bot}/{verb}``."""
    return {
        "path": f"{PREFIX}/{{bot}}/{verb}",
        "summary": f"docker {verb} the bot's container",
        "name": f"matrix_bridge_{verb}",
        "responses": {
            200: {
                "description": f"The container was {ACTIONS[verb]}: its fresh status",
                "content": {"application/json": {"example": BOT_EXAMPLE["status"]}},
            },
            404: {"description": "No such bot"},
            409: {"description": "An update of this bot is running"},
            423: {"description": "A gate refused"},
            502: {"description": "docker refused (e.g. no such container)"},
        },
    }


async def container_action(
    bots: BotManager, verb: str, bot: str, request: Request, actor: str | None
) -> dict[str, Any]:
    found = bots.bot(bot)
    who = actor_of(request, actor)
    await gate(bots.host, request, f"matrix_bridge.{verb}", found, who)
    try:
        status, _ = await bots.container_action(found, verb)
    except SparkError as exc:
        await audit(bots.host, request, verb, found, who, "failed", {"reason": exc.message})
        raise
    await audit(bots.host, request, verb, found, who, "ok", {"status": status.label})
    return status.public()


@router.post(**_action_route("restart"))
async def restart_bot(
    bots: Bots, bot: str, request: Request, x_actor: Annotated[str | None, Header()] = None
) -> dict[str, Any]:
    return await container_action(bots, "restart", bot, request, x_actor)


@router.post(**_action_route("stop"))
async def stop_bot(
    bots: Bots, bot: str, request: Request, x_actor: Annotated[str | None, Header()] = None
) -> dict[str, Any]:
    return await container_action(bots, "stop", bot, request, x_actor)


@router.post(**_action_route("start"))
async def start_bot(
    bots: Bots, bot: str, request: Request, x_actor: Annotated[str | None, Header()] = None
) -> dict[str, Any]:
    return await container_action(bots, "start", bot, request, x_actor)


# --- logs --------------------------------------------------------------------------


async def logs_of(bots: BotManager, bot: Bot, lines: int | None, follow: bool) -> Any:
    count = lines or bots.settings.log_lines
    if not follow:
        return {
            "bot": bot.name,
            "container": bot.container,
            "lines": await bots.logs(bot, count),
        }
    bots.check_followers(bot)  # answered as a status, before the stream starts
    return StreamingResponse(
        _follow(bots.host, bots, bot, count),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache"},
    )


logs_doc = (
    "The last ``lines`` lines of the container's output (stdout and stderr merged). "
    "With ``follow=true`` a server-sent-events stream: each ``line`` event's data is "
    '``{"text": ...}``; it ends with an ``end`` event when the container stops or '
    "after ``matrix_bridge.follow_time_cap_s``."
)


@router.get(f"{PREFIX}/{{bot}}/logs", summary="The bot's container logs", description=logs_doc)
async def bot_logs(bots: Bots, bot: str, lines: LinesQuery = None, follow: bool = False) -> Any:
    return await logs_of(bots, bots.bot(bot), lines, follow)


@router.get(
    f"{PREFIX}/logs",
    summary="The first configured bot's logs (the original system's path)",
    description=logs_doc,
)
async def first_logs(bots: Bots, lines: LinesQuery = None, follow: bool = False) -> Any:
    return await logs_of(bots, bots.first(), lines, follow)


# --- trying settings ---------------------------------------------------------------


@router.post(
    f"{PREFIX}/bots/check",
    summary="Try a bot's settings on its node (changes nothing)",
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "ok": True,
                        "checks": [
                            {
                                "name": "login",
                                "ok": True,
                                "detail": "logged in to spark-1 as <spark-user>",
                            }
                        ],
                    }
                }
            }
        },
        422: {"description": "A value is not allowed; detail.field names it"},
    },
)
async def check(plugin: MatrixBridge, body: CheckRequest) -> dict[str, Any]:
    """Each value goes through the same allow-list validator as the config, so
    a branch, folder or container name with shell metacharacters is refused
    (422, naming the field) before anything reaches a node."""
    host = plugin.host
    if body.node not in host.topology.nodes:
        raise InvalidValue("node", f"unknown node {body.node!r}")
    bot = Bot(
        name="check",
        title="check",
        node=body.node,
        user=v.validate_unix_user(body.user, "user"),
        container=v.validate_container_name(body.container, "container"),
        folder=check_folder(body.folder, "folder"),
        branch=v.validate_git_branch(body.branch, "branch"),
    )
    checks = await check_bot(host, bot)
    return {"ok": all(c.ok for c in checks), "checks": [c.public() for c in checks]}


ALIASES = {
    route.path.replace(PREFIX, OLD_PREFIX, 1): route.path
    for route in router.routes
    if isinstance(route, APIRoute)
}
"""Old path: new path (every old ``/api/matrix-bridge`` path stays served, deprecated)."""


async def _follow(host: Host, bots: BotManager, bot: Bot, lines: int) -> AsyncIterator[str]:
    """``docker logs --follow`` as server-sent events; the remote command stops when the
    client goes away or the cap passes."""
    with bots.follower(bot):
        async for chunk in _follow_lines(host, bots, bot, lines):
            yield chunk


async def _follow_lines(host: Host, bots: BotManager, bot: Bot, lines: int) -> AsyncIterator[str]:
    yield "retry: 5000\n\n"
    target = bot.target(host.topology)
    stream = host.ssh.stream(
        target,
        commands.logs(bot, lines, follow=True),
        time_cap=bots.settings.follow_time_cap_s,
        observe=True,
    )
    reason = "the container stopped"
    try:
        async for line in stream:
            yield f"event: line\ndata: {json.dumps({'text': line})}\n\n"
    except SSHUnreachable as exc:
        reason = exc.message
    finally:
        await stream.aclose()
    yield f"event: end\ndata: {json.dumps({'reason': reason})}\n\n"
