"""The remote commands of a swap: launch a catalog entry through spark-vllm-docker's
``launch-cluster.sh``, stop it, read its log and ask the container's state.

Every command is one ``Script`` of the core builder: each word is a constant of this
module or a value that passed an allow-list validator, and the builder quotes it.

How the launcher (pinned at ``LAUNCHER_VERSION``) treats what we give it, and why the
commands look the way they do:

* ``exec <command...>`` re-quotes the command with ``printf %q`` and runs it in the
  container, in the foreground, and stops the cluster when it exits. So the launch runs
  detached on the node (``nohup setsid``) with its output in a log file, and a swap reads
  vLLM's fate from that log and from health, not from the container.
* ``-e NAME=value`` and ``VLLM_SPARK_EXTRA_DOCKER_ARGS`` are pasted into a string that is
  later split by the shell *unquoted*: a value there must hold no whitespace or glob
  characters (the core's ``unsplittable`` validator). A bare ``-e NAME`` passes through
  as is, and ``docker run -e NAME`` takes the value from the launcher's environment; that
  is how the Hugging Face token reaches the container without being on a command line:
  the swap writes it to a 0600 file on the node (``write_token_file``) and the launch
  sources that file (``Script.with_env_file``).
* A local model folder is bind-mounted at the same path, read-only, through the
  ``VLLM_SPARK_EXTRA_DOCKER_ARGS`` hook, never by editing the script.
* ``--solo`` runs on the head node only; two-node models name both nodes with
  ``-n <head-ip>,<worker-ip>`` and pass ``--tensor-parallel-size 2``, which the launcher
  also reads to choose its nodes. Its default multi-node backend is torch distributed;
  ``--ray`` switches to Ray (refused by the launcher together with ``--solo``).

Paths on the node may be absolute or ``~/relative``: SSH commands start in the login
user's home, so ``~/x`` is sent as the relative path ``x`` (a quoted ``~`` would stay
literal). Relative paths are used only before the ``cd`` into the launcher folder.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field, field_validator

from spark_control.api import (
    STDOUT,
    InvalidValue,
    RemoteCommand,
    Script,
    Value,
    Word,
    arg,
    const,
    value,
    write_secret_file,
)
from spark_control.api import validators as v
from spark_control_vllm.catalog import CatalogEntry

__all__ = [
    "DEV_MODE_ENV",
    "HF_TOKEN_ENV",
    "LAUNCHER_REPO",
    "LAUNCHER_VERSION",
    "LAUNCH_TEMPLATE",
    "LaunchOptions",
    "LaunchPlan",
    "build_launch",
    "container_oom_events_command",
    "container_oom_killed_command",
    "container_state_command",
    "docker_logs_command",
    "docker_stop_command",
    "follow_log_command",
    "kill_launcher_command",
    "launcher_alive_command",
    "launcher_running_command",
    "launcher_stop_command",
    "launcher_version_command",
    "log_path",
    "node_path",
    "parse_container_state",
    "tail_log_command",
    "token_file_text",
    "validate_launch_template",
    "write_token_file",
]

#: The spark-vllm-docker commit whose ``launch-cluster.sh`` this module was written
#: against (argument parsing, ``exec`` semantics, the env hook). ``nodes check``
#: compares a node's checkout with it; the simulator's stand-in mirrors it.
LAUNCHER_REPO: Final = "eugr/spark-vllm-docker"
LAUNCHER_VERSION: Final = "013cd2ea2264d7af8567aa763ac6ccd8f0338c1a"

#: The launch form: the launcher's argv, one token per word. A token is either a literal
#: (validated as unsplittable when rendered) or exactly one placeholder. ``{name}``
#: becomes one validated word; ``{name*}`` becomes zero or more:
#:
#: ``{image}`` ``-t`` image; ``{container}`` container name; ``{model}`` the repo id or
#: local folder; ``{served_name}``; ``{port}``; ``{topology*}`` ``--solo``, or ``-n
#: <head-ip>,<worker-ip>`` (plus ``--ray``); ``{env*}`` ``-e NAME=value`` pairs (and a
#: bare ``-e HF_TOKEN``); ``{serve_args*}`` the entry's vLLM flags.
LAUNCH_TEMPLATE: Final[tuple[str, ...]] = (
    "./launch-cluster.sh",
    "-t",
    "{image}",
    "--name",
    "{container}",
    "{topology*}",
    "{env*}",
    "exec",
    "vllm",
    "serve",
    "{model}",
    "--served-model-name",
    "{served_name}",
    "--host",
    "0.0.0.0",
    "--port",
    "{port}",
    "{serve_args*}",
)

_SINGLE: Final = frozenset({"image", "container", "model", "served_name", "port"})
_MULTI: Final = frozenset({"topology", "env", "serve_args"})
_PLACEHOLDER: Final = re.compile(r"\{([a-z_]+)(\*?)\}")

#: The variable the token file defines; passed to the container as a bare ``-e``.
HF_TOKEN_ENV: Final = "HF_TOKEN"  # noqa: S105 - a variable's name, not a secret
_EXTRA_DOCKER_ARGS: Final = "VLLM_SPARK_EXTRA_DOCKER_ARGS"
#: vLLM's development mode, which sleep mode's HTTP endpoints need (``sleep_mode``).
DEV_MODE_ENV: Final = "VLLM_SERVER_DEV_MODE"
_SWAP_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def validate_launch_template(tokens: object, field: str = "launch_template") -> tuple[str, ...]:
    """A launch form: literals that survive the launcher's re-split, and every
    placeholder exactly once (so no part of an entry is silently dropped)."""
    if isinstance(tokens, str | bytes) or not isinstance(tokens, Sequence):
        raise InvalidValue(field, "must be a list of tokens")
    checked: list[str] = []
    seen: set[str] = set()
    for index, token in enumerate(tokens):
        where = f"{field}[{index}]"
        if not isinstance(token, str):
            raise InvalidValue(where, "must be a string")
        match = _PLACEHOLDER.fullmatch(token)
        if match is None:
            if "{" in token or "}" in token:
                raise InvalidValue(where, "a placeholder must be a whole token, {name} or {name*}")
            v.validate_unsplittable_value(token, where)
        else:
            name, star = match.groups()
            if name not in (_MULTI if star else _SINGLE):
                raise InvalidValue(where, f"{token} is not a known placeholder")
            if name in seen:
                raise InvalidValue(where, f"{token} appears twice")
            seen.add(name)
        checked.append(token)
    if not checked or _PLACEHOLDER.fullmatch(checked[0]):
        raise InvalidValue(field, "must start with the launcher's path")
    missing = (_SINGLE | _MULTI) - seen
    if missing:
        raise InvalidValue(field, f"lacks {', '.join(sorted(missing))}")
    return tuple(checked)


def node_path(raw: object, field: str = "path") -> Value:
    """A path on the node: absolute, or ``~/relative`` (sent relative to the login home)."""
    if isinstance(raw, str) and raw.startswith("~/"):
        return arg.relative_path(raw[2:], field)
    return arg.path(raw, field)


def _check(check: Callable[[Any, str], object], raw: object, field: str) -> Any:
    """Run a validator inside a pydantic one (``InvalidValue`` is not a ``ValueError``)."""
    try:
        return check(raw, field)
    except InvalidValue as exc:
        raise ValueError(exc.reason) from None


class LaunchOptions(BaseModel):
    """Where and how to launch: from the plugin settings and the topology."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    launcher_dir: str = Field(description="spark-vllm-docker checkout on the head node.")
    log_dir: str = Field(description="Where the detached launch writes <swap_id>.log.")
    image: str = "vllm-node"
    container: str = "vllm_node"
    port: int = Field(8888, ge=1, le=65535)
    head_ip: str | None = Field(
        None,
        description="Head node IP on the cluster network, as the launcher sees it (two-node "
        "models; with worker_ip unset too, the launcher's .env or auto-discovery decides).",
    )
    worker_ip: str | None = Field(None, description="Worker node IP (two-node models).")
    ray: bool = Field(False, description="Two-node models use Ray instead of torch distributed.")
    hf_token_file: str | None = Field(
        None, description="0600 file on the head node defining HF_TOKEN; sourced, never argv."
    )
    extra_docker_args: tuple[str, ...] = Field(
        (), description="Words added to VLLM_SPARK_EXTRA_DOCKER_ARGS (each unsplittable)."
    )
    template: tuple[str, ...] = LAUNCH_TEMPLATE
    sleep_mode: bool = Field(
        False, description="--enable-sleep-mode and VLLM_SERVER_DEV_MODE=1 (its endpoints)."
    )

    @field_validator("launcher_dir", "log_dir", "hf_token_file")
    @classmethod
    def _check_node_path(cls, raw: str | None) -> str | None:
        if raw is not None:
            _check(node_path, raw, "path")
        return raw

    @field_validator("image")
    @classmethod
    def _check_image(cls, raw: str) -> str:
        return str(_check(v.validate_docker_image, raw, "image"))

    @field_validator("container")
    @classmethod
    def _check_container(cls, raw: str) -> str:
        return str(_check(v.validate_container_name, raw, "container"))

    @field_validator("head_ip", "worker_ip")
    @classmethod
    def _check_ip(cls, raw: str | None) -> str | None:
        return None if raw is None else str(_check(v.validate_ip_address, raw, "ip"))

    @field_validator("extra_docker_args")
    @classmethod
    def _check_docker_args(cls, raw: tuple[str, ...]) -> tuple[str, ...]:
        for word in raw:
            _check(v.validate_unsplittable_value, word, "extra_docker_args")
        return raw

    @field_validator("template")
    @classmethod
    def _check_template(cls, raw: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_check(validate_launch_template, raw, "template"))


