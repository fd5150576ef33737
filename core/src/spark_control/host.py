"""The narrow face of the core that plugins use.

A plugin gets a :class:`Host` in its hooks and uses only what is here: its settings,
the topology, the SSH executor, the event bus, the store, the audit log, the metrics
registry, the health monitor (for observations), gating, a thread pool for blocking
work and an HTTP client factory. Plugins never reach into each other.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import ssl
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
from prometheus_client import CollectorRegistry
from pydantic import BaseModel

from spark_control.audit import AuditLog
from spark_control.contrib import Action, Refusal
from spark_control.errors import SparkError
from spark_control.events import EventBus
from spark_control.leadership import LEADER_GATE, LEADER_HEADER, Leadership, SoloLeadership
from spark_control.plugins import PluginRecord, call_impl, implementations
from spark_control.settings import CoreSettings
from spark_control.store import Store
from spark_control.topology import Topology

if TYPE_CHECKING:
    import pluggy

    from spark_control.health import HealthMonitor
    from spark_control.ssh import SSHExecutor

log = logging.getLogger(__name__)
T = TypeVar("T")


@functools.cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


class GateRefused(SparkError):
    """A gate said no; answered with the gate's status, reason and Retry-After."""

    def __init__(self, refusal: Refusal) -> None:
        headers = {}
        if refusal.retry_after is not None:
            headers["Retry-After"] = str(max(1, round(refusal.retry_after)))
        leader = _as_dict(refusal.detail).get("leader")
        if refusal.gate == LEADER_GATE and isinstance(leader, str) and leader:
            # Names the leader to the client, and tells a replica's forwarding layer
            # (spark_control.forwarding) that this answer may be the leader's to give.
            headers[LEADER_HEADER] = leader
        super().__init__(
            refusal.reason,
            status=refusal.status,
            type="gate_refused",
            detail={"gate": refusal.gate, **_as_dict(refusal.detail)},
            headers=headers,
        )
        self.refusal = refusal


def _as_dict(detail: Any) -> dict[str, Any]:
    if detail is None:
        return {}
    return dict(detail) if isinstance(detail, Mapping) else {"info": detail}


