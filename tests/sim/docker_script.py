"""The docker commands the gateway (and the launcher, the compose stand-in) send to a node,
as one script to run against the stand-in and against a real engine and compare.

Each step is a command line run over SSH on the node, as the gateway runs them, and
what is compared: exit status, stdout and stderr after ``normalize`` (ids, times and
durations differ by nature). ``compare="status"`` compares the exit status and that the
named stream starts with ``prefix`` (where the two worlds differ by nature: the engine's
version, the message of a pull that cannot reach a registry). Run it alone to see both
worlds side by side:

    bench/netns-run uv run python -m tests.sim.docker_script
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
    compare: str = "all"  # "all" | "status" | "info" (shown, not compared)
    prefix: str = ""
    wait_s: float = 0.0  # before the step (let a container exit, a log line land)


def step(*words: str, compare: str = "all", prefix: str = "", wait_s: float = 0.0) -> Step:
    return Step(tuple(words), compare, prefix, wait_s)


STATE = "{{.State.Status}} {{.State.ExitCode}} {{.State.OOMKilled}}"

SCRIPT: tuple[Step, ...] = (
    step(
        "docker",
        "ps",
        "--filter",
        "name=^(web|quick|both|busy|gone|hog|fits)$",
        "--format",
        "{{.Names}}",
    ),
    step("docker", "ps", "-a", "--filter", "name=^(web|quick|both)$", "--format", "{{.Names}}"),
    # A long-running service, as the bots and vLLM's idle container are.
    step("docker", "run", "-d", "--name", "web", "-e", "PORT=18080", "sim/web:1"),
    step("docker", "run", "-d", "--name", "web", "sim/web:1"),  # name conflict
    step("docker", "run", "-d", "--name", "bad name!", "sim/web:1"),
    step(
        "docker",
        "ps",
        "--filter",
        "name=web",
        "--format",
        "{{.Names}} {{.Image}} {{.State}}",
        wait_s=0.5,
    ),
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
    # 20.10's CLI: 126, the message on stdout; current releases: 127, on stderr.
    step("docker", "exec", "web", "no-such-program", compare="info"),
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
    # 20.10 prints "No such container" here (status 0); current releases print nothing.
    step("docker", "rm", "-f", "nope", compare="info"),
    step("docker", "run", "-d", "--name", "busy", "-e", "PORT=18081", "sim/web:1"),
    step("docker", "rm", "busy"),
    step("docker", "rm", "-f", "busy"),
    # An image nobody has (no registry here): the status and the first line agree.
    step("docker", "run", "-d", "example/missing:1", compare="status", prefix="Unable to find"),
    # A container above its --memory limit: OOM-killed (137, OOMKilled true).
    step("docker", "run", "--name", "hog", "--memory", "32m", "sim/hog:1", "200"),
    step("docker", "inspect", "--format", STATE, "hog"),
    step("docker", "run", "--name", "fits", "--memory", "256m", "sim/hog:1", "1"),
    step("docker", "inspect", "--format", STATE, "fits"),
    step("docker", "info", "--format", "{{.ServerVersion}}", compare="status"),
    step(
        "docker", "ps", "-a", "--filter", "ancestor=sim/echo:1", "--format", "{{.Names}} {{.State}}"
    ),
    step("docker", "rm", "-f", "quick", "both", "hog", "fits"),
)

_HEX64 = re.compile(r"\b[0-9a-f]{64}\b")
_HEX12 = re.compile(r"\b[0-9a-f]{12}\b")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z")


# Texts that changed between Docker releases (the engine here is Debian's 20.10; the
# stand-in speaks 27.x, as the Sparks run a current Docker): one spelling for both.
_SAME_MEANING = (
    (
        re.compile(r"^Error(?: response from daemon)?: No such container: ", re.M),
        "No such container: ",
    ),
    (
        re.compile(
            r"^Error response from daemon: (?:You cannot remove a running container <ID>\. "
            r"Stop the container before attempting removal or force remove|cannot remove "
            r'container "/\S+": container is running: stop the container before removing or '
            r"force remove)$",
            re.M,
        ),
        "cannot remove a running container",
    ),
    (
        re.compile(
            r"^Error response from daemon: cannot kill container: (\S+) container <ID>", re.M | re.I
        ),
        r"cannot kill container: \1 container <ID>",
    ),
)


def normalize(text: str) -> str:
    text = _HEX64.sub("<ID>", text)
    text = _HEX12.sub("<ID12>", text)
    return _TIME.sub("<TIME>", text)


def same_meaning(text: str) -> str:
    for pattern, replacement in _SAME_MEANING:
        text = pattern.sub(replacement, text)
    return text.lower() if "cannot kill" in text.lower() else text


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
        if item.compare == "info":
            continue
        if a.status != b.status:
            yield f"{shown}: exit status {a.status} (stand-in) != {b.status} (engine)\n{a}\n{b}"
        elif item.compare == "status":
            stream = "stderr" if item.prefix else ""
            if stream and not (
                a.stderr.startswith(item.prefix) and b.stderr.startswith(item.prefix)
            ):
                yield f"{shown}: stderr does not start with {item.prefix!r}\n{a}\n{b}"
        elif item.compare == "info":
            continue
        elif (a.stdout, same_meaning(a.stderr)) != (b.stdout, same_meaning(b.stderr)):
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
    with cluster(root / "engine", "127.0.9.10", "docker") as sim:
        engine = asyncio.run(run_script(sim))
    return stand_in, engine


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory(prefix="docker-script-") as folder:
        a, b = both_worlds(Path(folder))
    for line in differences(a, b):
        print(line, end="\n\n")
    for item, x, y in zip(SCRIPT, a, b, strict=True):
        if item.compare == "info":
            print(f"(not compared) {' '.join(item.words)}\n  stand-in: {x}\n  engine:   {y}")
