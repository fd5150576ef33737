"""Plugin discovery and calling: stevedore selects, pluggy calls.

Enabled plugins are selected by entry-point name in the ``spark_control.plugins`` group,
in configured order (default: every installed one, by name), and each is registered
with one pluggy manager under that same name. A plugin that fails to import, has a
misspelt hook, or whose settings do not validate is recorded with its reason and left
out; the rest of the gateway serves.
"""

from __future__ import annotations

import importlib.metadata
import inspect
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

import pluggy
from pydantic import BaseModel
from stevedore import NamedExtensionManager

from spark_control import hookspecs
from spark_control.errors import ConfigError
from spark_control.settings import CORE_SECTIONS, apply_env, validate_section

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "spark_control.plugins"
_PLUGIN_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")

PluginStatus = Literal["loaded", "failed", "disabled"]

# The host calls every hook itself, once per plugin in configured order (it needs to
# know who contributed what, and to await async implementations), so pluggy's ordering
# and wrapping options would be silently ignored: a plugin using one is refused instead.
UNHONOURED_OPTIONS = ("tryfirst", "trylast", "wrapper", "hookwrapper")


@dataclass
class PluginRecord:
    """What ``GET /api/plugins`` and ``spark-control plugins`` show for one plugin."""

    name: str
    status: PluginStatus
    version: str | None = None
    reason: str | None = None
    hooks: list[str] = field(default_factory=list)
    settings: BaseModel | None = None
    started: bool | None = None  # None until the lifespan ran
    config_error: bool = False  # failed because its configuration section is invalid

    @property
    def enabled(self) -> bool:
        return self.status == "loaded"

    def unavailable(self) -> str | None:
        """Why this plugin cannot serve now, or None if it can."""
        if self.status != "loaded":
            return self.reason or "not loaded"
        if self.started is False:
            return self.reason or "start-up failed"
        return None

    def public(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "enabled": self.enabled,
            "status": self.status,
            "started": self.started,
            "reason": self.reason,
            "hooks": self.hooks,
        }


async def await_me_maybe(value: Any) -> Any:
    """Await ``value`` if it is awaitable: hook implementations may be sync or async."""
    if inspect.isawaitable(value):
        return await value
    return value


def installed_plugin_names() -> list[str]:
    """Names in the entry-point group, without importing any plugin."""
    return sorted({ep.name for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)})


def new_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    return pm


def load_plugins(
    enabled: list[str] | None,
    sections: Mapping[str, Any],
    environ: Mapping[str, str],
    *,
    extra: Mapping[str, object] | None = None,
    defaults: Mapping[str, object] | None = None,
) -> tuple[pluggy.PluginManager, dict[str, PluginRecord]]:
    """Select, import, register and configure plugins.

    Entry points name plugin classes; they are registered as classes here and built per
    gateway by :func:`build_plugins`. ``extra`` registers plugins directly by name
    (tests, embedding): a class, built the same way, or a ready-made instance; they go
    through the same checks as discovered ones. ``defaults`` are the core's own
    features (``core.<feature>``, ready-made), registered first and given no record.
    """
    pm = new_manager()
    for name, plugin in (defaults or {}).items():
        pm.register(plugin, name=name)
    pm.check_pending()
    installed = installed_plugin_names()
    wanted = list(enabled) if enabled is not None else installed
    _check_names(wanted)
    extra = extra or {}
    loaded, failures = _import(wanted, installed)
    for name in wanted:
        if name not in installed and name not in extra:
            failures.setdefault(name, "not installed")
    loaded.update(extra)
    order = [n for n in wanted if n in loaded] + [n for n in loaded if n not in wanted]

    records = {
        name: PluginRecord(name, "failed", _version(name), failures[name])
        for name in wanted
        if name in failures
    }
    for name in order:
        records[name] = _register(
            pm, name, loaded[name], sections.get(name), environ, ready_made=name in extra
        )
    for name in installed:
        records.setdefault(name, PluginRecord(name, "disabled", _version(name), "not enabled"))
    for name, record in records.items():
        if record.status == "failed":
            log.warning("plugin %s left out: %s", name, record.reason)
    return pm, records


def _check_names(wanted: list[str]) -> None:
    for index, name in enumerate(wanted):
        if not _PLUGIN_NAME.match(name) or name in CORE_SECTIONS:
            raise ConfigError(f"plugins.enabled: {name!r} is not a valid plugin name")
        if name in wanted[:index]:
            raise ConfigError(f"plugins.enabled: {name!r} is listed twice")


def _import(wanted: list[str], installed: list[str]) -> tuple[dict[str, object], dict[str, str]]:
    """The wanted installed plugins' entry points, imported in order; and why each that
    failed to import did."""
    loaded: dict[str, object] = {}
    failures: dict[str, str] = {}
    discoverable = [n for n in wanted if n in installed]
    if not discoverable:
        return loaded, failures
    manager: NamedExtensionManager = NamedExtensionManager(
        ENTRY_POINT_GROUP,
        names=discoverable,
        name_order=True,
        invoke_on_load=False,
        on_load_failure_callback=lambda _m, ep, exc: failures.__setitem__(
            ep.name, f"failed to import: {type(exc).__name__}: {exc}"
        ),
    )
    for ext in manager.extensions:
        loaded[ext.name] = ext.plugin
    return loaded, failures


