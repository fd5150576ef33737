"""The swap record follows the world (issue 16): a fresh node takes its first swap with
a Hugging Face token, vLLM's state is re-read after the head node comes back or vLLM
dies outside a swap, a swap cut short by a gateway crash ends for listeners, and a
failure's reason survives whole. Against the simulated cluster, real SSH and HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import stat
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway
from spark_control_vllm import swap as swap_module
from spark_control_vllm.sim import set_vllm_load_time
from spark_control_vllm.swap import remote
from tests.vllm.conftest import (
    FIRST,
    SECOND,
    SERVED,
    completion,
    open_gateway,
    reset_switches,
    settled,
    sim_cluster,
    swap,
    swap_detail,
)

FAST: dict[str, Any] = {"load_deadline_s": 15, "download_deadline_s": 15, "stop_timeout_s": 1}
TOKEN = "hf_AliceExampleToken123"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("swap-state"), "127.0.9.10") as sim:
        yield sim


@pytest.fixture(autouse=True)
def _clean_switches(cluster: SimCluster) -> Iterator[None]:
    reset_switches(cluster)
    yield
    reset_switches(cluster)
    cluster.clear_failures()
    cluster.set_node_down("spark-1", False)


@contextlib.asynccontextmanager
async def gateway(
    tmp_path: Path, cluster: SimCluster, **settings: Any
) -> AsyncIterator[RunningGateway]:
    async with open_gateway(tmp_path, cluster, **{**FAST, **settings}) as gw:
        try:
            yield gw
        finally:
            with contextlib.suppress(Exception):
                await settled(gw, 30)
                await gw.client.post("/api/vllm/stop")


async def ready_on(gw: RunningGateway, model: str) -> str:
    response = await swap(gw, model)
    assert response.status_code == 202, response.text
    swap_id: str = response.json()["id"]
    status = await settled(gw)
    detail = await swap_detail(gw, swap_id)
    assert (status["state"], status["model"]) == ("ready", model), (
        detail["reason"],
        detail["log_excerpt"],
    )
    return swap_id


# --- item 3: a fresh node --------------------------------------------------------------


async def test_the_first_swap_with_a_token_works_on_a_node_that_never_saw_spark_control(
    tmp_path: Path, cluster: SimCluster
) -> None:
    home = cluster.nodes["spark-1"].home()
    shutil.rmtree(home / ".cache" / "spark-control", ignore_errors=True)
    async with gateway(tmp_path, cluster, hf_token=TOKEN) as gw:
        await ready_on(gw, FIRST)
        assert await completion(gw, SERVED[FIRST]) == 200
    token_file = home / ".cache" / "spark-control" / "hf_token.env"
    assert token_file.read_text() == f"HF_TOKEN={TOKEN}\n"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(token_file.parent.stat().st_mode) == 0o700


async def test_a_token_file_that_cannot_be_written_fails_the_swap_saying_so(
    tmp_path: Path, cluster: SimCluster
) -> None:
    # A file where the token's folder should be: mkdir and the write both fail.
    home = cluster.nodes["spark-1"].home()
    blocker = home / "not-a-folder"
    blocker.write_text("in the way\n")
    try:
        async with gateway(
            tmp_path, cluster, hf_token=TOKEN, hf_token_file="~/not-a-folder/hf_token.env"
        ) as gw:
            response = await swap(gw, FIRST)
            assert response.status_code == 202, response.text
            await settled(gw)
            failed = await swap_detail(gw, response.json()["id"])
        assert failed["state"] == "failed"
        assert failed["reason"].startswith(
            "could not write the Hugging Face token file ~/not-a-folder/hf_token.env on spark-1: "
        ), failed["reason"]
    finally:
        blocker.unlink()


# --- item 2: the state follows the world -------------------------------------------------


async def status_until(gw: RunningGateway, wanted: str, timeout: float = 20) -> dict[str, Any]:
    """``GET /api/swap`` once its state is ``wanted``."""
    async with asyncio.timeout(timeout):
        while True:
            status: dict[str, Any] = (await gw.client.get("/api/swap")).json()
            if status["state"] == wanted:
                return status
            await asyncio.sleep(0.1)


async def proxied(gw: RunningGateway, model: str) -> Any:
    return await gw.client.post(
        "/v1/chat/completions",
        json={"model": model, "max_tokens": 1, "messages": [{"role": "user", "content": "hi"}]},
    )


async def test_down_after_a_lost_head_node_ends_when_the_launch_it_left_serves(
    tmp_path: Path, cluster: SimCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(remote, "RECONNECT_GRACE_S", 1.0)
    async with gateway(tmp_path, cluster) as gw:
        await ready_on(gw, FIRST)
        set_vllm_load_time(cluster, "spark-1", 4)
        response = await swap(gw, SECOND)
        async with asyncio.timeout(20):
            while (await gw.client.get("/api/swap")).json()["swap"]["phase"] != "loading":
                await asyncio.sleep(0.05)
        cluster.set_node_down("spark-1", True)
        try:
            down = await settled(gw)
            assert down["state"] == "down" and "lost the head node" in down["reason"]
            assert (await swap_detail(gw, response.json()["id"]))["state"] == "failed"
        finally:
            cluster.set_node_down("spark-1", False)
        # The detached launch carried on: once vLLM serves the new model, so does the
        # gateway, without a restart.
        ready = await status_until(gw, "ready")
        assert (ready["model"], ready["reason"]) == (SECOND, None)
        answer = await proxied(gw, SECOND)
        assert answer.status_code == 200, answer.text
        changes = [e.data for e in gw.host.events.buffered() if e.type == "vllm.state_changed"]
        assert changes[-1]["state"] == "ready" and changes[-1]["model"] == SECOND


async def test_vllm_dying_outside_a_swap_is_down_not_ready(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with gateway(tmp_path, cluster) as gw:
        await ready_on(gw, FIRST)
        # The head node drops off the network and its vLLM dies with it.
        cluster.set_node_down("spark-1", True)
        assert cluster.fail("vllm_node", "exit") == 1
        down = await status_until(gw, "down")
        assert down["model"] is None
        # Whichever is published first says so: vLLM's own probe, or its node's (then
        # the model is withdrawn without asking the node anything).
        assert down["reason"] == f"vLLM is down: {FIRST} stopped answering outside a swap" or (
            down["reason"].startswith("vLLM is down: its head node spark-1 is down (")
            and "unreachable over SSH" in down["reason"]
        ), down["reason"]
        answer = await proxied(gw, FIRST)
        error = answer.json()["error"]
        if error["type"] == "node_down":  # its head node is published down by now
            assert answer.status_code == 503, answer.text
            assert "the head node spark-1 is down (" in error["message"], error
            assert answer.headers["Retry-After"] == "15"
        else:
            assert answer.status_code in (404, 503), answer.text
            assert "stopped answering" in error["message"] or answer.status_code == 404
        cluster.clear_failures()
        cluster.set_node_down("spark-1", False)
        await ready_on(gw, FIRST)


# --- item 6: an OOM kill is out of memory --------------------------------------------------


async def test_a_container_the_kernel_oom_killed_fails_the_swap_as_out_of_memory(
    tmp_path: Path, cluster: SimCluster
) -> None:
    """The OOM killer leaves no line in vLLM's log and the launcher's --rm removes the
    container: Docker's record of it (OOMKilled, its oom event) still says why."""
    async with gateway(tmp_path, cluster) as gw:
        set_vllm_load_time(cluster, "spark-1", 4)
        response = await swap(gw, FIRST)
        assert response.status_code == 202, response.text
        async with asyncio.timeout(20):
            while (await gw.client.get("/api/swap")).json()["swap"]["phase"] != "loading":
                await asyncio.sleep(0.05)
        assert cluster.fail("vllm_node", "oom") == 1
        status = await settled(gw)
        failed = await swap_detail(gw, response.json()["id"])
        assert failed["state"] == "failed"
        assert failed["reason"] == swap_module.OOM_KILLED
        assert status["state"] == "down" and swap_module.OOM_KILLED in status["reason"]


async def test_vllm_oom_killed_outside_a_swap_is_down_saying_so(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with gateway(tmp_path, cluster) as gw:
        await ready_on(gw, FIRST)
        assert cluster.fail("vllm_node", "oom") == 1
        down = await status_until(gw, "down")
        assert down["reason"] == (
            f"vLLM is down: {FIRST} ran out of memory outside a swap: the kernel's OOM "
            "killer ended its container (Docker reports OOMKilled)"
        )
