"""Entry script for ``ssh`` on a simulated node: head-to-worker SSH over asyncssh.

``ssh [-p PORT] [-i KEY] [-l USER] [-o OPTION]... [-n] [-T] [-q] [user@]host [command...]``.
Options given with ``-o`` and the flags that only matter to a terminal are accepted and
ignored; the command words are joined with spaces, as OpenSSH does, and run by the
remote shell. Host names and addresses resolve through ``SPARK_SIM_HOSTS`` (a JSON
file the cluster writes: name or address -> [address, port]), so nodes sharing
127.0.0.1 still find each other. The default key is ``~/.ssh/id_ed25519``. Exit status
is the remote command's, or 255 when the connection fails, as with OpenSSH.
"""

from __future__ import annotations

import asyncio
import json
import os
import stat
import sys
from typing import Any

import asyncssh

_VALUE_OPTIONS = set("bcDEeFIiJLlmOopQRSWw")
_USAGE = "usage: ssh [-p port] [-i identity_file] [-l login_name] [-o option] destination [command]"


def _parse(argv: list[str]) -> tuple[dict[str, str], str, list[str]]:
    options: dict[str, str] = {}
    i = 0
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "--":
        item = argv[i]
        i += 1
        letters = item[1:]
        for pos, letter in enumerate(letters):
            if letter in _VALUE_OPTIONS:
                value = letters[pos + 1 :]
                if not value:
                    if i >= len(argv):
                        raise SystemExit(f"ssh: option requires an argument -- {letter}\n{_USAGE}")
                    value = argv[i]
                    i += 1
                options[letter] = value
                break
            options[letter] = ""
    if i < len(argv) and argv[i] == "--":
        i += 1
    if i >= len(argv):
        raise SystemExit(_USAGE)
    return options, argv[i], argv[i + 1 :]


def _resolve(host: str, port: int | None) -> tuple[str, int]:
    hosts: dict[str, list[object]] = {}
    path = os.environ.get("SPARK_SIM_HOSTS")
    if path:
        try:
            with open(path, encoding="utf-8") as f:
                hosts = json.load(f)
        except (OSError, ValueError):
            hosts = {}
    found = hosts.get(host)
    if found is None:
        return host, port or 22
    return str(found[0]), port or int(str(found[1]))


def _stdin(options: dict[str, str]) -> dict[str, Any]:
    """How to hand our stdin on: asyncssh can only poll pipes, sockets and terminals, and
    a detached script's stdin is /dev/null or a file (real ssh reads those too)."""
    if "n" in options:
        return {"stdin": asyncssh.DEVNULL}
    mode = os.fstat(0).st_mode
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or os.isatty(0):
        return {"stdin": sys.stdin.buffer}
    if stat.S_ISREG(mode):
        return {"input": sys.stdin.buffer.read()}
    return {"stdin": asyncssh.DEVNULL}


async def _run(options: dict[str, str], destination: str, command: list[str]) -> int:
    user, _, host = destination.rpartition("@")
    user = options.get("l") or user or os.environ.get("USER", "")
    address, port = _resolve(host, int(options["p"]) if "p" in options else None)
    key = options.get("i") or os.path.join(os.environ.get("HOME", ""), ".ssh", "id_ed25519")
    try:
        async with asyncssh.connect(
            address,
            port,
            username=user,
            client_keys=[key],
            known_hosts=None,  # the simulated nodes get fresh host keys on every run
            agent_path=None,
            config=[],
            connect_timeout=10,
        ) as conn:
            result = await conn.run(
                " ".join(command) if command else None,
                **_stdin(options),
                stdout=sys.stdout.buffer,
                stderr=sys.stderr.buffer,
                encoding=None,
            )
    except (OSError, asyncssh.Error) as exc:
        reason = getattr(exc, "strerror", None) or getattr(exc, "reason", None) or str(exc)
        sys.stderr.write(f"ssh: connect to host {host} port {port}: {reason}\n")
        return 255
    return result.exit_status if result.exit_status is not None else 255


def main() -> int:
    options, destination, command = _parse(sys.argv[1:])
    return asyncio.run(_run(options, destination, command))


if __name__ == "__main__":
    sys.exit(main())
