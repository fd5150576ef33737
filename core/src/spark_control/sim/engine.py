"""Engine mode: a real ``dockerd`` behind each simulated node.

``SimCluster(..., engine="docker")`` starts one daemon per node with its data root,
socket and pid file under the node's folder (``<sandbox>/engine/``; the exec root,
which holds containerd's sockets, in a short temporary folder since Unix socket paths
are limited to 108 bytes), ``--iptables=false --bridge=none``, so containers use the
host network (tests run in a private network namespace). ``DOCKER_HOST`` is set in the
node's SSH sessions. At the end every container is removed and every daemon stopped;
``stop`` kills what is left of a daemon (its containerd and shims) by its exec root.

Nothing can be pulled here, so there is one local image, ``spark-sim/base:<hash>``: a
near-empty root file system (``/etc/passwd``, ``/tmp``, the ``/bin``-style links of
a merged-``/usr`` host) imported once per daemon; containers of it see the host's
``/usr``, this Python's installation and environment, and the cluster's folder
through read-only (the cluster folder: read-write) bind mounts added by the ``docker``
shim (``standins/engine_docker.py``). Every image a plugin registered with the
simulator is that image under the name the gateway asks for (``docker tag``).
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

__all__ = [
    "BASE_IMAGE",
    "ENGINE_LABEL",
    "STARTED_EXEC_ROOTS",
    "EngineError",
    "NodeEngine",
    "base_image_tar",
    "docker_cli",
    "engine_unavailable",
    "kill_leftovers",
    "leftover_daemons",
    "mounts_under",
    "runtime_mounts",
]

BASE_IMAGE = "spark-sim/base"
#: Every container the simulator itself starts (services) carries this label.
ENGINE_LABEL = "spark-sim.engine"
_START_TIMEOUT_S = 30.0
_STOP_TIMEOUT_S = 15.0
# The host directories a merged-/usr system links to /usr; others are bind-mounted.
_TOP_LINKS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
_MAX_SOCKET_PATH = 100
#: Exec roots of every daemon this process started (what ``leftover_daemons`` checks).
STARTED_EXEC_ROOTS: list[str] = []


class EngineError(RuntimeError):
    """A daemon would not start, or answered an API call with an error."""


def docker_cli() -> str | None:
    """The real ``docker`` CLI (Debian's ``docker.io`` puts it in ``/usr/bin``)."""
    for candidate in ("/usr/bin/docker", shutil.which("docker")):
        if candidate and os.access(candidate, os.X_OK) and "/nodes/" not in candidate:
            return candidate
    return None


def engine_unavailable() -> str | None:
    """Why engine mode cannot run on this machine, or None when it can."""
    if sys.platform != "linux":
        return "engine mode needs Linux"
    if shutil.which("dockerd") is None:
        return "no dockerd on PATH (install Debian's docker.io)"
    if docker_cli() is None:
        return "no docker CLI (install Debian's docker.io)"
    if os.geteuid() != 0:
        return "dockerd needs root here (rootless docker is not set up)"
    return None


# -- the base image ---------------------------------------------------------------------


def base_image_tar() -> bytes:
    """The root file system of ``spark-sim/base``, the same bytes for the same host."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as tar:

        def add(name: str, kind: bytes, mode: int, data: bytes = b"", link: str = "") -> None:
            info = tarfile.TarInfo(name)
            info.type, info.mode, info.mtime, info.linkname = kind, mode, 0, link
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data) if data else None)

        for directory in ("usr", "etc", "root", "proc", "sys", "dev", "run", "var", "home"):
            add(directory, tarfile.DIRTYPE, 0o755)
        add("tmp", tarfile.DIRTYPE, 0o1777)
        add("etc/passwd", tarfile.REGTYPE, 0o644, b"root:x:0:0:root:/root:/bin/sh\n")
        add("etc/group", tarfile.REGTYPE, 0o644, b"root:x:0:\n")
        # A directory of its own: ``--init`` mounts docker-init at /sbin/docker-init,
        # which cannot go through a link into the read-only /usr.
        add("sbin", tarfile.DIRTYPE, 0o755)
        for name in _TOP_LINKS:
            host = Path("/") / name
            if name == "sbin":
                continue
            if host.is_symlink():
                add(name, tarfile.SYMTYPE, 0o777, link=os.readlink(host))
            elif host.is_dir():
                add(name, tarfile.DIRTYPE, 0o755)
    return buffer.getvalue()


def runtime_mounts(cluster_root: Path, extra: list[Path]) -> list[str]:
    """``-v`` values that let a container of the base image run this Python and the
    simulator's scripts at the same paths as on the host."""
    read_only: list[Path] = [Path("/usr")]
    tops = [Path("/") / name for name in _TOP_LINKS if name != "sbin"]
    read_only += [top for top in tops if top.is_dir() and not top.is_symlink()]
    read_only += [Path(sys.prefix), Path(sys.base_prefix)]
    read_only.append(Path(sys.executable).resolve().parent.parent)
    read_only += [Path(p) for p in sys.path if p and Path(p).is_dir()]
    writable = [cluster_root.resolve(), *(p.resolve() for p in extra)]
    chosen = [f"{path}:{path}:rw" for path in writable]
    kept: list[Path] = list(writable)
    # Outer folders first; one inside another is covered (the daemon mounts a writable
    # folder inside a read-only one on top of it, so both can be listed).
    for path in sorted({p.resolve() for p in read_only}, key=lambda p: len(p.parts)):
        if any(path == k or k in path.parents for k in kept):
            continue
        kept.append(path)
        chosen.append(f"{path}:{path}:ro")
    return chosen


# -- the daemon's API over its socket ---------------------------------------------------


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self._path)
        self.sock = sock


