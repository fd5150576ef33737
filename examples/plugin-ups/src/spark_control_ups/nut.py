"""Reading a UPS with NUT's ``upsc <ups>`` (one ``name: value`` line per variable)."""

from __future__ import annotations

from dataclasses import dataclass

from spark_control.api import HealthState


@dataclass(frozen=True)
class Reading:
    """What the route, the probe and the chart need of one ``upsc`` answer."""

    status: str  # ups.status flags, e.g. "OL", "OB DISCHRG", "OB LB"
    charge: float | None  # battery.charge, percent
    runtime_s: float | None  # battery.runtime, seconds
    load: float | None  # ups.load, percent

    @property
    def flags(self) -> set[str]:
        return set(self.status.split())

    def state(self) -> tuple[HealthState, str]:
        """The probe's state: on line is ok, on battery degraded, low battery down."""
        charge = "?" if self.charge is None else f"{self.charge:g}%"
        if "LB" in self.flags:
            return HealthState.DOWN, f"low battery ({charge}): shut down soon"
        if "OB" in self.flags:
            return HealthState.DEGRADED, f"on battery, {charge} left"
        if "OL" in self.flags:
            return HealthState.OK, f"on line, battery {charge}"
        return HealthState.DEGRADED, f"status {self.status or 'unknown'}"


def parse_upsc(output: str) -> Reading:
    values = {}
    for line in output.splitlines():
        name, sep, value = line.partition(":")
        if sep:
            values[name.strip()] = value.strip()
    return Reading(
        status=values.get("ups.status", ""),
        charge=_number(values.get("battery.charge")),
        runtime_s=_number(values.get("battery.runtime")),
        load=_number(values.get("ups.load")),
    )


def _number(text: str | None) -> float | None:
    try:
        return None if text is None else float(text)
    except ValueError:
        return None
