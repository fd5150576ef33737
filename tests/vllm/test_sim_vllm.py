"""The vllm plugin's simulated world over real SSH: the launcher stand-in started detached
as the swap does, the vLLM stand-in's API and log, its failure switches, two nodes."""

from __future__ import annotations

import asyncio
import json
import os
import re
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from spark_control.sim import SimCluster
from spark_control.ssh import (
    CommandResult,
    HostKeyStore,
    RemoteCommand,
    SSHExecutor,
    Target,
    arg,
    const,
)
from spark_control_vllm.sim import (
    ENGINE_FAILED_LINE,
    GPU_TOTAL_GIB,
    MEMORY_REFUSED_LINE,
    OOM_LINE,
    READY_LINE,
    set_vllm_failure,
    set_vllm_load_time,
)
from tests.sim.conftest import process_alive, until
from tests.sim.fakes import free_port
from tests.vllm.conftest import sim_cluster

BASE_ADDRESS = "127.0.0.60"
HEAD, WORKER = "spark-1", "spark-2"
NAME = "vllm_node"
MODEL = "Qwen/Qwen3-8B"
SERVED = "qwen3-8b"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("vllm-sim"), BASE_ADDRESS) as sim:
        yield sim


class Node:
    """Builder-made commands on the simulated nodes through the gateway's executor."""

    def __init__(self, cluster: SimCluster, executor: SSHExecutor) -> None:
        self.cluster = cluster
        self.executor = executor

    def target(self, node: str = HEAD) -> Target:
        n = self.cluster.nodes[node]
        return Target(n.name, n.address, n.user, n.key_path, n.ssh_port)

    async def run(self, *words: Any, node: str = HEAD, timeout: float = 20) -> CommandResult:
        return await self.executor.run(self.target(node), RemoteCommand(*words), timeout=timeout)

    def log_path(self, label: str) -> Path:
        return self.cluster.nodes[HEAD].home() / f"{label}.log"

    async def launch(self, label: str, *words: Any, env: dict[str, Any] | None = None) -> int:
        """Start the launcher detached, as the swap does (with ``--init`` among the extra
        docker args, as the gateway passes them); returns its process id."""
        env = dict(env or {})
        hook = env.get("VLLM_SPARK_EXTRA_DOCKER_ARGS")
        extra = f"--init {hook.text}" if hook is not None else "--init"
        env["VLLM_SPARK_EXTRA_DOCKER_ARGS"] = arg.env_value(extra)
        command = RemoteCommand("launch-cluster.sh", *words, env=env)
        log = arg.path(str(self.log_path(label)))
        result = await self.executor.run(self.target(), command.detached(log))
        assert result.exit_status == 0, result.stderr
        return int(result.stdout.strip())

    def log(self, label: str) -> str:
        try:
            return self.log_path(label).read_text()
        except FileNotFoundError:
            return ""

    async def wait_log(self, label: str, text: str, timeout: float = 10) -> str:
        await until(lambda: text in self.log(label), timeout=timeout)
        return self.log(label)


@pytest.fixture
async def node(cluster: SimCluster, tmp_path: Path) -> AsyncIterator[Node]:
    executor = SSHExecutor(
        host_keys=HostKeyStore(tmp_path / "known_hosts"), connect_timeout=5, command_timeout=20
    )
    yield Node(cluster, executor)
    # Whatever a test left behind must not leak into the next one.
    for name in (HEAD, WORKER):
        set_vllm_failure(cluster, name, None)
        set_vllm_load_time(cluster, name, None)
        await executor.run(
            Node(cluster, executor).target(name),
            RemoteCommand("docker", "rm", "-f", NAME, "vllm_other"),
        )
    await executor.close()


def serve_words(port: int, *extra: str) -> list[Any]:
    return [
        "--solo", "-t", "vllm-node", "--name", NAME, "exec",
        "vllm", "serve", arg.model_id(MODEL), "--served-model-name", SERVED,
        "--port", arg.port(port), "--host", "0.0.0.0", *extra,
    ]  # fmt: skip


def base_url(cluster: SimCluster, port: int, node: str = HEAD) -> str:
    return f"http://{cluster.nodes[node].address}:{port}"


async def health(url: str, timeout: float = 2.0) -> int | None:
    try:
        async with httpx.AsyncClient(timeout=timeout) as client:
            return (await client.get(f"{url}/health")).status_code
    except httpx.TransportError:
        return None


