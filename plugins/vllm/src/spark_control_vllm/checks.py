"""The vllm plugin's prerequisites for ``spark-control nodes check``.

On the head node (``vllm.head_node``, where the swap runs the launcher):

- ``launcher``: ``<launcher_dir>/launch-cluster.sh`` exists and is executable;
- ``launcher_version``: the checkout is at the pinned commit (``vllm.launcher_version``,
  else ``LAUNCHER_VERSION``), which the launch form and the simulator were written against;
- ``worker_ssh``: the head reaches each of ``vllm.worker_nodes`` over SSH without a
  password prompt, as the launcher does to start a two-node model's worker container.

Docker without sudo and free disk are the core's checks. The core runs every check on
every node, so these answer "not the head node" (passing) elsewhere. Each failure says
what to fix.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Final

from spark_control.api import CheckResult, InvalidValue, RemoteCommand, Script, SparkError, arg
from spark_control_vllm.launch import LAUNCHER_REPO, LAUNCHER_VERSION, node_path
from spark_control_vllm.settings import VllmSettings

if TYPE_CHECKING:
    from spark_control.api import CommandResult, Host, Node

__all__ = [
    "LAUNCHER_SCRIPT",
    "check_launcher",
    "check_launcher_version",
    "check_worker_ssh",
    "register_checks",
]

PLUGIN: Final = "vllm"
LAUNCHER_SCRIPT: Final = "launch-cluster.sh"
WORKER_SSH_TIMEOUT_S: Final = 5
_SHA: Final = re.compile(r"[0-9a-f]{7,40}")
# git's and the shell's messages are parsed: keep them in English.
_C_LOCALE: Final = {"LC_ALL": "C"}

Check = Callable[["Host", "Node"], Awaitable[CheckResult]]


def register_checks(host: Host, register: Callable[[str, Check], None]) -> None:
    """Register this plugin's node checks (called from ``spark_node_checks``)."""
    register("launcher", check_launcher)
    register("launcher_version", check_launcher_version)
    register("worker_ssh", check_worker_ssh)


def _settings(host: Host) -> VllmSettings:
    settings = host.plugin_settings(PLUGIN)
    if not isinstance(settings, VllmSettings):
        raise SparkError("the vllm plugin's settings are not loaded", status=503)
    return settings


def _not_here(host: Host, node: Node, settings: VllmSettings) -> CheckResult | None:
    """None when ``node`` is where the head-node checks run; otherwise their answer."""
    nodes = host.topology.nodes
    if settings.head_node in nodes:
        if node.name == settings.head_node:
            return None
        return CheckResult(True, f"not the head node ({settings.head_node} runs the launcher)")
    # A head node missing from the topology must show once, not pass silently everywhere.
    if node.name == next(iter(nodes), None):
        return CheckResult(
            False,
            f"vllm.head_node is {settings.head_node!r}, which is not a node in the topology; "
            f"set it to one of {', '.join(nodes)}",
        )
    return CheckResult(True, "not the head node")


def _from_home(command: Script) -> Script:
    """``cd && command``: a bare ``cd`` goes to the login home, where ``~/`` points."""
    return RemoteCommand("cd").and_then(command)


def _last_line(result: CommandResult) -> str:
    lines = (result.stderr or result.stdout).strip().splitlines()
    return lines[-1][:200] if lines else f"exit status {result.exit_status}"


def _pinned(settings: VllmSettings) -> str:
    return (settings.launcher_version or LAUNCHER_VERSION).strip().lower()


def _clone_hint(directory: str, pinned: str) -> str:
    return (
        f"git clone https://github.com/{LAUNCHER_REPO} {directory} && "
        f"git -C {directory} checkout {pinned}"
    )


# -- launcher present -------------------------------------------------------------------


async def check_launcher(host: Host, node: Node) -> CheckResult:
    """``<launcher_dir>/launch-cluster.sh`` is there and executable on the head node."""
    settings = _settings(host)
    answer = _not_here(host, node, settings)
    if answer is not None:
        return answer
    directory = settings.launcher_dir.rstrip("/")
    script = f"{directory}/{LAUNCHER_SCRIPT}"
    try:
        dir_word = node_path(directory, "launcher_dir")
        script_word = node_path(script, "launcher_dir")
    except InvalidValue as exc:
        return CheckResult(False, f"vllm.launcher_dir cannot be used: {exc.reason}")
    found = await host.ssh.run(
        node, _from_home(RemoteCommand("test", "-x", script_word)), observe=True
    )
    if found.ok:
        return CheckResult(True, f"{script} is present and executable")
    # Only on failure: tell a missing checkout from a broken one.
    has_dir = await host.ssh.run(
        node, _from_home(RemoteCommand("test", "-d", dir_word)), observe=True
    )
    if not has_dir.ok:
        return CheckResult(
            False,
            f"no launcher checkout at {directory} on {node.name}: "
            f"{_clone_hint(directory, _pinned(settings))} (or set vllm.launcher_dir)",
        )
    has_file = await host.ssh.run(
        node, _from_home(RemoteCommand("test", "-e", script_word)), observe=True
    )
    if not has_file.ok:
        return CheckResult(
            False,
            f"{directory} on {node.name} has no {LAUNCHER_SCRIPT}: it is not a "
            f"spark-vllm-docker checkout; point vllm.launcher_dir at one",
        )
    return CheckResult(
        False, f"{script} on {node.name} is not executable by {node.user}: chmod +x {script}"
    )


# -- launcher version -------------------------------------------------------------------


