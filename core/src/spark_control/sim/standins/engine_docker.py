"""The ``docker`` of a simulated node in engine mode: a thin shim in front of the real CLI.

Every command goes to the real ``docker`` CLI and the node's real daemon
(``DOCKER_HOST``), with its own output, errors and exit status. The shim changes only
what cannot be real here, and says so:

- ``run``/``create``: what this machine cannot grant is dropped or lowered, with a line
  in the node's ``node.log`` saying so: ``--gpus`` (no GPU), ``--privileged`` (this
  sandbox may lack the capabilities it grants), ``--ulimit nofile`` above the machine's
  hard limit. For an image a plugin registered with the simulator, the image is the
  local base image under that name, the container gets the mounts and ``-e`` values
  that let the simulated process run (``engine_mode.py``), host networking when no
  network was asked for (the simulated servers listen on the node's loopback
  address), the image's healthcheck when the registry declares one, and, unless the
  caller gave an ``--entrypoint`` (the launcher's ``--entrypoint= ... sleep
  infinity``), the start function's command, which got the caller's arguments: the
  start function plays the image's ``ENTRYPOINT``;
- ``docker <sub>`` with a ``docker-<sub>`` program on the node's ``PATH`` runs it, as
  the stand-in does (``docker compose`` has no package in Debian; its stand-in drives
  this shim, so the containers it makes are real).

Commands that change state and end by themselves run from here, so the node's memory
view is refreshed when they end; the others (``exec``, ``logs``, attached ``run``...)
replace the stand-in client with the real CLI, keeping stdin and the SSH session.
"""

from __future__ import annotations

import asyncio
import codecs
import resource
import shlex
import shutil
import time
from collections.abc import Callable

from spark_control.sim.controller import Call, SimError
from spark_control.sim.engine import EngineError
from spark_control.sim.engine_mode import node_log
from spark_control.sim.standins.docker import _PLUGIN, _RUN, _env
from spark_control.sim.standins.flags import FlagError

__all__ = ["engine_docker"]

# Commands that change state and end on their own: run here, then refresh the view.
_STATEFUL = frozenset({"create", "start", "stop", "restart", "kill", "rm", "pause", "unpause"})
_CONTAINER_ALIASES = {"remove": "rm"}
# ``docker run`` options this machine cannot grant, and why: dropped, and logged.
_CANNOT_GRANT = {
    "gpus": "no GPU on this machine",
    "privileged": "this sandbox lacks the capabilities --privileged grants",
}


async def engine_docker(call: Call) -> int:
    engine_mode = call.controller.engine
    if engine_mode is None:  # pragma: no cover - the controller picks this only in engine mode
        raise SimError("docker: engine mode is off")
    engine = engine_mode.engines[call.node.name]
    env = {**call.env, "DOCKER_HOST": call.env.get("DOCKER_HOST") or engine.host}
    args = call.argv[1:]
    prefix: list[str] = []
    if len(args) >= 2 and args[0] == "container":
        prefix, args = ["container"], [_CONTAINER_ALIASES.get(args[1], args[1]), *args[2:]]
    sub = args[0] if args else ""
    plugin = _plugin(env, sub) if not prefix else None
    if plugin is not None:
        call.exec([plugin, *args[1:]], env, call.cwd)
        return 0
    detached = False
    if sub in ("run", "create"):
        args, detached = await _rewrite_run(call, sub, args[1:])
    argv = [engine.cli, *prefix, *args]
    if sub in _STATEFUL or (sub == "run" and detached):
        code = await _relay(call, argv, env)
        await call.controller.refresh_engine(call.node)
        return code
    call.exec(argv, env, call.cwd)
    return 0


def _plugin(env: dict[str, str], sub: str) -> str | None:
    if not _PLUGIN.fullmatch(sub):
        return None
    return shutil.which(f"docker-{sub}", path=env.get("PATH", ""))


