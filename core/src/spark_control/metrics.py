"""Prometheus metrics: a registry per app (never the process-global default).

The core exports probe states and plugin status, read at scrape time; plugins add
their own collectors to ``host.metrics``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from fastapi import APIRouter
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from spark_control.deps import HostDep

if TYPE_CHECKING:
    from spark_control.host import Host

_STATES = ("ok", "degraded", "down", "disabled", "unknown")


class CoreCollector(Collector):
    """Probe states and plugin status, read from ``host`` at scrape time."""

    def __init__(self, host: Host) -> None:
        self._host = host

    def collect(self) -> Iterator[GaugeMetricFamily]:
        probes = GaugeMetricFamily(
            "spark_control_probe_state",
            "1 for the probe's current state, 0 for the others",
            labels=["probe", "state"],
        )
        health = self._host.health
        for name, status in (health.snapshot() if health else {}).items():
            for state in _STATES:
                probes.add_metric([name, state], 1.0 if status.state == state else 0.0)
        yield probes
        plugins = GaugeMetricFamily(
            "spark_control_plugin_up",
            "1 when the plugin is loaded and started, 0 otherwise",
            labels=["plugin", "status"],
        )
        for name, record in self._host.plugins.items():
            up = record.status == "loaded" and record.started is not False
            plugins.add_metric([name, record.status], 1.0 if up else 0.0)
        yield plugins


router = APIRouter()


@router.get("/metrics", tags=["core"], include_in_schema=False)
async def metrics(host: HostDep) -> Response:
    """The app's registry in the Prometheus text format."""
    return Response(generate_latest(host.metrics), media_type=CONTENT_TYPE_LATEST)
