"""The vllm plugin's part of the simulated cluster, and the switches tests drive.

``register(sim)`` (called from the plugin's ``spark_sim`` hook) contributes:

- the ``vllm-node*`` image: an idle container (the launcher's ``sleep infinity``)
  whose environment lets a ``docker exec``'d ``vllm`` find the stand-ins on ``PATH``,
  the node's address, the container's log, the node's vLLM control folder, the
  realistic switch and the host side of the Hugging Face cache mount. A foreground
  ``docker exec`` process is not in the container's process group here, so
  ``docker stop`` alone would not reach it; vLLM watches the container's init
  instead and dies with it, as the kernel kills what is left of a container whose
  init ended (on a real engine the kernel does it, and vLLM watches nothing).
  The idle container itself takes nothing (``IDLE_MEMORY_GB``); each ``vllm serve``
  in it claims ``--gpu-memory-utilization`` x ``GPU_TOTAL_GIB`` at start-up, refused
  as vLLM refuses when the node's other instances left less free
  (``server.MemoryClaim``), and the simulator shows the claims in the node's
  MemAvailable and nvidia-smi (not on a real engine: there vLLM has no container
  folder to claim in, and the node's reading shows no vLLM memory);
- node commands ``launch-cluster.sh`` (``launcher.py``), ``vllm`` (``server.py``) and
  ``ray`` (just enough of ``ray start --block`` / ``ray status`` for ``--ray`` runs);
- the service ``spark-vllm-docker``, a one-shot that puts the launcher where the
  plugin's default ``launcher_dir`` expects it, ``~/spark-vllm-docker/launch-cluster.sh``
  in every user's home on every node (a slot may start vLLM on any node; on real
  engines the head only), and records whether the cluster is realistic
  (the launcher's own waits follow it).

Tests and the demo switch vLLM's failures per node with ``set_vllm_failure`` and its
load time with ``set_vllm_load_time``; both write files in the node's ``vllm-sim``
folder that the next ``vllm serve`` there reads (see ``server.py``). The container
itself keeps idling whatever vLLM does, as on a real node: vLLM's death shows in the
launcher's log and in ``/health``, not in the container's exit.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from spark_control.api import ContainerContext, ProcessSpec, SimRegistrar
from spark_control_vllm.sim import launcher, server

if TYPE_CHECKING:
    from spark_control.api import SimCluster

__all__ = [
    "ENGINE_FAILED_LINE",
    "FAILURE_MODES",
    "GPU_TOTAL_GIB",
    "IDLE_MEMORY_GB",
    "IMAGE_PATTERN",
    "LAUNCHER",
    "MEMORY_REFUSED_LINE",
    "OOM_LINE",
    "READY_LINE",
    "control_dir",
    "register",
    "set_launcher_cleanup_delay",
    "set_vllm_failure",
    "set_vllm_load_time",
    "start_idle",
]

IMAGE_PATTERN = "vllm-node*"
IDLE_MEMORY_GB = 0.0
GPU_TOTAL_GIB = server.GPU_TOTAL_GIB
MEMORY_REFUSED_LINE = "ValueError: Free memory on device ("
LAUNCHER = "launch-cluster.sh"
CHECKOUT = "spark-vllm-docker"
FAILURE_MODES = server.FAILURE_MODES
#: Log lines that mark the outcome of a load, as vLLM prints them.
READY_LINE = "Application startup complete."
OOM_LINE = "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate"
ENGINE_FAILED_LINE = "RuntimeError: Engine core initialization failed."
_HF_CACHE_IN_CONTAINER = "/root/.cache/huggingface"

# The container's main process: ``sleep infinity`` (SIGTERM ends it, status 143). It
# holds an exclusive lock on a file that appears only once locked, so processes run in
# the container can tell the moment it ends (see ``server.py``).
_IDLE = """
import fcntl, os, sys, time
lock = sys.argv[1]
fd = os.open(lock + ".tmp", os.O_CREAT | os.O_WRONLY, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
os.replace(lock + ".tmp", lock)
while True:
    time.sleep(3600)
"""

# ``ray`` inside the container: ``start --block`` idles, ``status`` answers.
_RAY = """#!/bin/sh
case "$1" in
  start)
    echo "Ray runtime started."
    for a in "$@"; do [ "$a" = "--block" ] && exec python3 -c 'import time
