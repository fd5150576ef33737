"""End to end: a value from an HTTP request, through the one builder, to a real node shell.

A gateway route takes user input and runs it on a simulated node (a real asyncssh server
executing /bin/sh). Hostile values are refused with a 4xx naming the field, or run
intact; the marker file an injection would create never appears.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter
from pydantic import BaseModel

from spark_control import hookimpl
from spark_control.sim.sshd import SimNodeServer, make_client_key
from spark_control.ssh import RemoteCommand, arg, const
from spark_control.testing import RunningGateway, running_gateway
from tests.core.helpers import core_config

USER = "alice"


class EchoOnNode:
    """``POST /api/nodes-echo`` prints a container name and a path on spark-1."""

    class Body(BaseModel):
        container: str
        path: str

    @hookimpl
    def spark_routes(self, host: Any, register: Any) -> None:
        router = APIRouter()

        @router.post("/api/nodes-echo")
        async def echo(body: EchoOnNode.Body) -> dict[str, str]:
            command = RemoteCommand(
                "printf", const("%s|%s"), arg.container(body.container), arg.path(body.path)
            )
            result = await host.ssh.run(host.topology.node("spark-1"), command)
            return {"stdout": result.stdout}

        register(router)


@pytest.fixture
async def node(tmp_path: Path) -> AsyncIterator[tuple[SimNodeServer, Path]]:
    key = make_client_key(tmp_path / "keys", USER)
    async with SimNodeServer(
        tmp_path / "node", address="127.0.0.2", users={USER: [key.public_openssh]}
    ) as server:
        yield server, key.private_path


@pytest.fixture
async def gateway(
    tmp_path: Path, node: tuple[SimNodeServer, Path]
) -> AsyncIterator[RunningGateway]:
    server, key_path = node
    config = core_config(
        tmp_path,
        {
            "nodes": {
                "spark-1": {
                    "address": server.address,
                    "port": server.port,
                    "user": USER,
                    "key_path": str(key_path),
                }
            }
        },
    )
    async with running_gateway(config, extra_plugins={"echo": EchoOnNode()}) as gw:
        yield gw


def _printf_runs(server: SimNodeServer) -> int:
    """Commands of the echo route; the node's health probe runs ``true`` meanwhile."""
    return sum(1 for record in server.exec_log if record.command.startswith("printf"))


HOSTILE = [
    "vllm; touch {marker}",
    "$(touch {marker})",
    "`touch {marker}`",
    "x\ntouch {marker}",
    "x && touch {marker}",
    "x | touch {marker}",
    "x > {marker}",
    "-rf",
    "x' ; touch '{marker}",
]


async def test_hostile_values_are_refused_naming_the_field_and_never_run(
    gateway: RunningGateway, node: tuple[SimNodeServer, Path], tmp_path: Path
) -> None:
    server, _ = node
    marker = tmp_path / "node" / "INJECTED"
    for template in HOSTILE:
        value = template.format(marker=marker)
        before = _printf_runs(server)
        response = await gateway.client.post(
            "/api/nodes-echo", json={"container": value, "path": "/models/x"}
        )
        assert response.status_code == 422, value
        error = response.json()["error"]
        assert error["detail"]["field"] == "container"
        assert "container" in error["message"]
        assert _printf_runs(server) == before, "a rejected value reached the node"
        response = await gateway.client.post(
            "/api/nodes-echo", json={"container": "vllm_node", "path": value}
        )
        assert response.status_code == 422, value
        assert response.json()["error"]["detail"]["field"] == "path"
    assert not marker.exists()


async def test_accepted_values_reach_the_shell_intact(gateway: RunningGateway) -> None:
    response = await gateway.client.post(
        "/api/nodes-echo",
        json={"container": "vllm_node-2.a", "path": "/home/alice/models/Qwen3+8B@v1"},
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"stdout": "vllm_node-2.a|/home/alice/models/Qwen3+8B@v1"}


async def test_ssh_probe_of_a_reachable_node_is_ok(gateway: RunningGateway) -> None:
    deep = (await gateway.client.get("/api/health/deep")).json()
    assert deep["probes"]["node:spark-1"]["state"] == "ok"


async def test_node_taken_down_shows_down_with_reason_then_recovers(
    gateway: RunningGateway, node: tuple[SimNodeServer, Path]
) -> None:
    server, _ = node
    await server.set_down(True)
    deep = (await gateway.client.get("/api/health/deep")).json()
    assert deep["probes"]["node:spark-1"]["state"] == "down"
    assert "unreachable" in deep["probes"]["node:spark-1"]["detail"]
    await server.set_down(False)
    deep = (await gateway.client.get("/api/health/deep")).json()
    assert deep["probes"]["node:spark-1"]["state"] == "ok"
