"""Local models through the HTTP API against the simulated cluster: the folder checks run
over real SSH on the head node, and a swap to a local model runs the launcher and vLLM
stand-ins with the folder bind-mounted at the same path."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from spark_control import hookimpl
from spark_control.contrib import Action, Refusal
from spark_control.sim import SimCluster
from spark_control.ssh import RemoteCommand, Script, arg
from spark_control.testing import RunningGateway, make_config, running_gateway
from spark_control_vllm.local_models import LocalModelRequest, root_command
from spark_control_vllm.sim import set_vllm_failure, set_vllm_load_time
from tests.vllm.conftest import sim_cluster

HEAD = "spark-1"
HUB_MODEL = "from-overrides"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("local-sim"), "127.0.0.120") as sim:
        yield sim


class Gate:
    """Refuses the local-model actions while ``closed``."""

    closed = False

    @hookimpl
    def spark_gate(self, action: Action) -> Refusal | None:
        if self.closed and action.name in ("vllm.model_add", "vllm.model_remove"):
            return Refusal(423, "the catalog is locked by Bob", detail={"holder": "Bob"})
        return None


class Node:
    """The head node as the gateway's SSH user sees it."""

    def __init__(self, gw: RunningGateway) -> None:
        self.gw = gw
        self.node = gw.host.topology.node(HEAD)

    async def run(self, script: Script, stdin: str | None = None) -> str:
        result = await self.gw.host.ssh.run(self.node, script, stdin=stdin)
        assert result.ok, result.stderr
        return result.stdout.strip()

    async def home(self) -> str:
        return await self.run(root_command("~"))

    async def folder(self, relative: str, *files: str) -> str:
        """Make ``~/relative`` holding ``files``; its absolute path."""
        path = f"{await self.home()}/{relative}"
        await self.run(RemoteCommand("mkdir", "-p", arg.path(path)))
        for name in files:
            target = arg.path(f"{path}/{name}")
            await self.run(RemoteCommand("cat").redirect(stdout=target), stdin="{}\n")
        return path

    async def symlink(self, target: str, link: str) -> None:
        await self.run(RemoteCommand("ln", "-s", arg.path(target), arg.path(link)))

    async def exists(self, path: str) -> bool:
        result = await self.gw.host.ssh.run(self.node, RemoteCommand("test", "-d", arg.path(path)))
        return result.ok


@pytest.fixture
async def gateway(tmp_path: Path, cluster: SimCluster) -> AsyncIterator[RunningGateway]:
    overrides = tmp_path / "models.yaml"
    overrides.write_text(
        yaml.safe_dump(
            {
                "models": [
                    {
                        "id": HUB_MODEL,
                        "display_name": "From the overrides file",
                        "hf_repo": "example/from-overrides",
                        "memory_gb": 8,
                    }
                ]
            }
        )
    )
    set_vllm_failure(cluster, HEAD, None)
    set_vllm_load_time(cluster, HEAD, None)
    config = make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["vllm"]},
            "vllm": {
                "catalog_overrides": str(overrides),
                "load_deadline_s": 20,
                "download_deadline_s": 20,
            },
        },
    )
    async with running_gateway(config, extra_plugins={"gate": Gate()}) as gw:
        yield gw
        await gw.client.post("/api/vllm/stop")


def _body(model_id: str, path: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": model_id,
        "display_name": f"Fine-tune {model_id}",
        "local_path": path,
        "memory_gb": 8,
        **extra,
    }


async def _add(gw: RunningGateway, body: dict[str, Any]) -> httpx.Response:
    return await gw.client.post("/api/models", json=body, headers={"X-Actor": "Alice"})


async def _models(gw: RunningGateway) -> dict[str, dict[str, Any]]:
    return {m["id"]: m for m in (await gw.client.get("/api/models")).json()["models"]}


def _overrides_ids(gw: RunningGateway) -> list[str]:
    path = gw.host.plugin_settings("vllm").catalog_overrides
    return [m["id"] for m in yaml.safe_load(path.read_text())["models"]]


async def _settled(gw: RunningGateway, timeout: float = 30) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            status = (await gw.client.get("/api/swap")).json()
            if status["state"] != "swapping":
                return status
            await asyncio.sleep(0.05)