def meminfo_available_kb(cluster: SimCluster, node: str) -> int:
    text = (cluster.nodes[node].proc_root / "meminfo").read_text()
    found = re.search(r"^MemAvailable:\s+(\d+) kB", text, re.M)
    assert found is not None
    return int(found.group(1))


def read(path: Path) -> str:
    return path.read_text()


def vllm_pid(log: str) -> int:
    found = re.search(r"Started server process \[(\d+)\]", log)
    assert found is not None, log
    return int(found.group(1))


async def gone(pid: int) -> bool:
    await until(lambda: not process_alive(pid), timeout=10)
    return True


async def test_detached_launch_serves_the_openai_api_then_stop_leaves_nothing(
    node: Node, cluster: SimCluster
) -> None:
    port = free_port(cluster.nodes[HEAD].address)
    url = base_url(cluster, port)
    available = meminfo_available_kb(cluster, HEAD)
    launcher = await node.launch("solo", *serve_words(port))
    # The launch must outlive the SSH session that started it.
    cluster.drop_ssh(HEAD)
    log = await node.wait_log("solo", READY_LINE)
    assert process_alive(launcher)

    lines = log.splitlines()
    assert lines[:6] == [
        "Solo mode enabled. Skipping node detection.",
        "Head Node: 127.0.0.1",
        "Worker Nodes: ",
        f"Container Name: {NAME}",
        "Image Name: vllm-node",
        "Action: exec",
    ]
    phases = [
        "Starting Head Node on 127.0.0.1...",
        f"Executing command: vllm serve {MODEL} --served-model-name {SERVED}",
        "Automatically detected platform cuda.",
        f"Starting to load model {MODEL}...",
        "Fetching ",  # first time on this node: the model is not in the HF cache
        "Time spent downloading weights",
        "Loading safetensors checkpoint shards: 100%",
        "Loading weights took",
        "Model loading took",
        "torch.compile takes",
        "Capturing CUDA graphs",
        "Starting vLLM API server 0 on http://0.0.0.0:",
        READY_LINE,
    ]
    positions = [log.find(phase) for phase in phases]
    assert -1 not in positions, [p for p, at in zip(phases, positions, strict=True) if at < 0]
    assert positions == sorted(positions)

    container = cluster.container(HEAD, NAME)
    assert container is not None and container["State"]["Running"] is True
    assert container["HostConfig"]["NetworkMode"] == "host"
    assert container["Config"]["Cmd"][-2:] == ["sleep", "infinity"]
    # vLLM's default share (0.9) of the GB10, once the node's /proc is next rewritten.
    claimed = 0.9 * GPU_TOTAL_GIB * 1024 * 1024
    await until(lambda: available - meminfo_available_kb(cluster, HEAD) >= claimed - 1024)

    async with httpx.AsyncClient(base_url=url, timeout=5) as client:
        ready = await client.get("/health")
        assert (ready.status_code, ready.content) == (200, b"")
        models = (await client.get("/v1/models")).json()
        assert [m["id"] for m in models["data"]] == [SERVED]
        assert models["data"][0]["root"] == MODEL

        body = {"model": SERVED, "messages": [{"role": "user", "content": "ping"}]}
        one = (await client.post("/v1/chat/completions", json={**body, "max_tokens": 1})).json()
        assert one["object"] == "chat.completion"
        assert one["choices"][0]["message"]["content"] == "Echo:"
        assert one["choices"][0]["finish_reason"] == "length"
        assert one["usage"]["completion_tokens"] == 1
        again = (await client.post("/v1/chat/completions", json=body)).json()
        assert again["choices"][0]["message"]["content"] == "Echo: ping"
        assert again["choices"][0]["finish_reason"] == "stop"

        stream_body = {**body, "stream": True, "stream_options": {"include_usage": True}}
        async with client.stream("POST", "/v1/chat/completions", json=stream_body) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            events = [line async for line in response.aiter_lines() if line]
        assert events[-1] == "data: [DONE]"
        chunks = [json.loads(e.removeprefix("data: ")) for e in events[:-1]]
        assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
        text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
        assert text == "Echo: ping"
        assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["completion_tokens"] == 2

        plain = await client.post(
            "/v1/completions", json={"model": SERVED, "prompt": "a b c", "max_tokens": 3}
        )
        assert plain.json()["choices"][0]["text"] == "Echo: a b"
        wrong = await client.post("/v1/chat/completions", json={**body, "model": "nope"})
        assert wrong.status_code == 404
        assert wrong.json() == {
            "error": {
                "message": "The model `nope` does not exist.",
                "type": "NotFoundError",
                "param": "model",
                "code": 404,
            }
        }
        # Like vLLM's FastAPI: a method a route lacks is a JSON 405, an unknown path a 404
        # (not http.server's HTML 501, which the gateway would pass on as a 5xx).
        delete = await client.delete("/v1/models")
        assert (delete.status_code, delete.json()) == (405, {"detail": "Method Not Allowed"})
        assert (await client.delete("/v1/nothing")).json() == {"detail": "Not Found"}
        metrics = (await client.get("/metrics")).text
        assert f'vllm:num_requests_running{{engine="0",model_name="{SERVED}"}} 0.0' in metrics
        assert re.search(r"^vllm:generation_tokens_total\{[^}]*\} [1-9]", metrics, re.M)

    server = vllm_pid(log)
    idle = container["State"]["Pid"]
    stop = await node.run("launch-cluster.sh", "--name", NAME, "stop")
    assert stop.exit_status == 0 and "Cluster stopped." in stop.stdout
    # The launcher sees vLLM end with its container and stops the cluster itself too.
    for pid in (launcher, server, idle):
        assert await gone(pid)
    assert "Stopping cluster..." in node.log("solo")
    assert cluster.container(HEAD, NAME) is None  # --rm
    assert await health(url) is None
    await until(lambda: meminfo_available_kb(cluster, HEAD) >= available - 1024 * 1024)