@dataclass(frozen=True)
class LaunchPlan:
    """A rendered launch: ``script`` is what the swap runs over SSH (it prints the pid
    of the detached launcher); ``argv``/``env`` are what the launcher will receive."""

    model_id: str
    served_name: str
    container: str
    port: int
    log_path: str
    argv: tuple[str, ...]
    command: Script = field(repr=False)
    script: Script = field(repr=False)
    env: Mapping[str, str] = field(default_factory=dict)


def _number(raw: object, field: str) -> Value:
    """A finite int or float as a word (``repr`` is the shortest exact spelling)."""

    def check(item: object, name: str) -> str:
        if isinstance(item, bool) or not isinstance(item, int | float):
            raise InvalidValue(name, "must be a number")
        return v.validate_unsplittable_value(repr(item), name)

    return value(raw, check, field)


def _joined(words: Sequence[str], field: str, sep: str) -> Value:
    """Several unsplittable words joined by ``sep`` as one validated word."""

    def check(items: Sequence[str], name: str) -> str:
        if not items:
            raise InvalidValue(name, "must not be empty")
        for item in items:
            v.validate_unsplittable_value(item, name)
        return sep.join(items)

    return value(words, check, field)


def _env_pair(name: str, raw: str) -> Value:
    def check(item: tuple[str, str], field: str) -> str:
        key = v.validate_env_name(item[0], field)
        return f"{key}={v.validate_unsplittable_value(item[1], f'{field}.{key}')}"

    return value((name, raw), check, "env")


