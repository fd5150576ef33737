"""``spark-control demo``: the gateway against a simulated cluster, with no hardware.

The demo keeps its own data directory and starts it afresh on every run: the simulated
nodes get new host keys each time, so last run's pinned keys must not be there to trip
the pinning. Every installed plugin's simulated world comes along (``spark_sim``).

A running demo holds its folder (``folders.hold_folder``) and its pair of loopback
addresses (``addresses.pick_base_address``): a second demo never empties the first one's
folder (it refuses, naming the other's pid) and never shares its stand-ins (it takes the
next free pair). The gateway's port is bound before anything in the folder is touched.
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
from spark_control.folders import folder_problem, hold_folder, make_folder
from spark_control.gateway import Gateway
from spark_control.plugins import load_plugins
from spark_control.server import make_server
from spark_control.settings import LoadedConfig, load_config, write_config
from spark_control.sim import SimCluster
from spark_control.sim.addresses import pick_base_address
from spark_control.sim.engine import engine_unavailable
from spark_control.sim.registry import collect_simulation

MARKER = ".spark-control-demo"
#: Held (flock) by the running demo for its whole life; never removed by the emptying.
LOCK = ".spark-control-demo.lock"
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


def _check_data_dir(path: Path) -> None:
    """Refuse a folder the demo may not empty, before anything in it is touched."""
    if (problem := folder_problem(path)) is not None:
        raise ConfigError(f"--data-dir {path}: {problem}")
    # The lock file alone is what an interrupted start (or a demo's first moment) leaves.
    foreign = path.exists() and any(e.name != LOCK for e in path.iterdir())
    if foreign and not (path / MARKER).exists():
        raise ConfigError(
            f"--data-dir {path} is not empty and was not made by the demo; choose another folder"
        )


def _empty_data_dir(path: Path) -> None:
    """Empty the demo's folder (held by this process), all but its lock file."""
    for entry in path.iterdir():
        if entry.name == LOCK:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    (path / MARKER).write_text("made by spark-control demo; emptied on every run\n")


@contextlib.contextmanager
def _own_data_dir(path: Path) -> Iterator[None]:
    """Hold the demo's folder for the block, emptied afresh once it is ours."""
    _check_data_dir(path)
    make_folder(path, "--data-dir")
    with hold_folder(path / LOCK, f"--data-dir {path}"):
        # Again under the lock: another process may have filled it since the first look.
        _check_data_dir(path)
        _empty_data_dir(path)
        yield


@contextlib.contextmanager
def demo_cluster(options: DemoOptions) -> Iterator[tuple[SimCluster, LoadedConfig]]:
    """Start the simulated cluster and yield it with the gateway config that uses it."""
    data_dir = options.data_dir.resolve()
    if options.engine is not None and (why := engine_unavailable()) is not None:
        raise ConfigError(f"--engine {options.engine}: {why}")
    with contextlib.ExitStack() as stack:
        stack.enter_context(_own_data_dir(data_dir))
        base_address = stack.enter_context(pick_base_address(BASE_ADDRESS))
        registry = collect_simulation(load_plugins(None, {}, {})[0])
        cluster = SimCluster(
            data_dir / "sim",
            registry=registry,
            realistic=options.realistic,
            base_address=base_address,
            engine=options.engine,
        )
        stack.enter_context(cluster)
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
    # The port first: a demo that cannot serve must not have emptied anything.
    sock = _bind(options.host, options.port)
    try:
        port = sock.getsockname()[1]
        with demo_cluster(replace(options, port=port)) as (cluster, config):
            gateway = Gateway(config)
            gateway.policy = replace(
                gateway.policy, host_setting="--allow-host NAME of spark-control demo"
            )
            server = make_server(gateway, host=options.host, port=port)
            failed: list[str] = []

            def stand_in_ended(reason: str) -> None:
                failed.append(reason)
                server.should_exit = True

            if gone := cluster.on_service_exit(stand_in_ended):
                raise ConfigError(f"{gone[0]}; the demo cannot run without it")
            _announce(cluster, options, port)
            server.run(sockets=[sock])
            if failed:
                raise ConfigError(f"{failed[0]}; the demo stopped")
    finally:
        sock.close()
    return 0


def _announce(cluster: SimCluster, options: DemoOptions, port: int) -> None:
    host = f"[{options.host}]" if ":" in options.host else options.host
    mode = "realistic" if options.realistic else "fast"
    nodes = ", ".join(f"{n.name} at {n.address}:{n.ssh_port}" for n in cluster.nodes.values())
    print(f"Simulated cluster ({mode} loads): {nodes}", flush=True)
    for node in cluster.nodes.values():
        if (docker_host := cluster.engine_host(node.name)) is not None:
            print(f"  {node.name}'s engine: DOCKER_HOST={docker_host} docker ps", flush=True)
    print(f"Spark Control demo: http://{host}:{port}/  (Ctrl-C stops everything)", flush=True)


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
