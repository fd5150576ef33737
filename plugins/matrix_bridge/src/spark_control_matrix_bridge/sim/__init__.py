"""The matrix_bridge plugin's part of the simulated cluster, and the switches tests drive.

``register(sim)`` (called from the plugin's ``spark_sim`` hook) contributes:

- the image ``matrix-bridge-bot:*``: the bot (``bot.py``), a small process printing
  what a Matrix bot prints, with a Docker healthcheck that turns healthy at once;
- node commands ``docker-compose`` (``compose.py``: the node's ``docker`` hands it
  ``docker compose ...``) and ``matrix-bot-upload-pack`` (the upstream side of a
  fetch: ``git upload-pack``, unless the refusal switch is on);
- the one-shot service ``matrix-bridge-bot-repos`` (``setup.py``) that puts on the head
  node, in every user's home, a real bare repository as the local upstream
  (``~/upstream/matrix-bridge-bot.git``) and a clone of it (``~/matrix-bridge-bot``,
  the default folder), and starts the bot from the first home's checkout;
- demo settings: one bot on the head node run by the demo's user.

Switches live in the node's ``matrix-bridge-sim/`` folder: ``set_build_failure``
(``fail`` at the ``pip install`` step, or ``hang`` there), ``set_fetch_refused``, and
``hold_compose`` (the next build, or recreate, waits at that point until
``release_compose`` or until it is killed; ``held_compose`` says which process waits).
``push_upstream_commit`` adds a commit to a home's upstream, as a developer's push would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from spark_control.api import ContainerContext, ProcessSpec, SimRegistrar

if TYPE_CHECKING:
    from spark_control.api import SimCluster

__all__ = [
    "BUILD_MODES",
    "CHECKOUT",
    "CONTAINER",
    "HOLD_POINTS",
    "IMAGE_PATTERN",
    "checkout",
    "control_dir",
    "held_compose",
    "hold_compose",
    "push_upstream_commit",
    "register",
    "release_compose",
    "set_build_failure",
    "set_fetch_refused",
    "upstream",
    "wait_until_ready",
]

_HERE = Path(__file__).parent
# Scripts run as programs on the simulated nodes, never imported here.
BOT_SCRIPT = _HERE / "bot.py"
COMPOSE_SCRIPT = _HERE / "compose.py"
SETUP_SCRIPT = _HERE / "setup.py"
IMAGE_PATTERN = "matrix-bridge-bot:*"
CHECKOUT = "matrix-bridge-bot"
CONTAINER = "matrix-bridge-bot"
SERVICE = "matrix-bridge-bot-repos"
BUILD_MODES = ("fail", "hang")
# Where ``hold_compose`` can stop a compose command (compose.py's ``hold`` calls).
HOLD_POINTS = ("build", "recreate")
_IDENTITY = ("-c", "user.name=Spark Sim", "-c", "user.email=sim@example.invalid")

_UPLOAD_PACK = """#!/bin/sh
# The upstream side of a fetch on a simulated node: refuses while the switch is on.
control="$(dirname "$0")/../matrix-bridge-sim"
if [ -e "$control/fetch-refused" ]; then
  echo "ERROR: Permission to example/matrix-bridge-bot.git denied to deploy key" >&2
  exit 1
fi
exec git upload-pack "$@"
"""


def _script(path: Path) -> str:
    """A script of this package as an executable for the simulated nodes."""
    return f"#!{sys.executable} -I\n{path.read_text()}"


def control_dir(sandbox: Path) -> Path:
    """Where a node's bot switches and records live."""
    return sandbox / "matrix-bridge-sim"


def start_bot(ctx: ContainerContext) -> ProcessSpec:
    """``docker run matrix-bridge-bot``: the bot process, healthy right after start."""
    sync_s = "2" if ctx.realistic else "0.5"
    return ProcessSpec(
        [sys.executable, "-I", str(BOT_SCRIPT)],
        env={"SPARK_SIM_BOT_SYNC_S": sync_s, "PYTHONUNBUFFERED": "1"},
        ready_after_s=3.0 if ctx.realistic else 0.2,
    )


def install_repos(ctx: ContainerContext) -> ProcessSpec:
    """The one-shot that creates the repositories (a process: git takes a moment)."""
    control = control_dir(ctx.sandbox)
    control.mkdir(exist_ok=True)
    (control / "ready").unlink(missing_ok=True)
    realistic = control / "realistic"
    if ctx.realistic:
        realistic.write_text("1\n")
    else:
        realistic.unlink(missing_ok=True)
    return ProcessSpec([sys.executable, "-I", str(SETUP_SCRIPT), str(ctx.sandbox)])