def _version_command(directory: str) -> Script:
    # --show-prefix first: an empty line means the folder is the top of its own
    # repository; anything else means git found a repository further up (a home
    # directory under version control), whose HEAD says nothing about the launcher.
    command = RemoteCommand(
        "git",
        "-C",
        node_path(directory, "launcher_dir"),
        "rev-parse",
        "--show-prefix",
        "HEAD",
        env=_C_LOCALE,
    )
    return _from_home(command)


def _git_failure(
    result: CommandResult, node: Node, directory: str, pinned: str, not_checkout: str
) -> str:
    """Why git could not read the launcher checkout's commit, and what to do."""
    err = result.stderr
    if result.exit_status == 127 or "git: not found" in err or "command not found" in err:
        return (
            f"cannot tell the version: git is not installed on {node.name}; install it "
            "(sudo apt install git) so the launcher's commit can be read"
        )
    if "not a git repository" in err:
        return not_checkout
    if "cannot change to" in err:
        return (
            f"cannot tell the version: {directory} does not exist on {node.name}; "
            f"{_clone_hint(directory, pinned)}"
        )
    if "dubious ownership" in err:
        return (
            f"cannot tell the version: git refuses {directory} (owned by another user); "
            f"run git config --global --add safe.directory <its full path> as {node.user}"
        )
    return f"cannot tell the version of {directory}: {_last_line(result)}"


async def check_launcher_version(host: Host, node: Node) -> CheckResult:
    """The head node's launcher checkout is at the pinned commit."""
    settings = _settings(host)
    answer = _not_here(host, node, settings)
    if answer is not None:
        return answer
    directory = settings.launcher_dir.rstrip("/")
    pinned = _pinned(settings)
    try:
        command = _version_command(directory)
    except InvalidValue as exc:
        return CheckResult(False, f"vllm.launcher_dir cannot be used: {exc.reason}")
    result = await host.ssh.run(node, command, observe=True)
    not_checkout = (
        f"cannot tell the version: not a git checkout ({directory} on {node.name} has no git "
        f"metadata); replace it with a clone at the pinned commit: "
        f"{_clone_hint(directory, pinned)}"
    )
    if not result.ok:
        return CheckResult(False, _git_failure(result, node, directory, pinned, not_checkout))
    lines = result.stdout.split("\n")
    prefix, commit = (lines[0].strip(), lines[1].strip().lower()) if len(lines) > 1 else ("", "")
    if prefix:
        return CheckResult(False, not_checkout)
    if not _SHA.fullmatch(commit):
        return CheckResult(False, f"cannot tell the version of {directory}: git said {commit!r}")
    matches = commit == pinned or (_SHA.fullmatch(pinned) is not None and commit.startswith(pinned))
    if matches:
        return CheckResult(True, f"{directory} is at the pinned commit {commit[:12]}")
    return CheckResult(
        False,
        f"{directory} is at commit {commit[:12]}, but the pinned launcher version is "
        f"{pinned[:12]}: run git -C {directory} fetch && git -C {directory} checkout {pinned} "
        "(or set vllm.launcher_version to the commit you mean to run; the launch form was "
        "written against the pinned one)",
    )


# -- head to worker SSH -----------------------------------------------------------------


def _worker_address(host: Host, settings: VllmSettings, worker: str) -> str:
    # The launcher reaches a worker at the address it is given: worker_ip when set.
    if settings.worker_ip and len(settings.worker_nodes) == 1:
        return settings.worker_ip
    return host.topology.nodes[worker].address


async def _ssh_one(host: Host, head: Node, worker: str, address: str) -> str | None:
    """None when ``head`` reaches ``worker`` over SSH; else what to fix."""
    try:
        target = arg.host(address, "worker_address")
    except InvalidValue as exc:
        return f"{worker}: its address cannot be used ({exc.reason})"
    command = RemoteCommand(
        "ssh",
        "-o",
        "BatchMode=yes",
        "-o",
        f"ConnectTimeout={WORKER_SSH_TIMEOUT_S}",
        target,
        "true",
        env=_C_LOCALE,
    )
    result = await host.ssh.run(head, command, timeout=WORKER_SSH_TIMEOUT_S + 10, observe=True)
    if result.ok:
        return None
    return (
        f"{head.name} cannot SSH to worker {worker} ({address}) without a password: "
        f"{_last_line(result)}; as {head.user} on {head.name}, run ssh-copy-id {address} "
        "and accept its host key once (the launcher starts the worker's container over SSH)"
    )


async def check_worker_ssh(host: Host, node: Node) -> CheckResult:
    """The head node reaches every worker node over SSH without a prompt."""
    settings = _settings(host)
    answer = _not_here(host, node, settings)
    if answer is not None:
        return answer
    workers = [w for w in dict.fromkeys(settings.worker_nodes) if w != settings.head_node]
    if not workers:
        return CheckResult(True, "no worker nodes configured: two-node models are not used")
    nodes = host.topology.nodes
    unknown = [w for w in workers if w not in nodes]
    problems = [
        f"vllm.worker_nodes names {w!r}, which is not a node in the topology" for w in unknown
    ]
    known = [w for w in workers if w in nodes]
    addresses = {w: _worker_address(host, settings, w) for w in known}
    found = await asyncio.gather(*(_ssh_one(host, node, w, addresses[w]) for w in known))
    problems += [p for p in found if p is not None]
    if problems:
        return CheckResult(False, "; ".join(problems))
    reached = ", ".join(f"{w} ({addresses[w]})" for w in known)
    return CheckResult(True, f"{node.name} reaches {reached} over SSH without a password")
