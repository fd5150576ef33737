"""The ``df`` stand-in: GNU df's layout for the node's one filesystem.

``df [-P] [-k | -B SIZE | -h] [--output[=FIELDS]] [PATH...]``; sizes round up as GNU
df's do. The figures are the node's ``disk_total`` and ``disk_free``, which the cluster
can change (``SimCluster.set_disk``); a PATH that does not exist on the host is an
error, as on a real node.
"""

from __future__ import annotations

import math
import os
import re

from spark_control.sim.controller import Call, NodeState, SimError
from spark_control.sim.standins.flags import FlagError, Flags

__all__ = ["df"]

_DEVICE = "/dev/nvme0n1p2"
_FIELDS = ("source", "fstype", "itotal", "iused", "iavail", "ipcent", "size", "used", "avail",
           "pcent", "file", "target")  # fmt: skip
_DEFAULT_OUTPUT = ("source", "size", "used", "avail", "pcent", "target")
_LEFT = ("source", "fstype", "file", "target")
_SUFFIX = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4, "KB": 1000, "MB": 1000**2,
           "GB": 1000**3, "TB": 1000**4}  # fmt: skip
_FLAGS = Flags(
    bools="-P,--portability -k -h,--human-readable -H,--si -T,--print-type -a,--all -l,--local",
    values="-B,--block-size -t,--type -x,--exclude-type",
)


def _block_size(raw: str) -> int:
    match = re.fullmatch(r"([0-9]*)([KMGT]?B?|[KMGT]iB)", raw)
    if not match or (not match.group(1) and not match.group(2)):
        raise SimError(f"df: invalid --block-size argument '{raw}'", 1)
    suffix = match.group(2).replace("iB", "")
    return int(match.group(1) or 1) * _SUFFIX[suffix]


def _size_header(block: int, human: bool, posix: bool) -> str:
    if human:
        return "Size"
    if posix:
        return f"{block}-blocks"
    for suffix in ("T", "G", "M", "K"):
        unit = _SUFFIX[suffix]
        if block % unit == 0:
            return f"{block // unit}{suffix}-blocks"
    return f"{block}B-blocks"


def _human(n: int) -> str:
    value = float(n)
    for suffix in ("", "K", "M", "G", "T", "P"):
        if value < 1024 or suffix == "P":
            if suffix == "":
                return str(int(value))
            return (
                f"{math.ceil(value * 10) / 10:.1f}{suffix}"
                if value < 10
                else (f"{math.ceil(value)}{suffix}")
            )
        value /= 1024
    return str(n)  # pragma: no cover


def _row(node: NodeState, target: str, block: int, human: bool) -> dict[str, str]:
    total, free = node.disk_total, min(node.disk_free, node.disk_total)
    used = total - free

    def fmt(n: int) -> str:
        return _human(n) if human else str(math.ceil(n / block))

    percent = math.ceil(used * 100 / total) if total else 0
    return {
        "source": _DEVICE,
        "fstype": "ext4",
        "itotal": "244195328",
        "iused": "1204821",
        "iavail": "242990507",
        "ipcent": "1%",
        "size": fmt(total),
        "used": fmt(used),
        "avail": fmt(free),
        "pcent": f"{percent}%",
        "file": target,
        "target": "/",
    }


def _layout(headers: list[str], rows: list[list[str]], fields: list[str]) -> str:
    table = [headers, *rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(headers))]
    lines = []
    for row in table:
        cells = []
        for i, cell in enumerate(row):
            left = fields[i] in _LEFT
            last = i == len(row) - 1
            cells.append(cell if last and left else cell.ljust(widths[i]) if left
                         else cell.rjust(widths[i]))  # fmt: skip
        lines.append(" ".join(cells).rstrip())
    return "".join(line + "\n" for line in lines)


def _exists(cwd: str, path: str) -> bool:
    return os.path.exists(os.path.join(cwd, path))


def _split_output(args: list[str]) -> tuple[list[str] | None, list[str]]:
    """``--output[=FIELDS]`` (the last one wins), and the other arguments."""
    output: list[str] | None = None
    rest: list[str] = []
    for item in args:
        if item == "--output" or item.startswith("--output="):
            wanted = item.partition("=")[2]
            output = wanted.split(",") if wanted else list(_FIELDS)
        else:
            rest.append(item)
    return output, rest


def _check_output(output: list[str] | None, posix: bool) -> None:
    if output is not None and posix:
        raise SimError("df: options -P and --output are mutually exclusive\n"
                       "Try 'df --help' for more information.", 1)  # fmt: skip
    for field in output or []:
        if field not in _FIELDS:
            raise SimError(f"df: option --output: field '{field}' unknown\n"
                           "Try 'df --help' for more information.", 1)  # fmt: skip


async def df(call: Call) -> int:
    output, rest = _split_output(call.argv[1:])
    try:
        parsed = _FLAGS.parse(rest)
    except FlagError as exc:
        raise SimError(f"df: {exc}\nTry 'df --help' for more information.", 1) from None
    posix = parsed.flag("portability")
    _check_output(output, posix)
    human = parsed.flag("human-readable") or parsed.flag("si")
    block = 1024
    if parsed.last("block-size"):
        block = _block_size(parsed.last("block-size") or "1K")
    if parsed.flag("k"):
        block = 1024
    fields = output or list(_DEFAULT_OUTPUT)
    headers = {
        "source": "Filesystem", "fstype": "Type", "itotal": "Inodes", "iused": "IUsed",
        "iavail": "IFree", "ipcent": "IUse%", "size": _size_header(block, human, posix),
        "used": "Used", "avail": "Avail" if output else "Available",
        "pcent": "Capacity" if posix else "Use%", "file": "File", "target": "Mounted on",
    }  # fmt: skip
    if human and not output:
        headers["avail"] = "Avail"
    status = 0
    rows = []
    for path in parsed.positional or ["/"]:
        if not _exists(call.cwd, path):
            call.err(f"df: {path}: No such file or directory\n")
            status = 1
            continue
        row = _row(call.node, path, block, human)
        rows.append([row[f] for f in fields])
    if rows or status == 0:
        call.out(_layout([headers[f] for f in fields], rows, fields))
    return status
