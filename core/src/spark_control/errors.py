"""The gateway's error types and its one JSON error shape.

Every error a client sees is ``{"error": {"type", "message", "detail"}}``; under ``/v1`` the
same object also carries OpenAI's ``code`` and ``param`` so SDK clients parse it unchanged.
:func:`install_error_handlers` makes the app answer every error in that shape.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)


class SparkError(Exception):
    """An error with an HTTP status and a message meant for the caller."""

    status: int = 500
    type: str = "internal_error"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        type: str | None = None,
        detail: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        if type is not None:
            self.type = type
        elif status is not None and self.type == SparkError.type:
            # A 4xx raised without a type is the caller's mistake, not "internal_error".
            self.type = _default_type(status)
        self.detail = detail
        self.headers = headers or {}


class InvalidValue(SparkError):
    """A value failed an allow-list check; ``field`` names which input was wrong."""

    status = 422
    type = "invalid_value"

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}", detail={"field": field})
        self.field = field
        self.reason = reason


class ConfigError(SparkError):
    """The configuration cannot be used; the CLI exits 78 with this message."""

    type = "config_error"


class Unavailable(SparkError):
    status = 503
    type = "unavailable"


def error_body(
    status: int, message: str, *, type: str | None = None, detail: Any = None, openai: bool = False
) -> dict[str, Any]:
    """Build the one error shape; ``openai=True`` adds OpenAI's ``code`` and ``param`` keys."""
    error: dict[str, Any] = {
        "type": type or _default_type(status),
        "message": message,
        "detail": detail,
    }
    if openai:
        error["code"] = status
        error["param"] = detail.get("field") if isinstance(detail, dict) else None
    return {"error": error}


def _default_type(status: int) -> str:
    return {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        413: "payload_too_large",
        415: "unsupported_media_type",
        422: "invalid_value",
        423: "locked",
        429: "rate_limited",
        503: "unavailable",
        504: "timeout",
    }.get(status, "internal_error" if status >= 500 else "bad_request")


# --- the app's handlers ----------------------------------------------------------------


def _respond(request: Request, status: int, message: str, **kw: Any) -> JSONResponse:
    openai = request.url.path.startswith("/v1/")
    headers = kw.pop("headers", None)
    return JSONResponse(
        error_body(status, message, openai=openai, **kw), status_code=status, headers=headers
    )


async def spark_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SparkError)
    return _respond(
        request, exc.status, exc.message, type=exc.type, detail=exc.detail, headers=exc.headers
    )


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else "request failed"
    if message == _FASTAPI_BODY_ERROR:
        # What FastAPI says when reading the JSON body raised something other than a
        # decode error (nesting too deep for the parser): the same words as above.
        message = "the request body is not valid JSON: it could not be parsed (nested too deeply?)"
    return _respond(request, exc.status_code, message, headers=exc.headers)


_FASTAPI_BODY_ERROR = "There was an error parsing the body"


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    for err in errors:
        if err["type"] == "json_invalid":
            # FastAPI puts the character offset where a field name would be.
            at = err["loc"][1] if len(err["loc"]) > 1 else None
            why = (err.get("ctx") or {}).get("error") or err["msg"]
            where = f" at character {at}" if isinstance(at, int) else ""
            return _respond(
                request,
                400,
                f"the request body is not valid JSON: {why}{where}",
                type="bad_request",
                detail={"position": at} if isinstance(at, int) else None,
            )
        if err["type"] == "missing" and tuple(err["loc"]) == ("body",):
            return _respond(
                request,
                422,
                "the request body is missing: this endpoint takes a JSON object "
                "(Content-Type: application/json)",
                type="invalid_value",
                detail={"field": "body"},
            )
    problems = []
    for err in errors:
        loc = ".".join(str(p) for p in err["loc"] if p not in ("body",))
        problems.append(f"{loc}: {err['msg']}")
    return _respond(
        request,
        422,
        "invalid request: " + "; ".join(problems),
        type="invalid_value",
        detail={"field": ".".join(str(p) for p in errors[0]["loc"][1:])} if errors else None,
    )


async def unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _respond(request, 500, "internal error; see the gateway log")


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error ``app`` meets in the one shape (OpenAI's under ``/v1``)."""
    app.add_exception_handler(SparkError, spark_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected)
