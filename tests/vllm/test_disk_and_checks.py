"""Models on the nodes' disks (list, delete, refusals) and the vllm node checks, against a
simulated cluster with the vllm plugin's simulated world, over real SSH and HTTP."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from spark_control import hookimpl
from spark_control.api import with_aliases
from spark_control.node_checks import CheckRow, run_node_checks
from spark_control.sim import SimCluster
from spark_control.ssh import RemoteCommand, Script, arg, const
from spark_control.testing import RunningGateway, make_config, running_gateway
from spark_control_vllm import disk_routes
from spark_control_vllm.catalog import Catalog, CatalogEntry
from spark_control_vllm.checks import (
    check_launcher,
    check_launcher_version,
    check_worker_ssh,
    register_checks,
)
from spark_control_vllm.disk import cache_folder
from spark_control_vllm.settings import VllmSettings
from spark_control_vllm.sim import READY_LINE
from tests.sim.conftest import until
from tests.sim.fakes import free_port
from tests.vllm.conftest import sim_cluster

BASE_ADDRESS = "127.0.0.80"
HEAD, WORKER = "spark-1", "spark-2"
CONTAINER = "vllm_node"
HUB = ".cache/huggingface/hub"

ENTRIES = [
    CatalogEntry(id="tiny", display_name="Tiny", hf_repo="example-org/tiny-model-1b", memory_gb=8),
    # Another entry served from the same files, with a longer context.
    CatalogEntry(
        id="tiny-long",
        display_name="Tiny, long context",
        hf_repo="example-org/tiny-model-1b",
        max_model_len=65536,
        memory_gb=10,
    ),
    CatalogEntry(id="other", display_name="Other", hf_repo="example-org/other-2b", memory_gb=8),
    CatalogEntry(id="launched", display_name="L", hf_repo="sim-org/launched-1b", memory_gb=8),
    CatalogEntry(
        id="my-local", display_name="Mine", local_path="/srv/models/my-local", memory_gb=8
    ),
]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("vllm-disk"), BASE_ADDRESS) as sim:
        yield sim


class DiskPlugin:
    """The vllm plugin's settings with only the disk routes and node checks (no swap
    manager, no proxy): the routes read this object as their ``disk_view``."""

    def __init__(self) -> None:
        self.catalog = Catalog(ENTRIES)
        self.running: str | None = None
        self.host: Any = None

    def busy_model(self) -> str | None:
        return self.running

    def busy_models(self) -> list[str]:
        return [self.running] if self.running is not None else []

    settings_model = VllmSettings

    @hookimpl
    def spark_routes(self, host: Any, register: Any) -> None:
        self.host = host
        register(with_aliases(disk_routes.router, disk_routes.ALIASES))

    @hookimpl
    def spark_node_checks(self, host: Any, register: Any) -> None:
        register_checks(host, register)


class Gateway:
    def __init__(self, running: RunningGateway, plugin: DiskPlugin) -> None:
        self.gw = running
        self.client = running.client
        self.host = running.host
        self.plugin = plugin

    async def run(self, script: Script, node: str = HEAD) -> Any:
        result = await self.host.ssh.run(self.host.topology.nodes[node], script)
        assert result.exit_status == 0, result.stderr
        return result


@contextlib.asynccontextmanager
async def gateway(
    cluster: SimCluster, tmp_path: Path, vllm: dict[str, Any] | None = None
) -> AsyncIterator[Gateway]:
    plugin = DiskPlugin()
    config = make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["vllm"]},
            "vllm": vllm or {},
        },
    )
    async with running_gateway(config, extra_plugins={"vllm": plugin}) as running:
        running.gateway.app.dependency_overrides[disk_routes.disk_view] = lambda: plugin
        yield Gateway(running, plugin)


@pytest.fixture
async def gw(cluster: SimCluster, tmp_path: Path) -> AsyncIterator[Gateway]:
    async with gateway(cluster, tmp_path) as found:
        yield found


def from_home(*commands: RemoteCommand) -> Script:
    script: Script = RemoteCommand("cd")
    for command in commands:
        script = script.and_then(command)
    return script


async def put_in_cache(gw: Gateway, node: str, repo: str, size: int) -> Path:
    """A downloaded-looking model folder on ``node``: one shard of ``size`` bytes."""
    snapshot = f"{HUB}/{cache_folder(repo)}/snapshots/0123456789abcdef"
    await gw.run(
        from_home(
            RemoteCommand("mkdir", "-p", arg.relative_path(snapshot)),
            RemoteCommand(
                "truncate", "-s", str(size), arg.relative_path(f"{snapshot}/model.safetensors")
            ),
        ),
        node,
    )
    return cache_dir(gw, node, repo)


def cache_dir(gw: Gateway, node: str, repo: str) -> Path:
    """The folder on the simulated node's disk (its sandbox, which is its disk_path)."""
    topology_node = gw.host.topology.nodes[node]
    return Path(topology_node.disk_path) / "home" / topology_node.user / HUB / cache_folder(repo)