async def test_signalling_the_launch_stops_the_cluster_and_the_cache_skips_download(
    node: Node, cluster: SimCluster
) -> None:
    port = free_port(cluster.nodes[HEAD].address)
    cache = cluster.nodes[HEAD].home() / ".cache/huggingface/hub/models--Qwen--Qwen3-8B"
    cached = (cache / "refs" / "main").exists()
    launcher = await node.launch("killed", *serve_words(port))
    log = await node.wait_log("killed", READY_LINE)
    # A model already in the node's Hugging Face cache is not downloaded again.
    assert ("Fetching " in log) is not cached
    assert (cache / "refs" / "main").exists()
    # setsid made the launcher a group leader; the swap signals the whole group.
    await node.run("kill", "-TERM", f"-{launcher}")
    await gone(launcher)
    log = await node.wait_log("killed", "Cluster stopped.")
    assert "Shutting down" in log  # vLLM got the SIGTERM too
    assert cluster.container(HEAD, NAME) is None
    assert await health(base_url(cluster, port)) is None


@pytest.mark.parametrize(
    ("mode", "signature"),
    [("exit", ENGINE_FAILED_LINE), ("oom", OOM_LINE)],
)
async def test_vllm_dying_during_load_shows_in_the_log_and_stops_the_cluster(
    node: Node, cluster: SimCluster, mode: str, signature: str
) -> None:
    port = free_port(cluster.nodes[HEAD].address)
    set_vllm_failure(cluster, HEAD, mode, times=1)
    launcher = await node.launch(f"fail-{mode}", *serve_words(port))
    log = await node.wait_log(f"fail-{mode}", "Cluster stopped.")
    assert signature in log and READY_LINE not in log
    assert log.index(signature) < log.index("Stopping cluster...")
    await gone(launcher)
    assert await health(base_url(cluster, port)) is None
    # One start only: the next one loads.
    await node.launch(f"after-{mode}", *serve_words(port))
    await node.wait_log(f"after-{mode}", READY_LINE)
    assert await health(base_url(cluster, port)) == 200


async def test_hang_never_gets_ready_and_slow_health_answers_late(
    node: Node, cluster: SimCluster
) -> None:
    port = free_port(cluster.nodes[HEAD].address)
    url = base_url(cluster, port)
    set_vllm_failure(cluster, HEAD, "hang")
    await node.launch("hang", *serve_words(port))
    log = await node.wait_log("hang", "Loading safetensors checkpoint shards:")
    await asyncio.sleep(0.3)
    log = node.log("hang")
    assert READY_LINE not in log and "Loading weights took" not in log
    # The port is bound, as vLLM binds it before loading, but nothing answers.
    assert await health(url, timeout=0.3) is None
    await node.run("launch-cluster.sh", "--solo", "--name", NAME, "stop")
    await node.wait_log("hang", "Cluster stopped.")

    set_vllm_failure(cluster, HEAD, "slow_health", health_delay_s=0.5)
    await node.launch("slow", *serve_words(port))
    await node.wait_log("slow", READY_LINE)
    async with httpx.AsyncClient(base_url=url, timeout=5) as client:
        started = time.monotonic()
        assert (await client.get("/health")).status_code == 200
        assert time.monotonic() - started >= 0.5
        started = time.monotonic()
        assert (await client.get("/v1/models")).status_code == 200
        assert time.monotonic() - started < 0.5