def api(socket_path: Path, method: str, path: str, timeout: float = 10.0) -> Any:
    """One Engine API call; the decoded JSON answer (None when empty)."""
    connection = _UnixConnection(str(socket_path), timeout)
    try:
        connection.request(method, path)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status >= 400:
        raise EngineError(f"{method} {path}: {response.status} {body.decode(errors='replace')}")
    if "json" not in (response.getheader("Content-Type") or ""):
        return body.decode(errors="replace")  # ``/_ping`` answers ``OK``
    return json.loads(body) if body.strip() else None


# -- one daemon -------------------------------------------------------------------------


class NodeEngine:
    """The ``dockerd`` of one simulated node."""

    def __init__(self, node: str, folder: Path, short_dir: Path) -> None:
        self.node = node
        self.folder = folder
        self.exec_root = short_dir / "exec"
        socket_path = folder / "docker.sock"
        if len(str(socket_path)) > _MAX_SOCKET_PATH:
            socket_path = short_dir / "docker.sock"
        self.socket_path = socket_path
        self.pid_file = folder / "dockerd.pid"
        self.log_path = folder / "dockerd.log"
        self.cli = docker_cli() or "docker"
        self._process: subprocess.Popen[bytes] | None = None
        self._images: set[str] = set()
        self.driver = "overlay2"

    @property
    def host(self) -> str:
        """The ``DOCKER_HOST`` value for this daemon."""
        return f"unix://{self.socket_path}"

    def env(self) -> dict[str, str]:
        return {**os.environ, "DOCKER_HOST": self.host}

    def launch(self, driver: str | None = None) -> None:
        """Start the daemon (returns at once; ``wait_ready`` waits for it)."""
        self.driver = driver or os.environ.get("SPARK_SIM_STORAGE_DRIVER", "overlay2")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.exec_root.mkdir(parents=True, exist_ok=True)
        STARTED_EXEC_ROOTS.append(str(self.exec_root))
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()
        argv = [
            "dockerd",
            "--data-root", str(self.folder / "data"),
            "--exec-root", str(self.exec_root),
            "-H", self.host,
            "--pidfile", str(self.pid_file),
            "--storage-driver", self.driver,
            "--iptables=false", "--ip6tables=false", "--bridge=none",
            "--log-level", "warn",
        ]  # fmt: skip
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True
            )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + _START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise EngineError(f"dockerd of {self.node} exited: {self._tail()}")
            with contextlib.suppress(OSError, EngineError, http.client.HTTPException):
                api(self.socket_path, "GET", "/_ping", timeout=1)
                return
            time.sleep(0.05)
        raise EngineError(f"dockerd of {self.node} did not answer in time: {self._tail()}")

    def _tail(self) -> str:
        with contextlib.suppress(OSError):
            return " | ".join(self.log_path.read_text().strip().splitlines()[-3:])
        return "no log"

    def import_base(self, tar: bytes) -> str:
        """Import the base image once (cached by the hash of its bytes); its reference."""
        reference = f"{BASE_IMAGE}:{hashlib.sha256(tar).hexdigest()[:12]}"
        if reference in self._images:
            return reference
        try:
            api(self.socket_path, "GET", f"/images/{_quote(reference)}/json")
        except EngineError:
            subprocess.run(
                [self.cli, "import", "-", reference],
                input=tar,
                env=self.env(),
                capture_output=True,
                check=True,
            )
        self._images.add(reference)
        return reference

    def ensure_image(self, tar: bytes, image: str) -> None:
        """Make ``image`` name an image of the base file system, unless it names one.

        Each name is its own image (an ``ENV`` tells them apart), as on a real node:
        ``ps --filter ancestor=`` matches by image id, so tags of one image would all
        match each other.
        """
        if image in self._images:
            return
        try:
            api(self.socket_path, "GET", f"/images/{_quote(image)}/json")
        except EngineError:
            done = subprocess.run(
                [self.cli, "import", "--change", f"ENV SPARK_SIM_IMAGE={image}", "-", image],
                input=tar,
                env=self.env(),
                capture_output=True,
                check=False,
            )
            if done.returncode != 0:
                raise EngineError(done.stderr.decode(errors="replace").strip()) from None
        self._images.add(image)

    def containers(self, *, all_: bool = True) -> list[dict[str, Any]]:
        query = "?all=1" if all_ else ""
        return list(api(self.socket_path, "GET", f"/containers/json{query}") or [])

    def inspect(self, name: str) -> dict[str, Any] | None:
        """``docker inspect`` of one container, or None when there is none."""
        try:
            found = api(self.socket_path, "GET", f"/containers/{_quote(name)}/json")
        except EngineError as exc:
            if " 404 " in str(exc):
                return None
            raise
        return dict(found)

    def running_images(self) -> list[str]:
        with contextlib.suppress(OSError, EngineError, http.client.HTTPException):
            return [str(c.get("Image", "")) for c in self.containers(all_=False)]
        return []

    def stop(self) -> None:
        """Remove every container, stop the daemon, and kill what is left of it."""
        process = self._process
        if process is None:
            return
        with contextlib.suppress(OSError, EngineError, http.client.HTTPException):
            for container in self.containers():
                api(self.socket_path, "DELETE", f"/containers/{container['Id']}?force=1&v=1")
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self._process = None
        # dockerd leaves its netns file bind-mounted in the exec root at exit; a daemon
        # that had to be killed can leave a container's overlay mounted in its data root.
        kill_leftovers([str(self.exec_root)], [str(self.folder)])
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()


