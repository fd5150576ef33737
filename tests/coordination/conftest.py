"""Shared pieces of the coordination tests: a gateway with the vllm and coordination
plugins on a simulated cluster, and a real HTTP webhook receiver on loopback.

Addresses: 127.0.1.0/24 only. Each module that needs a cluster starts its own on its
own base address; receivers listen on 127.0.1.200 (ports chosen by the OS).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway, make_config, running_gateway

RECEIVER_ADDRESS = "127.0.1.200"
# A Standard Webhooks secret (24 random bytes, base64) and a plain one for rotation tests.
SECRET = "whsec_" + base64.b64encode(b"coordination-test-key-24b").decode()
OTHER_SECRET = "whsec_" + base64.b64encode(b"another-test-secret-key-0").decode()


def key_of(secret: str) -> bytes:
    """The HMAC key of a secret, as a receiver derives it (docs/COORDINATION.md)."""
    if secret.startswith("whsec_"):
        return base64.b64decode(secret.removeprefix("whsec_"))
    return secret.encode()


def verify_standard(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """A receiver's Standard Webhooks check, written from the specification."""
    msg_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key_of(secret), signed, hashlib.sha256).digest())
    for candidate in headers["webhook-signature"].split(" "):
        version, _, signature = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(signature.encode(), expected):
            return True
    return False


def verify_spark(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """A simple receiver's ``X-Spark-Signature`` check."""
    expected = "sha256=" + hmac.new(key_of(secret), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["x-spark-signature"], expected)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


#: ``Location`` values a receiver may send with a 3xx that no client could follow.
ODD_LOCATIONS = ("mailto:x", ":::", "http://[bad", "ftp://elsewhere.invalid/", "")


@dataclass
class Receiver:
    """A real HTTP server. Paths: ``/ok``; ``/flaky/<n>`` answers 500 to the first
    ``n`` requests for each webhook-id, then 204; ``/hang`` never answers;
    ``/redirect`` answers 307 to ``/ok``; ``/redirect-to/<n>`` answers 302 with the
    ``n``-th of ``ODD_LOCATIONS`` (unusable ones)."""

    url: str = ""
    requests: list[Received] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _release: asyncio.Event = field(default_factory=asyncio.Event)

    def at(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]

    async def wait_for(self, path: str, count: int, timeout: float = 20) -> list[Received]:
        async with asyncio.timeout(timeout):
            while len(self.at(path)) < count:
                self.arrived.clear()
                await self.arrived.wait()
        return self.at(path)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        headers = {k.lower(): v for k, v in request.headers.items()}
        self.requests.append(Received(request.path, headers, body, time.time()))
        self.arrived.set()
        parts = request.path.strip("/").split("/")
        if parts[0] == "hang":
            await self._release.wait()
            return web.Response(status=204)
        if parts[0] == "redirect":
            return web.Response(status=307, headers={"Location": self.url + "/ok"})
        if parts[0] == "redirect-to":
            return web.Response(status=302, headers={"Location": ODD_LOCATIONS[int(parts[1])]})
        if parts[0] == "flaky":
            seen = [
                r for r in self.at(request.path) if r.headers["webhook-id"] == headers["webhook-id"]
            ]
            if len(seen) <= int(parts[1]):
                return web.Response(status=500, text="not yet")
        return web.Response(status=204)


@contextlib.asynccontextmanager
async def receiver() -> AsyncIterator[Receiver]:
    rec = Receiver()
    app = web.Application()
    app.router.add_route("POST", "/{tail:.*}", rec.handle)
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, RECEIVER_ADDRESS, 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    rec.url = f"http://{RECEIVER_ADDRESS}:{port}"
    try:
        yield rec
    finally:
        rec._release.set()
        await runner.cleanup()


def coordination_config(
    tmp_path: Path,
    cluster: SimCluster | None = None,
    *,
    vllm: bool = True,
    environ: dict[str, str] | None = None,
    **settings: Any,
) -> Any:
    data: dict[str, Any] = {
        "plugins": {"enabled": ["vllm", "coordination"] if vllm else ["coordination"]},
        "coordination": settings,
    }
    if cluster is not None:
        data["nodes"] = cluster.topology_config()
    if vllm:
        data["vllm"] = {"load_deadline_s": 20, "download_deadline_s": 20}
    return make_config(tmp_path, data, environ)


@contextlib.asynccontextmanager
async def coordination_gateway(
    tmp_path: Path, cluster: SimCluster | None = None, *, vllm: bool = True, **settings: Any
) -> AsyncIterator[RunningGateway]:
    """A gateway with the coordination plugin (and vllm on ``cluster``); the same
    ``tmp_path`` twice is the same gateway restarted."""
    config = coordination_config(tmp_path, cluster, vllm=vllm, **settings)
    async with running_gateway(config) as gw:
        yield gw


async def acquire(
    gw: RunningGateway, holder: str = "nightly-job", ttl_s: float = 60, **extra: Any
) -> dict[str, Any]:
    response = await gw.client.post(
        "/api/swap/lock", json={"holder": holder, "reason": "batch run", "ttl_s": ttl_s, **extra}
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


# -- the lease on both backends (tests/coordination/lease_backends.py) -------------------

import pytest  # noqa: E402
import pytest_asyncio  # noqa: E402

from tests.coordination.lease_backends import BACKENDS, Backend, backend  # noqa: E402


@pytest.fixture(params=BACKENDS)
def lease_backend(request: pytest.FixtureRequest) -> tuple[str, str | None]:
    """Which backend, and the PostgreSQL cluster's DSN for the PostgreSQL leg (skipped,
    with the reason, where PostgreSQL is not installed)."""
    if request.param == "postgres":
        return request.param, request.getfixturevalue("spark_postgres")
    return request.param, None


@pytest_asyncio.fixture
async def lease_db(lease_backend: tuple[str, str | None], tmp_path: Path) -> AsyncIterator[Backend]:
    """A fresh database of each backend, with a clock the test sets."""
    kind, dsn = lease_backend
    async with backend(kind, tmp_path, dsn) as db:
        yield db