def apparent_size(root: Path) -> int:
    """What ``du -sb`` counts: every file's and folder's own size, the root's included."""
    total = root.lstat().st_size
    for folder, dirs, files in os.walk(root):
        total += sum((Path(folder) / name).lstat().st_size for name in [*dirs, *files])
    return total


async def listing(gw: Gateway) -> dict[str, Any]:
    response = await gw.client.get("/api/models/disk")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def repos(body: dict[str, Any], node: str) -> dict[str, dict[str, Any]]:
    return {m["repo"]: m for m in body["nodes"][node]}


# -- listing and deleting ---------------------------------------------------------------


async def test_a_model_vllm_downloaded_is_listed_with_its_size_and_catalog_id(
    gw: Gateway, cluster: SimCluster
) -> None:
    repo = "sim-org/launched-1b"
    head = cluster.nodes[HEAD]
    port = free_port(head.address)
    log = head.home() / "disk-launch.log"
    launch = RemoteCommand(
        "launch-cluster.sh", "--solo", "-t", "vllm-node", "--name", CONTAINER, "exec",
        "vllm", "serve", arg.model_id(repo), "--port", arg.port(port), "--host", "0.0.0.0",
        # As the gateway launches: docker-init as PID 1, so the stop below is quick.
        env={"VLLM_SPARK_EXTRA_DOCKER_ARGS": const("--init")},
    )  # fmt: skip
    await gw.run(launch.detached(arg.path(str(log))))
    try:
        await until(lambda: log.exists() and READY_LINE in log.read_text(), timeout=10)
        assert "Fetching " in log.read_text()  # it really downloaded
    finally:
        await gw.run(RemoteCommand("launch-cluster.sh", "--solo", "--name", CONTAINER, "stop"))
        await until(lambda: cluster.container(HEAD, CONTAINER) is None)

    body = await listing(gw)
    assert set(body["nodes"]) == {HEAD, WORKER} and body["errors"] == {}
    found = repos(body, HEAD)[repo]
    folder = cache_dir(gw, HEAD, repo)
    shards = list(folder.glob("snapshots/*/model-*.safetensors"))
    assert shards and sum(s.stat().st_size for s in shards) > 10**9  # real sizes, sparse
    assert found == {
        "repo": repo,
        "path": f"~/{HUB}/models--sim-org--launched-1b",
        "size_bytes": apparent_size(folder),
        "catalog_ids": ["launched"],
    }
    assert repo not in repos(body, WORKER)  # a one-node model downloads on the head only

    deleted = await gw.client.delete("/api/models/launched/disk")
    assert deleted.status_code == 200, deleted.text
    assert not folder.exists()


