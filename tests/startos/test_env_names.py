"""The StartOS package sets exactly names the Python settings read (SPEC §13 included),
and its version is the product's."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.startos.envcheck import (
    FULL_STORE,
    PACKAGE,
    ROOT,
    SPEC13_NAMES,
    build_env_tool,
    clean_environ,
    config_env_rows,
    copy_package,
    package_env,
    unknown_names,
)


@pytest.fixture(scope="module")
def full_env(env_tool: Path) -> dict[str, str]:
    return package_env(env_tool, FULL_STORE)


def test_every_name_the_package_sets_is_read_by_the_settings(
    full_env: dict[str, str], config_rows: list[dict[str, Any]]
) -> None:
    assert unknown_names(full_env, config_rows) == set()
    # The plugins' own names are among them (not only the core's).
    assert {"WEBHOOK_URL", "MATRIX_BRIDGE_USER", "SPARK_CONTROL__ACCESS__REQUIRE_KEYS"} <= set(
        full_env
    )


def test_every_spec13_name_is_set(full_env: dict[str, str]) -> None:
    assert [n for n in SPEC13_NAMES if n not in full_env] == []


def test_values_reach_the_names_they_belong_to(full_env: dict[str, str]) -> None:
    assert full_env["SPARK1_HOST"] == "192.0.2.11"
    assert full_env["SPARK2_HOST"] == "192.0.2.12"
    assert full_env["SPARK_CONTROL__NODES__SPARK_2__USER"] == "bob"
    assert full_env["SPARK_CONTROL__NODES__SPARK_2__PORT"] == "2222"
    assert full_env["VLLM_PORT"] == "8000"
    assert full_env["DISABLED_SERVICES"] == "tts,diarizer"
    assert full_env["SPARK_CONTROL__GATEWAY__PORT"] == "9999"
    assert full_env["SPARK_CONTROL__GATEWAY__DATA_DIR"] == "/data"
    assert full_env["SPARK_CONTROL__GATEWAY__ALLOWED_HOSTS"] == "spark.local,192.0.2.5"


def test_an_empty_store_leaves_optional_settings_blank(env_tool: Path) -> None:
    # Blank means "use the default" on the Python side: a fresh install must not crash.
    env = package_env(env_tool, {})
    assert env["VLLM_PORT"] == env["VLLM_CONTAINER"] == env["SSH_KEY_PATH"] == ""
    assert not [n for n in env if re.fullmatch(r"SPARK\d+_HOST", n)]


def test_package_version_is_the_product_version() -> None:
    product = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    current = (PACKAGE / "startos" / "versions" / "current.ts").read_text()
    versions = re.findall(r"version:\s*'([^':]+):(\d+)'", current)
    assert len(versions) == 1, "versions/current.ts should declare one version"
    assert versions[0][0] == product


# --- the check fails when a name is renamed on one side only ----------------------------


@pytest.mark.slow
def test_a_name_renamed_in_the_package_only_fails_the_check(
    tmp_path: Path, config_rows: list[dict[str, Any]], node_modules: Path
) -> None:
    copy = copy_package(tmp_path / "startos")
    env_ts = copy / "startos" / "env.ts"
    source = env_ts.read_text()
    assert "    VLLM_PORT:" in source
    env_ts.write_text(source.replace("    VLLM_PORT:", "    VLLM_HTTP_PORT:"))

    env = package_env(build_env_tool(copy, tmp_path / "out"), FULL_STORE)

    assert unknown_names(env, config_rows) == {"VLLM_HTTP_PORT"}
    assert [n for n in SPEC13_NAMES if n not in env] == ["VLLM_PORT"]


def test_a_name_renamed_in_the_settings_only_fails_the_check(
    tmp_path: Path, full_env: dict[str, str]
) -> None:
    # A copy of the vllm plugin whose alias is renamed, imported ahead of the installed one.
    import spark_control_vllm

    original = Path(spark_control_vllm.__file__).parent
    copy = tmp_path / "site" / "spark_control_vllm"
    shutil.copytree(original, copy)
    settings = copy / "settings.py"
    source = settings.read_text()
    assert 'EnvAlias("VLLM_PORT")' in source
    settings.write_text(source.replace('EnvAlias("VLLM_PORT")', 'EnvAlias("VLLM_HTTP_PORT")'))

    rows = config_env_rows(python_path_first=tmp_path / "site")

    assert any("VLLM_HTTP_PORT" in row["aliases"] for row in rows), "the copy was not loaded"
    assert "VLLM_PORT" in unknown_names(full_env, rows)


def test_the_full_store_env_is_a_valid_configuration(full_env: dict[str, str]) -> None:
    # Names alone are not enough: the values must parse into the settings meant.
    result = subprocess.run(
        [sys.executable, "-m", "spark_control.cli", "config", "check", "--json"],
        capture_output=True,
        text=True,
        env=clean_environ(full_env),
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    nodes = {
        name: (n["address"], n["user"], n["port"], n["key_path"])
        for name, n in report["nodes"].items()
    }
    assert nodes == {
        "spark-1": ("192.0.2.11", "alice", 22, "/data/ssh/id_ed25519"),
        "spark-2": ("192.0.2.12", "bob", 2222, "/data/ssh/id_ed25519"),
    }
    assert all(state == "loaded" for state in report["plugins"].values()), report["plugins"]
