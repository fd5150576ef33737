"""What plugins contribute to the simulated cluster through ``spark_sim``.

Each plugin gets a registrar bound to its name; the simulator reads the collected
images, node commands and services. A name registered twice is refused with both
plugins named, as for routes.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from spark_control.plugins import implementations


class SimConflict(ValueError):
    """Two plugins registered the same image pattern, command or service."""


@dataclass(frozen=True)
class SimImage:
    """``docker run <image>`` of a matching image starts ``start(container)``."""

    pattern: str
    start: Callable[..., Any]
    plugin: str
    memory_gb: float = 0.0

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

    def image_for(self, image: str) -> SimImage | None:
        return next((i for i in self.images if i.matches(image)), None)


class SimRegistrar:
    """The ``sim`` a plugin's ``spark_sim`` receives."""

    def __init__(self, registry: SimRegistry, plugin: str) -> None:
        self._registry = registry
        self.plugin = plugin

    def image(self, pattern: str, start: Callable[..., Any], *, memory_gb: float = 0.0) -> None:
        for existing in self._registry.images:
            if existing.pattern == pattern:
                raise SimConflict(
                    f"image {pattern!r} is registered by both {existing.plugin!r} "
                    f"and {self.plugin!r}"
                )
        self._registry.images.append(SimImage(pattern, start, self.plugin, memory_gb))

    def command(self, name: str, script: str | Path) -> None:
        if "/" in name or not name:
            raise ValueError(f"command name must be a plain file name: {name!r}")
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


def collect_simulation(pm: pluggy.PluginManager) -> SimRegistry:
    """Ask every plugin for its part of the simulated world."""
    registry = SimRegistry()
    for impl in implementations(pm, "spark_sim"):
        impl.function(SimRegistrar(registry, impl.plugin_name))
    return registry