async def test_delete_removes_the_folder_on_every_node_and_is_audited(gw: Gateway) -> None:
    repo = "example-org/tiny-model-1b"
    head_dir = await put_in_cache(gw, HEAD, repo, 3_000_000)
    worker_dir = await put_in_cache(gw, WORKER, repo, 5_000_000)
    other_dir = await put_in_cache(gw, HEAD, "example-org/other-2b", 1000)
    stranger = await put_in_cache(gw, WORKER, "someone/not-in-catalog", 42)
    sizes = {HEAD: apparent_size(head_dir), WORKER: apparent_size(worker_dir)}

    body = await listing(gw)
    assert repos(body, HEAD)[repo]["catalog_ids"] == ["tiny", "tiny-long"]
    assert repos(body, HEAD)[repo]["size_bytes"] == sizes[HEAD] >= 3_000_000
    assert repos(body, WORKER)[repo]["size_bytes"] == sizes[WORKER] >= 5_000_000
    assert repos(body, WORKER)["someone/not-in-catalog"]["catalog_ids"] == []

    response = await gw.client.delete("/api/models/tiny-long/disk")
    assert response.status_code == 200, response.text
    path = f"~/{HUB}/models--example-org--tiny-model-1b"
    assert response.json() == {
        "model": "tiny-long",
        "repo": repo,
        "nodes": {
            HEAD: {"deleted": True, "freed_bytes": sizes[HEAD], "path": path},
            WORKER: {"deleted": True, "freed_bytes": sizes[WORKER], "path": path},
        },
        "errors": {},
    }
    assert not head_dir.exists() and not worker_dir.exists()
    assert other_dir.exists() and stranger.exists()  # only that model's folder went
    body = await listing(gw)
    assert repo not in repos(body, HEAD) and repo not in repos(body, WORKER)

    audit = (await gw.client.get("/api/audit")).json()["entries"][0]
    assert (audit["action"], audit["target"], audit["result"]) == (
        "vllm.disk_delete",
        "tiny-long",
        "ok",
    )
    assert audit["detail"]["deleted_on"] == [HEAD, WORKER]
    assert audit["detail"]["freed_bytes"] == sizes[HEAD] + sizes[WORKER]

    # Deleting again finds nothing, says so, and fails nowhere.
    again = (await gw.client.delete("/api/models/tiny/disk")).json()
    assert {n: d["deleted"] for n, d in again["nodes"].items()} == {HEAD: False, WORKER: False}

    # One node only.
    await put_in_cache(gw, WORKER, "example-org/other-2b", 1000)
    one = await gw.client.delete("/api/models/other/disk", params={"node": WORKER})
    assert one.status_code == 200 and list(one.json()["nodes"]) == [WORKER]
    assert other_dir.exists() and not cache_dir(gw, WORKER, "example-org/other-2b").exists()
    bad_node = await gw.client.delete("/api/models/other/disk", params={"node": "spark-9"})
    assert bad_node.status_code == 422
    assert "spark-9" in bad_node.json()["error"]["message"]


async def test_delete_is_refused_for_local_running_and_unknown_models(gw: Gateway) -> None:
    repo = "example-org/tiny-model-1b"
    folder = await put_in_cache(gw, HEAD, repo, 1000)

    local = await gw.client.delete("/api/models/my-local/disk")
    assert local.status_code == 422
    assert "local models are never deleted by Spark Control" in local.json()["error"]["message"]

    gw.plugin.running = "tiny"
    running = await gw.client.delete("/api/models/tiny/disk")
    assert running.status_code == 409
    error = running.json()["error"]
    assert error["message"].startswith("tiny is the model running now")
    assert error["detail"] == {"model": "tiny", "running": "tiny"}
    # Another entry reading the same files is as much in use.
    sibling = await gw.client.delete("/api/models/tiny-long/disk")
    assert sibling.status_code == 409
    assert sibling.json()["error"]["message"] == (
        "tiny-long shares its files with tiny, the model running now: stop it or swap to "
        "another model before deleting it from disk."
    )
    assert folder.exists()
    audit = (await gw.client.get("/api/audit")).json()["entries"]
    assert [(e["target"], e["result"]) for e in audit[:3]] == [
        ("tiny-long", "refused"),
        ("tiny", "refused"),
        ("my-local", "refused"),
    ]

    gw.plugin.running = "other"  # something else runs: now it may go
    assert (await gw.client.delete("/api/models/tiny/disk")).status_code == 200
    assert not folder.exists()

    unknown = await gw.client.delete("/api/models/nope/disk")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["message"] == "no model 'nope' in the catalog"


