"""The speech backends as services of the topology, and the LAN-only guard.

Unless the config's ``services`` section names them, the plugin adds ``asr``,
``diarizer`` and ``tts`` on ``speech.node``. Speech must not leave the LAN: every one of
them must resolve to an address that is not globally routable (private, loopback,
link-local, 100.64/10), or start-up refuses the
plugin with the reason (``speech.allow_public_services: true`` lifts this).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from typing import Any

from spark_control.api import ConfigError, Service
from spark_control_speech.settings import SpeechSettings

KINDS = ("asr", "diarizer", "tts")


def declare_services(
    host: Any, settings: SpeechSettings, register: Callable[[Service], None]
) -> None:
    """``asr``, ``diarizer`` and ``tts`` on ``speech.node`` (the config may name them)."""
    ports = {"asr": settings.asr_port, "diarizer": settings.diarizer_port, "tts": settings.tts_port}
    if settings.node not in host.topology.nodes:
        missing = [k for k in KINDS if k not in host.topology.services]
        if missing:
            raise ConfigError(
                f"speech.node: no node named {settings.node!r} for the {', '.join(missing)} "
                "service(s); set speech.node or define them under services"
            )
        return
    for kind in KINDS:
        register(Service(name=kind, node=settings.node, port=ports[kind], kind=kind))


def service_for(host: Any, kind: str) -> Service:
    found = host.topology.services.get(kind)
    if found is not None and found.kind == kind:
        return found
    candidates = host.topology.services_of_kind(kind, include_disabled=True)
    if not candidates:
        raise ConfigError(f"no {kind} service is configured for the speech plugin")
    return candidates[0]


def check_private(host: Any, settings: SpeechSettings) -> None:
    """Refuse a speech service on a public address (unless explicitly allowed)."""
    if settings.allow_public_services:
        return
    for kind in KINDS:
        service = service_for(host, kind)
        address = host.topology.node(service.node).address
        public = [a for a in _resolve(address) if not _is_private(a)]
        if public:
            raise ConfigError(
                f"the {kind} service ({service.name}) is on {address}, which is not a private "
                f"or loopback address ({', '.join(public)}): speech stays on the LAN. Move it, "
                "or set speech.allow_public_services: true to allow it"
            )


def _resolve(address: str) -> list[str]:
    try:
        return [str(ipaddress.ip_address(address))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(address, None, proto=socket.IPPROTO_TCP)
    except OSError:
        return [f"{address} (does not resolve)"]
    return sorted({str(info[4][0]) for info in infos})


def _is_private(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    # Not globally routable: RFC 1918, loopback, link-local, and the 100.64/10 range that
    # WireGuard/Tailscale LANs use.
    return not ip.is_global and not ip.is_unspecified and not ip.is_multicast