async def _relay(call: Call, argv: list[str], env: dict[str, str]) -> int:
    """Run the real CLI, passing its output on as it comes."""
    process = await asyncio.create_subprocess_exec(
        *argv,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=call.cwd,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None

    async def pump(source: asyncio.StreamReader, write: Callable[[str], None]) -> None:
        # Incremental: a character split across two reads is decoded whole.
        decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        while chunk := await source.read(65536):
            write(decoder.decode(chunk))
            await call.flush()
        write(decoder.decode(b"", final=True))

    await asyncio.gather(pump(process.stdout, call.out), pump(process.stderr, call.err))
    return await process.wait()


def _grantable(
    call: Call, sub: str, args: list[str], options: list[tuple[str, list[str]]]
) -> list[str]:
    """The options this engine can grant (ulimits within the shim's), noting the others
    in the node's log."""
    dropped = [" ".join(tokens) for key, tokens in options if key in _CANNOT_GRANT]
    kept: list[str] = []
    for key, tokens in options:
        if key == "ulimit":
            tokens = _ulimit(call, tokens)
        if key not in _CANNOT_GRANT:
            kept += tokens
    if dropped:
        node_log(
            call.node.sandbox,
            f"{_stamp()} engine shim: dropped {' '.join(dropped)} from docker {sub} "
            f"({'; '.join(sorted({_CANNOT_GRANT[k] for k, _ in options if k in _CANNOT_GRANT}))}"
            f"): docker {sub} {shlex.join(args)}",
        )
    return kept


async def _rewrite_run(call: Call, sub: str, args: list[str]) -> tuple[list[str], bool]:
    """``docker run`` as the real engine can run it here; and whether it is detached."""
    try:
        options, rest = _RUN.options(args)
        parsed = _RUN.parse(args, interspersed=False)
    except FlagError:
        return [sub, *args], False  # the real CLI says what is wrong
    detached = parsed.flag("detach") or sub == "create"
    kept = _grantable(call, sub, args, options)
    if not rest:
        return [sub, *kept], detached
    image, *command = rest
    mode = call.controller.engine
    sim_image = call.controller.registry.image_for(image)
    if sim_image is None or mode is None:
        return [sub, *kept, *rest], detached
    name = (parsed.last("name") or "").removeprefix("/")
    failure = call.controller.failure_of(name, image)
    ctx = mode.context(
        call.controller,
        call.node,
        name,
        image,
        args=command,
        env=_env(call, parsed.all("env")),
        mounts=parsed.all("volume"),
        failure=failure,
    )
    spec = await call.controller.spec_for(sim_image.start, ctx)
    try:
        await asyncio.to_thread(mode.engines[call.node.name].ensure_image, mode.tar, image)
    except EngineError as exc:
        raise SimError(f"docker: {exc}", 125) from None
    ours = [*mode.sim_env(call.controller, call.node, spec, failure), *mode.mount_flags()]
    if parsed.last("network") is None:
        ours += ["--network", "host"]
    if sim_image.healthcheck and parsed.last("health-cmd") is None:
        ours += _healthcheck(spec.ready_after_s, failure)
    if parsed.last("entrypoint") is None:
        # The start function is the image's entrypoint: it was given the arguments.
        command = list(spec.argv)
    return [sub, *mode.base_env(call.node), *kept, *ours, image, *command], detached


def _ulimit(call: Call, tokens: list[str]) -> list[str]:
    """``--ulimit nofile=S:H`` within what this machine lets the daemon grant.

    A real node's dockerd runs with ``LimitNOFILE=infinity``; a sandbox may cap the hard
    limit below what the launcher asks (1048576), and runc then refuses to start the
    container. The shim lowers the value to the cap and says so in the node's log.
    """
    value = tokens[-1].split("=", 1)[1] if tokens[0].startswith("--ulimit=") else tokens[-1]
    name, _, limits = value.partition("=")
    if name != "nofile":
        return tokens
    cap = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    try:
        asked = [int(part) for part in limits.split(":")]
    except ValueError:
        return tokens  # the real CLI says what is wrong
    if cap == resource.RLIM_INFINITY or all(n <= cap for n in asked):
        return tokens
    lowered = f"nofile={':'.join(str(min(n, cap)) for n in asked)}"
    node_log(
        call.node.sandbox,
        f"{_stamp()} engine shim: --ulimit {value} lowered to {lowered} (this machine's "
        f"hard limit is {cap})",
    )
    return ["--ulimit", lowered]


def _healthcheck(ready_after_s: float, failure: str | None) -> list[str]:
    """The image's HEALTHCHECK: healthy from the first check after the process is ready
    (``hang``: never; it stays ``starting``)."""
    interval = f"{min(max(ready_after_s, 0.2), 5.0):.2f}s"
    test = "false" if failure == "hang" else "true"
    start_period = "24h" if failure == "hang" else "0s"
    return [
        "--health-cmd", test, "--health-interval", interval, "--health-retries", "3",
        "--health-timeout", "5s", "--health-start-period", start_period,
    ]  # fmt: skip


def _stamp() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
