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

if TYPE_CHECKING:
    from spark_control.app import Gateway

_STATES = ("ok", "degraded", "down", "disabled", "unknown")


class _CoreCollector(Collector):
    def __init__(self, gateway: Gateway) -> None:
        self._gateway = gateway

    def collect(self) -> Iterator[GaugeMetricFamily]:
        probes = GaugeMetricFamily(
            "spark_control_probe_state",
            "1 for the probe's current state, 0 for the others",
            labels=["probe", "state"],
        )
        for name, status in self._gateway.health.snapshot().items():
            for state in _STATES:
                probes.add_metric([name, state], 1.0 if status.state == state else 0.0)
        yield probes
        plugins = GaugeMetricFamily(
            "spark_control_plugin_up",
            "1 when the plugin is loaded and started, 0 otherwise",
            labels=["plugin", "status"],
        )
        for name, record in self._gateway.records.items():
            up = record.status == "loaded" and record.started is not False
            plugins.add_metric([name, record.status], 1.0 if up else 0.0)
        yield plugins


def metrics_router(gateway: Gateway) -> APIRouter:
    """Register the core collector on the app's registry and serve ``GET /metrics``."""
    registry = gateway.host.metrics
    registry.register(_CoreCollector(gateway))
    api = APIRouter()

    @api.get("/metrics", tags=["core"], include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return api
