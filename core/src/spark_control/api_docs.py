"""The API browser (``/docs``, Swagger UI; ``/redoc``) with its assets served here.

FastAPI's own pages load Swagger UI and ReDoc from a CDN, so on a LAN without internet
they stay blank. The same pages are built with FastAPI's helpers, pointing at copies of
the assets that the ``fastapi-offline`` package ships (pinned in ``uv.lock``), served
from ``/docs/assets/``. Like the dashboard page, they hold no data: the schema they
show comes from ``/openapi.json``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import FileResponse, HTMLResponse, Response

from spark_control.access import PUBLIC, requires
from spark_control.errors import SparkError

ASSETS_DIR = Path(fastapi_offline.__file__).with_name("static")
ASSETS_URL = "/docs/assets"
# FastAPI's default (``swagger_ui_oauth2_redirect_url``), which the app keeps.
REDIRECT_URL = "/docs/oauth2-redirect"
# Only these, by name: nothing else in the package's folder is reachable.
_ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
    "favicon.png": "image/png",
}
# ReDoc's sidebar footer ("API docs by Redocly") always loads its logo from Redocly's CDN,
# and no ReDoc option hides it; without internet that is an error in the console. The
# script is served with that image swapped for an empty inline one (no request at all).
_REDOC = "redoc.standalone.js"
_REDOC_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
_EMPTY_IMAGE = b"data:image/svg+xml,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27/%3E"
_NO_SNIFF = {"X-Content-Type-Options": "nosniff"}


# The app is built with ``docs_url=None, redoc_url=None``, so these replace FastAPI's;
# each page reads its title and schema URL from the app serving the request.
router = APIRouter(include_in_schema=False, dependencies=[requires(PUBLIC)])


def _openapi_url(app: FastAPI) -> str:
    return app.openapi_url or "/openapi.json"


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    app: FastAPI = request.app
    return get_swagger_ui_html(
        openapi_url=_openapi_url(app),
        title=f"{app.title} - Swagger UI",
        oauth2_redirect_url=REDIRECT_URL,
        swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS_URL}/favicon.png",
        # No badge from the public online validator: nothing leaves the LAN.
        swagger_ui_parameters={"validatorUrl": None, **(app.swagger_ui_parameters or {})},
    )


@router.get(REDIRECT_URL)
async def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    app: FastAPI = request.app
    return get_redoc_html(
        openapi_url=_openapi_url(app),
        title=f"{app.title} - ReDoc",
        redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
        redoc_favicon_url=f"{ASSETS_URL}/favicon.png",
        with_google_fonts=False,
    )


@cache
def _redoc_script() -> bytes:
    """The bundled ReDoc with its one remote image made local (read once, 1 MB)."""
    return (ASSETS_DIR / _REDOC).read_bytes().replace(_REDOC_LOGO, _EMPTY_IMAGE)


@router.get(ASSETS_URL + "/{name}", response_model=None)
async def asset(name: str) -> FileResponse | Response:
    media_type = _ASSETS.get(name)
    path = ASSETS_DIR / name
    if media_type is None or not path.is_file():
        raise SparkError(f"no API browser asset {name!r}", status=404, type="not_found")
    if name == _REDOC:
        return Response(_redoc_script(), media_type=media_type, headers=_NO_SNIFF)
    return FileResponse(path, media_type=media_type, headers=_NO_SNIFF)
