"""The plugin contract: every hook a Spark Control plugin may implement.

The calling rule is the same for every hook: the host calls it itself, once per enabled
plugin, in configured order (``plugins.enabled``; default: by name), so it knows who
contributed what and can await async implementations; each docstring says when, and
what stops the walk. pluggy's ordering and wrapping options (``tryfirst``, ``trylast``,
``wrapper``, ``hookwrapper``) would be ignored by such a walk, so a plugin that uses one
is refused at registration, naming the plugin and the option. A hook that hands the
plugin a ``register`` callback lets the host refuse duplicates with both claimants
named. Implementations may be plain functions or coroutines. The core's own features
are default plugins of these same hooks (``core_plugins.py``), called before any
installed plugin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from collections.abc import Iterable
    from contextlib import AbstractAsyncContextManager

    from spark_control.contrib import (
        Action,
        CheckRegistrar,
        ProbeRegistrar,
        Refusal,
        RouteRegistrar,
        ServiceRegistrar,
        TileRegistrar,
    )
    from spark_control.events import Event
    from spark_control.history import HistorySample
    from spark_control.host import Host
    from spark_control.sim.registry import SimRegistrar

PROJECT = "spark_control"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def spark_lifespan(host: Host) -> AbstractAsyncContextManager[Any] | None:
    """Per plugin, in configured order, at start-up: an async context manager entered
    before the gateway serves and exited at shutdown, in reverse plugin order.

    Open clients and start background work here. If entering raises, the plugin's
    routes answer 503 with the reason and the rest of the gateway serves.
    """


@hookspec
def spark_services(host: Host, register: ServiceRegistrar) -> None:
    """Per plugin, in configured order, at start-up, before any plugin's routes, probes
    and tiles: declare the services this plugin brings, with their defaults, through
    ``register(Service(...))``.

    The config's ``services`` section and ``services-overrides.yaml`` win: a service
    they name is kept as configured. A service two plugins declare is refused with both
    named, as is one on an unknown node.
    """


@hookspec
def spark_routes(host: Host, register: RouteRegistrar) -> None:
    """Per plugin, in configured order, at start-up: claim HTTP routes through
    ``register``.

    ``register(router)`` claims every (method, path) of a FastAPI ``APIRouter``;
    ``register.v1(path, app, models=...)`` claims a ``/v1`` path for the models a
    plugin serves there, and ``register.v1_fallback(app)`` claims every other ``/v1``
    request (one plugin at most). A claim already held is refused at start-up with both
    claimants named; a literal path segment always beats a parameter. With API keys on,
    a route needs the scope it declares (``dependencies=[requires("swap")]``), else
    ``read`` for GET/HEAD and ``admin`` otherwise; ``/v1`` claims take ``scope=``.
    """


@hookspec
def spark_probes(host: Host, register: ProbeRegistrar) -> None:
    """Per plugin, in configured order, at start-up: register health probes with
    ``register(probe)``.

    A probe bound to a service makes this plugin that service's one owner. Probes of
    services listed in ``disabled_services`` are shown as disabled and never run.
    """


@hookspec
def spark_tiles(host: Host, register: TileRegistrar) -> None:
    """Per plugin, in configured order, at start-up: register dashboard tiles with
    ``register(tile)``.

    ``register.static(directory)`` serves the plugin's files under
    ``/plugins/<name>/static/`` for tiles that are ES modules.
    """


@hookspec
def spark_gate(action: Action) -> Refusal | None:
    """Per plugin, in configured order, before every mutating action runs (and for dry
    runs): a :class:`Refusal` stops the action; None lets it pass.

    The first refusal wins: later plugins are not asked. A gate that raises, or whose
    plugin failed to start, counts as a refusal (503).
    """


@hookspec
def spark_event(event: Event) -> None:
    """Per plugin, for every published event, from the plugin's own FIFO queue: each
    plugin hears events in publish order, independently of the others.

    Never called inline in the publisher: a slow plugin delays nobody but itself.
    Exceptions are logged and counted, and delivery goes on.
    """


@hookspec
def spark_models(host: Host) -> list[dict[str, Any]] | None:
    """Per plugin, in configured order, collected into one list each time
    ``host.models()`` is asked: the models this plugin can serve, as
    ``{"id", "served_name"}``. A plugin whose implementation raises is left out.

    Lets other plugins validate a model name without importing the plugin that serves it.
    """


@hookspec
def spark_co_resident(host: Host, models: list[str]) -> bool | None:
    """Per plugin, in configured order, each time ``host.co_resident(models)`` is asked,
    until one answers: whether these models (catalog ids, two or more, sorted, each
    once) can be resident at the same time on the cluster.

    A plugin that knows what the models need and what the nodes hold (the one serving
    them, by its own placement rules) answers True or False; one that does not know every one
    of them returns None, and the next is asked. A plugin whose implementation raises
    is left out. Lets a plugin ask about memory without importing the one that knows.
    """


@hookspec
def spark_history(host: Host) -> Iterable[HistorySample] | None:
    """Per plugin, in configured order, every ``history.interval_s`` while serving: the
    samples of this plugin's series since the last call (``HistorySample(metric,
    subject, value, t=None)``), kept in the store for the dashboard's charts.

    Return what the plugin already knows (counters, finished work); never reach a node
    from here. A plugin whose implementation raises is left out of that round.
    """


@hookspec
def spark_node_checks(host: Host, register: CheckRegistrar) -> None:
    """Per plugin, in configured order, at start-up: register prerequisite checks for
    ``spark-control nodes check`` with ``register(name, check)``."""


@hookspec
def spark_sim(sim: SimRegistrar) -> None:
    """Per plugin, in configured order, when a simulated cluster is built (demo, tests):
    contribute this plugin's part of it.

    ``sim.image(pattern, start)``: what a simulated ``docker run`` of a matching image
    starts; ``sim.command(name, script)``: an executable first on each node's PATH;
    ``sim.service(name, start)``: a backend running outside any container.
    """
