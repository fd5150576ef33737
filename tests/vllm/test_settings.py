"""The vllm plugin's settings: the original names, blanks, and launch-checked values."""

from __future__ import annotations

from pathlib import Path

import pytest

from spark_control.cli import main
from spark_control.gateway import Gateway
from spark_control.testing import make_config
from spark_control_vllm.settings import VllmSettings


def _settings(tmp_path: Path, environ: dict[str, str], section: dict | None = None) -> VllmSettings:
    config = make_config(tmp_path, {"vllm": section or {}}, environ=environ)
    settings = Gateway(config).host.plugin_settings("vllm")
    assert isinstance(settings, VllmSettings)
    return settings


def test_original_environment_names_and_blanks(tmp_path: Path) -> None:
    assert _settings(tmp_path, {"VLLM_PORT": "", "VLLM_CONTAINER": " "}).port == 8888
    assert _settings(tmp_path, {"VLLM_PORT": "", "VLLM_CONTAINER": " "}).container == "vllm_node"
    chosen = _settings(tmp_path, {"VLLM_PORT": "8000", "VLLM_CONTAINER": "vllm_alt"})
    assert (chosen.port, chosen.container) == (8000, "vllm_alt")


def test_a_value_the_launch_cannot_use_leaves_the_plugin_out_with_the_key(
    tmp_path: Path,
) -> None:
    config = make_config(tmp_path, {"vllm": {"container": "vllm node; rm -rf /"}})
    record = Gateway(config).records["vllm"]
    assert record.status == "failed"
    assert record.reason is not None and "vllm.container" in record.reason


def test_a_model_root_with_shell_characters_is_a_config_error_naming_key_and_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = "~/models; touch pwned"
    config = make_config(tmp_path, {"vllm": {"local_model_roots": ["~/models", bad]}})
    record = Gateway(config).records["vllm"]
    assert record.status == "failed"
    assert record.reason is not None
    assert "vllm.local_model_roots.1" in record.reason and repr(bad) in record.reason

    assert config.source_path is not None
    assert main(["serve", "--strict", "--config", str(config.source_path)]) == 78
    error = capsys.readouterr().err
    assert "vllm.local_model_roots.1" in error and repr(bad) in error


def test_model_roots_the_node_command_can_name_load(tmp_path: Path) -> None:
    roots = ["~", "~/models/", "/srv/models", "/data/hf+cache@2"]
    assert _settings(tmp_path, {}, {"local_model_roots": roots}).local_model_roots == roots
