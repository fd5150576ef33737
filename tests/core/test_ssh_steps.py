"""``Steps`` and ``wait_while``: several commands in one round trip, each result still
checked, and a bounded wait in the node's shell. Against a real SSH server and /bin/sh."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from spark_control.sim import SimNodeServer, make_client_key
from spark_control.ssh import (
    HostKeyStore,
    RemoteCommand,
    SSHExecutor,
    Steps,
    Target,
    UnsafeLiteral,
    arg,
    const,
    wait_while,
)

on_module_loop = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def node(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[tuple[SSHExecutor, Target]]:
    root = tmp_path_factory.mktemp("steps")
    key = make_client_key(root / "keys", "alice")
    async with SimNodeServer(
        root / "node", address="127.0.0.22", users={"alice": [key.public_openssh]}
    ) as server:
        executor = SSHExecutor(host_keys=HostKeyStore(root / "known_hosts"))
        yield executor, Target("spark-1", server.address, "alice", key.private_path, server.port)
        await executor.close()


def test_labels_are_checked_and_unless_names_an_earlier_step() -> None:
    steps = Steps().add("first", RemoteCommand("true"))
    for bad in ("First", "a b", "", "first", "x" * 40):
        with pytest.raises(ValueError):
            steps.add(bad, RemoteCommand("true"))
    with pytest.raises(ValueError):
        steps.add("second", RemoteCommand("true"), unless=("later", ["x"]))
    with pytest.raises(UnsafeLiteral):
        steps.add("third", RemoteCommand("true"), unless=("first", ["a b"]))
    with pytest.raises(ValueError):
        Steps().render()


@on_module_loop
async def test_every_step_runs_and_reports_its_own_output_and_status(
    node: tuple[SSHExecutor, Target],
) -> None:
    executor, target = node
    hostile = arg.env_value("$(touch pwned); `id`")
    steps = (
        Steps()
        .add("fails", RemoteCommand("sh", "-c", const("echo said >&2; exit 3")))
        .add("echoes", RemoteCommand("printf", const("%s\\n\\n"), hostile))
        .add("silent", RemoteCommand("true"))
        .add("no_newline", RemoteCommand("printf", "%s", "end"))
    )
    result = await executor.run(target, steps)
    done = steps.read(result.stdout)
    assert list(done) == ["fails", "echoes", "silent", "no_newline"]
    assert (done["fails"].output, done["fails"].exit_status) == ("said", 3)
    assert done["echoes"].output == "$(touch pwned); `id`" and done["echoes"].ok
    assert (done["silent"].output, done["silent"].exit_status) == ("", 0)
    assert done["no_newline"].output == "end"


@on_module_loop
async def test_output_cannot_forge_a_report_and_a_step_can_be_skipped(
    node: tuple[SSHExecutor, Target],
) -> None:
    executor, target = node
    steps = Steps()
    # Output that imitates a report without this script's marker (drawn per Steps).
    forged = arg.env_value(f"{Steps().marker} state 0")
    steps.add("state", RemoteCommand("printf", const("running\\n")))
    steps.add("liar", RemoteCommand("printf", const("%s\\n"), forged))
    steps.add("skipped", RemoteCommand("true"), unless=("state", ["running", "paused"]))
    steps.add("kept", RemoteCommand("true"), unless=("state", ["exited"]))
    done = steps.read((await executor.run(target, steps)).stdout)
    assert list(done) == ["state", "liar", "kept"]
    assert done["state"].output == "running"
    assert done["liar"].output == forged.text
    assert done["kept"].ok


@on_module_loop
async def test_wait_while_ends_when_the_process_is_gone_or_the_time_is_up(
    node: tuple[SSHExecutor, Target],
) -> None:
    executor, target = node
    child = subprocess.Popen(["sleep", "0.6"])  # noqa: ASYNC220 - a test's own child, at once
    try:
        pid = arg.unsplittable(str(child.pid), "pid")
        steps = Steps().add(
            "gone", wait_while(RemoteCommand("kill", "-0", pid), within_s=60, every_s=0.05)
        )
        started = time.monotonic()
        # Reaped as it exits (a zombie still answers ``kill -0``).
        run, _ = await asyncio.gather(
            executor.run(target, steps), asyncio.to_thread(child.wait, 30)
        )
        done = steps.read(run.stdout)
        assert done["gone"].ok, done
        assert time.monotonic() - started < 50, "it waited for the process, not the bound"
    finally:
        child.kill()
        child.wait()

    alive = arg.unsplittable(str(os.getpid()), "pid")  # this test process: alive throughout
    steps = Steps().add(
        "bounded", wait_while(RemoteCommand("kill", "-0", alive), within_s=0.3, every_s=0.1)
    )
    done = steps.read((await executor.run(target, steps)).stdout)
    assert done["bounded"].exit_status == 1


def test_wait_while_refuses_an_unbounded_or_odd_wait() -> None:
    probe = RemoteCommand("true")
    for within, every in ((1.0, 0.0), (0.1, 1.0), (float("inf"), 0.1), (1.0, -1.0)):
        with pytest.raises(ValueError):
            wait_while(probe, within_s=within, every_s=every)
    assert "sleep 0.05" in wait_while(probe, within_s=1, every_s=0.05).render()


def test_a_skipped_or_unreached_step_has_no_result() -> None:
    steps = Steps().add("a", RemoteCommand("true")).add("b", RemoteCommand("true"))
    text = f"\n{steps.marker} a 0\n"
    assert set(steps.read(text)) == {"a"}
    assert steps.read(f"oops {steps.marker} a 0\n") == {}, "a marker counts only on its own line"
