"""Alerts through the signed webhook outbox: a service going down and coming back, the
crash-loop guard engaging, a failed swap; each its own event type, sent only to the
receivers that subscribed to it, verified with the Standard Webhooks reference library,
and a flapping service held to one alert per quiet period."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from standardwebhooks import Webhook

from spark_control import hookimpl
from spark_control.api import Event
from spark_control.health import HealthState, Probe, ProbeResult
from spark_control.sim import SimCluster
from spark_control.testing import RunningGateway, running_gateway
from spark_control_coordination.alerts import QuietPeriod, alert_of
from spark_control_vllm.sim import set_vllm_failure
from tests.coordination.conftest import SECRET, Receiver, coordination_config, receiver
from tests.vllm.conftest import FIRST, SECOND, reset_switches, settled, sim_cluster

ALERTS = ["service_down", "service_up", "crash_loop_guard"]


class Switch:
    """A service whose health the test sets."""

    def __init__(self) -> None:
        self.state = HealthState.OK

    @hookimpl
    def spark_probes(self, register: Any) -> None:
        async def check() -> ProbeResult:
            detail = "connection refused" if self.state is HealthState.DOWN else "answers"
            return ProbeResult(self.state, detail)

        register(Probe("tts", check, service="tts", node="spark-2"))


def verified(rec: Receiver, path: str) -> list[dict[str, Any]]:
    """Every body at ``path``, each checked by the reference verifier (raises if not)."""
    hook = Webhook(SECRET)
    bodies = []
    for got in rec.at(path):
        payload = hook.verify(got.body, got.headers)
        assert payload == json.loads(got.body)
        bodies.append(payload)
    return bodies


async def wait_state(gw: RunningGateway, state: HealthState) -> None:
    async with asyncio.timeout(10):
        while gw.gateway.health.snapshot()["tts"].state is not state:
            await asyncio.sleep(0.02)


async def test_a_service_going_down_and_back_is_alerted_once_per_quiet_period(
    tmp_path: Path,
) -> None:
    switch = Switch()
    async with receiver() as rec:
        hooks = {
            "webhooks": [
                {"url": rec.url + "/alerts", "secrets": [SECRET], "events": ALERTS},
                {"url": rec.url + "/swaps", "secrets": [SECRET], "events": ["swap_failed"]},
                {"url": rec.url + "/default", "secrets": [SECRET]},
            ],
            "alert_quiet_s": 3.0,
        }
        config = coordination_config(tmp_path, vllm=False, **hooks)
        async with running_gateway(config, extra_plugins={"speech": switch}) as gw:
            await wait_state(gw, HealthState.OK)
            switch.state = HealthState.DOWN
            await wait_state(gw, HealthState.DOWN)
            (down,) = await rec.wait_for("/alerts", 1)
            first = verified(rec, "/alerts")[0]
            assert first["type"] == "service_down"
            data = first["data"]
            assert (data["probe"], data["node"], data["state"]) == ("tts", "spark-2", "down")
            assert data["message"].startswith("tts on spark-2 is down since ")
            assert data["message"].endswith(" UTC: connection refused")
            assert data["suppressed"] == 0

            # Flapping inside the quiet period: up, down, up. Held, then one alert.
            for state in (HealthState.OK, HealthState.DOWN, HealthState.OK):
                switch.state = state
                await wait_state(gw, state)
            assert len(rec.at("/alerts")) == 1
            await rec.wait_for("/alerts", 2, timeout=10)
            second = verified(rec, "/alerts")[1]
            assert second["type"] == "service_up"
            assert second["data"]["suppressed"] == 3
            assert second["data"]["state"] == "ok"
            assert rec.at("/alerts")[1].at - down.at >= 2.9
            await asyncio.sleep(3.5)
            assert len(rec.at("/alerts")) == 2, "nothing new to say after the last period"

        # Receivers that did not subscribe heard nothing of it.
        assert rec.at("/swaps") == [] and rec.at("/default") == []


def test_only_transitions_into_and_out_of_down_are_alerts() -> None:
    def change(previous: str, state: str) -> Event:
        data = {"probe": "asr", "state": state, "previous": previous, "time": 1.0}
        return Event("1-1", "health.changed", "core", 1.0, data)

    kinds = {
        (p, s): (alert_of(change(p, s)) or ("none",))[0]
        for p, s in [
            ("unknown", "down"),
            ("ok", "down"),
            ("down", "ok"),
            ("down", "degraded"),
            ("unknown", "ok"),
            ("ok", "degraded"),
        ]
    }
    assert kinds == {
        ("unknown", "down"): "service_down",
        ("ok", "down"): "service_down",
        ("down", "ok"): "service_up",
        ("down", "degraded"): "service_up",
        ("unknown", "ok"): "none",
        ("ok", "degraded"): "none",
    }


def test_a_held_alert_that_says_nothing_new_is_dropped() -> None:
    quiet = QuietPeriod(10)
    down = ("service_down", "health:a", {}, 0.0)
    up = ("service_up", "health:a", {}, 0.0)
    assert quiet.offer(down, 0) == down
    assert quiet.offer(up, 1) is None
    assert quiet.offer(down, 2) is None
    assert quiet.next_due() == 10
    assert quiet.due(9) == []
    assert quiet.due(10) == []  # down, and down was said: nothing new
    assert quiet.offer(up, 11) == up  # the period is over: at once


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimCluster]:
    with sim_cluster(tmp_path_factory.mktemp("coordination-alerts-sim"), "127.0.1.50") as sim:
        yield sim


@pytest.mark.slow
async def test_the_crash_loop_guard_and_a_failed_swap_are_alerted(
    tmp_path: Path, cluster: SimCluster
) -> None:
    reset_switches(cluster)
    async with receiver() as rec:
        hooks = {
            "webhooks": [
                {
                    "url": rec.url + "/alerts",
                    "secrets": [SECRET],
                    "events": ["crash_loop_guard", "swap_failed"],
                }
            ]
        }
        config = coordination_config(tmp_path, cluster, **hooks)
        config.plugin_sections["vllm"]["crash_loop_failures"] = 1
        async with running_gateway(config) as gw:
            assert (await gw.client.post("/api/swap", json={"model": FIRST})).status_code == 202
            await settled(gw)
            set_vllm_failure(cluster, "spark-1", "oom", times=1)
            assert (await gw.client.post("/api/swap", json={"model": SECOND})).status_code == 202
            await settled(gw)
            await rec.wait_for("/alerts", 2)
            got = {b["type"]: b["data"] for b in verified(rec, "/alerts")}
            assert set(got) == {"crash_loop_guard", "swap_failed"}
            assert got["swap_failed"]["model"] == SECOND
            guard = got["crash_loop_guard"]
            assert guard["engaged"] is True and guard["failures"] == 1
            assert guard["message"].startswith("vLLM's crash-loop guard engaged: 1 failed start")
            await gw.client.post("/api/vllm/stop")
    reset_switches(cluster)
