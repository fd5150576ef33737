"""Dashboard sign-in in Chromium: with keys on, the page asks once for a key, then runs on
an HttpOnly session cookie (live updates over SSE included), manages keys, signs out."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from spark_control import hookimpl
from spark_control.health import HealthState, Probe, ProbeResult
from spark_control.testing import RunningGateway, make_config, running_gateway

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.slow]


class Flip:
    """A probe whose state the test sets: a change the dashboard must hear about live."""

    def __init__(self) -> None:
        self.state = HealthState.OK

    @hookimpl
    def spark_probes(self, register: Any) -> None:
        async def check() -> ProbeResult:
            return ProbeResult(self.state, f"flip is {self.state}")

        register(Probe(name="flip-service", check=check))


@contextlib.asynccontextmanager
async def keyed_gateway(tmp_path: Path, flip: Flip) -> AsyncIterator[RunningGateway]:
    config = make_config(tmp_path, {"plugins": {"enabled": []}, "access": {"require_keys": True}})
    async with running_gateway(config, extra_plugins={"flip": flip}) as gw:
        yield gw


async def test_sign_in_live_updates_key_management_and_sign_out(page: Any, tmp_path: Path) -> None:
    flip = Flip()
    async with keyed_gateway(tmp_path, flip) as gw:
        access = gw.gateway.access
        _, secret = await access.keys.create("alice", ["admin"], access.known_scopes())

        await page.goto(gw.url + "/")
        await page.wait_for_selector("body[data-ready='true'][data-auth='signin']")
        assert await page.locator("#signin").is_visible()
        assert not await page.locator("#nodes-section").is_visible()
        assert await page.locator("#signin-key").evaluate("el => el === document.activeElement")

        await page.fill("#signin-key", "sck_0123456789ab_" + "z" * 43)
        await page.click("#signin-form button[type=submit]")
        await page.locator("#signin-error:text('not valid')").wait_for()

        await page.fill("#signin-key", secret)
        await page.click("#signin-form button[type=submit]")
        await page.wait_for_selector("body[data-ready='true'][data-auth='signed-in']")
        assert await page.locator("#account .muted").text_content() == "Signed in as alice"
        await page.locator('#connection[data-connection="live"]').wait_for()

        cookies = {c["name"]: c for c in await page.context.cookies()}
        session = cookies["spark_session"]
        assert session["httpOnly"] is True and session["sameSite"] == "Strict"
        assert session["value"] != secret
        assert "spark_session" not in await page.evaluate("document.cookie")

        # Live: a health change arrives over the event stream, with no reload.
        row = page.locator('[data-probe="flip-service"]')
        await row.locator('.status[data-state="ok"]').wait_for()
        await page.evaluate("window.__same_page = true")
        flip.state = HealthState.DOWN
        await row.locator('.status[data-state="down"]').wait_for()
        assert await page.evaluate("window.__same_page") is True

        # Keys: create one (its secret shown once), then revoke it after confirming.
        await page.fill("#key-name", "meeting-app")
        await page.click("#key-form button[type=submit]")
        shown = page.locator("#new-key-secret")
        await page.locator("#new-key:not([hidden])").wait_for()
        new_secret = await shown.text_content()
        assert new_secret and new_secret.startswith("sck_")
        assert await page.locator("#new-key-name").text_content() == "meeting-app"
        made = page.locator('tr[data-key="meeting-app"]')
        await made.wait_for()
        assert "read" in await made.inner_text()
        listed = await page.evaluate("fetch('/api/keys').then(r => r.text())")
        assert new_secret not in listed
        await made.get_by_role("button", name="Revoke meeting-app").click()
        await page.locator("#confirm-dialog [data-role='confirm']").click()
        await made.wait_for(state="detached")
        assert (
            await gw.client.get("/api/plugins", headers={"Authorization": f"Bearer {new_secret}"})
        ).status_code == 401

        await page.get_by_role("button", name="Sign out").click()
        await page.wait_for_selector("body[data-ready='true'][data-auth='signin']")
        status = await page.evaluate("fetch('/api/plugins').then(r => r.status)")
        assert status == 401
        assert "spark_session" not in {c["name"] for c in await page.context.cookies()}
