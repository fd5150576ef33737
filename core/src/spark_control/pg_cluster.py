"""A throwaway PostgreSQL cluster for tests: Debian's ``postgresql`` package, ``initdb``
into a temp folder, ``pg_ctl`` on a loopback port with its unix socket in the same
folder, stopped (and the folder removed) after.

PostgreSQL refuses to run as root, so as root the commands run as the ``postgres``
user (``runuser``) and the temp folder is handed to that user; as anyone else they run
as that user. Where PostgreSQL is not installed, :func:`postgres_unavailable` says why.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

#: Where Debian puts the server binaries; ``SPARK_CONTROL_PG_BINDIR`` overrides.
BINDIR_ENV = "SPARK_CONTROL_PG_BINDIR"
DEBIAN_ROOT = Path("/usr/lib/postgresql")
ADDRESS = "127.0.0.1"
# Durability off: a test cluster is thrown away, and fsync is most of its cost.
FAST = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50"


def pg_bindir() -> Path | None:
    """The folder with ``initdb``, ``pg_ctl`` and ``postgres`` (newest Debian version)."""
    chosen = os.environ.get(BINDIR_ENV, "").strip()
    if chosen:
        return Path(chosen)
    found = sorted(
        (p for p in DEBIAN_ROOT.glob("*/bin") if (p / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def postgres_unavailable() -> str | None:
    """Why no throwaway cluster can start here, or None when one can."""
    bindir = pg_bindir()
    if bindir is None:
        return (
            f"PostgreSQL is not installed (no {DEBIAN_ROOT}/*/bin/initdb; apt install postgresql)"
        )
    for tool in ("initdb", "pg_ctl", "postgres"):
        if not os.access(bindir / tool, os.X_OK):
            return f"PostgreSQL's {tool} is missing from {bindir}"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run PostgreSQL as"
        if shutil.which("runuser") is None:
            return "running as root and runuser (util-linux) is missing"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((ADDRESS, 0))
        return int(sock.getsockname()[1])


class PostgresCluster:
    """``with PostgresCluster() as pg: pg.dsn`` — a fresh cluster, stopped on exit
    (also on Ctrl-C, and at interpreter exit if the ``with`` never finished)."""

    def __init__(self, database: str = "spark") -> None:
        reason = postgres_unavailable()
        if reason is not None:
            raise RuntimeError(reason)
        self.bindir = pg_bindir() or Path()
        self.database = database
        self.user = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
        self.root = Path()
        self.port = 0
        self._running = False

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "run"

    @property
    def dsn(self) -> str:
        return f"postgresql://{self.user}@{ADDRESS}:{self.port}/{self.database}"

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(
                f"{args[0]} failed ({done.returncode}): {done.stderr.strip()}\n{tail}".strip()
            )

    def start(self) -> None:
        # /tmp, not pytest's folder: the postgres user must reach it, and a unix socket
        # path must stay short (about 100 bytes).
        self.root = Path(tempfile.mkdtemp(prefix="spark-pg-"))
        atexit.register(self.stop)
        self.socket_dir.mkdir()
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            for path in (self.root, self.socket_dir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self._run(
            "initdb", "-D", str(self.data), "-U", self.user, "-A", "trust", "-E", "UTF8",
            "--no-locale", "--no-sync", "--no-instructions",
        )  # fmt: skip
        for attempt in range(5):
            self.port = _free_port()
            options = (
                f"-h {ADDRESS} -p {self.port} -k {self.socket_dir} {FAST}"
            )  # fmt: skip
            try:
                self._run(
                    "pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"),
                    "-o", options, "-w", "-t", "30", "start",
                )  # fmt: skip
                break
            except RuntimeError:
                if attempt == 4:
                    raise
        self._running = True
        self._run("createdb", "-h", str(self.socket_dir), "-p", str(self.port), "-U", self.user,
                  self.database)  # fmt: skip

    def stop(self) -> None:
        if self._running:
            self._running = False
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        if self.root != Path() and self.root.exists():
            shutil.rmtree(self.root, ignore_errors=True)
        atexit.unregister(self.stop)

    def __enter__(self) -> PostgresCluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def postgres_cluster(database: str = "spark") -> Iterator[str]:
    """A throwaway cluster's DSN for the ``with`` block."""
    with PostgresCluster(database) as cluster:
        yield cluster.dsn
