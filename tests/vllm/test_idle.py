"""Idle unload and sleep (issue 25) on the simulated cluster: a model nobody used for
``ttl_s`` is unloaded through the normal stop (not while a request is in flight,
not while the swap lock is held); with ``sleep_mode`` it sleeps instead, the vLLM
stand-in frees its KV cache (level 1 keeps the weights in the node's memory, level 2
frees them), and the next request wakes it and is answered."""

from __future__ import annotations

import asyncio
import json
import math
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway, make_config, running_gateway
from spark_control_vllm.sim import GPU_TOTAL_GIB
from spark_control_vllm.sim.server import claimed_gib
from tests.coordination.conftest import acquire
from tests.vllm.conftest import (
    FIRST,
    SECOND,
    SERVED,
    manager,
    open_gateway,
    reset_switches,
    settled,
    sim_cluster,
    swap,
)
from tests.vllm.test_swap_dry_run import steady_used_mib

HEAD = "spark-1"
CODER = "nemotron-nano-9b-v2"
TOKEN = "X-Swap-Lock-Token"
#: FIRST runs with --gpu-memory-utilization 0.25 (the catalog); the stand-in reads its
#: weights as 8 B parameters x 2 bytes = 16 GiB (and its catalog disk_gb is 16).
FIRST_SHARE_MIB = round(0.25 * GPU_TOTAL_GIB * 1024)
FIRST_WEIGHTS_MIB = 16 * 1024


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("idle-sim"), "127.0.11.40") as sim:
        for name in sim.nodes:
            sim.set_memory(name, GPU_TOTAL_GIB)  # a DGX Spark's: vLLM's GPU total
        yield sim


