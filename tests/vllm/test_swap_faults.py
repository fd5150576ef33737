"""Every way a swap can go wrong ends in its documented state (the table in
``spark_control_vllm.swap``): against the simulated cluster, real SSH and HTTP, with
deadlines made tight through the plugin's settings."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway
from spark_control_vllm.sim import (
    control_dir,
    set_launcher_cleanup_delay,
    set_vllm_failure,
    set_vllm_load_time,
)
from spark_control_vllm.swap import SwapRefused, remote, stopping
from tests.vllm.conftest import (
    FIRST,
    SECOND,
    SERVED,
    completion,
    manager,
    open_gateway,
    reset_switches,
    settled,
    sim_cluster,
    swap,
    swap_detail,
    swap_status_when,
)

#: Tight enough to keep each test to seconds; rollbacks in the simulator take ~1 s.
FAST: dict[str, Any] = {
    "load_deadline_s": 3,
    "download_deadline_s": 3,
    "stop_timeout_s": 1,
    "crash_loop_failures": 10,
}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("swap-faults"), "127.0.0.110") as sim:
        yield sim


@pytest.fixture(autouse=True)
def _clean_switches(cluster: SimCluster) -> Iterator[None]:
    reset_switches(cluster)
    yield
    reset_switches(cluster)
    cluster.set_memory("spark-1", 128.0, 6.0)
    cluster.set_node_down("spark-1", False)


@contextlib.asynccontextmanager
async def gateway(
    tmp_path: Path, cluster: SimCluster, *, stop_on_exit: bool = True, **settings: Any
) -> AsyncIterator[RunningGateway]:
    """A gateway with FAST settings (``settings`` override them); on leaving, vLLM is
    stopped so the next test starts from an idle node (unless ``stop_on_exit`` is off,
    which is how a gateway that dies mid-swap is played)."""
    async with open_gateway(tmp_path, cluster, **{**FAST, **settings}) as gw:
        try:
            yield gw
        finally:
            if stop_on_exit:
                with contextlib.suppress(Exception):
                    await settled(gw, 30)
                    await gw.client.post("/api/vllm/stop")


async def started(gw: RunningGateway, model: str) -> str:
    response = await swap(gw, model)
    assert response.status_code == 202, response.text
    swap_id: str = response.json()["id"]
    return swap_id


async def ready_on(gw: RunningGateway, model: str) -> None:
    """Swap to ``model`` and insist it worked (a test's healthy starting point)."""
    swap_id = await started(gw, model)
    status = await settled(gw)
    detail = await swap_detail(gw, swap_id)
    assert (status["state"], status["model"]) == ("ready", model), (
        detail["reason"],
        detail["log_excerpt"],
    )


async def phase_reached(gw: RunningGateway, phase: str, timeout: float = 20) -> dict[str, Any]:
    """The running swap once it is in ``phase`` (``timeout``: the longest it may stand
    still on the way, see ``swap_status_when``)."""

    def there(status: dict[str, Any]) -> bool:
        return bool(status["swap"]) and status["swap"]["phase"] == phase

    result: dict[str, Any] = (await swap_status_when(gw, there, timeout))["swap"]
    return result


async def answering(address: str, served: str, timeout: float = 20) -> None:
    """Wait until vLLM on ``address`` lists ``served`` (read directly, no gateway)."""
    url = f"http://{address}:8888/v1/models"
    async with asyncio.timeout(timeout), httpx.AsyncClient(trust_env=False, timeout=2) as client:
        while True:
            with contextlib.suppress(httpx.HTTPError, ValueError):
                data = (await client.get(url)).json()
                if served in {m["id"] for m in data["data"]}:
                    return
            await asyncio.sleep(0.1)


def vllm_processes(cluster: SimCluster, source: str) -> list[int]:
    """Pids of this cluster's ``vllm serve <source>`` processes still alive."""
    marker = f"SPARK_SIM_SOCKET={cluster.socket_path}\0".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker in environ and b"serve" in argv and source.encode() in argv:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def forget_download(cluster: SimCluster, served: str) -> None:
    """Remove the model from the head node's Hugging Face cache: the next load downloads."""
    hub = cluster.nodes["spark-1"].home() / ".cache" / "huggingface" / "hub"
    shutil.rmtree(hub / ("models--" + served.replace("/", "--")), ignore_errors=True)


def events(gw: RunningGateway, type_: str, swap_id: str | None = None) -> list[dict[str, Any]]:
    return [
        e.data
        for e in gw.host.events.buffered()
        if e.type == type_ and (swap_id is None or e.data.get("swap_id") == swap_id)
    ]


async def history(gw: RunningGateway) -> list[dict[str, Any]]:
    swaps: list[dict[str, Any]] = (await gw.client.get("/api/swap/history")).json()["swaps"]
    return swaps


# --- vLLM fails to start -----------------------------------------------------------------


async def test_vllm_exiting_during_the_load_fails_with_its_traceback_and_rolls_back(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with gateway(tmp_path, cluster) as gw:
        await ready_on(gw, FIRST)
        set_vllm_failure(cluster, "spark-1", "exit", times=1)
        failing = await started(gw, SECOND)
        status = await settled(gw)

        failed = await swap_detail(gw, failing)
        assert failed["state"] == "failed"
        assert failed["reason"] == "vLLM failed while starting"
        assert "Traceback (most recent call last)" in failed["log_excerpt"]
        assert "Engine core initialization failed" in failed["log_excerpt"]
        assert (status["state"], status["model"]) == ("ready", FIRST), "rolled back"
        assert await completion(gw, SERVED[FIRST]) == 200
        rolled = events(gw, "vllm.swap_rolled_back")
        assert [r["failed_swap_id"] for r in rolled] == [failing]


async def test_a_hung_load_fails_at_the_load_deadline_stops_the_launch_and_rolls_back(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with gateway(tmp_path, cluster) as gw:
        await ready_on(gw, FIRST)
        set_vllm_failure(cluster, "spark-1", "hang", times=1)
        failing = await started(gw, SECOND)
        await phase_reached(gw, "loading")
        hung = cluster.container("spark-1", "vllm_node")
        assert hung is not None and vllm_processes(cluster, SERVED[SECOND])
        status = await settled(gw)

        failed = await swap_detail(gw, failing)
        assert failed["state"] == "failed"
        deadline = FAST["load_deadline_s"]
        assert failed["reason"] == f"the load did not finish within {deadline:g} s"
        assert "Loading safetensors checkpoint shards" in failed["log_excerpt"]
        assert not alive(failed["launcher_pid"]), "the hung launcher was stopped"
        assert vllm_processes(cluster, SERVED[SECOND]) == [], "the hung vLLM is gone"
        now = cluster.container("spark-1", "vllm_node")
        assert now is not None and now["Id"] != hung["Id"], "the rollback has a new container"
        assert (status["state"], status["model"]) == ("ready", FIRST)
        assert await completion(gw, SERVED[FIRST]) == 200


async def test_a_late_exit_trap_of_the_old_launcher_cannot_stop_the_next_launch(
    tmp_path: Path, cluster: SimCluster
) -> None:
    # The launcher's EXIT trap runs ``docker stop <container>`` once its ``docker exec``
    # ends, which on a loaded node can be after the swap has started the next container
    # of that name (and ``--rm`` then removes it). The swap waits for the old launcher.
    async with gateway(tmp_path, cluster) as gw:
        await ready_on(gw, FIRST)
        old = (await history(gw))[0]["launcher_pid"]
        set_launcher_cleanup_delay(cluster, "spark-1", 1.5)
        swap_id = await started(gw, SECOND)
        status = await settled(gw)

        detail = await swap_detail(gw, swap_id)
        assert (status["state"], status["model"]) == ("ready", SECOND), (
            detail["reason"],
            detail["log_excerpt"],
        )
        launched_while_old_ran = alive(old)
        await asyncio.sleep(2)  # past the delay: any late trap would have run by now
        assert cluster.container("spark-1", "vllm_node") is not None, "the trap stopped it"
        assert not launched_while_old_ran, "the old launcher had exited before the launch"
        assert await completion(gw, SERVED[SECOND]) == 200


async def test_an_old_launcher_that_does_not_exit_is_killed_with_its_trap_before_the_launch(
    tmp_path: Path, cluster: SimCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stopping, "LAUNCHER_EXIT_S", 0.5)
    async with gateway(tmp_path, cluster) as gw:
        await ready_on(gw, FIRST)
        old = (await history(gw))[0]["launcher_pid"]
        set_launcher_cleanup_delay(cluster, "spark-1", 8)  # far past LAUNCHER_EXIT_S
        swap_id = await started(gw, SECOND)
        status = await settled(gw)

        detail = await swap_detail(gw, swap_id)
        assert (status["state"], status["model"]) == ("ready", SECOND), detail["reason"]
        assert not alive(old), "killed, group and all"
        await asyncio.sleep(max(0, 8.5 - (detail["finished_at"] - detail["started_at"])))
        # Past the time its trap would have stopped the new container.
        assert cluster.container("spark-1", "vllm_node") is not None
        assert await completion(gw, SERVED[SECOND]) == 200


# --- download and load deadlines are separate --------------------------------------------


async def test_a_download_past_its_deadline_fails_the_swap_and_rolls_back(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with gateway(tmp_path, cluster, download_deadline_s=1, load_deadline_s=30) as gw:
        await ready_on(gw, FIRST)
        forget_download(cluster, SERVED[SECOND])
        # The simulator's download of gpt-oss-20b takes about a quarter of the load time.
        set_vllm_load_time(cluster, "spark-1", 12)
        failing = await started(gw, SECOND)
        await phase_reached(gw, "downloading")
        set_vllm_load_time(cluster, "spark-1", None)  # the rollback loads at once
        status = await settled(gw)

        failed = await swap_detail(gw, failing)
        assert failed["state"] == "failed"
        assert failed["reason"] == "the download did not finish within 1 s"
        assert "Fetching" in failed["log_excerpt"]
        assert (status["state"], status["model"]) == ("ready", FIRST)
        assert await completion(gw, SERVED[FIRST]) == 200


async def test_a_load_longer_than_the_download_deadline_is_not_held_to_it(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with gateway(tmp_path, cluster, download_deadline_s=2, load_deadline_s=10) as gw:
        forget_download(cluster, SERVED[SECOND])
        set_vllm_load_time(cluster, "spark-1", 4)  # download ~1 s, load ~4 s
        swap_id = await started(gw, SECOND)
        status = await settled(gw)

        detail = await swap_detail(gw, swap_id)
        assert (status["state"], status["model"]) == ("ready", SECOND), detail["reason"]
        phases = [e["phase"] for e in events(gw, "vllm.swap_phase", swap_id)]
        assert "loading" in phases[phases.index("downloading") :], phases
        took = detail["finished_at"] - detail["started_at"]
        assert took > 2 + 1, "the whole swap outlasted the download deadline"


# --- the connection or the node goes away -----------------------------------------------


async def test_a_dropped_ssh_connection_mid_load_reconnects_and_the_swap_completes(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with gateway(tmp_path, cluster, load_deadline_s=15) as gw:
        await ready_on(gw, FIRST)
        set_vllm_load_time(cluster, "spark-1", 3)
        swap_id = await started(gw, SECOND)
        await phase_reached(gw, "loading")
        opened = gw.host.ssh.connections_opened
        cluster.drop_ssh("spark-1")
        status = await settled(gw)

        detail = await swap_detail(gw, swap_id)
        assert detail["state"] == "complete", (detail["reason"], detail["log_excerpt"])
        assert (status["state"], status["model"]) == ("ready", SECOND)
        assert gw.host.ssh.connections_opened > opened, "the executor reconnected"
        lines = [e["line"] for e in events(gw, "vllm.swap_log", swap_id)]
        # The follow resumed where it stopped: the rest of the log, nothing twice.
        assert sum("Application startup complete" in line for line in lines) == 1
        assert sum("Starting to load model" in line for line in lines) == 1
        assert await completion(gw, SERVED[SECOND]) == 200


async def test_the_head_node_going_down_mid_swap_marks_vllm_down_without_a_rollback(
    tmp_path: Path, cluster: SimCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(remote, "RECONNECT_GRACE_S", 1.5)
    async with gateway(tmp_path, cluster, load_deadline_s=15) as gw:
        await ready_on(gw, FIRST)
        set_vllm_load_time(cluster, "spark-1", 5)
        failing = await started(gw, SECOND)
        await phase_reached(gw, "loading")
        cluster.set_node_down("spark-1", True)
        try:
            status = await settled(gw)
            failed = await swap_detail(gw, failing)
            assert failed["state"] == "failed"
            assert failed["reason"].startswith("lost the head node: "), failed["reason"]
            assert status["state"] == "down" and status["model"] is None
            assert "lost the head node" in status["reason"]
            newest = await history(gw)
            assert newest[0]["id"] == failing, "no rollback was attempted"
            assert events(gw, "vllm.swap_started", None)[-1]["swap_id"] == failing
        finally:
            cluster.set_node_down("spark-1", False)

        set_vllm_load_time(cluster, "spark-1", None)
        await ready_on(gw, FIRST)
        assert await completion(gw, SERVED[FIRST]) == 200
        assert (await gw.client.get("/api/swap")).json()["reason"] is None


# --- failures that pile up ---------------------------------------------------------------


async def test_a_failed_rollback_marks_vllm_down_and_nothing_loops(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with gateway(tmp_path, cluster) as gw:
        await ready_on(gw, FIRST)
        set_vllm_failure(cluster, "spark-1", "exit", times=2)
        failing = await started(gw, SECOND)
        status = await settled(gw)
        await asyncio.sleep(1)  # long enough for a third start to show, were there one

        swaps = await history(gw)
        assert [(s["model"], s["state"]) for s in swaps] == [
            (FIRST, "failed"),
            (SECOND, "failed"),
            (FIRST, "complete"),
        ]
        assert swaps[0]["rollback_of"] == failing
        assert swaps[0]["reason"] == "vLLM failed while starting"
        assert status["state"] == "down" and status["model"] is None
        assert status["reason"] == (
            f"vLLM is down: the rollback to {FIRST} failed too (vLLM failed while starting)"
        )
        assert (await gw.client.get("/api/swap")).json()["state"] == "down"
        assert not (control_dir(cluster.nodes["spark-1"].sandbox) / "failure.json").exists()
        assert events(gw, "vllm.swap_rolled_back") == []


async def test_the_crash_loop_guard_blocks_automatic_starts_until_cleared(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with gateway(tmp_path, cluster, crash_loop_failures=2) as gw:
        await ready_on(gw, FIRST)
        set_vllm_failure(cluster, "spark-1", "exit", times=1)
        await started(gw, SECOND)
        first_failure = await settled(gw)
        assert (first_failure["model"], first_failure["crash_loop_guard"]) == (FIRST, False)

        set_vllm_failure(cluster, "spark-1", "exit", times=1)
        await started(gw, SECOND)
        tripped = await settled(gw)
        assert tripped["crash_loop_guard"] is True
        assert tripped["state"] == "down" and tripped["model"] is None, "no rollback"
        assert "crash-loop guard" in tripped["reason"]
        assert (await history(gw))[0]["model"] == SECOND, "the rollback was not started"

        # Automatic starts (rollbacks, schedules) are refused; a person may still swap.
        with pytest.raises(SwapRefused) as refused:
            await manager(gw).start(FIRST, actor="scheduler", automatic=True)
        assert refused.value.status == 423
        await ready_on(gw, FIRST)
        assert (await gw.client.get("/api/swap")).json()["crash_loop_guard"] is True

        set_vllm_failure(cluster, "spark-1", "exit", times=1)
        await started(gw, SECOND)
        assert (await settled(gw))["state"] == "down", "still no rollback while tripped"

        cleared = await gw.client.post("/api/vllm/crash-loop-guard/clear")
        assert cleared.status_code == 200 and cleared.json()["crash_loop_guard"] is False
        set_vllm_failure(cluster, "spark-1", "exit", times=1)
        failing = await started(gw, SECOND)
        status = await settled(gw)
        assert (status["state"], status["model"]) == ("ready", FIRST), "rollbacks again"
        assert (await swap_detail(gw, failing))["state"] == "failed"


# --- the gateway restarts mid-swap -------------------------------------------------------


async def test_a_gateway_restart_after_the_load_finished_adopts_the_loaded_model(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with gateway(tmp_path, cluster, stop_on_exit=False, load_deadline_s=15) as gw:
        await ready_on(gw, FIRST)
        set_vllm_load_time(cluster, "spark-1", 1.5)
        interrupted = await started(gw, SECOND)
        await phase_reached(gw, "loading")
    # The gateway is gone; the detached launch carries on without it.
    await answering(cluster.nodes["spark-1"].address, SERVED[SECOND])

    async with gateway(tmp_path, cluster) as gw:
        failed = await swap_detail(gw, interrupted)
        assert failed["state"] == "failed"
        assert failed["reason"] == "the gateway restarted during this swap"
        status = (await gw.client.get("/api/swap")).json()
        assert (status["state"], status["model"]) == ("ready", SECOND)
        assert await completion(gw, SERVED[SECOND]) == 200


async def test_a_gateway_restart_during_the_load_follows_the_launch_to_the_end(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with gateway(tmp_path, cluster, stop_on_exit=False, load_deadline_s=15) as gw:
        await ready_on(gw, FIRST)
        # Long enough to outlast the restart: the new gateway's look at vLLM waits up to
        # 3 s on a port that accepts but does not answer yet.
        set_vllm_load_time(cluster, "spark-1", 7)
        interrupted = await started(gw, SECOND)
        await phase_reached(gw, "loading")

    async with gateway(tmp_path, cluster, load_deadline_s=15) as gw:
        failed = await swap_detail(gw, interrupted)
        assert failed["state"] == "failed"
        assert failed["reason"] == "the gateway restarted during this swap"
        launcher = failed["launcher_pid"]
        status = (await gw.client.get("/api/swap")).json()
        assert status["state"] == "swapping", status
        resumed = status["swap"]
        assert resumed["model"] == SECOND and resumed["resumed_from"] == interrupted
        assert resumed["launcher_pid"] == launcher, "the same launch, not a new one"

        status = await settled(gw)
        assert (status["state"], status["model"]) == ("ready", SECOND)
        assert (await swap_detail(gw, resumed["id"]))["state"] == "complete"
        assert await completion(gw, SERVED[SECOND]) == 200


# --- pre-flight -------------------------------------------------------------------------


async def test_the_preflight_refuses_a_model_the_available_memory_cannot_hold(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with gateway(tmp_path, cluster) as gw:
        await ready_on(gw, FIRST)
        # 128 GiB in all, 90 held by other things: 38 free once vLLM stops. gpt-oss-20b
        # declares 40 GiB (2 short); llama-3.1-8b 34 (it fits, so the rollback works).
        cluster.set_memory("spark-1", 128.0, 90.0)
        failing = await started(gw, SECOND)
        status = await settled(gw)

        failed = await swap_detail(gw, failing)
        assert failed["state"] == "failed"
        assert failed["reason"] == (
            "spark-1 has 38.0 GiB of memory available, 2.0 GiB short of the 40 GiB "
            "gpt-oss-20b needs"
        )
        assert failed["launcher_pid"] is None, "nothing was launched"
        assert (status["state"], status["model"]) == ("ready", FIRST), status["reason"]
        assert await completion(gw, SERVED[FIRST]) == 200


# --- a stop that does not stop ------------------------------------------------------------

#: What dockerd answers when AppArmor denies it the signal (a known snap/containerd fault).
STOP_DENIED = "cannot stop container: vllm_node: permission denied"


@contextlib.contextmanager
def docker_refusing_stop(cluster: SimCluster, node: str = "spark-1") -> Iterator[None]:
    """The node's ``docker`` refuses ``stop`` (for the launcher's stop too) as dockerd
    does when AppArmor denies it the signal; every other command goes through."""
    bin_dir = cluster.nodes[node].bin_dir
    real = bin_dir / "real"
    real.mkdir(exist_ok=True)
    shutil.move(bin_dir / "docker", real / "docker")
    wrapper = bin_dir / "docker"
    wrapper.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = stop ]; then\n'
        f'  echo "Error response from daemon: {STOP_DENIED}" >&2\n'
        "  exit 1\n"
        "fi\n"
        f'exec "{real / "docker"}" "$@"\n'
    )
    wrapper.chmod(0o755)
    try:
        yield
    finally:
        wrapper.unlink()
        shutil.move(real / "docker", bin_dir / "docker")


def container_id(cluster: SimCluster) -> str | None:
    """The id of the head node's vLLM container (None: there is none)."""
    found = cluster.container("spark-1", "vllm_node")
    return None if found is None else str(found["Id"])


async def test_a_stop_that_leaves_the_container_running_is_a_clear_error(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with gateway(tmp_path, cluster) as gw:
        await ready_on(gw, FIRST)
        running = container_id(cluster)
        with docker_refusing_stop(cluster):
            response = await gw.client.post("/api/vllm/stop")
            status = (await gw.client.get("/api/swap")).json()

        assert response.status_code == 502, response.text
        error = response.json()["error"]
        assert error["type"] == "stop_failed"
        assert error["message"] == (
            "vLLM's container 'vllm_node' on spark-1 is still running after the stop "
            f"(docker stop: Error response from daemon: {STOP_DENIED})"
        )
        assert error["detail"] == {"node": "spark-1", "container": "vllm_node", "state": "running"}
        # Nothing claims a stop that did not happen: the model still serves, and says so.
        assert running is not None and container_id(cluster) == running
        assert (status["state"], status["model"]) == ("ready", FIRST)
        assert await completion(gw, SERVED[FIRST]) == 200

        stopped = await gw.client.post("/api/vllm/stop")  # docker obeys again
        assert stopped.status_code == 200, stopped.text
        assert stopped.json()["state"] == "stopped"
        gone = cluster.container("spark-1", "vllm_node")
        assert gone is None or gone["State"]["Status"] != "running"


async def test_a_swap_whose_stop_fails_launches_nothing_and_names_the_refusal(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with gateway(tmp_path, cluster) as gw:
        await ready_on(gw, FIRST)
        running = container_id(cluster)
        with docker_refusing_stop(cluster):
            failing = await started(gw, SECOND)
            await settled(gw)
            # The rollback's stop is refused too; then the state follows what answers.
            async with asyncio.timeout(20):
                while (status := await settled(gw))["state"] != "ready":
                    await asyncio.sleep(0.1)
        failed = await swap_detail(gw, failing)

        assert failed["state"] == "failed"
        assert failed["reason"].startswith(
            "vLLM's container 'vllm_node' on spark-1 is still running after the stop"
        ), failed["reason"]
        assert STOP_DENIED in failed["reason"]
        assert failed["launcher_pid"] is None, "nothing was launched"
        rollback = (await history(gw))[0]
        assert (rollback["rollback_of"], rollback["state"]) == (failing, "failed")
        assert running is not None and container_id(cluster) == running, "left alone"
        assert status["model"] == FIRST
        assert await completion(gw, SERVED[FIRST]) == 200
