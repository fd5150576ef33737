"""The swap lock in front of real swaps on the simulated cluster: 423 without the
token, the holder swaps with it, the lease survives a restart, and with coordination
required but broken every swap answers 503."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spark_control.sim import SimCluster
from spark_control.testing import make_config, running_gateway
from tests.coordination.conftest import acquire, coordination_gateway
from tests.vllm.conftest import FIRST, SECOND, reset_switches, settled, sim_cluster

TOKEN = "X-Swap-Lock-Token"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("coordination-gate-sim"), "127.0.1.20") as sim:
        reset_switches(sim)
        yield sim


@pytest.mark.slow
async def test_while_held_a_swap_needs_the_token_and_the_holder_swaps_with_it(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with coordination_gateway(tmp_path, cluster) as gw:
        granted = await acquire(gw, "nightly-transcripts", ttl_s=300)

        refused = await gw.client.post("/api/swap", json={"model": FIRST})
        assert refused.status_code == 423
        error = refused.json()["error"]
        assert "held by nightly-transcripts" in error["message"]
        assert error["detail"]["holder"] == "nightly-transcripts"
        assert error["detail"]["expires_at"] == pytest.approx(granted["expires_at"], abs=1)
        assert 290 <= int(refused.headers["retry-after"]) <= 300
        assert (await gw.client.post("/api/vllm/stop")).status_code == 423

        wrong = await gw.client.post("/api/swap", json={"model": FIRST}, headers={TOKEN: "x"})
        assert wrong.status_code == 423
        assert (await gw.client.get("/api/swap")).json()["state"] != "swapping"

        started = await gw.client.post(
            "/api/swap", json={"model": FIRST}, headers={TOKEN: granted["token"]}
        )
        assert started.status_code == 202, started.text
        assert (await settled(gw))["model"] == FIRST

        await gw.client.delete("/api/swap/lock", headers={TOKEN: granted["token"]})
        # Released: anyone may swap again; the old token no longer acts.
        stale = await gw.client.post(
            "/api/swap", json={"model": SECOND}, headers={TOKEN: granted["token"]}
        )
        assert stale.status_code == 409
        assert "ended" in stale.json()["error"]["message"]
        assert (await gw.client.post("/api/vllm/stop")).status_code == 200


async def test_the_lease_survives_a_gateway_restart(tmp_path: Path, cluster: SimCluster) -> None:
    async with coordination_gateway(tmp_path, cluster) as gw:
        granted = await acquire(gw, "Alice", ttl_s=600)
    async with coordination_gateway(tmp_path, cluster) as gw:
        shown = (await gw.client.get("/api/swap/lock")).json()
        assert shown["holder"] == "Alice"
        assert shown["fencing"] == granted["fencing"]
        assert 590 < shown["expires_in_s"] <= 600
        refused = await gw.client.get("/api/gates/vllm.swap")
        assert refused.json()["refusal"]["status"] == 423
        allowed = await gw.client.get("/api/gates/vllm.swap", headers={TOKEN: granted["token"]})
        assert allowed.json()["allowed"] is True
        released = await gw.client.delete("/api/swap/lock", headers={TOKEN: granted["token"]})
        assert released.json()["released"] is True


async def test_with_coordination_required_and_failed_a_swap_answers_503(
    tmp_path: Path, cluster: SimCluster
) -> None:
    config = make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["vllm", "coordination"], "required": ["coordination"]},
            # A whsec_ secret whose key is too short: the plugin's settings do not validate.
            "coordination": {
                "webhook_url": "http://127.0.1.202/hook",
                "webhook_secret": "whsec_dGlueQ==",
            },
        },
    )
    async with running_gateway(config) as gw:
        plugins = {p["name"]: p for p in (await gw.client.get("/api/plugins")).json()}
        assert plugins["coordination"]["status"] == "failed"
        assert "webhook_secret" in plugins["coordination"]["reason"]
        assert "dGlueQ" not in plugins["coordination"]["reason"]

        response = await gw.client.post("/api/swap", json={"model": FIRST})
        assert response.status_code == 503
        assert "required plugin 'coordination'" in response.json()["error"]["message"]
        assert (await gw.client.get("/api/swap")).json()["state"] != "swapping"


async def test_the_schedule_checks_models_against_the_vllm_catalog(
    tmp_path: Path, cluster: SimCluster
) -> None:
    async with coordination_gateway(tmp_path, cluster) as gw:
        job = {"name": "digest", "owner": "Bob", "cron": "@daily", "model": FIRST}
        assert (await gw.client.post("/api/schedule", json=job)).status_code == 201
        unknown = await gw.client.post("/api/schedule", json={**job, "model": "made-up"})
        assert unknown.status_code == 422
        assert FIRST in unknown.json()["error"]["message"]


async def _slot_state(gw: Any, name: str, want: str, timeout: float = 120) -> dict[str, Any]:
    """``GET /api/vllm/slots``'s row of slot ``name`` once its state is ``want``."""
    async with asyncio.timeout(timeout):
        while True:
            slots = (await gw.client.get("/api/vllm/slots")).json()["slots"]
            row: dict[str, Any] = next(s for s in slots if s["name"] == name)
            if row["state"] == want:
                return row
            await asyncio.sleep(0.2)


@pytest.mark.slow
async def test_a_lease_on_one_model_slot_holds_back_that_slot_only(
    tmp_path: Path, cluster: SimCluster
) -> None:
    """Real swaps of two slots on one node: Bob's lease on ``coder`` refuses a swap of
    ``coder`` without his token (423, naming the slot), lets his own through, and never
    holds back the default slot."""
    config = make_config(
        tmp_path,
        {
            "nodes": cluster.topology_config(),
            "plugins": {"enabled": ["vllm", "coordination"]},
            "vllm": {
                "worker_nodes": [],
                "load_deadline_s": 60,
                "slots": [
                    {
                        "name": "coder",
                        "container": "vllm_coder",
                        "port": 8890,
                        "head_node": "spark-1",
                    },
                ],
            },
        },
    )
    async with running_gateway(config) as gw:
        bob = await acquire(gw, "Bob", ttl_s=300, slot="coder")
        try:
            coder_swap = "/api/vllm/slots/coder/swap"
            refused = await gw.client.post(coder_swap, json={"model": SECOND})
            assert refused.status_code == 423, refused.text
            error = refused.json()["error"]
            assert "the swap lock of slot 'coder' is held by Bob" in error["message"]
            assert error["detail"]["slot"] == "coder"
            # The default slot is nobody's: anyone swaps it, without a token.
            assert (
                await gw.client.post("/api/vllm/swap", json={"model": FIRST})
            ).status_code == 202
            assert (await settled(gw))["model"] == FIRST
            mine = await gw.client.post(
                coder_swap, json={"model": SECOND}, headers={TOKEN: bob["token"]}
            )
            assert mine.status_code == 202, mine.text
            assert (await _slot_state(gw, "coder", "ready"))["model"] == SECOND
            # Stopping the coder slot is gated the same way; the default slot's is not.
            stop = await gw.client.post("/api/vllm/slots/coder/stop")
            assert stop.status_code == 423
        finally:
            for path in ("/api/vllm/slots/coder/stop", "/api/vllm/stop"):
                await gw.client.post(path, headers={TOKEN: bob["token"]})