def _serve_args(entry: CatalogEntry) -> list[Word]:
    words: list[Word] = []
    if entry.tensor_parallel_size == 2:
        words += ["--tensor-parallel-size", "2"]
    if entry.max_model_len is not None:
        words += ["--max-model-len", _number(entry.max_model_len, "max_model_len")]
    if entry.gpu_memory_utilization is not None:
        words += [
            "--gpu-memory-utilization",
            _number(entry.gpu_memory_utilization, "gpu_memory_utilization"),
        ]
    if entry.quantization is not None:
        words += ["--quantization", arg.unsplittable(entry.quantization, "quantization")]
    if entry.tool_call_parser is not None:
        parser = arg.unsplittable(entry.tool_call_parser, "tool_call_parser")
        words += ["--enable-auto-tool-choice", "--tool-call-parser", parser]
    if entry.reasoning_parser is not None:
        words += [
            "--reasoning-parser",
            arg.unsplittable(entry.reasoning_parser, "reasoning_parser"),
        ]
    if entry.chat_template is not None:
        words += ["--chat-template", arg.path(entry.chat_template, "chat_template")]
    words += arg.extra_flags(entry.extra_args)
    return words


def _topology(entry: CatalogEntry, options: LaunchOptions) -> list[Word]:
    if entry.tensor_parallel_size == 1:
        return ["--solo"]
    words: list[Word] = []
    if options.head_ip is not None and options.worker_ip is not None:
        nodes = [v.validate_ip_address(options.head_ip), v.validate_ip_address(options.worker_ip)]
        words = ["-n", _joined(nodes, "nodes", ",")]
    elif options.head_ip is not None or options.worker_ip is not None:
        raise InvalidValue("nodes", f"{entry.id!r} needs both node addresses or neither")
    # Neither: the launcher takes CLUSTER_NODES from its .env or discovers the nodes.
    return [*words, "--ray"] if options.ray else words


