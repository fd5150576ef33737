"""Update against the simulated node: a real git fetch and fast-forward from the local
upstream, a rebuild and a restart through the compose stand-in; a failing build, a
refused fetch and a hung build each end the update loudly, in the right phase."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import Any

import pytest

from spark_control.events import Event
from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway
from spark_control_matrix_bridge.sim import (
    CONTAINER,
    checkout,
    head_of,
    held_compose,
    hold_compose,
    hung_build_pid,
    push_upstream_commit,
    set_build_failure,
    set_fetch_refused,
)
from tests.matrix_bridge.conftest import (
    BOT,
    BOT_USER,
    NODE,
    bot_config,
    finished,
    manager,
    open_gateway,
)

pytestmark = pytest.mark.asyncio

REVISION_LABEL = "org.opencontainers.image.revision"


def container(cluster: SimCluster) -> dict[str, Any]:
    found = cluster.container(NODE, CONTAINER)
    assert found is not None, "the bot's container is missing"
    return found


async def update(gw: RunningGateway) -> dict[str, Any]:
    response = await gw.client.post(
        f"/api/matrix-bridge/{BOT}/update", headers={"X-Actor": "Alice"}
    )
    assert response.status_code == 202, response.text
    assert response.json()["state"] == "running"
    return await finished(gw)


class Recorder:
    """Collects the plugin's events while an update runs."""

    def __init__(self, gw: RunningGateway) -> None:
        self.events: list[Event] = []
        self._gw = gw
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Recorder:
        ready = asyncio.Event()

        async def collect() -> None:
            async with self._gw.host.events.subscribe(None) as events:
                ready.set()
                async for event in events:
                    if event.source == "matrix_bridge":
                        self.events.append(event)

        self._task = asyncio.create_task(collect())
        await ready.wait()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.sleep(0.3)  # the status published right after the update
        assert self._task is not None
        self._task.cancel()

    def of(self, type_: str) -> list[dict[str, Any]]:
        return [e.data for e in self.events if e.type == type_]


async def test_update_moves_the_repo_to_the_upstream_commit_and_restarts_the_container(
    tmp_path: Path, cluster: SimCluster
) -> None:
    before = container(cluster)
    old_commit = head_of(checkout(cluster, NODE, BOT_USER))
    new_commit = push_upstream_commit(cluster, NODE, BOT_USER, "Answer !ping in every room")
    assert new_commit != old_commit
    server = cluster.server(NODE)
    seen = len(server.exec_log)
    async with open_gateway(tmp_path, cluster) as gw, Recorder(gw) as recorded:
        result = await update(gw)

    assert result["state"] == "done", result
    assert (result["from_commit"], result["to_commit"]) == (old_commit, new_commit)
    assert head_of(checkout(cluster, NODE, BOT_USER)) == new_commit
    after = container(cluster)
    assert after["Id"] != before["Id"], "compose up did not recreate the container"
    assert after["State"]["Status"] == "running"
    assert after["Config"]["Labels"][REVISION_LABEL] == new_commit
    # Output of every phase reached the tile, in order, then the outcome.
    phases = [d["phase"] for d in recorded.of("matrix_bridge.update_phase")]
    assert phases == ["fetching", "building", "restarting"]
    text = {phase: [] for phase in phases}
    for batch in recorded.of("matrix_bridge.update_output"):
        text[batch["phase"]].extend(batch["lines"])
    assert any("Fast-forward" in line for line in text["fetching"]), text["fetching"]
    assert any("naming to" in line for line in text["building"]), text["building"]
    assert any("Started" in line for line in text["restarting"]), text["restarting"]
    assert not any("spark-control-step-ok" in line for lines in text.values() for line in lines)
    done = recorded.of("matrix_bridge.update_done")
    assert done and done[0]["to_commit"] == new_commit
    statuses = recorded.of("matrix_bridge.status")
    assert statuses and statuses[-1]["status"]["state"] == "running"
    # Everything of the bot ran as the bot's own user (the core's node facts run as
    # the node's usual user), and nothing asked for sudo.
    commands = [c for c in server.exec_log[seen:] if "git" in c.command or "docker" in c.command]
    assert len(commands) >= 6 and {c.user for c in commands} == {BOT_USER}
    assert not any("sudo" in c.command for c in commands)


async def test_an_update_with_nothing_new_keeps_the_commit_and_succeeds(
    tmp_path: Path, cluster: SimCluster
) -> None:
    head = head_of(checkout(cluster, NODE, BOT_USER))
    async with open_gateway(tmp_path, cluster) as gw:
        result = await update(gw)
    assert result["state"] == "done", result
    assert result["from_commit"] == result["to_commit"] == head


