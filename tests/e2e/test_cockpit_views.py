"""Views the API had without a page: the connectivity log as a timeline (live), and the
SSH-key install on a node card with its one-time password field."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import pytest

from spark_control.sim.sshd import SimNodeServer
from tests.e2e.helpers import USER, open_dashboard, serve, sim_nodes

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_the_connectivity_log_is_a_timeline_that_follows_changes(
    page: Any, tmp_path: Path
) -> None:
    async with (
        sim_nodes(tmp_path, "127.0.0.150") as nodes,
        serve(tmp_path, nodes=nodes["config"]) as gateway,
    ):
        await open_dashboard(page, gateway)
        await page.locator('[data-node="spark-1"] .status[data-state="ok"]').wait_for()
        await page.locator("#connectivity summary").click()
        first = page.locator("#connectivity-log li").first
        await first.locator('.status[data-state="ok"]').wait_for()
        text = await first.text_content() or ""
        assert "node:spark-1" in text and "→ ok" in text, text

        await nodes["servers"][0].set_down(True)
        await page.wait_for_function(
            "() => document.querySelector('#connectivity-log li').dataset.state === 'down'"
        )
        newest = page.locator("#connectivity-log li").first
        assert "node:spark-1 ok → down" in (await newest.text_content() or "")
        # An unreachable node's one SSH error is said once on its card, not per command.
        said = await page.evaluate(
            """async () => (await import('/ui/nodes.js')).collapseErrors(
                ['gpu: refused', 'meminfo: refused', 'disk: refused', 'ip: exit 1: no ip'])"""
        )
        assert said == "gpu, meminfo, disk: refused; ip: exit 1: no ip"
        # Keyboard reachable: the summary takes focus and toggles the section.
        await page.locator("#connectivity summary").focus()
        await page.keyboard.press("Enter")
        assert await page.locator("#connectivity").get_attribute("open") is None


async def test_the_ssh_key_is_installed_from_a_node_card_with_a_one_time_password(
    page: Any, tmp_path: Path
) -> None:
    password = secrets.token_urlsafe(12)
    async with SimNodeServer(
        tmp_path / "node", address="127.0.0.160", users={USER: []}, passwords={USER: password}
    ) as node:
        config = {"spark-1": {"address": node.address, "port": node.port, "user": USER}}
        async with serve(tmp_path, nodes=config) as gateway:
            await open_dashboard(page, gateway)
            card = page.locator('[data-node="spark-1"]')
            await card.locator("summary", has_text="Install the gateway").click()
            field = card.get_by_label(f"Password of {USER} on spark-1")
            assert await field.get_attribute("type") == "password"
            await field.fill("not-the-password")
            await card.get_by_role("button", name="Install key").click()
            result = card.locator(".ssh-key .result")
            await page.wait_for_function(
                "() => document.querySelector('.ssh-key .result').dataset.outcome === 'error'"
            )
            assert (await result.text_content() or "").startswith("Not installed:")

            await field.fill(password)
            await card.get_by_role("button", name="Install key").click()
            await page.wait_for_function(
                "() => document.querySelector('.ssh-key .result').dataset.outcome === 'ok'"
            )
            assert (await result.text_content() or "").startswith("Key installed (SHA256:")
            assert await field.input_value() == ""
            authorized = (node.home(USER) / ".ssh" / "authorized_keys").read_text()
            public = (gateway.host.data_dir / "ssh" / "id_ed25519.pub").read_text().split()[1]
            assert public in authorized
            assert password not in await page.content()
