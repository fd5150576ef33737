"""``spark-control keys``: create (secret printed once), list (never secrets), revoke —
against the same store a running gateway reads."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from spark_control.cli import main
from spark_control.testing import running_gateway
from tests.core.helpers import core_config


def config_file(tmp_path: Path, **access: object) -> str:
    config = core_config(tmp_path, {"access": {"key_cache_s": 0, **access}})
    assert config.source_path is not None
    return str(config.source_path)


def test_create_list_and_revoke_from_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config_file(tmp_path)
    assert main(["keys", "create", "ci-bot", "--scope", "swap", "--json", "-c", path]) == 0
    made = json.loads(capsys.readouterr().out)
    assert made["name"] == "ci-bot" and made["scopes"] == ["swap"]
    secret = made["secret"]

    assert main(["keys", "create", "meeting-app", "-c", path]) == 0
    out = capsys.readouterr().out
    assert "created key 'meeting-app' with scopes read" in out and "shown only now" in out

    assert main(["keys", "list", "-c", path]) == 0
    listing = capsys.readouterr().out
    assert "ci-bot" in listing and "meeting-app" in listing and "never used" in listing
    assert secret not in listing and "sck_" not in listing

    assert main(["keys", "create", "ci-bot", "-c", path]) == 1
    assert "revoke it first" in capsys.readouterr().err
    assert main(["keys", "create", "x", "--scope", "root", "-c", path]) == 1
    assert "unknown scope 'root'" in capsys.readouterr().err
    # A plugin's own scope is accepted by name (the CLI does not load plugin routes).
    assert main(["keys", "create", "locker", "--scope", "coordination.force", "-c", path]) == 0
    capsys.readouterr()

    assert main(["keys", "revoke", "ci-bot", "-c", path]) == 0
    assert "revoked key 'ci-bot'" in capsys.readouterr().out
    assert main(["keys", "revoke", "ci-bot", "-c", path]) == 1
    assert "no active key named 'ci-bot'" in capsys.readouterr().err
    assert main(["keys", "list", "--json", "-c", path]) == 0
    names = [k["name"] for k in json.loads(capsys.readouterr().out)]
    assert names == ["meeting-app", "locker"]


async def test_a_running_gateway_accepts_a_cli_key_and_refuses_it_once_revoked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config_file(tmp_path, require_keys=True)
    args = ["keys", "create", "alice", "--json", "-c", path]
    assert await asyncio.to_thread(main, args) == 0
    secret = json.loads(capsys.readouterr().out)["secret"]
    config = core_config(tmp_path, {"access": {"require_keys": True, "key_cache_s": 0}})
    async with running_gateway(config) as gw:
        headers = {"Authorization": f"Bearer {secret}"}
        assert (await gw.client.get("/api/plugins", headers=headers)).status_code == 200
        revoke = ["keys", "revoke", "alice", "-c", path]
        assert await asyncio.to_thread(main, revoke) == 0
        assert (await gw.client.get("/api/plugins", headers=headers)).status_code == 401
        audit = await gw.host.audit.list(action="access.key_revoke")
        assert [(e["actor"], e["origin"], e["target"]) for e in audit] == [("cli", "cli", "alice")]
