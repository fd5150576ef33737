"""Upgrades keep data: the current code opens every earlier release's data folder with
nothing lost.

Each ``tests/fixtures/upgrade/<version>/`` was made by that release's
``make_fixture.py`` (beside the fixtures): a gateway data folder with API keys, audit
entries, a swap lock, a schedule, a model swap, webhook deliveries and a redaction
vault, and ``expected.json``, what that release's API said about them. Here a copy of
the folder is opened by today's gateway (its migrations run on it) and asked again.
Add a fixture per release; never edit one. The same folder is also imported into
PostgreSQL (``spark-control db import``) and asked the same questions there.
"""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest

from spark_control.store import store_for
from spark_control.store_import import import_sqlite
from spark_control.testing import make_config, running_gateway
from tests.core.store_backends import BACKENDS, database

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "upgrade"
VERSIONS = sorted(p.parent.name for p in FIXTURES.glob("*/expected.json"))
# Changes with every read or with the clock, not data the upgrade could lose.
SECRET = "fixture-webhook-secret-0123456789"  # make_fixture.py's WEBHOOK_SECRET
MOVING = {"last_used", "expires_in_s", "next_runs", "now", "model_known", "conflicts_with"}


def test_there_is_a_fixture_of_at_least_one_release() -> None:
    assert VERSIONS, f"no upgrade fixture under {FIXTURES}"


def _still(value: Any) -> Any:
    """``value`` without the fields that move by themselves."""
    if isinstance(value, dict):
        return {k: _still(v) for k, v in value.items() if k not in MOVING}
    if isinstance(value, list):
        return [_still(v) for v in value]
    return value


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("version", VERSIONS)
async def test_the_current_code_opens_a_release_data_folder_with_nothing_lost(
    version: str, backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """On SQLite the folder is opened as it is; on PostgreSQL its store is first
    copied there (``spark-control db import``) and the SQLite file removed, so every
    answer below comes from PostgreSQL."""
    fixture = FIXTURES / version
    expected = json.loads((fixture / "expected.json").read_text())
    seen, used = expected["seen"], expected["used"]
    data_dir = tmp_path / "gateway"
    shutil.copytree(fixture / "gateway", data_dir)  # the committed one stays as made
    with database(backend, tmp_path, request) as url:
        if url is not None:
            async with store_for(data_dir, url) as target:
                counts = await import_sqlite(data_dir, target)
            assert counts["core_audit"] == len(seen["audit"]["entries"])
            for leftover in data_dir.glob("spark-control.db*"):
                leftover.unlink()
        await _check_the_folder(tmp_path, data_dir, url, seen, used)


async def _check_the_folder(
    tmp_path: Path, data_dir: Path, url: str | None, seen: Any, used: Any
) -> None:
    # Nodes that no longer answer: the data, not the cluster, is under test.
    port = _closed_port()
    hooks = sorted({d["url"] for d in seen["webhook_deliveries"]["deliveries"]})
    config = make_config(
        tmp_path,
        {
            "gateway": {"data_dir": str(data_dir), "database_url": url},
            "access": {"require_keys": True},
            "nodes": {
                name: {"address": "127.0.0.1", "port": port, "user": "alice"}
                for name in ("spark-1", "spark-2")
            },
            "coordination": {"webhooks": [{"url": u, "secrets": [SECRET]} for u in hooks]},
            "redaction": {"session_ttl_s": 100 * 365 * 86400.0},
        },
    )
    keys = used["keys"]
    async with running_gateway(config) as gw:
        admin = {"Authorization": f"Bearer {keys['alice-admin']}"}

        async def get(path: str, headers: dict[str, str] = admin) -> Any:
            response = await gw.client.get(path, headers=headers)
            assert response.status_code == 200, (path, response.text)
            return response.json()

        # API keys: the same keys, scopes and revocations, and their secrets still open.
        now_keys = await get("/api/keys")
        assert _still(now_keys["keys"]) == _still(seen["keys"]["keys"])
        read = {"Authorization": f"Bearer {keys['meeting-app']}"}
        assert (await gw.client.get("/api/swap/history", headers=read)).status_code == 200
        revoked = {"Authorization": f"Bearer {keys['old-app']}"}
        assert (await gw.client.get("/api/swap/history", headers=revoked)).status_code == 401

        # The audit log: every entry, as it was (new ones may follow).
        audit = (await get("/api/audit?limit=500"))["entries"]
        by_id = {entry["id"]: entry for entry in audit}
        for entry in seen["audit"]["entries"]:
            assert by_id.get(entry["id"]) == entry

        # The swap lock's fencing number never goes back; holder and reason stay.
        lock = await get("/api/swap/lock")
        assert lock["fencing"] == seen["swap_lock"]["fencing"]
        if lock["held"]:  # until its TTL ends, an hour after the fixture was made
            before = seen["swap_lock"]
            assert [lock[k] for k in ("holder", "reason", "ttl_s")] == [
                before[k] for k in ("holder", "reason", "ttl_s")
            ]
            for moment in ("granted_at", "expires_at"):
                assert lock[moment] == pytest.approx(before[moment], abs=1e-3)

        assert _still(await get("/api/schedule")) == _still(seen["schedule"])
        history = (await get("/api/swap/history?limit=50"))["swaps"]
        kept = history[-len(seen["swap_history"]["swaps"]) :]
        # Every field as it was; fields added since (a swap's slot) may follow, and a
        # swap from before slots was the default slot's.
        assert [
            {k: swap[k] for k in old}
            for swap, old in zip(kept, seen["swap_history"]["swaps"], strict=True)
        ] == seen["swap_history"]["swaps"]
        assert {swap.get("slot", "default") for swap in kept} == {"default"}

        page = await get("/api/webhooks/deliveries?limit=50")
        deliveries = {d["id"]: d for d in page["deliveries"]}
        for delivery in seen["webhook_deliveries"]["deliveries"]:
            assert deliveries.get(delivery["id"]) == delivery

        # The vault still opens with the key in the folder: the placeholders come back.
        redaction = used["redaction"]
        answer = await gw.client.post(
            "/api/rehydrate",
            headers=admin,
            json={"text": redaction["scrubbed"]["text"], "session_id": redaction["session_id"]},
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["text"] == redaction["text"]
