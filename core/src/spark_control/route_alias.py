"""Old URLs kept as declared, deprecated aliases of a plugin's routes.

A plugin's routes live under ``/api/<plugin>/…``; the paths older clients (and the
StartOS package) call stay served: :func:`with_aliases` adds, for each ``old: new``
pair, a copy of every route at ``new`` served at ``old``. The copy is the same path
operation (same handler, dependencies, declared scope, responses) registered in the
same ``register(...)`` call, so the host gives it the same access scope and body
limit; the OpenAPI marks it ``deprecated`` and names its new path in ``x-alias-of``, and
every answer from it says so too (``Deprecation: true`` and a ``Link`` to the new path
with ``rel="successor-version"``, RFC 9745 and RFC 8288), so a client sees it without
reading the OpenAPI.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request, Response
from fastapi.datastructures import DefaultPlaceholder
from fastapi.routing import APIRoute

ALIAS_OF = "x-alias-of"
"""The OpenAPI extension naming the path an alias stands for."""


def with_aliases(router: APIRouter, aliases: Mapping[str, str]) -> APIRouter:
    """A router with every route of ``router``, plus a deprecated copy at ``old`` of
    each route at ``new``, for every ``old: new`` pair of ``aliases``.

    Raises ``ValueError`` when a ``new`` path has no route (a typo would otherwise
    drop an old client's path silently)."""
    routes = [route for route in router.routes if isinstance(route, APIRoute)]
    missing = sorted(set(aliases.values()) - {route.path for route in routes})
    if missing:
        raise ValueError(f"aliases name paths the router does not serve: {', '.join(missing)}")
    combined = APIRouter()
    combined.routes.extend(router.routes)
    for old, new in aliases.items():
        combined.routes.extend(alias_route(route, old) for route in routes if route.path == new)
    return combined


def alias_route(route: APIRoute, path: str) -> APIRoute:
    """``route`` served at ``path`` too: the same operation, marked deprecated."""
    note = f"Deprecated alias of `{route.path}`: call that path instead."
    return APIRoute(
        path,
        route.endpoint,
        response_model=route.response_model,
        status_code=route.status_code,
        tags=route.tags,
        dependencies=[*route.dependencies, Depends(_deprecation_headers(route.path))],
        summary=route.summary,
        description=f"{route.description}\n\n{note}" if route.description else note,
        response_description=route.response_description,
        responses=route.responses,
        deprecated=True,
        methods=route.methods,
        operation_id=_deprecated_id(route.operation_id, path) if route.operation_id else None,
        response_model_include=route.response_model_include,
        response_model_exclude=route.response_model_exclude,
        response_model_by_alias=route.response_model_by_alias,
        response_model_exclude_unset=route.response_model_exclude_unset,
        response_model_exclude_defaults=route.response_model_exclude_defaults,
        response_model_exclude_none=route.response_model_exclude_none,
        include_in_schema=route.include_in_schema,
        response_class=route.response_class,
        name=route.name,
        callbacks=route.callbacks,
        openapi_extra={**(route.openapi_extra or {}), ALIAS_OF: route.path},
        generate_unique_id_function=_deprecated_ids(route),
    )


def _deprecation_headers(new_path: str) -> Callable[[Request, Response], None]:
    """A dependency that marks the alias's answer deprecated, naming ``new_path`` with
    this request's path parameters filled in (an alias and its path share them).

    FastAPI copies headers set on this ``Response`` onto whatever the handler answers,
    a ``Response`` it returns itself included."""

    def mark(request: Request, response: Response) -> None:
        params = {name: quote(str(value), safe="") for name, value in request.path_params.items()}
        try:
            successor = new_path.format(**params)
        except (KeyError, IndexError, ValueError):
            successor = new_path
        response.headers["Deprecation"] = "true"
        response.headers["Link"] = f'<{successor}>; rel="successor-version"'

    return mark


def _deprecated_id(operation_id: str, path: str) -> str:
    return f"{operation_id}_deprecated_{re.sub(r'[^0-9A-Za-z_]', '_', path)}"


def _deprecated_ids(route: APIRoute) -> Callable[[APIRoute], str]:
    """The route's own operation-id rule, marked: ``/api/some-plugin/x`` and
    ``/api/some_plugin/x`` would otherwise get the same id."""
    base = route.generate_unique_id_function
    if isinstance(base, DefaultPlaceholder):
        base = base.value

    def unique_id(alias: APIRoute) -> str:
        return f"{base(alias)}_deprecated"

    return unique_id
