"""Helpers of the browser tests: gateways with throwaway plugins, simulated nodes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from spark_control.sim.sshd import SimNodeServer, make_client_key
from spark_control.testing import RunningGateway, make_config, running_gateway

USER = "alice"


@asynccontextmanager
async def serve(
    tmp_path: Path,
    plugins: Mapping[str, object] | None = None,
    nodes: Mapping[str, dict[str, Any]] | None = None,
) -> AsyncIterator[RunningGateway]:
    """A gateway with only ``plugins`` (installed ones left out) and ``nodes``."""
    data: dict[str, Any] = {"plugins": {"enabled": []}}
    if nodes:
        data["nodes"] = dict(nodes)
    async with running_gateway(make_config(tmp_path, data), extra_plugins=plugins) as gw:
        yield gw


@asynccontextmanager
async def sim_nodes(tmp_path: Path, *addresses: str) -> AsyncIterator[dict[str, Any]]:
    """Simulated nodes ``spark-1``, ``spark-2``… on ``addresses``, and their node config."""
    key = make_client_key(tmp_path / "keys", USER)
    servers: list[SimNodeServer] = []
    try:
        for index, address in enumerate(addresses, start=1):
            server = SimNodeServer(
                tmp_path / f"node{index}", address=address, users={USER: [key.public_openssh]}
            )
            await server.start()
            servers.append(server)
        config = {
            f"spark-{i}": {
                "address": s.address,
                "port": s.port,
                "user": USER,
                "key_path": str(key.private_path),
            }
            for i, s in enumerate(servers, start=1)
        }
        yield {"servers": servers, "config": config}
    finally:
        for server in servers:
            await server.stop()


async def open_dashboard(page: Any, gateway: RunningGateway) -> None:
    await page.goto(gateway.url + "/")
    await page.wait_for_selector("body[data-ready='true']")
