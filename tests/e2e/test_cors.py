"""CORS in Chromium: a page from an allow-listed origin calls the API with a key; a page
from any other origin is stopped by the browser (preflight refused)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from spark_control.testing import make_config, running_gateway
from tests.core.sample_plugins import AccessDemo

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.slow]

CALL = """
async ([url, key]) => {
  try {
    const r = await fetch(url, { method: 'POST', headers: { Authorization: 'Bearer ' + key } });
    return { status: r.status, body: await r.json() };
  } catch (error) {
    return { blocked: String(error) };
  }
}
"""


@contextmanager
def app_site(address: str) -> Iterator[str]:
    """An app's page served from ``address`` on a random port; yields its origin."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<!doctype html><title>app</title><p>An app of Alice's.</p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer((address, 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{address}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


async def test_an_allowed_origin_may_call_and_another_is_refused(page: Any, tmp_path: Path) -> None:
    demo = AccessDemo()
    with app_site("127.0.6.20") as allowed, app_site("127.0.6.21") as other:
        config = make_config(
            tmp_path,
            {
                "plugins": {"enabled": []},
                "access": {"require_keys": True, "cors_origins": [allowed]},
            },
        )
        async with running_gateway(config, extra_plugins={"demo": demo}) as gw:
            access = gw.gateway.access
            _, key = await access.keys.create("alice-app", ["admin"], access.known_scopes())
            target = gw.url + "/api/demo/items"

            await page.goto(allowed + "/")
            answer = await page.evaluate(CALL, [target, key])
            assert answer == {"status": 200, "body": {"added": "a"}}

            await page.goto(other + "/")
            refused = await page.evaluate(CALL, [target, key])
            assert "Failed to fetch" in refused["blocked"]

            entries = (
                await gw.client.get("/api/audit", headers={"Authorization": f"Bearer {key}"})
            ).json()
            added = [e for e in entries["entries"] if e["action"] == "demo.add"]
            assert len(added) == 1 and added[0]["key"] == "alice-app"
