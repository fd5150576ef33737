"""Restart, Stop/Start, logs and the badge, the original single-bot paths, gating and
audit, and refusing values with shell metacharacters at the API boundary."""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path
from typing import Any

import pytest

from spark_control.node_checks import run_node_checks
from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway
from spark_control_matrix_bridge.sim import CONTAINER, push_upstream_commit
from tests.matrix_bridge.conftest import (
    BOT,
    BOT_USER,
    NODE,
    Gate,
    bot_config,
    finished,
    open_gateway,
)

pytestmark = pytest.mark.asyncio


async def post(gw: RunningGateway, path: str, **kw: Any) -> Any:
    return await gw.client.post(f"/api/matrix-bridge/{BOT}/{path}", **kw)


async def test_stop_start_and_restart_answer_the_fresh_badge(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with open_gateway(tmp_path, cluster) as gw:
        stopped = await post(gw, "stop")
        assert stopped.status_code == 200, stopped.text
        # The bot shuts down cleanly on SIGTERM: exited with code 0.
        assert stopped.json()["state"] == "exited"
        assert stopped.json()["exit_code"] == 0
        assert stopped.json()["label"] == "exited (0)"
        assert cluster.container(NODE, CONTAINER)["State"]["Status"] == "exited"
        listed = (await gw.client.get("/api/matrix-bridge/bots")).json()["bots"][0]
        assert listed["status"]["state"] == "exited"

        started = await post(gw, "start")
        assert started.status_code == 200
        assert started.json()["state"] == "running"
        first_start = started.json()["started_at"]

        restarted = await post(gw, "restart")
        assert restarted.status_code == 200
        assert restarted.json()["state"] == "running"
        assert restarted.json()["started_at"] != first_start
        # Docker's health status of the image's HEALTHCHECK shows once it is ready.
        await asyncio.sleep(0.4)
        now = (await gw.client.get(f"/api/matrix-bridge/{BOT}/status")).json()
        assert now["health"] == "healthy"
        assert now["label"] == "running, healthy"


async def test_a_crashing_bot_shows_restarting_and_a_missing_one_missing(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with open_gateway(tmp_path, cluster) as gw:
        cluster.fail(CONTAINER, "exit")
        try:
            async with asyncio.timeout(10):
                while True:
                    state = (await gw.client.get(f"/api/matrix-bridge/{BOT}/status")).json()
                    if state["state"] in ("restarting", "exited"):
                        break
                    await asyncio.sleep(0.02)
            # unless-stopped: Docker restarts it; the badge says so, or the exit code.
            assert state["state"] == "restarting" or state["exit_code"] == 1
        finally:
            cluster.clear_failures()
            await post(gw, "restart")
    other = bot_config(cluster, container="no-such-bot")
    async with open_gateway(tmp_path / "missing", cluster, other) as gw:
        state = (await gw.client.get(f"/api/matrix-bridge/{BOT}/status")).json()
        assert state["state"] == "missing"
        assert state["label"] == "missing"
        refused = await post(gw, "restart")
        assert refused.status_code == 502
        assert "No such container" in refused.json()["error"]["message"]
        assert refused.json()["error"]["detail"]["status"]["state"] == "missing"


async def test_view_logs_gives_the_last_lines_and_follow_streams_new_ones(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with open_gateway(tmp_path, cluster) as gw:
        await post(gw, "restart")
        await asyncio.sleep(1.2)  # the bot prints a sync line every 0.5 s here
        last = await gw.client.get(f"/api/matrix-bridge/{BOT}/logs", params={"lines": 2})
        assert last.status_code == 200
        lines = last.json()["lines"]
        assert len(lines) == 2 and all("sync" in line for line in lines), lines

        received: list[dict[str, Any]] = []
        async with gw.client.stream(
            "GET", f"/api/matrix-bridge/{BOT}/logs", params={"lines": 1, "follow": "true"}
        ) as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            async with asyncio.timeout(10):
                event = None
                async for line in stream.aiter_lines():
                    if line.startswith("event: "):
                        event = line.removeprefix("event: ")
                    elif line.startswith("data: ") and event == "line":
                        received.append(json.loads(line.removeprefix("data: ")))
                        if len(received) >= 3:
                            break
        # One line of the past, then lines the bot printed while we followed.
        assert all("sync" in r["text"] for r in received), received
        numbers = [int(r["text"].split("sync ")[1].split(":")[0]) for r in received]
        assert numbers == sorted(numbers) and len(set(numbers)) == 3
        too_many = await gw.client.get(f"/api/matrix-bridge/{BOT}/logs", params={"lines": 0})
        assert too_many.status_code == 422


async def test_the_original_single_bot_paths_act_on_the_first_bot(
    tmp_path: Path, cluster: SimCluster
) -> None:
    section = bot_config(cluster)
    section["bots"]["second"] = {
        "node": NODE,
        "user": BOT_USER,
        "container": "second-bot",
        "key_path": section["bots"][BOT]["key_path"],
    }
    new_commit = push_upstream_commit(cluster, NODE, BOT_USER, "Relay reactions")
    async with open_gateway(tmp_path, cluster, section) as gw:
        listed = (await gw.client.get("/api/matrix-bridge/bots")).json()
        assert [b["name"] for b in listed["bots"]] == [BOT, "second"]
        tiles = (await gw.client.get("/api/ui/tiles")).json()["tiles"]
        ids = [t["id"] for t in tiles if t["id"].startswith("matrix_bridge.")]
        assert ids == [f"matrix_bridge.{BOT}", "matrix_bridge.second"]

        started = await gw.client.post("/api/matrix-bridge/update")
        assert started.status_code == 202
        assert started.json()["bot"] == BOT
        result = await finished(gw)
        assert result["to_commit"] == new_commit
        logs = await gw.client.get("/api/matrix-bridge/logs", params={"lines": 3})
        assert logs.status_code == 200 and logs.json()["bot"] == BOT


async def test_a_blank_user_hides_the_bot(tmp_path: Path, cluster: SimCluster) -> None:
    section = bot_config(cluster)
    section["bots"]["hidden-bot"] = {"user": ""}
    async with open_gateway(tmp_path, cluster, section) as gw:
        listed = (await gw.client.get("/api/matrix-bridge/bots")).json()
        assert [b["name"] for b in listed["bots"]] == [BOT]
        assert listed["hidden"] == ["hidden-bot"]
        tiles = [t["id"] for t in (await gw.client.get("/api/ui/tiles")).json()["tiles"]]
        assert "matrix_bridge.hidden-bot" not in tiles
        gone = await gw.client.post("/api/matrix-bridge/hidden-bot/restart")
        assert gone.status_code == 404
        assert "blank" in gone.json()["error"]["message"]
    # With no bots configured and MATRIX_BRIDGE_USER blank, there is none at all.
    async with open_gateway(tmp_path / "none", cluster, {}) as gw:
        assert (await gw.client.get("/api/matrix-bridge/bots")).json()["bots"] == []
        legacy = await gw.client.post("/api/matrix-bridge/update")
        assert legacy.status_code == 404
        assert "MATRIX_BRIDGE_USER" in legacy.json()["error"]["message"]


async def test_actions_ask_the_gates_are_audited_and_need_the_same_origin(
    tmp_path: Path, cluster: SimCluster
) -> None:
    gate = Gate()
    gate.seen = []
    async with open_gateway(tmp_path, cluster, gate=gate) as gw:
        ok = await post(gw, "restart", headers={"X-Actor": "Alice"})
        assert ok.status_code == 200
        assert gate.seen[-1].name == "matrix_bridge.restart"
        assert gate.seen[-1].params["bot"] == BOT
        gate.closed = True
        refused = await post(gw, "update")
        assert refused.status_code == 423
        assert "Bob" in refused.json()["error"]["message"]
        gate.closed = False
        cross = await post(gw, "stop", headers={"Origin": "http://evil.example"})
        assert cross.status_code == 403
        assert cluster.container(NODE, CONTAINER)["State"]["Status"] == "running"
        audit = (await gw.client.get("/api/audit")).json()["entries"]
        restart = next(e for e in audit if e["action"] == "matrix_bridge.restart")
        assert restart["actor"] == "Alice" and restart["result"] == "ok"
        assert restart["target"] == BOT


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("branch", "main; rm -rf ~"),
        ("branch", "$(reboot)"),
        ("folder", "bot`id`"),
        ("folder", "../../etc"),
        ("container", "bot && docker rm -f vllm_node"),
        ("container", "bot|cat"),
        ("user", "root;id"),
    ],
)
async def test_values_with_shell_metacharacters_are_refused_naming_the_field(
    tmp_path: Path, cluster: SimCluster, field: str, value: str
) -> None:
    body = {
        "node": NODE,
        "user": BOT_USER,
        "container": CONTAINER,
        "folder": "matrix-bridge-bot",
        "branch": "main",
        field: value,
    }
    server = cluster.server(NODE)
    async with open_gateway(tmp_path, cluster) as gw:
        seen = len(server.exec_log)
        response = await gw.client.post("/api/matrix-bridge/bots/check", json=body)
        ran = server.exec_log[seen:]
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["detail"]["field"] == field
    assert error["message"].startswith(f"{field}:")
    assert not any(value in record.command for record in ran)


async def test_check_tries_good_settings_on_the_node(tmp_path: Path, cluster: SimCluster) -> None:
    body = {
        "node": NODE,
        "user": "alice",
        "container": CONTAINER,
        "folder": "~/matrix-bridge-bot",
        "branch": "main",
    }
    async with open_gateway(tmp_path, cluster) as gw:
        good = (await gw.client.post("/api/matrix-bridge/bots/check", json=body)).json()
        wrong = (
            await gw.client.post("/api/matrix-bridge/bots/check", json=body | {"branch": "release"})
        ).json()
        unknown = await gw.client.post(
            "/api/matrix-bridge/bots/check", json=body | {"node": "spark-9"}
        )
    assert good["ok"] is True, good
    assert [c["name"] for c in good["checks"]] == [
        "login",
        "docker",
        "checkout",
        "upstream",
        "compose",
        "container",
    ]
    assert wrong["ok"] is False
    failed = {c["name"]: c["detail"] for c in wrong["checks"] if not c["ok"]}
    assert "not release" in failed["checkout"]
    assert "upstream" in failed
    assert unknown.status_code == 422 and unknown.json()["error"]["detail"]["field"] == "node"


async def test_followed_logs_are_limited_per_bot(tmp_path: Path, cluster: SimCluster) -> None:
    url = f"/api/matrix-bridge/{BOT}/logs"
    async with open_gateway(tmp_path, cluster) as gw, contextlib.AsyncExitStack() as stack:
        readers = []  # kept referenced: a dropped line iterator closes its response
        for _ in range(3):
            stream = await stack.enter_async_context(
                gw.client.stream("GET", url, params={"follow": "true", "lines": 1})
            )
            assert stream.status_code == 200
            lines = stream.aiter_lines()
            readers.append(lines)
            async with asyncio.timeout(10):
                while not (await anext(lines)).startswith("event: line"):
                    pass  # until this follower streams
        async with asyncio.timeout(10):
            refused = await gw.client.get(url, params={"follow": "true"})
        assert refused.status_code == 429
        assert "followed already" in refused.json()["error"]["message"]
        # The badge still answers: the followers left SSH sessions for it.
        status = await gw.client.get(f"/api/matrix-bridge/{BOT}/status")
        assert status.status_code == 200 and status.json()["state"] == "running"


async def test_the_api_is_in_the_openapi_schema_with_examples(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with open_gateway(tmp_path, cluster) as gw:
        schema = (await gw.client.get("/openapi.json")).json()
    paths = schema["paths"]
    for path in (
        "/api/matrix-bridge/bots",
        "/api/matrix-bridge/{bot}/update",
        "/api/matrix-bridge/{bot}/logs",
        "/api/matrix-bridge/update",
        "/api/matrix-bridge/logs",
        "/api/matrix-bridge/bots/check",
    ):
        assert path in paths, path
    accepted = paths["/api/matrix-bridge/{bot}/update"]["post"]["responses"]["202"]
    assert accepted["content"]["application/json"]["example"]["phase"] == "building"
    assert "/api/matrix-bridge/{bot}/stop" in paths


async def test_nodes_check_tries_every_configured_bot_on_its_node(
    tmp_path: Path, cluster: SimCluster
) -> None:
    section = bot_config(cluster)
    section["bots"]["elsewhere"] = {
        "node": NODE,
        "user": BOT_USER,
        "key_path": section["bots"][BOT]["key_path"],
        "folder": "no-such-checkout",
    }
    async with open_gateway(tmp_path, cluster, section) as gw:
        rows = await run_node_checks(gw.gateway)
    by_check = {(r.node, r.check): r for r in rows if r.owner == "matrix_bridge"}
    relay = by_check[(NODE, f"matrix_bridge.{BOT}")]
    assert relay.ok, relay.detail
    assert "compose services: bot" in relay.detail
    broken = by_check[(NODE, "matrix_bridge.elsewhere")]
    assert not broken.ok
    assert "no-such-checkout is not a git checkout" in broken.detail
    assert by_check[("spark-2", f"matrix_bridge.{BOT}")].ok  # not its node: nothing to check