def _env_args(entry: CatalogEntry, options: LaunchOptions) -> list[Word]:
    words: list[Word] = []
    for name, raw in entry.env.items():
        words += ["-e", _env_pair(name, raw)]
    if options.sleep_mode:
        # vLLM serves /sleep, /wake_up and /is_sleeping only in its development mode.
        words += ["-e", _env_pair(DEV_MODE_ENV, "1")]
    if options.hf_token_file is not None:
        words += ["-e", HF_TOKEN_ENV]  # no value: docker reads it from the environment
    return words


def log_path(options: LaunchOptions, swap_id: str) -> str:
    """``<log_dir>/<swap_id>.log``."""
    if not _SWAP_ID.fullmatch(swap_id):
        raise InvalidValue("swap_id", "must be letters, digits, '_' and '-' (at most 64)")
    path = f"{options.log_dir.rstrip('/')}/{swap_id}.log"
    node_path(path, "log_path")
    return path


def build_launch(entry: CatalogEntry, options: LaunchOptions, swap_id: str) -> LaunchPlan:
    """The detached launch of ``entry`` (raises ``InvalidValue`` for anything unsafe)."""
    model = arg.path(entry.source, "model") if entry.is_local else arg.model_id(entry.source)
    single: dict[str, Word] = {
        "image": arg.image(options.image),
        "container": arg.container(options.container),
        "model": model,
        "served_name": arg.model_id(entry.served_name, "served_name"),
        "port": arg.port(options.port),
    }
    multi: dict[str, list[Word]] = {
        "topology": _topology(entry, options),
        "env": _env_args(entry, options),
        "serve_args": _serve_args(entry),
    }
    if options.sleep_mode:
        multi["serve_args"].append("--enable-sleep-mode")
    words: list[Word] = []
    for index, token in enumerate(validate_launch_template(options.template)):
        match = _PLACEHOLDER.fullmatch(token)
        if match is None:
            words.append(arg.unsplittable(token, f"launch_template[{index}]"))
        elif match.group(2):
            words.extend(multi[match.group(1)])
        else:
            words.append(single[match.group(1)])

    docker_args = list(options.extra_docker_args)
    if entry.local_path is not None:
        # Same path inside the container, so the model and its chat template resolve there.
        docker_args += ["-v", f"{entry.local_path}:{entry.local_path}:ro"]
    env: dict[str, Word] = {}
    if docker_args:
        env[_EXTRA_DOCKER_ARGS] = _joined(docker_args, _EXTRA_DOCKER_ARGS, " ")

    launcher = RemoteCommand(words[0], *words[1:], env=env)
    command = launcher.in_dir(node_path(options.launcher_dir, "launcher_dir"))
    if options.hf_token_file is not None:
        command = command.with_env_file(node_path(options.hf_token_file, "hf_token_file"))
    log = log_path(options, swap_id)
    log_file = node_path(log, "log_path")
    # The log exists before the launch returns (``:`` is the shell's own no-op): the
    # detached job opens it only once forked, and a ``tail -F`` (GNU tail) started on a
    # file not there yet polls it once a second for the rest of the follow instead of
    # being woken by inotify, so every line, the ready line too, came up to 1 s late.
    script = (
        RemoteCommand("mkdir", "-p", node_path(options.log_dir, "log_dir"))
        .and_then(RemoteCommand(":").redirect(stdout=log_file))
        .and_then(command.detached(log_file))
    )
    return LaunchPlan(
        model_id=entry.id,
        served_name=entry.served_name,
        container=options.container,
        port=options.port,
        log_path=log,
        argv=tuple(launcher.argv),
        env={k: w.text if isinstance(w, Value) else w for k, w in env.items()},
        command=command,
        script=script,
    )


