"""Bots from config and environment: defaults, the original system's names, and bad
values refused at start-up with the key named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from spark_control.sim import SimCluster
from spark_control.testing import make_config, running_gateway
from spark_control.topology import Node, Topology
from spark_control_matrix_bridge.bots import resolve_bots
from spark_control_matrix_bridge.settings import MatrixBridgeSettings


async def plugin_state(
    tmp_path: Path, cluster: SimCluster, section: Any, environ: dict[str, str] | None = None
) -> dict[str, Any]:
    config = make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["matrix_bridge"]},
            "matrix_bridge": section,
        },
        environ=environ,
    )
    async with running_gateway(config) as gw:
        plugins = (await gw.client.get("/api/plugins")).json()
        bots = await gw.client.get("/api/matrix-bridge/bots")
    info = next(p for p in plugins if p["name"] == "matrix_bridge")
    return {"info": info, "bots": bots.json() if bots.status_code == 200 else None}


async def test_the_original_environment_names_set_the_default_bot(
    tmp_path: Path, cluster: SimCluster
) -> None:
    state = await plugin_state(
        tmp_path,
        cluster,
        {},
        environ={
            "MATRIX_BRIDGE_USER": "alice",
            "MATRIX_BRIDGE_CONTAINER": "relay-bot",
            "MATRIX_BRIDGE_BRANCH": "stable",
            "MATRIX_BRIDGE_DIR": "~/bots/relay",
        },
    )
    (bot,) = state["bots"]["bots"]
    assert bot["name"] == "matrix-bridge" and bot["title"] == "Matrix Bridge bot"
    assert (bot["user"], bot["container"], bot["branch"], bot["folder"]) == (
        "alice",
        "relay-bot",
        "stable",
        "bots/relay",
    )


async def test_a_bot_field_set_through_the_generated_environment_name(
    tmp_path: Path, cluster: SimCluster
) -> None:
    state = await plugin_state(
        tmp_path,
        cluster,
        {"user": "alice", "bots": {"relay": {}}},
        environ={
            "SPARK_CONTROL__MATRIX_BRIDGE__BOTS__RELAY__BRANCH": "next",
            "MATRIX_BRIDGE_USER": " ",
        },  # blank means the default, not "hide"
    )
    (bot,) = state["bots"]["bots"]
    assert (bot["name"], bot["user"], bot["branch"]) == ("relay", "alice", "next")


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ({"user": "alice", "branch": "main;reboot"}, "matrix_bridge.branch"),
        (
            {"bots": {"relay": {"user": "alice", "container": "a b"}}},
            "matrix_bridge.bots.relay.container",
        ),
        (
            {"bots": {"relay": {"user": "alice", "folder": "$HOME/x"}}},
            "matrix_bridge.bots.relay.folder",
        ),
        ({"bots": {"relay": {"user": "Alice!"}}}, "matrix_bridge.bots.relay.user"),
        (
            {"bots": {"relay": {"user": "alice", "node": "spark-9"}}},
            "matrix_bridge.bots.relay.node",
        ),
        ({"bots": {"logs": {"user": "alice"}}}, "matrix_bridge"),
    ],
)
async def test_bad_settings_fail_the_plugin_naming_the_key(
    tmp_path: Path, cluster: SimCluster, section: dict[str, Any], key: str
) -> None:
    state = await plugin_state(tmp_path, cluster, section)
    assert state["info"]["status"] == "failed", state
    assert key in state["info"]["reason"], state["info"]["reason"]
    assert state["bots"] is None


def test_bots_inherit_the_section_defaults_in_their_order() -> None:

    topology = Topology(
        nodes={
            name: Node(name, "127.0.5.1", "alice", Path("/k")) for name in ("spark-1", "spark-2")
        }
    )
    settings = MatrixBridgeSettings.model_validate(
        {
            "user": "alice",
            "branch": "stable",
            "bots": {
                "zeta": {"node": "spark-2", "title": "Zeta"},
                "alpha": {"user": "bob"},
                "off": {"user": ""},
            },
        }
    )
    roster = resolve_bots(settings, topology)
    assert [b.name for b in roster.bots] == ["zeta", "alpha"]
    assert roster.hidden == ("off",)
    zeta, alpha = roster.bots
    assert (zeta.node, zeta.user, zeta.branch, zeta.title) == ("spark-2", "alice", "stable", "Zeta")
    assert (alpha.node, alpha.user, alpha.title) == ("spark-1", "bob", "Alpha bot")
    # The SSH target is the node as the bot's user: the pool keeps one per (node, user).
    assert alpha.target(topology).user == "bob"
    assert alpha.target(topology).address == "127.0.5.1"
