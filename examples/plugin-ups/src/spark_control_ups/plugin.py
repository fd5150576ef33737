"""The UPS plugin: ``GET /api/ups``, a health probe, and a tile charting the battery.

One :class:`UpsPlugin` per gateway (the host builds it with its host and settings); its
samples are its own attributes. It imports only ``spark_control.api``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import APIRouter

from spark_control.api import (
    Host,
    Plugin,
    Probe,
    ProbeRegistrar,
    ProbeResult,
    RemoteCommand,
    RouteRegistrar,
    SimRegistrar,
    SparkError,
    TileRegistrar,
    hookimpl,
    value,
)
from spark_control_ups.nut import Reading, parse_upsc
from spark_control_ups.settings import UpsSettings, validate_ups_name

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"


class UpsUnreadable(SparkError):
    def __init__(self, reason: str) -> None:
        super().__init__(f"cannot read the UPS: {reason}", status=503, type="ups_unreadable")


class UpsPlugin(Plugin[UpsSettings]):
    settings_model = UpsSettings

    def __init__(self, host: Host, settings: UpsSettings) -> None:
        super().__init__(host, settings)
        self.samples: deque[dict[str, float | None]] = deque(maxlen=settings.history)

    async def read(self) -> Reading:
        """Run ``upsc <ups>`` on the node (the name validated and quoted by the builder)."""
        try:
            node = self.host.topology.node(self.settings.node)
        except KeyError as exc:
            raise UpsUnreadable(str(exc)) from None
        command = RemoteCommand("upsc", value(self.settings.ups, validate_ups_name, "ups.ups"))
        result = await self.host.ssh.run(node, command)
        if result.exit_status != 0:
            raise UpsUnreadable(result.stderr.strip()[:200] or f"upsc exited {result.exit_status}")
        return parse_upsc(result.stdout)

    async def sample(self) -> Reading:
        reading = await self.read()
        self.samples.append({"time": time.time(), "charge": reading.charge, "load": reading.load})
        return reading

    # --- hooks -------------------------------------------------------------------------

    @hookimpl
    def spark_routes(self, register: RouteRegistrar) -> None:
        router = APIRouter(tags=["ups"])

        @router.get("/api/ups", summary="The UPS now, and the samples the tile charts")
        async def status() -> dict[str, Any]:
            reading = await self.sample()
            state, detail = reading.state()
            return {
                "ups": self.settings.ups,
                "node": self.settings.node,
                "status": reading.status,
                "state": state.value,
                "detail": detail,
                "charge": reading.charge,
                "runtime_s": reading.runtime_s,
                "load": reading.load,
                "history": list(self.samples),
            }

        register(router)

    @hookimpl
    def spark_probes(self, register: ProbeRegistrar) -> None:
        async def check() -> ProbeResult:
            state, detail = (await self.read()).state()  # raising means down
            return ProbeResult(state, detail)

        register(Probe(name="ups", check=check, node=self.settings.node))

    @hookimpl
    def spark_tiles(self, register: TileRegistrar) -> None:
        register.static(STATIC_DIR)
        register(
            {
                "id": "ups",
                "title": "UPS",
                "order": 80,
                "kind": "module",
                "module": "ups-tile.js",
                "status_probe": "ups",
                "description": "Battery charge and load over time.",
            }
        )

    @hookimpl
    def spark_lifespan(self) -> Any:
        @contextlib.asynccontextmanager
        async def run() -> AsyncIterator[None]:
            task = asyncio.create_task(self._poll(), name="ups-poll")
            try:
                yield
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

        return run()

    async def _poll(self) -> None:
        while True:
            try:
                await self.sample()
            except Exception as exc:  # the probe shows it; the chart just has a gap
                log.debug("UPS sample failed: %s", exc)
            await asyncio.sleep(self.settings.poll_interval_s)

    @staticmethod
    @hookimpl
    def spark_sim(sim: SimRegistrar) -> None:
        from spark_control_ups.sim import register

        register(sim)