# -- the Hugging Face token -------------------------------------------------------------


def token_file_text(token: str) -> str:
    """The content of the token file (sent on stdin to ``write_token_file``)."""
    text = v.validate_env_value(token, "hf_token")
    if not text:
        raise InvalidValue("hf_token", "must not be empty")
    return f"{HF_TOKEN_ENV}={shlex.quote(text)}\n"


def write_token_file(path: str) -> Script:
    """Store stdin (``token_file_text``) at ``path`` on the node with mode 0600, creating
    its folder (mode 0700) first: on a node that never saw Spark Control it is missing."""
    write = write_secret_file(node_path(path, "hf_token_file"))
    folder = posixpath.dirname(path.rstrip("/"))
    if folder in ("", "/", "~"):
        return write
    mkdir = RemoteCommand("umask", "077").and_then(
        RemoteCommand("mkdir", "-p", node_path(folder, "hf_token_file"))
    )
    return mkdir.and_then(write)


# -- stop, logs, state ------------------------------------------------------------------


def launcher_stop_command(options: LaunchOptions, tensor_parallel_size: int = 1) -> Script:
    """``launch-cluster.sh --name C stop`` on the nodes the model ran on."""
    nodes: list[Word] = ["--solo"]  # no auto-discovery: the head node's container only
    if tensor_parallel_size == 2:
        nodes = []  # the launcher's .env or auto-discovery names the worker
        if options.head_ip and options.worker_ip:
            nodes = ["-n", _joined([options.head_ip, options.worker_ip], "nodes", ",")]
    stop = RemoteCommand(
        "./launch-cluster.sh", *nodes, "--name", arg.container(options.container), "stop"
    )
    return stop.in_dir(node_path(options.launcher_dir, "launcher_dir"))


def docker_stop_command(container: str, timeout_s: int = 30) -> Script:
    """The fallback when the launcher cannot stop the container (``--rm`` removes it)."""
    return RemoteCommand(
        "docker", "stop", "-t", _number(int(timeout_s), "timeout"), arg.container(container)
    )


def _inspect_command(container: str, template: str) -> Script:
    return RemoteCommand(
        "docker",
        "inspect",
        "--type",
        "container",
        "--format",
        const(template),
        arg.container(container),
    )


def container_state_command(container: str) -> Script:
    """Prints the container's state (``running``, ``exited``...); fails if it is absent."""
    return _inspect_command(container, "{{.State.Status}}")