while True: time.sleep(3600)'; done ;;
  status)
    echo "======== Autoscaler status ========"
    echo "Active:"
    echo " 1 node_sim" ;;
  stop) echo "Stopped all Ray processes." ;;
  *) echo "Usage: ray [start|status|stop]" >&2; exit 2 ;;
esac
"""


def _script(module: object) -> str:
    """A module of this package as an executable for the simulated nodes. Both use the
    standard library only: ``-S`` skips ``site`` (a third of an idle interpreter's
    start-up, several times that on a busy machine; each swap starts the launcher and
    vLLM, and the launcher ``docker`` several times)."""
    source = Path(str(getattr(module, "__file__", ""))).read_text()
    return f"#!{sys.executable} -IS\n{source}"


def control_dir(sandbox: Path) -> Path:
    """Where a node's vLLM switches live (the node's sandbox, ``vllm-sim/``)."""
    return sandbox / "vllm-sim"


def _hf_home(mounts: list[str]) -> str | None:
    for mount in mounts:
        host, _, rest = mount.partition(":")
        if rest.split(":", 1)[0].rstrip("/") == _HF_CACHE_IN_CONTAINER:
            return host
    return None


def _lock_path(ctx: ContainerContext) -> Path:
    # On an engine the container's own /run: a file in the node's folder would outlive
    # the container, and a later container of that name that does not run this init
    # (the launcher's ``--entrypoint= ... sleep infinity``) would leave the old,
    # unlocked file in place for every vLLM exec'd into it to take for a dead init.
    if ctx.engine:
        return Path("/run/spark-sim-init.lock")
    return ctx.log_path.parent / "init.lock"


def start_idle(ctx: ContainerContext) -> ProcessSpec:
    """``docker run ... vllm-node sleep infinity``: an idle container to exec vLLM in."""
    env = {
        # The image has vllm on its PATH; here the node's stand-ins play that part.
        "PATH": os.pathsep.join(
            [str(ctx.sandbox / "bin"), os.environ.get("PATH", "/usr/bin:/bin")]
        ),
        "SPARK_SIM_ADDRESS": ctx.address,
        # On a real engine, where the launcher's own script writes: the init's stdout,
        # which is the container's log.
        "SPARK_SIM_CONTAINER_LOG": "/proc/1/fd/1" if ctx.engine else str(ctx.log_path),
        "SPARK_SIM_VLLM_CONTROL": str(control_dir(ctx.sandbox)),
        "SPARK_SIM_REALISTIC": "1" if ctx.realistic else "0",
    }
    if not ctx.engine:
        # A real container's processes end with its init (the kernel kills them); here
        # an exec'd vLLM watches the init's lock instead. On an engine it need not.
        env["SPARK_SIM_CONTAINER_LOCK"] = str(_lock_path(ctx))
    hf_home = _hf_home(ctx.mounts)
    if hf_home:
        env["HF_HOME"] = hf_home
    return ProcessSpec([sys.executable, "-IS", "-c", _IDLE, str(_lock_path(ctx))], env=env)


def install_checkout(ctx: ContainerContext) -> ProcessSpec:
    """Put ``~/spark-vllm-docker/launch-cluster.sh`` in every home of every node.

    The registry can put commands on ``PATH`` but not files in homes; a service start
    runs once per cluster start on the head, after the node's commands are installed
    and its users' homes exist, which is exactly when this must happen. The copy is
    a few kilobytes, so doing it here does not hold the start up.
    """
    # Every node, not only the head: a slot may have its head on any node (several
    # vLLM instances per cluster, docs/VLLM.md "Slots"). On real engines only this node.
    sandboxes = [ctx.sandbox]
    if not ctx.engine:
        siblings = sorted(p for p in ctx.sandbox.parent.iterdir() if p != ctx.sandbox)
        sandboxes += [p for p in siblings if (p / "bin" / LAUNCHER).is_file()]
    for sandbox in sandboxes:
        _install_checkout(sandbox, realistic=ctx.realistic)
    return ProcessSpec([sys.executable, "-IS", "-c", "pass"])


def _install_checkout(sandbox: Path, *, realistic: bool) -> None:
    text = (sandbox / "bin" / LAUNCHER).read_text()
    homes = sandbox / "home"
    for home in sorted(homes.iterdir()) if homes.is_dir() else []:
        checkout = home / CHECKOUT
        checkout.mkdir(exist_ok=True)
        target = checkout / LAUNCHER
        target.write_text(text)
        target.chmod(0o755)
    controls = control_dir(sandbox)
    controls.mkdir(exist_ok=True)
    marker = controls / "realistic"
    if realistic:
        marker.write_text("1\n")
    else:
        marker.unlink(missing_ok=True)


def register(sim: SimRegistrar) -> None:
    """Everything the vllm plugin adds to the simulated world."""
    sim.image(IMAGE_PATTERN, start_idle, memory_gb=IDLE_MEMORY_GB)
    sim.command(LAUNCHER, _script(launcher))
    sim.command("vllm", _script(server))
    sim.command("ray", _RAY)
    sim.service(CHECKOUT, install_checkout)


def _write(path: Path, data: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data))
    os.replace(tmp, path)  # a vLLM starting now sees the old file or the new one


def set_vllm_failure(
    cluster: SimCluster,
    node: str,
    mode: str | None,
    *,
    times: int | None = None,
    health_delay_s: float = server.DEFAULT_HEALTH_DELAY_S,
) -> None:
    """Make the next ``vllm serve`` on ``node`` fail (None: switch it off).

    ``mode`` is ``exit``, ``oom``, ``hang`` or ``slow_health`` (``/health`` answers
    after ``health_delay_s``). It holds for every start from now on, or for the next
    ``times`` starts. A vLLM already running keeps what it started with. Set it on the
    head node: that is where the served process runs.
    """
    path = control_dir(cluster.nodes[node].sandbox) / "failure.json"
    if mode is None:
        path.unlink(missing_ok=True)
        return
    if mode not in FAILURE_MODES:
        raise ValueError(f"vLLM failure mode must be one of {', '.join(FAILURE_MODES)}")
    if times is not None and times < 1:
        raise ValueError("times must be at least 1 (or None for every start)")
    _write(path, {"mode": mode, "times": times, "health_delay_s": health_delay_s})


def set_vllm_load_time(cluster: SimCluster, node: str, seconds: float | None) -> None:
    """Make each ``vllm serve`` on ``node`` take about ``seconds`` to become ready
    (None: back to milliseconds, or a real load's time on a realistic cluster).
    Downloading a model missing from the cache adds its own time on top."""
    path = control_dir(cluster.nodes[node].sandbox) / "load.json"
    if seconds is None:
        path.unlink(missing_ok=True)
        return
    _write(path, {"seconds": float(seconds)})


def set_launcher_cleanup_delay(cluster: SimCluster, node: str, seconds: float | None) -> None:
    """Make the launcher on ``node`` wait ``seconds`` in its EXIT trap before its
    ``docker stop`` (None: at once again), as a slow ``docker`` CLI does on a loaded
    node: the trap then runs well after the container it was for has stopped."""
    path = control_dir(cluster.nodes[node].sandbox) / "launcher.json"
    if seconds is None:
        path.unlink(missing_ok=True)
        return
    _write(path, {"cleanup_delay_s": float(seconds)})
