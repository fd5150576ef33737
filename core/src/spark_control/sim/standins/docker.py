"""The ``docker`` stand-in, served by the controller.

Covers what code written for the real CLI uses: ``ps``, ``run``, ``inspect``, ``stop``,
``kill``, ``start``, ``restart``, ``rm``, ``logs``, ``exec``, ``pull``, ``info``,
``version`` (also under ``docker container ...``), and ``events`` over a past window
(``--since``/``--until``; container ``die`` and ``oom`` events only, and only with
``--until``: the stand-in does not stream), with docker's messages and exit
statuses (125 for a failed ``run``, 1 otherwise). Any other subcommand goes to a
``docker-<sub>`` executable on ``PATH`` if there is one, as CLI plugins do; it gets
the arguments after the subcommand (``docker compose up -d`` runs
``docker-compose up -d``). Every value arrives as an argv item and is only ever data.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import secrets
import shutil
import signal
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from spark_control.sim.controller import Call, Container, ContainerEvent, SimError, kill_group
from spark_control.sim.logfile import LogRecord, read_records
from spark_control.sim.standins.docker_views import (
    TABLE_HEADERS,
    inspect_object,
    ps_row,
    tabulate,
)
from spark_control.sim.standins.flags import FlagError, Flags, Parsed
from spark_control.sim.standins.template import TemplateError, go_json, render, unescape

__all__ = ["docker"]

VERSION = "27.3.1"
API_VERSION = "1.47"
# Docker's own rule for container names (daemon/names).
_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]+")
# A docker image reference: [host[:port]/]path[:tag][@digest], path lowercase.
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_REFERENCE = re.compile(
    rf"(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?{_COMPONENT}(?:/{_COMPONENT})*"
    r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?"
)
_PLUGIN = re.compile(r"[a-z][a-z0-9-]*")
_POLL_S = 0.02
_ADJECTIVES = ("brave", "eager", "festive", "gentle", "jolly", "keen", "quirky", "vibrant")
_SURNAMES = ("curie", "hopper", "lovelace", "noether", "ritchie", "turing", "wozniak")

Command = Callable[[Call, list[str]], Awaitable[int]]


def _usage_error(command: str, message: str, code: int = 125) -> SimError:
    return SimError(f"{message}\nSee 'docker {command} --help'.", code)


def _parse(command: str, flags: Flags, args: list[str], *, interspersed: bool = True) -> Parsed:
    try:
        return flags.parse(args, interspersed=interspersed)
    except FlagError as exc:
        raise _usage_error(command, str(exc)) from None


def _need(command: str, parsed: Parsed, at_least: int, exactly: bool = False) -> None:
    count = len(parsed.positional)
    if (exactly and count != at_least) or count < at_least:
        which = "exactly" if exactly else "at least"
        noun = "argument" if at_least == 1 else "arguments"
        raise _usage_error(command, f'"docker {command}" requires {which} {at_least} {noun}.', 1)


def _no_such(ref: str) -> str:
    return f"Error response from daemon: No such container: {ref}\n"


def _number(command: str, flag: str, raw: str | None) -> int:
    try:
        return int(raw or "0")
    except ValueError:
        raise _usage_error(command, f'invalid argument "{raw}" for "{flag}" flag') from None


_SIZE = re.compile(r"([0-9]+)([bkmg]?)", re.IGNORECASE)


def _bytes(command: str, flag: str, raw: str | None) -> int | None:
    """``--memory 32m`` in bytes (docker's units: b, k, m, g; none means bytes)."""
    if raw is None:
        return None
    found = _SIZE.fullmatch(raw)
    if found is None:
        raise _usage_error(command, f'invalid argument "{raw}" for "{flag}" flag')
    number, unit = int(found.group(1)), found.group(2).lower()
    value = number * 1024 ** " kmg".index(unit or " ")
    if value and value < 6 * 1024 * 1024:
        raise _usage_error(
            command,
            "docker: Error response from daemon: Minimum memory limit allowed is 6MB.",
        )
    return value or None


def _find(call: Call, ref: str) -> Container | None:
    return call.controller.find(call.node, ref)


def _template(fmt: str, data: object) -> str:
    try:
        return render(unescape(fmt), data)
    except TemplateError as exc:
        raise SimError(f"template parsing error: {exc}") from None


# -- ps ---------------------------------------------------------------------------

_PS = Flags(
    bools="-a,--all -q,--quiet --no-trunc -l,--latest -s,--size",
    values="-f,--filter --format -n,--last",
)
_STATUSES = ("created", "restarting", "running", "removing", "paused", "exited", "dead")


def _matches(c: Container, key: str, wanted: str) -> bool:
    if key == "name":
        try:
            pattern = re.compile(wanted)
        except re.error:
            return False
        return bool(pattern.search(c.name) or pattern.search(f"/{c.name}"))
    if key == "id":
        return c.id.startswith(wanted)
    if key == "status":
        return c.status == wanted
    if key == "ancestor":
        return c.image in (wanted, f"{wanted}:latest") or c.image.startswith(f"{wanted}:")
    if key == "label":
        name, eq, value = wanted.partition("=")
        return name in c.labels and (not eq or c.labels[name] == value)
    if key == "exited":
        return c.status == "exited" and str(c.exit_code) == wanted
    if key == "network":
        return c.network_mode == wanted
    raise SimError(f"Error response from daemon: invalid filter '{key}'")


def _filtered(containers: list[Container], filters: list[str]) -> list[Container]:
    by_key: dict[str, list[str]] = {}
    for item in filters:
        key, eq, wanted = item.partition("=")
        if not eq:
            raise _usage_error(
                "ps",
                f'invalid argument "{item}" for "-f, --filter" flag: bad format of filter '
                "(expected name=value)",
            )
        if key == "status" and wanted not in _STATUSES:
            raise SimError(f"Error response from daemon: invalid filter 'status={wanted}'")
        by_key.setdefault(key, []).append(wanted)
    # Values of one key are alternatives; different keys must all match.
    return [
        c
        for c in containers
        if all(any(_matches(c, key, w) for w in wanted) for key, wanted in by_key.items())
    ]


async def _ps(call: Call, args: list[str]) -> int:
    parsed = _parse("ps", _PS, args)
    if parsed.positional:
        raise _usage_error("ps", '"docker ps" accepts no arguments.', 1)
    filters = parsed.all("filter")
    limit = 1 if parsed.flag("latest") else _number("ps", "-n, --last", parsed.last("last", "-1"))
    # A status filter, -n and -l imply -a, as in the daemon.
    show_all = parsed.flag("all") or limit >= 0 or any(f.startswith("status=") for f in filters)
    containers = sorted(call.node.containers.values(), key=lambda c: c.created, reverse=True)
    if not show_all:
        containers = [c for c in containers if c.status in ("running", "restarting")]
    containers = _filtered(containers, filters)
    if limit >= 0:
        containers = containers[:limit]
    no_trunc = parsed.flag("no-trunc")
    if parsed.flag("quiet"):
        call.out("".join((c.id if no_trunc else c.id[:12]) + "\n" for c in containers))
        return 0
    rows = [ps_row(c, no_trunc=no_trunc) for c in containers]
    fmt = parsed.last("format") or "table"
    if fmt == "json":
        fmt = "{{json .}}"
    if fmt.startswith("table"):
        body = fmt[len("table") :].strip() or (
            "{{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}"
        )
        table = [_template(body, TABLE_HEADERS).split("\t")]
        table += [_template(body, row).split("\t") for row in rows]
        call.out(tabulate(table))
        return 0
    call.out("".join(_template(fmt, row) + "\n" for row in rows))
    return 0


# -- run, start, restart ----------------------------------------------------------

_RUN = Flags(
    bools="-d,--detach --rm -i,--interactive -t,--tty --privileged --init -P,--publish-all "
    "--read-only --no-healthcheck",
    values="--name -e,--env --env-file --network,--net -v,--volume --mount --gpus --ipc "
    "--shm-size -p,--publish -l,--label --restart --entrypoint -w,--workdir -u,--user "
    "-m,--memory --memory-swap --runtime --ulimit --pull --cap-add --cap-drop --device "
    "-h,--hostname --health-cmd --health-interval --health-timeout --health-retries "
    "--health-start-period --add-host --platform --cpus --log-driver --log-opt "
    "--security-opt --group-add --stop-signal --stop-timeout",
)
_RESTART = re.compile(r"no|always|unless-stopped|on-failure(?::[0-9]+)?")


def _env(call: Call, items: list[str]) -> dict[str, str]:
    env: dict[str, str] = {}
    for item in items:
        name, eq, value = item.partition("=")
        if not name:
            raise _usage_error("run", f"docker: invalid environment variable: {item}")
        if eq:
            env[name] = value
        elif name in call.env:
            # ``-e NAME`` copies the caller's value, or is dropped when it has none.
            env[name] = call.env[name]
    return env


def _random_name(call: Call) -> str:
    # Like docker's generated names: adjective_surname, a digit added on a clash.
    name = f"{secrets.choice(_ADJECTIVES)}_{secrets.choice(_SURNAMES)}"
    while name in call.node.containers:
        name += str(secrets.randbelow(10))
    return name


async def _run(call: Call, args: list[str]) -> int:
    parsed = _parse("run", _RUN, args, interspersed=False)
    if not parsed.positional:
        raise _usage_error("run", '"docker run" requires at least 1 argument.', 1)
    image, *image_args = parsed.positional
    name = parsed.last("name")
    if name is not None and not _NAME.fullmatch(name.removeprefix("/")):
        raise _usage_error(
            "run",
            f"docker: Error response from daemon: Invalid container name ({name}), "
            "only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed.",
        )
    if not _REFERENCE.fullmatch(image):
        raise _usage_error("run", "docker: invalid reference format.")
    restart = parsed.last("restart", "no") or "no"
    if not _RESTART.fullmatch(restart):
        raise _usage_error("run", f"docker: invalid restart policy format: {restart}.")
    env = _env(call, parsed.all("env"))
    name = (name or _random_name(call)).removeprefix("/")
    existing = call.node.containers.get(name)
    if existing is not None:
        raise _usage_error(
            "run",
            f'docker: Error response from daemon: Conflict. The container name "/{name}" is '
            f'already in use by container "{existing.id}". You have to remove (or rename) '
            "that container to be able to reuse that name.",
        )
    sim_image = call.controller.registry.image_for(image)
    if sim_image is None:
        repository = (
            image.split("@")[0].rsplit(":", 1)[0] if "/" in image or ":" in image else image
        )
        shown = image if ":" in image.rsplit("/", 1)[-1] or "@" in image else f"{image}:latest"
        raise _usage_error(
            "run",
            f"Unable to find image '{shown}' locally\n"
            f"docker: Error response from daemon: pull access denied for {repository}, "
            "repository does not exist or may require 'docker login': denied: requested "
            "access to the resource is denied.",
        )
    cid = call.controller.new_id()
    container = Container(
        name=name,
        id=cid,
        image=image,
        sim_image=sim_image,
        args=image_args,
        env=env,
        labels=dict(item.partition("=")[::2] for item in parsed.all("label")),
        mounts=parsed.all("volume"),
        network_mode=parsed.last("network", "bridge") or "bridge",
        log_path=call.node.sandbox / "containers" / cid / f"{cid}-json.log",
        auto_remove=parsed.flag("rm"),
        restart_policy=restart,
        init=parsed.flag("init"),
        memory_limit=_bytes("run", "-m, --memory", parsed.last("memory")),
    )
    call.node.containers[name] = container
    try:
        await call.controller.start_container(call.node, container)
    except SimError as exc:
        container.exit_code = exc.code
        raise _usage_error("run", exc.message, exc.code) from None
    if parsed.flag("detach"):
        call.out(cid + "\n")
        return 0
    await _follow(call, container, offset=0, timestamps=False)
    if container.waiter is not None and not call.gone.is_set():
        await asyncio.shield(container.waiter)
    return container.exit_code


async def _start(call: Call, args: list[str]) -> int:
    parsed = _parse("start", Flags(bools="-a,--attach -i,--interactive"), args)
    _need("start", parsed, 1)
    status = 0
    for ref in parsed.positional:
        container = _find(call, ref)
        if container is None:
            call.err(_no_such(ref))
            status = 1
            continue
        if container.status not in ("running", "restarting"):
            await call.controller.start_container(call.node, container)
        call.out(ref + "\n")
    return status


async def _restart(call: Call, args: list[str]) -> int:
    parsed = _parse("restart", Flags(values="-t,--time -s,--signal"), args)
    _need("restart", parsed, 1)
    status = 0
    for ref in parsed.positional:
        container = _find(call, ref)
        if container is None:
            call.err(_no_such(ref))
            status = 1
            continue
        await call.controller.stop_container(container, _grace(parsed))
        await call.controller.start_container(call.node, container)
        call.out(ref + "\n")
    return status


# -- stop, kill, rm -----------------------------------------------------------------


def _grace(parsed: Parsed) -> float:
    return float(max(_number("stop", "-t, --time", parsed.last("time", "10")), 0))


async def _stop(call: Call, args: list[str]) -> int:
    parsed = _parse("stop", Flags(values="-t,--time -s,--signal"), args)
    _need("stop", parsed, 1)
    grace = _grace(parsed)
    found: list[tuple[str, Container]] = []
    status = 0
    for ref in parsed.positional:
        container = _find(call, ref)
        if container is None:
            call.err(_no_such(ref))
            status = 1
        else:
            found.append((ref, container))
    # docker stops the named containers in parallel.
    await asyncio.gather(*(call.controller.stop_container(c, grace) for _, c in found))
    call.out("".join(ref + "\n" for ref, _ in found))
    return status


async def _kill(call: Call, args: list[str]) -> int:
    parsed = _parse("kill", Flags(values="-s,--signal"), args)
    _need("kill", parsed, 1)
    name = (parsed.last("signal", "KILL") or "KILL").upper().removeprefix("SIG")
    signum = int(name) if name.isdigit() else getattr(signal, f"SIG{name}", None)
    if signum is None:
        raise SimError(f"Error response from daemon: Invalid signal: {name}")
    status = 0
    for ref in parsed.positional:
        container = _find(call, ref)
        if container is None:
            call.err(_no_such(ref))
            status = 1
        elif not container.running or container.process is None:
            call.err(
                f"Error response from daemon: cannot kill container: {ref}: container "
                f"{container.id} is not running\n"
            )
            status = 1
        else:
            container.stopping = True
            kill_group(container.process.pid, int(signum))
            call.out(ref + "\n")
    return status


async def _rm(call: Call, args: list[str]) -> int:
    parsed = _parse("rm", Flags(bools="-f,--force -v,--volumes -l,--link"), args)
    _need("rm", parsed, 1)
    force = parsed.flag("force")
    status = 0
    for ref in parsed.positional:
        container = _find(call, ref)
        if container is None:
            if not force:  # rm -f of a missing container is not an error
                call.err(_no_such(ref))
                status = 1
            continue
        try:
            await call.controller.remove_container(call.node, container, force)
        except SimError as exc:
            call.err(exc.message + "\n")
            status = 1
            continue
        call.out(ref + "\n")
    return status


# -- inspect, logs, exec ----------------------------------------------------------------


async def _inspect(call: Call, args: list[str], noun: str = "object") -> int:
    parsed = _parse("inspect", Flags(bools="-s,--size", values="-f,--format --type"), args)
    _need("inspect", parsed, 1)
    objects = []
    missing = []
    for ref in parsed.positional:
        container = _find(call, ref)
        if container is None:
            missing.append(ref)
        else:
            objects.append(inspect_object(container, call.node))
    if parsed.last("type") == "container":
        noun = "container"
    fmt = parsed.last("format")
    if fmt and fmt != "json":
        # The CLI's template printer writes an empty line when it printed nothing.
        call.out("".join(_template(fmt, obj) + "\n" for obj in objects) or "\n")
    else:
        call.out(go_json(objects, indent=4) + "\n")
    for ref in missing:
        call.err(f"Error: No such {noun}: {ref}\n")
    return 1 if missing else 0


def _tail(records: list[LogRecord], tail: str) -> list[LogRecord]:
    if tail == "all":
        return records
    try:
        count = int(tail)
    except ValueError:
        raise SimError(f'invalid argument "{tail}" for "-n, --tail" flag', 125) from None
    if count < 0:
        return records
    return records[-count:] if count else []


def _emit(call: Call, records: list[LogRecord], timestamps: bool) -> None:
    """Each line on the stream it was written to, as the real CLI replays json-file logs."""
    for record in records:
        text = f"{record.time} {record.text}" if timestamps else record.text
        (call.err if record.stream == "stderr" else call.out)(text)


async def _follow(call: Call, container: Container, offset: int, timestamps: bool) -> None:
    """Stream what the container writes until it stops or the client goes away."""
    while not call.gone.is_set():
        records, offset = read_records(container.log_path, offset)
        if records:
            _emit(call, records, timestamps)
            await call.flush()
            continue
        if container.status not in ("running", "restarting"):
            _emit(call, read_records(container.log_path, offset)[0], timestamps)
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(call.gone.wait(), _POLL_S)


async def _logs(call: Call, args: list[str]) -> int:
    flags = Flags(bools="-f,--follow -t,--timestamps --details", values="-n,--tail --since --until")
    parsed = _parse("logs", flags, args)
    _need("logs", parsed, 1, exactly=True)
    ref = parsed.positional[0]
    container = _find(call, ref)
    if container is None:
        raise SimError(_no_such(ref))
    timestamps = parsed.flag("timestamps")
    records, offset = read_records(container.log_path, 0)
    _emit(call, _tail(records, parsed.last("tail", "all") or "all"), timestamps)
    if parsed.flag("follow"):
        await call.flush()
        await _follow(call, container, offset, timestamps)
    return 0


async def _exec(call: Call, args: list[str]) -> int:
    flags = Flags(
        bools="-d,--detach -i,--interactive -t,--tty --privileged",
        values="-e,--env --env-file -w,--workdir -u,--user --detach-keys",
    )
    parsed = _parse("exec", flags, args, interspersed=False)
    _need("exec", parsed, 2)
    ref, *command = parsed.positional
    container = _find(call, ref)
    if container is None:
        raise SimError(_no_such(ref))
    if not container.running:
        raise SimError(f"Error response from daemon: container {container.id} is not running")
    env = {**container.process_env, **_env(call, parsed.all("env"))}
    cwd = _workdir(parsed.last("workdir"), call.node.sandbox)
    if parsed.flag("detach"):
        try:
            process = await asyncio.create_subprocess_exec(
                *command,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
                cwd=cwd,
                env=env,
                start_new_session=True,
            )
        except OSError as exc:
            raise SimError(_exec_failure(command[0], exc.strerror or str(exc)), 127) from None
        container.extra_groups.append(process.pid)
        return 0
    # The stand-in becomes the command, so stdin and the SSH session's group stay with it.
    call.exec(command, env, cwd)
    return 0


def _workdir(workdir: str | None, sandbox: Path) -> str:
    # A container's own directories do not exist here; the sandbox stands in for them.
    if workdir and Path(workdir).is_absolute() and Path(workdir).is_dir():
        return workdir
    return str(sandbox)


def _exec_failure(program: str, reason: str) -> str:
    return (
        "OCI runtime exec failed: exec failed: unable to start container process: "
        f'exec: "{program}": {reason}: unknown'
    )


# -- pull, info, version, plugins ------------------------------------------------------------


async def _pull(call: Call, args: list[str]) -> int:
    parsed = _parse("pull", Flags(bools="-q,--quiet -a,--all-tags", values="--platform"), args)
    _need("pull", parsed, 1, exactly=True)
    image = parsed.positional[0]
    if call.controller.registry.image_for(image) is None:
        raise SimError(
            f"Error response from daemon: pull access denied for {image}, repository does "
            "not exist or may require 'docker login': denied: requested access to the "
            "resource is denied"
        )
    call.out(f"Status: Image is up to date for {image}\n{image}\n")
    return 0


def _info_data(call: Call) -> dict[str, object]:
    containers = list(call.node.containers.values())
    running = sum(c.running for c in containers)
    return {
        "Containers": len(containers),
        "ContainersRunning": running,
        "ContainersPaused": 0,
        "ContainersStopped": len(containers) - running,
        "Images": len(call.controller.registry.images),
        "ServerVersion": VERSION,
        "Driver": "overlay2",
        "KernelVersion": "6.11.0-1016-nvidia",
        "OperatingSystem": "Ubuntu 24.04.3 LTS",
        "OSType": "linux",
        "Architecture": "aarch64",
        "NCPU": 20,
        "MemTotal": call.node.mem_total_kb * 1024,
        "Name": call.node.name,
        "Runtimes": {"nvidia": {"path": "nvidia-container-runtime"}, "runc": {"path": "runc"}},
        "DefaultRuntime": "runc",
    }


async def _info(call: Call, args: list[str]) -> int:
    parsed = _parse("info", Flags(values="-f,--format"), args)
    data = _info_data(call)
    fmt = parsed.last("format")
    if fmt:
        call.out(_template("{{json .}}" if fmt == "json" else fmt, data) + "\n")
        return 0
    call.out(
        f"Client:\n Version:    {VERSION}\n Context:    default\n Debug Mode: false\n\n"
        f"Server:\n Containers: {data['Containers']}\n  Running: {data['ContainersRunning']}\n"
        f"  Paused: 0\n  Stopped: {data['ContainersStopped']}\n Images: {data['Images']}\n"
        f" Server Version: {VERSION}\n Storage Driver: overlay2\n"
        " Runtimes: io.containerd.runc.v2 nvidia runc\n Default Runtime: runc\n"
        f" Kernel Version: {data['KernelVersion']}\n"
        f" Operating System: {data['OperatingSystem']}\n OSType: linux\n"
        f" Architecture: aarch64\n CPUs: 20\n Name: {call.node.name}\n"
    )
    return 0


async def _version(call: Call, args: list[str]) -> int:
    parsed = _parse("version", Flags(values="-f,--format"), args)
    client = {"Version": VERSION, "ApiVersion": API_VERSION, "Os": "linux", "Arch": "arm64"}
    data = {"Client": client, "Server": {**client, "MinAPIVersion": "1.24"}}
    fmt = parsed.last("format")
    if fmt:
        call.out(_template("{{json .}}" if fmt == "json" else fmt, data) + "\n")
        return 0
    call.out(
        f"Client: Docker Engine - Community\n Version:           {VERSION}\n"
        f" API version:       {API_VERSION}\n OS/Arch:           linux/arm64\n\n"
        f"Server: Docker Engine - Community\n Engine:\n  Version:          {VERSION}\n"
        f"  API version:      {API_VERSION} (minimum version 1.24)\n"
        "  OS/Arch:          linux/arm64\n"
    )
    return 0


def _plugin(call: Call, sub: str, args: list[str]) -> int:
    path = call.env.get("PATH", "")
    found = shutil.which(f"docker-{sub}", path=path) if _PLUGIN.fullmatch(sub) else None
    if found is None:
        raise SimError(f"docker: '{sub}' is not a docker command.\nSee 'docker --help'")
    call.exec([found, *args], call.env, call.cwd)
    return 0


# -- events ---------------------------------------------------------------------------

_DURATION = re.compile(r"(?:(\d+(?:\.\d+)?)(h|m|s|ms))+")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(h|m|s|ms)")
_UNITS_S = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


def _when(flag: str, raw: str, now: float) -> float:
    """A ``--since``/``--until`` value: a Unix timestamp, or a Go duration before now."""
    with contextlib.suppress(ValueError):
        return float(raw)
    if _DURATION.fullmatch(raw):
        return now - sum(float(n) * _UNITS_S[u] for n, u in _DURATION_PART.findall(raw))
    raise _usage_error("events", f'invalid value for "{flag}": "{raw}"')


def _event_filters(items: list[str]) -> dict[str, set[str]]:
    wanted: dict[str, set[str]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or key not in ("container", "event", "type"):
            raise SimError(f"Error response from daemon: invalid filter '{item}'")
        wanted.setdefault(key, set()).add(value)
    return wanted


def _event_wanted(event: ContainerEvent, wanted: dict[str, set[str]]) -> bool:
    """Whether ``event`` passes the ``--filter`` values (type, event, container)."""
    if "type" in wanted and "container" not in wanted["type"]:
        return False
    if "event" in wanted and event.action not in wanted["event"]:
        return False
    names = wanted.get("container")
    return not names or bool(
        {event.name, event.id} & names or any(event.id.startswith(n) for n in names)
    )


async def _events(call: Call, args: list[str]) -> int:
    parsed = _parse("events", Flags(values="--since --until -f,--filter --format"), args)
    if parsed.positional:
        raise _usage_error("events", '"docker events" accepts no arguments.', 1)
    now = time.time()
    until_raw = parsed.last("until")
    if until_raw is None:
        raise SimError("the simulator's docker events needs --until (it does not stream)")
    since_raw = parsed.last("since")
    since = _when("--since", since_raw, now) if since_raw else now
    until = _when("--until", until_raw, now)
    wanted = _event_filters(parsed.all("filter"))
    fmt = parsed.last("format")
    for event in call.controller.events:
        if event.node != call.node.name or not since <= event.time <= until:
            continue
        if not _event_wanted(event, wanted):
            continue
        attributes = {"image": event.image, "name": event.name, **event.attributes}
        data = {
            "Type": "container",
            "Action": event.action,
            "Status": event.action,
            "ID": event.id,
            "id": event.id,
            "From": event.image,
            "Actor": {"ID": event.id, "Attributes": attributes},
            "scope": "local",
            "time": int(event.time),
            "timeNano": int(event.time * 1e9),
        }
        if fmt:
            call.out(_template(fmt, data) + "\n")
        else:
            stamp = datetime.fromtimestamp(event.time, UTC).isoformat()
            pairs = ", ".join(f"{k}={v}" for k, v in sorted(attributes.items()))
            call.out(f"{stamp} container {event.action} {event.id} ({pairs})\n")
    return 0


_COMMANDS: dict[str, Command] = {
    "ps": _ps,
    "run": _run,
    "start": _start,
    "restart": _restart,
    "stop": _stop,
    "kill": _kill,
    "rm": _rm,
    "inspect": _inspect,
    "logs": _logs,
    "exec": _exec,
    "pull": _pull,
    "info": _info,
    "version": _version,
    "events": _events,
}
_CONTAINER_ALIASES = {"ls": "ps", "list": "ps", "remove": "rm"}


async def docker(call: Call) -> int:
    args = call.argv[1:]
    if not args or args[0] in ("-h", "--help", "help"):
        call.out("\nUsage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n")
        return 0
    if args[0] in ("-v", "--version"):
        call.out(f"Docker version {VERSION}, build ce12230\n")
        return 0
    sub, *rest = args
    if sub == "container" and rest:
        sub, *rest = rest
        sub = _CONTAINER_ALIASES.get(sub, sub)
        if sub == "inspect":
            return await _inspect(call, rest, noun="container")
    command = _COMMANDS.get(sub)
    if command is None:
        if sub.startswith("-"):
            raise SimError(f"unknown flag: {sub}\nSee 'docker --help'.", 125)
        return _plugin(call, sub, rest)
    return await command(call, rest)
