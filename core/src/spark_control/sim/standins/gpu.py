"""The ``nvidia-smi`` stand-in, as on a DGX Spark (one GB10, unified memory).

The key fact it reproduces: GB10 has no dedicated GPU memory, so every ``memory.*``
query answers ``[N/A]`` and the table says ``Not Supported``. Utilisation, temperature
and power go up while a container whose image declared memory runs on the node, or a
process in one reports holding memory (``Container.memory_claims``); those processes
are the compute apps listed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from spark_control.sim.controller import Call, NodeState, SimError
from spark_control.sim.standins.flags import FlagError, Flags

__all__ = ["nvidia_smi"]

_DRIVER = "580.95.05"
_CUDA = "13.0"
_NAME = "NVIDIA GB10"
_NA = "[N/A]"


def _uuid(node: NodeState) -> str:
    return f"GPU-5a1c0de0-{node.index:04x}-4b10-9e2a-00000000{node.index:04x}"


def _figures(node: NodeState) -> tuple[int, int, float]:
    """Utilisation (%), temperature (C) and power (W) for the node's current load."""
    return (96, 67, 81.4) if node.gpu_busy() else (0, 41, 4.7)


# field -> (header, unit, value); a unit of None means the field is never suffixed.
_Field = tuple[str, str | None, Callable[[NodeState], str]]
_FIELDS: dict[str, _Field] = {
    "index": ("index", None, lambda n: "0"),
    "name": ("name", None, lambda n: _NAME),
    "uuid": ("uuid", None, _uuid),
    "driver_version": ("driver_version", None, lambda n: _DRIVER),
    "pstate": ("pstate", None, lambda n: "P0" if n.gpu_busy() else "P8"),
    "utilization.gpu": ("utilization.gpu [%]", "%", lambda n: str(_figures(n)[0])),
    "utilization.memory": ("utilization.memory [%]", None, lambda n: _NA),
    "temperature.gpu": ("temperature.gpu", None, lambda n: str(_figures(n)[1])),
    "power.draw": ("power.draw [W]", "W", lambda n: f"{_figures(n)[2]:.2f}"),
    "memory.total": ("memory.total [MiB]", None, lambda n: _NA),
    "memory.used": ("memory.used [MiB]", None, lambda n: _NA),
    "memory.free": ("memory.free [MiB]", None, lambda n: _NA),
    "memory.reserved": ("memory.reserved [MiB]", None, lambda n: _NA),
}
_ALIASES = {"gpu_name": "name", "gpu_uuid": "uuid", "count": "count"}

_FLAGS = Flags(
    bools="-L,--list-gpus -q,--query",
    values="--query-gpu --query-compute-apps --format -i,--id",
)


def _csv(header: list[str], rows: list[list[str]], options: set[str]) -> str:
    lines = [] if "noheader" in options else [", ".join(header)]
    lines += [", ".join(row) for row in rows]
    return "".join(line + "\n" for line in lines)


def _query_gpu(node: NodeState, fields: list[str], options: set[str]) -> str:
    header: list[str] = []
    row: list[str] = []
    for raw in fields:
        name = _ALIASES.get(raw, raw)
        if name == "count":
            header.append("count")
            row.append("1")
            continue
        spec = _FIELDS.get(name)
        if spec is None:
            raise SimError(f'Field "{raw}" is not a valid field to query.\n', 2)
        title, unit, read = spec
        value = read(node)
        if unit and "nounits" not in options and value != _NA:
            value = f"{value} {unit}"
        header.append(title if "nounits" not in options else title.split(" [")[0])
        row.append(value)
    return _csv(header, [row], options)


def _processes(node: NodeState) -> list[tuple[int, str]]:
    """The GPU's compute processes: those that report the memory they hold, else the
    main process of each running container whose image declares memory."""
    found = []
    for c in node.running():
        claims = c.memory_claims()
        if claims:
            found += [(pid, name or c.image) for pid, _, name in claims]
        elif c.memory_gb > 0:
            found.append((c.pid, c.argv[0] if c.argv else c.image))
    return found


