"""Checking a bot's settings on its node before relying on them.

``POST /api/matrix_bridge/bots/check`` runs these for a proposed bot (so the owner can
try values before putting them in the config), and ``spark-control nodes check`` runs
them for every configured bot. Each check says what is missing and how to fix it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from spark_control.api import (
    CommandResult,
    CommandTimeout,
    Host,
    RemoteCommand,
    Script,
    SSHUnreachable,
    const,
)
from spark_control_matrix_bridge import commands
from spark_control_matrix_bridge.bots import Bot
from spark_control_matrix_bridge.status import from_inspect

_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def public(self) -> dict[str, Any]:
        return asdict(self)


def _said(result: CommandResult) -> str:
    return (result.stderr or result.stdout).strip()[-300:]


async def check_bot(host: Host, bot: Bot) -> list[Check]:
    """Every check, in order; the first one that cannot run ends the list."""
    target = bot.target(host.topology)

    async def run(script: Script) -> CommandResult:
        return await host.ssh.run(target, script, timeout=_TIMEOUT_S, observe=True)

    checks: list[Check] = []
    try:
        docker = await run(RemoteCommand("docker", "info", "--format", const("{{.ServerVersion}}")))
    except (SSHUnreachable, CommandTimeout) as exc:
        return [Check("login", False, f"cannot run commands as {bot.user}: {exc.message}")]
    checks.append(Check("login", True, f"logged in to {bot.node} as {bot.user}"))
    checks.append(
        Check("docker", True, f"docker {docker.stdout.strip()} answers without sudo")
        if docker.ok
        else Check(
            "docker",
            False,
            f"docker does not answer for {bot.user} without sudo (add the user to the "
            f"docker group): {_said(docker)}",
        )
    )
    branch = await run(commands.current_branch(bot))
    if not branch.ok:
        checks.append(
            Check("checkout", False, f"{bot.folder} is not a git checkout: {_said(branch)}")
        )
        return checks
    on = branch.stdout.strip()
    checks.append(
        Check("checkout", on == bot.branch, f"{bot.folder} is on branch {on}")
        if on == bot.branch
        else Check(
            "checkout",
            False,
            f"{bot.folder} is on branch {on}, not {bot.branch}: switch it on the node",
        )
    )
    upstream = await run(commands.upstream_has_branch(bot))
    checks.append(
        Check("upstream", True, f"origin has branch {bot.branch}")
        if upstream.ok
        else Check(
            "upstream",
            False,
            f"origin does not offer branch {bot.branch} (or refused): {_said(upstream)}",
        )
    )
    compose = await run(commands.compose_config(bot))
    checks.append(
        Check("compose", True, f"compose services: {', '.join(compose.stdout.split())}")
        if compose.ok
        else Check("compose", False, f"no usable compose file in {bot.folder}: {_said(compose)}")
    )
    state = from_inspect(await run(commands.inspect_state(bot)))
    checks.append(Check("container", True, f"{bot.container} is {state.label}"))
    return checks
