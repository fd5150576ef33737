"""What plugins contribute to the simulated cluster through ``spark_sim``.

Each plugin gets a registrar bound to its name; the simulator reads the collected
images, node commands and services. A name registered twice is refused with both
plugins named, as for routes.

The start contract (images and services)
----------------------------------------
``start(ctx: ContainerContext) -> ProcessSpec`` (plain or ``async``) is called when a
simulated ``docker run`` names a matching image, or, for a service, when the cluster
starts. It must not block: return the command line of a real local process (typically
a small HTTP server bound to ``ctx.address`` on a port taken from ``ctx.env``) and the
controller spawns it in its own session (process group), with stdout and stderr
recorded line by line in ``ctx.log_path`` the way docker's json-file driver does (so
``docker logs`` replays each on its own stream), the working directory the node's
sandbox, and an
environment of ``PATH``, the container's ``-e`` values, ``spec.env``,
``SPARK_SIM_NODE`` and ``SPARK_SIM_SOCKET``. The controller owns the process from then
on: ``docker stop`` sends SIGTERM to its group and SIGKILL after the grace period, and
whatever is left of the group is killed when the main process exits or the cluster
stops.

Failure switches reach the process as ``SPARK_SIM_FAILURE`` in its environment:

These reach processes started after the switch is set; a running one keeps its own:

- ``hang``: never become ready (keep the port closed or never answer ``/health``
  with 200); a docker healthcheck stays ``starting``.
- ``slow_health``: become ready, but answer health checks slowly (seconds).
- ``exit`` / ``oom``: the controller itself ends the process (exit status 1; or a CUDA
  out-of-memory line in the log and status 137), so a fake need not handle them.

In engine mode (``ctx.engine``) the same spec runs as a real container of a near-empty
image that sees the host's ``/usr``, this Python and the cluster folder at their own
paths (``sim/engine_mode.py``): ``argv`` is its command, ``env`` its ``-e`` values.

``ctx.realistic`` is true in the demo: sleep like a real load (model loading, etc.)
before listening. In tests it is false and everything should take milliseconds.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from spark_control.plugins import implementations

# The stand-ins the core puts on every node's PATH; plugins add to them, never replace.
CORE_COMMANDS = frozenset({"docker", "nvidia-smi", "ip", "df", "ssh", "hostname"})


class SimConflict(ValueError):
    """Two plugins registered the same image pattern, command or service."""


@dataclass(frozen=True)
class ContainerContext:
    """What a start function learns about the container (or service) it starts."""

    node: str
    address: str
    name: str
    image: str
    args: list[str]
    env: dict[str, str]
    mounts: list[str]
    realistic: bool
    failure: str | None
    log_path: Path
    sandbox: Path
    #: True when a real docker engine runs the container (``SimCluster(engine=...)``):
    #: the process is PID 1 of a real container, its stdout is ``docker logs``.
    engine: bool = False


@dataclass(frozen=True)
class ProcessSpec:
    """The process a start function asks for.

    ``ready_after_s`` is when a declared healthcheck turns ``healthy`` (if the process
    still runs and no ``hang`` failure is set).
    """

    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    ready_after_s: float = 0.0


StartFunction = Callable[[ContainerContext], ProcessSpec | Awaitable[ProcessSpec]]


@dataclass(frozen=True)
class SimImage:
    """``docker run <image>`` of a matching image starts ``start(ctx)``.

    ``memory_gb`` is what a running container of it takes from the node's MemAvailable
    (and makes the GPU look busy); ``healthcheck`` gives ``docker inspect`` a
    ``State.Health`` that turns healthy ``ready_after_s`` after start.
    """

    pattern: str
    start: Callable[..., Any]
    plugin: str
    memory_gb: float = 0.0
    healthcheck: bool = False

    def matches(self, image: str) -> bool:
        return fnmatch.fnmatchcase(image, self.pattern)


@dataclass(frozen=True)
class SimCommand:
    """An executable put first on every simulated node's ``PATH``."""

    name: str
    script: str | Path
    plugin: str


@dataclass(frozen=True)
class SimService:
    """A service the simulated world runs outside any container (e.g. a static backend)."""

    name: str
    start: Callable[..., Any]
    plugin: str
    node: str | None = None


@dataclass
class SimRegistry:
    images: list[SimImage] = field(default_factory=list)
    commands: dict[str, SimCommand] = field(default_factory=dict)
    services: dict[str, SimService] = field(default_factory=dict)
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)

    def image_for(self, image: str) -> SimImage | None:
        found = next((i for i in self.images if i.matches(image)), None)
        if found is None and ":" not in image.rsplit("/", 1)[-1] and "@" not in image:
            # Docker reads an untagged reference as ``:latest``.
            found = next((i for i in self.images if i.matches(f"{image}:latest")), None)
        return found


class SimRegistrar:
    """The ``sim`` a plugin's ``spark_sim`` receives."""

    def __init__(self, registry: SimRegistry, plugin: str) -> None:
        self._registry = registry
        self.plugin = plugin

    def image(
        self,
        pattern: str,
        start: Callable[..., Any],
        *,
        memory_gb: float = 0.0,
        healthcheck: bool = False,
    ) -> None:
        for existing in self._registry.images:
            if existing.pattern == pattern:
                raise SimConflict(
                    f"image {pattern!r} is registered by both {existing.plugin!r} "
                    f"and {self.plugin!r}"
                )
        self._registry.images.append(SimImage(pattern, start, self.plugin, memory_gb, healthcheck))

    def command(self, name: str, script: str | Path) -> None:
        if "/" in name or name in ("", ".", ".."):
            raise ValueError(f"command name must be a plain file name: {name!r}")
        if name in CORE_COMMANDS:
            raise SimConflict(
                f"command {name!r} is the core's stand-in; {self.plugin!r} cannot replace it "
                "(docker hands unknown subcommands to a docker-<sub> command instead)"
            )
        existing = self._registry.commands.get(name)
        if existing is not None:
            raise SimConflict(
                f"command {name!r} is registered by both {existing.plugin!r} and {self.plugin!r}"
            )
        self._registry.commands[name] = SimCommand(name, script, self.plugin)

    def service(self, name: str, start: Callable[..., Any], *, node: str | None = None) -> None:
        existing = self._registry.services.get(name)
        if existing is not None:
            raise SimConflict(
                f"service {name!r} is registered by both {existing.plugin!r} and {self.plugin!r}"
            )
        self._registry.services[name] = SimService(name, start, self.plugin, node)

    def settings(self, values: dict[str, Any]) -> None:
        """Settings of this plugin's own section for the demo's config (e.g. where its
        sample inputs are), merged over what the plugin registered before."""
        self._registry.settings.setdefault(self.plugin, {}).update(values)


def collect_simulation(pm: pluggy.PluginManager) -> SimRegistry:
    """Ask every plugin for its part of the simulated world."""
    registry = SimRegistry()
    for impl in implementations(pm, "spark_sim"):
        impl.function(SimRegistrar(registry, impl.plugin_name))
    return registry
