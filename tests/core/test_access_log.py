"""The access log: one line per request, with what operators need, written in batches."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from spark_control import hookimpl
from spark_control.access_log import AccessLogWriter, format_text, note
from spark_control.security import BodyLimits
from spark_control.testing import running_gateway
from tests.core.helpers import core_config


async def _noted(scope: Scope, receive: Receive, send: Send) -> None:
    """A /v1 fallback that notes a model and upstream, as the proxy does."""
    note(scope, model="m-1", upstream="up-a")
    await JSONResponse({"ok": True})(scope, receive, send)


class Proxy:
    @hookimpl
    def spark_routes(self, register: Any) -> None:
        register.v1_fallback(_noted)


async def test_every_request_gets_one_json_line_with_status_bytes_model_upstream(
    tmp_path: Path,
) -> None:
    log_file = tmp_path / "logs" / "access.jsonl"
    config = core_config(
        tmp_path,
        {
            "gateway": {
                "access_log": "json",
                "access_log_file": str(log_file),
                "max_body_bytes": 2048,
            }
        },
    )
    async with running_gateway(config, extra_plugins={"proxy": Proxy()}) as gw:
        ok = await gw.client.post("/v1/chat/completions", json={"model": "m-1"})
        health = await gw.client.get("/health")
        too_big = await gw.client.post("/v1/chat/completions", content=b"x" * 4096)
        refused = await gw.client.post("/v1/x", content=b"{}", headers={"Origin": "http://e.x"})
    lines = [json.loads(line) for line in log_file.read_text().splitlines()]
    by_status = {(e["method"], e["path"], e["status"]): e for e in lines}
    assert len(lines) == 4, lines
    first = by_status[("POST", "/v1/chat/completions", 200)]
    assert first["bytes"] == len(ok.content)
    assert first["model"] == "m-1" and first["upstream"] == "up-a"
    assert first["client"].startswith("127.0.0.1:")
    assert first["duration_ms"] >= 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", first["time"])
    assert by_status[("GET", "/health", 200)]["bytes"] == len(health.content)
    assert by_status[("POST", "/v1/chat/completions", 413)]["bytes"] == len(too_big.content)
    assert by_status[("POST", "/v1/x", 403)]["model"] is None
    assert refused.status_code == 403


async def test_access_log_off_writes_nothing(tmp_path: Path, capsys: Any) -> None:
    config = core_config(tmp_path, {"gateway": {"access_log": "off"}})
    async with running_gateway(config) as gw:
        assert gw.gateway.access_log is None
        assert (await gw.client.get("/health")).status_code == 200
    assert "/health" not in capsys.readouterr().out


def test_text_line_has_every_field_and_escapes_the_callers_text() -> None:
    record = (0.25, "127.0.0.1:5000", "POST", '/v1/a b"\nc', 200, 12, 0.0031, "m x", "up")
    line = format_text(record)
    assert line == (
        '1970-01-01T00:00:00.250Z 127.0.0.1:5000 "POST /v1/a%20b\\"\\nc" 200 12 3.1ms '
        "model=m%20x upstream=up\n"
    )
    assert line.count("\n") == 1


async def test_writer_batches_and_loses_nothing_on_close() -> None:
    stream = io.StringIO()
    writer = AccessLogWriter(stream)
    for i in range(1000):
        writer.add((1.0, "-", "GET", f"/p{i}", 200, 0, 0.0, None, None))
    writer.close()
    lines = stream.getvalue().splitlines()
    assert [line.split()[3].rstrip('"') for line in lines] == [f"/p{i}" for i in range(1000)]


class _CountingPattern:
    """A path regex that counts how often it is tried."""

    def __init__(self, pattern: str) -> None:
        self.pattern = re.compile(pattern)
        self.calls = 0

    def match(self, path: str) -> Any:
        self.calls += 1
        return self.pattern.match(path)


def test_body_limit_lookup_scans_the_rules_once_per_path() -> None:
    limits = BodyLimits(1000)
    api = _CountingPattern(r"^/api/x$")
    v1 = _CountingPattern(r"^/v1/")
    limits.add(None, api, 10)  # type: ignore[arg-type]
    limits.add(None, v1, 20)  # type: ignore[arg-type]
    for _ in range(100):
        assert limits.for_request("POST", "/v1/chat/completions") == 20
    assert (api.calls, v1.calls) == (1, 1)
    # A rule added later is seen (the remembered answers are dropped).
    first = _CountingPattern(r"^/v1/chat/")
    limits.rules.insert(0, (None, first, 5))  # type: ignore[arg-type]
    limits.add(None, _CountingPattern(r"^/never$"), 1)  # type: ignore[arg-type]
    assert limits.for_request("POST", "/v1/chat/completions") == 5
    assert limits.for_request("GET", "/other") == 1000


async def _broken(scope: Scope, receive: Receive, send: Send) -> None:
    raise RuntimeError("a bug in a /v1 app")


class BrokenProxy:
    @hookimpl
    def spark_routes(self, register: Any) -> None:
        register.v1_fallback(_broken)


async def test_an_unhandled_error_on_the_v1_path_is_an_openai_shaped_500(tmp_path: Path) -> None:
    log_file = tmp_path / "access.log"
    config = core_config(tmp_path, {"gateway": {"access_log_file": str(log_file)}})
    async with running_gateway(config, extra_plugins={"proxy": BrokenProxy()}) as gw:
        answer = await gw.client.post("/v1/chat/completions", json={"model": "m"})
    assert answer.status_code == 500
    assert answer.json()["error"]["message"] == "internal error; see the gateway log"
    assert '"POST /v1/chat/completions" 500 ' in log_file.read_text()
