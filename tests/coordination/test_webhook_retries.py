"""Retries of webhook deliveries: same webhook-id on every attempt, a persisted outbox
that a restart does not lose, bounded attempts, only 2xx counts, redirects not followed.
Driven with the "send test event" action, so no swap is needed."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from spark_control.testing import RunningGateway, running_gateway
from tests.coordination.conftest import (
    ODD_LOCATIONS,
    SECRET,
    coordination_config,
    coordination_gateway,
    receiver,
    verify_standard,
)


def settings_for(url: str, **extra: Any) -> dict[str, Any]:
    return {"webhooks": [{"url": url, "secrets": [SECRET]}], **extra}


async def send_test(gw: RunningGateway) -> str:
    response = await gw.client.post("/api/webhooks/test", headers={"X-Actor": "Alice"})
    assert response.status_code == 202, response.text
    (delivery_id,) = response.json()["deliveries"]
    assert isinstance(delivery_id, str)
    return delivery_id


async def delivery(gw: RunningGateway, delivery_id: str) -> dict[str, Any]:
    log = (await gw.client.get("/api/webhooks/deliveries")).json()["deliveries"]
    found: dict[str, Any] = next(d for d in log if d["id"] == delivery_id)
    return found


async def until_state(
    gw: RunningGateway, delivery_id: str, state: str, timeout: float = 20
) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while (found := await delivery(gw, delivery_id))["state"] != state:
            await asyncio.sleep(0.05)
    return found


async def test_a_receiver_failing_twice_gets_three_attempts_with_one_webhook_id(
    tmp_path: Path,
) -> None:
    async with receiver() as rec:
        settings = settings_for(rec.url + "/flaky/2", webhook_backoff_s=0.2)
        async with coordination_gateway(tmp_path, vllm=False, **settings) as gw:
            delivery_id = await send_test(gw)
            done = await until_state(gw, delivery_id, "delivered")
        got = rec.at("/flaky/2")
        assert len(got) == 3
        assert {r.headers["webhook-id"] for r in got} == {delivery_id}
        assert all(verify_standard(SECRET, r.headers, r.body) for r in got)
        assert len({r.body for r in got}) == 1
        assert json.loads(got[0].body)["type"] == "test"
        assert done["attempts"] == 3
        assert [a["status"] for a in done["attempt_log"]] == [500, 500, 204]
        assert done["attempt_log"][0]["error"] == "answered 500: not yet"
        # Backoff: each retry waited at least half its base (jitter takes off up to half).
        starts = [a["started_at"] for a in done["attempt_log"]]
        assert starts[1] - starts[0] >= 0.1
        assert starts[2] - starts[1] >= 0.2


async def test_a_restart_between_attempts_loses_nothing(tmp_path: Path) -> None:
    async with receiver() as rec:
        # A long first backoff: the gateway is stopped before the second attempt.
        settings = settings_for(rec.url + "/flaky/2", webhook_backoff_s=1.5)
        async with coordination_gateway(tmp_path, vllm=False, **settings) as gw:
            delivery_id = await send_test(gw)
            await rec.wait_for("/flaky/2", 1)
            async with asyncio.timeout(10):
                while (await delivery(gw, delivery_id))["attempt_log"][0]["finished_at"] is None:
                    await asyncio.sleep(0.05)
        assert len(rec.at("/flaky/2")) == 1
        async with coordination_gateway(tmp_path, vllm=False, **settings) as gw:
            done = await until_state(gw, delivery_id, "delivered")
        got = rec.at("/flaky/2")
        assert len(got) == 3
        assert {r.headers["webhook-id"] for r in got} == {delivery_id}
        assert done["attempts"] == 3


async def test_attempts_are_bounded_and_the_delivery_ends_failed(tmp_path: Path) -> None:
    async with receiver() as rec:
        settings = settings_for(
            rec.url + "/flaky/100", webhook_backoff_s=0.05, webhook_max_attempts=3
        )
        async with coordination_gateway(tmp_path, vllm=False, **settings) as gw:
            delivery_id = await send_test(gw)
            failed = await until_state(gw, delivery_id, "failed")
            await asyncio.sleep(0.5)
            assert len(rec.at("/flaky/100")) == 3
        assert failed["attempts"] == 3
        assert "gave up: out of attempts" in failed["last_error"]
        assert failed["next_attempt_at"] is None


async def test_attempts_are_bounded_in_time_too(tmp_path: Path) -> None:
    async with receiver() as rec:
        settings = settings_for(rec.url + "/flaky/100", webhook_backoff_s=1, webhook_max_age_s=0.5)
        async with coordination_gateway(tmp_path, vllm=False, **settings) as gw:
            failed = await until_state(gw, await send_test(gw), "failed")
        assert failed["attempts"] == 1
        assert "gave up: out of time" in failed["last_error"]


async def test_a_redirect_is_not_followed_and_counts_as_a_failure(tmp_path: Path) -> None:
    async with receiver() as rec:
        settings = settings_for(rec.url + "/redirect", webhook_max_attempts=1)
        async with coordination_gateway(tmp_path, vllm=False, **settings) as gw:
            failed = await until_state(gw, await send_test(gw), "failed")
        assert failed["last_status"] == 307
        assert "redirects are not followed" in failed["last_error"]
        assert rec.at("/ok") == []


async def test_a_redirect_with_an_unusable_location_is_a_failed_attempt_retried(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Whatever the Location holds, a 3xx is recorded (status and where it pointed) and
    retried like a 5xx; the delivery ends, and nothing logs a traceback."""
    caplog.set_level(logging.WARNING)
    async with receiver() as rec:
        targets = [
            {"url": f"{rec.url}/redirect-to/{n}", "secrets": [SECRET]}
            for n in range(len(ODD_LOCATIONS))
        ]
        settings = {"webhooks": targets, "webhook_max_attempts": 2, "webhook_backoff_s": 0.05}
        async with coordination_gateway(tmp_path, vllm=False, **settings) as gw:
            response = await gw.client.post("/api/webhooks/test")
            assert response.status_code == 202, response.text
            ids = response.json()["deliveries"]
            done = [await until_state(gw, delivery_id, "failed") for delivery_id in ids]
    for found, location in zip(done, ODD_LOCATIONS, strict=True):
        assert found["attempts"] == 2, found
        assert [a["status"] for a in found["attempt_log"]] == [302, 302]
        assert all(a["finished_at"] is not None for a in found["attempt_log"])
        error = found["attempt_log"][0]["error"]
        assert "redirects are not followed" in error and location in error, error
        assert "gave up: out of attempts" in found["last_error"]
    assert not [r for r in caplog.records if r.exc_info], "no traceback"