async def test_a_node_that_cannot_be_reached_is_named_and_the_others_still_answer(
    gw: Gateway, cluster: SimCluster
) -> None:
    repo = "example-org/other-2b"
    head_dir = await put_in_cache(gw, HEAD, repo, 2000)
    await put_in_cache(gw, WORKER, repo, 2000)
    cluster.set_node_down(WORKER, True)
    try:
        body = await listing(gw)
        deleted = await gw.client.delete("/api/models/other/disk")
    finally:
        cluster.set_node_down(WORKER, False)
    assert repo in repos(body, HEAD) and WORKER not in body["nodes"]
    assert body["errors"][WORKER].startswith(f"node {WORKER} is unreachable over SSH")

    assert deleted.status_code == 200, deleted.text
    answer = deleted.json()
    assert answer["nodes"][HEAD]["deleted"] and not head_dir.exists()
    assert list(answer["errors"]) == [WORKER]
    assert cache_dir(gw, WORKER, repo).exists()  # still there: the node was away
    audit = (await gw.client.get("/api/audit")).json()["entries"][0]
    assert (audit["target"], audit["result"]) == ("other", "partial")
    # Once it is back, deleting again finishes the job.
    again = (await gw.client.delete("/api/models/other/disk")).json()
    assert again["nodes"][WORKER]["deleted"] and not cache_dir(gw, WORKER, repo).exists()


async def test_the_routes_are_documented_with_their_refusals(gw: Gateway) -> None:
    schema = (await gw.client.get("/openapi.json")).json()
    listed = schema["paths"]["/api/models/disk"]["get"]
    assert listed["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/DiskListing"
    }
    delete = schema["paths"]["/api/models/{model_id}/disk"]["delete"]
    assert {"200", "404", "409", "422", "503"} <= set(delete["responses"])
    example = delete["responses"]["422"]["content"]["application/json"]["example"]
    assert "local models are never deleted by Spark Control" in example["error"]["message"]


@pytest.mark.parametrize(
    "raw",
    [
        "..%2F..%2Fspark-vllm-docker",
        "%2E%2E",
        "models--example-org--other-2b",
        "other%3B%20rm%20-rf%20~",
        "%2Fetc",
        "x" * 65,
    ],
)
async def test_path_traversal_ish_ids_are_refused_and_touch_nothing(
    gw: Gateway, cluster: SimCluster, raw: str
) -> None:
    canary = await put_in_cache(gw, HEAD, "example-org/other-2b", 10)
    launcher = cluster.nodes[HEAD].home() / "spark-vllm-docker" / "launch-cluster.sh"
    response = await gw.client.delete(f"/api/models/{raw}/disk")
    assert 400 <= response.status_code < 500, response.text
    assert canary.exists() and launcher.exists()


# -- node checks ------------------------------------------------------------------------


def vllm_rows(rows: list[CheckRow]) -> dict[tuple[str, str], CheckRow]:
    return {(r.node, r.check): r for r in rows if r.owner == "vllm"}


