"""Before a launch: the model fits the node at all (``check_fits``, refused at once), and
after the stop the container is gone, the port is free, the memory has come back and a
model still to download has room on the disk (``run``, a failed swap otherwise)."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from spark_control.api import RemoteCommand, StepResult, Steps, arg, parse_df
from spark_control_vllm import disk, launch
from spark_control_vllm.swap.errors import SwapFailure, SwapRefused
from spark_control_vllm.swap.remote import meminfo_command, parse_meminfo

if TYPE_CHECKING:
    from spark_control_vllm.catalog import CatalogEntry
    from spark_control_vllm.settings import VllmSettings
    from spark_control_vllm.swap.remote import HeadNode

#: The longest wait after a stop for the node's memory to come back.
MEMORY_RETURN_S = 15.0
#: The Hugging Face cache under the SSH user's home, where the launcher mounts it from.
HF_HUB_DIR = ".cache/huggingface/hub"
POLL_S = 0.5
#: How long a start waits for a fresh look at a head node published down.
NODE_LOOK_S = 1.0


def node_down(node: str, why: str, *, before: str = "") -> SwapRefused:
    """The 503 for a start (or a request) that needs a head node published down."""
    return SwapRefused(
        f"{before}the head node {node} is down ({why}); nothing can be started there until "
        "it answers again",
        status=503,
        type="node_down",
        detail={"node": node},
        headers={"Retry-After": "15"},
    )


class Preflight:
    def __init__(self, settings: VllmSettings, head: HeadNode) -> None:
        self.settings = settings
        self.head = head
        # MemAvailable on the head node when the last pre-flight passed (bytes): the
        # baseline of what the new instance then holds (``Observed``).
        self.available_before: int | None = None

    async def check_fits(self, entry: CatalogEntry) -> None:
        """Refuse at once a model that could not fit even on an empty node, and any
        start while the head node is published down (asking it would wait out SSH's
        connect timeout)."""
        await self._refuse_if_node_down()
        total = await self.head.meminfo("MemTotal", retry=False)
        if total is not None and entry.memory_gb * 2**30 > total:
            raise SwapRefused(
                f"{entry.id} needs {entry.memory_gb:g} GiB of memory on "
                f"{self.head.name}, which has {total / 2**30:.1f} GiB in all",
                status=422,
                type="does_not_fit",
                detail={"needed_gb": entry.memory_gb, "total_gb": round(total / 2**30, 1)},
            )

    async def _refuse_if_node_down(self) -> None:
        """A head node published down gets one look at once (it may just be back: its
        probe's polls back off to 15 s while it is down); still down after
        ``NODE_LOOK_S``, the start is refused."""
        down = self._head_node_down()
        health = self.head.host.health
        if down is None or health is None:
            return
        health.recheck(f"node:{self.head.name}")
        give_up = time.monotonic() + NODE_LOOK_S
        while time.monotonic() < give_up:
            await asyncio.sleep(0.05)
            if (down := self._head_node_down()) is None:
                return
        raise node_down(self.head.name, down)

    def head_node_down(self) -> str | None:
        """Why the head node is published down (its probe's detail), or None; reads the
        last published state only, so it answers at once."""
        return self._head_node_down()

    def _head_node_down(self) -> str | None:
        health = self.head.host.health
        probe = None if health is None else health.snapshot().get(f"node:{self.head.name}")
        if probe is None or probe.state != "down":
            return None
        return probe.detail or "no answer"

    async def run(self, entry: CatalogEntry) -> None:
        """A stopped vLLM lets go of its port and (on unified-memory nodes) its memory
        a little after the stop returns: both get a moment (``stop_timeout_s``, at most
        ``MEMORY_RETURN_S``). The node's checks are one script (one round trip), asked
        while the port is tried from here; only a check that must wait asks again."""
        give_up = time.monotonic() + min(self.settings.stop_timeout_s, MEMORY_RETURN_S)
        steps = self._steps(entry)
        result, port_taken = await asyncio.gather(self.head.run(steps), self.head.port_in_use())
        done = steps.read(result.stdout)
        if "meminfo" not in done:
            said = result.stderr.strip() or f"exit status {result.exit_status}"
            raise SwapFailure(
                f"the pre-flight checks on {self.head.name} did not finish: {said[:300]}"
            )
        state = done["state"]
        if launch.parse_container_state(state.exit_status, state.output) == "running":
            raise SwapFailure(f"container {self.settings.container!r} is still running")
        if port_taken:
            await self._port_free(give_up)
        self._check_disk(entry, done)
        available = parse_meminfo(done["meminfo"].output).get("MemAvailable")
        self.available_before = available
        if not self._memory_enough(entry, available, give_up):
            await self._memory_back(entry, give_up)

    def _steps(self, entry: CatalogEntry) -> Steps:
        """Container state, the model's cache folder and the disk (a download only),
        memory."""
        steps = Steps().add("state", launch.container_state_command(self.settings.container))
        if entry.hf_repo is not None and entry.disk_gb:
            folder = f"{HF_HUB_DIR}/{disk.cache_folder(entry.hf_repo)}"
            steps.add("cached", RemoteCommand("test", "-d", arg.relative_path(folder, "hf_repo")))
            steps.add("df", RemoteCommand("df", "-P", "-k", "."))
        return steps.add("meminfo", meminfo_command(self.head.node))

    async def _port_free(self, give_up: float) -> None:
        while await self.head.port_in_use():
            if time.monotonic() >= give_up:
                raise SwapFailure(
                    f"port {self.settings.port} on {self.head.name} is still in use after the stop"
                )
            await asyncio.sleep(POLL_S / 5)

    def _memory_enough(self, entry: CatalogEntry, available: int | None, give_up: float) -> bool:
        """True when ``available`` covers the model (or the node does not say); False
        while there is time left to wait; a ``SwapFailure`` once there is none."""
        if available is None or entry.memory_gb * 2**30 <= available:
            return True
        if time.monotonic() < give_up:
            return False
        short = entry.memory_gb - available / 2**30
        raise SwapFailure(
            f"{self.head.name} has {available / 2**30:.1f} GiB of memory available, "
            f"{short:.1f} GiB short of the {entry.memory_gb:g} GiB {entry.id} needs"
        )

    async def _memory_back(self, entry: CatalogEntry, give_up: float) -> None:
        while True:
            await asyncio.sleep(POLL_S)
            available = await self.head.meminfo("MemAvailable")
            self.available_before = available
            if self._memory_enough(entry, available, give_up):
                return

    def _check_disk(self, entry: CatalogEntry, done: dict[str, StepResult]) -> None:
        """A model not yet in the head node's Hugging Face cache needs its download size
        free on that disk."""
        cached, df = done.get("cached"), done.get("df")
        if cached is None or df is None or cached.ok or not entry.disk_gb:
            return
        space = parse_df(df.output, "~")
        if space is not None and space.free_bytes < entry.disk_gb * 2**30:
            short = entry.disk_gb - space.free_bytes / 2**30
            raise SwapFailure(
                f"{self.head.name} has {space.free_bytes / 2**30:.1f} GiB of disk free, "
                f"{short:.1f} GiB short of the {entry.disk_gb:g} GiB download of {entry.id}"
            )
