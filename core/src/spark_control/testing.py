"""Test helpers and the pytest plugin for Spark Control and its plugin authors.

``running_gateway`` serves a real gateway over real HTTP on a loopback port chosen by
the OS, so tests exercise the same middleware, lifespan and streaming as production;
``gateway_process`` serves one in a process of its own (``spark-control serve``), for
what needs a process to kill or pause (failover tests, benchmarks).
Installed as a pytest plugin (entry point ``pytest11``), this module also offers the
fixtures ``spark_sim_cluster`` (one simulated cluster per session, with every installed
plugin's simulated world), ``spark_config``, ``spark_gateway`` and ``spark_postgres`` (a
throwaway PostgreSQL cluster per session, skipped where PostgreSQL is not installed).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from spark_control.audit import AuditMisuse
from spark_control.gateway import Gateway
from spark_control.pg_cluster import PostgresCluster, postgres_unavailable
from spark_control.plugins import load_plugins
from spark_control.server import bind_loopback, make_server
from spark_control.settings import LoadedConfig, load_config, write_config
from spark_control.sim import SimCluster
from spark_control.sim.registry import collect_simulation

# Each simulated node listens on its own loopback address, so a backend's fixed port is
# free there by construction; a test run picks its own /24, so two runs sharing a machine
# (or a developer's demo) never meet. SPARK_CONTROL_SIM_BASE_ADDRESS pins it.
SIM_BASE_ADDRESS_ENV = "SPARK_CONTROL_SIM_BASE_ADDRESS"
#: Set to 1 (CI does) to fail, not skip, the tests that need PostgreSQL where it is missing.
REQUIRE_POSTGRES_ENV = "SPARK_CONTROL_REQUIRE_POSTGRES"


def sim_base_address(environ: Mapping[str, str] | None = None) -> str:
    """The first node's address of this test run's simulated cluster."""
    chosen = (os.environ if environ is None else environ).get(SIM_BASE_ADDRESS_ENV, "").strip()
    if chosen:
        return chosen
    # Away from 127.0.x.x, where the project's own suites and the demo live.
    pick = random.SystemRandom()
    return f"127.{pick.randint(100, 254)}.{pick.randint(0, 255)}.1"


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

    def plugin(self, name: str) -> Any:
        """The object the gateway built for plugin ``name`` (for what no API shows)."""
        found = self.gateway.pm.get_plugin(name)
        if found is None:
            raise LookupError(f"plugin {name!r} is not loaded: {self.gateway.unavailable(name)}")
        return found


@contextlib.asynccontextmanager
async def running_gateway(
    config: LoadedConfig,
    *,
    extra_plugins: Mapping[str, object] | None = None,
    start_timeout_s: float = 30.0,
    sock: socket.socket | None = None,
) -> AsyncIterator[RunningGateway]:
    """Serve a gateway for ``config`` on 127.0.0.1 and yield it with an HTTP client;
    on ``sock`` (from ``bind_loopback``) when the config must name its port."""
    gateway = Gateway(config, extra_plugins=extra_plugins)
    sock = sock or bind_loopback()
    port = sock.getsockname()[1]
    server = make_server(gateway, log_level="warning")
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        # A plugin whose start-up never finishes must fail the test, not hang the run.
        async with asyncio.timeout(start_timeout_s):
            while not server.started:
                if task.done():
                    task.result()
                    raise RuntimeError("gateway exited during start-up")
                await asyncio.sleep(0.01)
        url = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=url, timeout=30.0, trust_env=False) as client:
            yield RunningGateway(gateway, url, client)
        # The gateway keeps a wrong audit.record call's entry and answers the request;
        # a plugin's tests should still fail on it, naming each call.
        if gateway.host.audit.misuses:
            raise AuditMisuse("\n".join(gateway.host.audit.misuses))
    finally:
        server.request_exit()
        if not task.done():
            done, _ = await asyncio.wait({task}, timeout=10 if server.started else 0.5)
            if not done:  # stuck in start-up, where uvicorn does not look at should_exit
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        sock.close()


@dataclass
class GatewayProcess:
    """A gateway served by ``spark-control serve`` in a process of its own."""

    process: subprocess.Popen[bytes]
    url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextlib.contextmanager
def gateway_process(
    config_path: Path, *, log_path: Path, start_timeout_s: float = 60.0
) -> Iterator[GatewayProcess]:
    """Run ``spark-control serve -c config_path`` on a free loopback port until the
    block ends (then SIGTERM, and SIGKILL if it lingers); yields once ``/health``
    answers. Its output goes to ``log_path``."""
    sock = bind_loopback()
    port = sock.getsockname()[1]
    sock.close()  # the child binds it at once (the small race of any free-port pick)
    cli = Path(sys.executable).with_name("spark-control")
    argv = [str(cli)] if cli.exists() else [sys.executable, "-m", "spark_control.cli"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*argv, "serve", "-c", str(config_path), "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout_s
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"the gateway exited during start-up: {log_path.read_text()[-2000:]}"
                )
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/health", timeout=1.0, trust_env=False).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the gateway did not answer within {start_timeout_s:g} s")
            time.sleep(0.1)
        yield GatewayProcess(process, url, log_path)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


# --- pytest fixtures (this module is a pytest11 plugin) --------------------------------


@pytest.fixture(scope="session")
def spark_sim_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    """The simulated cluster (two nodes, every installed plugin's images and commands),
    started once per test session; it runs in its own thread, so any event loop may
    use it."""
    pm, _ = load_plugins(None, {}, {})
    cluster = SimCluster(
        tmp_path_factory.mktemp("spark-sim"),
        registry=collect_simulation(pm),
        base_address=sim_base_address(),
    )
    with cluster:
        yield cluster


@pytest.fixture(scope="session")
def spark_postgres() -> Iterator[str]:
    """The DSN of a throwaway PostgreSQL cluster (Debian's ``postgresql``: ``initdb`` into
    a temp folder, a loopback port), started once per test session and stopped after,
    also on Ctrl-C. Tests using it are skipped, with the reason, where PostgreSQL is not
    installed (they fail instead with ``SPARK_CONTROL_REQUIRE_POSTGRES=1``, as in CI).
    Each test should use its own tables or schema, or clean up after itself."""
    reason = postgres_unavailable()
    if reason is not None:
        if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":  # CI: a skip would hide the gap
            pytest.fail(f"{REQUIRE_POSTGRES_ENV}=1 but {reason}")
        pytest.skip(reason)
    with PostgresCluster() as cluster:
        yield cluster.dsn


@pytest.fixture
def spark_config(tmp_path: Path, spark_sim_cluster: SimCluster) -> LoadedConfig:
    """A gateway config pointing at ``spark_sim_cluster``, with fast health polling, and
    the settings every plugin's ``spark_sim`` gave with ``sim.settings({...})`` as its
    own section (as the demo's config has them)."""
    return make_config(
        tmp_path,
        {**spark_sim_cluster.registry.settings, "nodes": spark_sim_cluster.topology_config()},
    )


def pytest_configure(config: pytest.Config) -> None:
    """Async tests and fixtures run without configuration: pytest-asyncio's ``auto`` mode
    replaces its default ``strict`` one (a project opts out with ``--asyncio-mode``)."""
    try:
        mode = config.getoption("asyncio_mode", None) or config.getini("asyncio_mode")
    except ValueError:  # pytest-asyncio is not installed
        return
    if config.getoption("asyncio_mode", None) is None and mode == "strict":
        config.option.asyncio_mode = "auto"


try:
    import pytest_asyncio
except ImportError:  # the async fixture needs pytest-asyncio; the rest does not
    pass
else:

    @pytest_asyncio.fixture
    async def spark_gateway(spark_config: LoadedConfig) -> AsyncIterator[RunningGateway]:
        """A gateway with every installed plugin, served over HTTP against the
        simulated cluster; ``.client`` is an httpx client on its URL."""
        async with running_gateway(spark_config) as gateway:
            yield gateway
