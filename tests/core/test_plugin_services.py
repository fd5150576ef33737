"""First-party plugins declare their services (``spark_services``): every environment
name in use today still places them, and the config and services-overrides.yaml win."""

from __future__ import annotations

from pathlib import Path

import pytest

from spark_control.testing import make_config, running_gateway

NODES = {"spark-1": {"address": "127.0.0.1"}, "spark-2": {"address": "127.0.0.2"}}


async def _services(
    tmp_path: Path, environ: dict[str, str], data: dict[str, object] | None = None
) -> dict[str, tuple[str, int]]:
    config = make_config(
        tmp_path,
        {
            "ssh": {"user": "alice"},
            "nodes": NODES,
            "plugins": {"enabled": ["vllm", "speech", "embeddings"]},
            **(data or {}),
        },
        environ,
    )
    async with running_gateway(config) as gw:
        return {n: (s.node, s.port) for n, s in gw.host.topology.services.items()}


async def test_defaults_place_every_declared_service_on_the_first_node(tmp_path: Path) -> None:
    services = await _services(tmp_path, {})
    assert services == {
        "vllm": ("spark-1", 8888),
        "asr": ("spark-1", 9100),
        "diarizer": ("spark-1", 9200),
        "tts": ("spark-1", 8880),
        "embeddings": ("spark-1", services["embeddings"][1]),
    }


@pytest.mark.parametrize(
    ("environ", "service", "placed"),
    [
        ({"VLLM_PORT": "8123"}, "vllm", ("spark-1", 8123)),
        ({"SPARK_CONTROL__VLLM__PORT": "8124"}, "vllm", ("spark-1", 8124)),
        ({"SPARK_CONTROL__VLLM__HEAD_NODE": "spark-2"}, "vllm", ("spark-2", 8888)),
        ({"SPARK_CONTROL__SPEECH__NODE": "spark-2"}, "asr", ("spark-2", 9100)),
        ({"SPARK_CONTROL__SPEECH__ASR_PORT": "9101"}, "asr", ("spark-1", 9101)),
        ({"SPARK_CONTROL__SPEECH__DIARIZER_PORT": "9201"}, "diarizer", ("spark-1", 9201)),
        ({"SPARK_CONTROL__SPEECH__TTS_PORT": "8881"}, "tts", ("spark-1", 8881)),
        ({"SPARK_CONTROL__EMBEDDINGS__NODE": "spark-2"}, "embeddings", ("spark-2", None)),
        ({"SPARK_CONTROL__EMBEDDINGS__PORT": "9301"}, "embeddings", ("spark-1", 9301)),
        (
            {"SPARK_CONTROL__EMBEDDINGS__RERANK_PORT": "9302"},
            "embeddings-reranker",
            ("spark-1", 9302),
        ),
        (
            {
                "SPARK_CONTROL__SERVICES__ASR__NODE": "spark-2",
                "SPARK_CONTROL__SERVICES__ASR__PORT": "7000",
                "SPARK_CONTROL__SERVICES__ASR__KIND": "asr",
            },
            "asr",
            ("spark-2", 7000),
        ),
    ],
)
async def test_every_environment_name_in_use_places_the_service(
    tmp_path: Path, environ: dict[str, str], service: str, placed: tuple[str, int | None]
) -> None:
    node, port = (await _services(tmp_path, environ))[service]
    assert node == placed[0]
    if placed[1] is not None:
        assert port == placed[1]


async def test_config_and_overrides_file_win_over_a_plugins_defaults(tmp_path: Path) -> None:
    (tmp_path / "services-overrides.yaml").write_text(
        "services:\n  tts:\n    node: spark-2\n    port: 8990\n    kind: tts\n"
    )
    services = await _services(
        tmp_path,
        {"SERVICES_OVERRIDES": str(tmp_path / "services-overrides.yaml")},
        {"services": {"vllm": {"node": "spark-2", "port": 8555, "kind": "vllm"}}},
    )
    assert services["vllm"] == ("spark-2", 8555)
    assert services["tts"] == ("spark-2", 8990)
    assert services["asr"] == ("spark-1", 9100)