def _quote(reference: str) -> str:
    return urllib.parse.quote(reference, safe="")


def leftover_daemons(marker: str = "") -> list[int]:
    """Live ``dockerd``/``containerd``/shim processes whose command line holds ``marker``
    (all of them when it is empty; zombies are not counted)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        program = os.path.basename(cmdline.split(" ", 1)[0])
        if state == "Z" or program not in ("dockerd", "containerd", "containerd-shim-runc-v2"):
            continue
        if marker in cmdline:
            found.append(int(entry.name))
    return found


def kill_leftovers(exec_roots: list[str], also: list[str] | None = None) -> None:
    """Kill every daemon still running of those started with ``exec_roots`` and unmount
    what is mounted in their exec roots, the data roots their ``dockerd`` command lines
    name, and the folders in ``also``."""
    folders = [*exec_roots, *(also or [])]
    for root in exec_roots:
        for pid in leftover_daemons(root):
            with contextlib.suppress(OSError):
                argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
                if "--data-root" in argv[:-1]:
                    folders.append(argv[argv.index("--data-root") + 1])
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
    for folder in folders:
        for mount in mounts_under(folder):
            subprocess.run(["umount", "-l", mount], capture_output=True, check=False)


def mounts_under(folder: str) -> list[str]:
    """Mount points at or below ``folder`` (deepest first), from ``/proc/self/mounts``."""
    found = []
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/mounts").read_text().splitlines():
            fields = line.split()
            # Octal escapes (\040 for a space) as the kernel writes them.
            point = fields[1].encode().decode("unicode_escape") if len(fields) > 1 else ""
            if point == folder or point.startswith(folder.rstrip("/") + "/"):
                found.append(point)
    return sorted(found, key=len, reverse=True)


def short_folder() -> Path:
    """A short folder for exec roots and sockets (removed by the caller)."""
    return Path(tempfile.mkdtemp(prefix="sparkeng-"))