def container_oom_killed_command(container: str) -> Script:
    """Prints ``true`` when the kernel's OOM killer ended the container (Docker's
    ``State.OOMKilled``); fails if the container is gone (``--rm`` removes it)."""
    return _inspect_command(container, "{{.State.OOMKilled}}")


def _seconds(raw: object, field: str) -> str:
    """A whole number of seconds above 0 as a Go duration (``90s``)."""
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        raise InvalidValue(field, "must be a whole number of seconds above 0")
    return f"{raw}s"


def container_oom_events_command(container: str, within_s: int) -> Script:
    """Prints a line ``oom`` per OOM kill in the container over the last ``within_s``
    seconds: Docker's event buffer keeps them after ``--rm`` removed the container.
    Durations, not timestamps, so the node's clock is the only one that counts."""

    def check(raw: str, field: str) -> str:
        return f"container={v.validate_container_name(raw, field)}"

    return RemoteCommand(
        "docker",
        "events",
        "--since",
        value(within_s, _seconds, "within_s"),
        "--until",
        "0s",
        "--filter",
        value(container, check, "container"),
        "--filter",
        "event=oom",
        "--format",
        const("{{.Action}}"),
    )


def parse_container_state(exit_status: int | None, stdout: str) -> str:
    """``container_state_command``'s answer: a Docker state word, or ``absent``."""
    state = stdout.strip()
    if exit_status != 0 or not state:
        return "absent"
    return state


def tail_log_command(path: str, lines: int = 200) -> Script:
    """The last lines of a launch log."""
    return RemoteCommand("tail", "-n", _number(int(lines), "lines"), node_path(path, "log_path"))


def follow_log_command(path: str) -> Script:
    """A launch log from its start and as it grows (stream it with a time cap)."""
    return RemoteCommand("tail", "-n", "+1", "-F", node_path(path, "log_path"))


def docker_logs_command(container: str, lines: int = 200) -> Script:
    """The container's own log (vLLM writes to stderr, so both streams)."""
    command = RemoteCommand(
        "docker", "logs", "--tail", _number(int(lines), "lines"), arg.container(container)
    )
    return command.redirect(stderr=STDOUT)


def launcher_alive_command(pid: int) -> Script:
    """Succeeds while the detached launcher (the pid ``build_launch``'s script printed) runs."""
    if isinstance(pid, bool) or not isinstance(pid, int) or pid <= 1:
        raise InvalidValue("pid", "must be a process id above 1")
    return RemoteCommand("kill", "-0", _number(pid, "pid"))


def launcher_running_command(pid: int) -> Script:
    """Succeeds while the launcher runs and is not a zombie (``ps`` prints its state;
    ``Z``: dead, its exit not yet collected by the node's init, which on some systems
    takes a second): after a SIGKILL, what counts is that it can run nothing more."""
    if isinstance(pid, bool) or not isinstance(pid, int) or pid <= 1:
        raise InvalidValue("pid", "must be a process id above 1")
    state = RemoteCommand("ps", "-o", "stat=", "-p", _number(pid, "pid"))
    return state.pipe(RemoteCommand("grep", "-qv", const("^Z")))


def kill_launcher_command(pid: int) -> Script:
    """SIGKILL to the detached launcher's process group (``setsid`` made its pid the
    group's id): the launcher and its ``docker`` children, so no trap runs later.
    ``pkill -g``, not ``kill -- -PID``: dash's ``kill`` takes no negative pid. Exit
    status 1: nothing was left to kill."""
    if isinstance(pid, bool) or not isinstance(pid, int) or pid <= 1:
        raise InvalidValue("pid", "must be a process id above 1")
    return RemoteCommand("pkill", "-KILL", "-g", _number(pid, "pid"))


def launcher_version_command(launcher_dir: str) -> Script:
    """Prints the commit of the node's launcher checkout (compare with LAUNCHER_VERSION)."""
    return RemoteCommand("git", "-C", node_path(launcher_dir, "launcher_dir"), "rev-parse", "HEAD")
