"""The core's own features are default plugins: registered through the same hooks as
any plugin, judged by the same ledger, and served by module-level routers whose
handlers get their gateway through a dependency (issue 19)."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute

from spark_control import core_routes, health
from spark_control.core_plugins import DEFAULT_PLUGINS
from spark_control.gateway import Gateway
from spark_control.plugins import implementations
from spark_control.testing import running_gateway
from tests.core.helpers import core_config
from tests.core.test_plugin_host import RouteOnly


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _nodes(*names: str) -> dict[str, Any]:
    port = _closed_port()  # nothing answers: the nodes' data, not SSH, is under test
    return {"nodes": {n: {"address": "127.0.0.1", "port": port, "user": "alice"} for n in names}}


async def test_core_features_come_through_the_hooks_first_as_core(tmp_path: Path) -> None:
    config = core_config(tmp_path, _nodes("spark-1"))
    async with running_gateway(
        config, extra_plugins={"hello": RouteOnly("hello", "/api/hi")}
    ) as gw:
        gateway = gw.gateway
        names = [impl.plugin_name for impl in implementations(gateway.pm, "spark_routes")]
        assert names == [cls.name for cls in DEFAULT_PLUGINS] + ["hello"]
        assert list(gateway.contributions) == ["core", "hello"]
        core = gateway.contributions["core"]
        paths = {route.path for route in core.routes() if isinstance(route, APIRoute)}
        features = ["/health", "/api/plugins", "/api/nodes", "/api/session", "/api/keys"]
        features += ["/api/events", "/api/audit", "/api/health", "/metrics", "/", "/docs"]
        assert set(features) <= paths
        # The node's SSH probe and the prerequisite checks are the core's contribution.
        assert [p.name for p in core.probes] == ["node:spark-1"]
        assert gateway.health.snapshot()["node:spark-1"].owner == "core"
        assert [name for name, _ in core.checks] == ["ssh", "docker", "gpu", "memory", "disk"]
        # Not plugins a user enables: /api/plugins lists only theirs.
        listed = {p["name"]: p["status"] for p in (await gw.client.get("/api/plugins")).json()}
        assert listed["hello"] == "loaded"
        assert not [name for name in listed if name.startswith("core")]
        assert (await gw.client.get("/api/hi")).json()["plugin"] == "hello"


async def test_two_gateways_share_the_core_routers_and_answer_for_themselves(
    tmp_path: Path,
) -> None:
    one_config = core_config(tmp_path / "one", _nodes("spark-1"))
    two_config = core_config(tmp_path / "two", _nodes("spark-7", "spark-8"))
    async with running_gateway(one_config) as one, running_gateway(two_config) as two:
        assert [n["name"] for n in (await one.client.get("/api/nodes")).json()] == ["spark-1"]
        assert [n["name"] for n in (await two.client.get("/api/nodes")).json()] == [
            "spark-7",
            "spark-8",
        ]
        await one.host.audit.record("demo.one", actor="alice", origin="cli", result="ok")
        one_audit = (await one.client.get("/api/audit")).json()["entries"]
        two_audit = (await two.client.get("/api/audit")).json()["entries"]
        assert [e["action"] for e in one_audit] == ["demo.one"]
        assert two_audit == []
        health_one = (await one.client.get("/api/health")).json()["probes"]
        assert set(health_one) == {"node:spark-1"}
    # One router object, mounted by both: its handlers are importable by name.
    assert core_routes.list_nodes in [r.endpoint for r in core_routes.nodes_router.routes]
    assert health.health_deep in [r.endpoint for r in health.router.routes]


def test_a_core_feature_that_cannot_start_stops_the_gateway(tmp_path: Path) -> None:
    """Unlike a plugin, which is left out with its reason, a default plugin that fails to
    start (here core.nodes: the gateway's key folder is a file) stops start-up."""
    config = core_config(tmp_path)
    data_dir = Path(config.core.gateway.data_dir)
    data_dir.mkdir(parents=True)
    (data_dir / "ssh").write_text("not a folder")
    gateway = Gateway(config)

    async def start() -> None:
        async with gateway.app.router.lifespan_context(gateway.app):
            pass

    with pytest.raises(Exception, match="ssh"):
        asyncio.run(start())
