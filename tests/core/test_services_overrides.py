"""services-overrides.yaml: extra or custom services merged over the config's services."""

from __future__ import annotations

from pathlib import Path

import pytest

from spark_control.errors import ConfigError
from spark_control.settings import load_config
from tests.core.helpers import core_config


def test_overrides_file_adds_and_replaces_services(tmp_path: Path) -> None:
    (tmp_path / "services-overrides.yaml").write_text(
        "services:\n"
        "  second-llm:\n    node: spark-2\n    port: 8888\n    kind: llm\n"
        "  asr:\n    node: spark-2\n    port: 9000\n    kind: asr\n"
    )
    config = core_config(
        tmp_path,
        {
            "gateway": {"services_overrides": "services-overrides.yaml"},
            "ssh": {"user": "alice"},
            "nodes": {"spark-1": {"address": "127.0.0.1"}, "spark-2": {"address": "127.0.0.2"}},
            "services": {"asr": {"node": "spark-1", "port": 8000, "kind": "asr"}},
        },
    )
    services = config.core.services
    assert services["second-llm"].node == "spark-2"
    assert (services["asr"].node, services["asr"].port) == ("spark-2", 9000)


def test_legacy_variable_names_the_file_and_errors_name_it(tmp_path: Path) -> None:
    bad = tmp_path / "services-overrides.yaml"
    bad.write_text("second-llm:\n  node: spark-9\n  port: 99999\n  kind: llm\n")
    with pytest.raises(ConfigError, match=r"services\.second-llm\.port"):
        load_config(None, {"SERVICES_OVERRIDES": str(bad)})
    bad.write_text("- not\n- a mapping\n")
    with pytest.raises(ConfigError, match="mapping"):
        load_config(None, {"SERVICES_OVERRIDES": str(bad)})
