"""What the simulated cluster needs to run on real engines: the daemons, the base image,
the mounts and environment every simulated container gets, and services as containers.

The controller holds one ``EngineMode`` when the cluster runs with ``engine="docker"``;
the ``docker`` shim (``standins/engine_docker.py``) and ``Controller._start_service``
use it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from spark_control.sim.engine import (
    ENGINE_LABEL,
    EngineError,
    NodeEngine,
    base_image_tar,
    runtime_mounts,
    short_folder,
)
from spark_control.sim.registry import ContainerContext, ProcessSpec, SimService

if TYPE_CHECKING:
    from spark_control.sim.controller import Controller, NodeState

__all__ = ["EngineMode", "node_log"]


def node_log(sandbox: Path, line: str) -> None:
    """A line in the node's own log (``<sandbox>/node.log``): what the shim changed."""
    with (sandbox / "node.log").open("a", encoding="utf-8") as log:
        log.write(line.rstrip("\n") + "\n")


@dataclass
class EngineMode:
    """The running daemons of a cluster, one per node, and the image they all hold."""

    engines: dict[str, NodeEngine]
    base_image: str
    mounts: list[str]
    short_dir: Path
    hosts_file: Path
    #: The base image's file system (every simulated image is an import of it).
    tar: bytes = b""

    @classmethod
    def start(cls, root: Path, sandboxes: Mapping[str, Path], extra: list[Path]) -> EngineMode:
        """Start a daemon per node (all at once), import the base image into each."""
        short = short_folder()
        engines = {
            name: NodeEngine(name, sandbox / "engine", short / str(index))
            for index, (name, sandbox) in enumerate(sandboxes.items())
        }
        mode = cls(engines, "", runtime_mounts(root, extra), short, root / "hosts.json")
        try:
            for engine in engines.values():
                engine.launch()
            tar = mode.tar = base_image_tar()
            for engine in engines.values():
                try:
                    engine.wait_ready()
                except EngineError:
                    if engine.driver != "overlay2":
                        raise
                    # Overlay mounts are not possible everywhere (overlay on overlay):
                    # vfs copies the image per container, but our image is tiny.
                    engine.stop()
                    engine.launch("vfs")
                    engine.wait_ready()
                mode.base_image = engine.import_base(tar)
        except BaseException:
            mode.stop()
            raise
        return mode

    def stop(self) -> None:
        """Remove every container and stop every daemon; nothing is left running."""
        errors = []
        for engine in self.engines.values():
            try:
                engine.stop()
            except (OSError, EngineError, subprocess.SubprocessError) as exc:
                errors.append(f"{engine.node}: {exc}")
        shutil.rmtree(self.short_dir, ignore_errors=True)
        if errors:
            raise EngineError("; ".join(errors))

    # -- what every simulated container gets --------------------------------------------

    def base_env(self, node: NodeState) -> list[str]:
        """``-e`` values a simulated process has before the caller's own (the stand-in's
        defaults), as options for ``docker run``."""
        return _env_flags(
            {
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "LANG": "C.UTF-8",
                "HOME": str(node.sandbox),
            }
        )

    def sim_env(
        self, controller: Controller, node: NodeState, spec: ProcessSpec, failure: str | None
    ) -> list[str]:
        """``-e`` values that win over the caller's: the start function's and the node's."""
        env = {
            **spec.env,
            "SPARK_SIM_NODE": node.name,
            "SPARK_SIM_SOCKET": str(controller.socket_path),
            "SPARK_SIM_HOSTS": str(self.hosts_file),
            "DOCKER_HOST": self.engines[node.name].host,
        }
        if failure is not None:
            env["SPARK_SIM_FAILURE"] = failure
        return _env_flags(env)

    def mount_flags(self) -> list[str]:
        return [item for mount in self.mounts for item in ("-v", mount)]

    def context(
        self, controller: Controller, node: NodeState, name: str, image: str, **values: object
    ) -> ContainerContext:
        folder = node.sandbox / "containers" / (name or "unnamed")
        folder.mkdir(parents=True, exist_ok=True)
        return ContainerContext(
            node=node.name,
            address=node.address,
            name=name,
            image=image,
            args=list(values.get("args", [])),  # type: ignore[call-overload]
            env=dict(values.get("env", {})),  # type: ignore[call-overload]
            mounts=list(values.get("mounts", [])),  # type: ignore[call-overload]
            realistic=controller.realistic,
            failure=values.get("failure"),  # type: ignore[arg-type]
            log_path=folder / "container.log",
            sandbox=node.sandbox,
            engine=True,
        )

    # -- services -----------------------------------------------------------------------

    async def start_service(
        self, controller: Controller, service: SimService, node: NodeState
    ) -> None:
        """A simulated service as a real container on its node's engine."""
        engine = self.engines[node.name]
        ctx = self.context(controller, node, service.name, "")
        spec = await controller.spec_for(service.start, ctx)
        argv = [
            engine.cli, "run", "-d", "--name", service.name,
            "--label", f"{ENGINE_LABEL}=service", "--network", "host",
            "-w", str(node.sandbox),
            *self.base_env(node), *self.sim_env(controller, node, spec, None),
            *self.mount_flags(), self.base_image, *spec.argv,
        ]  # fmt: skip
        done = await asyncio.to_thread(
            subprocess.run, argv, env=engine.env(), capture_output=True, check=False
        )
        if done.returncode != 0:
            raise EngineError(
                f"service {service.name} on {node.name}: "
                f"{done.stderr.decode(errors='replace').strip()}"
            )


def _env_flags(env: Mapping[str, str]) -> list[str]:
    return [item for key, value in env.items() for item in ("-e", f"{key}={value}")]
