"""The docker commands the gateway (and the launcher, the compose stand-in) send to a node,
as one script to run against the stand-in and against a real engine and compare.

Each step is a command line run over SSH on the node, as the gateway runs them, and
what is compared: exit status, stdout and stderr after ``normalize`` (ids, times and
durations differ by nature). ``compare="status"`` compares the exit status and that the
named stream starts with ``prefix`` (where the two worlds differ by nature: the engine's
version, the message of a pull that cannot reach a registry). Run it alone to see both
worlds side by side:

    /work/bin/netns-run uv run python -m tests.sim.docker_script
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from spark_control.plugins import new_manager
from spark_control.sim import SimCluster, SimNodeSpec
from spark_control.sim.registry import collect_simulation
from spark_control.ssh import (
    CommandResult,
    HostKeyStore,
    RemoteCommand,
    SSHExecutor,
    Target,
    const,
)
from tests.sim.fakes import FakesPlugin, free_port


@dataclass(frozen=True)
class Step:
    words: tuple[str, ...]
    compare: str = "all"  # "all" | "status"
    prefix: str = ""
    wait_s: float = 0.0  # before the step (let a container exit, a log line land)


def step(*words: str, compare: str = "all", prefix: str = "", wait_s: float = 0.0) -> Step:
    return Step(tuple(words), compare, prefix, wait_s)


STATE = "{{.State.Status}} {{.State.ExitCode}} {{.State.OOMKilled}}"

SCRIPT: tuple[Step, ...] = (
    step("docker", "ps", "--format", "{{.Names}}"),
    step("docker", "ps", "-a", "--format", "{{.Names}}"),
    # A long-running service, as the bots and vLLM's idle container are.
    step("docker", "run", "-d", "--name", "web", "-e", "PORT=18080", "sim/web:1"),
    step("docker", "run", "-d", "--name", "web", "sim/web:1"),  # name conflict
    step("docker", "run", "-d", "--name", "bad name!", "sim/web:1"),
    step("docker", "ps", "--format", "{{.Names}} {{.Image}} {{.State}}", wait_s=0.5),
    step("docker", "ps", "--format", "{{.Names}}\t{{.Status}}", compare="status"),
    step("docker", "inspect", "--format", STATE, "web"),
    step("docker", "inspect", "--type", "container", "--format", "{{.State.Status}}", "web"),
    step("docker", "inspect", "--format", "{{.Name}} {{.Config.Image}} {{.RestartCount}}", "web"),
    step("docker", "inspect", "--format", "{{.State.Status}}", "nope"),
    step("docker", "inspect", "--type", "container", "--format", "{{.State.Status}}", "nope"),
    step("docker", "logs", "--tail", "1", "web"),
    step("docker", "logs", "nope"),
    step("docker", "exec", "web", "sh", "-c", "echo out; echo err >&2; exit 3"),
    step("docker", "exec", "nope", "true"),
    step("docker", "exec", "web", "no-such-program"),
    # A container that exits at once, attached and detached, and its state after.
    step("docker", "run", "--name", "quick", "sim/echo:1", "hello", "3"),
    step("docker", "inspect", "--format", STATE, "quick"),
    step("docker", "run", "-d", "--name", "both", "sim/both:1"),
    step("docker", "logs", "both", wait_s=1.0),
    step("docker", "inspect", "--format", STATE, "both"),
    step("docker", "run", "-d", "--rm", "--name", "gone", "sim/echo:1", "bye", "0"),
    step("docker", "inspect", "--format", "{{.State.Status}}", "gone", wait_s=1.0),
    step("docker", "start", "quick"),
    step("docker", "restart", "-t", "1", "nope"),
    step("docker", "kill", "quick", wait_s=0.5),
    # Stop, remove, remove again, force-remove what is not there.
    step("docker", "stop", "-t", "1", "web"),
    step("docker", "inspect", "--format", STATE, "web"),
    step("docker", "stop", "-t", "1", "web"),
    step("docker", "stop", "-t", "1", "nope"),
    step("docker", "rm", "web"),
    step("docker", "rm", "web"),
    step("docker", "rm", "-f", "nope"),
    step("docker", "run", "-d", "--name", "busy", "-e", "PORT=18081", "sim/web:1"),
    step("docker", "rm", "busy"),
    step("docker", "rm", "-f", "busy"),
    # An image nobody has (no registry here): the status and the first line agree.
    step("docker", "run", "-d", "example/missing:1", compare="status", prefix="Unable to find"),
    step("docker", "info", "--format", "{{.ServerVersion}}", compare="status"),
    step("docker", "ps", "-a", "--format", "{{.Names}} {{.State}}"),
    step("docker", "rm", "-f", "quick", "both"),
)

_HEX64 = re.compile(r"\b[0-9a-f]{64}\b")
_HEX12 = re.compile(r"\b[0-9a-f]{12}\b")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z")


def normalize(text: str) -> str:
    text = _HEX64.sub("<ID>", text)
    text = _HEX12.sub("<ID12>", text)
    return _TIME.sub("<TIME>", text)


@dataclass(frozen=True)
class Outcome:
    status: int | None
    stdout: str
    stderr: str


async def run_script(cluster: SimCluster, node: str = "spark-1") -> list[Outcome]:
    found = cluster.nodes[node]
    target = Target(found.name, found.address, found.user, found.key_path, found.ssh_port)
    executor = SSHExecutor(
        host_keys=HostKeyStore(cluster.root / f"known-{time.monotonic_ns()}"),
        connect_timeout=5,
        command_timeout=30,
    )
    outcomes = []
    try:
        for item in SCRIPT:
            if item.wait_s:
                await asyncio.sleep(item.wait_s)
            result: CommandResult = await executor.run(
                target, RemoteCommand(*(const(w) for w in item.words)), timeout=30
            )
            outcomes.append(
                Outcome(result.exit_status, normalize(result.stdout), normalize(result.stderr))
            )
    finally:
        await executor.close()
    return outcomes


def differences(stand_in: list[Outcome], engine: list[Outcome]) -> Iterator[str]:
    """One paragraph per step where the two worlds disagree."""
    for item, a, b in zip(SCRIPT, stand_in, engine, strict=True):
        shown = " ".join(item.words)
        if a.status != b.status:
            yield f"{shown}: exit status {a.status} (stand-in) != {b.status} (engine)\n{a}\n{b}"
        elif item.compare == "status":
            stream = "stderr" if item.prefix else ""
            if stream and not (
                a.stderr.startswith(item.prefix) and b.stderr.startswith(item.prefix)
            ):
                yield f"{shown}: stderr does not start with {item.prefix!r}\n{a}\n{b}"
        elif (a.stdout, a.stderr) != (b.stdout, b.stderr):
            yield f"{shown}: output differs\nstand-in: {a}\nengine:   {b}"


def cluster(root: Path, base_address: str, engine: str | None) -> SimCluster:
    pm = new_manager()
    pm.register(FakesPlugin(free_port(base_address)), name="fakes")
    return SimCluster(
        root,
        registry=collect_simulation(pm),
        base_address=base_address,
        nodes=[SimNodeSpec("spark-1", "head")],
        engine=engine,  # type: ignore[arg-type]
    )


def both_worlds(root: Path) -> tuple[list[Outcome], list[Outcome]]:
    with cluster(root / "stand-in", "127.0.9.10", None) as sim:
        stand_in = asyncio.run(run_script(sim))
    with cluster(root / "engine", "127.0.9.20", "docker") as sim:
        engine = asyncio.run(run_script(sim))
    return stand_in, engine


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory(prefix="docker-script-") as folder:
        a, b = both_worlds(Path(folder))
    for item, x, y in zip(SCRIPT, a, b, strict=True):
        mark = "  " if (x == y or item.compare == "status") and x.status == y.status else "!!"
        print(f"{mark} {' '.join(item.words)}")
        if mark == "!!":
            print(f"     stand-in: {x}\n     engine:   {y}")