async def until(check: Callable[[], Any], timeout: float = 60.0, every: float = 0.05) -> Any:
    """``check()``'s first true answer (awaited if it is a coroutine), within ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if asyncio.iscoroutine(found):
            found = await found
        if found:
            return found
        if time.monotonic() > deadline:
            raise TimeoutError(f"not within {timeout:g} s")
        await asyncio.sleep(every)


def chat(model: str, text: str = "hi", **extra: Any) -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": text}], **extra}


def events(gw: RunningGateway, type_: str) -> list[dict[str, Any]]:
    return [e.data for e in gw.host.events.buffered() if e.type == type_]


def node_url(cluster: SimCluster, path: str) -> str:
    return f"http://{cluster.nodes[HEAD].address}:8888{path}"


async def is_sleeping(cluster: SimCluster) -> bool:
    """vLLM's own answer (``GET /is_sleeping`` on the node's port, not the gateway)."""
    async with httpx.AsyncClient(trust_env=False, timeout=10) as client:
        answer = (await client.get(node_url(cluster, "/is_sleeping"))).json()
    assert isinstance(answer["is_sleeping"], bool)
    return bool(answer["is_sleeping"])


async def load(gw: RunningGateway, model: str = FIRST) -> dict[str, Any]:
    """A fresh launch of ``model`` (whatever an earlier test left running is stopped)."""
    stopped = await gw.client.post("/api/vllm/stop")
    assert stopped.status_code == 200, stopped.text
    started = await swap(gw, model)
    assert started.status_code == 202, started.text
    status = await settled(gw)
    assert status["model"] == model, status
    return dict(started.json())


async def test_an_idle_model_is_unloaded_after_its_ttl_but_not_while_a_request_runs(
    tmp_path: Path, cluster: SimCluster
) -> None:
    reset_switches(cluster)
    async with open_gateway(tmp_path, cluster, ttl_s=1.0) as gw:
        slot = manager(gw)
        await load(gw)
        # A stream of ~1500 tokens (a millisecond each, and more on a loaded machine)
        # outlasts the TTL: in flight, the model is in use.
        words = " ".join(["w"] * 1500)
        async with httpx.AsyncClient(base_url=gw.url, timeout=120) as client:
            request = client.post("/v1/chat/completions", json=chat(FIRST, words, stream=True))
            task = asyncio.ensure_future(request)
            await until(lambda: slot.idle.in_flight == 1)
            while not task.done() and slot.idle.in_flight:
                # The keeper would have begun the stop (drain first) by now otherwise.
                assert slot.current_model == FIRST and not slot.stopping
                await asyncio.sleep(0.05)
            streamed = await task
        assert streamed.status_code == 200 and streamed.text.rstrip().endswith("[DONE]")
        assert events(gw, "vllm.idle_unloaded") == []

        # Then nobody: unloaded through the normal stop, recorded and published.
        [unloaded] = await until(lambda: events(gw, "vllm.idle_unloaded"), timeout=60)
        status = slot.status()
        assert (status["state"], status["model"], status["last_good_model"]) == (
            "stopped",
            None,
            FIRST,
        )
        assert unloaded["model"] == FIRST and unloaded["ttl_s"] == 1.0
        assert unloaded["idle_s"] >= 1.0
        container = cluster.container(HEAD, "vllm_node")
        assert container is None or container["State"]["Status"] != "running"
        audit = (await gw.client.get("/api/audit?action=vllm.stop")).json()["entries"]
        idle = [(e["target"], e["result"]) for e in audit if e["actor"] == "idle"]
        assert idle == [(FIRST, "ok")]
        # Nothing answers now: a request gets the usual "not loaded".
        refused = await gw.client.post("/v1/chat/completions", json=chat(FIRST))
        assert refused.status_code == 404
        assert refused.json()["error"]["type"] == "model_not_loaded"


async def test_each_slot_unloads_after_its_own_ttl(tmp_path: Path, cluster: SimCluster) -> None:
    reset_switches(cluster)
    coder = {"name": "coder", "container": "vllm_coder", "port": 8890, "head_node": HEAD}
    async with open_gateway(
        tmp_path, cluster, worker_nodes=[], slots=[{**coder, "ttl_s": 1.0}]
    ) as gw:
        slots = gw.plugin("vllm").slots
        await load(gw)  # the default slot: no TTL
        started = await gw.client.post("/api/vllm/slots/coder/swap", json={"model": CODER})
        assert started.status_code == 202, started.text
        [unloaded] = await until(lambda: events(gw, "vllm.idle_unloaded"), timeout=120)
        assert (unloaded["slot"], unloaded["model"]) == ("coder", CODER)
        assert slots["coder"].current_model is None
        assert slots["default"].current_model == FIRST  # older, but no TTL of its own
        assert (await gw.client.post("/api/vllm/stop")).status_code == 200


async def test_the_swap_lock_holds_an_idle_unload_back_until_it_is_released(
    tmp_path: Path, cluster: SimCluster
) -> None:
    reset_switches(cluster)
    config = make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["vllm", "coordination"]},
            "vllm": {"ttl_s": 1.0, "load_deadline_s": 20, "download_deadline_s": 20},
        },
    )
    async with running_gateway(config) as gw:
        slot = manager(gw)
        await load(gw)
        granted = await acquire(gw, "Alice", ttl_s=300)
        held = await until(lambda: slot.idle.held_by, timeout=30)
        assert "held by Alice" in held
        shown = (await gw.client.get("/api/swap")).json()["idle"]["held_by"]
        assert "held by Alice" in shown
        await asyncio.sleep(1.0)  # several more looks, each refused
        assert slot.current_model == FIRST and events(gw, "vllm.idle_unloaded") == []

        released = await gw.client.delete("/api/swap/lock", headers={TOKEN: granted["token"]})
        assert released.json()["released"] is True
        [unloaded] = await until(lambda: events(gw, "vllm.idle_unloaded"), timeout=60)
        assert unloaded["model"] == FIRST and slot.status()["state"] == "stopped"


@pytest.mark.parametrize("level", [1, 2])
async def test_an_idle_model_sleeps_and_the_next_request_wakes_it(
    tmp_path: Path, cluster: SimCluster, level: int
) -> None:
    reset_switches(cluster)
    async with open_gateway(tmp_path, cluster, ttl_s=1.0, sleep_mode=True, sleep_level=level) as gw:
        slot = manager(gw)
        assert (await gw.client.post("/api/vllm/stop")).status_code == 200
        empty_used = await steady_used_mib(cluster)
        # The model an earlier test left running may have slept before the stop above
        # (the TTL is 1 s, and a loaded machine makes the stop slower than that): only
        # this test's load counts.
        earlier = len(events(gw, "vllm.model_slept"))
        swap_record = await load(gw)
        await until(lambda: slot.idle.sleep_level == level, timeout=60)
        [slept] = events(gw, "vllm.model_slept")[earlier:]
        assert (slept["model"], slept["level"]) == (FIRST, level)
        assert await is_sleeping(cluster)
        assert (await gw.client.get("/api/swap")).json()["idle"]["sleeping"] == level
        models = (await gw.client.get("/api/vllm/models")).json()["models"]
        assert {m["id"]: m["state"] for m in models}[FIRST] == "sleeping"

        # The node's memory, as its own reading says: level 1 freed the KV cache and
        # kept the weights (unified memory: their "CPU" copy is the same memory),
        # level 2 freed both.
        held = FIRST_WEIGHTS_MIB if level == 1 else 0
        asleep_used = await steady_used_mib(cluster)
        assert abs((asleep_used - empty_used) - held) <= 64, (asleep_used, empty_used)
        # A swap's plan counts what the sleeper still holds, the same way: evicting it
        # frees only that.
        plan = (await gw.client.post("/api/vllm/swap?dry_run=true", json={"model": SECOND})).json()
        [memory] = plan["memory"]
        second = math.ceil(plan["gpu_memory_utilization"] * memory["total_mib"])
        assert plan["evict"] == [FIRST] and memory["used_before_mib"] == asleep_used
        assert memory["used_after_mib"] == asleep_used - held + second

        # Another process on the node takes the freed memory meanwhile (a claim as the
        # stand-in's instances make them, held by this live process): the wake fails
        # as CUDA would, the request gets a clear 503, the model stays asleep.
        [containers] = {p.parents[2] for p in cluster.nodes[HEAD].sandbox.rglob("memory/*.json")}
        other = containers / "someone-else" / "memory" / f"{os.getpid()}.json"
        other.parent.mkdir(parents=True, exist_ok=True)
        taken = GPU_TOTAL_GIB - FIRST_WEIGHTS_MIB / 1024 - 10
        other.write_text(json.dumps({"pid": os.getpid(), "gib": taken, "name": "other"}))
        try:
            refused = await gw.client.post("/v1/chat/completions", json=chat(FIRST))
            assert refused.status_code == 503, refused.text
            error = refused.json()["error"]
            assert error["type"] == "model_not_loaded"
            assert "asleep and did not wake" in error["message"]
            assert "CUDA out of memory" in error["message"]
            [failed] = events(gw, "vllm.wake_failed")
            assert (failed["model"], failed["level"]) == (FIRST, level)
            assert await is_sleeping(cluster) and slot.idle.sleep_level == level
        finally:
            other.unlink()

        # Once the memory is free, the next request wakes it and is answered; vLLM is
        # awake, its memory back.
        async with httpx.AsyncClient(base_url=gw.url, timeout=120) as client:
            answer = await client.post("/v1/chat/completions", json=chat(SERVED[FIRST], "a b"))
        claimed = claimed_mib(cluster)  # at once: the TTL puts it back to sleep soon
        assert answer.status_code == 200, answer.text
        assert answer.json()["choices"][0]["message"]["content"] == "Echo: a b"
        assert abs(claimed - FIRST_SHARE_MIB) <= 64
        [woken] = events(gw, "vllm.model_woken")
        assert (woken["model"], woken["level"]) == (FIRST, level)
        # The launch turned on development mode (the stand-in lists its routes) and
        # sleep mode (without --enable-sleep-mode the stand-in's /sleep answers 500).
        log = launch_log(cluster, swap_record["id"])
        assert "Route: /sleep, Methods: POST" in log
        assert f'POST /sleep?level={level} HTTP/1.1" 200' in log
        assert "POST /wake_up" in log


def claimed_mib(cluster: SimCluster) -> int:
    """What the head node's live vLLM processes hold, by the stand-in's own claims."""
    folders = {p.parents[2] for p in cluster.nodes[HEAD].sandbox.rglob("memory/*.json")}
    return round(sum(claimed_gib(folder) for folder in folders) * 1024)


def launch_log(cluster: SimCluster, swap_id: str) -> str:
    path = cluster.nodes[HEAD].home() / ".cache" / "spark-control" / "vllm" / f"{swap_id}.log"
    return path.read_text()


#: vLLM's development-mode routes (0.11-0.16) and their methods, all at the root, none
#: under /v1 (written out here, not taken from the stand-in, so a route it lacked
#: would still be tried).
DEV_ROUTES = {
    "sleep": "POST",
    "wake_up": "POST",
    "is_sleeping": "GET",
    "reset_prefix_cache": "POST",
    "reset_mm_cache": "POST",
    "collective_rpc": "POST",
    "server_info": "GET",
    "pause": "POST",
    "resume": "POST",
    "is_paused": "GET",
    "get_world_size": "GET",
    "start_profile": "POST",
    "stop_profile": "POST",
    "scale_elastic_ep": "POST",
    "is_scaling_elastic_ep": "POST",
}


def tricks(name: str) -> list[str]:
    """Ways a request to ``/v1...`` might end at ``/<name>`` on a server that resolved
    it after the gateway (dot segments, encoded slashes and dots, doubled slashes)."""
    return [
        f"/v1/../{name}",
        f"/v1/%2e%2e/{name}",
        f"/v1/%2E%2E/{name}",
        f"/v1/.%2e/{name}",
        f"/v1/..%2f{name}",
        f"/v1/..%2F{name}",
        f"/v1%2f..%2f{name}",
        f"/v1/%2e%2e%2f{name}",
        f"/v1//../{name}",
        f"/v1/./../{name}",
        f"/v1/chat/../../{name}",
        f"/v1/models/..%2f..%2f{name}",
        f"/v1/..\\{name}",
        f"/v1/..%5c{name}",
        f"/v1/%252e%252e/{name}",
        f"/v1/..;/{name}",
        f"//v1/../{name}",
        f"//{name}",
        f"/./{name}",
        f"/{name}",
        f"/v1/{name}",
        f"/v1//{name}",
        f"/v1/{name}?level=1",
        f"/v1/../{name}?level=1",
    ]


def dev_hits(log: str) -> list[str]:
    """The requests vLLM's access log shows for a development route."""
    hits = []
    for line in log.splitlines():
        if '"' not in line or " HTTP/1.1" not in line:
            continue
        target = line.split('"')[1].split(" ")[1]
        if target.split("?")[0].lstrip("/") in DEV_ROUTES:
            hits.append(line)
    return hits


