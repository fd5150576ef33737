"""Configuration and the CLI: sources and precedence, exit 78 on bad config, listings."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel, SecretStr

from spark_control.errors import ConfigError
from spark_control.settings import load_config, validate_section
from spark_control.testing import running_gateway
from tests.core.distributions import install_plugin_distribution
from tests.core.helpers import core_config


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SPARK")}
    return subprocess.run(
        [sys.executable, "-m", "spark_control.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean, **(env or {})},
        check=False,
    )


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_malformed_yaml_exits_78_naming_the_line(tmp_path: Path) -> None:
    config = write(tmp_path / "c.yaml", "gateway:\n  port: 9999\n  host: [unclosed\n")
    result = run_cli("config", "check", "--config", str(config))
    assert result.returncode == 78
    assert "malformed YAML at line" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_key_exits_78_naming_the_key(tmp_path: Path) -> None:
    config = write(tmp_path / "c.yaml", "gateway:\n  prot: 9999\n")
    result = run_cli("config", "check", "--config", str(config))
    assert result.returncode == 78
    assert "gateway.prot: unknown setting (did you mean 'port'?)" in result.stderr


def test_a_typo_inside_a_section_or_a_node_gets_a_suggestion(tmp_path: Path) -> None:
    config = write(
        tmp_path / "c.yaml",
        "health:\n  intervall_s: 5\nnodes:\n  spark-1:\n    address: 192.0.2.1\n"
        "    usr: alice\nssh:\n  connect_timeout_s: [5]\n",
    )
    result = run_cli("config", "check", "--config", str(config))
    assert result.returncode == 78
    assert "health.intervall_s: unknown setting (did you mean 'interval_s'?)" in result.stderr
    assert "nodes.spark-1.usr: unknown setting (did you mean 'user'?)" in result.stderr
    assert "ssh.connect_timeout_s: Input should be a valid number (got a list)" in result.stderr


def test_bad_port_exits_78_naming_key_and_value(tmp_path: Path) -> None:
    config = write(tmp_path / "c.yaml", "gateway:\n  port: 70000\n")
    result = run_cli("serve", "--config", str(config))
    assert result.returncode == 78
    assert "gateway.port" in result.stderr and "70000" in result.stderr
    assert "Traceback" not in result.stderr

    env_port = run_cli("config", "check", env={"SPARK_CONTROL__GATEWAY__PORT": "nine"})
    assert env_port.returncode == 78
    assert "gateway.port" in env_port.stderr and "'nine'" in env_port.stderr


def test_a_data_dir_under_a_file_is_one_line_and_78_for_serve_check_and_demo(
    tmp_path: Path,
) -> None:
    """Not a traceback half-way through start-up: the setting and the OS's reason."""
    somefile = write(tmp_path / "somefile", "not a folder\n")
    config = write(tmp_path / "c.yaml", f"gateway:\n  data_dir: {somefile / 'data'}\n")
    for argv in (("serve", "--port", "1"), ("config", "check")):
        result = run_cli(*argv, "--config", str(config))
        assert result.returncode == 78, result.stderr
        assert "Traceback" not in result.stderr
        assert f"gateway.data_dir {somefile / 'data'}: Not a directory" in result.stderr
    demo = run_cli("demo", "--port", "0", "--data-dir", str(somefile / "x"))
    assert demo.returncode == 78, demo.stderr
    assert demo.stderr.strip().splitlines() == [
        f"spark-control: configuration error: --data-dir {somefile / 'x'}: "
        f"Not a directory ({somefile} is a file)"
    ]
    assert somefile.read_text() == "not a folder\n"


def test_a_demo_folder_the_os_refuses_is_one_line_and_78(tmp_path: Path) -> None:
    # /proc takes no new folders, whoever asks: root hears "No such file or directory"
    # from mkdir, anyone else "Permission denied" before it.
    demo = run_cli("demo", "--port", "0", "--data-dir", "/proc/spark-control-demo")
    assert demo.returncode == 78, demo.stderr
    [line] = demo.stderr.strip().splitlines()
    prefix = "spark-control: configuration error: --data-dir /proc/spark-control-demo: "
    assert line.startswith(prefix), line
    assert line.removeprefix(prefix).split(" (")[0] in (
        "No such file or directory",
        "Permission denied",
    )


