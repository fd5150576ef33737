"""The one command builder, checked against a real SSH server and a real /bin/sh.

Any value a validator accepts must reach the remote program byte for byte; any value
it refuses must never reach a shell at all; no hostile value may run a command.
"""

from __future__ import annotations

import shlex
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from hypothesis import given, settings
from hypothesis import strategies as st

from spark_control.errors import InvalidValue
from spark_control.sim import SimNodeServer, make_client_key
from spark_control.ssh import (
    STDOUT,
    HostKeyStore,
    RemoteCommand,
    SSHExecutor,
    Target,
    UnsafeLiteral,
    Value,
    arg,
    const,
    value,
    write_secret_file,
)
from spark_control.ssh import validators as v

# One server and one executor for the whole module keep the property tests fast.
on_module_loop = pytest.mark.asyncio(loop_scope="module")


@dataclass
class Shell:
    node: SimNodeServer
    executor: SSHExecutor
    target: Target
    root: Path

    async def echo(self, word: Value) -> str:
        """What the remote program received as its argument."""
        result = await self.executor.run(self.target, RemoteCommand("printf", "%s", word))
        assert result.exit_status == 0, result.stderr
        return result.stdout


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shell(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Shell]:
    root = tmp_path_factory.mktemp("shell")
    key = make_client_key(root / "keys", "alice")
    async with SimNodeServer(
        root / "node",
        address="127.0.0.21",
        users={"alice": [key.public_openssh]},
        # As a node's sshd_config would, with "AcceptEnv HF_TOKEN" added by its admin.
        accept_env=("LANG", "LC_*", "HF_TOKEN"),
    ) as node:
        executor = SSHExecutor(host_keys=HostKeyStore(root / "known_hosts"))
        target = Target("spark-1", node.address, "alice", key.private_path, node.port)
        yield Shell(node, executor, target, root)
        await executor.close()


# -- building ------------------------------------------------------------------


def test_plain_strings_outside_the_safe_charset_are_refused_at_build_time():
    for raw in ("a b", "x;y", "$(id)", "`id`", "a'b", "a\nb", "", "*", "ü"):
        with pytest.raises(UnsafeLiteral):
            RemoteCommand("printf", "%s", raw)
    with pytest.raises(UnsafeLiteral):
        RemoteCommand("rm -rf /")


def test_only_str_constants_and_values_are_words():
    with pytest.raises(TypeError):
        RemoteCommand("sleep", 5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Value("x; reboot", "smuggled")


def test_env_names_are_validated_and_values_quoted():
    cmd = RemoteCommand("vllm", "serve", env={"HF_HOME": arg.path("/data/hf")})
    assert cmd.render() == "env HF_HOME=/data/hf vllm serve"
    with pytest.raises(InvalidValue):
        RemoteCommand("x", env={"A;B": "1"})


def test_rendering_quotes_every_word_and_groups_compound_parts():
    msg = arg.env_value("hello world; $(id)")
    script = RemoteCommand("echo", msg).and_then(RemoteCommand("true")).pipe(RemoteCommand("cat"))
    assert script.render() == "( echo 'hello world; $(id)' && true ) | cat"
    redirected = (
        RemoteCommand("a")
        .and_then(RemoteCommand("b"))
        .redirect(stdout=arg.path("/tmp/o.log"), stderr=STDOUT, append=True)
    )
    assert redirected.render() == "( a && b ) >> /tmp/o.log 2>&1"
    assert RemoteCommand("ls").in_dir(arg.path("/srv/app")).render() == "cd /srv/app && ls"


def test_extra_flags_become_separate_words():
    cmd = RemoteCommand("vllm", "serve", *arg.extra_flags(["--enforce-eager", "--max-num-seqs=8"]))
    assert cmd.argv == ["vllm", "serve", "--enforce-eager", "--max-num-seqs=8"]


# -- round trips through a real shell ------------------------------------------

HOSTILE_CHARS = [*";|&$()`<>*?'\"\n\\ \t-./_:=@%+,[]{}~#!^", "é", "中", "\u200b", "🙂"]
NASTY = st.text(
    alphabet=st.one_of(st.sampled_from(HOSTILE_CHARS), st.characters(codec="utf-8")),
    max_size=30,
)
PLAUSIBLE = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,20}", fullmatch=True)

VALIDATORS: list[tuple[Callable[[Any, str], object], str]] = [
    (v.validate_model_id, "model_id"),
    (v.validate_container_name, "container"),
    (v.validate_absolute_path, "path"),
    (v.validate_relative_path, "rel_path"),
    (v.validate_unix_user, "user"),
    (v.validate_git_branch, "branch"),
    (v.validate_host, "host"),
    (v.validate_port, "port"),
    (v.validate_env_name, "env_name"),
    (v.validate_env_value, "env_value"),
    (v.validate_unsplittable_value, "extra"),
    (v.validate_extra_flag, "flag"),
]


def _insert(parts: tuple[str, str, int]) -> str:
    base, char, at = parts
    at = min(at, len(base))
    return base[:at] + char + base[at:]


# Mostly well-formed values with one hostile character slipped in, so that both
# sides of each validator's boundary are exercised, plus free-form nasty text.
CANDIDATES = st.one_of(
    NASTY,
    PLAUSIBLE,
    PLAUSIBLE.map(lambda s: "/" + s),
    PLAUSIBLE.map(lambda s: "--" + s),
    st.tuples(PLAUSIBLE, st.sampled_from(HOSTILE_CHARS), st.integers(0, 20)).map(_insert),
)


