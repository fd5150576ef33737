"""The audit log: recording, paging, pruning, and ``GET /api/audit``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from spark_control import deps
from spark_control.audit import AuditLog, router
from spark_control.store import Store


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with Store(tmp_path / "spark-control.db") as s:
        yield s


@pytest.fixture
async def audit(store: Store) -> AuditLog:
    log = AuditLog(store)
    await log.setup()
    return log


async def test_recorded_entries_list_newest_first_with_every_field(audit: AuditLog) -> None:
    first = await audit.record(
        "vllm.swap",
        actor="dashboard",
        origin="192.0.2.10",
        target="model-a",
        result="ok",
        detail={"from": "model-b", "seconds": 41.5},
    )
    second = await audit.record("ssh.key_install", actor="cli", origin="cli", result="failed")
    entries = await audit.list()
    assert [e["id"] for e in entries] == [second, first]
    entry = entries[1]
    assert {k: v for k, v in entry.items() if k != "time"} == {
        "id": first,
        "action": "vllm.swap",
        "actor": "dashboard",
        "origin": "192.0.2.10",
        "target": "model-a",
        "result": "ok",
        "detail": {"from": "model-b", "seconds": 41.5},
        "key": None,
    }
    assert entry["time"].endswith("Z")
    assert datetime.fromisoformat(entry["time"]).utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert entries[0]["target"] is None and entries[0]["detail"] is None


async def test_list_pages_with_before_id_and_filters_by_action(audit: AuditLog) -> None:
    ids = [
        await audit.record(
            "vllm.swap" if i % 2 else "vllm.stop", actor="a", origin="o", result="ok"
        )
        for i in range(7)
    ]
    page = await audit.list(limit=3)
    assert [e["id"] for e in page] == ids[:-4:-1]
    older = await audit.list(limit=3, before_id=page[-1]["id"])
    assert [e["id"] for e in older] == ids[-4:-7:-1]
    swaps = await audit.list(action="vllm.swap")
    assert [e["id"] for e in swaps] == [ids[5], ids[3], ids[1]]


async def test_log_is_bounded_to_the_newest_rows(store: Store) -> None:
    audit = AuditLog(store, keep=5, prune_every=4)
    await audit.setup()
    ids = [await audit.record("x", actor="a", origin="o", result="ok") for _ in range(13)]
    count = await store.fetchone("SELECT COUNT(*) AS n FROM core_audit")
    assert count is not None and count["n"] <= 5 + 4
    await audit.prune()
    assert [e["id"] for e in await audit.list()] == ids[:-6:-1]


async def test_setup_is_idempotent_and_ids_are_not_reused_after_pruning(store: Store) -> None:
    audit = AuditLog(store, keep=1)
    await audit.setup()
    first = await audit.record("x", actor="a", origin="o", result="ok")
    await audit.prune()
    again = AuditLog(store, keep=1)
    await again.setup()
    second = await again.record("x", actor="a", origin="o", result="ok")
    assert second > first


async def test_api_pages_until_next_before_is_null(audit: AuditLog) -> None:
    ids = [await audit.record("x", actor="a", origin="o", result="ok") for _ in range(5)]
    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[deps.audit] = lambda: audit
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        first = (await client.get("/api/audit", params={"limit": 3})).json()
        assert [e["id"] for e in first["entries"]] == ids[:-4:-1]
        assert first["next_before"] == ids[2]
        assert set(first["entries"][0]) == {
            "id", "time", "action", "actor", "origin", "target", "result", "detail", "key"
        }  # fmt: skip
        rest = await client.get("/api/audit", params={"limit": 3, "before": first["next_before"]})
        assert rest.json() == {
            "entries": [e for e in await audit.list() if e["id"] < ids[2]],
            "next_before": None,
        }
        filtered = await client.get("/api/audit", params={"action": "nothing"})
        assert filtered.json() == {"entries": [], "next_before": None}
        assert (await client.get("/api/audit", params={"limit": 0})).status_code == 422
        # Past SQLite's INTEGER range: a clear 422, not an OverflowError's 500.
        huge = await client.get("/api/audit", params={"before": 2**63})
        assert huge.status_code == 422 and "before" in huge.text
        newest = await client.get("/api/audit", params={"before": 2**63 - 1, "limit": 1})
        assert newest.json()["entries"][0]["id"] == ids[-1]


async def test_a_wrong_record_call_keeps_the_answer_and_the_entry_and_fails_the_tests(
    tmp_path: Path,
) -> None:
    from typing import Any

    from fastapi import APIRouter

    from spark_control import hookimpl
    from spark_control.audit import AuditMisuse
    from spark_control.testing import running_gateway
    from tests.core.helpers import core_config

    calls: dict[str, dict[str, Any]] = {
        "forgot": {"action": "demo.reset", "actor": "Alice", "origin": "cli"},
        "badname": {"action": " ", "actor": "Alice", "origin": "cli", "result": "ok"},
        "notext": {"action": "demo.reset", "actor": 7, "origin": "cli", "result": "ok"},
    }

    class Auditing:
        @hookimpl
        def spark_routes(self, host: Any, register: Any) -> None:
            router = APIRouter()

            @router.post("/api/demo/{case}")
            async def act(case: str) -> dict[str, str]:
                args = dict(calls[case])
                await host.audit.record(args.pop("action"), **args, detail={"n": 1})
                return {"done": case}

            register(router)

    answers: dict[str, Any] = {}
    entries: list[dict[str, Any]] = []
    with pytest.raises(AuditMisuse) as raised:
        async with running_gateway(core_config(tmp_path), extra_plugins={"demo": Auditing()}) as gw:
            answers = {case: await gw.client.post(f"/api/demo/{case}") for case in calls}
            entries = (await gw.client.get("/api/audit")).json()["entries"]
    # The caller gets the action's own answer, never a 500.
    assert {case: r.status_code for case, r in answers.items()} == dict.fromkeys(calls, 200)
    # Nothing is lost: each call's entry is there, the wrong fields marked and said.
    marked = [e for e in entries if e["detail"] and "audit_misuse" in e["detail"]]
    assert len(marked) == 3
    by_problem = {e["detail"]["audit_misuse"][0].split(" ")[0]: e for e in marked}
    assert by_problem["result="]["result"] == "unknown"
    assert by_problem["result="]["detail"]["detail"] == {"n": 1}
    assert by_problem["action"]["action"] == "unknown"
    assert by_problem["actor"]["actor"] == "7"
    # The harness fails the plugin's tests, naming each wrong call and argument.
    said = str(raised.value)
    assert "result= is required" in said
    assert "action must name what was done" in said
    assert "actor must be a string, got 7" in said
