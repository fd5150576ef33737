"""Entry script for ``docker``, ``nvidia-smi``, ``ip`` and ``df`` on a simulated node.

Installed under each command's name with a shebang to this interpreter; it uses only the
standard library so it starts in milliseconds. It sends ``{"node", "argv", "cwd", "env"}``
to the controller socket named in ``SPARK_SIM_SOCKET`` and prints what comes back until
``{"exit": N}``; on ``{"exec": ...}`` it becomes that program (stdin, the terminal and
the SSH session's process group stay with it). Arguments are never given to a shell.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys


def _write(stream: object, text: str) -> None:
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        buffer.write(text.encode("utf-8", "surrogateescape"))
        buffer.flush()


def _become(spec: dict[str, object]) -> int:
    argv = [str(a) for a in spec["argv"]]  # type: ignore[attr-defined]
    env = {str(k): str(v) for k, v in spec["env"].items()}  # type: ignore[attr-defined]
    with contextlib.suppress(OSError):
        os.chdir(str(spec["cwd"]))
    try:
        # No shell: the argv items are the program and its arguments, nothing else.
        os.execvpe(argv[0], argv, env)  # noqa: S606
    except OSError as exc:
        reason = "executable file not found in $PATH" if exc.errno == 2 else exc.strerror
        _write(
            sys.stderr,
            "OCI runtime exec failed: exec failed: unable to start container process: "
            f'exec: "{argv[0]}": {reason}: unknown\n',
        )
        return 127 if exc.errno == 2 else 126
    return 0  # pragma: no cover - execvpe does not return


def main() -> int:
    program = os.path.basename(sys.argv[0])
    path = os.environ.get("SPARK_SIM_SOCKET", "")
    node = os.environ.get("SPARK_SIM_NODE", "")
    if not path or not node:
        _write(sys.stderr, f"{program}: not on a simulated node (SPARK_SIM_SOCKET unset)\n")
        return 127
    request = {
        "node": node,
        "argv": [program, *sys.argv[1:]],
        "cwd": os.getcwd(),
        "env": dict(os.environ),
    }
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
    except OSError:
        if program == "docker":
            _write(
                sys.stderr,
                "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. "
                "Is the docker daemon running?\n",
            )
            return 1
        _write(sys.stderr, f"{program}: the simulator is not running\n")
        return 1
    sock.sendall(json.dumps(request, ensure_ascii=False).encode("utf-8", "surrogateescape") + b"\n")
    with sock, sock.makefile("rb") as replies:
        for line in replies:
            message = json.loads(line)
            if "stdout" in message:
                _write(sys.stdout, message["stdout"])
            elif "stderr" in message:
                _write(sys.stderr, message["stderr"])
            elif "exit" in message:
                return int(message["exit"])
            elif "exec" in message:
                sock.close()
                return _become(message["exec"])
    _write(sys.stderr, f"{program}: lost the simulator\n")
    return 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        # The reader went away (``docker logs -f | head``): end quietly, as a CLI does.
        os._exit(141)
    except KeyboardInterrupt:
        os._exit(130)
