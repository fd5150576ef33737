"""The redaction tile in Chromium: the vault's size, scrub a text, rehydrate a reply
(restored and unknown placeholders), and forget the session after confirming."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from spark_control.testing import make_config, running_gateway
from tests.e2e.helpers import open_dashboard

pytestmark = pytest.mark.asyncio(loop_scope="session")

TILE = '[data-tile="redaction"]'
TEXT = "Write to alice@example.com or call +1 555-010-0199 about card 4111 1111 1111 1111."


async def test_scrub_and_rehydrate_from_the_tile(page: Any, tmp_path: Path) -> None:
    config = make_config(
        tmp_path, {"plugins": {"enabled": ["redaction"]}, "redaction": {"ner": False}}
    )
    async with running_gateway(config) as gateway:
        await open_dashboard(page, gateway)
        tile = page.locator(TILE)
        vault = tile.locator(".redaction-vault")
        await vault.filter(has_text="0 sessions, 0 entities").wait_for()
        text_box = tile.get_by_label("Text to scrub")
        assert "alice@example.com" in await text_box.input_value()  # the sample text

        await text_box.fill(TEXT)
        await tile.get_by_role("button", name="Scrub").click()
        scrubbed = tile.locator('[data-role="scrubbed"]')
        await scrubbed.filter(has_text="<EMAIL_1>").wait_for()
        assert await scrubbed.text_content() == (
            "Write to <EMAIL_1> or call <PHONE_1> about card <CREDIT_CARD_1>."
        )
        assert await tile.locator(".redaction-entities li").count() == 3
        await vault.filter(has_text="1 session, 3 entities").wait_for()

        await tile.get_by_label("Model reply to rehydrate").fill(
            "I emailed **email_1** and <PERSON_4>."
        )
        await tile.get_by_role("button", name="Rehydrate").click()
        restored = tile.locator('[data-role="restored"]')
        await restored.filter(has_text="alice@example.com").wait_for()
        assert await restored.text_content() == "I emailed **alice@example.com** and <PERSON_4>."
        await tile.locator(".redaction-unknown", has_text="<PERSON_4>").wait_for()

        await tile.get_by_role("button", name="Forget session").click()
        dialog = page.get_by_role("dialog")
        await dialog.wait_for()
        question = await dialog.locator(".confirm-text").text_content() or ""
        assert question.startswith("Forget this session?")
        await dialog.get_by_role("button", name="Forget").click()
        await vault.filter(has_text="0 sessions, 0 entities").wait_for()
        assert await tile.get_by_role("button", name="Rehydrate").is_disabled()


async def test_a_refused_scrub_shows_why(page: Any, tmp_path: Path) -> None:
    config = make_config(
        tmp_path,
        {"plugins": {"enabled": ["redaction"]}, "redaction": {"ner": False, "max_text_chars": 20}},
    )
    async with running_gateway(config) as gateway:
        await open_dashboard(page, gateway)
        tile = page.locator(TILE)
        await tile.get_by_label("Text to scrub").fill("a text longer than twenty characters")
        await tile.get_by_role("button", name="Scrub").click()
        await tile.locator(".redaction-error", has_text="at most 20").wait_for()