async def test_a_client_that_gave_up_during_the_load_leaves_no_traceback_in_the_log(
    node: Node, cluster: SimCluster
) -> None:
    # Probes that time out while vLLM loads (the port is bound, nothing answers) are
    # answered once it serves, to a client long gone. uvicorn drops such a connection
    # without a word; http.server printed a traceback, which the swap reads as vLLM
    # failing: a ready vLLM was then reported as missing the load deadline.
    port = free_port(cluster.nodes[HEAD].address)
    url = base_url(cluster, port)
    set_vllm_load_time(cluster, HEAD, 4)
    await node.launch("gave-up", *serve_words(port))
    await node.wait_log("gave-up", "Loading safetensors checkpoint shards:")
    gave_up = [await health(url, timeout=0.2) for _ in range(3)]
    assert gave_up[0] is None, "answered during the load"
    await node.wait_log("gave-up", READY_LINE)
    assert await health(url) == 200  # served after the ones that gave up
    await asyncio.sleep(0.3)
    log = node.log("gave-up")
    assert "Traceback" not in log and "Exception occurred" not in log, log
    await node.run("launch-cluster.sh", "--solo", "--name", NAME, "stop")
    await node.wait_log("gave-up", "Cluster stopped.")


async def test_simulator_switches_reach_vllm_through_the_container(
    node: Node, cluster: SimCluster
) -> None:
    port = free_port(cluster.nodes[HEAD].address)
    url = base_url(cluster, port)
    # The simulator's own switch: the container's env, which docker exec passes on.
    cluster.fail(NAME, "hang")
    try:
        await node.launch("sim-hang", *serve_words(port))
        await node.wait_log("sim-hang", "Loading safetensors checkpoint shards:")
        assert await health(url, timeout=0.3) is None
        await node.run("launch-cluster.sh", "--solo", "--name", NAME, "stop")
        await node.wait_log("sim-hang", "Cluster stopped.")
    finally:
        cluster.clear_failures()
    # The container dying under a running vLLM takes vLLM with it, as on a node.
    launcher = await node.launch("sim-exit", *serve_words(port))
    await node.wait_log("sim-exit", READY_LINE)
    try:
        assert cluster.fail(NAME, "exit") == 1
    finally:
        cluster.clear_failures()
    await node.wait_log("sim-exit", "Cluster stopped.")
    await gone(launcher)
    assert await health(url) is None


async def test_a_running_container_is_reused_and_left_running(
    node: Node, cluster: SimCluster
) -> None:
    port = free_port(cluster.nodes[HEAD].address)
    start = RemoteCommand(
        "launch-cluster.sh", "--solo", "--name", NAME, "-d", "start",
        env={"VLLM_SPARK_EXTRA_DOCKER_ARGS": const("--init")},
    )  # fmt: skip
    started = await node.executor.run(node.target(), start)
    assert "Cluster started in background (Daemon mode)." in started.stdout
    launcher = await node.launch("reuse", *serve_words(port))
    log = await node.wait_log("reuse", READY_LINE)
    assert "Cluster containers are already running. Skipping launch." in log
    await node.run("kill", "-TERM", f"-{launcher}")
    log = await node.wait_log("reuse", "Skipping cleanup.")
    assert "Stopping cluster..." not in log
    info = cluster.container(HEAD, NAME)
    assert info is not None and info["State"]["Running"] is True
    await node.run("launch-cluster.sh", "--solo", "--name", NAME, "stop")
    await until(lambda: cluster.container(HEAD, NAME) is None)