def _query_apps(node: NodeState, fields: list[str], options: set[str]) -> str:
    rows = []
    for pid, name in _processes(node):
        known = {
            "pid": str(pid),
            "process_name": name,
            "gpu_uuid": _uuid(node),
            "used_memory": _NA,
            "used_gpu_memory": _NA,
        }
        if any(f not in known for f in fields):
            bad = next(f for f in fields if f not in known)
            raise SimError(f'Field "{bad}" is not a valid field to query.\n', 2)
        rows.append([known[f] for f in fields])
    return _csv(fields, rows, options)


def _table(node: NodeState) -> str:
    util, temp, power = _figures(node)
    perf = "P0" if node.gpu_busy() else "P8"
    when = time.strftime("%a %b %d %H:%M:%S %Y")
    rule = "+" + "+".join("-" * w for w in (41, 24, 22)) + "+"
    wide = "+" + "-" * 89 + "+"
    lines = [
        f"{when}       ",
        wide,
        f"| NVIDIA-SMI {_DRIVER}              Driver Version: {_DRIVER}      "
        f"CUDA Version: {_CUDA}     |",
        rule,
        "| GPU  Name                 Persistence-M "
        "| Bus-Id          Disp.A | Volatile Uncorr. ECC |",
        "| Fan  Temp   Perf          Pwr:Usage/Cap "
        "|           Memory-Usage | GPU-Util  Compute M. |",
        "|" + " " * 41 + "|" + " " * 24 + "|               MIG M. |",
        "|" + "+".join("=" * w for w in (41, 24, 22)) + "|",
        f"|   0  {_NAME:<31}On  |   0000000F:01:00.0 Off |                  N/A |",
        f"| N/A   {temp:>2}C    {perf}          {power:>5.0f}W /  N/A  | Not Supported          "
        f"|    {util:>3}%      Default |",
        "|" + " " * 41 + "|" + " " * 24 + "|                  N/A |",
        rule,
        "",
        wide,
        "| Processes:" + " " * 78 + "|",
        "|  GPU   GI   CI              PID   Type   Process name" + " " * 24 + "GPU Memory |",
        "|        ID   ID" + " " * 63 + "Usage      |",
        "|" + "=" * 89 + "|",
    ]
    apps = _processes(node)
    for pid, full in apps:
        name = full[-35:]
        lines.append(f"|    0   N/A  N/A        {pid:>9}      C   {name:<35}      N/A |")
    if not apps:
        lines.append("|  No running processes found" + " " * 61 + "|")
    lines.append(wide)
    return "\n".join(lines) + "\n"


async def nvidia_smi(call: Call) -> int:
    try:
        parsed = _FLAGS.parse(call.argv[1:])
    except FlagError as exc:
        raise SimError(f"{exc}\n\nPlease run 'nvidia-smi -h' for help.\n", 2) from None
    if parsed.positional:
        raise SimError(f"Invalid combination of input arguments: {parsed.positional[0]}", 2)
    node = call.node
    if parsed.flag("list-gpus"):
        call.out(f"GPU 0: {_NAME} (UUID: {_uuid(node)})\n")
        return 0
    query = parsed.last("query-gpu")
    apps = parsed.last("query-compute-apps")
    if query is not None or apps is not None:
        fmt = parsed.last("format")
        if fmt is None:
            raise SimError("--format must be specified when using --query-gpu.", 2)
        options = {o.strip() for o in fmt.split(",")}
        if "csv" not in options:
            raise SimError(f'"{fmt}" is not a valid format.', 2)
        fields = [f.strip() for f in (query or apps or "").split(",") if f.strip()]
        if query is not None:
            call.out(_query_gpu(node, fields, options))
        else:
            call.out(_query_apps(node, fields, options))
        return 0
    call.out(_table(node))
    return 0
