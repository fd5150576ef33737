"""Reading the multipart form of a transcription request, with the guards of §8:
wrong type → 415, missing or unreadable form → 400."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from python_multipart.exceptions import MultipartParseError
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from spark_control.api import SparkError
from spark_control_speech.audio import FORMATS_HINT, check_declared_type

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


@asynccontextmanager
async def multipart(request: Request) -> AsyncIterator[FormData]:
    """The request's form (files spooled to disk past 1 MB), closed afterwards."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise SparkError(
            f"expected multipart/form-data with the audio in a 'file' field ({FORMATS_HINT}), "
            f"got {content_type.split(';')[0] or 'no Content-Type'}",
            status=415,
            type="unsupported_media_type",
        )
    try:
        form = await request.form(max_files=2, max_fields=32)
    except MultiPartException as exc:
        raise SparkError(f"could not read the multipart form: {exc.message}", status=400) from None
    except HTTPException as exc:  # how starlette reports a parse error inside an app
        raise SparkError(f"could not read the multipart form: {exc.detail}", status=400) from None
    except (MultipartParseError, ValueError) as exc:
        raise SparkError(f"could not read the multipart form: {exc}", status=400) from None
    try:
        yield form
    finally:
        await form.close()


def audio_file(form: FormData, field: str, *, required: bool = True) -> UploadFile | None:
    value = form.get(field)
    if value is None or (isinstance(value, str) and not value):
        if required:
            raise SparkError(
                f"no audio: send the recording as the multipart file field '{field}'",
                status=400,
                detail={"field": field},
            )
        return None
    if isinstance(value, str):
        raise SparkError(
            f"{field}: expected a file upload, got a text field",
            status=400,
            detail={"field": field},
        )
    check_declared_type(value.content_type, field)
    return value


def text(form: FormData, field: str, default: str | None = None) -> str | None:
    value = form.get(field)
    if value is None:
        return default
    if not isinstance(value, str):
        raise SparkError(f"{field}: expected text, got a file", status=400, detail={"field": field})
    return value.strip() or default


def flag(form: FormData, field: str, query: str | None = None) -> bool:
    value = (text(form, field) or query or "").strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise SparkError(f"{field}: expected true or false, got {value!r}", status=400)


def choice(form: FormData, field: str, allowed: tuple[str, ...], default: str) -> str:
    value = text(form, field, default) or default
    if value not in allowed:
        raise SparkError(
            f"{field}: {value!r} is not one of {', '.join(allowed)}",
            status=400,
            detail={"field": field},
        )
    return value


def speaker_names(value: str | None, order: list[str]) -> dict[str, str]:
    """``{"A": "Alice"}`` as JSON, or ``Alice,Bob`` for the speakers in order of first
    speech."""
    if not value:
        return {}
    if value.lstrip().startswith("{"):
        try:
            names: Any = json.loads(value)
        except ValueError as exc:
            raise SparkError(f"speaker_names: not valid JSON ({exc})", status=400) from None
        if not isinstance(names, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in names.items()
        ):
            raise SparkError(
                'speaker_names: expected {"A": "Alice", ...} with non-empty names', status=400
            )
        return {k: v.strip() for k, v in names.items()}
    listed = [name.strip() for name in value.split(",")]
    if not all(listed):
        raise SparkError("speaker_names: empty name in the list", status=400)
    return dict(zip(order, listed, strict=False))
