"""StartOS placement: where speech, embeddings (with its Qdrant) and the chat bot run.

Blank placement means the second node when two or more are configured, else the first;
a store from before placement existed keeps what it had (everything on spark-1, no new
names); the package's names reach the Python settings, and a gateway built from that
environment puts each service on the node meant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from spark_control.settings import load_config
from spark_control.testing import running_gateway
from tests.startos.envcheck import FULL_STORE, package_env, placement_problem

PLACED = (
    "SPARK_CONTROL__SPEECH__NODE",
    "SPARK_CONTROL__EMBEDDINGS__NODE",
    "SPARK_CONTROL__MATRIX_BRIDGE__NODE",
)
ONE_NODE = {
    "nodes": [{"address": "192.0.2.11", "user": "alice", "port": 22}],
    "placement": {},
}


def _placed(store: dict[str, Any], **placement: Any) -> dict[str, Any]:
    return {**store, "placement": {**store.get("placement", {}), **placement}}


def test_blank_placement_is_the_second_node_when_two_are_configured(env_tool: Path) -> None:
    two = package_env(env_tool, FULL_STORE)
    assert [two[n] for n in PLACED] == ["spark-2"] * 3
    one = package_env(env_tool, ONE_NODE)
    assert [one[n] for n in PLACED] == ["spark-1"] * 3
    assert [package_env(env_tool, {"placement": {}})[n] for n in PLACED] == ["spark-1"] * 3


def test_a_store_from_before_placement_moves_nothing(env_tool: Path) -> None:
    before = {k: v for k, v in FULL_STORE.items() if k != "placement"}
    env = package_env(env_tool, before)
    assert not [n for n in env if n.startswith(("SPARK_CONTROL__SPEECH", "SPARK_CONTROL__EMB"))]
    assert "SPARK_CONTROL__MATRIX_BRIDGE__NODE" not in env


def test_chosen_nodes_ports_and_qdrant_url_reach_their_names(env_tool: Path) -> None:
    store = _placed(FULL_STORE, speechNode="spark-1", chatBotNode="spark-1")
    env = package_env(env_tool, store)
    assert env["SPARK_CONTROL__SPEECH__NODE"] == "spark-1"
    assert env["SPARK_CONTROL__EMBEDDINGS__NODE"] == "spark-2"
    assert env["SPARK_CONTROL__MATRIX_BRIDGE__NODE"] == "spark-1"
    assert env["SPARK_CONTROL__SPEECH__ASR_PORT"] == "9101"
    assert env["SPARK_CONTROL__SPEECH__DIARIZER_PORT"] == "9201"
    assert env["SPARK_CONTROL__SPEECH__TTS_PORT"] == "8881"
    assert env["SPARK_CONTROL__EMBEDDINGS__PORT"] == "8090"
    assert env["SPARK_CONTROL__EMBEDDINGS__QDRANT_URL"] == "http://192.0.2.12:6333"
    blank = package_env(env_tool, ONE_NODE)
    assert blank["SPARK_CONTROL__SPEECH__ASR_PORT"] == blank["SPARK_CONTROL__EMBEDDINGS__PORT"]
    assert (
        blank["SPARK_CONTROL__EMBEDDINGS__QDRANT_URL"]
        == ""
        == blank["SPARK_CONTROL__SPEECH__TTS_PORT"]
    )


def test_a_placement_on_a_node_that_is_not_listed_is_refused(env_tool: Path) -> None:
    assert placement_problem(env_tool, FULL_STORE) is None
    assert placement_problem(env_tool, _placed(FULL_STORE, embeddingsNode="spark-2")) is None
    problem = placement_problem(env_tool, _placed(ONE_NODE, speechNode="spark-2"))
    assert problem == "Speech node: spark-2 is not one of your 1 GPU node(s)"
    assert placement_problem(env_tool, _placed(FULL_STORE, chatBotNode="spark-0")) is not None


@pytest.mark.filterwarnings("ignore:Failed to obtain server version:UserWarning")
async def test_a_gateway_from_the_package_env_runs_each_service_where_placed(
    env_tool: Path, tmp_path: Path
) -> None:
    # Loopback only: the gateway's probes and the Qdrant client reach for these.
    store = {
        **FULL_STORE,
        "nodes": [
            {"address": "127.0.8.1", "user": "alice", "port": 22},
            {"address": "127.0.8.2", "user": "bob", "port": 22},
        ],
    }
    store = _placed(store, qdrantUrl="http://127.0.8.2:6333")
    env = package_env(env_tool, store)
    env["SPARK_CONTROL__GATEWAY__DATA_DIR"] = str(tmp_path / "data")
    config = load_config(None, env)
    async with running_gateway(config) as gw:
        services: dict[str, Any] = gw.host.topology.services
        placed = {name: (s.node, s.port) for name, s in services.items()}
        bots = gw.plugin("matrix_bridge").roster.bots
        qdrant = gw.plugin("embeddings").settings.qdrant_url
    assert placed["vllm"] == ("spark-1", 8000)
    assert placed["asr"] == ("spark-2", 9101)
    assert placed["diarizer"] == ("spark-2", 9201)
    assert placed["tts"] == ("spark-2", 8881)
    assert placed["embeddings"] == ("spark-2", 8090)
    assert [b.node for b in bots] == ["spark-2"]
    assert qdrant == "http://127.0.8.2:6333"
