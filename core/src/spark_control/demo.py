"""``spark-control demo``: the gateway against a simulated cluster, with no hardware.

The demo keeps its own data directory and starts it afresh on every run: the simulated
nodes get new host keys each time, so last run's pinned keys must not be there to trip
the pinning. Every installed plugin's simulated world comes along (``spark_sim``).
"""

from __future__ import annotations

import contextlib
import shutil
import socket
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from spark_control.errors import ConfigError
from spark_control.gateway import Gateway
from spark_control.plugins import load_plugins
from spark_control.server import make_server
from spark_control.settings import LoadedConfig, load_config, write_config
from spark_control.sim import SimCluster
from spark_control.sim.engine import engine_unavailable
from spark_control.sim.registry import collect_simulation

MARKER = ".spark-control-demo"
BASE_ADDRESS = "127.0.0.10"


@dataclass
class DemoOptions:
    host: str = "127.0.0.1"
    port: int = 9999
    data_dir: Path = Path("demo-data")
    realistic: bool = False
    #: ``"docker"``: a real dockerd behind each simulated node (``sim/engine.py``).
    engine: Literal["docker"] | None = None
    allowed_hosts: Sequence[str] = ()
    extra_config: dict[str, Any] = field(default_factory=dict)


def _fresh_data_dir(path: Path) -> None:
    """Empty the demo's folder, but only one the demo made (or an empty one)."""
    if path.exists() and not path.is_dir():
        raise ConfigError(f"--data-dir {path} is a file; name a folder for the demo")
    if path.exists():
        if not (path / MARKER).exists() and any(path.iterdir()):
            raise ConfigError(
                f"--data-dir {path} is not empty and was not made by the demo; "
                "choose another folder"
            )
        shutil.rmtree(path)
    path.mkdir(parents=True)
    (path / MARKER).write_text("made by spark-control demo; emptied on every run\n")


@contextlib.contextmanager
def demo_cluster(options: DemoOptions) -> Iterator[tuple[SimCluster, LoadedConfig]]:
    """Start the simulated cluster and yield it with the gateway config that uses it."""
    data_dir = options.data_dir.resolve()
    if options.engine is not None and (why := engine_unavailable()) is not None:
        raise ConfigError(f"--engine {options.engine}: {why}")
    _fresh_data_dir(data_dir)
    pm, _ = load_plugins(None, {}, {})
    registry = collect_simulation(pm)
    cluster = SimCluster(
        data_dir / "sim",
        registry=registry,
        realistic=options.realistic,
        base_address=BASE_ADDRESS,
        engine=options.engine,
    )
    with cluster:
        data: dict[str, Any] = {
            "gateway": {
                "host": options.host,
                "port": options.port or 9999,
                "data_dir": str(data_dir / "gateway"),
                "allowed_hosts": list(options.allowed_hosts),
            },
            "health": {"interval_s": 2.0, "probe_timeout_s": 2.0, "facts_interval_s": 5.0},
            "nodes": cluster.topology_config(),
            **registry.settings,
            **options.extra_config,
        }
        path = write_config(data_dir / "spark-control.yaml", data)
        # No environment: a shell set up for a real cluster must not point the demo at it.
        yield cluster, load_config(path, environ={})


def run_demo(options: DemoOptions) -> int:
    """Serve the demo until interrupted; everything it started stops with it."""
    with demo_cluster(options) as (cluster, config):
        gateway = Gateway(config)
        gateway.policy = replace(
            gateway.policy, host_setting="--allow-host NAME of spark-control demo"
        )
        sock = _bind(options.host, options.port)
        port = sock.getsockname()[1]
        host = f"[{options.host}]" if ":" in options.host else options.host
        mode = "realistic" if options.realistic else "fast"
        nodes = ", ".join(f"{n.name} at {n.address}:{n.ssh_port}" for n in cluster.nodes.values())
        print(f"Simulated cluster ({mode} loads): {nodes}", flush=True)
        for node in cluster.nodes.values():
            if (docker_host := cluster.engine_host(node.name)) is not None:
                print(f"  {node.name}'s engine: DOCKER_HOST={docker_host} docker ps", flush=True)
        print(f"Spark Control demo: http://{host}:{port}/  (Ctrl-C stops everything)", flush=True)
        try:
            make_server(gateway, host=options.host, port=port).run(sockets=[sock])
        finally:
            sock.close()
    return 0


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP so asyncio sets TCP_NODELAY on accepted sockets (see server.bind_loopback).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"--port {port} on {host}: {exc.strerror}") from None
    # Listening before the URL is printed: a browser opened at once waits in the
    # backlog for start-up instead of being refused.
    sock.listen(128)
    return sock