async def test_an_unreachable_receiver_is_logged_with_the_reason(tmp_path: Path) -> None:
    # Nothing listens on this loopback port of our range.
    settings = settings_for("http://127.0.1.201:9/hook", webhook_max_attempts=1)
    async with coordination_gateway(tmp_path, vllm=False, **settings) as gw:
        failed = await until_state(gw, await send_test(gw), "failed")
    assert failed["last_status"] is None
    assert "ConnectError" in failed["last_error"]


async def test_the_test_action_needs_a_receiver_and_is_audited(tmp_path: Path) -> None:
    async with coordination_gateway(tmp_path, vllm=False) as gw:
        response = await gw.client.post("/api/webhooks/test")
        assert response.status_code == 409
        assert "no webhook receiver" in response.json()["error"]["message"]
    async with (
        receiver() as rec,
        coordination_gateway(tmp_path, vllm=False, **settings_for(rec.url + "/ok")) as gw,
    ):
        delivery_id = await send_test(gw)
        await until_state(gw, delivery_id, "delivered")
        audit = await gw.client.get("/api/audit", params={"action": "coordination.webhook_test"})
        entry = audit.json()["entries"][0]
        assert entry["actor"] == "Alice"
        assert entry["detail"] == {"deliveries": [delivery_id]}
        body = json.loads(rec.at("/ok")[0].body)
        assert body["data"]["test"] is True


async def test_the_legacy_environment_names_configure_a_receiver(tmp_path: Path) -> None:
    async with receiver() as rec:
        environ = {"SWAP_WEBHOOK_URL": rec.url + "/ok", "SWAP_WEBHOOK_SECRET": SECRET}
        config = coordination_config(tmp_path, vllm=False, environ=environ)
        async with running_gateway(config) as gw:
            log = (await gw.client.get("/api/webhooks/deliveries")).json()
            assert log["receivers"] == [{"url": rec.url + "/ok", "events": None}]
            await until_state(gw, await send_test(gw), "delivered")
        (got,) = rec.at("/ok")
        assert verify_standard(SECRET, got.headers, got.body)


async def test_a_receiver_gets_only_the_events_it_asked_for(tmp_path: Path) -> None:
    async with receiver() as rec:
        settings = {
            "webhooks": [
                {"url": rec.url + "/ok", "secrets": [SECRET], "events": ["swap_complete"]},
                {"url": rec.url + "/all", "secrets": [SECRET]},
            ]
        }
        async with coordination_gateway(tmp_path, vllm=False, **settings) as gw:
            # The swap events as the vllm plugin publishes them, heard through spark_event.
            swap = {"swap_id": "swp_0123456789abcdef", "model": "qwen3-8b"}
            publish = gw.host.events.publish
            publish(
                "vllm.swap_started",
                {**swap, "previous": "gpt-oss-20b", "actor": "Bob"},
                source="vllm",
            )
            publish("vllm.swap_phase", {**swap, "phase": "loading", "progress": 0.5}, source="vllm")
            publish("vllm.swap_complete", swap, source="vllm")
            (complete,) = await rec.wait_for("/ok", 1)
            await rec.wait_for("/all", 2)
        body = json.loads(complete.body)
        assert body["type"] == "swap_complete"
        assert body["data"]["previous_model"] == "gpt-oss-20b"
        assert body["data"]["actor"] == "Bob"
        assert body["data"]["duration_s"] >= 0
        assert sorted(json.loads(r.body)["type"] for r in rec.at("/all")) == [
            "swap_complete",
            "swap_started",
        ]
        assert rec.at("/ok") == [complete]


async def test_an_unknown_event_name_in_the_settings_is_named(tmp_path: Path) -> None:
    hooks = {
        "webhooks": [{"url": "http://127.0.1.202/x", "secrets": [SECRET], "events": ["swap_done"]}]
    }
    async with coordination_gateway(tmp_path, vllm=False, **hooks) as gw:
        plugins = {p["name"]: p for p in (await gw.client.get("/api/plugins")).json()}
    assert plugins["coordination"]["status"] == "failed"
    assert "unknown event 'swap_done'" in plugins["coordination"]["reason"]
