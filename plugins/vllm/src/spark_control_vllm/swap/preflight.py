"""Before a launch: the model fits the node at all (``check_fits``, refused at once), and
after the stop the container is gone, the port is free, the memory has come back and a
model still to download has room on the disk (``run``, a failed swap otherwise)."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from spark_control.api import RemoteCommand, arg, parse_df
from spark_control_vllm import disk, launch
from spark_control_vllm.swap.errors import SwapFailure, SwapRefused

if TYPE_CHECKING:
    from spark_control_vllm.catalog import CatalogEntry
    from spark_control_vllm.settings import VllmSettings
    from spark_control_vllm.swap.remote import HeadNode

#: The longest wait after a stop for the node's memory to come back.
MEMORY_RETURN_S = 15.0
#: The Hugging Face cache under the SSH user's home, where the launcher mounts it from.
HF_HUB_DIR = ".cache/huggingface/hub"
POLL_S = 0.5


class Preflight:
    def __init__(self, settings: VllmSettings, head: HeadNode) -> None:
        self.settings = settings
        self.head = head

    async def check_fits(self, entry: CatalogEntry) -> None:
        """Refuse at once a model that could not fit even on an empty node."""
        total = await self.head.meminfo("MemTotal", retry=False)
        if total is not None and entry.memory_gb * 2**30 > total:
            raise SwapRefused(
                f"{entry.id} needs {entry.memory_gb:g} GiB of memory on "
                f"{self.head.name}, which has {total / 2**30:.1f} GiB in all",
                status=422,
                type="does_not_fit",
                detail={"needed_gb": entry.memory_gb, "total_gb": round(total / 2**30, 1)},
            )

    async def run(self, entry: CatalogEntry) -> None:
        """A stopped vLLM lets go of its port and (on unified-memory nodes) its memory
        a little after the stop returns: both get a moment (``stop_timeout_s``, at most
        ``MEMORY_RETURN_S``)."""
        state = await self.head.run(launch.container_state_command(self.settings.container))
        if launch.parse_container_state(state.exit_status, state.stdout) == "running":
            raise SwapFailure(f"container {self.settings.container!r} is still running")
        give_up = time.monotonic() + min(self.settings.stop_timeout_s, MEMORY_RETURN_S)
        await self._port_free(give_up)
        await self._check_disk(entry)
        await self._memory_back(entry, give_up)

    async def _port_free(self, give_up: float) -> None:
        while await self.head.port_in_use():
            if time.monotonic() >= give_up:
                raise SwapFailure(
                    f"port {self.settings.port} on {self.head.name} is still in use after the stop"
                )
            await asyncio.sleep(POLL_S / 5)

    async def _memory_back(self, entry: CatalogEntry, give_up: float) -> None:
        needed = entry.memory_gb * 2**30
        while (available := await self.head.meminfo("MemAvailable")) is not None:
            if needed <= available:
                return
            if time.monotonic() >= give_up:
                short = entry.memory_gb - available / 2**30
                raise SwapFailure(
                    f"{self.head.name} has {available / 2**30:.1f} GiB of memory available, "
                    f"{short:.1f} GiB short of the {entry.memory_gb:g} GiB {entry.id} needs"
                )
            await asyncio.sleep(POLL_S)

    async def _check_disk(self, entry: CatalogEntry) -> None:
        """A model not yet in the head node's Hugging Face cache needs its download size
        free on that disk."""
        if entry.hf_repo is None or not entry.disk_gb:
            return
        folder = f"{HF_HUB_DIR}/{disk.cache_folder(entry.hf_repo)}"
        cached = await self.head.run(
            RemoteCommand("test", "-d", arg.relative_path(folder, "hf_repo"))
        )
        if cached.exit_status == 0:
            return
        result = await self.head.run(RemoteCommand("df", "-P", "-k", "."))
        space = parse_df(result.stdout, "~")
        if space is not None and space.free_bytes < entry.disk_gb * 2**30:
            short = entry.disk_gb - space.free_bytes / 2**30
            raise SwapFailure(
                f"{self.head.name} has {space.free_bytes / 2**30:.1f} GiB of disk free, "
                f"{short:.1f} GiB short of the {entry.disk_gb:g} GiB download of {entry.id}"
            )
