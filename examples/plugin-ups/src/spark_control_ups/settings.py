"""The ``ups:`` config section (``SPARK_CONTROL__UPS__<KEY>``; ``NUT_UPS`` also names
the UPS, as older scripts around NUT call it)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

from spark_control.api import EnvAlias, InvalidValue, PluginSettings

# NUT's "<upsname>[@<hostname>[:<port>]]": nothing a shell would read specially.
_UPS_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}(@[A-Za-z0-9_.-]{1,253}(:[0-9]{1,5})?)?$")


def validate_ups_name(value: object, field: str = "ups") -> str:
    """The allow-list validator for a UPS name (it reaches a remote shell)."""
    if not isinstance(value, str) or _UPS_NAME.match(value) is None:
        raise InvalidValue(field, "a UPS name is <upsname>[@<host>[:<port>]], e.g. ups@localhost")
    return value


def _checked(value: str) -> str:
    try:
        return validate_ups_name(value)
    except InvalidValue as exc:
        raise ValueError(exc.reason) from None


class UpsSettings(PluginSettings):
    node: str = Field("spark-1", description="Node whose upsc reads the UPS.")
    ups: Annotated[str, EnvAlias("NUT_UPS"), AfterValidator(_checked)] = Field(
        "ups@localhost", description="The UPS as upsc names it."
    )
    poll_interval_s: float = Field(10.0, gt=0, description="How often the tile's chart samples.")
    history: int = Field(360, ge=2, le=10_000, description="Samples the chart keeps.")
