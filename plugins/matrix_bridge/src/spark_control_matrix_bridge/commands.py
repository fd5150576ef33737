"""Every remote command the plugin runs, built by the core's one command builder.

Values from config or requests (container, folder, branch) come in as validated words
(``arg.*``); everything else is a constant written here. Update steps end with an
``echo`` of a per-run marker after ``&&``, because a streamed command's output is all
the executor gives back: the marker appearing means every command before it succeeded.
"""

from __future__ import annotations

from spark_control.api import STDOUT, RemoteCommand, Script, arg, const
from spark_control_matrix_bridge.bots import Bot

# The state docker reports, one JSON object on one line.
STATE_FORMAT = const("{{json .State}}")
STEP_OK = "spark-control-step-ok"


def inspect_state(bot: Bot) -> Script:
    return RemoteCommand(
        "docker", "inspect", "--format", STATE_FORMAT, arg.container(bot.container)
    )


def container_action(bot: Bot, verb: str) -> Script:
    """``docker restart|stop|start <container>``."""
    if verb not in ("restart", "stop", "start"):
        raise ValueError(f"unknown container action {verb!r}")
    return RemoteCommand("docker", verb, arg.container(bot.container))


def logs(bot: Bot, lines: int, *, follow: bool = False) -> Script:
    tail = ["--tail", str(int(lines))]
    words = [*tail, "--follow"] if follow else tail
    # docker replays the container's stderr on its own stderr: merge them, in order.
    command = RemoteCommand("docker", "logs", *words, arg.container(bot.container))
    return command.redirect(stderr=STDOUT)


def current_branch(bot: Bot) -> Script:
    """The checkout's branch (``HEAD`` when detached); fails if it is no git checkout."""
    return RemoteCommand("git", "rev-parse", "--abbrev-ref", "HEAD").in_dir(bot.folder_arg())


def head_commit(bot: Bot) -> Script:
    return RemoteCommand("git", "rev-parse", "HEAD").in_dir(bot.folder_arg())


def _marked(script: Script, marker: str) -> Script:
    return script.and_then(RemoteCommand("echo", f"{STEP_OK}:{marker}"))


def fetch_step(bot: Bot, marker: str) -> Script:
    """Fetch the branch and fast-forward the checkout to it (never a merge commit)."""
    branch = arg.branch(bot.branch)
    fetch = RemoteCommand("git", "fetch", "--progress", "origin", branch)
    forward = RemoteCommand("git", "merge", "--ff-only", "FETCH_HEAD")
    return _marked(fetch.and_then(forward).in_dir(bot.folder_arg()), marker)


def build_step(bot: Bot, marker: str) -> Script:
    build = RemoteCommand("docker", "compose", "build")
    return _marked(build.in_dir(bot.folder_arg()), marker)


def restart_step(bot: Bot, marker: str) -> Script:
    """Recreate the container from the fresh image (compose does what changed)."""
    up = RemoteCommand("docker", "compose", "up", "--detach", "--remove-orphans")
    return _marked(up.in_dir(bot.folder_arg()), marker)


def upstream_has_branch(bot: Bot) -> Script:
    branch = arg.branch(bot.branch)
    return RemoteCommand("git", "ls-remote", "--exit-code", "--heads", "origin", branch).in_dir(
        bot.folder_arg()
    )


def compose_config(bot: Bot) -> Script:
    return RemoteCommand("docker", "compose", "config", "--services").in_dir(bot.folder_arg())