def _unique(prefix: str) -> str:
    # The cluster (and its home folders) lives for the module; each test its own names.
    # No digits: the vLLM stand-in reads "<n>b" in a model's path as its size.
    return f"{prefix}-{''.join(secrets.choice('acdefghjkmnpqrstuvwxyz') for _ in range(6))}"


async def test_a_local_model_is_added_served_from_its_folder_and_removed(
    gateway: RunningGateway, cluster: SimCluster
) -> None:
    node = Node(gateway)
    name = _unique("ft")
    path = await node.folder(f"models/{name}", "config.json", "chat_template.jinja")
    body = _body(
        name,
        path,
        served_model_name=f"alice/{name}",
        chat_template=f"{path}/chat_template.jinja",
        max_model_len=4096,
    )

    added = await _add(gateway, body)
    assert added.status_code == 201, added.text
    assert added.json()["local_path"] == path and added.json()["state"] == "available"
    assert (await _models(gateway))[name]["chat_template"] == f"{path}/chat_template.jinja"
    assert name in _overrides_ids(gateway)
    audit = await gateway.host.audit.list(action="vllm.model_add")
    assert (audit[0]["target"], audit[0]["result"], audit[0]["actor"]) == (name, "ok", "Alice")
    assert any(
        e.type == "vllm.model_added" and e.data["model"] == name
        for e in gateway.host.events.buffered()
    )

    started = await gateway.client.post("/api/swap", json={"model": name})
    assert started.status_code == 202, started.text
    status = await _settled(gateway)
    swap = (await gateway.client.get(f"/api/swap/{started.json()['id']}")).json()
    assert (status["state"], status["model"]) == ("ready", name), swap["log_excerpt"]
    container = cluster.container(HEAD, "vllm_node")
    assert container is not None
    assert f"{path}:{path}:ro" in container["HostConfig"]["Binds"]
    async with httpx.AsyncClient(trust_env=False, timeout=10) as client:
        completion = await client.post(
            f"http://{cluster.head.address}:8888/v1/chat/completions",
            json={"model": f"alice/{name}", "messages": [{"role": "user", "content": "hi"}]},
        )
    assert completion.status_code == 200, completion.text

    busy = await gateway.client.delete(f"/api/models/{name}")
    assert busy.status_code == 409 and "in use" in busy.json()["error"]["message"]
    assert (await gateway.client.post("/api/vllm/stop")).status_code == 200

    removed = await gateway.client.delete(f"/api/models/{name}", headers={"X-Actor": "Bob"})
    assert removed.status_code == 200, removed.text
    assert removed.json()["id"] == name
    assert name not in await _models(gateway)
    assert name not in _overrides_ids(gateway) and HUB_MODEL in _overrides_ids(gateway)
    assert await node.exists(path), "removing from the catalog never touches the disk"
    audit = await gateway.host.audit.list(action="vllm.model_remove")
    assert [(a["result"], a["actor"]) for a in audit[:2]] == [
        ("ok", "Bob"),
        ("refused", "anonymous"),
    ]


async def test_a_bad_body_is_a_422_naming_the_field(gateway: RunningGateway) -> None:
    path = "/srv/models/x"
    cases = {
        "local_path": {k: v for k, v in _body("x", path).items() if k != "local_path"},
        "hf_repo": _body("x", path, hf_repo="example/x"),
        "chat_template": _body("x", path, chat_template="/srv/other/t.jinja"),
        "id": _body("Not A Slug", path),
        "memory_gb": {k: v for k, v in _body("x", path).items() if k != "memory_gb"},
        "extra_args": _body("x", path, extra_args=["--api-key=secret"]),
        "env": _body("x", path, env={"HF_TOKEN": "hf_x"}),
    }
    for field, body in cases.items():
        response = await _add(gateway, body)
        assert response.status_code == 422, (field, response.text)
        assert response.json()["error"]["detail"]["field"] == field, response.text
    schema = (await gateway.client.get("/openapi.json")).json()["paths"]
    assert {"201", "409", "422", "423"} <= set(schema["/api/models"]["post"]["responses"])
    assert {"404", "409", "422"} <= set(schema["/api/models/{model_id}"]["delete"]["responses"])
    relative = await _add(gateway, _body("x", "models/x"))
    assert relative.status_code == 422 and "absolute" in relative.json()["error"]["message"]
    assert "x" not in await _models(gateway)


