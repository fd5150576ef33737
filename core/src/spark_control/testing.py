"""Test helpers for Spark Control and its plugin authors.

``running_gateway`` serves a real gateway over real HTTP on a loopback port chosen by
the OS, so tests exercise the same middleware, lifespan and streaming as production.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

from spark_control.app import Gateway
from spark_control.server import bind_loopback, make_server
from spark_control.settings import LoadedConfig, load_config


def write_config(path: Path, data: Mapping[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(dict(data)), encoding="utf-8")
    return path


def make_config(
    tmp_path: Path, data: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> LoadedConfig:
    """A config with its data directory under ``tmp_path`` and fast health polling."""
    merged: dict[str, Any] = {
        "gateway": {"data_dir": str(tmp_path / "data")},
        "health": {"interval_s": 0.2, "probe_timeout_s": 1.0, "damping": 1},
        "ssh": {"connect_timeout_s": 2.0, "command_timeout_s": 5.0},
    }
    for section, values in (data or {}).items():
        if isinstance(values, dict) and isinstance(merged.get(section), dict):
            merged[section] = {**merged[section], **values}
        else:
            merged[section] = values
    path = write_config(tmp_path / "spark-control.yaml", merged)
    return load_config(path, environ=dict(environ or {}))


@dataclass
class RunningGateway:
    gateway: Gateway
    url: str
    client: httpx.AsyncClient

    @property
    def host(self) -> Any:
        return self.gateway.host


@contextlib.asynccontextmanager
async def running_gateway(
    config: LoadedConfig, *, extra_plugins: Mapping[str, object] | None = None
) -> AsyncIterator[RunningGateway]:
    """Serve a gateway for ``config`` on 127.0.0.1 and yield it with an HTTP client."""
    gateway = Gateway(config, extra_plugins=extra_plugins)
    sock = bind_loopback()
    port = sock.getsockname()[1]
    server = make_server(gateway, log_level="warning")
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("gateway exited during start-up")
        await asyncio.sleep(0.01)
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url, timeout=30.0, trust_env=False) as client:
            yield RunningGateway(gateway, url, client)
    finally:
        server.request_exit()
        await task
        sock.close()
