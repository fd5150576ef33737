"""The simulated UPS: an ``upsc`` stand-in on every simulated node.

It prints ``<sandbox>/ups/<upsname>`` if that file exists, else a healthy UPS on line;
``set_ups`` writes that file, ``unplug_ups`` makes upsc fail as NUT does when its driver
is gone.
"""

from __future__ import annotations

from pathlib import Path

from spark_control.api import SimCluster, SimRegistrar

UPSC = """#!/bin/sh
# upsc <ups>: the simulated UPS (see spark_control_ups.sim).
name="${1%%@*}"
dir="$(dirname "$0")/../ups"
if [ -f "$dir/unplugged" ]; then
  echo "Error: Driver not connected" >&2
  exit 1
fi
if [ -f "$dir/$name" ]; then
  cat "$dir/$name"
else
  printf 'battery.charge: 100\\nbattery.runtime: 2400\\nups.load: 18\\nups.status: OL\\n'
fi
"""


def register(sim: SimRegistrar) -> None:
    sim.command("upsc", UPSC)


def _dir(cluster: SimCluster, node: str) -> Path:
    path: Path = cluster.nodes[node].sandbox / "ups"
    path.mkdir(exist_ok=True)
    return path


def set_ups(
    cluster: SimCluster,
    node: str,
    *,
    name: str = "ups",
    status: str = "OL",
    charge: float = 100,
    runtime_s: float = 2400,
    load: float = 18,
) -> None:
    """What upsc on ``node`` answers for UPS ``name`` from now on."""
    lines = [
        f"battery.charge: {charge:g}",
        f"battery.runtime: {runtime_s:g}",
        f"ups.load: {load:g}",
        f"ups.status: {status}",
    ]
    target = _dir(cluster, node) / name
    tmp = target.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n")
    tmp.replace(target)


def unplug_ups(cluster: SimCluster, node: str, unplugged: bool = True) -> None:
    marker = _dir(cluster, node) / "unplugged"
    if unplugged:
        marker.write_text("1\n")
    else:
        marker.unlink(missing_ok=True)


def reset_ups(cluster: SimCluster, node: str) -> None:
    for path in _dir(cluster, node).iterdir():
        path.unlink()
