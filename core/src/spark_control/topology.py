"""Nodes and services: what the cluster is made of, as the configuration says.

A node is an SSH-reachable Linux box; a service is an HTTP endpoint bound to a node and
owned by exactly one plugin (which one is decided by who registers its probe). The core
treats a service's ``kind`` as an opaque word that plugins use to find their services.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from spark_control.errors import ConfigError, InvalidValue
from spark_control.settings import CoreSettings, NodeSettings
from spark_control.ssh.validators import (
    validate_absolute_path,
    validate_host,
    validate_unix_user,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Node:
    name: str
    address: str
    user: str
    key_path: Path
    port: int = 22
    labels: tuple[str, ...] = ()
    proc_root: str = "/proc"
    disk_path: str = "/"

    @property
    def url_host(self) -> str:
        """The address as it goes into a URL (IPv6 in brackets)."""
        return f"[{self.address}]" if ":" in self.address else self.address


@dataclass(frozen=True)
class Service:
    name: str
    node: str
    port: int
    kind: str
    health_path: str = "/health"
    scheme: str = "http"
    disabled: bool = False


@dataclass
class Topology:
    nodes: dict[str, Node] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    disabled_names: frozenset[str] = frozenset()

    def node(self, name: str) -> Node:
        try:
            return self.nodes[name]
        except KeyError:
            raise KeyError(f"no node named {name!r}") from None

    def service_url(self, service: Service, path: str = "") -> str:
        node = self.node(service.node)
        return f"{service.scheme}://{node.url_host}:{service.port}{path}"

    def services_of_kind(self, kind: str, *, include_disabled: bool = False) -> list[Service]:
        return [
            s
            for s in self.services.values()
            if s.kind == kind and (include_disabled or not s.disabled)
        ]

    def is_disabled(self, service_name: str) -> bool:
        service = self.services.get(service_name)
        return bool(service and service.disabled)

    def add_service(self, service: Service) -> None:
        """Plugins add the services they bring by default (unless config names them)."""
        if service.node not in self.nodes:
            raise ConfigError(f"service {service.name!r} names unknown node {service.node!r}")
        if service.name in self.disabled_names:
            service = replace(service, disabled=True)
        self.services.setdefault(service.name, service)


def build_topology(settings: CoreSettings, default_key: Path) -> Topology:
    """Turn validated settings into a topology, refusing dangling references."""
    disabled = frozenset(settings.disabled_services)
    topology = Topology(disabled_names=disabled)
    for name, node in settings.nodes.items():
        topology.nodes[name] = _node(name, node, settings, default_key, topology.warnings)
    for name, svc in settings.services.items():
        if svc.node not in topology.nodes:
            raise ConfigError(
                f"services.{name}.node: unknown node {svc.node!r} "
                f"(known: {', '.join(topology.nodes) or 'none'})"
            )
        topology.services[name] = Service(
            name=name,
            node=svc.node,
            port=svc.port,
            kind=svc.kind,
            health_path=svc.health_path,
            scheme=svc.scheme,
            disabled=name in disabled,
        )
    if settings.ssh.known_hosts is not None and settings.nodes:
        _check_file("ssh.known_hosts", settings.ssh.known_hosts, topology.warnings)
    for warning in topology.warnings:
        log.warning(warning)
    return topology


def _node(
    name: str, node: NodeSettings, settings: CoreSettings, default_key: Path, warnings: list[str]
) -> Node:
    user = node.user or settings.ssh.user
    if not user:
        raise ConfigError(f"nodes.{name}.user: no SSH user (set it here or as ssh.user)")
    try:
        validate_unix_user(user, field=f"nodes.{name}.user")
    except InvalidValue as exc:
        raise ConfigError(f"{exc.field}: {exc.reason}") from None
    key = node.key_path or settings.ssh.key_path or default_key
    if key is not default_key:  # the gateway makes the default key itself
        where = f"nodes.{name}.key_path" if node.key_path else "ssh.key_path"
        _check_file(where, key, warnings)
    _check_address(f"nodes.{name}.address", node.address, warnings)
    for setting in ("proc_root", "disk_path"):
        if getattr(node, setting) == "/":
            continue  # the root filesystem is a fine thing to measure
        try:
            validate_absolute_path(getattr(node, setting), field=f"nodes.{name}.{setting}")
        except InvalidValue as exc:
            raise ConfigError(f"{exc.field}: {exc.reason}") from None
    return Node(
        name=name,
        address=node.address,
        user=user,
        key_path=key,
        port=node.port,
        labels=tuple(node.labels),
        proc_root=node.proc_root,
        disk_path=node.disk_path,
    )


def _check_file(key: str, path: Path, warnings: list[str]) -> None:
    # A warning, not an error: a secret may be mounted after the config is written.
    if not path.is_file():
        what = "is not a file" if path.exists() else "does not exist"
        warnings.append(f"{key}: {path} {what}; SSH to the nodes using it will fail")


def _check_address(key: str, address: str, warnings: list[str]) -> None:
    try:
        validate_host(address, field=key)
    except InvalidValue as exc:
        raise ConfigError(f"{key}: {exc.reason}") from None
    try:
        ipaddress.ip_address(address)
    except ValueError:
        if address.endswith(".local"):
            warnings.append(
                f"{key} is the mDNS name {address!r}: such names can resolve IPv6-first and "
                "hang clients; use the node's IP address"
            )