async def test_load_time_and_env_hooks_reach_the_container(node: Node, cluster: SimCluster) -> None:
    port = free_port(cluster.nodes[HEAD].address)
    set_vllm_load_time(cluster, HEAD, 0.6)
    extra = arg.env_value("-v /srv/models:/srv/models -e FROM_HOOK=1")
    started = time.monotonic()
    await node.launch(
        "hooks",
        "-e", arg.unsplittable("FROM_FLAG=2"),
        *serve_words(port),
        env={"VLLM_SPARK_EXTRA_DOCKER_ARGS": extra},
    )  # fmt: skip
    await until(lambda: cluster.container(HEAD, NAME) is not None)
    assert await health(base_url(cluster, port), timeout=0.2) is None  # still loading
    await node.wait_log("hooks", READY_LINE)
    assert time.monotonic() - started >= 0.5
    info = cluster.container(HEAD, NAME)
    assert info is not None
    assert {"FROM_HOOK=1", "FROM_FLAG=2"} <= set(info["Config"]["Env"])
    assert "/srv/models:/srv/models" in info["HostConfig"]["Binds"]
    status = await node.run("launch-cluster.sh", "--solo", "--name", NAME, "status")
    assert f"[HEAD] 127.0.0.1: Container '{NAME}' is RUNNING." in status.stdout
    await node.run("launch-cluster.sh", "--solo", "--name", NAME, "stop")
    await node.wait_log("hooks", "Cluster stopped.")


async def test_launcher_is_also_in_the_default_launcher_dir(
    node: Node, cluster: SimCluster
) -> None:
    home = cluster.nodes[HEAD].home()
    checkout = home / "spark-vllm-docker" / "launch-cluster.sh"
    assert os.access(checkout, os.X_OK)
    # On every node: a slot may start vLLM on any of them (docs/VLLM.md, "Slots").
    for other in cluster.nodes.values():
        assert os.access(other.home() / "spark-vllm-docker" / "launch-cluster.sh", os.X_OK)
    result = await node.run(arg.path(str(checkout)), "--solo", "--name", NAME, "status")
    assert f"Container '{NAME}' is NOT running." in result.stdout
    bad = await node.run("launch-cluster.sh", "--bogus")
    assert bad.exit_status == 1 and "Error: Unknown argument or action: --bogus" in bad.stdout


async def test_two_nodes_start_a_container_on_each_and_stop_both(
    node: Node, cluster: SimCluster
) -> None:
    head, worker = cluster.nodes[HEAD], cluster.nodes[WORKER]
    if cluster.fallback_single_address:
        pytest.skip("nodes share one address here")
    port = free_port(head.address)
    nodes = arg.unsplittable(f"{head.address},{worker.address}")
    launcher = await node.launch(
        "two",
        "-n", nodes, "-t", "vllm-node", "--name", NAME, "exec",
        "vllm", "serve", arg.model_id(MODEL), "--served-model-name", SERVED,
        "--port", arg.port(port), "--tensor-parallel-size", "2",
    )  # fmt: skip
    log = await node.wait_log("two", READY_LINE)
    assert f"Head Node: {head.address}" in log and f"Worker Nodes: {worker.address}" in log
    assert f"Starting Worker Node on {worker.address}..." in log
    assert f"Launching worker (rank 1) on {worker.address}..." in log
    assert "--nnodes 2 --node-rank 0" in log
    on_worker = cluster.container(WORKER, NAME)
    assert on_worker is not None and on_worker["State"]["Running"] is True
    worker_log = Path(on_worker["LogPath"])
    await until(lambda: "Loading weights took" in worker_log.read_text())
    assert "Starting vLLM API server" not in read(worker_log)  # a headless rank
    assert await health(base_url(cluster, port)) == 200

    await node.run("kill", "-TERM", f"-{launcher}")
    log = await node.wait_log("two", "Cluster stopped.")
    assert f"Stopping worker node ({worker.address})..." in log
    # The worker stops over SSH: on a loaded machine that can take more than 5 s.
    await until(lambda: cluster.container(WORKER, NAME) is None, timeout=30)
    assert cluster.container(HEAD, NAME) is None


