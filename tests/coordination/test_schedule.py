"""The schedule registry: jobs declared over HTTP, next runs in each job's zone,
conflicts between overlapping jobs that need different models, and clear 4xx answers
to bad declarations. Models come from a plugin's ``spark_models``, as in production."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio

from spark_control import hookimpl
from spark_control.testing import RunningGateway, running_gateway
from spark_control_coordination.schedule import NO_ROOM, ONE_AT_A_TIME, Job, conflicts, next_runs
from tests.coordination.conftest import coordination_config


class Models:
    """A plugin serving two models, so the registry has a catalog to check against."""

    @hookimpl
    def spark_models(self, host: Any) -> list[dict[str, str]]:
        return [
            {"id": "qwen3-8b", "served_name": "Qwen/Qwen3-8B"},
            {"id": "gpt-oss-20b", "served_name": "openai/gpt-oss-20b"},
        ]


@pytest_asyncio.fixture
async def gw(tmp_path: Path) -> AsyncIterator[RunningGateway]:
    config = coordination_config(tmp_path, vllm=False)
    async with running_gateway(config, extra_plugins={"models": Models()}) as gateway:
        yield gateway


def job(name: str, cron: str, model: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "owner": "Alice",
        "cron": cron,
        "model": model,
        "description": f"{name} does its thing",
        **extra,
    }


async def test_a_declared_job_is_listed_with_its_next_runs_in_its_zone(
    gw: RunningGateway,
) -> None:
    response = await gw.client.post(
        "/api/schedule",
        json=job("nightly", "30 2 * * *", "qwen3-8b", timezone="Europe/Berlin"),
        headers={"X-Actor": "Alice"},
    )
    assert response.status_code == 201, response.text
    (listed,) = response.json()["jobs"]
    assert listed["name"] == "nightly"
    assert listed["model_known"] is True
    assert listed["expected_duration_s"] == 1800
    assert len(listed["next_runs"]) == 5
    runs = [datetime.fromisoformat(r) for r in listed["next_runs"]]
    berlin = ZoneInfo("Europe/Berlin")
    assert all((r.astimezone(berlin).hour, r.astimezone(berlin).minute) == (2, 30) for r in runs)
    assert runs == sorted(runs)
    assert runs[0] > datetime.now(UTC)
    assert runs[1] - runs[0] <= timedelta(hours=25)

    again = (await gw.client.get("/api/schedule")).json()
    assert [j["name"] for j in again["jobs"]] == ["nightly"]
    audit = (
        await gw.client.get("/api/audit", params={"action": "coordination.schedule_declare"})
    ).json()
    assert audit["entries"][0]["target"] == "nightly"


async def test_overlapping_jobs_needing_different_models_are_flagged(gw: RunningGateway) -> None:
    # Every hour at :00 for 45 min, and every hour at :30: they overlap each hour.
    await gw.client.post(
        "/api/schedule", json=job("a", "0 * * * *", "qwen3-8b", expected_duration_s=2700)
    )
    await gw.client.post("/api/schedule", json=job("b", "30 * * * *", "gpt-oss-20b"))
    # Same model as a: sharing the model is fine.
    await gw.client.post("/api/schedule", json=job("c", "10 * * * *", "qwen3-8b"))
    listed = (await gw.client.get("/api/schedule")).json()
    pairs = [c["jobs"] for c in listed["conflicts"]]
    assert ["a", "b"] in pairs
    assert ["b", "c"] in pairs
    assert ["a", "c"] not in pairs
    by_name = {j["name"]: j for j in listed["jobs"]}
    assert by_name["a"]["conflicts_with"] == ["b"]
    assert by_name["b"]["conflicts_with"] == ["a", "c"]
    clash = next(c for c in listed["conflicts"] if c["jobs"] == ["a", "b"])
    assert clash["models"] == ["qwen3-8b", "gpt-oss-20b"]
    # No plugin here knows the models' memory (spark_co_resident): one model at a time.
    assert clash["reason"] == ONE_AT_A_TIME
    # b's runs start at :30, inside a's; when both are under way already, the overlap
    # starts at the moment the conflicts were computed (cached within the minute), which
    # is not the same instant as the listing's "now".
    first = datetime.fromisoformat(clash["first_overlap"])
    now = datetime.fromisoformat(listed["now"])
    assert first.minute == 30 or abs(now - first) < timedelta(minutes=1), (first, now)


async def test_jobs_that_do_not_overlap_are_not_flagged(gw: RunningGateway) -> None:
    await gw.client.post(
        "/api/schedule", json=job("early", "0 3 * * *", "qwen3-8b", expected_duration_s=3600)
    )
    await gw.client.post(
        "/api/schedule", json=job("late", "0 5 * * *", "gpt-oss-20b", expected_duration_s=3600)
    )
    assert (await gw.client.get("/api/schedule")).json()["conflicts"] == []


async def test_posting_a_name_again_replaces_it_and_delete_removes_it(gw: RunningGateway) -> None:
    first = await gw.client.post("/api/schedule", json=job("x", "0 1 * * *", "qwen3-8b"))
    assert first.status_code == 201
    second = await gw.client.post("/api/schedule", json=job("x", "@hourly", "gpt-oss-20b"))
    assert second.status_code == 200
    (listed,) = second.json()["jobs"]
    assert (listed["cron"], listed["model"]) == ("@hourly", "gpt-oss-20b")

    await gw.client.post("/api/schedule", json=job("y", "0 1 * * *", "qwen3-8b"))
    gone = await gw.client.delete("/api/schedule", params={"name": "x"})
    assert gone.status_code == 200
    assert [j["name"] for j in gone.json()["jobs"]] == ["y"]
    assert (await gw.client.delete("/api/schedule/y")).json()["jobs"] == []
    missing = await gw.client.delete("/api/schedule/y")
    assert missing.status_code == 404
    assert "no job named 'y'" in missing.json()["error"]["message"]


@pytest.mark.parametrize(
    ("change", "field", "said"),
    [
        ({"cron": "every night"}, "cron", "five fields"),
        ({"cron": "61 * * * *"}, "cron", "not a valid cron expression"),
        ({"cron": "0 0 31 2 *"}, "cron", "not a valid cron expression"),
        ({"cron": "0 0 * * * *"}, "cron", "five fields"),
        ({"timezone": "Mars/Olympus"}, "timezone", "not a known IANA time zone"),
        ({"timezone": "../../etc/passwd"}, "timezone", "not a known IANA time zone"),
        ({"model": "no-such-model"}, "model", "not a catalog id; known: gpt-oss-20b, qwen3-8b"),
        ({"name": "has spaces"}, "name", "name"),
        ({"owner": ""}, "owner", "owner"),
        ({"expected_duration_s": -1}, "expected_duration_s", "expected_duration_s"),
        ({"expected_duration_s": 10**9}, "expected_duration_s", "expected_duration_s"),
        ({"runs_it": True}, "runs_it", "runs_it"),
    ],
)
async def test_bad_declarations_get_a_clear_4xx(
    gw: RunningGateway, change: dict[str, Any], field: str, said: str
) -> None:
    response = await gw.client.post(
        "/api/schedule", json={**job("j", "0 1 * * *", "qwen3-8b"), **change}
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert said in error["message"]
    assert field in error["message"]
    assert (await gw.client.get("/api/schedule")).json()["jobs"] == []


async def test_a_missing_field_is_named(gw: RunningGateway) -> None:
    body = job("j", "0 1 * * *", "qwen3-8b")
    del body["cron"]
    response = await gw.client.post("/api/schedule", json=body)
    assert response.status_code == 422
    assert "cron" in response.json()["error"]["message"]


def test_runs_follow_daylight_saving_time() -> None:
    nightly = Job("n", "Alice", "30 2 * * *", "Europe/Berlin", 600, "m", "")
    # 2:30 does not exist on 29 March 2026 in Berlin; cronsim runs it at 03:00 that day.
    runs = next_runs(nightly, datetime(2026, 3, 27, 12, tzinfo=UTC), 3)
    assert runs == [
        "2026-03-28T02:30:00+01:00",
        "2026-03-29T03:00:00+02:00",
        "2026-03-30T02:30:00+02:00",
    ]


def test_a_run_under_way_counts_for_conflicts() -> None:
    now = datetime(2026, 6, 1, 12, 10, tzinfo=UTC)
    long_run = Job("long", "Alice", "0 12 * * *", "UTC", 3600, "a", "")
    soon = Job("soon", "Bob", "30 12 * * *", "UTC", 60, "b", "")
    (clash,) = conflicts([long_run, soon], now, timedelta(hours=1))
    assert clash["jobs"] == ["long", "soon"]
    assert clash["first_overlap"] == "2026-06-01T12:30:00+00:00"
    # Beyond the horizon nothing is looked at.
    assert conflicts([long_run, soon], now, timedelta(minutes=10)) == []


def test_models_that_fit_together_do_not_conflict_but_a_group_too_big_does() -> None:
    """Two nodes, each holding one of the 60 GiB models a, b and c: any two fit, all
    three do not; ``huge`` fits beside nothing."""

    def fits(models: frozenset[str]) -> bool | None:
        return "huge" not in models and len(models) <= 2

    now = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    jobs = [
        Job("a", "Alice", "0 * * * *", "UTC", 3000, "model-a", ""),
        Job("b", "Bob", "10 * * * *", "UTC", 3000, "model-b", ""),
        Job("c", "Carol", "20 * * * *", "UTC", 600, "model-c", ""),
        Job("d", "Dave", "0 15 * * *", "UTC", 3600, "huge", ""),
    ]
    found = conflicts(jobs, now, timedelta(hours=4), fits)
    assert [(c["jobs"], c["first_overlap"][11:16], c["reason"]) for c in found] == [
        (["a", "b", "c"], "12:20", NO_ROOM),
        (["a", "d"], "15:00", NO_ROOM),
        (["b", "d"], "15:10", NO_ROOM),
        (["c", "d"], "15:20", NO_ROOM),
    ]
    assert found[0]["models"] == ["model-a", "model-b", "model-c"]
    # Without anyone who knows (fits answers None): every overlapping pair, as before.
    pairs = {tuple(c["jobs"]) for c in conflicts(jobs, now, timedelta(hours=4))}
    assert pairs == {("a", "b"), ("a", "c"), ("b", "c"), ("a", "d"), ("b", "d"), ("c", "d")}
