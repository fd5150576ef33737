"""``spark-control demo`` as a user runs it: start, serve, Ctrl-C, and again."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from spark_control.demo import DemoOptions, demo_cluster
from spark_control.errors import ConfigError
from spark_control.gateway import Gateway
from spark_control.sim.addresses import listening_addresses, pick_base_address
from spark_control_speech.sim import tones
from tests.core.distributions import install_plugin_distribution


@contextlib.contextmanager
def _demo(
    data_dir: Path,
    *,
    sigint_ignored: bool = False,
    nodes_out: list[tuple[str, int]] | None = None,
    env_extra: dict[str, str] | None = None,
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``spark-control demo`` in a child process, once both nodes are up: (process, URL).

    ``sigint_ignored`` starts it as a shell starts a background job: SIGINT ignored.
    ``nodes_out`` receives the simulated nodes' (address, SSH port)."""

    def ignore_sigint() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    env = {k: v for k, v in os.environ.items() if not k.startswith("SPARK")}
    env.update(env_extra or {})
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "spark_control.cli",
            "demo",
            "--port",
            "0",
            "--data-dir",
            str(data_dir),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        preexec_fn=ignore_sigint if sigint_ignored else None,
    )
    try:
        assert process.stdout is not None
        url = None
        ports: list[tuple[str, int]] = []
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            assert line, "the demo exited before printing its URL"
            ports += [(a, int(p)) for a, p in re.findall(r"at ([\d.]+):(\d+)", line)]
            match = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
            url = match.group(1) if match else None
        assert url is not None and len(ports) == 2
        if nodes_out is not None:
            nodes_out.extend(ports)
        with httpx.Client(base_url=url, trust_env=False, timeout=10) as client:
            while time.monotonic() < deadline:
                nodes = client.get("/api/nodes").json()
                if all(n["state"] == "ok" for n in nodes):
                    break
                time.sleep(0.2)
            assert [n["state"] for n in nodes] == ["ok", "ok"]
        yield process, url
        for address, port in ports:
            with socket.socket() as sock:
                assert sock.connect_ex((address, port)) != 0, "a simulated node outlived the demo"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _wait_for_service(client: httpx.Client, service: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    states: list[str] = []
    while time.monotonic() < deadline:
        probes = client.get("/api/health").json()["probes"].values()
        states = [p["state"] for p in probes if p["service"] == service]
        if states and all(state == "ok" for state in states):
            return
        time.sleep(0.2)
    raise AssertionError(f"the {service} service's probes never said ok: {states}")


def _stop(process: subprocess.Popen[str], signum: int) -> None:
    """Send ``signum`` and expect the exit status of a clean stop by that signal."""
    process.send_signal(signum)
    assert process.wait(timeout=30) == 128 + signum  # the shell's convention, after clean-up
    assert process.stdout is not None
    output = process.stdout.read()
    assert "Traceback" not in output, output


def _left_running(data_dir: Path) -> list[int]:
    """Live processes (zombies excepted) whose environment names the demo's folder: the
    simulated services run in sessions of their own, so a process group says nothing."""
    marker = str(data_dir.resolve()).encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError):
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            if marker in environ and state != "Z":
                found.append(int(entry.name))
    return found


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    """The demo's folder; whatever still runs from it after the test (the test has
    already failed then) is killed, so a failing run leaves nothing behind."""
    yield tmp_path / "demo"
    for pid in _left_running(tmp_path / "demo"):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
def test_demo_command_runs_twice_in_a_row(data_dir: Path) -> None:
    """Start, serve, Ctrl-C (130), and again. The second run starts as a shell starts a
    background job, with SIGINT ignored: uvicorn catches it anyway, and the demo must
    still clean up and report the interruption, not a normal exit (it exited 0)."""
    for ignored in (False, True):
        with _demo(data_dir, sigint_ignored=ignored) as (process, url):
            with httpx.Client(base_url=url, trust_env=False, timeout=10) as client:
                assert "<html" in client.get("/").text.lower()
                refused = client.get("/api/nodes", headers={"Host": "spark.example"})
                assert refused.status_code == 400
                assert "--allow-host" in refused.json()["error"]["message"]
            _stop(process, signal.SIGINT)
        assert _left_running(data_dir) == []


