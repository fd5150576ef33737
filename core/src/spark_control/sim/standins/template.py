"""The part of Go's text/template that ``docker --format`` strings use.

``{{.Field}}`` and ``{{.A.B}}`` walk the object, ``{{json .X}}`` marshals like Go
(compact, with ``<``, ``>`` and ``&`` escaped), ``{{index .Labels "k"}}``, ``{{join .L
","}}``, ``{{lower ...}}``, ``{{upper ...}}``, ``{{len ...}}`` and pipes (``{{.X | json}}``).
Values print as Go prints them: ``true``, ``map[k:v]``, ``[a b]``, ``<no value>``.
Anything else is a template error, as docker reports one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

__all__ = ["TemplateError", "go_json", "go_string", "render", "unescape"]

_ACTION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\|' r"|[^\s|]+")


class TemplateError(ValueError):
    """The template cannot be parsed or executed."""


def unescape(fmt: str) -> str:
    """Docker turns the two-character sequences ``\\t`` and ``\\n`` into real ones."""
    return fmt.replace("\\t", "\t").replace("\\n", "\n")


def go_json(value: Any, *, indent: int | None = None) -> str:
    """JSON as Go's encoding/json writes it, including its HTML-safe escapes."""
    separators = (",", ": ") if indent else (",", ":")
    text = json.dumps(value, indent=indent, separators=separators, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def go_string(value: Any) -> str:
    """How ``{{.X}}`` prints a value."""
    if value is None:
        return "<no value>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_string(v)}" for k, v in sorted(value.items())) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_string(v) for v in value) + "]"
    return str(value)


def _field(data: Any, path: str) -> Any:
    if path == ".":
        return data
    current = data
    for part in path.strip(".").split("."):
        if isinstance(current, dict):
            current = current.get(part)
        else:
            raise TemplateError(f"template: :1: can't evaluate field {part}")
    return current


def _literal(word: str) -> Any:
    if word.startswith('"'):
        return json.loads(word)
    if word.lstrip("-").isdigit():
        return int(word)
    if word in ("true", "false"):
        return word == "true"
    raise TemplateError(f'template: :1: function "{word}" not defined')


def _index(container: Any, *keys: Any) -> Any:
    for key in keys:
        if isinstance(container, dict):
            # Go's index gives the zero value for a missing map key: "" for labels and env.
            container = container.get(key, "")
        elif isinstance(container, list) and isinstance(key, int):
            container = container[key] if 0 <= key < len(container) else None
        else:
            raise TemplateError("template: :1: error calling index: cannot index")
    return container


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "json": lambda v: go_json(v),
    "index": _index,
    "join": lambda items, sep: sep.join(go_string(i) for i in (items or [])),
    "lower": lambda v: go_string(v).lower(),
    "upper": lambda v: go_string(v).upper(),
    "title": lambda v: go_string(v).title(),
    "len": lambda v: len(v or ""),
    "print": lambda *v: "".join(go_string(i) for i in v),
    "println": lambda *v: " ".join(go_string(i) for i in v) + "\n",
}


def _command(tokens: list[str], data: Any, piped: list[Any]) -> Any:
    if not tokens:
        raise TemplateError("template: :1: missing value for command")
    args = [_field(data, t) if t.startswith(".") else _literal(t) for t in tokens[1:]]
    head = tokens[0]
    if head == ".Label" and isinstance(data, dict) and isinstance(data.get("Labels"), str):
        # docker ps's Label method: one label of the row's "k=v,k2=v2" string.
        if len(args) != 1:
            raise TemplateError("template: :1: wrong number of args for Label")
        labels = dict(item.partition("=")[::2] for item in data["Labels"].split(",") if item)
        return labels.get(str(args[0]), "")
    if head.startswith("."):
        if len(tokens) > 1 or piped:
            raise TemplateError(f"template: :1: can't give argument to non-function {head}")
        return _field(data, head)
    function = _FUNCTIONS.get(head)
    if function is None:
        if not args and not piped:
            return _literal(head)
        raise TemplateError(f'template: :1: function "{head}" not defined')
    try:
        return function(*args, *piped)
    except TypeError:
        raise TemplateError(f"template: :1: wrong number of args for {head}") from None


def _evaluate(expression: str, data: Any) -> str:
    stages: list[list[str]] = [[]]
    for word in _TOKEN.findall(expression):
        if word == "|":
            stages.append([])
        else:
            stages[-1].append(word)
    piped: list[Any] = []
    for stage in stages:
        piped = [_command(stage, data, piped)]
    return go_string(piped[0])


def render(template: str, data: Any) -> str:
    """Execute ``template`` against ``data`` (dicts and lists, as JSON decodes them)."""
    parts: list[str] = []
    position = 0
    for match in _ACTION.finditer(template):
        parts.append(template[position : match.start()])
        parts.append(_evaluate(match.group(1), data))
        position = match.end()
    rest = template[position:]
    if "{{" in rest:
        raise TemplateError("template: :1: unclosed action")
    parts.append(rest)
    return "".join(parts)
