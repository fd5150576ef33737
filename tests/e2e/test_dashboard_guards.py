"""Guards inside the dashboard's own modules, exercised in Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.helpers import open_dashboard, serve

pytestmark = pytest.mark.asyncio(loop_scope="session")

CHECK_PATHS = """
async () => {
  const { isLocalPath } = await import('/ui/api.js');
  const paths = ['/api/x', '//evil.example/x', '/\\t/evil.example/x.js', '/\\\\evil.example/x',
                 '/\\n/evil.example', 'https://evil.example/', 'api/x'];
  return paths.map((p) => [p, isLocalPath(p)]);
}
"""

TWO_QUESTIONS = """
async () => {
  const { confirmAction } = await import('/ui/kit/index.js');
  window.__answers = [];
  const record = (name) => (answer) => window.__answers.push([name, answer]);
  confirmAction('Stop the model on spark-1?', 'Stop').then(record('stop'));
  confirmAction('Restart the gateway?', 'Restart').then(record('restart'));
}
"""


async def test_only_paths_on_this_gateway_count_as_local(page: Any, tmp_path: Path) -> None:
    async with serve(tmp_path) as gateway:
        await open_dashboard(page, gateway)
        verdicts = dict(await page.evaluate(CHECK_PATHS))
        assert verdicts == {
            "/api/x": True,
            "//evil.example/x": False,
            "/\t/evil.example/x.js": False,
            "/\\evil.example/x": False,
            "/\n/evil.example": False,
            "https://evil.example/": False,
            "api/x": False,
        }


async def test_a_second_confirmation_waits_for_the_first_answer(page: Any, tmp_path: Path) -> None:
    async with serve(tmp_path) as gateway:
        await open_dashboard(page, gateway)
        await page.evaluate(TWO_QUESTIONS)
        dialog = page.locator("#confirm-dialog")
        await dialog.get_by_text("Stop the model on spark-1?").wait_for()
        await dialog.locator('[data-role="confirm"]').click()
        await dialog.get_by_text("Restart the gateway?").wait_for()
        await dialog.locator('[data-role="cancel"]').click()
        await page.wait_for_function("() => window.__answers.length === 2")
        assert await page.evaluate("window.__answers") == [["stop", True], ["restart", False]]
