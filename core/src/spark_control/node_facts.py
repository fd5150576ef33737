"""Node facts for the dashboard's node cards: GPU, memory, disk, uptime, VPN address.

Read over SSH without sudo. On unified-memory nodes (DGX Spark's GB10) ``nvidia-smi``
reports memory as ``[N/A]``, so memory comes from ``/proc/meminfo`` there (the node's
``proc_root``, so a simulated node can offer its own view). The parsers take the real
tools' output formats and are tested on samples of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from spark_control.ssh import RemoteCommand, Steps, Value, arg

if TYPE_CHECKING:
    from spark_control.host import Host
    from spark_control.topology import Node

log = logging.getLogger(__name__)

GPU_QUERY = "name,utilization.gpu,temperature.gpu,memory.used,memory.total"
EVENT_TYPE = "nodes.facts"


@dataclass(frozen=True)
class GpuFacts:
    name: str
    utilization_pct: float | None
    temperature_c: float | None
    memory_used_mib: float | None
    memory_total_mib: float | None


@dataclass(frozen=True)
class MemoryFacts:
    total_bytes: int
    available_bytes: int
    source: str  # "meminfo" or "nvidia-smi"


@dataclass(frozen=True)
class DiskFacts:
    path: str
    total_bytes: int
    free_bytes: int


@dataclass(frozen=True)
class VpnFacts:
    interface: str
    address: str


@dataclass
class NodeFacts:
    gpu: GpuFacts | None = None
    memory: MemoryFacts | None = None
    disk: DiskFacts | None = None
    uptime_s: float | None = None
    vpn: VpnFacts | None = None
    checked_at: float = field(default_factory=time.time)
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- parsers ---------------------------------------------------------------------------


def _number(text: str) -> float | None:
    text = text.strip()
    if not text or text.startswith("[") or text.lower() in ("n/a", "[n/a]"):
        return None
    try:
        return float(text)
    except ValueError:
        return None


def parse_gpu_csv(output: str) -> list[GpuFacts]:
    """``nvidia-smi --query-gpu=<GPU_QUERY> --format=csv,noheader,nounits`` lines."""
    gpus = []
    for line in output.splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 5 or not parts[0]:
            continue
        gpus.append(GpuFacts(parts[0], *(_number(p) for p in parts[1:])))
    return gpus


def parse_meminfo(output: str) -> MemoryFacts | None:
    """``/proc/meminfo``: MemTotal and MemAvailable, in kB."""
    values: dict[str, int] = {}
    for line in output.splitlines():
        match = re.match(r"^(\w+):\s+(\d+)\s*kB", line)
        if match:
            values[match.group(1)] = int(match.group(2)) * 1024
    if "MemTotal" not in values or "MemAvailable" not in values:
        return None
    return MemoryFacts(values["MemTotal"], values["MemAvailable"], "meminfo")


def parse_uptime(output: str) -> float | None:
    """``/proc/uptime``: seconds since boot, then idle seconds."""
    first = output.split()[:1]
    return _number(first[0]) if first else None


def parse_df(output: str, path: str) -> DiskFacts | None:
    """``df -P -k PATH``: a header line, then filesystem, 1024-blocks, used, available."""
    lines = [line for line in output.splitlines() if line.strip()]
    if len(lines) < 2:
        return None
    parts = lines[-1].split()
    if len(parts) < 6 or not parts[1].isdigit() or not parts[3].isdigit():
        return None
    return DiskFacts(path, int(parts[1]) * 1024, int(parts[3]) * 1024)


def parse_ip_addr(output: str, interface_prefixes: tuple[str, ...] = ("wg",)) -> VpnFacts | None:
    """``ip -4 -o addr show``: the first IPv4 address on a WireGuard-style interface."""
    for line in output.splitlines():
        match = re.match(r"^\d+:\s+(\S+)\s+inet\s+([\d.]+)/\d+", line)
        if match and match.group(1).startswith(interface_prefixes):
            return VpnFacts(match.group(1), match.group(2))
    return None


# --- gathering -------------------------------------------------------------------------


def _path(path: str, field: str) -> Value | str:
    # The validators refuse "/" as a target path; to df it is just the root filesystem.
    return "/" if path == "/" else arg.path(path, field)


async def gather_facts(host: Host, node: Node) -> NodeFacts:
    """Run the read-only commands in one script on the pooled connection and parse them."""
    proc = node.proc_root.rstrip("/")
    commands = {
        "gpu": RemoteCommand(
            "nvidia-smi", f"--query-gpu={GPU_QUERY}", "--format=csv,noheader,nounits"
        ),
        "meminfo": RemoteCommand("cat", arg.path(f"{proc}/meminfo", "proc_root")),
        "uptime": RemoteCommand("cat", arg.path(f"{proc}/uptime", "proc_root")),
        "disk": RemoteCommand("df", "-P", "-k", _path(node.disk_path, "disk_path")),
        "ip": RemoteCommand("ip", "-4", "-o", "addr", "show"),
    }
    # One round trip for all of them (one SSH session, one connection attempt to a node
    # that is down), each command's output and status still read on its own.
    steps = Steps()
    for name, command in commands.items():
        steps.add(name, command)
    outputs: dict[str, str] = {}
    facts = NodeFacts()
    try:
        answer = await host.ssh.run(node, steps, timeout=10, observe=True)
    except Exception as exc:  # the node did not answer: every fact says so
        facts.errors.extend(f"{name}: {exc}" for name in commands)
    else:
        done = steps.read(answer.stdout)
        for name in commands:
            result = done.get(name)
            if result is None:
                facts.errors.append(f"{name}: no answer (exit {answer.exit_status})")
            elif not result.ok:
                said = result.output.strip()[:200]
                facts.errors.append(f"{name}: exit {result.exit_status}: {said}")
            else:
                outputs[name] = result.output
    gpus = parse_gpu_csv(outputs.get("gpu", ""))
    facts.gpu = gpus[0] if gpus else None
    facts.memory = parse_meminfo(outputs.get("meminfo", ""))
    if facts.memory is None and facts.gpu and facts.gpu.memory_total_mib:
        used = facts.gpu.memory_used_mib or 0.0
        total = int(facts.gpu.memory_total_mib * 2**20)
        facts.memory = MemoryFacts(total, total - int(used * 2**20), "nvidia-smi")
    facts.uptime_s = parse_uptime(outputs.get("uptime", ""))
    facts.disk = parse_df(outputs.get("disk", ""), node.disk_path)
    facts.vpn = parse_ip_addr(outputs.get("ip", ""))
    return facts


class NodeFactsPoller:
    """Keeps the latest facts of every node and publishes ``nodes.facts`` on refresh."""

    def __init__(
        self,
        host: Host,
        interval_s: float,
        gather: Callable[[Host, Node], Any] = gather_facts,
    ) -> None:
        self._host = host
        self._interval_s = interval_s
        self._gather = gather
        self._latest: dict[str, NodeFacts] = {}
        self._task: asyncio.Task[None] | None = None

    def latest(self, node: str) -> NodeFacts | None:
        return self._latest.get(node)

    async def refresh(self, node: Node) -> NodeFacts:
        facts: NodeFacts = await self._gather(self._host, node)
        self._latest[node.name] = facts
        self._host.events.publish(EVENT_TYPE, {"node": node.name, "facts": facts.to_dict()})
        return facts

    async def refresh_all(self) -> None:
        nodes = list(self._host.topology.nodes.values())
        results = await asyncio.gather(*(self.refresh(n) for n in nodes), return_exceptions=True)
        for node, result in zip(nodes, results, strict=True):
            if isinstance(result, Exception):
                log.warning("facts of node %s: %s", node.name, result)

    def start(self) -> None:
        if self._host.topology.nodes and self._task is None:
            self._task = asyncio.create_task(self._run(), name="node-facts")

    async def _run(self) -> None:
        while True:
            await self.refresh_all()
            await asyncio.sleep(self._interval_s)

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