def test_bad_node_address_and_dangling_service_exit_78(tmp_path: Path) -> None:
    config = write(
        tmp_path / "c.yaml",
        "nodes:\n  spark-1:\n    address: '10.0.0.1; reboot'\n    user: alice\n",
    )
    result = run_cli("config", "check", "--config", str(config))
    assert result.returncode == 78
    assert "nodes.spark-1.address" in result.stderr

    config = write(
        tmp_path / "d.yaml",
        "services:\n  asr:\n    node: spark-9\n    port: 8000\n    kind: asr\n",
    )
    result = run_cli("config", "check", "--config", str(config))
    assert result.returncode == 78
    assert "services.asr.node: unknown node 'spark-9'" in result.stderr


def test_secret_values_never_appear_in_config_errors() -> None:
    class Section(BaseModel):
        api_token: SecretStr
        webhook_secret: int

    with pytest.raises(ConfigError) as raised:
        validate_section(
            Section, {"api_token": ["s3cr3t-value"], "webhook_secret": "hunter2"}, prefix="demo"
        )
    assert "demo.api_token" in raised.value.message
    assert "demo.webhook_secret" in raised.value.message
    assert "s3cr3t" not in raised.value.message and "hunter2" not in raised.value.message


def test_a_password_in_a_url_is_not_echoed_by_a_config_error() -> None:
    class Section(BaseModel):
        public_url: int  # any setting: the value is a URL with a password in it

    with pytest.raises(ConfigError) as raised:
        validate_section(
            Section, {"public_url": "https://alice:hunter2@gw.example.org/x"}, prefix="demo"
        )
    assert "https://***@gw.example.org/x" in raised.value.message
    assert "hunter2" not in raised.value.message and "alice" not in raised.value.message


def test_advertise_url_takes_a_gateways_http_url_only() -> None:
    from spark_control.settings import GatewaySettings

    ok = validate_section(
        GatewaySettings, {"advertise_url": "HTTP://Gateway-A.internal:9999/"}, prefix="gateway"
    )
    assert ok.advertise_url == "http://gateway-a.internal:9999"
    for bad in ("ftp://a", "http://bob:pw@a:1", "http://a:1/path", "gateway-a:9999"):
        with pytest.raises(ConfigError) as raised:
            validate_section(GatewaySettings, {"advertise_url": bad}, prefix="gateway")
        assert "gateway.advertise_url" in raised.value.message, bad


def test_precedence_defaults_then_yaml_then_env_and_blank_env_means_default(
    tmp_path: Path,
) -> None:
    config = write(tmp_path / "c.yaml", "gateway:\n  port: 8100\nhealth:\n  damping: 3\n")
    assert load_config(config, environ={}).core.gateway.port == 8100
    assert load_config(config, environ={}).core.health.interval_s == 5.0
    env = {"SPARK_CONTROL__GATEWAY__PORT": "8200", "SPARK_CONTROL__HEALTH__DAMPING": " "}
    loaded = load_config(config, environ=env)
    assert loaded.core.gateway.port == 8200
    assert loaded.core.health.damping == 3
    blank = load_config(None, environ={"SPARK_CONTROL__GATEWAY__PORT": ""})
    assert blank.core.gateway.port == 9999


