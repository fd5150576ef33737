"""The vendored front-end files are the pinned npm releases, unedited (ui/VENDORED.md)."""

from __future__ import annotations

import runpy
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "vendor_js.py"


def test_vendored_files_match_their_pins() -> None:
    vendor = runpy.run_path(str(SCRIPT))
    assert len(vendor["pins"]()) == 3
    assert vendor["check"]() == []
