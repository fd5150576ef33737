"""The schedule registry asks the vllm plugin whether overlapping jobs' models can be
resident at once (``host.co_resident``, answered by the placement planner over the
simulated nodes' own /proc/meminfo): jobs whose models fit together do not conflict,
ones that do not fit do; the coordination plugin never imports the vllm plugin."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from spark_control.sim import SimCluster
from spark_control.testing import make_config, running_gateway
from spark_control_coordination.schedule import NO_ROOM
from tests.vllm.conftest import sim_cluster
from tests.vllm.placement_example import CHAT, CODER, EMBED, LARGE, Model

#: The worked example's models (docs/VLLM.md) as catalog entries: memory_gb per node.
ENTRIES = [
    {
        "id": model.id,
        "display_name": model.id,
        "hf_repo": f"example/{model.id}",
        "memory_gb": model.need().per_node_mib / 1024,
        "tensor_parallel_size": model.nodes,
    }
    for model in (CHAT, CODER, EMBED, LARGE)
]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("coresidence-sim"), "127.0.1.60") as sim:
        for node in ("spark-1", "spark-2"):
            sim.set_memory(node, total_gb=128, base_gb=10)  # the worked example's nodes
        yield sim


def job(name: str, cron: str, model: Model, minutes: int) -> dict[str, Any]:
    return {
        "name": name,
        "owner": "Alice",
        "cron": cron,
        "model": model.id,
        "expected_duration_s": minutes * 60,
    }


async def test_jobs_whose_models_fit_together_do_not_conflict(
    tmp_path: Path, cluster: SimCluster
) -> None:
    overrides = tmp_path / "models.yaml"
    overrides.write_text(yaml.safe_dump({"models": ENTRIES}))
    config = make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["vllm", "coordination"]},
            "vllm": {"catalog_overrides": str(overrides)},
        },
    )
    async with running_gateway(config) as gw:
        three = [CHAT.id, CODER.id, EMBED.id]
        assert await gw.host.co_resident(three) is True
        assert await gw.host.co_resident([*three, LARGE.id]) is False
        assert await gw.host.co_resident([CHAT.id, "no-such-model"]) is None

        # Every hour: the chat job for 45 min, the coder's from :10, the embedder's
        # from :20; all three run at once and fit.
        for body in (
            job("chat-digest", "0 * * * *", CHAT, 45),
            job("code-review", "10 * * * *", CODER, 30),
            job("reindex", "20 * * * *", EMBED, 20),
        ):
            answer = await gw.client.post("/api/coordination/schedule", json=body)
            assert answer.status_code == 201, answer.text
        assert answer.json()["conflicts"] == []

        # The two-node model does not fit beside the chat model (it does beside the
        # others): only that pair conflicts, and says why.
        answer = await gw.client.post(
            "/api/coordination/schedule", json=job("nightly-eval", "30 * * * *", LARGE, 10)
        )
        listed = answer.json()
        assert [(c["jobs"], c["reason"]) for c in listed["conflicts"]] == [
            (["chat-digest", "nightly-eval"], NO_ROOM)
        ]
        by_name = {j["name"]: j for j in listed["jobs"]}
        assert by_name["code-review"]["conflicts_with"] == []
        assert by_name["nightly-eval"]["conflicts_with"] == ["chat-digest"]