async def test_checks_on_the_simulated_cluster(gw: Gateway, cluster: SimCluster) -> None:
    rows = vllm_rows(await run_node_checks(gw.gw.gateway))
    assert set(rows) == {
        (node, check)
        for node in (HEAD, WORKER)
        for check in ("launcher", "launcher_version", "worker_ssh")
    }
    launcher = rows[HEAD, "launcher"]
    assert launcher.ok, launcher.detail
    assert launcher.detail == "~/spark-vllm-docker/launch-cluster.sh is present and executable"

    version = rows[HEAD, "launcher_version"]
    assert not version.ok
    assert version.detail.startswith("cannot tell the version: not a git checkout")
    assert "git clone https://github.com/eugr/spark-vllm-docker ~/spark-vllm-docker" in (
        version.detail
    )

    worker = rows[HEAD, "worker_ssh"]
    address = cluster.nodes[WORKER].address
    assert worker.ok, worker.detail
    assert worker.detail == f"{HEAD} reaches {WORKER} ({address}) over SSH without a password"

    for check in ("launcher", "launcher_version", "worker_ssh"):
        row = rows[WORKER, check]
        assert row.ok and row.detail.startswith("not the head node"), row


async def test_worker_ssh_check_names_the_worker_that_is_down(
    gw: Gateway, cluster: SimCluster
) -> None:
    head = gw.host.topology.nodes[HEAD]
    address = cluster.nodes[WORKER].address
    cluster.set_node_down(WORKER, True)
    try:
        result = await check_worker_ssh(gw.host, head)
    finally:
        cluster.set_node_down(WORKER, False)
    assert not result.ok
    assert result.detail.startswith(
        f"{HEAD} cannot SSH to worker {WORKER} ({address}) without a password: "
    )
    assert f"ssh-copy-id {address}" in result.detail
    assert (await check_worker_ssh(gw.host, head)).ok  # and back


async def test_version_check_compares_a_git_checkout_with_the_pin(
    cluster: SimCluster, tmp_path: Path
) -> None:
    checkout = "pinned-launcher"
    git = ["git", "-c", "user.name=sim", "-c", "user.email=sim@example.invalid"]
    async with gateway(cluster, tmp_path / "a", {"launcher_dir": f"~/{checkout}"}) as gw:
        await gw.run(
            from_home(
                RemoteCommand("git", "init", "-q", checkout),
                RemoteCommand(*git, "-C", checkout, "commit", "-q", "--allow-empty", "-m", "pin"),
            )
        )
        head = await gw.run(from_home(RemoteCommand("git", "-C", checkout, "rev-parse", "HEAD")))
        commit = head.stdout.strip()
        node = gw.host.topology.nodes[HEAD]
        mismatch = await check_launcher_version(gw.host, node)
        assert not mismatch.ok
        assert mismatch.detail.startswith(
            f"~/{checkout} is at commit {commit[:12]}, but the pinned launcher version is "
            "013cd2ea2264: run git -C ~/pinned-launcher fetch"
        )
        # A git checkout without the script is not a launcher.
        launcher = await check_launcher(gw.host, node)
        assert not launcher.ok
        assert launcher.detail == (
            f"~/{checkout} on {HEAD} has no launch-cluster.sh: it is not a spark-vllm-docker "
            "checkout; point vllm.launcher_dir at one"
        )

    pinned = {"launcher_dir": f"~/{checkout}", "launcher_version": commit[:10]}
    async with gateway(cluster, tmp_path / "b", pinned) as gw:
        version = await check_launcher_version(gw.host, gw.host.topology.nodes[HEAD])
        assert version.ok
        assert version.detail == f"~/{checkout} is at the pinned commit {commit[:12]}"

    missing = {"launcher_dir": "~/nowhere", "worker_nodes": []}
    async with gateway(cluster, tmp_path / "c", missing) as gw:
        node = gw.host.topology.nodes[HEAD]
        launcher = await check_launcher(gw.host, node)
        assert not launcher.ok
        assert launcher.detail.startswith(
            f"no launcher checkout at ~/nowhere on {HEAD}: git clone "
        )
        version = await check_launcher_version(gw.host, node)
        assert not version.ok
        assert "cannot tell the version: ~/nowhere does not exist" in version.detail
        workers = await check_worker_ssh(gw.host, node)
        assert workers.ok and "no worker nodes configured" in workers.detail