@pytest.mark.slow
def test_sigterm_stops_the_demo_and_every_simulated_service_then_it_starts_again(
    data_dir: Path,
) -> None:
    with _demo(data_dir) as (process, url):
        assert _left_running(data_dir), "the count cannot see the simulated services"
        _stop(process, signal.SIGTERM)  # as docker stop, systemd and supervisors do: 143
    assert _left_running(data_dir) == []

    spoken, duration = tones.script([(0, ["alpha", "bravo"])])
    audio = tones.encode(tones.render(spoken, duration))
    with _demo(data_dir) as (process, url):
        with httpx.Client(base_url=url, trust_env=False, timeout=30) as client:
            # The simulated ASR server starts beside the nodes and may be up a few
            # seconds after them on a busy machine: ask once its probe says so.
            _wait_for_service(client, "asr")
            answer = client.post(
                "/v1/audio/transcriptions",
                data={"model": "whisper-1"},
                files={"file": ("hello.wav", audio, "audio/wav")},
            )
        assert answer.status_code == 200, answer.text
        assert answer.json()["text"] == "alpha bravo"
        _stop(process, signal.SIGTERM)
    assert _left_running(data_dir) == []


SAMPLER = """
from spark_control.api import Plugin, PluginSettings, hookimpl

class Settings(PluginSettings):
    sample_text: str = ""

class Sampler(Plugin[Settings]):
    settings_model = Settings

    @staticmethod
    @hookimpl
    def spark_sim(sim):
        sim.settings({"sample_text": "Alice emailed bob@example.com"})
"""


