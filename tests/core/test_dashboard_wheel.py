"""The dashboard and its tile kit ship inside the core's wheel: a wheel built from this
tree, installed into a fresh virtual environment (beside the checkout's dependencies,
never its source), serves the page, the shell's scripts and the kit."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
UI = REPO / "ui"
# Fetched from the installed gateway: the page, a shell module, and the kit a tile imports.
# The gateway's environment is this one's without its settings and Python paths.
CLEARED_ENV = ("SPARK", "PYTHON", "VIRTUAL_ENV")
WHERE_IS_THE_DASHBOARD = "import spark_control.ui as ui; print(ui.DASHBOARD_DIR)"
SERVED = ["/", "/ui/app.js", "/ui/style.css", "/ui/kit/index.js", "/ui/kit/kit.css"]


def _uv() -> str:
    uv = shutil.which("uv")
    if uv is None:
        pytest.fail("uv is not on PATH: the project's tests run through it (uv run)")
    return uv


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # --offline: the build backend (hatchling) is in uv's cache from installing the tree.
    subprocess.run(
        [_uv(), "build", "--wheel", "--offline", "--quiet", "-o", str(out), str(REPO / "core")],
        check=True,
        timeout=300,
    )
    (built,) = out.glob("spark_control_core-*.whl")
    return built


def test_the_wheel_carries_every_file_of_ui(wheel: Path) -> None:
    packed = {
        name.removeprefix("spark_control/dashboard/")
        for name in zipfile.ZipFile(wheel).namelist()
        if name.startswith("spark_control/dashboard/")
    }
    tracked = {
        path.relative_to(UI).as_posix()
        for path in UI.rglob("*")
        if path.is_file() and not path.name.startswith(".")
    }
    assert {"index.html", "app.js", "kit/index.js", "kit/dom.js", "kit/chart.js"} <= tracked
    assert packed == tracked


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new environment with the wheel installed; the dependencies come from this
    checkout's environment by a path entry (whose .pth files, such as the editable
    core's, are not processed), so ``spark_control`` can only come from the wheel."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = [_uv(), "pip", "install", "--offline", "--no-deps", "-q", "--python", str(python)]
    subprocess.run([*install, str(wheel)], check=True, timeout=120)
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(site) / "checkout_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    return venv


def test_the_installed_core_serves_ui_from_the_package(installed: Path) -> None:
    where = subprocess.run(
        [str(installed / "bin" / "python"), "-c", WHERE_IS_THE_DASHBOARD],
        check=True,
        capture_output=True,
        text=True,
        cwd=installed,
    ).stdout.strip()
    assert Path(where).parts[-2:] == ("spark_control", "dashboard")
    assert Path(where).is_relative_to(installed)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.headers["content-type"], response.read()


@pytest.fixture
def gateway(installed: Path, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    config = tmp_path / "config.yaml"
    config.write_text("plugins:\n  enabled: []\n", encoding="utf-8")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(CLEARED_ENV)},
        "SPARK_CONTROL__GATEWAY__HOST": "127.0.0.1",
        "SPARK_CONTROL__GATEWAY__PORT": str(port),
        "SPARK_CONTROL__GATEWAY__DATA_DIR": str(tmp_path / "data"),
    }
    process = subprocess.Popen(
        [str(installed / "bin" / "spark-control"), "serve", "--config", str(config)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"spark-control serve exited {process.returncode}: {output}")
            try:
                _get(url + "/health")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("the installed gateway did not answer /health within 60 s")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_installed_gateway_serves_the_dashboard_and_the_kit(gateway: str) -> None:
    for path in SERVED:
        status, media_type, body = _get(gateway + path)
        source = UI / ("index.html" if path == "/" else path.removeprefix("/ui/"))
        assert (path, status, body) == (path, 200, source.read_bytes())
        expected = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}
        assert media_type.startswith(expected[source.suffix])
    with pytest.raises(urllib.error.HTTPError) as missing:
        _get(gateway + "/ui/kit/nope.js")
    assert missing.value.code == 404
