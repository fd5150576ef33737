"""Allow-list validators for every value that may reach a remote shell.

Each validator takes an untrusted value and the name of the input it came from, and
returns the value unchanged (ports: as an int) or raises ``InvalidValue(field, reason)``.
They describe what is allowed rather than what is forbidden, so a character nobody
thought of is refused by default. Reasons never echo more than a short excerpt.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

from spark_control.errors import InvalidValue

__all__ = [
    "validate_absolute_path",
    "validate_container_name",
    "validate_docker_image",
    "validate_env_name",
    "validate_env_value",
    "validate_extra_flag",
    "validate_extra_flags",
    "validate_git_branch",
    "validate_host",
    "validate_hostname",
    "validate_ip_address",
    "validate_model_id",
    "validate_port",
    "validate_relative_path",
    "validate_unix_user",
    "validate_unsplittable_value",
]

_MODEL_PART = re.compile(r"[A-Za-z0-9._-]+")
_CONTAINER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_PATH_SEGMENT = re.compile(r"[A-Za-z0-9._+@-]+")
_UNIX_USER = re.compile(r"[a-z_][a-z0-9_-]{0,31}")
_BRANCH_PART = re.compile(r"[A-Za-z0-9._+-]+")
_HOST_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Characters that survive an unquoted re-split in a remote script: no whitespace
# (field splitting), no glob characters, no quotes, backslashes or expansions.
_UNSPLITTABLE = re.compile(r"[A-Za-z0-9._:/=@%+,-]+")
_FLAG = re.compile(r"--[A-Za-z0-9][A-Za-z0-9-]*(?:=[A-Za-z0-9._:/=@%+,-]*)?")

# Docker image references (the distribution reference grammar, narrowed): an optional
# registry host[:port], lower-case path components, an optional tag, an optional digest.
_IMAGE_REGISTRY = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
    r"(?::[0-9]{1,5})?"
)
_IMAGE_COMPONENT = re.compile(r"[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*")
_IMAGE_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_IMAGE_DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
_IMAGE_CHARS = re.compile(r"[A-Za-z0-9._/:@-]")

_EXCERPT = 40


def _excerpt(value: str) -> str:
    """A short repr of a rejected value, so a 422 never echoes a megabyte back."""
    if len(value) <= _EXCERPT:
        return repr(value)
    return f"{value[:_EXCERPT]!r}... ({len(value)} characters)"


def _first_outside(value: str, allowed: re.Pattern[str]) -> str | None:
    """The first character that the single-character class ``allowed`` does not match."""
    for ch in value:
        if not allowed.fullmatch(ch):
            return ch
    return None


def _require_str(value: object, field: str, max_len: int, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise InvalidValue(field, f"must be a string, not {type(value).__name__}")
    if not value and not allow_empty:
        raise InvalidValue(field, "must not be empty")
    if len(value) > max_len:
        raise InvalidValue(field, f"is {len(value)} characters long; the limit is {max_len}")
    return value


def _check_charset(value: str, field: str, allowed: re.Pattern[str], what: str) -> None:
    bad = _first_outside(value, allowed)
    if bad is not None:
        raise InvalidValue(field, f"contains {bad!r}; allowed are {what}")


_MODEL_CHARS = re.compile(r"[A-Za-z0-9._/-]")
_PATH_CHARS = re.compile(r"[A-Za-z0-9._+@/-]")
_BRANCH_CHARS = re.compile(r"[A-Za-z0-9._+/-]")
_UNSPLITTABLE_CHARS = re.compile(r"[A-Za-z0-9._:/=@%+,-]")


def validate_model_id(value: object, field: str = "model_id") -> str:
    """A Hugging Face style model id: ``org/name`` or ``name``."""
    text = _require_str(value, field, 200)
    _check_charset(text, field, _MODEL_CHARS, "letters, digits, '.', '_', '-' and one '/'")
    parts = text.split("/")
    if len(parts) > 2:
        raise InvalidValue(field, "may contain at most one '/' (org/name)")
    for part in parts:
        if not _MODEL_PART.fullmatch(part):
            raise InvalidValue(field, "has an empty part around '/'")
        if part[0] in ".-":
            raise InvalidValue(field, "parts must not start with '.' or '-'")
    if ".." in text:
        raise InvalidValue(field, "must not contain '..'")
    return text


def validate_container_name(value: object, field: str = "container") -> str:
    """A Docker container name: ``[a-zA-Z0-9][a-zA-Z0-9_.-]*``, at most 128 characters."""
    text = _require_str(value, field, 128)
    if not _CONTAINER.fullmatch(text):
        raise InvalidValue(
            field,
            f"{_excerpt(text)} is not a container name "
            "(a letter or digit, then letters, digits, '_', '.', '-')",
        )
    return text


def validate_docker_image(value: object, field: str = "image") -> str:
    """A Docker image reference: ``my-image``, ``nvcr.io/nvidia/pytorch:25.09-py3``,
    ``ghcr.io/org/name@sha256:<64 hex>`` (``[registry[:port]/]path[:tag][@digest]``).

    The charset is a subset of the unsplittable one, because some launcher scripts
    paste the image into a string that the shell later splits unquoted.
    """
    text = _require_str(value, field, 512)
    _check_charset(text, field, _IMAGE_CHARS, "letters, digits and . _ - / : @")
    what = f"{_excerpt(text)} is not an image reference ([registry/]name[:tag][@sha256:...])"
    name, at, digest = text.partition("@")
    if at and not _IMAGE_DIGEST.fullmatch(digest):
        raise InvalidValue(field, "a digest must be sha256: followed by 64 lower-case hex digits")
    components = name.split("/")
    last, colon, tag = components[-1].partition(":")
    if colon and not _IMAGE_TAG.fullmatch(tag):
        raise InvalidValue(field, what)
    components[-1] = last
    # Only the first of several components may be a registry host (dots, a port, case).
    if len(components) > 1 and _IMAGE_REGISTRY.fullmatch(components[0]):
        first = components[0]
        if "." in first or ":" in first or first == "localhost":
            components = components[1:]
    for component in components:
        if not _IMAGE_COMPONENT.fullmatch(component):
            raise InvalidValue(field, what)
    return text


def _check_segments(text: str, field: str, segments: list[str]) -> None:
    for segment in segments:
        if not segment:
            raise InvalidValue(field, "must not contain empty segments ('//' or a trailing '/')")
        if segment in (".", ".."):
            raise InvalidValue(field, f"must not contain a {segment!r} segment")
        if not _PATH_SEGMENT.fullmatch(segment):  # pragma: no cover - charset checked first
            raise InvalidValue(field, f"segment {_excerpt(segment)} has disallowed characters")


def validate_absolute_path(value: object, field: str = "path") -> str:
    """An absolute POSIX path of plain segments (``[A-Za-z0-9._+@-]``), no ``.``/``..``."""
    text = _require_str(value, field, 4096)
    _check_charset(text, field, _PATH_CHARS, "letters, digits, '/', '.', '_', '+', '@', '-'")
    if not text.startswith("/"):
        raise InvalidValue(field, "must be an absolute path (start with '/')")
    if text == "/":
        raise InvalidValue(field, "must not be the root directory")
    _check_segments(text, field, text[1:].split("/"))
    return text


def validate_relative_path(value: object, field: str = "path") -> str:
    """A relative POSIX path of plain segments that cannot climb out or pose as an option."""
    text = _require_str(value, field, 4096)
    _check_charset(text, field, _PATH_CHARS, "letters, digits, '/', '.', '_', '+', '@', '-'")
    if text.startswith("/"):
        raise InvalidValue(field, "must be a relative path (not start with '/')")
    if text.startswith("-"):
        # A leading dash would be read as an option by the command receiving it.
        raise InvalidValue(field, "must not start with '-'")
    _check_segments(text, field, text.split("/"))
    return text


def validate_unix_user(value: object, field: str = "user") -> str:
    """A portable Unix user name: ``[a-z_][a-z0-9_-]{0,31}``."""
    text = _require_str(value, field, 32)
    if not _UNIX_USER.fullmatch(text):
        raise InvalidValue(
            field,
            f"{_excerpt(text)} is not a user name "
            "(lower-case letter or '_', then lower-case letters, digits, '_', '-')",
        )
    return text


def validate_git_branch(value: object, field: str = "branch") -> str:
    """A branch name that passes ``git check-ref-format --branch``, from a narrow charset."""
    text = _require_str(value, field, 255)
    _check_charset(text, field, _BRANCH_CHARS, "letters, digits, '/', '.', '_', '+', '-'")
    if text.startswith("-"):
        raise InvalidValue(field, "must not start with '-'")
    if text.endswith(".") or ".." in text:
        raise InvalidValue(field, "must not end with '.' or contain '..'")
    for part in text.split("/"):
        if not part:
            raise InvalidValue(field, "must not have empty components ('//' or '/' at an end)")
        if not _BRANCH_PART.fullmatch(part):  # pragma: no cover - charset checked first
            raise InvalidValue(field, "has a component with disallowed characters")
        if part.startswith("."):
            raise InvalidValue(field, "components must not start with '.'")
        if part.endswith(".lock"):
            raise InvalidValue(field, "components must not end with '.lock'")
    return text


def validate_hostname(value: object, field: str = "host") -> str:
    """A DNS host name made of RFC 1123 labels, at most 253 characters."""
    text = _require_str(value, field, 253)
    for label in text.split("."):
        if not _HOST_LABEL.fullmatch(label):
            raise InvalidValue(
                field,
                f"{_excerpt(text)} is not a host name "
                "(dot-separated labels of letters, digits and inner '-')",
            )
    return text


def validate_ip_address(value: object, field: str = "host") -> str:
    """An IPv4 or IPv6 address (no zone id), returned in its canonical form."""
    text = _require_str(value, field, 45)
    if "%" in text:
        raise InvalidValue(field, "IPv6 zone ids are not accepted")
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise InvalidValue(field, f"{_excerpt(text)} is not an IP address") from None


def validate_host(value: object, field: str = "host") -> str:
    """Either an IP address or a host name."""
    text = _require_str(value, field, 253)
    try:
        return validate_ip_address(text, field)
    except InvalidValue:
        pass
    try:
        return validate_hostname(text, field)
    except InvalidValue:
        raise InvalidValue(
            field, f"{_excerpt(text)} is neither an IP address nor a host name"
        ) from None


def validate_port(value: object, field: str = "port") -> int:
    """A TCP port 1..65535, given as an int or a string of digits."""
    if isinstance(value, bool):
        raise InvalidValue(field, "must be a port number, not a boolean")
    if isinstance(value, str):
        if not value.isascii() or not value.isdigit() or len(value) > 5:
            raise InvalidValue(field, f"{_excerpt(value)} is not a port number")
        value = int(value)
    if not isinstance(value, int):
        raise InvalidValue(field, f"must be a port number, not {type(value).__name__}")
    if not 1 <= value <= 65535:
        raise InvalidValue(field, f"{value} is outside 1..65535")
    return value


def validate_env_name(value: object, field: str = "env") -> str:
    """An environment variable name: ``[A-Za-z_][A-Za-z0-9_]*``."""
    text = _require_str(value, field, 256)
    if not _ENV_NAME.fullmatch(text):
        raise InvalidValue(
            field,
            f"{_excerpt(text)} is not a variable name (a letter or '_', then letters, digits, '_')",
        )
    return text


def validate_env_value(value: object, field: str = "value") -> str:
    """A printable one-line value of at most 4096 characters (may be empty)."""
    text = _require_str(value, field, 4096, allow_empty=True)
    for ch in text:
        if not ch.isprintable():
            raise InvalidValue(field, f"contains the non-printable character {ch!r}")
    return text


def validate_unsplittable_value(value: object, field: str = "value") -> str:
    """A value safe even where a remote script re-splits it unquoted (``$VAR``).

    No whitespace, glob characters, quotes, backslashes or ``$``: only
    ``[A-Za-z0-9._:/=@%+,-]``, at most 4096 characters.
    """
    text = _require_str(value, field, 4096)
    _check_charset(
        text,
        field,
        _UNSPLITTABLE_CHARS,
        "letters, digits and . _ : / = @ % + , - (no spaces, quotes or glob characters)",
    )
    if not _UNSPLITTABLE.fullmatch(text):  # pragma: no cover - charset checked first
        raise InvalidValue(field, "has disallowed characters")
    return text


def validate_extra_flag(value: object, field: str = "extra_args") -> str:
    """One extra command-line flag: ``--name`` or ``--name=value`` from a safe charset."""
    text = _require_str(value, field, 4096)
    if not _FLAG.fullmatch(text):
        raise InvalidValue(
            field,
            f"{_excerpt(text)} is not a flag of the form --name or --name=value "
            "(value: letters, digits and . _ : / = @ % + , -)",
        )
    return text


def validate_extra_flags(values: Iterable[object], field: str = "extra_args") -> list[str]:
    """A list of extra flags; the error names the position of the first bad one."""
    if isinstance(values, str | bytes):
        raise InvalidValue(field, "must be a list of flags, not a single string")
    checked: list[str] = []
    for index, item in enumerate(values):
        checked.append(validate_extra_flag(item, f"{field}[{index}]"))
    return checked