def test_nodes_services_and_legacy_names_from_env() -> None:
    env = {
        "SPARK1_HOST": "192.0.2.11",
        "SPARK2_HOST": "192.0.2.12",
        "SPARK_CONTROL__SSH__USER": "alice",
        "SSH_KEY_PATH": "/keys/id_ed25519",
        "DISABLED_SERVICES": "asr, tts",
        "SPARK_CONTROL__NODES__SPARK_2__PORT": "2222",
        "SPARK_CONTROL__SERVICES": json.dumps(
            {"asr": {"node": "spark-1", "port": 8000, "kind": "asr"}}
        ),
    }
    core = load_config(None, environ=env).core
    assert core.nodes["spark-1"].address == "192.0.2.11"
    assert core.nodes["spark-2"].port == 2222
    assert str(core.ssh.key_path) == "/keys/id_ed25519"
    assert core.disabled_services == ["asr", "tts"]
    assert core.services["asr"].port == 8000


def test_config_env_lists_every_generated_name_and_alias() -> None:
    result = run_cli("config", "env", "--json")
    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert rows["SPARK_CONTROL__GATEWAY__PORT"]["default"] == 9999
    assert rows["SPARK_CONTROL__SSH__KEY_PATH"]["aliases"] == ["SSH_KEY_PATH"]
    assert rows["SPARK_CONTROL__DISABLED_SERVICES"]["aliases"] == ["DISABLED_SERVICES"]
    assert "SPARK_CONTROL__NODES__<NAME>__ADDRESS" in rows


