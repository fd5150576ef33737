"""Fetch the vendored front-end files again from npm, pinned, and check them.

    uv run python scripts/vendor_js.py          # re-fetch into place
    uv run python scripts/vendor_js.py --check  # only compare with ui/VENDORED.md

Uses ``npm pack`` (the registry's ordinary client), which checks the tarball against the
registry's integrity; each file's sha256 must then equal the pin in ui/VENDORED.md.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# (npm package@version, file in the tarball, destination)
FILES = [
    ("uplot@1.6.32", "package/dist/uPlot.iife.min.js", "ui/kit/uplot.iife.min.js"),
    ("uplot@1.6.32", "package/dist/uPlot.min.css", "ui/kit/uplot.min.css"),
    ("uplot@1.6.32", "package/LICENSE", "ui/kit/uplot.LICENSE"),
    ("axe-core@4.14.1", "package/axe.min.js", "tests/e2e/vendor/axe.min.js"),
    ("axe-core@4.14.1", "package/LICENSE", "tests/e2e/vendor/axe.LICENSE"),
]


def pins() -> dict[str, str]:
    """Destination → sha256, from the table in ui/VENDORED.md."""
    text = (ROOT / "ui" / "VENDORED.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|$", text, re.MULTILINE))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check() -> list[str]:
    return [
        f"{dest}: sha256 differs from ui/VENDORED.md"
        for dest, want in pins().items()
        if sha256(ROOT / dest) != want
    ]


def fetch() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for spec in sorted({spec for spec, _, _ in FILES}):
            subprocess.run(["npm", "pack", spec, "--pack-destination", tmp], check=True)
        for spec, member, dest in FILES:
            name, version = spec.rsplit("@", 1)
            with tarfile.open(Path(tmp) / f"{name}-{version}.tgz") as tar:
                source = tar.extractfile(member)
                assert source is not None, member
                with (ROOT / dest).open("wb") as out:
                    shutil.copyfileobj(source, out)


if __name__ == "__main__":
    if "--check" not in sys.argv:
        fetch()
    problems = check()
    print("\n".join(problems) or "vendored files match their pins")
    sys.exit(1 if problems else 0)
