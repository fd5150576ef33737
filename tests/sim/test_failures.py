"""Failure switches of the simulated cluster: container exit and OOM, hangs, nodes going
down, SSH connections dropping."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from spark_control.sim import SimCluster
from spark_control.ssh import SSHUnreachable, const
from tests.sim.conftest import Shell, until
from tests.sim.fakes import free_port


@pytest.fixture(autouse=True)
def _clear(cluster: SimCluster) -> Iterator[None]:
    yield
    cluster.clear_failures()


async def test_exit_switch_ends_a_running_container_with_status_1(
    shell: Shell, cluster: SimCluster
) -> None:
    await shell.start_web("fail-exit", free_port(cluster.nodes["spark-1"].address))
    assert cluster.fail("fail-exit", "exit") == 1
    assert await until(lambda: _is(shell, "fail-exit", "exited 1"))
    info = await shell.inspect("fail-exit")
    assert info["State"]["Running"] is False and info["State"]["ExitCode"] == 1
    await shell.docker("rm", "fail-exit")


async def test_oom_switch_logs_cuda_oom_and_exits_137(shell: Shell, cluster: SimCluster) -> None:
    # Set before the start: the container loads, then dies of OOM.
    cluster.fail("sim/web:oom", "oom")
    await shell.start_web("fail-oom", free_port(cluster.nodes["spark-1"].address), "sim/web:oom")
    assert await until(lambda: _is(shell, "fail-oom", "exited 137"))
    logs = await shell.docker("logs", "fail-oom")
    # On stderr, where docker logs replays what the process wrote to stderr.
    assert "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate" in logs.stderr
    assert "OutOfMemoryError" not in logs.stdout
    assert (await shell.inspect("fail-oom"))["State"]["OOMKilled"] is True
    await shell.docker("rm", "fail-oom")


async def test_docker_events_keeps_an_oom_kill_after_the_container_is_removed(
    shell: Shell, cluster: SimCluster
) -> None:
    """Like the daemon's event buffer: ``--rm`` removes the container, its events stay."""
    port = free_port(cluster.nodes["spark-1"].address)
    await shell.docker("run", "-d", "--rm", "--name", "oom-gone", "-e", f"PORT={port}", "sim/web:1")
    assert cluster.fail("oom-gone", "oom") == 1
    assert await until(lambda: _gone(shell, "oom-gone"))
    window = ("--since", "60s", "--until", "0s")
    events = await shell.docker(
        "events", *window, "--filter", "container=oom-gone", "--format", const("{{.Action}}")
    )
    assert events.exit_status == 0, events.stderr
    assert events.stdout.split() == ["oom", "die"]
    only_oom = await shell.docker(
        "events", *window, "--filter", "event=oom", "--format", const("{{.Actor.Attributes.name}}")
    )
    assert "oom-gone" in only_oom.stdout.split()
    none_yet = await shell.docker("events", "--since", "0s", "--until", "0s")
    assert none_yet.exit_status == 0 and none_yet.stdout == ""
    streaming = await shell.docker("events", "--since", "60s")
    assert streaming.exit_status != 0 and "--until" in streaming.stderr


async def _gone(shell: Shell, name: str) -> bool:
    return (await shell.docker("inspect", name)).exit_status != 0


async def test_hang_reaches_the_process_env_and_health_stays_starting(
    shell: Shell, cluster: SimCluster
) -> None:
    cluster.fail("sim/web:hang", "hang")
    await shell.start_web("fail-hang", free_port(cluster.nodes["spark-1"].address), "sim/web:hang")
    env = await shell.docker("exec", "fail-hang", "printenv", "SPARK_SIM_FAILURE")
    assert env.stdout == "hang\n"

    cluster.clear_failures()
    await shell.start_web("fine", free_port(cluster.nodes["spark-1"].address), "sim/web:hang")
    clean = await shell.docker("exec", "fine", "printenv", "SPARK_SIM_FAILURE")
    assert clean.exit_status == 1 and clean.stdout == ""
    # The image is ready after 50 ms; the hanging one never is.
    assert await until(lambda: _health(shell, "fine", "healthy"))
    assert await _health(shell, "fail-hang", "starting")
    await shell.docker("rm", "-f", "fail-hang", "fine")


async def test_node_down_refuses_ssh_then_comes_back(shell: Shell, cluster: SimCluster) -> None:
    assert (await shell.run("true", node="spark-2")).ok
    cluster.set_node_down("spark-2", True)
    try:
        with pytest.raises(SSHUnreachable) as refused:
            await shell.run("true", node="spark-2")
        assert refused.value.node == "spark-2"
    finally:
        cluster.set_node_down("spark-2", False)
    back = await shell.run("hostname", node="spark-2")
    assert back.stdout == "spark-2\n"


async def test_dropped_ssh_connection_is_replaced(shell: Shell, cluster: SimCluster) -> None:
    assert (await shell.run("true")).ok
    assert shell.executor.connections_opened == 1
    cluster.drop_ssh("spark-1")
    result = await shell.run("hostname")
    assert result.stdout == "spark-1\n"
    assert shell.executor.connections_opened == 2


async def _health(shell: Shell, name: str, expected: str) -> bool:
    result = await shell.docker("inspect", "-f", const("{{.State.Health.Status}}"), name)
    return result.stdout == f"{expected}\n"


async def _is(shell: Shell, name: str, expected: str) -> bool:
    return await shell.state(name) == expected