async def test_the_folder_is_checked_on_the_node(gateway: RunningGateway) -> None:
    node = Node(gateway)
    home = await node.home()
    name = _unique("chk")
    good = await node.folder(f"models/{name}", "config.json", "t.jinja")
    no_config = await node.folder(f"models/{name}-empty", "README.md")
    outside = await node.folder(f"elsewhere/{name}", "config.json", "t.jinja")
    await node.symlink(outside, f"{home}/models/{name}-link")
    await node.symlink(f"{outside}/t.jinja", f"{good}/escape.jinja")

    cases: list[tuple[dict[str, Any], str, str]] = [
        (_body(name, f"{home}/models/{name}-missing"), "local_path", "is not a directory"),
        (_body(name, no_config), "local_path", "has no config.json"),
        (_body(name, outside), "local_path", "is not inside a local model root"),
        (_body(name, f"{home}/models/{name}-link"), "local_path", f"really {outside}"),
        (
            _body(name, good, chat_template=f"{good}/missing.jinja"),
            "chat_template",
            "is not a file",
        ),
        (
            _body(name, good, chat_template=f"{good}/escape.jinja"),
            "chat_template",
            "outside the model folder",
        ),
    ]
    for body, field, words in cases:
        response = await _add(gateway, body)
        assert response.status_code == 422, (body, response.text)
        error = response.json()["error"]
        assert error["detail"] == {**error["detail"], "field": field, "node": HEAD}
        assert words in error["message"], error["message"]
    assert name not in await _models(gateway)
    refused = await gateway.host.audit.list(action="vllm.model_add")
    assert len(refused) == len(cases) and {a["result"] for a in refused} == {"refused"}

    ok = await _add(gateway, _body(name, good, chat_template=f"{good}/t.jinja"))
    assert ok.status_code == 201, ok.text


async def test_conflicts_refusals_and_the_gate(gateway: RunningGateway) -> None:
    node = Node(gateway)
    name = _unique("gate")
    path = await node.folder(f"models/{name}", "config.json")

    shipped = await _add(gateway, _body("gpt-oss-20b", path))
    assert shipped.status_code == 409 and "already exists" in shipped.json()["error"]["message"]

    Gate.closed = True
    try:
        locked = await _add(gateway, _body(name, path))
        assert locked.status_code == 423
        assert locked.json()["error"]["message"] == "the catalog is locked by Bob"
        assert name not in await _models(gateway)
        assert (await _add(gateway, _body(name, path))).status_code == 423
    finally:
        Gate.closed = False
    assert (await _add(gateway, _body(name, path))).status_code == 201
    again = await _add(gateway, _body(name, path))
    assert again.status_code == 409

    Gate.closed = True
    try:
        assert (await gateway.client.delete(f"/api/models/{name}")).status_code == 423
    finally:
        Gate.closed = False
    assert name in await _models(gateway)

    unknown = await gateway.client.delete("/api/models/no-such-model")
    assert unknown.status_code == 404
    for model_id, words in (("gpt-oss-20b", "shipped"), (HUB_MODEL, "not a local model")):
        refused = await gateway.client.delete(f"/api/models/{model_id}")
        assert refused.status_code == 422, refused.text
        assert words in refused.json()["error"]["message"]
        assert model_id in await _models(gateway)
    assert (await gateway.client.delete(f"/api/models/{name}")).status_code == 200


async def test_without_an_overrides_file_local_models_are_kept_in_the_data_directory(
    tmp_path: Path, cluster: SimCluster
) -> None:
    config = make_config(
        tmp_path, {"nodes": cluster.topology_config(), "plugins": {"enabled": ["vllm"]}}
    )
    async with running_gateway(config) as gw:
        path = await Node(gw).folder("models/kept", "config.json")
        response = await _add(gw, _body("kept", path))
        assert response.status_code == 201, response.text
    kept = yaml.safe_load((tmp_path / "data" / "vllm-models.yaml").read_text())
    assert [m["id"] for m in kept["models"]] == ["kept"]


def test_the_request_is_a_catalog_entry_with_a_local_source() -> None:
    request = LocalModelRequest.model_validate(
        _body("ft", "/srv/models/ft", chat_template="/srv/models/ft/t.jinja")
    )
    entry = request.entry()
    assert type(entry).__name__ == "CatalogEntry"
    assert (entry.is_local, entry.source, entry.served_name) == (True, "/srv/models/ft", "ft")
