"""The hooks of the vllm plugin (its entry point)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spark_control import hookimpl
from spark_control_vllm.settings import VllmSettings

if TYPE_CHECKING:
    from spark_control.sim.registry import SimRegistrar


@hookimpl
def spark_settings_model() -> type[VllmSettings]:
    return VllmSettings


@hookimpl
def spark_sim(sim: SimRegistrar) -> None:
    # Imported here: only the demo and the tests build a simulated cluster.
    from spark_control_vllm.sim import register

    register(sim)
