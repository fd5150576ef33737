"""The core's own API: gate.changed on the event stream, metrics, SSH key, no plugin words."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

from spark_control.testing import running_gateway
from tests.core.helpers import core_config
from tests.core.sample_plugins import Gatekeeper, HangingProbe

ROOT = Path(__file__).resolve().parents[2]


async def test_gate_changes_reach_the_event_stream_and_the_gate_answer(tmp_path: Path) -> None:
    async with running_gateway(core_config(tmp_path), extra_plugins={"gate": Gatekeeper()}) as gw:
        async with gw.client.stream("GET", "/api/events") as stream:
            await gw.client.post("/api/demo/lock", params={"closed": True})
            event = await _next_event(stream, "gate.changed")
            assert event["data"] == {"action": "demo.act"}
            assert event["source"] == "gatekeeper"
        assert (await gw.client.get("/api/gates/demo.act")).json()["allowed"] is False


async def test_reconnect_with_last_event_id_gets_what_was_missed(tmp_path: Path) -> None:
    async with running_gateway(core_config(tmp_path), extra_plugins={"gate": Gatekeeper()}) as gw:
        first = gw.host.events.publish("test.one", {"n": 1})
        gw.host.events.publish("test.two", {"n": 2})
        headers = {"Last-Event-ID": first.id}
        async with gw.client.stream("GET", "/api/events", headers=headers) as stream:
            event = await _next_event(stream, "test.two")
            assert event["data"] == {"n": 2}


async def test_hung_probe_does_not_delay_health_and_deep_returns_within_its_timeout(
    tmp_path: Path,
) -> None:
    async with running_gateway(core_config(tmp_path), extra_plugins={"h": HangingProbe()}) as gw:
        cached = await gw.client.get("/api/health")
        assert cached.status_code == 200
        assert cached.elapsed.total_seconds() < 0.25
        deep = await gw.client.get("/api/health/deep")
        probes = deep.json()["probes"]
        assert probes["hung-service"]["state"] == "down"
        assert "timed out" in probes["hung-service"]["detail"]
        assert probes["fine-service"]["state"] == "ok"
        assert deep.elapsed.total_seconds() < 0.5 + 1.0  # the hung probe's timeout, plus slack


async def test_metrics_are_per_app_and_show_probe_and_plugin_states(tmp_path: Path) -> None:
    async with running_gateway(core_config(tmp_path), extra_plugins={"h": HangingProbe()}) as gw:
        await gw.client.get("/api/health/deep")
        text = (await gw.client.get("/metrics")).text
        assert 'spark_control_probe_state{probe="fine-service",state="ok"} 1.0' in text
        assert 'spark_control_plugin_up{plugin="h",status="loaded"} 1.0' in text
    async with running_gateway(core_config(tmp_path / "other")) as gw:
        text = (await gw.client.get("/metrics")).text
        assert "fine-service" not in text, "metrics leaked between apps"


async def test_gateway_key_pair_is_created_once_and_its_public_key_shown(tmp_path: Path) -> None:
    config = core_config(tmp_path)
    async with running_gateway(config) as gw:
        first = (await gw.client.get("/api/ssh/public-key")).json()["public_key"]
    async with running_gateway(config) as gw:
        again = (await gw.client.get("/api/ssh/public-key")).json()["public_key"]
    assert first == again and first.startswith("ssh-ed25519 ")
    private = tmp_path / "data" / "ssh" / "id_ed25519"
    assert private.stat().st_mode & 0o777 == 0o600


def test_core_neither_imports_a_plugin_nor_names_plugin_vocabulary() -> None:
    words = re.compile(r"vllm|parakeet|kokoro|qdrant|matrix", re.IGNORECASE)
    plugin_import = re.compile(r"(from|import)\s+spark_control_\w+")
    offenders = []
    for path in sorted((ROOT / "core").rglob("*")):
        if path.is_file() and path.suffix in {".py", ".toml", ".js", ".html", ".css", ".md"}:
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if words.search(line) or plugin_import.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


async def _next_event(stream: object, event_type: str) -> dict[str, object]:
    event_name = None
    async for line in stream.aiter_lines():  # type: ignore[attr-defined]
        if line.startswith("event: "):
            event_name = line.removeprefix("event: ")
        elif line.startswith("data: ") and event_name == event_type:
            return json.loads(line.removeprefix("data: "))
    raise AssertionError(f"stream ended before a {event_type} event")


async def test_head_of_the_page_and_liveness_answers_as_get_without_a_body(
    tmp_path: Path,
) -> None:
    async with running_gateway(core_config(tmp_path)) as gw:
        for path in ("/", "/health"):
            get = await gw.client.get(path)
            head = await gw.client.head(path)
            assert (head.status_code, get.status_code) == (200, 200), path
            assert head.headers["content-type"] == get.headers["content-type"]
            assert head.headers["content-length"] == str(len(get.content))
            assert head.content == b""
            # On one connection: a body after HEAD's headers would read as the next answer.
            address = gw.url.removeprefix("http://").split(":")
            reader, writer = await asyncio.open_connection(address[0], int(address[1]))
            request = f"{{}} {path} HTTP/1.1\r\nHost: {address[0]}\r\n"
            writer.write((request.format("HEAD") + "\r\n").encode())
            writer.write((request.format("GET") + "Connection: close\r\n\r\n").encode())
            await writer.drain()
            raw = await reader.read()
            writer.close()
            head_part, rest = raw.split(b"\r\n\r\n", 1)
            assert head_part.startswith(b"HTTP/1.1 200"), raw[:200]
            assert rest.startswith(b"HTTP/1.1 200"), rest[:200]
            assert rest.endswith(get.content)


async def test_the_api_browser_loads_only_assets_the_gateway_serves(tmp_path: Path) -> None:
    """/docs and /redoc work on a LAN without internet: every script, style and icon
    they reference is a path on this gateway, and each is served."""
    async with running_gateway(core_config(tmp_path)) as gw:
        for page in ("/docs", "/redoc"):
            html = (await gw.client.get(page)).text
            urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
            assert urls, html
            for url in urls:
                assert url.startswith("/") and not url.startswith("//"), (page, url)
                asset = await gw.client.get(url)
                assert asset.status_code == 200, (page, url)
                assert len(asset.content) > 1000, (page, url)
            assert "cdn" not in html.lower() and "https://" not in html, html
        script = await gw.client.get("/docs/assets/swagger-ui-bundle.js")
        assert script.headers["content-type"].startswith("text/javascript")
        # ReDoc's sidebar footer loads Redocly's logo from its CDN unless the script
        # served here has it swapped: no image, script or style source off the gateway.
        redoc = (await gw.client.get("/docs/assets/redoc.standalone.js")).text
        assert redoc.startswith("/*!") and "API docs by Redocly" in redoc
        remote = r"""\b(?:src|href)\s*[:=]\s*["']https?://[^"']*\.(?:svg|png|js|css)"""
        assert re.findall(remote, redoc) == []
        assert "cdn.redoc.ly" not in redoc
        assert (await gw.client.get("/docs/assets/core.py")).status_code == 404
        assert (await gw.client.get("/docs/assets/..%2Fcore.py")).status_code == 404