class Host:
    """Everything the core offers a plugin. Built by ``create_app``; one per app."""

    def __init__(
        self,
        *,
        settings: CoreSettings,
        topology: Topology,
        pm: pluggy.PluginManager,
        records: dict[str, PluginRecord],
        events: EventBus,
        store: Store,
        audit: AuditLog,
        metrics: CollectorRegistry,
        ssh: SSHExecutor,
        leadership: Leadership | None = None,
    ) -> None:
        self.settings = settings
        self.topology = topology
        self.events = events
        self.store = store
        self.audit = audit
        self.metrics = metrics
        self.ssh = ssh
        # Several gateways on one database: only the leader acts on the cluster.
        self.leadership = leadership or SoloLeadership()
        self.health: HealthMonitor | None = None
        self._pm = pm
        self._records = records
        self._executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="spark-blocking")

    # --- plugins -----------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        return self.settings.gateway.data_dir

    @property
    def secrets_dir(self) -> Path:
        """Where keys live (``gateway.secrets_dir``, else ``data_dir``): with several
        replicas one folder they all mount, so each finds the same keys there."""
        return self.settings.gateway.secrets_dir or self.settings.gateway.data_dir

    @property
    def plugins(self) -> Mapping[str, PluginRecord]:
        return self._records

    def plugin_objects(self) -> list[object]:
        """Every registered plugin object (core's route dependencies find theirs here)."""
        return list(self._pm.get_plugins())

    def plugin_settings(self, name: str) -> BaseModel | None:
        """The validated settings of plugin ``name`` (its own section)."""
        record = self._records.get(name)
        return record.settings if record else None

    async def models(self) -> list[dict[str, Any]]:
        """Every model any plugin can serve (``spark_models``), tagged with its plugin."""
        found: list[dict[str, Any]] = []
        for impl in implementations(self._pm, "spark_models"):
            try:
                result = await call_impl(impl, host=self) or []
            except Exception:
                log.exception(
                    "spark_models of %s failed; its models are left out", impl.plugin_name
                )
                continue
            found.extend({**m, "plugin": impl.plugin_name} for m in result)
        return found

    async def co_resident(self, models: Iterable[str]) -> bool | None:
        """Whether ``models`` can be resident at once (``spark_co_resident``): the first
        plugin's True or False; None when no plugin knows (the caller keeps its own
        rule). One model, or one named twice, is trivially resident."""
        wanted = sorted(set(models))
        if len(wanted) < 2:
            return True
        for impl in implementations(self._pm, "spark_co_resident"):
            try:
                answer = await call_impl(impl, host=self, models=list(wanted))
            except Exception:
                log.exception(
                    "spark_co_resident of %s failed; asking the next plugin", impl.plugin_name
                )
                continue
            if answer is not None:
                return bool(answer)
        return None

    # --- gating ------------------------------------------------------------------------

    async def gate(self, action: Action) -> Refusal | None:
        """Ask every gate whether ``action`` may run now; the first refusal wins.

        Fail closed: a required plugin that is not loaded, not started or has a probe
        down, and a gating plugin that failed to start, refuse with 503.
        """
        for name in self.settings.plugins.required:
            why = self._required_problem(name)
            if why is not None:
                return Refusal(
                    503,
                    f"required plugin {name!r} is unavailable ({why}); gated actions are "
                    "refused until it is back",
                    detail={"required_plugin": name},
                    gate="core.required_plugins",
                )
        if not self.leadership.is_leader and not (action.dry_run and self._forwards()):
            # A dry run is refused too, unless this replica would forward the action to
            # the leader (spark_control.forwarding): then the other gates answer, so a
            # dashboard on this replica offers what the leader would take.
            return self._not_leader()
        for impl in implementations(self._pm, "spark_gate"):
            record = self._records.get(impl.plugin_name)  # the core's have none
            if record is not None and record.started is False:
                return Refusal(
                    503,
                    f"the gate of plugin {impl.plugin_name!r} is unavailable: {record.reason}",
                    gate=impl.plugin_name,
                )
            try:
                refusal = await call_impl(impl, action=action)
            except Exception as exc:
                log.exception("gate of %s raised on %s", impl.plugin_name, action.name)
                return Refusal(
                    503,
                    f"the gate of plugin {impl.plugin_name!r} failed: {exc}",
                    gate=impl.plugin_name,
                )
            if refusal is not None:
                return refusal if refusal.gate else replace(refusal, gate=impl.plugin_name)
        return None

    def _forwards(self) -> bool:
        """Whether a gated action sent here goes on to a leader this replica can name."""
        return self.leadership.kind != "solo" and self.leadership.leader_url is not None

    def _not_leader(self) -> Refusal:
        """Every gated action acts on the cluster, which only the leader does."""
        view = self.leadership.view()
        leader, url = view.get("holder"), view.get("leader_url")
        where = f"send it to the leader ({leader})" if leader else "no leader is known yet"
        if leader and not url:
            where += " (it advertises no gateway.advertise_url, so it is not forwarded)"
        return Refusal(
            503,
            f"this gateway replica is not the cluster's leader: {where}, or try again shortly",
            detail={"leader": leader, "leader_url": url},
            retry_after=3,
            gate=LEADER_GATE,
        )

    def _required_problem(self, name: str) -> str | None:
        record = self._records.get(name)
        why = record.unavailable() if record is not None else "not loaded"
        if why is not None:
            return why
        if self.health is not None:
            for status in self.health.snapshot().values():
                if status.owner == name and status.state == "down":
                    return f"probe {status.name!r} is down: {status.detail}"
        return None

    async def require_gate(self, action: Action) -> None:
        """Run the gates and raise :class:`GateRefused` if one says no."""
        refusal = await self.gate(action)
        if refusal is not None:
            raise GateRefused(refusal)

    def gate_changed(self, action: str, *, source: str = "core") -> None:
        """Tell the dashboard that gating of ``action`` may have changed."""
        self.events.publish("gate.changed", {"action": action}, source=source)

    # --- helpers -----------------------------------------------------------------------

    async def run_blocking(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run blocking work (disk, CPU-heavy libraries) off the event loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    def http_client(self, **kwargs: Any) -> httpx.AsyncClient:
        """An HTTP client with the gateway's defaults: short connect, long read timeout."""
        kwargs.setdefault("timeout", httpx.Timeout(30.0, connect=3.0))
        kwargs.setdefault("trust_env", False)
        # One TLS context for every client: building one loads the CA bundle, ~20 ms of
        # CPU on the event loop, which a client per health probe paid every poll.
        kwargs.setdefault("verify", _tls_context())
        return httpx.AsyncClient(**kwargs)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