def test_demo_config_carries_the_settings_plugins_give_their_simulated_world(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_plugin_distribution(
        tmp_path / "site",
        monkeypatch,
        dist="spark-control-sampler",
        module="spark_control_sampler",
        source=SAMPLER,
        entry_points={"sampler": "spark_control_sampler:Sampler"},
    )
    with demo_cluster(DemoOptions(port=0, data_dir=tmp_path / "demo")) as (cluster, config):
        assert set(cluster.nodes) == {"spark-1", "spark-2"}
        gateway = Gateway(config)
        settings = gateway.host.plugin_settings("sampler")
        assert settings is not None
        assert settings.sample_text == "Alice emailed bob@example.com"


def _second_demo(*args: str) -> tuple[int, str]:
    """Another ``spark-control demo``, expected to refuse at once: (exit status, stderr).
    One that runs instead is stopped (SIGTERM) after a minute and fails the test."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPARK")}
    process = subprocess.Popen(
        [sys.executable, "-m", "spark_control.cli", "demo", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.terminate()
            process.communicate(timeout=30)
    return process.returncode, err


@pytest.mark.slow
def test_a_second_demo_on_a_running_demos_folder_refuses_and_empties_nothing(
    data_dir: Path,
) -> None:
    """A second demo on the same port or the same folder exits 78 with one line and
    leaves the running demo's folder (its database, keys, pins) as it was."""
    with _demo(data_dir) as (process, url):
        port = url.rsplit(":", 1)[1]
        kept = [p for p in data_dir.rglob("*") if p.is_file() and "gateway" in p.parts]
        assert kept, "the running demo has no gateway files to lose"
        kept.append(data_dir / "spark-control.yaml")
        contents = {p: p.read_bytes() for p in kept if "keys" in p.parts or p.suffix == ".key"}

        status, err = _second_demo("--port", port, "--data-dir", str(data_dir))
        assert status == 78, err
        assert err.strip().splitlines() == [
            f"spark-control: configuration error: --port {port} on 127.0.0.1: "
            "Address already in use"
        ]
        status, err = _second_demo("--port", "0", "--data-dir", str(data_dir))
        assert status == 78, err
        assert err.strip().splitlines() == [
            f"spark-control: configuration error: --data-dir {data_dir.resolve()} "
            f"is in use by another demo (pid {process.pid})"
        ]

        assert [p for p in kept if not p.exists()] == []
        assert {p: p.read_bytes() for p in contents} == contents
        with httpx.Client(base_url=url, trust_env=False, timeout=10) as client:
            assert [n["state"] for n in client.get("/api/nodes").json()] == ["ok", "ok"]
        _stop(process, signal.SIGTERM)
    assert _left_running(data_dir) == []


@pytest.mark.slow
def test_two_demos_side_by_side_each_have_their_own_stand_ins(
    data_dir: Path, tmp_path: Path
) -> None:
    """A second demo with its own port and folder takes another pair of loopback
    addresses: its stand-ins bind (or it would stop, see below) and its health probes
    its own services, not the first demo's."""
    other = tmp_path / "other"
    first_nodes: list[tuple[str, int]] = []
    second_nodes: list[tuple[str, int]] = []
    try:
        with (
            _demo(data_dir, nodes_out=first_nodes) as (first, first_url),
            _demo(other, nodes_out=second_nodes) as (second, second_url),
        ):
            first_addresses = {address for address, _ in first_nodes}
            second_addresses = {address for address, _ in second_nodes}
            assert len(first_addresses) == len(second_addresses) == 2
            assert first_addresses.isdisjoint(second_addresses)
            for url in (first_url, second_url):
                with httpx.Client(base_url=url, trust_env=False, timeout=30) as client:
                    _wait_for_service(client, "asr")
            assert second.poll() is None and first.poll() is None
            _stop(second, signal.SIGTERM)
            _stop(first, signal.SIGTERM)
    finally:
        for pid in _left_running(other):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    assert _left_running(data_dir) == [] and _left_running(other) == []


BLOCKED = """
import os
import sys

from spark_control.api import Plugin, PluginSettings, ProcessSpec, hookimpl

BIND = "import os, socket; socket.socket().bind(('127.0.0.1', int(os.environ['PORT'])))"

class Blocked(Plugin[PluginSettings]):
    settings_model = PluginSettings

    @staticmethod
    @hookimpl
    def spark_sim(sim):
        def start(ctx):
            return ProcessSpec([sys.executable, "-c", BIND], env={"PORT": os.environ["TAKEN"]})

        sim.service("blocked", start)
"""


@pytest.mark.slow
def test_a_stand_in_that_cannot_bind_its_port_stops_the_demo_loudly(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not silently: the demo exits 78 naming the service and the OS's reason."""
    site = tmp_path / "site"
    install_plugin_distribution(
        site,
        monkeypatch,
        dist="spark-control-blocked",
        module="spark_control_blocked",
        source=BLOCKED,
        entry_points={"blocked": "spark_control_blocked:Blocked"},
    )
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        env = {k: v for k, v in os.environ.items() if not k.startswith("SPARK")}
        path = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
        env.update(PYTHONPATH=path, TAKEN=str(taken.getsockname()[1]))
        argv = ["demo", "--port", "0", "--data-dir", str(data_dir)]
        result = subprocess.run(
            [sys.executable, "-m", "spark_control.cli", *argv],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            check=False,
        )
    assert result.returncode == 78, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("spark-control: configuration error: simulated service blocked ")
    assert "Address already in use" in last
    assert _left_running(data_dir) == []


def test_the_demo_skips_address_pairs_in_use_or_held_by_another_demo() -> None:
    """Someone listening on 127.0.0.10 (another demo's node, a test's cluster) puts the
    demo on another pair; two demos picking at once get two pairs; none left: 78."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.10", 0))
        listener.listen()
        assert "127.0.0.10" in listening_addresses()
        with (
            pick_base_address("127.0.0.10") as first,
            pick_base_address("127.0.0.10") as second,
        ):
            assert len({"127.0.0.10", first, second}) == 3
            assert {first, second} <= {f"127.0.{x}.10" for x in range(1, 32)}
        only_one = pick_base_address("127.0.0.10", pairs=1)
        with pytest.raises(ConfigError, match="no free pair of loopback addresses"):
            only_one.__enter__()
