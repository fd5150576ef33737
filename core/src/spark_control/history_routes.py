"""``/api/history``: the kept time series, for the dashboard's charts and sparklines."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from spark_control.deps import GatewayDep
from spark_control.errors import InvalidValue

_NAME = r"^[A-Za-z0-9_.:@/-]{1,200}$"
_METRIC = r"^[a-z0-9_]{1,64}$"


class Series(BaseModel):
    metric: str = Field(examples=["gpu_memory_used_bytes"])
    subject: str = Field(description="A node or a model.", examples=["spark-1"])
    owner: str = Field(description="`core` or the plugin that wrote it.", examples=["core"])
    unit: str = Field(examples=["bytes"])
    t: list[float] = Field(description="Unix times, ascending.", examples=[[1718000000.0]])
    v: list[float] = Field(description="The values at those times.", examples=[[5.1e10]])


class HistoryAnswer(BaseModel):
    since: float = Field(examples=[1717996400.0])
    until: float = Field(examples=[1718000000.0])
    step_s: float = Field(description="Points are averages over steps this long.", examples=[12.0])
    series: list[Series]


class SeriesInfo(BaseModel):
    metric: str = Field(examples=["proxy_requests_per_s"])
    subject: str = Field(examples=["example/model-a"])
    owner: str = Field(examples=["hello"])
    unit: str = Field(examples=["1/s"])
    first: float = Field(examples=[1717400000.0])
    last: float = Field(examples=[1718000000.0])
    points: int = Field(examples=[20160])


class SeriesList(BaseModel):
    series: list[SeriesInfo]


router = APIRouter(tags=["history"])


@router.get("/api/history/series", response_model=SeriesList)
async def list_series(gateway: GatewayDep) -> dict[str, Any]:
    """Every series kept, with its time span and number of points."""
    return {"series": await gateway.history.series()}


@router.get(
    "/api/history",
    response_model=HistoryAnswer,
    responses={
        200: {
            "content": {
                "application/json": {
                    "example": {
                        "since": 1717996400.0,
                        "until": 1718000000.0,
                        "step_s": 12.0,
                        "series": [
                            {
                                "metric": "gpu_memory_used_bytes",
                                "subject": "spark-1",
                                "owner": "core",
                                "unit": "bytes",
                                "t": [1717996406.0, 1717996418.0],
                                "v": [51200000000.0, 51300000000.0],
                            }
                        ],
                    }
                }
            }
        }
    },
)
async def get_history(
    gateway: GatewayDep,
    metric: Annotated[
        list[str],
        Query(
            description="Metric names (repeat for several), e.g. gpu_memory_used_bytes, "
            "gpu_utilization_pct, memory_used_bytes, gpu_temperature_c, "
            "proxy_requests_per_s, proxy_errors_per_s, proxy_latency_p50_ms, "
            "proxy_latency_p95_ms, swap_duration_s.",
            examples=["gpu_memory_used_bytes"],
        ),
    ],
    subject: Annotated[
        list[str] | None,
        Query(description="Only these nodes or models (repeat for several)."),
    ] = None,
    window_s: Annotated[
        float, Query(gt=0, le=90 * 86_400, description="How far back from `until`.")
    ] = 3600.0,
    until: Annotated[
        float | None, Query(ge=0, description="End of the range (unix time); default now.")
    ] = None,
    points: Annotated[
        int, Query(ge=2, le=2000, description="At most this many points per series.")
    ] = 300,
) -> dict[str, Any]:
    """Series between ``until - window_s`` and ``until``, averaged into at most
    ``points`` steps. An unknown metric or subject gives no series, not an error."""
    if len(metric) > 20 or not all(re.match(_METRIC, m) for m in metric):
        raise InvalidValue("metric", "1 to 20 names of lower-case letters, digits and _")
    if subject and (len(subject) > 50 or not all(re.match(_NAME, s) for s in subject)):
        raise InvalidValue("subject", "1 to 50 node or model names")
    history = gateway.history
    end = history.clock() if until is None else until
    return await history.query(metric, subject, end - window_s, end, points)
