"""Folders the gateway and the demo keep their data in: checked, created, held.

A folder setting that cannot be used (a path under a regular file, a place the OS
refuses) is a configuration error naming the setting and the OS's reason, never a
traceback half-way through start-up. ``hold_folder`` is the demo's claim on its folder:
an exclusive ``flock`` for the process's whole life, so a second demo on the same folder
refuses before it touches anything in it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from spark_control.errors import ConfigError

__all__ = ["folder_problem", "hold_folder", "make_folder"]


def folder_problem(path: Path) -> str | None:
    """Why ``path`` cannot be (or become) a writable folder, without creating anything:
    the OS's reason, or None when it looks usable (creating it may still fail)."""
    path = path.expanduser().absolute()
    if path.exists():
        # An existing folder may be a read-only mount on purpose: not judged here.
        return None if path.is_dir() else f"{os.strerror(errno.ENOTDIR)} (it is a file)"
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                return f"{os.strerror(errno.ENOTDIR)} ({parent} is a file)"
            if not os.access(parent, os.W_OK | os.X_OK):
                return f"{os.strerror(errno.EACCES)} (cannot create in {parent})"
            return None
    return None


def make_folder(path: Path, setting: str) -> Path:
    """``path`` created if missing (0700); ConfigError naming ``setting`` if the OS says no."""
    if (problem := folder_problem(path)) is not None:
        raise ConfigError(f"{setting} {path}: {problem}")
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise ConfigError(f"{setting} {path}: {exc.strerror or exc}") from None
    return path


@contextlib.contextmanager
def hold_folder(lock_file: Path, what: str) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_file`` (created, with our pid in it) until the
    block ends; ConfigError at once, naming ``what`` and the holder's pid, if another
    process holds it. The kernel drops the lock when its holder dies, however it dies."""
    try:
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise ConfigError(f"{what}: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip()
            pid = f" (pid {holder})" if holder.isdigit() else ""
            raise ConfigError(f"{what} is in use by another demo{pid}") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock
