"""The loopback addresses a demo's simulated nodes take: a pair no one else uses.

Two demos side by side must not share stand-ins: the second one's would fail to bind
and its health would probe the first one's services. A pair is free when no TCP socket
listens on either address (``/proc/net/tcp``, so a test's cluster counts too) and no
other demo holds it (a lock in the temporary folder, which closes the race between two
demos starting at the same moment). Tried in order: 127.0.0.10/11, 127.0.1.10/11, ...
"""

from __future__ import annotations

import contextlib
import ipaddress
import struct
import tempfile
from collections.abc import Iterator
from pathlib import Path

from spark_control.errors import ConfigError
from spark_control.folders import hold_folder
from spark_control.sim.cluster import can_bind

__all__ = ["listening_addresses", "pick_base_address"]

#: How many pairs are tried (127.0.0.x ... 127.0.31.x) before the demo gives up.
PAIRS = 32
_LISTEN = "0A"


def listening_addresses(table: Path = Path("/proc/net/tcp")) -> set[str]:
    """The IPv4 addresses some TCP socket listens on (empty where /proc has no table)."""
    try:
        lines = table.read_text().splitlines()[1:]
    except OSError:
        return set()
    found = set()
    for line in lines:
        fields = line.split()
        if len(fields) > 3 and fields[3] == _LISTEN:
            # The kernel prints the address as the 32-bit word it stores: native order.
            raw = struct.pack("=I", int(fields[1].split(":")[0], 16))
            found.add(str(ipaddress.IPv4Address(raw)))
    return found


def _pair(preferred: str, index: int) -> tuple[str, str]:
    first = ipaddress.IPv4Address(preferred) + 256 * index
    return str(first), str(first + 1)


@contextlib.contextmanager
def pick_base_address(preferred: str, *, pairs: int = PAIRS) -> Iterator[str]:
    """Hold the first free pair from ``preferred`` on for the block; yield its first
    address. Where only 127.0.0.1 exists (the cluster then puts every node there, on
    ports of its own) ``preferred`` is yielded as is."""
    if not can_bind(_pair(preferred, 0)[1]):
        yield preferred
        return
    taken: list[str] = []
    with contextlib.ExitStack() as stack:
        for index in range(pairs):
            pair = _pair(preferred, index)
            if not all(can_bind(a) for a in pair) or set(pair) & listening_addresses():
                taken.append(pair[0])
                continue
            lock = Path(tempfile.gettempdir()) / f"spark-control-demo-{pair[0]}.lock"
            try:
                stack.enter_context(hold_folder(lock, f"addresses {pair[0]}/{pair[1]}"))
            except ConfigError:
                taken.append(pair[0])
                continue
            yield pair[0]
            return
    raise ConfigError(
        f"no free pair of loopback addresses for the simulated nodes (tried {taken[0]} "
        f"to {taken[-1]}: each is in use); stop another demo first"
    )
