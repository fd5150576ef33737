"""``Plugin``: the base class of a plugin (optional; any class built as
``cls(host, settings)`` will do).

The host builds a plugin class once per gateway, after its settings validated, so a
plugin keeps its per-gateway state on ``self`` and two gateways in one process share
nothing. ``Plugin[MySettings]`` types ``self.settings``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from pydantic import BaseModel

from spark_control.errors import Unavailable

if TYPE_CHECKING:
    from spark_control.host import Host

SettingsT = TypeVar("SettingsT", bound=BaseModel | None)


class Plugin(Generic[SettingsT]):
    """Subclass with ``settings_model = MySettings`` (None: no settings); hook
    implementations are ``@hookimpl`` methods; ``spark_sim`` is a ``@staticmethod``."""

    settings_model: ClassVar[type[BaseModel] | None] = None

    def __init__(self, host: Host, settings: SettingsT) -> None:
        self.host = host
        self.settings = settings


T = TypeVar("T")


class Started(Generic[T]):
    """What a plugin holds only while started (a client, a manager), as one attribute.

    The lifespan sets ``.value`` and clears it on the way out; calling the slot gives
    the value, or raises :class:`Unavailable` (a 503 saying ``<what> has not started``)
    before start-up or after shutdown, so routes can take the slot itself as their
    getter: ``router(self.manager)``.
    """

    def __init__(self, what: str) -> None:
        self.what = what
        self.value: T | None = None

    def __call__(self) -> T:
        if self.value is None:
            raise Unavailable(f"{self.what} has not started")
        return self.value
