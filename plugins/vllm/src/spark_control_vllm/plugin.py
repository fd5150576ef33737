"""The hooks of the vllm plugin (its entry point)."""

from __future__ import annotations

from spark_control import hookimpl
from spark_control_vllm.settings import VllmSettings


@hookimpl
def spark_settings_model() -> type[VllmSettings]:
    return VllmSettings
