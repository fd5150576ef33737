"""Stopping vLLM: the launcher's ``stop``, ``docker stop`` as the fallback, the workers'
containers, then a check that each container really stopped (a stop that did not is an
error, never a quiet success), and a wait for the last launcher to exit."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

from spark_control.api import CommandResult, SparkError
from spark_control_vllm import launch
from spark_control_vllm.swap.remote import DROPPED

if TYPE_CHECKING:
    from spark_control.api import Host, Node
    from spark_control_vllm.settings import VllmSettings
    from spark_control_vllm.swap.remote import HeadNode

log = logging.getLogger(__name__)

#: How long a stop waits for the last launch's launcher to exit by itself (its EXIT
#: trap's ``docker stop`` on a container already stopped) before killing its group.
LAUNCHER_EXIT_S = 10.0
#: How long a killed launcher may take to be gone (reaped by the node's init).
LAUNCHER_REAPED_S = 10.0
POLL_S = 0.1
#: Docker states of a container that has not stopped.
NOT_STOPPED = frozenset({"running", "restarting", "paused"})


def stop_failed(message: str, node: str, container: str, state: str) -> SparkError:
    return SparkError(
        message,
        status=502,
        type="stop_failed",
        detail={"node": node, "container": container, "state": state},
    )


def check_stopped(node: str, container: str, stop: CommandResult, state: CommandResult) -> None:
    """Raise unless ``state`` (``container_state_command``'s answer) shows the container
    stopped or gone; ``stop`` (``docker stop``'s answer) explains why it did not."""
    if state.exit_status != 0:
        if "No such" in state.stderr:
            return  # gone: the launcher runs it with --rm
        said = state.stderr.strip() or f"exit status {state.exit_status}"
        raise stop_failed(
            f"could not check that vLLM's container {container!r} on {node} stopped: {said[:300]}",
            node,
            container,
            "unknown",
        )
    now = state.stdout.strip()
    if now not in NOT_STOPPED:
        return
    said = stop.stderr.strip() or stop.stdout.strip() or f"exit status {stop.exit_status}"
    raise stop_failed(
        f"vLLM's container {container!r} on {node} is still {now} after the stop "
        f"(docker stop: {said[:300]})",
        node,
        container,
        now,
    )


class Stopper:
    def __init__(self, host: Host, settings: VllmSettings, head: HeadNode) -> None:
        self.host = host
        self.settings = settings
        self.head = head
        # The launcher of the last launch, until a stop has seen it exit.
        self.launcher_pid: int | None = None

    async def stop(self) -> None:
        """Stop the container on the head node and on each worker, check each stopped,
        then wait for the last launcher to exit."""
        options = self.settings.launch_options()
        await self.head.run(launch.launcher_stop_command(options), timeout=120)
        stopped = await self.head.run(launch.docker_stop_command(options.container, 30), timeout=60)
        state = await self.head.run(launch.container_state_command(options.container))
        check_stopped(self.head.name, options.container, stopped, state)
        # A two-node model left a container on each worker too; stop those directly
        # rather than trust the launcher's node discovery.
        for name in self.settings.worker_nodes:
            worker = self.host.topology.nodes.get(name)
            if worker is not None:
                await self._stop_worker(worker, options.container)

    async def _stop_worker(self, worker: Node, container: str) -> None:
        """A worker that does not answer is passed over (nothing can be done there);
        one that answers and still runs the container fails the stop."""
        try:
            stopped = await self.host.ssh.run(
                worker, launch.docker_stop_command(container, 30), timeout=60
            )
            state = await self.host.ssh.run(worker, launch.container_state_command(container))
        except (*DROPPED, SparkError) as exc:
            log.warning("could not stop vLLM's container on %s: %s", worker.name, exc)
            return
        check_stopped(worker.name, container, stopped, state)

    async def await_launcher_exit(self) -> None:
        """Nothing is launched while the last launcher runs: once its ``docker exec``
        ends, its EXIT trap runs ``docker stop <container>``, which on a slow node can
        come after the next launch started a container of that name (and ``--rm``
        removes it). With its container stopped it exits by itself; one that does not
        within ``LAUNCHER_EXIT_S`` has its process group killed (``setsid`` made it the
        leader), trap and ``docker`` children with it."""
        pid = self.launcher_pid
        if pid is None:
            return
        give_up = time.monotonic() + LAUNCHER_EXIT_S
        killed = False
        while await self.head.launcher_alive(pid):
            if time.monotonic() >= give_up:
                if killed:
                    raise SparkError(
                        f"the launcher (pid {pid}) on {self.head.name} did not exit when "
                        "killed; nothing is launched while it runs",
                        status=503,
                        type="unavailable",
                    )
                await self._kill_launcher(pid)
                killed = True
                give_up = time.monotonic() + LAUNCHER_REAPED_S
            await asyncio.sleep(POLL_S)
        self.launcher_pid = None

    async def _kill_launcher(self, pid: int) -> None:
        log.warning("launcher %d outlived its container; killing its group", pid)
        killed = await self.head.run(launch.kill_launcher_command(pid))
        if killed.exit_status not in (0, 1):  # 1: it had just exited
            raise SparkError(
                f"could not kill the launcher (pid {pid}) on {self.head.name}: "
                f"{killed.stderr.strip()[:300]}",
                status=503,
                type="unavailable",
            )
