"""The launch of a catalog entry through launch-cluster.sh, run through a real /bin/sh.

A stand-in ``launch-cluster.sh`` prints its argv one per line and the variables the
real launcher reads, so every test sees exactly what the launcher would receive.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from spark_control.api import RemoteCommand, arg
from spark_control.errors import InvalidValue
from spark_control_vllm.catalog import QUANTIZATIONS, VLLM_FLAGS, Catalog, CatalogEntry
from spark_control_vllm.launch import (
    LAUNCH_TEMPLATE,
    LAUNCHER_VERSION,
    LaunchOptions,
    LaunchPlan,
    build_launch,
    container_oom_events_command,
    container_oom_killed_command,
    container_state_command,
    docker_logs_command,
    docker_stop_command,
    follow_log_command,
    kill_launcher_command,
    launcher_alive_command,
    launcher_running_command,
    launcher_stop_command,
    launcher_version_command,
    parse_container_state,
    tail_log_command,
    token_file_text,
    validate_launch_template,
    write_token_file,
)

TOKEN = "hf_AbCdEf0123456789SecretToken"
HEAD, WORKER = "192.0.2.10", "192.0.2.11"  # documentation addresses, never contacted
END_OF_ARGV = "--- end of argv ---"

FAKE_LAUNCHER = f"""#!/bin/sh
printf '%s\\n' "$@"
printf '%s\\n' '{END_OF_ARGV}'
printf 'EXTRA=%s\\n' "$VLLM_SPARK_EXTRA_DOCKER_ARGS"
printf 'TOKEN=%s\\n' "$HF_TOKEN"
printf 'PWD=%s\\n' "$PWD"
"""


@dataclass
class Node:
    """A home folder standing in for the node: the launcher checkout and the token file."""

    home: Path

    @property
    def launcher_dir(self) -> Path:
        return self.home / "spark-vllm-docker"

    @property
    def token_file(self) -> Path:
        return self.home / "hf.env"

    def sh(self, script: str, timeout: float = 10) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["/bin/sh", "-c", script],
            cwd=self.home,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={"PATH": os.environ["PATH"], "HOME": str(self.home)},
        )

    def run_launch(self, plan: LaunchPlan) -> tuple[list[str], dict[str, str]]:
        """Run the launch in the foreground; what the launcher got: argv and variables."""
        result = self.sh(plan.command.render())
        assert result.returncode == 0, result.stderr
        lines = result.stdout.split("\n")
        end = lines.index(END_OF_ARGV)
        env = dict(line.split("=", 1) for line in lines[end + 1 :] if line)
        return lines[:end], env


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Node:
    node = Node(tmp_path_factory.mktemp("node"))
    node.launcher_dir.mkdir()
    script = node.launcher_dir / "launch-cluster.sh"
    script.write_text(FAKE_LAUNCHER)
    script.chmod(0o755)
    written = node.sh(write_token_file(str(node.token_file)).render())
    assert written.returncode == 0
    result = subprocess.run(
        ["/bin/sh", "-c", write_token_file(str(node.token_file)).render()],
        input=token_file_text(TOKEN),
        text=True,
        capture_output=True,
        check=True,
    )
    assert result.returncode == 0
    assert node.token_file.stat().st_mode & 0o777 == 0o600
    return node


def _options(node: Node, **changes: Any) -> LaunchOptions:
    base: dict[str, Any] = {
        "launcher_dir": str(node.launcher_dir),
        "log_dir": str(node.home / "logs"),
        "head_ip": HEAD,
        "worker_ip": WORKER,
    }
    return LaunchOptions(**{**base, **changes})


def _entry(**fields: Any) -> CatalogEntry:
    return CatalogEntry.model_validate({"display_name": "A model", "memory_gb": 10, **fields})


def test_launcher_version_is_a_pinned_commit() -> None:
    assert len(LAUNCHER_VERSION) == 40
    assert int(LAUNCHER_VERSION, 16) >= 0


def test_a_shipped_single_node_model(node: Node) -> None:
    entry = Catalog.load().get("gpt-oss-120b")
    plan = build_launch(entry, _options(node, hf_token_file=str(node.token_file)), "s1")
    expected = [
        "-t", "vllm-node", "--name", "vllm_node", "--solo",
        "-e", "VLLM_USE_FLASHINFER_MXFP4_MOE=1", "-e", "HF_TOKEN",
        "exec", "vllm", "serve", "openai/gpt-oss-120b",
        "--served-model-name", "openai/gpt-oss-120b", "--host", "0.0.0.0", "--port", "8888",
        "--gpu-memory-utilization", "0.75",
        "--enable-auto-tool-choice", "--tool-call-parser", "openai",
        "--reasoning-parser", "openai_gptoss", "--async-scheduling",
    ]  # fmt: skip
    assert list(plan.argv) == ["./launch-cluster.sh", *expected]
    # The launcher part of the rendered command parses back to the same words.
    rendered = plan.command.render()
    words = shlex.split(rendered)
    assert words[words.index("./launch-cluster.sh") + 1 :] == expected
    assert TOKEN not in plan.script.render()

    argv, env = node.run_launch(plan)
    assert argv == expected
    assert env["TOKEN"] == TOKEN  # sourced from the 0600 file, exported to the launcher
    assert env["EXTRA"] == ""
    assert env["PWD"] == str(node.launcher_dir)


def test_sleep_mode_adds_its_flag_and_vllm_development_mode(node: Node) -> None:
    entry = Catalog.load().get("llama-3.1-8b-instruct")
    plan = build_launch(entry, _options(node, sleep_mode=True), "s7")
    argv, _ = node.run_launch(plan)
    assert argv[argv.index("--solo") + 1 : argv.index("exec")] == [
        "-e",
        "VLLM_SERVER_DEV_MODE=1",
    ]
    assert argv[-1] == "--enable-sleep-mode"
    off = build_launch(entry, _options(node), "s8")
    assert "--enable-sleep-mode" not in off.argv
    assert not any("VLLM_SERVER_DEV_MODE" in word for word in off.argv)


def test_a_two_node_model_names_both_nodes(node: Node) -> None:
    entry = Catalog.load().get("llama-3.3-70b-fp8-tp2")
    argv, _ = node.run_launch(build_launch(entry, _options(node, ray=True), "s2"))
    assert argv[:7] == ["-t", "vllm-node", "--name", "vllm_node", "-n", f"{HEAD},{WORKER}", "--ray"]
    assert argv[argv.index("--tensor-parallel-size") + 1] == "2"
    assert argv[argv.index("--quantization") + 1] == "modelopt"
    assert "HF_TOKEN" not in argv  # no token file configured, no bare -e


def test_a_two_node_model_needs_both_addresses_or_neither(node: Node) -> None:
    entry = Catalog.load().get("llama-3.3-70b-fp8-tp2")
    with pytest.raises(InvalidValue, match="both node addresses or neither"):
        build_launch(entry, _options(node, worker_ip=None), "s3")
    # Neither: the launcher's own .env (CLUSTER_NODES) or auto-discovery picks the nodes.
    argv, _ = node.run_launch(
        build_launch(entry, _options(node, head_ip=None, worker_ip=None), "s3")
    )
    assert argv[:5] == ["-t", "vllm-node", "--name", "vllm_node", "exec"]
    assert "--solo" not in argv and "-n" not in argv


def test_a_local_model_is_bind_mounted_through_the_env_hook(node: Node) -> None:
    entry = _entry(
        id="my-local",
        local_path="/models/my-local",
        chat_template="/models/my-local/chat.jinja",
        max_model_len=8192,
        env={"VLLM_LOGGING_LEVEL": "DEBUG"},
    )
    options = _options(
        node,
        image="nvcr.io/nvidia/vllm:25.09-py3",
        port=9001,
        extra_docker_args=["--pids-limit=8192"],
    )
    plan = build_launch(entry, options, "s4")
    argv, env = node.run_launch(plan)
    assert argv == [
        "-t", "nvcr.io/nvidia/vllm:25.09-py3", "--name", "vllm_node", "--solo",
        "-e", "VLLM_LOGGING_LEVEL=DEBUG",
        "exec", "vllm", "serve", "/models/my-local",
        "--served-model-name", "my-local", "--host", "0.0.0.0", "--port", "9001",
        "--max-model-len", "8192", "--chat-template", "/models/my-local/chat.jinja",
    ]  # fmt: skip
    hook = "--pids-limit=8192 -v /models/my-local:/models/my-local:ro"
    assert env["EXTRA"] == hook
    assert plan.env == {"VLLM_SPARK_EXTRA_DOCKER_ARGS": hook}
    # The launcher splits the hook unquoted: every word survives that split.
    assert hook.split() == ["--pids-limit=8192", "-v", "/models/my-local:/models/my-local:ro"]


def test_home_relative_paths_work_without_a_tilde_on_the_wire(node: Node) -> None:
    options = _options(
        node,
        launcher_dir="~/spark-vllm-docker",
        log_dir="~/logs",
        hf_token_file="~/hf.env",
    )
    plan = build_launch(Catalog.load().get("gpt-oss-20b"), options, "s5")
    assert "~" not in plan.script.render()
    assert plan.log_path == "~/logs/s5.log"
    argv, env = node.run_launch(plan)
    assert argv[argv.index("serve") + 1] == "openai/gpt-oss-20b"
    assert env["TOKEN"] == TOKEN


def test_the_detached_launch_survives_and_logs(node: Node) -> None:
    plan = build_launch(
        Catalog.load().get("llama-3.1-8b-instruct"),
        _options(node, hf_token_file=str(node.token_file)),
        "detached-1",
    )
    started = node.sh(plan.script.render())
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip().isdigit()  # the detached launcher's pid
    log = node.home / "logs" / "detached-1.log"
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and "PWD=" not in (log.read_text() if log.exists() else ""):
        time.sleep(0.02)
    text = log.read_text()
    assert "meta-llama/Llama-3.1-8B-Instruct" in text.split("\n")
    assert f"TOKEN={TOKEN}" in text


def test_the_launch_log_is_there_when_the_launch_returns(node: Node) -> None:
    """The detached job opens its log only once forked; a ``tail -F`` started on a
    missing file polls it once a second for the whole follow. The script makes the log
    first, so the follower chained after it (``launching.py``) always finds it."""
    plan = build_launch(Catalog.load().get("gpt-oss-20b"), _options(node), "made-first")
    log = node.home / "logs" / "made-first.log"
    check = plan.script.and_then(RemoteCommand("test", "-f", arg.path(str(log))))
    for _ in range(5):  # the race it prevents is lost only now and then
        log.unlink(missing_ok=True)
        result = node.sh(check.render())
        assert result.returncode == 0, result.stderr
    rendered = plan.script.render()
    assert rendered.index(f": > {log.parent}") < rendered.index("nohup"), rendered


def test_a_custom_template_is_rendered_with_validated_values(node: Node) -> None:
    template = list(LAUNCH_TEMPLATE)
    template.insert(5, "--no-cache-dirs")
    plan = build_launch(Catalog.load().get("gpt-oss-20b"), _options(node, template=template), "s6")
    argv, _ = node.run_launch(plan)
    assert argv[4:6] == ["--no-cache-dirs", "--solo"]


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ([t for t in LAUNCH_TEMPLATE if t != "{env*}"], "lacks env"),
        ([*LAUNCH_TEMPLATE, "{port}"], "appears twice"),
        ([*LAUNCH_TEMPLATE, "--port={port}"], "whole token"),
        ([*LAUNCH_TEMPLATE, "two words"], "contains ' '"),
        ([*LAUNCH_TEMPLATE, "$(reboot)"], "contains '$'"),
        ([*LAUNCH_TEMPLATE, "{image*}"], "not a known placeholder"),
        (["{container}", *[t for t in LAUNCH_TEMPLATE if t != "{container}"]], "must start with"),
        ("./launch-cluster.sh exec", "list of tokens"),
    ],
)
def test_bad_templates_are_refused(template: Any, reason: str) -> None:
    with pytest.raises(InvalidValue, match=reason.replace("$", r"\$").replace("(", r"\(")):
        validate_launch_template(template)


def test_bad_options_are_refused() -> None:
    for bad in (
        {"image": "vllm node"},
        {"container": "-rm"},
        {"head_ip": "spark-1; reboot"},
        {"launcher_dir": "~"},
        {"log_dir": "relative/logs"},
        {"extra_docker_args": ["-v /a:/a"]},
        {"template": ["./launch-cluster.sh"]},
    ):
        with pytest.raises(ValidationError):
            LaunchOptions(**{"launcher_dir": "/opt/l", "log_dir": "/var/tmp/l", **bad})
    with pytest.raises(InvalidValue):
        build_launch(
            Catalog.load().get("gpt-oss-20b"),
            LaunchOptions(launcher_dir="/opt/l", log_dir="/var/tmp/l"),
            "../escape",
        )


def test_stop_logs_and_state_commands() -> None:
    solo = LaunchOptions(launcher_dir="~/spark-vllm-docker", log_dir="/var/tmp/l")
    assert shlex.split(launcher_stop_command(solo).render()) == [
        "cd", "spark-vllm-docker", "&&", "./launch-cluster.sh", "--solo", "--name", "vllm_node",
        "stop",
    ]  # fmt: skip
    both = solo.model_copy(update={"head_ip": HEAD, "worker_ip": WORKER})
    assert shlex.split(launcher_stop_command(both, 2).render())[3:6] == [
        "./launch-cluster.sh", "-n", f"{HEAD},{WORKER}",
    ]  # fmt: skip
    assert shlex.split(docker_stop_command("vllm_node", 45).render()) == [
        "docker", "stop", "-t", "45", "vllm_node",
    ]  # fmt: skip
    assert shlex.split(container_state_command("vllm_node").render()) == [
        "docker", "inspect", "--type", "container", "--format", "{{.State.Status}}", "vllm_node",
    ]  # fmt: skip
    assert parse_container_state(0, "running\n") == "running"
    assert parse_container_state(1, "") == "absent"
    assert shlex.split(tail_log_command("~/logs/s1.log", 50).render()) == [
        "tail", "-n", "50", "logs/s1.log",
    ]  # fmt: skip
    assert shlex.split(follow_log_command("/var/tmp/l/s1.log").render()) == [
        "tail", "-n", "+1", "-F", "/var/tmp/l/s1.log",
    ]  # fmt: skip
    assert docker_logs_command("vllm_node", 10).render() == "docker logs --tail 10 vllm_node 2>&1"
    assert launcher_alive_command(4242).render() == "kill -0 4242"
    assert kill_launcher_command(4242).render() == "pkill -KILL -g 4242"
    assert launcher_running_command(4242).render() == "ps -o stat= -p 4242 | grep -qv '^Z'"
    assert launcher_version_command("~/spark-vllm-docker").render() == (
        "git -C spark-vllm-docker rev-parse HEAD"
    )
    for bad_pid in (0, 1, -5, True):
        with pytest.raises(InvalidValue):
            launcher_alive_command(bad_pid)
        with pytest.raises(InvalidValue):
            kill_launcher_command(bad_pid)
        with pytest.raises(InvalidValue):
            launcher_running_command(bad_pid)
    with pytest.raises(InvalidValue):
        docker_stop_command("vllm_node; reboot")


def test_the_token_file_quotes_the_token() -> None:
    assert token_file_text("hf_abc") == "HF_TOKEN=hf_abc\n"
    assert token_file_text("it's $x") == "HF_TOKEN='it'\"'\"'s $x'\n"
    for bad in ("", "line\nbreak"):
        with pytest.raises(InvalidValue):
            token_file_text(bad)


# -- property: every accepted entry's launch arrives at the launcher unchanged ----------

_UNSPLITTABLE = "[A-Za-z0-9._:/=@%+,-]"
_segment = st.from_regex(r"[A-Za-z0-9._+@-]{1,10}", fullmatch=True)
_abs_path = st.lists(_segment, min_size=1, max_size=3).map(lambda parts: "/" + "/".join(parts))
_model_id = st.from_regex(
    r"[A-Za-z0-9][A-Za-z0-9._-]{0,12}(/[A-Za-z0-9][A-Za-z0-9._-]{0,12})?", fullmatch=True
)
_hostile = st.text(max_size=12)  # mostly refused: such entries are skipped


def _flag(name: str) -> st.SearchStrategy[str]:
    if VLLM_FLAGS[name] == "switch":
        return st.just(name)
    value = st.from_regex(rf"{_UNSPLITTABLE}{{1,12}}", fullmatch=True)
    return value.map(lambda text: f"{name}={text}")


_extra_args = st.lists(st.sampled_from(sorted(VLLM_FLAGS)), unique=True, max_size=4).flatmap(
    lambda names: st.tuples(*(_flag(n) for n in names)).map(list)
)


@st.composite
def _entries(draw: st.DrawFn) -> dict[str, Any]:
    def mostly(good: st.SearchStrategy[Any]) -> Any:
        # One value in ten is hostile, so refusals happen without starving the test.
        return draw(_hostile) if draw(st.integers(0, 9)) == 0 else draw(good)

    local = draw(st.booleans())
    fields: dict[str, Any] = {
        "id": draw(st.from_regex(r"[a-z0-9][a-z0-9._-]{0,20}", fullmatch=True)),
        "display_name": draw(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 ().-]{0,19}", fullmatch=True)),
        "tensor_parallel_size": draw(st.sampled_from([1, 2])),
        "memory_gb": draw(st.floats(0.5, 120)),
        "extra_args": mostly(_extra_args),
        "env": draw(
            st.dictionaries(
                st.from_regex(r"[A-Z_][A-Z0-9_]{0,8}", fullmatch=True),
                st.from_regex(rf"{_UNSPLITTABLE}{{1,16}}", fullmatch=True),
                max_size=3,
            )
        ),
    }
    if local:
        fields["local_path"] = draw(_abs_path)
        if draw(st.booleans()):
            fields["chat_template"] = fields["local_path"] + "/" + draw(_segment)
    else:
        fields["hf_repo"] = mostly(_model_id)
        if draw(st.booleans()):
            fields["chat_template"] = draw(_abs_path)
    optional: dict[str, st.SearchStrategy[Any]] = {
        "served_model_name": _model_id,
        "max_model_len": st.integers(1, 10**6),
        "gpu_memory_utilization": st.floats(0.0, 0.95, exclude_min=True),
        "quantization": st.sampled_from(sorted(QUANTIZATIONS)),
        "tool_call_parser": st.from_regex(r"[a-z0-9_]{1,12}", fullmatch=True),
        "reasoning_parser": st.from_regex(r"[a-z0-9_]{1,12}", fullmatch=True),
    }
    for name, strategy in optional.items():
        if draw(st.booleans()):
            fields[name] = draw(strategy)
    return fields


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    raw=_entries(),
    token=st.booleans(),
    ray=st.booleans(),
    docker_args=st.lists(st.from_regex(rf"{_UNSPLITTABLE}{{1,12}}", fullmatch=True), max_size=2),
    port=st.integers(1, 65535),
)
def test_any_accepted_entry_reaches_the_launcher_unchanged(
    node: Node, raw: dict[str, Any], token: bool, ray: bool, docker_args: list[str], port: int
) -> None:
    try:
        entry = CatalogEntry.model_validate(raw)
    except ValidationError:
        assume(False)
        return
    options = _options(
        node,
        hf_token_file=str(node.token_file) if token else None,
        ray=ray,
        extra_docker_args=docker_args,
        port=port,
    )
    plan = build_launch(entry, options, "prop")
    argv, env = node.run_launch(plan)
    assert argv == list(plan.argv[1:])
    assert argv[argv.index("serve") + 1] == entry.source
    assert argv[argv.index("--served-model-name") + 1] == entry.served_name
    assert argv[argv.index("--port") + 1] == str(port)
    for flag in entry.extra_args:
        assert flag in argv
    for name, val in entry.env.items():
        assert f"{name}={val}" in argv
    assert env["TOKEN"] == (TOKEN if token else "")
    assert TOKEN not in plan.script.render()
    expected_hook = list(docker_args)
    if entry.local_path:
        expected_hook += ["-v", f"{entry.local_path}:{entry.local_path}:ro"]
    # The launcher re-splits the hook unquoted; that split must give back our words.
    assert env["EXTRA"].split() == expected_hook


@pytest.mark.parametrize(
    "change",
    [
        {"hf_repo": "org/x; reboot"},
        {"served_model_name": "$(id)"},
        {"extra_args": ("--seed=1 --api-key=x",)},
        {"env": {"A": "*"}},
        {"chat_template": "/models/a b"},
    ],
)
def test_the_launch_revalidates_even_an_unvalidated_entry(node: Node, change: Any) -> None:
    # model_construct skips pydantic: the builder still refuses before any shell sees it.
    fields = {"id": "x", "display_name": "X", "hf_repo": "org/x", "memory_gb": 1, **change}
    entry = CatalogEntry.model_construct(**fields)
    with pytest.raises(InvalidValue):
        build_launch(entry, _options(node), "s7")


def test_the_oom_questions_to_docker_are_quoted_and_validated() -> None:
    assert shlex.split(container_oom_killed_command("vllm_node").render()) == [
        "docker", "inspect", "--type", "container", "--format", "{{.State.OOMKilled}}",
        "vllm_node",
    ]  # fmt: skip
    assert shlex.split(container_oom_events_command("vllm_node", 90).render()) == [
        "docker", "events", "--since", "90s", "--until", "0s", "--filter",
        "container=vllm_node", "--filter", "event=oom", "--format", "{{.Action}}",
    ]  # fmt: skip
    for within in (0, -5, 1.5, True):
        with pytest.raises(InvalidValue):
            container_oom_events_command("vllm_node", within)  # type: ignore[arg-type]
    with pytest.raises(InvalidValue):
        container_oom_events_command("vllm_node; reboot", 90)