async def test_two_nodes_with_ray_run_vllm_on_the_head_only(
    node: Node, cluster: SimCluster
) -> None:
    head, worker = cluster.nodes[HEAD], cluster.nodes[WORKER]
    if cluster.fallback_single_address:
        pytest.skip("nodes share one address here")
    port = free_port(head.address)
    await node.launch(
        "ray",
        "-n", arg.unsplittable(f"{head.address},{worker.address}"), "--ray", "--name", NAME,
        "exec", "vllm", "serve", arg.model_id(MODEL), "--port", arg.port(port), "-tp", "2",
    )  # fmt: skip
    log = await node.wait_log("ray", READY_LINE)
    for line in (
        f"Starting Ray HEAD node on {head.address}...",
        f"Starting Ray WORKER node on {worker.address}...",
        "Cluster head is responsive.",
        "--distributed-executor-backend ray",
    ):
        assert line in log
    assert "Launching worker" not in log
    await node.run("launch-cluster.sh", "-n", arg.unsplittable(f"{head.address},{worker.address}"),
                   "--name", NAME, "stop")  # fmt: skip
    await node.wait_log("ray", "Cluster stopped.")
    # The worker stops over SSH: on a loaded machine that can take more than 5 s.
    await until(lambda: cluster.container(WORKER, NAME) is None, timeout=30)


async def test_two_node_model_refused_on_one_node(node: Node, cluster: SimCluster) -> None:
    port = free_port(cluster.nodes[HEAD].address)
    await node.launch("tp2-solo", *serve_words(port, "--tensor-parallel-size", "2"))
    log = await node.wait_log("tp2-solo", "Cluster stopped.")
    assert "ValueError: World size (2) is larger than the number of available GPUs (1)" in log


def test_failure_switch_rejects_unknown_modes(cluster: SimCluster) -> None:
    with pytest.raises(ValueError, match="one of exit, hang, oom, slow_health"):
        set_vllm_failure(cluster, HEAD, "explode")
    with pytest.raises(ValueError, match="times"):
        set_vllm_failure(cluster, HEAD, "exit", times=0)


async def engines(node: Node) -> int:
    """vLLM engine processes nvidia-smi lists on the head node."""
    query = ("nvidia-smi", "--query-compute-apps=pid,process_name", "--format=csv,noheader")
    return (await node.run(*query)).stdout.count("VLLM::EngineCore")


async def test_instances_claim_their_share_and_an_over_commit_fails_like_vllm(
    node: Node, cluster: SimCluster
) -> None:
    """Each vLLM takes its --gpu-memory-utilization share of the GB10 at start-up; one
    asking for more than the others left free fails with vLLM's own words."""
    first, second = free_port(cluster.nodes[HEAD].address), free_port(cluster.nodes[HEAD].address)
    available = meminfo_available_kb(cluster, HEAD)
    words = serve_words(first, "--gpu-memory-utilization", "0.6")
    await node.launch("share-a", *words)
    await node.wait_log("share-a", READY_LINE)
    share = 0.6 * GPU_TOTAL_GIB * 1024 * 1024
    await until(lambda: abs(available - meminfo_available_kb(cluster, HEAD) - share) < 1024)

    other = [w if w != NAME else "vllm_other" for w in serve_words(second)]
    over = [*other, "--gpu-memory-utilization", "0.5"]
    await node.launch("share-b", *over)
    log = await node.wait_log("share-b", "Cluster stopped.")
    refusal = (
        f"{MEMORY_REFUSED_LINE}{GPU_TOTAL_GIB * 0.4:.2f}/{GPU_TOTAL_GIB:.2f} GiB) on startup is "
        f"less than desired GPU memory utilization (0.5, {GPU_TOTAL_GIB * 0.5:.2f} GiB). "
        "Decrease GPU memory utilization or reduce GPU memory used by other processes."
    )
    assert refusal in log and READY_LINE not in log and ENGINE_FAILED_LINE in log
    assert await health(base_url(cluster, second)) is None
    await asyncio.sleep(1.2)  # a refused start claims nothing, however long one looks
    assert abs(available - meminfo_available_kb(cluster, HEAD) - share) < 1024

    # A share that fits beside the first one starts; both show as the GPU's processes.
    await node.launch("share-c", *other, "--gpu-memory-utilization", "0.3")
    await node.wait_log("share-c", READY_LINE)
    both = 0.9 * GPU_TOTAL_GIB * 1024 * 1024
    await until(lambda: abs(available - meminfo_available_kb(cluster, HEAD) - both) < 1024)
    assert await engines(node) == 2
    await node.run("launch-cluster.sh", "--name", "vllm_other", "stop")
    await until(lambda: abs(available - meminfo_available_kb(cluster, HEAD) - share) < 1024)
    assert await engines(node) == 1