async def test_no_development_endpoint_of_vllm_is_reachable_through_v1(
    tmp_path: Path, cluster: SimCluster
) -> None:
    from tests.core.raw_http import raw_request

    reset_switches(cluster)
    async with open_gateway(tmp_path, cluster, sleep_mode=True) as gw:
        swap_record = await load(gw)
        # They are there on the node's port (dev mode): asked directly, vLLM answers
        # and its access log shows it.
        async with httpx.AsyncClient(trust_env=False, timeout=10) as client:
            direct = await client.post(node_url(cluster, "/reset_prefix_cache"))
        assert direct.status_code == 200
        assert len(dev_hits(launch_log(cluster, swap_record["id"]))) == 1

        body = json.dumps({"model": FIRST}).encode()
        for name, method in DEV_ROUTES.items():
            for target in tricks(name):
                answer = await raw_request(
                    gw.url,
                    method,
                    target,
                    headers={"Content-Type": "application/json"},
                    body=body if method == "POST" else b"",
                )
                assert answer.status in (400, 404, 405), (method, target, answer.status)
        # None of them reached a development route: vLLM logged only the direct one,
        # and it does not sleep.
        assert len(dev_hits(launch_log(cluster, swap_record["id"]))) == 1
        assert not await is_sleeping(cluster)
        # The model still answers through /v1 as before.
        answer = await gw.client.post("/v1/chat/completions", json=chat(FIRST, "still here"))
        assert answer.status_code == 200
