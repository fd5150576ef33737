"""The StartOS package's environment against the names the Python settings read.

The package side is the daemon environment ``startos/startos/env.ts`` builds from a
store (the same function main.ts calls), compiled and run with Node. The Python side is
``spark-control config env --json``: every generated name and alias, with ``<NAME>`` for
a node's or service's name and ``<N>`` for a node number.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "startos"

# SPEC §13: the environment names the owner's StartOS configuration already uses. The
# spec names the webhook's two variables only as "webhook URL and secret".
SPEC13_NAMES = (
    "VLLM_PORT",
    "VLLM_CONTAINER",
    "DISABLED_SERVICES",
    "SSH_KEY_PATH",
    "SPARK1_HOST",
    "SPARK2_HOST",
    "MATRIX_BRIDGE_USER",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
)


# A store with every setting filled: two nodes, as the simulated cluster has.
FULL_STORE: dict[str, Any] = {
    "nodes": [
        {"address": "192.0.2.11", "user": "alice", "port": 22},
        {"address": "192.0.2.12", "user": "bob", "port": 2222},
    ],
    "sshKeyPath": "/data/ssh/id_ed25519",
    "vllmPort": 8000,
    "vllmContainer": "vllm_node",
    "disabledServices": ["tts", "diarizer"],
    "matrixBridgeUser": "alice",
    "webhookUrl": "https://hooks.example.com/spark",
    "webhookSecret": "s3cret-for-the-test",
    "requireKeys": True,
    "placement": {
        "speechNode": "",
        "asrPort": 9101,
        "diarizerPort": 9201,
        "ttsPort": 8881,
        "embeddingsNode": "",
        "embeddingsPort": 8090,
        "qdrantUrl": "http://192.0.2.12:6333",
        "chatBotNode": "",
    },
}
FULL_ACCESS = {"hostnames": ["spark.local", "192.0.2.5"], "origins": ["https://spark.local"]}


# --- the Python side -------------------------------------------------------------------


def clean_environ(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment without any Spark Control setting, plus ``extra``."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SPARK") and k not in {*SPEC13_NAMES, "SERVICES_OVERRIDES"}
    }
    return {**keep, **(extra or {})}


def config_env_rows(python_path_first: Path | None = None) -> list[dict[str, Any]]:
    """``spark-control config env --json`` in a fresh interpreter (``python_path_first``
    is put ahead of the installed packages, to run a modified copy of one)."""
    environ = clean_environ()
    if python_path_first is not None:
        environ["PYTHONPATH"] = os.pathsep.join(
            [str(python_path_first), *filter(None, [environ.get("PYTHONPATH")])]
        )
    result = subprocess.run(
        [sys.executable, "-m", "spark_control.cli", "config", "env", "--json"],
        capture_output=True,
        text=True,
        env=environ,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def _pattern(listed: str) -> re.Pattern[str]:
    text = re.escape(listed).replace(re.escape("<NAME>"), "[A-Z0-9_]+")
    return re.compile("^" + text.replace(re.escape("<N>"), "[0-9]+") + "$")


def read_names(rows: Iterable[Mapping[str, Any]]) -> list[re.Pattern[str]]:
    """Every name (generated and alias) the settings read, as patterns."""
    return [_pattern(n) for row in rows for n in (row["name"], *row["aliases"])]


def unknown_names(package_names: Iterable[str], rows: Iterable[Mapping[str, Any]]) -> set[str]:
    """Names the package sets that no setting reads."""
    patterns = read_names(rows)
    return {n for n in package_names if not any(p.match(n) for p in patterns)}


# --- the package side ------------------------------------------------------------------


def copy_package(destination: Path) -> Path:
    """A copy of the package's sources (sharing its installed node_modules)."""
    destination.mkdir(parents=True)
    for item in ("startos", "tools"):
        shutil.copytree(PACKAGE / item, destination / item)
    for item in ("package.json", "tsconfig.json", "tsconfig.tools.json"):
        shutil.copy2(PACKAGE / item, destination / item)
    (destination / "node_modules").symlink_to(PACKAGE / "node_modules")
    return destination


def install_node_modules(package: Path) -> None:
    """``npm ci`` in ``package`` unless its modules already match its lockfile.

    A lock file beside the lockfile serialises parallel test runs (or xdist workers):
    the first installs, the others wait and then find the modules in place.
    """
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed beside Node.js to install the package's modules")
    with (package / ".npm-ci.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _modules_current(package):
            return
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--prefer-offline"],
            cwd=package,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"npm ci in {package} failed:\n{result.stdout}{result.stderr}")


def _modules_current(package: Path) -> bool:
    # npm ci writes node_modules/.package-lock.json last, as the record of what it put
    # there; older than the lockfile means the lockfile changed since.
    installed = package / "node_modules" / ".package-lock.json"
    lockfile = package / "package-lock.json"
    return installed.exists() and installed.stat().st_mtime >= lockfile.stat().st_mtime


def build_env_tool(package: Path, out_dir: Path) -> Path:
    """Compile ``tools/daemon-env.ts`` (and the env.ts it imports) with the package's
    TypeScript; returns the script to run with Node."""
    node = shutil.which("node")
    tsc = package / "node_modules" / "typescript" / "bin" / "tsc"
    if node is None or not tsc.exists():
        raise RuntimeError("Node.js and the package's modules are needed: cd startos && npm ci")
    result = subprocess.run(
        [node, str(tsc), "-p", str(package / "tsconfig.tools.json"), "--outDir", str(out_dir)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out_dir / "tools" / "daemon-env.js"


def package_env(
    tool: Path, store: Mapping[str, Any], access: Mapping[str, list[str]] | None = None
) -> dict[str, str]:
    """The environment the package gives the daemon for ``store``."""
    env: dict[str, str] = _run_tool(tool, {"store": store, "access": access or FULL_ACCESS})
    return env


def placement_problem(tool: Path, store: Mapping[str, Any]) -> str | None:
    """What "Configure Sparks" refuses to save for ``store`` (None: nothing)."""
    problem: str | None = _run_tool(tool, {"store": store, "check": True})["problem"]
    return problem


def _run_tool(tool: Path, request: Mapping[str, Any]) -> Any:
    node = shutil.which("node")
    assert node is not None
    result = subprocess.run(
        [node, str(tool)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        env={**os.environ, "NODE_PATH": str(PACKAGE / "node_modules")},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