async def test_a_failing_build_reports_the_building_phase_and_the_excerpt(
    tmp_path: Path, cluster: SimCluster
) -> None:
    running_before = container(cluster)["Id"]
    new_commit = push_upstream_commit(cluster, NODE, BOT_USER, "Pin a matrix-nio that is gone")
    set_build_failure(cluster, NODE, "fail")
    async with open_gateway(tmp_path, cluster) as gw, Recorder(gw) as recorded:
        result = await update(gw)
        detail = (await gw.client.get(f"/api/matrix-bridge/{BOT}")).json()

    assert result["state"] == "failed"
    assert result["failed_phase"] == "building"
    assert result["reason"] == f"docker compose build failed on {NODE}"
    assert "did not complete successfully" in result["excerpt"]
    assert "pip install" in result["excerpt"]
    failed = recorded.of("matrix_bridge.update_failed")
    assert failed and failed[0]["failed_phase"] == "building"
    # The repo moved, but the old container kept running: nothing restarted it.
    assert head_of(checkout(cluster, NODE, BOT_USER)) == new_commit
    assert container(cluster)["Id"] == running_before
    assert detail["update"]["state"] == "failed"
    assert detail["status"]["state"] == "running"


async def test_a_refused_fetch_fails_in_the_fetching_phase_and_leaves_the_checkout(
    tmp_path: Path, cluster: SimCluster
) -> None:
    head = head_of(checkout(cluster, NODE, BOT_USER))
    push_upstream_commit(cluster, NODE, BOT_USER, "Unreachable change")
    set_fetch_refused(cluster, NODE, True)
    async with open_gateway(tmp_path, cluster) as gw:
        result = await update(gw)
    assert result["state"] == "failed"
    assert result["failed_phase"] == "fetching"
    assert "denied to deploy key" in result["excerpt"]
    assert "Could not read from remote repository" in result["excerpt"]
    assert head_of(checkout(cluster, NODE, BOT_USER)) == head


@pytest.mark.slow
async def test_the_time_cap_ends_a_hung_update(tmp_path: Path, cluster: SimCluster) -> None:
    push_upstream_commit(cluster, NODE, BOT_USER, "A dependency whose mirror hangs")
    set_build_failure(cluster, NODE, "hang")
    cap = 2.0
    async with open_gateway(
        tmp_path, cluster, bot_config(cluster) | {"update_time_cap_s": cap}
    ) as gw:
        started = time.monotonic()
        result = await update(gw)
        took = time.monotonic() - started
    assert result["state"] == "failed"
    assert result["failed_phase"] == "building"
    assert f"time cap of {cap:g} s" in result["reason"]
    assert "pip install" in result["excerpt"]
    assert took < cap + 5, f"the cap of {cap} s ended the update only after {took:.1f} s"
    # Stopping the stream stopped the build on the node too.
    pid = hung_build_pid(cluster, NODE)
    assert pid is not None
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert not _alive(pid), "the hung build still runs on the node"


async def test_a_second_update_or_action_while_one_runs_is_refused(
    tmp_path: Path, cluster: SimCluster
) -> None:
    set_build_failure(cluster, NODE, "hang")
    async with open_gateway(
        tmp_path, cluster, bot_config(cluster) | {"update_time_cap_s": 3.0}
    ) as gw:
        first = await gw.client.post(f"/api/matrix-bridge/{BOT}/update")
        assert first.status_code == 202
        again = await gw.client.post(f"/api/matrix-bridge/{BOT}/update")
        assert again.status_code == 409
        assert again.json()["error"]["detail"]["update_id"] == first.json()["id"]
        stop = await gw.client.post(f"/api/matrix-bridge/{BOT}/stop")
        assert stop.status_code == 409
        assert "update" in stop.json()["error"]["message"]
        result = await finished(gw)
    assert result["state"] == "failed"


