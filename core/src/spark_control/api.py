"""The Plugin API: everything a Spark Control plugin may import, and nothing else.

A plugin imports only from this module (``from spark_control.api import hookimpl,
Host, Probe``); the rest of ``spark_control`` is the core's own and may change in any
release. ``API_VERSION`` follows semantic versioning: a name is removed or changed
incompatibly only with a new major version. ``docs/PLUGINS.md`` documents exactly
these names, and the import-linter contracts (``.importlinter``) keep first-party
plugins to them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spark_control.access import PUBLIC, request_actor, require_scope, requires
from spark_control.access_log import note as access_log_note
from spark_control.audit import AuditMisuse, iso_utc
from spark_control.base import Plugin, Started
from spark_control.contrib import (
    Action,
    CheckRegistrar,
    CheckResult,
    NodeCheck,
    ProbeRegistrar,
    Refusal,
    RouteRegistrar,
    ServiceRegistrar,
    Tile,
    TileAction,
    TileField,
    TileRegistrar,
)
from spark_control.deps import plugin_instance
from spark_control.errors import ConfigError, InvalidValue, SparkError, Unavailable, error_body
from spark_control.events import Event, Subscription, format_sse
from spark_control.health import HealthState, Probe, ProbeResult, http_check
from spark_control.history import HistorySample
from spark_control.hookspecs import hookimpl
from spark_control.host import GateRefused, Host
from spark_control.leader_hop import LeaderHop, leader_hop
from spark_control.leadership import Leadership, NotLeader
from spark_control.node_facts import parse_df
from spark_control.problems import describe_health
from spark_control.route_alias import with_aliases
from spark_control.routing import multipart_field, v1_refusal, with_multipart_field
from spark_control.secret_files import secret_file
from spark_control.settings import EnvAlias, PluginSettings
from spark_control.ssh import (
    STDOUT,
    CommandFailed,
    CommandResult,
    CommandTimeout,
    HostKeyChanged,
    RemoteCommand,
    Script,
    SSHUnreachable,
    StepResult,
    Steps,
    Value,
    arg,
    const,
    validators,
    value,
    wait_while,
    write_secret_file,
)
from spark_control.ssh.command import Word
from spark_control.store import Store, Tx
from spark_control.topology import Node, Service, Topology

if TYPE_CHECKING:
    from spark_control.sim import SimCluster
    from spark_control.sim.registry import ContainerContext, ProcessSpec, SimRegistrar

API_VERSION = "1.0"
"""The version of this surface (semantic versioning), independent of the core's."""


_SIM_NAMES = frozenset({"ContainerContext", "ProcessSpec", "SimCluster", "SimRegistrar"})


def __getattr__(name: str) -> Any:
    # The simulated cluster pulls in an SSH server: loaded only when a plugin's own
    # simulation (``spark_sim``: demo, tests) asks for it, never by a serving gateway.
    if name in _SIM_NAMES:
        from spark_control import sim
        from spark_control.sim import registry

        return getattr(sim, name, None) or getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "API_VERSION",
    "PUBLIC",
    "STDOUT",
    "Action",
    "AuditMisuse",
    "CheckRegistrar",
    "CheckResult",
    "CommandFailed",
    "CommandResult",
    "CommandTimeout",
    "ConfigError",
    "ContainerContext",
    "EnvAlias",
    "Event",
    "GateRefused",
    "HealthState",
    "HistorySample",
    "Host",
    "HostKeyChanged",
    "InvalidValue",
    "LeaderHop",
    "Leadership",
    "Node",
    "NodeCheck",
    "NotLeader",
    "Plugin",
    "PluginSettings",
    "Probe",
    "ProbeRegistrar",
    "ProbeResult",
    "ProcessSpec",
    "Refusal",
    "RemoteCommand",
    "RouteRegistrar",
    "SSHUnreachable",
    "Script",
    "Service",
    "ServiceRegistrar",
    "SimCluster",
    "SimRegistrar",
    "SparkError",
    "Started",
    "StepResult",
    "Steps",
    "Store",
    "Subscription",
    "Tile",
    "TileAction",
    "TileField",
    "TileRegistrar",
    "Topology",
    "Tx",
    "Unavailable",
    "Value",
    "Word",
    "access_log_note",
    "arg",
    "const",
    "describe_health",
    "error_body",
    "format_sse",
    "hookimpl",
    "http_check",
    "iso_utc",
    "leader_hop",
    "multipart_field",
    "parse_df",
    "plugin_instance",
    "request_actor",
    "require_scope",
    "requires",
    "secret_file",
    "v1_refusal",
    "validators",
    "value",
    "wait_while",
    "with_aliases",
    "with_multipart_field",
    "write_secret_file",
]
