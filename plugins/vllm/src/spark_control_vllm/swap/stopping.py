"""Stopping vLLM: the launcher's ``stop``, ``docker stop`` as the fallback, the workers'
containers, then a check that each container really stopped (a stop that did not is an
error, never a quiet success), and a wait for the last launcher to exit.

Each node's stop is one script (``stop_steps``, one SSH round trip): every step's
output and status come back under its label and are checked as before."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

from spark_control.api import CommandResult, Script, SparkError, StepResult, Steps, wait_while
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
#: The launcher's own ``stop`` and ``docker stop``'s grace before it kills.
LAUNCHER_STOP_S = 120
DOCKER_STOP_S = 30
#: How often the node's shell asks whether the launcher still runs during a stop (a
#: ``kill -0``, no round trip), and how often we ask over SSH when the stop could not.
SHELL_POLL_S = 0.05
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


def check_stopped(node: str, container: str, stop: StepResult | None, state: StepResult) -> None:
    """Raise unless ``state`` (``container_state_command``'s answer) shows the container
    stopped or gone; ``stop`` (``docker stop``'s answer) explains why it did not."""
    if state.exit_status != 0:
        if "No such" in state.output:
            return  # gone: the launcher runs it with --rm
        said = state.output.strip() or f"exit status {state.exit_status}"
        raise stop_failed(
            f"could not check that vLLM's container {container!r} on {node} stopped: {said[:300]}",
            node,
            container,
            "unknown",
        )
    now = state.output.strip()
    if now not in NOT_STOPPED:
        return
    said = "no answer"
    if stop is not None:
        said = stop.output.strip() or f"exit status {stop.exit_status}"
    raise stop_failed(
        f"vLLM's container {container!r} on {node} is still {now} after the stop "
        f"(docker stop: {said[:300]})",
        node,
        container,
        now,
    )


def stop_steps(stop: Script | None, container: str, launcher_pid: int | None) -> Steps:
    """One script for a whole stop on one node: the launcher's ``stop`` (head node
    only), ``docker stop``, the container's state, then (unless it still runs) the last
    launcher's group killed and a wait in the node's shell until it is gone
    (``SHELL_POLL_S``)."""
    steps = Steps()
    if stop is not None:
        steps.add("launcher_stop", stop)
    steps.add("docker_stop", launch.docker_stop_command(container, DOCKER_STOP_S))
    steps.add("state", launch.container_state_command(container))
    if launcher_pid is not None:
        # With its container stopped, the last launcher has nothing left to do but its
        # EXIT trap (``docker stop`` of that stopped container), which could land on
        # the next launch's container: its group is killed now, not waited for.
        running = ("state", sorted(NOT_STOPPED))
        steps.add("launcher_kill", launch.kill_launcher_command(launcher_pid), unless=running)
        alive = launch.launcher_running_command(launcher_pid)
        steps.add(
            "launcher_exit",
            wait_while(alive, within_s=LAUNCHER_REAPED_S, every_s=SHELL_POLL_S),
            unless=running,
        )
    return steps


def answered(
    node: str, container: str, steps: Steps, result: CommandResult
) -> dict[str, StepResult]:
    """The steps' results; a script cut off before its state check is a failed stop."""
    done = steps.read(result.stdout)
    if "state" not in done:
        said = result.stderr.strip() or f"exit status {result.exit_status}"
        raise stop_failed(
            f"the stop of vLLM's container {container!r} on {node} did not finish: {said[:300]}",
            node,
            container,
            "unknown",
        )
    return done


class Stopper:
    def __init__(self, host: Host, settings: VllmSettings, head: HeadNode) -> None:
        self.host = host
        self.settings = settings
        self.head = head
        # The launcher of the last launch, until a stop has seen it exit.
        self.launcher_pid: int | None = None
        # The stop's own wait for that launcher ran out: kill it without waiting again.
        self._outlived = False

    async def stop(self) -> None:
        """Stop the container on the head node and on each worker, check each stopped,
        and see the last launcher exit: one SSH round trip per node."""
        options = self.settings.launch_options()
        self.head.drop_handed()  # a launch's log stream no follower took
        pid = self.launcher_pid
        steps = stop_steps(launch.launcher_stop_command(options), options.container, pid)
        timeout = LAUNCHER_STOP_S + DOCKER_STOP_S * 2 + LAUNCHER_EXIT_S + 30
        result = await self.head.run(steps, timeout=timeout)
        done = answered(self.head.name, options.container, steps, result)
        check_stopped(self.head.name, options.container, done.get("docker_stop"), done["state"])
        killed, exited = done.get("launcher_kill"), done.get("launcher_exit")
        if killed is not None and killed.exit_status not in (0, 1):  # 1: already gone
            raise SparkError(
                f"could not kill the launcher (pid {pid}) on {self.head.name}: "
                f"{killed.output.strip()[:300]}",
                status=503,
                type="unavailable",
            )
        if pid is not None and exited is not None:
            self._outlived = not exited.ok
            if exited.ok and self.launcher_pid == pid:
                self.launcher_pid = None
        # A two-node model left a container on each worker too; stop those directly
        # rather than trust the launcher's node discovery.
        for name in self.settings.worker_nodes:
            worker = self.host.topology.nodes.get(name)
            if worker is not None:
                await self._stop_worker(worker, options.container)

    async def _stop_worker(self, worker: Node, container: str) -> None:
        """A worker that does not answer is passed over (nothing can be done there);
        one that answers and still runs the container fails the stop."""
        steps = stop_steps(None, container, None)
        try:
            result = await self.host.ssh.run(worker, steps, timeout=DOCKER_STOP_S * 2 + 30)
        except (*DROPPED, SparkError) as exc:
            log.warning("could not stop vLLM's container on %s: %s", worker.name, exc)
            return
        done = answered(worker.name, container, steps, result)
        check_stopped(worker.name, container, done.get("docker_stop"), done["state"])

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
        # The stop waited for it already when it could; then only the kill is left.
        give_up = time.monotonic() + (0.0 if self._outlived else LAUNCHER_EXIT_S)
        self._outlived = False
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