async def test_a_checkout_on_another_branch_is_not_updated(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with open_gateway(tmp_path, cluster, bot_config(cluster, branch="release")) as gw:
        result = await update(gw)
    assert result["state"] == "failed"
    assert result["failed_phase"] == "fetching"
    assert "is on 'main', not on 'release'" in result["reason"]


async def test_the_last_update_survives_a_gateway_restart(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with open_gateway(tmp_path, cluster) as gw:
        first = await update(gw)
    async with open_gateway(tmp_path, cluster) as gw:
        again = (await gw.client.get(f"/api/matrix-bridge/{BOT}/update")).json()
        history = (await gw.client.get(f"/api/matrix-bridge/{BOT}/updates")).json()
    assert again["id"] == first["id"] and again["state"] == "done"
    assert again["lines"], "the output was not kept"
    assert history["updates"][0]["id"] == first["id"]


async def test_an_update_cut_off_while_restarting_is_finished_at_the_next_start(
    tmp_path: Path, cluster: SimCluster
) -> None:
    # The gateway stops after compose removed the old container and before it started
    # the new one: nothing runs. The next start finishes the update (compose up again).
    old_commit = head_of(checkout(cluster, NODE, BOT_USER))
    new_commit = push_upstream_commit(cluster, NODE, BOT_USER, "Restart me twice")
    hold_compose(cluster, NODE, "recreate")
    async with open_gateway(tmp_path, cluster) as gw:
        started = await gw.client.post(f"/api/matrix-bridge/{BOT}/update")
        assert started.status_code == 202
        async with asyncio.timeout(30):
            while held_compose(cluster, NODE) is None:
                await asyncio.sleep(0.05)
        assert cluster.container(NODE, CONTAINER) is None
    async with open_gateway(tmp_path, cluster) as gw:
        result = await finished(gw)
        replica = gw.host.leadership.replica
    assert result["id"] == started.json()["id"]
    assert result["state"] == "done", result
    assert (result["from_commit"], result["to_commit"]) == (old_commit, new_commit)
    assert result["resumed_by"] == replica
    after = container(cluster)
    assert after["State"]["Status"] == "running"
    assert after["Config"]["Labels"][REVISION_LABEL] == new_commit


async def test_an_ended_update_is_never_written_back_to_running(
    tmp_path: Path, cluster: SimCluster
) -> None:
    # What a leader paused past its lease would do with its stale copy of the update.
    async with open_gateway(tmp_path, cluster) as gw:
        done = await update(gw)
        stale = {**done, "state": "running", "phase": "restarting", "finished_at": None}
        await manager(gw)._save_record(stale)
        history = (await gw.client.get(f"/api/matrix-bridge/{BOT}/updates")).json()
    assert done["state"] == "done"
    assert [(u["id"], u["state"]) for u in history["updates"][:1]] == [(done["id"], "done")]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has ended; only its parent has not reaped it yet.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


async def test_the_update_event_stream_carries_phases_output_and_the_outcome(
    tmp_path: Path, cluster: SimCluster
) -> None:
    push_upstream_commit(cluster, NODE, BOT_USER, "Stream me")
    set_build_failure(cluster, NODE, "hang")  # holds the update open while we connect
    async with open_gateway(
        tmp_path, cluster, bot_config(cluster) | {"update_time_cap_s": 3.0}
    ) as gw:
        started = await gw.client.post(f"/api/matrix-bridge/{BOT}/update")
        assert started.status_code == 202
        types: list[str] = []
        async with gw.client.stream("GET", f"/api/matrix-bridge/{BOT}/update/events") as sse:
            async with asyncio.timeout(20):
                async for line in sse.aiter_lines():
                    if line.startswith("event: "):
                        types.append(line.removeprefix("event: "))
    assert "matrix_bridge.update_output" in types
    assert "matrix_bridge.update_phase" in types
    assert types[-1] == "matrix_bridge.update_failed"


async def test_a_connection_dropped_mid_update_ends_it_failed(
    tmp_path: Path, cluster: SimCluster
) -> None:
    set_build_failure(cluster, NODE, "hang")
    pid_file = cluster.nodes[NODE].sandbox / "matrix-bridge-sim" / "build.pid"
    pid_file.unlink(missing_ok=True)
    async with open_gateway(tmp_path, cluster) as gw:
        started = await gw.client.post(f"/api/matrix-bridge/{BOT}/update")
        assert started.status_code == 202
        async with asyncio.timeout(20):
            while (await gw.client.get(f"/api/matrix-bridge/{BOT}/update")).json()[
                "phase"
            ] != "building" or hung_build_pid(cluster, NODE) is None:
                await asyncio.sleep(0.05)
        cluster.drop_ssh(NODE)
        result = await finished(gw)
    assert result["state"] == "failed"
    assert result["failed_phase"] == "building"
    assert result["reason"] == f"the SSH connection to {NODE} was lost while building"
    assert "pip install" in result["excerpt"]


async def test_each_phase_and_the_end_are_on_record_before_they_are_announced(
    tmp_path: Path, cluster: SimCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A follower re-reads the store when the leader's event reaches it; an event sent
    # before its record was written left a follower showing a finished update running.
    push_upstream_commit(cluster, NODE, BOT_USER, "On record first")
    async with open_gateway(tmp_path, cluster) as gw:
        mgr = manager(gw)
        saved: dict[str, Any] = {}
        save_record, publish = mgr._save_record, gw.host.events.publish

        async def save_and_note(record: dict[str, Any]) -> None:
            await save_record(record)
            saved.update(record)

        announced: list[tuple[str, str | None, str | None]] = []

        def note_and_publish(type_: str, data: dict[str, Any], **kw: Any) -> Any:
            if type_ in ("matrix_bridge.update_phase", "matrix_bridge.update_done"):
                said = data.get("phase", "done")
                announced.append((said, saved.get("phase"), saved.get("state")))
            return publish(type_, data, **kw)

        monkeypatch.setattr(mgr, "_save_record", save_and_note)
        monkeypatch.setattr(gw.host.events, "publish", note_and_publish)
        result = await update(gw)
    assert result["state"] == "done", result
    assert [said for said, _, _ in announced] == ["fetching", "building", "restarting", "done"]
    assert all(said == on_record for said, on_record, _ in announced), announced
    assert announced[-1][2] == "done", announced
