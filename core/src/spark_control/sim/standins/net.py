"""The ``ip`` stand-in: ``ip [-4|-6] [-o] [-j] addr [show] [[dev] NAME]`` in iproute2's formats.

Each node has ``lo``, an ethernet interface (``enP7s7``, as on a DGX Spark) with the
node's address, and a WireGuard ``wg0`` with its 10.66.0.x address.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass
from typing import Any

from spark_control.sim.controller import Call, NodeState, SimError

__all__ = ["ip"]

_FOREVER = 4294967295


@dataclass(frozen=True)
class _Interface:
    index: int
    name: str
    flags: tuple[str, ...]
    mtu: int
    qdisc: str
    state: str
    link: str
    mac: str
    inet: str
    scope: str
    inet6: str | None


def _interfaces(node: NodeState) -> list[_Interface]:
    mac = f"4c:bb:47:2c:{node.index // 256:02x}:{node.index % 256:02x}"
    return [
        _Interface(
            1,
            "lo",
            ("LOOPBACK", "UP", "LOWER_UP"),
            65536,
            "noqueue",
            "UNKNOWN",
            "loopback",
            "00:00:00:00:00:00",
            "127.0.0.1/8",
            "host",
            "::1/128",
        ),
        _Interface(
            2,
            "enP7s7",
            ("BROADCAST", "MULTICAST", "UP", "LOWER_UP"),
            1500,
            "mq",
            "UP",
            "ether",
            mac,
            f"{node.address}/24",
            "global",
            f"fe80::4ebb:47ff:fe2c:{node.index:x}/64",
        ),
        _Interface(
            5,
            "wg0",
            ("POINTOPOINT", "NOARP", "UP", "LOWER_UP"),
            1420,
            "noqueue",
            "UNKNOWN",
            "none",
            "",
            node.wg_address,
            "global",
            None,
        ),
    ]


def _brd(inet: str) -> str:
    network = ipaddress.ip_interface(inet).network
    return f" brd {network.broadcast_address}" if network.prefixlen < 31 else ""


def _header(i: _Interface) -> str:
    return (
        f"{i.index}: {i.name}: <{','.join(i.flags)}> mtu {i.mtu} qdisc {i.qdisc} "
        f"state {i.state} group default qlen 1000"
    )


def _inet_line(i: _Interface) -> str:
    brd = _brd(i.inet) if i.scope == "global" and i.name != "wg0" else ""
    return f"inet {i.inet}{brd} scope {i.scope} {i.name}"


def _inet6_line(i: _Interface) -> str:
    scope = "host" if i.name == "lo" else "link"
    return f"inet6 {i.inet6} scope {scope} "


_LIFETIME = "valid_lft forever preferred_lft forever"


def _plain(interfaces: list[_Interface], family: str | None) -> str:
    lines = []
    for i in interfaces:
        lines.append(_header(i))
        if family is None:
            if i.link == "none":
                lines.append("    link/none ")
            else:
                lines.append(
                    f"    link/{i.link} {i.mac} brd "
                    f"{'00:00:00:00:00:00' if i.link == 'loopback' else 'ff:ff:ff:ff:ff:ff'}"
                )
        if family in (None, "4"):
            lines += [f"    {_inet_line(i)}", f"       {_LIFETIME}"]
        if family in (None, "6") and i.inet6:
            lines += [f"    {_inet6_line(i)}", f"       {_LIFETIME}"]
    return "".join(line + "\n" for line in lines)


def _oneline(interfaces: list[_Interface], family: str | None) -> str:
    lines = []
    for i in interfaces:
        if family in (None, "4"):
            lines.append(f"{i.index}: {i.name}    {_inet_line(i)}\\       {_LIFETIME}")
        if family in (None, "6") and i.inet6:
            lines.append(f"{i.index}: {i.name}    {_inet6_line(i)}\\       {_LIFETIME}")
    return "".join(line + "\n" for line in lines)


def _json(interfaces: list[_Interface], family: str | None) -> str:
    out: list[dict[str, Any]] = []
    for i in interfaces:
        addrs: list[dict[str, Any]] = []
        if family in (None, "4"):
            ip = ipaddress.ip_interface(i.inet)
            addrs.append(
                {
                    "family": "inet",
                    "local": str(ip.ip),
                    "prefixlen": ip.network.prefixlen,
                    "scope": i.scope,
                    "label": i.name,
                    "valid_life_time": _FOREVER,
                    "preferred_life_time": _FOREVER,
                }
            )
        if family in (None, "6") and i.inet6:
            ip6 = ipaddress.ip_interface(i.inet6)
            addrs.append(
                {
                    "family": "inet6",
                    "local": str(ip6.ip),
                    "prefixlen": ip6.network.prefixlen,
                    "scope": "host" if i.name == "lo" else "link",
                    "valid_life_time": _FOREVER,
                    "preferred_life_time": _FOREVER,
                }
            )
        out.append(
            {
                "ifindex": i.index,
                "ifname": i.name,
                "flags": list(i.flags),
                "mtu": i.mtu,
                "qdisc": i.qdisc,
                "operstate": i.state,
                "group": "default",
                "txqlen": 1000,
                "addr_info": addrs,
            }
        )
    return json.dumps(out) + "\n"


def _is_prefix(word: str, full: str, shortest: int = 1) -> bool:
    return len(word) >= shortest and full.startswith(word)


def _options(args: list[str]) -> tuple[str | None, str]:
    """Take ``ip``'s leading options off ``args``: the address family (None: both) and
    the output style (``json``, ``oneline`` or ``plain``)."""
    family: str | None = None
    style = "plain"
    while args and args[0].startswith("-"):
        option = args.pop(0)
        if option in ("-4", "-6"):
            family = option[1]
        elif option in ("-o", "-oneline", "--oneline"):
            style = "oneline" if style != "json" else style
        elif option in ("-j", "-json", "--json"):
            style = "json"
        elif option in ("-p", "-pretty", "-br", "-brief", "-c", "-color"):
            continue
        elif option.startswith("-f") and args:
            family = {"inet": "4", "inet6": "6"}.get(args.pop(0), family)
        else:
            raise SimError(f'Option "{option}" is unknown, try "ip -help".', 255)
    return family, style


def _address_device(args: list[str]) -> str | None:
    """``address [show|list|lst] [dev] [NAME]``: the device named, if any."""
    if not args:
        raise SimError("Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }", 255)
    obj, *rest = args
    if not (_is_prefix(obj, "address") or obj == "a"):
        raise SimError(f'Object "{obj}" is unknown, try "ip help".', 255)
    if rest and any(_is_prefix(rest[0], verb) for verb in ("show", "list", "lst")):
        rest = rest[1:]
    elif rest:
        raise SimError(f'Command "{rest[0]}" is unknown, try "ip address help".', 255)
    if rest and rest[0] == "dev":
        rest = rest[1:]
    return rest[0] if rest else None


async def ip(call: Call) -> int:
    args = call.argv[1:]
    family, style = _options(args)
    device = _address_device(args)
    interfaces = _interfaces(call.node)
    if device is not None:
        interfaces = [i for i in interfaces if i.name == device]
        if not interfaces:
            raise SimError(f'Device "{device}" does not exist.', 1)
    render = {"json": _json, "oneline": _oneline, "plain": _plain}[style]
    call.out(render(interfaces, family))
    return 0
