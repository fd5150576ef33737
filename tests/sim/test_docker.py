"""The docker stand-in over real SSH: containers are real processes serving HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time

import httpx

from spark_control.sim import SimCluster
from spark_control.ssh import RemoteCommand, arg, const
from tests.sim.conftest import Shell, group_members, process_alive, target, until
from tests.sim.fakes import free_port


async def _get(url: str) -> str | None:
    try:
        async with httpx.AsyncClient(timeout=1) as client:
            response = await client.get(url)
    except httpx.TransportError:
        return None
    return response.text if response.status_code == 200 else None


async def test_run_serves_http_then_stop_leaves_no_process(
    shell: Shell, cluster: SimCluster
) -> None:
    address = cluster.nodes["spark-1"].address
    port = free_port(address)
    container_id = await shell.start_web("web-1", port)
    assert re.fullmatch(r"[0-9a-f]{64}", container_id)

    assert await until(lambda: _get(f"http://{address}:{port}/hello")) == "spark-1 /hello\n"

    ps = await shell.docker("ps", "--filter", "name=web-1", "--format", const("{{json .}}"))
    rows = [json.loads(line) for line in ps.stdout.splitlines()]
    assert [(r["Names"], r["State"], r["ID"]) for r in rows] == [
        ("web-1", "running", container_id[:12])
    ]
    assert rows[0]["Status"].startswith("Up ")

    names = await shell.docker("ps", "--format", const("{{.Names}}"))
    assert "web-1" in names.stdout.split()

    info = await shell.inspect("web-1")
    assert info["Id"] == container_id and info["Name"] == "/web-1"
    assert info["State"]["Running"] is True and info["State"]["Status"] == "running"
    assert f"PORT={port}" in info["Config"]["Env"]
    assert info["Config"]["Image"] == "sim/web:1"
    pid = info["State"]["Pid"]
    assert process_alive(pid)
    health = await until(
        lambda: shell.docker("inspect", "-f", const("{{.State.Health.Status}}"), "web-1")
    )
    assert health.stdout.strip() in ("starting", "healthy")

    stopped = await shell.docker("stop", "-t", "1", "web-1")
    assert stopped.exit_status == 0 and stopped.stdout == "web-1\n"
    # The server has no SIGTERM handler: as PID 1 it ignores it, and stop SIGKILLs it
    # after the grace period, as a real engine does: docker reports 128 + 9.
    assert await shell.state("web-1") == "exited 137"
    assert not process_alive(pid)
    assert group_members(pid) == []
    assert await _get(f"http://{address}:{port}/hello") is None

    running = await shell.docker("ps", "-q")
    assert container_id[:12] not in running.stdout
    listed = await shell.docker("ps", "-a", "--filter", "status=exited", "--format", "json")
    assert "web-1" in [json.loads(line)["Names"] for line in listed.stdout.splitlines()]

    removed = await shell.docker("rm", "web-1")
    assert removed.stdout == "web-1\n"
    gone = await shell.docker("inspect", "web-1")
    assert gone.exit_status == 1 and "No such object: web-1" in gone.stderr
    assert gone.stdout.strip() == "[]"


async def test_logs_follow_streams_lines_as_they_come(shell: Shell, cluster: SimCluster) -> None:
    address = cluster.nodes["spark-1"].address
    port = free_port(address)
    await shell.start_web("web-logs", port)
    await until(lambda: _get(f"http://{address}:{port}/warmup"))

    lines: list[str] = []

    async def follow() -> None:
        stream = shell.executor.stream(
            target(cluster),
            RemoteCommand("docker", "logs", "-f", arg.container("web-logs")),
            time_cap=20,
        )
        async with contextlib.aclosing(stream) as lines_in:
            async for line in lines_in:
                lines.append(line)

    follower = asyncio.create_task(follow())
    await until(lambda: "request /warmup" in lines)
    # Each request is logged after the stream started: seen only if it streams.
    for path in ("/one", "/two"):
        assert await _get(f"http://{address}:{port}{path}")
        await until(lambda path=path: f"request {path}" in lines)
    assert lines[0].startswith("listening on ")

    await shell.docker("stop", "-t", "1", "web-logs")
    # The stream ends by itself when the container stops, well before its time cap.
    await asyncio.wait_for(follower, 5)
    tail = await shell.docker("logs", "--tail", "1", "web-logs")
    assert tail.stdout == "request /two\n"
    await shell.docker("rm", "-f", "web-logs")


async def test_run_errors_are_dockers(shell: Shell, cluster: SimCluster) -> None:
    port = free_port(cluster.nodes["spark-1"].address)
    await shell.start_web("web-dup", port)
    clash = await shell.docker("run", "-d", "--name", "web-dup", "sim/web:1")
    assert clash.exit_status == 125
    assert 'Conflict. The container name "/web-dup" is already in use' in clash.stderr

    unknown = await shell.docker("run", "-d", "--name", "other", "nope/missing:2")
    assert unknown.exit_status == 125
    assert "Unable to find image 'nope/missing:2' locally" in unknown.stderr

    bad_ref = await shell.docker("run", "-d", "Not/An:Image:ref")
    assert bad_ref.exit_status == 125 and "invalid reference format" in bad_ref.stderr

    bad_flag = await shell.docker("run", "--frobnicate", "sim/web:1")
    assert bad_flag.exit_status == 125 and "unknown flag: --frobnicate" in bad_flag.stderr

    missing = await shell.docker("stop", "no-such")
    assert missing.exit_status == 1
    assert missing.stderr == "Error response from daemon: No such container: no-such\n"

    busy = await shell.docker("rm", "web-dup")
    assert busy.exit_status == 1 and "container is running" in busy.stderr
    forced = await shell.docker("rm", "-f", "web-dup")
    assert forced.exit_status == 0
    # Like docker since 20.10, rm -f of a container that is gone is not an error.
    again = await shell.docker("rm", "-f", "web-dup")
    assert (again.exit_status, again.stdout, again.stderr) == (0, "", "")


async def test_exec_runs_argv_with_the_container_env(shell: Shell, cluster: SimCluster) -> None:
    port = free_port(cluster.nodes["spark-1"].address)
    await shell.start_web("web-exec", port)
    printed = await shell.docker("exec", "web-exec", "printenv", "PORT")
    assert printed.exit_status == 0 and printed.stdout == f"{port}\n"
    node = await shell.docker("exec", "-e", "EXTRA=1", "web-exec", "printenv", "EXTRA")
    assert node.stdout == "1\n"
    missing = await shell.docker("exec", "web-exec", "no-such-program")
    assert missing.exit_status == 127 and "executable file not found" in missing.stderr
    await shell.docker("stop", "-t", "1", "web-exec")
    stopped = await shell.docker("exec", "web-exec", "true")
    assert stopped.exit_status == 1 and "is not running" in stopped.stderr
    await shell.docker("rm", "web-exec")


async def test_plugin_commands_compose_and_services(
    shell: Shell, cluster: SimCluster, service_port: int
) -> None:
    hello = await shell.run("hello-sim", node="spark-2")
    assert hello.stdout == "hello from spark-2\n"

    compose = await shell.docker("compose", "up", "-d")
    assert compose.exit_status == 0
    assert compose.stdout == "compose arg: up\ncompose arg: -d\n"

    unknown = await shell.docker("frobnicate")
    assert unknown.exit_status == 1
    assert "docker: 'frobnicate' is not a docker command." in unknown.stderr

    info = await shell.docker("info")
    assert info.exit_status == 0 and "Server Version:" in info.stdout
    version = await shell.docker("version", "--format", const("{{.Server.Version}}"))
    assert re.fullmatch(r"\d+\.\d+\.\d+\n", version.stdout)

    # The registered service runs on the head node from the start.
    head = cluster.nodes["spark-1"].address
    assert await until(lambda: _get(f"http://{head}:{service_port}/svc")) == "spark-1 /svc\n"


async def test_attached_run_prints_output_and_returns_the_exit_status(shell: Shell) -> None:
    result = await shell.docker("run", "--rm", "--name", "once", "sim/echo:1", "hi", "there", "3")
    assert (result.exit_status, result.stdout) == (3, "hi there\n")
    # --rm: gone once it exited.
    assert (await shell.docker("inspect", "once")).exit_status == 1

    kept = await shell.docker("run", "--name", "kept", "sim/echo", "0")
    assert kept.exit_status == 0
    assert await shell.state("kept") == "exited 0"
    await shell.docker("rm", "kept")


async def test_abandoned_log_stream_ends_on_the_controller(
    shell: Shell, cluster: SimCluster
) -> None:
    port = free_port(cluster.nodes["spark-1"].address)
    await shell.start_web("web-abandon", port)
    baseline = cluster.active_calls
    stream = shell.executor.stream(
        target(cluster),
        RemoteCommand("docker", "logs", "-f", arg.container("web-abandon")),
        time_cap=20,
    )
    async with contextlib.aclosing(stream) as lines:
        async for line in lines:
            assert line.startswith("listening on ")
            assert cluster.active_calls == baseline + 1
            break
    # The consumer left: the stand-in was stopped, and the controller stopped streaming.
    assert await until(lambda: cluster.active_calls == baseline)
    await shell.docker("rm", "-f", "web-abandon")


async def test_logs_replay_each_line_on_the_stream_it_was_written_to(shell: Shell) -> None:
    run = await shell.docker("run", "--name", "both-streams", "sim/both:1")
    assert run.exit_status == 0
    logs = await shell.docker("logs", "both-streams")
    assert (logs.stdout, logs.stderr) == ("to stdout\n", "to stderr\n")
    stamped = await shell.docker("logs", "-t", "both-streams")
    assert stamped.stdout.endswith("Z to stdout\n")
    assert stamped.stderr.endswith("Z to stderr\n")


async def test_on_failure_restart_policy_honours_its_maximum(shell: Shell) -> None:
    await shell.docker(
        "run", "-d", "--restart", "on-failure:2", "--name", "flaky", "sim/echo:1", "boom", "1"
    )

    async def settled() -> bool:
        state = await shell.docker(
            "inspect", "-f", const("{{.State.Status}} {{.RestartCount}}"), "flaky"
        )
        return state.stdout == "exited 2\n"

    assert await until(settled)


async def test_templates_print_what_docker_prints_for_labels(shell: Shell) -> None:
    await shell.docker(
        "run", "-d", "--label", "team=alice", "--name", "labelled", "sim/echo:1", "0"
    )
    missing = await shell.docker(
        "inspect",
        "-f",
        const('{{index .Config.Labels "nope"}}|{{index .Config.Labels "team"}}'),
        "labelled",
    )
    assert missing.stdout == "|alice\n"
    rows = await shell.docker(
        "ps", "-a", "--filter", "name=labelled", "--format", const('{{.Label "team"}}')
    )
    assert rows.stdout == "alice\n"


async def test_stop_is_lost_on_a_pid_1_without_a_handler_unless_run_with_init(
    shell: Shell,
) -> None:
    """Found by the engine-mode differential: a container's main process is PID 1, which
    ignores SIGTERM it does not handle (``sleep infinity``, the launcher's idle
    container), so ``docker stop`` waits its grace period and SIGKILLs (137); with
    ``--init``, docker-init passes SIGTERM on and the stop is quick (143)."""
    idle = await shell.docker("run", "-d", "--name", "pid1-idle", "-e", "PORT=0", "sim/web:1")
    assert idle.exit_status == 0, idle.stderr
    started = time.monotonic()
    await shell.docker("stop", "-t", "1", "pid1-idle")
    assert time.monotonic() - started >= 0.9, "SIGTERM ended a PID 1 that has no handler"
    assert await shell.state("pid1-idle") == "exited 137"

    init = await shell.docker(
        "run", "-d", "--init", "--name", "pid1-init", "-e", "PORT=0", "sim/web:1"
    )
    assert init.exit_status == 0, init.stderr
    started = time.monotonic()
    await shell.docker("stop", "-t", "5", "pid1-init")
    assert time.monotonic() - started < 3
    assert await shell.state("pid1-init") == "exited 143"
    await shell.docker("rm", "-f", "pid1-idle", "pid1-init")


async def test_inspect_of_a_missing_container_reads_as_the_cli_prints_it(shell: Shell) -> None:
    """Found by the engine-mode differential: the CLI's template printer writes an empty
    line when it printed nothing, and ``--type container`` names the kind it missed."""
    fmt = const("{{.State.Status}}")
    missing = await shell.docker("inspect", "--format", fmt, "nope")
    assert (missing.exit_status, missing.stdout) == (1, "\n")
    assert missing.stderr == "Error: No such object: nope\n"
    typed = await shell.docker("inspect", "--type", "container", "--format", fmt, "nope")
    assert (typed.exit_status, typed.stdout) == (1, "\n")
    assert typed.stderr == "Error: No such container: nope\n"


async def test_a_container_above_its_memory_limit_is_oom_killed(shell: Shell) -> None:
    """Found by the engine-mode differential: ``--memory`` is a real limit; going above
    it ends the container with 137 and ``OOMKilled`` true, as the kernel does."""
    state = const("{{.State.Status}} {{.State.ExitCode}} {{.State.OOMKilled}}")
    hog = await shell.docker("run", "--name", "oom-hog", "--memory", "32m", "sim/hog:1", "200")
    assert hog.exit_status == 137 and "allocated" not in hog.stdout
    found = await shell.docker("inspect", "--format", state, "oom-hog")
    assert found.stdout == "exited 137 true\n"
    fits = await shell.docker("run", "--name", "oom-fits", "--memory", "256m", "sim/hog:1", "1")
    assert fits.exit_status == 0 and fits.stdout == "allocated\n"
    bad = await shell.docker("run", "--memory", "1k", "sim/hog:1", "1")
    assert bad.exit_status == 125 and "Minimum memory limit allowed is 6MB" in bad.stderr
    await shell.docker("rm", "-f", "oom-hog", "oom-fits")
