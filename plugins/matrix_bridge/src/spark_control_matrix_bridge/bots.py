"""The configured bots, resolved against the topology: who runs what, where.

A :class:`Bot` is one chat bot's container on one node, managed as the bot's own Unix
user. Its SSH target is the node with that user (and the bot's key, if it has its own),
so the executor pools a separate connection per (node, user), and nothing runs as the
gateway's usual node user or with sudo.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from spark_control.api import ConfigError, Node, Topology, Value, arg
from spark_control_matrix_bridge.settings import DEFAULT_BOT, BotSettings, MatrixBridgeSettings


@dataclass(frozen=True)
class Bot:
    """One bot, every value already checked by the core's validators."""

    name: str
    title: str
    node: str
    user: str
    container: str
    folder: str
    branch: str
    key_path: Path | None = None

    def target(self, topology: Topology) -> Node:
        """The node as the bot's user sees it over SSH."""
        node = topology.node(self.node)
        return replace(node, user=self.user, key_path=self.key_path or node.key_path)

    def folder_arg(self) -> Value:
        """The checkout folder as a builder word (relative ones are under the home)."""
        if self.folder.startswith("/"):
            return arg.path(self.folder, "folder")
        return arg.relative_path(self.folder, "folder")

    def public(self) -> dict[str, str]:
        return {
            "name": self.name,
            "title": self.title,
            "node": self.node,
            "user": self.user,
            "container": self.container,
            "folder": self.folder,
            "branch": self.branch,
        }


@dataclass(frozen=True)
class Roster:
    """The visible bots in tile order, and the names of those hidden by a blank user."""

    bots: tuple[Bot, ...]
    hidden: tuple[str, ...]

    def get(self, name: str) -> Bot | None:
        return next((b for b in self.bots if b.name == name), None)

    @property
    def first(self) -> Bot | None:
        return self.bots[0] if self.bots else None


def resolve_bots(settings: MatrixBridgeSettings, topology: Topology) -> Roster:
    """Fill each bot's gaps from the section's defaults; refuse unknown nodes."""
    configured: dict[str, BotSettings | None] = dict(settings.bots) or {DEFAULT_BOT: None}
    bots: list[Bot] = []
    hidden: list[str] = []
    for name, entry in configured.items():
        user = entry.user if entry and entry.user is not None else settings.user
        if not user:
            hidden.append(name)
            continue
        node = (entry.node if entry else None) or settings.node
        key = f"matrix_bridge.bots.{name}.node" if entry and entry.node else "matrix_bridge.node"
        if node not in topology.nodes:
            known = ", ".join(topology.nodes) or "none"
            raise ConfigError(f"{key}: unknown node {node!r} (known: {known})")
        bots.append(
            Bot(
                name=name,
                title=(entry.title if entry else None) or _title(name),
                node=node,
                user=user,
                container=(entry.container if entry else None) or settings.container,
                folder=(entry.folder if entry else None) or settings.folder,
                branch=(entry.branch if entry else None) or settings.branch,
                key_path=entry.key_path if entry else None,
            )
        )
    return Roster(tuple(bots), tuple(hidden))


def _title(name: str) -> str:
    words = name.replace("_", " ").replace("-", " ").split()
    return " ".join(w.capitalize() for w in words) + (" bot" if "bot" not in words else "")
