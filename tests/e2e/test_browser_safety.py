"""Browser safety in Chromium: cross-site form posts refused; the page's own headers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from spark_control.ui import CONTENT_SECURITY_POLICY
from tests.e2e.e2e_plugins import Recorder
from tests.e2e.helpers import open_dashboard, serve

pytestmark = pytest.mark.asyncio(loop_scope="session")


@contextmanager
def foreign_site(html: str) -> Iterator[str]:
    """Serve ``html`` at ``/`` from another origin (127.0.0.2, a random port)."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.2", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.2:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


async def test_a_cross_origin_form_post_is_refused(page: Any, tmp_path: Path) -> None:
    recorder = Recorder()
    async with serve(tmp_path, {"e2e": recorder}) as gateway:
        target = f"{gateway.url}/api/e2e/reset"
        attack = (
            "<!doctype html><html><body>"
            f'<form method="post" action="{target}" enctype="text/plain">'
            "<input name='{\"a\":\"' value='\"}'></form>"
            "<script>document.forms[0].submit()</script></body></html>"
        )
        with foreign_site(attack) as url:
            async with page.expect_response(target) as answer:
                await page.goto(url)
            response = await answer.value
            assert response.status == 403
            body = await response.json()
            assert body["error"]["type"] == "forbidden"
            assert "cross-origin" in body["error"]["message"]
        assert recorder.calls == []
        # The same route answers the dashboard's own (same-origin) requests.
        ok = await gateway.client.post("/api/e2e/reset", json={})
        assert ok.status_code == 200


async def test_the_page_is_served_with_a_strict_policy(page: Any, tmp_path: Path) -> None:
    async with serve(tmp_path) as gateway:
        response = await page.goto(gateway.url + "/")
        headers = await response.all_headers()
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        await page.wait_for_selector("body[data-ready='true']")

        script = await gateway.client.get("/ui/app.js")
        assert script.status_code == 200
        assert script.headers["content-type"].startswith("text/javascript")
        for bad in ("/ui/..%2fui.py", "/ui/../ui.py", "/ui/.hidden.js", "/ui/nope.js", "/ui/x.py"):
            answer = await gateway.client.get(bad)
            assert answer.status_code == 404, bad
        schema = (await gateway.client.get("/openapi.json")).json()
        assert "/" not in schema["paths"]
        assert "/ui/{file}" not in schema["paths"]


async def test_the_dashboard_shows_reconnecting_and_recovers(page: Any, tmp_path: Path) -> None:
    async with serve(tmp_path) as gateway:
        await open_dashboard(page, gateway)
        connection = page.locator("#connection")
        await page.locator('#connection[data-connection="live"]').wait_for()
        gateway.host.events.close_streams()
        await page.locator('#connection[data-connection="reconnecting"]').wait_for()
        assert await connection.text_content() == "Reconnecting…"
        await page.locator('#connection[data-connection="live"]').wait_for()