@on_module_loop
@pytest.mark.parametrize(("validator", "field"), VALIDATORS, ids=[f for _, f in VALIDATORS])
@settings(max_examples=40, deadline=None)
@given(raw=CANDIDATES)
async def test_accepted_values_round_trip_and_refused_ones_never_reach_a_shell(
    shell: Shell, validator: Callable[[Any, str], object], field: str, raw: str
):
    execs_before = len(shell.node.exec_log)
    try:
        word = value(raw, validator, field)
    except InvalidValue as exc:
        assert exc.field == field
        assert len(shell.node.exec_log) == execs_before
        return
    assert await shell.echo(word) == word.text
    assert len(shell.node.exec_log) == execs_before + 1
    if validator not in (v.validate_host, v.validate_port):
        assert word.text == raw  # hosts and ports come back canonical


INJECTIONS = [
    "x; touch {m}",
    "$(touch {m})",
    "`touch {m}`",
    "x\ntouch {m}",
    "x && touch {m}",
    "x | touch {m}",
    "x' ; touch {m} ; echo '",
    '"; touch {m}; "',
    "$(IFS=_;cmd=touch_{m};$cmd)",
    "--x=$(touch {m})",
    "{m}",
]


@on_module_loop
async def test_injected_commands_never_run_whatever_the_validator_decides(shell: Shell):
    marker = shell.root / "node" / "INJECTED"
    refused = 0
    for template in INJECTIONS:
        raw = template.format(m=marker)
        for validator, field in VALIDATORS:
            before = len(shell.node.exec_log)
            try:
                word = value(raw, validator, field)
            except InvalidValue:
                refused += 1
                assert len(shell.node.exec_log) == before
                continue
            assert await shell.echo(word) == word.text
            # The same value in every other position the builder offers.
            await shell.executor.run(
                shell.target,
                RemoteCommand("printf", "%s", word, env={"V": word}).pipe(RemoteCommand("cat")),
            )
    assert refused > 0
    assert not marker.exists()


@on_module_loop
async def test_env_prefix_values_reach_the_program_unchanged(shell: Shell):
    tricky = arg.env_value("a b $(id) `id` 'q' \"d\" \\ ; | &")
    result = await shell.executor.run(
        shell.target,
        RemoteCommand("printenv", "TRICKY", env={"TRICKY": tricky}),
    )
    assert result.stdout == tricky.text + "\n"


@on_module_loop
async def test_const_words_are_quoted_too(shell: Shell):
    result = await shell.executor.run(
        shell.target, RemoteCommand("printf", const("%s|%s\\n"), const("{{.Names}}"), "x")
    )
    assert result.stdout == "{{.Names}}|x\n"


@on_module_loop
async def test_pipes_sequences_redirects_and_cd_work_in_a_real_shell(shell: Shell):
    workdir = shell.root / "node" / "work"
    workdir.mkdir(exist_ok=True)
    out = arg.path(str(workdir / "out.log"))
    script = (
        RemoteCommand("printf", const("b\\na\\n"))
        .pipe(RemoteCommand("sort"))
        .and_then(RemoteCommand("sh", "-c", const("echo to-stderr >&2")))
        .redirect(stdout=out, stderr=STDOUT)
        .in_dir(arg.path(str(workdir)))
        .and_then(RemoteCommand("pwd"))
    )
    result = await shell.executor.run(shell.target, script)
    assert result.stdout.strip() == str(workdir)
    assert (workdir / "out.log").read_text() == "a\nb\nto-stderr\n"

    failing = RemoteCommand("false").and_then(RemoteCommand("touch", arg.path(str(workdir / "no"))))
    assert (await shell.executor.run(shell.target, failing)).exit_status == 1
    assert not (workdir / "no").exists()


@on_module_loop
async def test_secret_goes_through_stdin_into_a_0600_file(shell: Shell):
    path = shell.root / "node" / "hf_token"
    path.write_text("old")
    path.chmod(0o644)  # an existing, looser file must not keep its mode
    secret = "hf_SECRETsecret123"
    await shell.executor.write_secret(shell.target, arg.path(str(path)), secret)
    assert path.read_text() == secret
    assert path.stat().st_mode & 0o777 == 0o600
    assert not any(secret in rec.command for rec in shell.node.exec_log)
    assert "cat >" in write_secret_file(arg.path(str(path))).render()


@on_module_loop
async def test_session_environment_reaches_the_command(shell: Shell):
    result = await shell.executor.run(
        shell.target, RemoteCommand("printenv", "HF_TOKEN"), env={"HF_TOKEN": "hf_x y"}
    )
    assert result.stdout == "hf_x y\n"
    assert not any("hf_x y" in rec.command for rec in shell.node.exec_log)
    refused = await shell.executor.run(
        shell.target, RemoteCommand("printenv", "LD_PRELOAD"), env={"LD_PRELOAD": "/x.so"}
    )
    assert refused.stdout == "", "sshd's AcceptEnv lets only allowed names through"
    with pytest.raises(InvalidValue):
        await shell.executor.run(shell.target, RemoteCommand("true"), env={"BAD;NAME": "1"})


def test_detached_form_redirects_everything_and_prints_the_pid():
    script = RemoteCommand("sleep", "60").detached(arg.path("/tmp/l.log"))
    rendered = script.render()
    assert rendered.startswith("nohup setsid sh -c ")
    assert rendered.endswith(" > /tmp/l.log 2>&1 < /dev/null & echo $!")
    inner = shlex.split(rendered)[4]
    assert inner == "sleep 60"
