"""The matrix_bridge plugin's settings (config section ``matrix_bridge``).

Any number of bots live under ``bots`` (a mapping, so each bot has a name and every
field can be set from the environment: ``SPARK_CONTROL__MATRIX_BRIDGE__BOTS__<BOT>__USER``).
A bot leaves out what it shares with the section's defaults (node, user, container,
folder, branch), which the original system's environment names also set. With no
``bots`` at all there is one bot, ``matrix-bridge``, made of the defaults; a bot whose
user ends up blank is hidden (no tile, no routes), as ``MATRIX_BRIDGE_USER`` blank did.

Every value that reaches a node's shell is checked here with the core's validators, so
a bad config names its key at start-up instead of failing an action later.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from spark_control.api import EnvAlias, InvalidValue, PluginSettings
from spark_control.api import validators as v

DEFAULT_BOT = "matrix-bridge"
DEFAULT_CONTAINER = "matrix-bridge-bot"
DEFAULT_FOLDER = "matrix-bridge-bot"
DEFAULT_BRANCH = "main"
DEFAULT_NODE = "spark-1"
DEFAULT_TIME_CAP_S = 25 * 60.0
# Words that are literal path segments of the plugin's routes: a bot with one of these
# names would be shadowed by them (a literal segment beats a parameter).
RESERVED_NAMES = frozenset({"bots", "update", "logs"})
BOT_NAME = r"^[a-z0-9][a-z0-9_-]{0,62}$"


def check_folder(raw: str, field: str) -> str:
    """A repo folder: absolute, or relative to the user's home (``~/`` allowed).

    Returns it in the form the builder takes: absolute, or relative without ``~/``.
    """
    text = raw.removeprefix("~/")
    if text.startswith("/"):
        return v.validate_absolute_path(text, field)
    return v.validate_relative_path(text, field)


def _checked(validator: Callable[[str, str], object], field: str) -> Callable[[str], str]:
    """A pydantic after-validator running one of the core's validators."""

    def check(raw: str) -> str:
        if field == "user" and raw == "":
            return raw  # a blank user is allowed: it hides the bot
        try:
            return str(validator(raw, field))
        except InvalidValue as exc:
            # pydantic names the key path; the reason says what is wrong with the value.
            raise ValueError(exc.reason) from None

    return check


User = Annotated[str, AfterValidator(_checked(v.validate_unix_user, "user"))]
Container = Annotated[str, AfterValidator(_checked(v.validate_container_name, "container"))]
Folder = Annotated[str, AfterValidator(_checked(check_folder, "folder"))]
Branch = Annotated[str, AfterValidator(_checked(v.validate_git_branch, "branch"))]


class BotSettings(PluginSettings):
    """One bot; a field left out takes the section's default."""

    title: str | None = Field(None, max_length=80, description="Tile title (default: the name).")
    node: str | None = Field(None, description="Node the bot's container runs on.")
    user: User | None = Field(
        None, description="Unix user owning the checkout and running docker; blank hides it."
    )
    container: Container | None = Field(None, description="The bot's container name.")
    folder: Folder | None = Field(
        None, description="The git checkout with the compose file (absolute, or under ~)."
    )
    branch: Branch | None = Field(None, description="Branch Update fast-forwards to.")
    key_path: Path | None = Field(
        None, description="SSH key for the bot's user (default: the node's key)."
    )


class MatrixBridgeSettings(PluginSettings):
    node: str = Field(DEFAULT_NODE, description="Default node of a bot.")
    user: Annotated[User, EnvAlias("MATRIX_BRIDGE_USER")] = Field(
        "", description="Default bot user; blank hides a bot that names none."
    )
    container: Annotated[Container, EnvAlias("MATRIX_BRIDGE_CONTAINER")] = Field(
        DEFAULT_CONTAINER, description="Default container name."
    )
    folder: Annotated[Folder, EnvAlias("MATRIX_BRIDGE_DIR")] = Field(
        DEFAULT_FOLDER, description="Default checkout folder (absolute, or under the home)."
    )
    branch: Annotated[Branch, EnvAlias("MATRIX_BRIDGE_BRANCH")] = Field(
        DEFAULT_BRANCH, description="Default branch."
    )
    bots: dict[Annotated[str, Field(pattern=BOT_NAME)], BotSettings] = Field(
        default_factory=dict,
        description="The bots by name, in tile order (none: one bot from the defaults).",
    )
    update_time_cap_s: float = Field(
        DEFAULT_TIME_CAP_S, gt=0, description="Hard cap on one Update (fetch, build, restart)."
    )
    action_timeout_s: float = Field(
        120.0, gt=0, description="Time allowed for restart, stop, start and status commands."
    )
    log_lines: int = Field(200, ge=1, le=10_000, description="Lines View logs shows.")
    follow_time_cap_s: float = Field(
        1800.0, gt=0, description="How long one followed log stream may stay open."
    )
    status_interval_s: float = Field(
        15.0, gt=0, description="How often each bot's container state is read."
    )

    @model_validator(mode="after")
    def _names(self) -> MatrixBridgeSettings:
        for name in self.bots:
            if name in RESERVED_NAMES:
                raise ValueError(
                    f"bot name {name!r} is a word of the plugin's paths; choose another"
                )
        return self
