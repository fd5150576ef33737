"""Installing the gateway's SSH key on a node with a one-time password: works once, is a
no-op the second time, and the password is in no log, audit entry or file."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from spark_control.cli import main
from spark_control.sim.sshd import SimNodeServer
from spark_control.ssh import RemoteCommand
from spark_control.testing import RunningGateway, running_gateway
from tests.core.helpers import core_config
from tests.core.test_access_keys import bearer, make_key

NODE_ADDRESS = "127.0.6.10"
USER = "alice"


@contextlib.asynccontextmanager
async def password_node(tmp_path: Path, password: str) -> AsyncIterator[SimNodeServer]:
    """A simulated node where ``alice`` has a password and no authorized key yet."""
    async with SimNodeServer(
        tmp_path / "node", address=NODE_ADDRESS, users={USER: []}, passwords={USER: password}
    ) as node:
        yield node


@contextlib.asynccontextmanager
async def gateway_for(tmp_path: Path, node: SimNodeServer) -> AsyncIterator[RunningGateway]:
    config = core_config(
        tmp_path,
        {
            "access": {"require_keys": True, "key_cache_s": 0},
            "nodes": {"spark-1": {"address": node.address, "port": node.port, "user": USER}},
        },
    )
    async with running_gateway(config) as gw:
        yield gw


def authorized_lines(node: SimNodeServer) -> list[str]:
    path = node.home(USER) / ".ssh" / "authorized_keys"
    return path.read_text().splitlines() if path.exists() else []


def files_holding(root: Path, needle: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


@pytest.mark.slow
async def test_install_works_once_then_is_a_no_op_and_the_password_leaves_no_trace(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    password = "pw-" + secrets.token_urlsafe(16)
    async with password_node(tmp_path, password) as node, gateway_for(tmp_path, node) as gw:
        admin = bearer(await make_key(gw, "owner", "admin"))
        reader = bearer(await make_key(gw, "reader", "read"))
        url = "/api/nodes/spark-1/ssh-key"

        assert (
            await gw.client.post(url, json={"password": password}, headers=reader)
        ).status_code == 403
        wrong = await gw.client.post(url, json={"password": "not-it"}, headers=admin)
        assert wrong.status_code == 422
        assert "did not accept this password for user 'alice'" in wrong.json()["error"]["message"]
        assert authorized_lines(node) == []

        first = await gw.client.post(url, json={"password": password}, headers=admin)
        assert first.status_code == 200, first.text
        assert first.json()["status"] == "installed"
        public = (await gw.client.get("/api/ssh/public-key", headers=admin)).json()["public_key"]
        assert authorized_lines(node) == [public]
        assert first.json()["fingerprint"].startswith("SHA256:")
        # Key login works for everything else now.
        node_target = gw.host.topology.node("spark-1")
        result = await gw.host.ssh.run(node_target, RemoteCommand("printenv", "USER"))
        assert result.ok and result.stdout.strip() == USER

        second = await gw.client.post(url, json={"password": password}, headers=admin)
        assert second.status_code == 200 and second.json()["status"] == "already_installed"
        assert authorized_lines(node) == [public]
        # Once the key works, no password is needed at all.
        blank = await gw.client.post(url, json={"password": ""}, headers=admin)
        assert blank.json()["status"] == "already_installed"
        mode = (node.home(USER) / ".ssh" / "authorized_keys").stat().st_mode & 0o777
        assert mode == 0o600

        entries = (await gw.client.get("/api/audit?action=ssh.key_install", headers=admin)).json()
        results = [(e["result"], e["key"], e["target"]) for e in entries["entries"]]
        assert results == [
            ("already_installed", "owner", "spark-1"),
            ("already_installed", "owner", "spark-1"),
            ("installed", "owner", "spark-1"),
            ("failed", "owner", "spark-1"),
        ]
        assert password not in str(entries)
        await gw.host.store.execute("PRAGMA wal_checkpoint(FULL)")

    needle = password.encode()
    assert files_holding(tmp_path, needle) == []
    assert not [r for r in caplog.records if password in r.getMessage()]
    assert password not in caplog.text
    assert not [e for e in node.exec_log if password in e.command or password in str(e.env)]


@pytest.mark.slow
async def test_the_cli_installs_the_key_asking_for_the_password_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    password = "pw-" + secrets.token_urlsafe(16)
    asked: list[str] = []

    def getpass(prompt: str) -> str:
        asked.append(prompt)
        return password

    monkeypatch.setattr("getpass.getpass", getpass)
    async with password_node(tmp_path, password) as node:
        config = core_config(
            tmp_path,
            {"nodes": {"spark-1": {"address": node.address, "port": node.port, "user": USER}}},
        )
        assert config.source_path is not None
        argv: list[Any] = ["nodes", "install-key", "spark-1", "--config", str(config.source_path)]
        assert await asyncio.to_thread(main, argv) == 0
        assert "installed the gateway's key on spark-1" in capsys.readouterr().out
        assert asked == [f"password of alice@{NODE_ADDRESS} (used once, not kept): "]
        assert len(authorized_lines(node)) == 1

        assert await asyncio.to_thread(main, argv) == 0
        assert "already accepts the gateway's key" in capsys.readouterr().out
        assert len(authorized_lines(node)) == 1
        assert files_holding(tmp_path, password.encode()) == []