def _register(
    pm: pluggy.PluginManager,
    name: str,
    plugin: object,
    section: Any,
    environ: Mapping[str, str],
    *,
    ready_made: bool,
) -> PluginRecord:
    """Check ``plugin`` (a class, or for ``ready_made`` extras an object) and register
    it under ``name``; a class is built per gateway later, by :func:`build_plugins`."""
    record = PluginRecord(name, "loaded", _version(name))
    try:
        _check_shape(name, plugin, ready_made=ready_made)
        pm.register(plugin, name=name)
        pm.check_pending()
        _refuse_unhonoured_options(pm, name, plugin)
    except Exception as exc:
        if pm.is_registered(plugin):
            pm.unregister(plugin)
        invalid = (pluggy.PluginValidationError, UnhonouredOption, NotAPluginClass)
        kind = "invalid hook" if isinstance(exc, invalid) else "cannot load"
        # pluggy names the plugin by its repr; the entry-point name is what people know.
        message = str(exc).replace(repr(plugin), repr(name))
        record.status, record.reason = "failed", f"{kind}: {message}"
        return record
    record.hooks = sorted(caller.name for caller in pm.get_hookcallers(plugin) or [])
    try:
        record.settings = _plugin_settings(name, plugin, section, environ)
    except ConfigError as exc:
        pm.unregister(plugin)
        record.status, record.reason = "failed", exc.message
        record.config_error = True
    except Exception as exc:
        pm.unregister(plugin)
        record.status, record.reason = "failed", f"settings raised {type(exc).__name__}: {exc}"
    return record


class NotAPluginClass(Exception):
    """An entry point that does not name a plugin class (see :func:`build_plugins`)."""


class UnhonouredOption(Exception):
    """A hookimpl option the host does not honour (see :data:`UNHONOURED_OPTIONS`)."""


def _check_shape(name: str, plugin: object, *, ready_made: bool) -> None:
    if not inspect.isclass(plugin):
        if ready_made and not inspect.ismodule(plugin):
            return  # a test's or an embedder's own instance, registered as it is
        raise NotAPluginClass(
            f"plugin {name!r}: the entry point names {type(plugin).__name__} "
            f"{getattr(plugin, '__name__', plugin)!r}, not a class; a plugin is a class the "
            "host builds once per gateway with (host, settings)"
        )
    # spark_sim runs when a simulated cluster is built, with no gateway and so no
    # instance: it is called on the class.
    sim = inspect.getattr_static(plugin, "spark_sim", None)
    if sim is not None and not isinstance(sim, staticmethod | classmethod):
        raise NotAPluginClass(
            f"plugin {name!r}: spark_sim must be a @staticmethod (it runs with no gateway)"
        )


def _refuse_unhonoured_options(pm: pluggy.PluginManager, name: str, plugin: object) -> None:
    found = [
        f"{caller.name}({option}=True)"
        for caller in pm.get_hookcallers(plugin) or []
        for impl in caller.get_hookimpls()
        if impl.plugin is plugin
        for option in UNHONOURED_OPTIONS
        if getattr(impl, option)
    ]
    if found:
        raise UnhonouredOption(
            f"plugin {name!r} uses {', '.join(sorted(found))}, which the host does not "
            "honour: every hook is called once per plugin, in configured order "
            "(plugins.enabled); drop the option"
        )


def _plugin_settings(
    name: str, plugin: object, section: Any, environ: Mapping[str, str]
) -> BaseModel | None:
    model = getattr(plugin, "settings_model", None)
    if model is None:
        if section:
            raise ConfigError(f"{name}: this plugin takes no settings, but the config has some")
        return None
    if not (inspect.isclass(model) and issubclass(model, BaseModel)):
        raise ConfigError(f"{name}: settings_model is {model!r}, not a pydantic model")
    data = apply_env(model, section or {}, (name,), environ)
    return validate_section(model, data, prefix=name)


def build_plugins(pm: pluggy.PluginManager, records: Mapping[str, PluginRecord], host: Any) -> None:
    """Build every loaded plugin class once for this gateway, as ``cls(host, settings)``,
    and register the instance in its place: its state lives on the instance, so two
    gateways in one process share nothing. A class whose constructor raises is left
    out with the reason."""
    for name, record in records.items():
        plugin = pm.get_plugin(name) if record.status == "loaded" else None
        if plugin is None or not inspect.isclass(plugin):
            continue
        pm.unregister(name=name)
        try:
            instance = cast(Any, plugin)(host, record.settings)
            pm.register(instance, name=name)
        except Exception as exc:
            record.status = "failed"
            record.reason = f"could not build: {type(exc).__name__}: {exc}"
            log.exception("plugin %s could not be built", name)


def implementations(pm: pluggy.PluginManager, hook_name: str) -> list[pluggy.HookImpl]:
    """A hook's implementations in registration (plugin) order, for per-plugin calls."""
    return list(getattr(pm.hook, hook_name).get_hookimpls())


async def call_impl(impl: pluggy.HookImpl, **kwargs: Any) -> Any:
    """Call one implementation with the arguments it asks for, awaiting if needed."""
    return await await_me_maybe(impl.function(*[kwargs[a] for a in impl.argnames]))


def _version(name: str) -> str | None:
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP, name=name):
        dist = getattr(ep, "dist", None)
        if dist is not None:
            return dist.version
    return None
