"""The dashboard: ``GET /`` serves its page, ``GET /ui/{file}`` its scripts and styles,
``GET /ui/kit/{file}`` the tile kit (docs/PLUGINS.md, "The tile kit").

The files live in the repository's top-level ``ui/`` folder; a built wheel carries them
as ``spark_control/dashboard/`` (core/hatch_build.py). Only files directly in that
folder or its ``kit/`` are served, by plain name (no slashes, no dot files), so no
request can reach anything else. The page carries a strict Content-Security-Policy:
scripts, styles and connections only from this gateway, no inline script, no framing.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from spark_control.access import PUBLIC, requires
from spark_control.errors import SparkError


def _dashboard_dir() -> Path:
    """The installed copy in a wheel, else ``ui/`` of the source tree (editable install)."""
    packaged = Path(__file__).with_name("dashboard")
    if (packaged / "index.html").is_file():
        return packaged
    return Path(__file__).resolve().parents[3] / "ui"


DASHBOARD_DIR = _dashboard_dir()

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)

_MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}
_FILE_NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}$")

_COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-cache",
}


def _dashboard_file(name: str, folder: str = "") -> Path:
    suffix = Path(name).suffix
    if _FILE_NAME.match(name) is None or ".." in name or suffix not in _MEDIA_TYPES:
        raise SparkError(f"no dashboard file {name!r}", status=404, type="not_found")
    path = DASHBOARD_DIR / folder / name
    if not path.is_file():
        raise SparkError(f"no dashboard file {name!r}", status=404, type="not_found")
    return path


def _respond(path: Path) -> FileResponse:
    headers = dict(_COMMON_HEADERS)
    if path.suffix == ".html":
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        headers["X-Frame-Options"] = "DENY"
    return FileResponse(path, media_type=_MEDIA_TYPES[path.suffix], headers=headers)


# ``GET /``, ``GET /ui/{file}`` and ``GET /ui/kit/{file}``, kept out of the OpenAPI. The
# page and its scripts hold no data: they load without a key and sign in.
router = APIRouter(include_in_schema=False, dependencies=[requires(PUBLIC)])


# HEAD as GET without the body (uptime checks, link checkers).
@router.api_route("/", methods=["GET", "HEAD"])
async def index() -> FileResponse:
    return _respond(_dashboard_file("index.html"))


@router.api_route("/ui/{file}", methods=["GET", "HEAD"])
async def static_file(file: str) -> FileResponse:
    return _respond(_dashboard_file(file))


@router.api_route("/ui/kit/{file}", methods=["GET", "HEAD"])
async def kit_file(file: str) -> FileResponse:
    return _respond(_dashboard_file(file, "kit"))
