"""No value a stand-in receives is ever run by a shell.

Each payload would create a marker file if any shell evaluated it. They go through the
command builder exactly as values from a caller would (quoted, so the node's shell
hands them over as single argv items) but past the allow-list validators, so that the
stand-ins themselves are what is tested: they must reject the value or treat it as data.
"""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path
from typing import Any

import pytest

from spark_control.sim import SimCluster
from spark_control.ssh import Value, value
from tests.sim.conftest import Shell
from tests.sim.fakes import free_port


def _payloads(marker: Path) -> list[str]:
    return [
        f"$(touch {marker})",
        f"x;touch {marker}",
        f"`touch {marker}`",
        f"x\ntouch {marker}\n",
        f"{{{{$(touch {marker})}}}}",
    ]


def _exists(path: Path) -> bool:
    return path.exists()


def _raw(text: str) -> Value:
    """A value as a caller sent it, past the validators (only the builder's quoting)."""

    def anything(raw: Any, field: str) -> str:
        return str(raw)

    return value(text, anything, "raw")


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    path = tmp_path / "marker"
    # The payloads are live: a shell that evaluates one does create the marker.
    subprocess.run(["sh", "-c", _payloads(path)[0]], check=False)
    assert path.exists()
    path.unlink()
    return path


async def _rejected(shell: Shell, text: str) -> None:
    """Where the value names something: refused, with docker's or the tool's error."""
    p = _raw(text)
    bad_name = await shell.docker("run", "-d", "--name", p, "sim/web:1")
    assert bad_name.exit_status == 125 and "Invalid container name" in bad_name.stderr
    assert (await shell.docker("run", "-d", p)).exit_status == 125
    for words in (("logs", "-f", p), ("stop", p), ("rm", p), ("exec", p, "true")):
        result = await shell.docker(*words)
        assert result.exit_status == 1 and "No such container" in result.stderr
    assert (await shell.docker("inspect", p)).exit_status == 1
    assert (await shell.docker(p)).exit_status == 1
    gpu = await shell.run("nvidia-smi", _raw(f"--query-gpu={text}"), "--format=csv")
    assert gpu.exit_status == 2
    assert (await shell.run("ip", "addr", "show", p)).exit_status != 0
    assert (await shell.run("df", "-P", p)).exit_status == 1


async def _as_data(shell: Shell, text: str, name: str) -> None:
    """Where the value is content: carried through byte for byte."""
    p = _raw(text)
    filtered = await shell.docker("ps", "-a", "--filter", _raw(f"name={text}"), "-q")
    assert filtered.exit_status == 0 and filtered.stdout == ""
    await shell.docker("inspect", "-f", p, "inj-ok")
    await shell.docker("ps", "--format", p)
    echoed = await shell.docker("exec", "inj-ok", "echo", p)
    assert echoed.stdout == text + "\n"
    env = await shell.docker("exec", "-e", _raw(f"INJ={text}"), "inj-ok", "printenv", "INJ")
    assert env.stdout == text + "\n"
    compose = await shell.docker("compose", p)
    assert compose.stdout == f"compose arg: {text}\n"
    started = await shell.docker(
        "run", "-d", "--name", name, "-e", _raw(f"PAYLOAD={text}"), "sim/web:1", p
    )
    assert started.exit_status == 0, started.stderr
    info = await shell.inspect(name)
    assert f"PAYLOAD={text}" in info["Config"]["Env"] and info["Config"]["Cmd"] == [text]
    await shell.docker("rm", "-f", name)


async def test_no_stand_in_argument_reaches_a_shell(
    shell: Shell, cluster: SimCluster, marker: Path
) -> None:
    await shell.start_web("inj-ok", free_port(cluster.nodes["spark-1"].address))
    try:
        payloads = _payloads(marker)
        await asyncio.gather(
            *(_rejected(shell, text) for text in payloads),
            *(_as_data(shell, text, f"inj-{i}") for i, text in enumerate(payloads)),
        )
    finally:
        await shell.docker("rm", "-f", "inj-ok")
    assert not _exists(marker)
