"""Container logs the way docker's json-file driver keeps them: one JSON object per
line, ``{"log": "<text>\\n", "stream": "stdout"|"stderr", "time": "<RFC 3339>"}``.

Keeping the stream of every line lets ``docker logs`` replay stderr on stderr, as the
real CLI does: model servers, for one, log on stderr, and code that read only stdout of
``docker logs`` would see nothing on a real node.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LogRecord:
    text: str
    stream: str
    time: str


def _now() -> str:
    seconds = time.time()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
    return f"{stamp}.{int(seconds % 1 * 1e9):09d}Z"


def append(path: Path, stream: str, text: str) -> None:
    """Append ``text`` as one record per line (the controller's own lines, e.g. OOM)."""
    with path.open("a", encoding="utf-8") as log_file:
        for line in text.splitlines(keepends=True):
            log_file.write(json.dumps({"log": line, "stream": stream, "time": _now()}) + "\n")


async def pump(source: asyncio.StreamReader, stream: str, path: Path) -> None:
    """Copy a process's output into the log, line by line, until end of file."""
    while line := await source.readline():
        append(path, stream, line.decode("utf-8", "replace"))


def read_records(path: Path, offset: int) -> tuple[list[LogRecord], int]:
    """Complete records from ``offset`` on, and the offset after the last of them."""
    try:
        with path.open("rb") as log_file:
            log_file.seek(offset)
            data = log_file.read()
    except FileNotFoundError:
        return [], offset
    end = data.rfind(b"\n") + 1
    records = []
    for line in data[:end].splitlines():
        try:
            item = json.loads(line)
            records.append(LogRecord(item["log"], item["stream"], item["time"]))
        except (ValueError, KeyError, TypeError):
            continue
    return records, offset + end