def register(sim: SimRegistrar) -> None:
    """Everything the matrix_bridge plugin adds to the simulated world."""
    sim.image(IMAGE_PATTERN, start_bot, healthcheck=True)
    sim.command("docker-compose", _script(COMPOSE_SCRIPT))
    sim.command("matrix-bot-upload-pack", _UPLOAD_PACK)
    sim.service(SERVICE, install_repos)
    # The demo runs as its first user on the head node: let that user be the bot's.
    sim.settings({"node": "spark-1", "user": "alice"})


# --- switches and helpers for tests and the demo -------------------------------------


def checkout(cluster: SimCluster, node: str, user: str) -> Path:
    return cluster.nodes[node].home(user) / CHECKOUT


def upstream(cluster: SimCluster, node: str, user: str) -> Path:
    return cluster.nodes[node].home(user) / "upstream" / f"{CHECKOUT}.git"


def wait_until_ready(cluster: SimCluster, node: str, timeout_s: float = 30.0) -> None:
    """Block until the repositories exist and the first bot was started."""
    marker = control_dir(cluster.nodes[node].sandbox) / "ready"
    deadline = time.monotonic() + timeout_s
    while not marker.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"the simulated bot on {node} was not set up in {timeout_s} s")
        time.sleep(0.05)


def set_build_failure(cluster: SimCluster, node: str, mode: str | None) -> None:
    """Make every ``docker compose build`` on ``node`` fail or hang (None: build fine)."""
    path = control_dir(cluster.nodes[node].sandbox) / "build.json"
    if mode is None:
        path.unlink(missing_ok=True)
        return
    if mode not in BUILD_MODES:
        raise ValueError(f"build failure mode must be one of {', '.join(BUILD_MODES)}")
    path.parent.mkdir(exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"mode": mode}))
    os.replace(tmp, path)


def hung_build_pid(cluster: SimCluster, node: str) -> int | None:
    """The process id of the last build that hung (to prove it was ended)."""
    path = control_dir(cluster.nodes[node].sandbox) / "build.pid"
    return int(path.read_text()) if path.exists() else None


def hold_compose(cluster: SimCluster, node: str, point: str) -> None:
    """Hold the next ``docker compose`` on ``node`` that reaches ``point`` (``build``:
    the ``pip install`` step; ``recreate``: the old container removed, the new one not
    started yet) until :func:`release_compose`, or until it is killed."""
    if point not in HOLD_POINTS:
        raise ValueError(f"hold point must be one of {', '.join(HOLD_POINTS)}")
    control = control_dir(cluster.nodes[node].sandbox)
    control.mkdir(exist_ok=True)
    (control / "held.pid").unlink(missing_ok=True)
    tmp = control / "hold.tmp"
    tmp.write_text(json.dumps({"point": point}))
    os.replace(tmp, control / "hold.json")


def held_compose(cluster: SimCluster, node: str) -> tuple[int, str] | None:
    """(process id, point) of the compose command held on ``node``, once one waits."""
    path = control_dir(cluster.nodes[node].sandbox) / "held.pid"
    try:
        pid, point = path.read_text().split()
    except (OSError, ValueError):
        return None
    return int(pid), point


def release_compose(cluster: SimCluster, node: str) -> None:
    """Let a held compose command go on, and drop a hold nothing reached yet."""
    control = control_dir(cluster.nodes[node].sandbox)
    for name in ("hold.json", "hold.taken", "held.pid"):
        (control / name).unlink(missing_ok=True)


def set_fetch_refused(cluster: SimCluster, node: str, refused: bool) -> None:
    """Make the upstream refuse every fetch on ``node`` (as a revoked deploy key would)."""
    path = control_dir(cluster.nodes[node].sandbox) / "fetch-refused"
    if refused:
        path.parent.mkdir(exist_ok=True)
        path.write_text("1\n")
    else:
        path.unlink(missing_ok=True)


def push_upstream_commit(
    cluster: SimCluster, node: str, user: str, message: str, branch: str = "main"
) -> str:
    """Commit a change to ``user``'s upstream on ``node``; returns the new commit."""
    bare = upstream(cluster, node, user)
    with tempfile.TemporaryDirectory(prefix="mb-push-") as tmp:
        work = Path(tmp) / "work"
        _git("clone", "--quiet", "--branch", branch, str(bare), str(work))
        changelog = work / "CHANGELOG.md"
        with changelog.open("a") as out:
            out.write(f"- {message}\n")
        _git("add", "CHANGELOG.md", cwd=work)
        _git("commit", "--quiet", "-m", message, cwd=work)
        _git("push", "--quiet", "origin", branch, cwd=work)
        return _git("rev-parse", "HEAD", cwd=work)


def head_of(path: Path) -> str:
    """The commit a checkout (or bare repository) is at."""
    return _git("rev-parse", "HEAD", cwd=path)


def _git(*args: str, cwd: Path | None = None) -> str:
    done = subprocess.run(
        ["git", *_IDENTITY, *args], cwd=cwd, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()
