"""The proxy benchmark runs on a clean clone: a short smoke of bench/proxy/run.sh (the
shared harness with the gateway as a proxy under test). Figures are not judged here
(see docs/PERFORMANCE.md); that every request through the gateway succeeds, that
every first-party plugin started, and that the access log lost no line are."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_proxy_benchmark_smoke_run_has_no_errors(tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    run = subprocess.run(
        [
            str(ROOT / "bench" / "proxy" / "run.sh"),
            "--no-naive",
            "--concurrency", "16",
            "--rounds", "1",
            "--duration", "1",
            "--warmup", "0.2",
            "--max-minutes", "2",
            "--md", str(report),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "IDLE_S": "0"},
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    raw = re.search(r"raw: (\S+results\.jsonl)", run.stdout)
    assert raw is not None, run.stdout[-3000:]
    rows = [json.loads(line) for line in Path(raw.group(1)).read_text().splitlines()]
    gateway = [row for row in rows if row.get("label") == "gw"]
    assert {row["mode"] for row in gateway} == {"nonstream", "stream"}, rows
    for row in gateway:
        assert row["errors"] == 0 and row["ok"] > 0, row
        assert row["proxy_cpu_ms_per_req"] > 0, row
    summary = (Path(raw.group(1)).parent / "summary.md").read_text()
    assert re.search(r"- gw access log: \d+ request lines.*: none lost", summary), summary
    assert "started: coordination, embeddings, matrix_bridge, redaction, speech, vllm" in (
        run.stdout
    )