def test_config_check_prints_topology_and_warns_on_mdns_names(tmp_path: Path) -> None:
    config = write(
        tmp_path / "c.yaml",
        "ssh:\n  user: alice\n"
        "nodes:\n  spark-1:\n    address: 192.0.2.11\n  spark-2:\n    address: spark-2.local\n"
        "services:\n  asr:\n    node: spark-2\n    port: 8000\n    kind: asr\n"
        "disabled_services: [asr]\n",
    )
    result = run_cli("config", "check", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert "alice@192.0.2.11:22" in result.stdout
    assert "http://spark-2.local:8000 on spark-2 (disabled)" in result.stdout
    assert "warning: nodes.spark-2.address is the mDNS name" in result.stdout


def test_config_check_warns_on_a_key_or_known_hosts_file_that_is_not_there(
    tmp_path: Path,
) -> None:
    key = tmp_path / "keys" / "id_missing"
    config = write(
        tmp_path / "c.yaml",
        f"ssh:\n  user: alice\n  known_hosts: {tmp_path / 'kh'}\n"
        f"nodes:\n  spark-1:\n    address: 192.0.2.11\n    key_path: {key}\n",
    )
    result = run_cli("config", "check", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert f"warning: nodes.spark-1.key_path: {key} does not exist" in result.stdout
    assert f"warning: ssh.known_hosts: {tmp_path / 'kh'} does not exist" in result.stdout


def test_config_check_warns_on_a_section_nothing_claims(tmp_path: Path) -> None:
    config = write(
        tmp_path / "c.yaml",
        "nodes:\n  spark-1:\n    address: 192.0.2.11\n    user: alice\n"
        "helth:\n  interval_s: 1\n"
        "coordination:\n  lock_default_ttl_s: 60\n",
    )
    result = run_cli("config", "check", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert (
        "warning: config section 'helth' is not a core section nor an installed plugin's; "
        "its settings are not used (did you mean 'health'?)"
    ) in result.stdout
    # A section an installed plugin claims is not warned about.
    assert "'coordination'" not in result.stdout
    as_json = json.loads(run_cli("config", "check", "--json", "--config", str(config)).stdout)
    assert any("'helth'" in w for w in as_json["warnings"])


def test_config_check_exits_78_when_a_plugin_section_is_invalid(tmp_path: Path) -> None:
    config = write(
        tmp_path / "c.yaml",
        "nodes:\n  spark-1:\n    address: 192.0.2.11\n    user: alice\n"
        "vllm:\n  local_model_roots: ['~/models; touch pwned']\n",
    )
    result = run_cli("config", "check", "--config", str(config))
    assert result.returncode == 78, result.stdout + result.stderr
    assert "config error: vllm: invalid configuration: vllm.local_model_roots.0" in result.stderr
    assert "~/models; touch pwned" in result.stderr
    as_json = run_cli("config", "check", "--json", "--config", str(config))
    assert as_json.returncode == 78
    assert json.loads(as_json.stdout)["plugins"]["vllm"].startswith("failed: invalid")


def test_plugins_command_lists_installed_plugin_with_hooks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    install_plugin_distribution(
        site,
        monkeypatch,
        dist="spark-control-hello",
        module="spark_control_hello",
        source="from spark_control.api import Plugin, hookimpl\n\n"
        "class Hello(Plugin[None]):\n"
        "    @hookimpl\n"
        "    def spark_models(self):\n"
        "        return [{'id': 'hello', 'served_name': 'hello'}]\n",
        entry_points={"hello": "spark_control_hello:Hello"},
    )
    result = run_cli("plugins", "--json", env={"PYTHONPATH": str(site)})
    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert rows["hello"]["enabled"] is True
    assert rows["hello"]["version"] == "1.2.3"
    assert rows["hello"]["hooks"] == ["spark_models"]


def test_serve_strict_fails_when_a_plugin_fails_to_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    install_plugin_distribution(
        site,
        monkeypatch,
        dist="spark-control-bad",
        module="spark_control_bad",
        source="raise ImportError('missing libbad')\n",
        entry_points={"bad": "spark_control_bad"},
    )
    result = run_cli(
        "serve",
        "--strict",
        env={"PYTHONPATH": str(site), "SPARK_CONTROL__GATEWAY__DATA_DIR": str(tmp_path / "d")},
    )
    assert result.returncode == 78
    assert "bad: failed to import" in result.stderr and "missing libbad" in result.stderr


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_unreachable_node_leaves_gateway_serving_with_the_node_down_and_why(
    tmp_path: Path,
) -> None:
    port = _closed_port()
    config = core_config(
        tmp_path,
        {"ssh": {"user": "alice"}, "nodes": {"spark-1": {"address": "127.0.0.1", "port": port}}},
    )
    async with running_gateway(config) as gw:
        deep = (await gw.client.get("/api/health/deep")).json()
        node = deep["probes"]["node:spark-1"]
        assert node["state"] == "down"
        assert "unreachable" in node["detail"]
        assert (await gw.client.get("/health")).status_code == 200
        nodes = (await gw.client.get("/api/nodes")).json()
        assert nodes[0]["name"] == "spark-1"


async def test_health_command_reads_a_running_gateway(tmp_path: Path) -> None:
    async with running_gateway(core_config(tmp_path)) as gw:
        env = {"SPARK_CONTROL_URL": gw.url}
        process = await _run_async(["health", "--json"], env)
        assert process["code"] == 0, process
        assert json.loads(process["out"])["status"] in ("ok", "unknown")


async def _run_async(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    import asyncio

    clean = {k: v for k, v in os.environ.items() if not k.startswith("SPARK")}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "spark_control.cli",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**clean, **env},
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    return {"code": proc.returncode, "out": out.decode(), "err": err.decode()}


def test_serve_stops_cleanly_on_sigterm_as_on_ctrl_c(tmp_path: Path) -> None:
    """SIGTERM goes through the same stop as Ctrl-C (the demo's tests cover SIGINT)."""
    signum = signal.SIGTERM
    port = _closed_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SPARK")}
    env = {**clean, "SPARK_CONTROL__GATEWAY__DATA_DIR": str(tmp_path / "d")}
    argv = ["serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        [sys.executable, "-m", "spark_control.cli", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        with httpx.Client(trust_env=False, timeout=5) as client:
            while time.monotonic() < deadline:
                assert process.poll() is None, "serve exited before answering"
                with contextlib.suppress(httpx.TransportError):
                    if client.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                        break
                time.sleep(0.1)
        process.send_signal(signum)
        # 128 + the signal after the clean shutdown, not killed by a re-raised SIGTERM.
        assert process.wait(timeout=30) == 128 + signum
        assert process.stdout is not None
        output = process.stdout.read()
        assert "Application shutdown complete" in output, output
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
