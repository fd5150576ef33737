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
from typing import Any, Literal

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
) -> tuple[pluggy.PluginManager, dict[str, PluginRecord]]:
    """Select, import, register and configure plugins.

    ``extra`` registers plugin objects directly by name (tests, embedding); they go
    through the same checks as discovered ones.
    """
    pm = new_manager()
    records: dict[str, PluginRecord] = {}
    installed = installed_plugin_names()
    wanted = list(enabled) if enabled is not None else installed
    for index, name in enumerate(wanted):
        if not _PLUGIN_NAME.match(name) or name in CORE_SECTIONS:
            raise ConfigError(f"plugins.enabled: {name!r} is not a valid plugin name")
        if name in wanted[:index]:
            raise ConfigError(f"plugins.enabled: {name!r} is listed twice")

    loaded: dict[str, object] = {}
    failures: dict[str, str] = {}
    discoverable = [n for n in wanted if n in installed]
    if discoverable:
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
    for name in wanted:
        if name not in installed and name not in (extra or {}):
            failures.setdefault(name, "not installed")
    for name, plugin in (extra or {}).items():
        loaded[name] = plugin
    order = [n for n in wanted if n in loaded] + [n for n in loaded if n not in wanted]

    for name in wanted:
        if name in failures:
            records[name] = PluginRecord(name, "failed", _version(name), failures[name])
    for name in order:
        records[name] = _register(pm, name, loaded[name], sections.get(name), environ)
    for name in installed:
        records.setdefault(name, PluginRecord(name, "disabled", _version(name), "not enabled"))
    for name, record in records.items():
        if record.status == "failed":
            log.warning("plugin %s left out: %s", name, record.reason)
    return pm, records


def _register(
    pm: pluggy.PluginManager, name: str, plugin: object, section: Any, environ: Mapping[str, str]
) -> PluginRecord:
    record = PluginRecord(name, "loaded", _version(name))
    try:
        if inspect.isclass(plugin):
            plugin = plugin()
        pm.register(plugin, name=name)
        pm.check_pending()
        _refuse_unhonoured_options(pm, name, plugin)
    except Exception as exc:
        if pm.is_registered(plugin):
            pm.unregister(plugin)
        invalid = (pluggy.PluginValidationError, UnhonouredOption)
        kind = "invalid hook" if isinstance(exc, invalid) else "cannot load"
        # pluggy names the plugin by its repr; the entry-point name is what people know.
        message = str(exc).replace(repr(plugin), repr(name))
        record.status, record.reason = "failed", f"{kind}: {message}"
        return record
    record.hooks = sorted(caller.name for caller in pm.get_hookcallers(plugin) or [])
    try:
        record.settings = _plugin_settings(pm, name, section, environ)
    except ConfigError as exc:
        pm.unregister(plugin)
        record.status, record.reason = "failed", exc.message
    except Exception as exc:
        pm.unregister(plugin)
        record.status, record.reason = "failed", f"settings hook raised {type(exc).__name__}: {exc}"
    return record


class UnhonouredOption(Exception):
    """A hookimpl option the host does not honour (see :data:`UNHONOURED_OPTIONS`)."""


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
    pm: pluggy.PluginManager, name: str, section: Any, environ: Mapping[str, str]
) -> BaseModel | None:
    model = call_one(pm, name, "spark_settings_model")
    if model is None:
        if section:
            raise ConfigError(f"{name}: this plugin takes no settings, but the config has some")
        return None
    if not (inspect.isclass(model) and issubclass(model, BaseModel)):
        raise ConfigError(f"{name}: spark_settings_model returned {model!r}, not a pydantic model")
    data = apply_env(model, section or {}, (name,), environ)
    return validate_section(model, data, prefix=name)


def call_one(pm: pluggy.PluginManager, plugin_name: str, hook_name: str, **kwargs: Any) -> Any:
    """Call one plugin's implementation of a hook (sync hooks only)."""
    for impl in getattr(pm.hook, hook_name).get_hookimpls():
        if impl.plugin_name == plugin_name:
            return impl.function(*[kwargs[a] for a in impl.argnames])
    return None


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
