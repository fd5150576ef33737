"""A head node that dies outside a swap has its model withdrawn (issue 23): once the
node is published down, vLLM is down naming the node, and a request for its model is
answered by the gateway at once (503, nothing can be started there) instead of being
sent to a node that holds it. Against the simulated cluster, real SSH and HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway
from tests.vllm.conftest import (
    FIRST,
    SERVED,
    open_gateway,
    reset_switches,
    settled,
    sim_cluster,
    swap,
)
from tests.vllm.test_swap_faults import vllm_processes

FAST: dict[str, Any] = {"load_deadline_s": 15, "download_deadline_s": 15, "stop_timeout_s": 1}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("dead-node"), "127.0.9.50") as sim:
        yield sim


@contextlib.contextmanager
def node_dead(cluster: SimCluster) -> Iterator[None]:
    """The head node off the network and its vLLM frozen: connections to vLLM are
    still accepted (by the kernel) but nothing answers, as with a hung node."""
    frozen = vllm_processes(cluster, SERVED[FIRST])
    assert frozen, "vLLM runs"
    cluster.set_node_down("spark-1", True)
    for pid in frozen:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in frozen:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        cluster.set_node_down("spark-1", False)


async def until(gw: RunningGateway, path: str, check: Any, limit_s: float = 30) -> Any:
    async with asyncio.timeout(limit_s):
        while not check(body := (await gw.client.get(path)).json()):
            await asyncio.sleep(0.05)
    return body


# With on-demand swaps the start is refused by the pre-flight; without them (the
# default) the proxy's not-loaded path says the same instead of its 404.
@pytest.mark.parametrize("on_demand", [True, False], ids=["on-demand", "default"])
async def test_a_dead_head_nodes_model_is_withdrawn_and_requests_get_a_prompt_503(
    tmp_path: Path, cluster: SimCluster, on_demand: bool
) -> None:
    reset_switches(cluster)
    proxy = {"on_demand_swap": on_demand}
    async with open_gateway(tmp_path, cluster, proxy=proxy, **FAST) as gw:
        response = await swap(gw, FIRST)
        assert response.status_code == 202, response.text
        ready = await settled(gw)
        assert (ready["state"], ready["model"]) == ("ready", FIRST)

        with node_dead(cluster):
            await until(gw, "/api/health", lambda h: h["probes"]["node:spark-1"]["state"] == "down")
            down = await until(gw, "/api/swap", lambda s: s["state"] == "down")
            assert down["model"] is None
            assert down["reason"].startswith("vLLM is down: its head node spark-1 is down ("), down

            # The proxy's own read timeout is minutes: an answer within the client's 20 s
            # can only be the gateway's, not the frozen node's.
            async with asyncio.timeout(20):
                answer = await gw.client.post(
                    "/v1/chat/completions",
                    json={
                        "model": FIRST,
                        "max_tokens": 1,
                        "messages": [{"role": "user", "content": "hi"}],
                    },
                )
            assert answer.status_code == 503, answer.text
            error = answer.json()["error"]
            assert error["type"] == "node_down", error
            assert "the head node spark-1 is down (" in error["message"], error
            assert answer.headers["Retry-After"] == "15"
            if not on_demand:
                assert error["message"].startswith(f"The model `{FIRST}` is not loaded: "), error

        # Back on the network: the model that still runs there is taken up again.
        back = await until(gw, "/api/swap", lambda s: s["state"] == "ready", 60)
        assert (back["model"], back["reason"]) == (FIRST, None)
        async with httpx.AsyncClient(trust_env=False, timeout=20) as client:
            node = gw.host.topology.node("spark-1")
            served = await client.get(f"http://{node.address}:8888/v1/models")
        assert served.status_code == 200
        await gw.client.post("/api/vllm/stop")
