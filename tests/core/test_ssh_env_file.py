"""``Script.with_env_file`` and the Docker image validator, checked against a real /bin/sh.

A secret reaches a program through a sourced 0600 file, never through its argv; image
references are accepted only from a charset that survives an unquoted re-split.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from spark_control.errors import InvalidValue
from spark_control.ssh import RemoteCommand, arg, write_secret_file
from spark_control.ssh import validators as v

TOKEN = "hf_Secret123"


def _sh(script: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["/bin/sh", "-c", script],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=10,
        env={"PATH": os.environ["PATH"], "HOME": str(cwd)},
    )


def test_env_file_exports_its_variables_without_them_on_the_command_line(tmp_path: Path) -> None:
    secret = tmp_path / "hf.env"
    written = _sh(
        write_secret_file(arg.path(str(secret))).render(), tmp_path, f"HF_TOKEN='{TOKEN}'\n"
    )
    assert written.returncode == 0, written.stderr
    assert secret.stat().st_mode & 0o777 == 0o600

    # `sh -c 'printf ... "$HF_TOKEN"'` in a child proves the variable was exported.
    child = RemoteCommand("sh", "-c", arg.env_value('printf %s "$HF_TOKEN"'))
    script = child.with_env_file(arg.path(str(secret)))
    rendered = script.render()
    assert TOKEN not in rendered
    assert rendered.startswith(f"set -a && . {secret} && set +a && ")

    result = _sh(rendered, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == TOKEN


def test_a_relative_env_file_is_never_searched_in_path(tmp_path: Path) -> None:
    (tmp_path / "token.env").write_text("GREETING=hello\n")
    script = RemoteCommand("sh", "-c", arg.env_value('printf %s "$GREETING"')).with_env_file(
        arg.relative_path("token.env")
    )
    assert ". ./token.env" in script.render()
    result = _sh(script.render(), tmp_path)
    assert result.stdout == "hello"


def test_a_missing_env_file_stops_the_command(tmp_path: Path) -> None:
    script = RemoteCommand("touch", arg.path(str(tmp_path / "ran"))).with_env_file(
        arg.path(str(tmp_path / "absent.env"))
    )
    result = _sh(script.render(), tmp_path)
    assert result.returncode != 0
    assert not (tmp_path / "ran").exists()


def test_env_file_needs_a_validated_path() -> None:
    with pytest.raises(TypeError):
        RemoteCommand("true").with_env_file("/tmp/x.env")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "image",
    [
        "my-image",
        "nvcr.io/nvidia/pytorch:25.09-py3",
        "ghcr.io/org/name@sha256:" + "a" * 64,
        "ghcr.io/org/name:v1@sha256:" + "0123456789abcdef" * 4,
        "localhost:5000/team/image_name:latest",
        "library/ubuntu",
    ],
)
def test_image_references_are_accepted(image: str) -> None:
    assert v.validate_docker_image(image) == image
    assert arg.image(image).text == image


@pytest.mark.parametrize(
    "image",
    [
        "",
        "-t",
        "my image",
        "My-Image",
        "my-image:",
        "my-image:-x",
        "name@sha256:abc",
        "name@md5:" + "a" * 64,
        "org//name",
        "nvcr.io/nvidia/pytorch:25.09;rm",
        "img$(id)",
        "img*",
        "a/b:c/d",
    ],
)
def test_bad_image_references_are_refused(image: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        v.validate_docker_image(image, "plugin.image")
    assert caught.value.field == "plugin.image"
