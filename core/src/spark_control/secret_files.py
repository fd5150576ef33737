"""Secret files the gateway creates once and every replica then shares.

With several gateways on one database, ``gateway.secrets_dir`` is one folder every
replica mounts (docs/REPLICAS.md): the SSH key pair, the pinned host keys, the vault
key. Two replicas starting at the same moment may both find a key missing, so a key is
written whole to a private temporary file and *linked* into place: ``link`` fails if
the name exists (also on NFS), so exactly one replica's key wins and every replica then
reads that one. A reader never sees a half-written key. A read-only mount (a
Kubernetes or Docker secret) works when the files are already there.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

__all__ = ["file_lock", "private_dir", "secret_file", "write_atomic"]

log = logging.getLogger(__name__)

# A mounted secret may be read-only or owned by another user: it cannot be tightened.
_CANNOT_CHANGE = (errno.EROFS, errno.EPERM, errno.EACCES)


def private_dir(directory: Path) -> Path:
    """``directory``, created if missing and kept 0700 (left as is on a read-only mount)."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    _tighten(directory, 0o700)
    return directory


def _tighten(path: Path, mode: int) -> None:
    if path.stat().st_mode & 0o777 & ~mode == 0:
        return
    try:
        path.chmod(mode)
    except OSError as exc:
        if exc.errno not in _CANNOT_CHANGE:
            raise
        log.warning("%s is readable by others and cannot be tightened: %s", path, exc.strerror)


def write_atomic(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data`` in one step (readers see the old or the new file)."""
    tmp = _write_temp(path, data, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _write_temp(path: Path, data: bytes, mode: int) -> Path:
    # mkstemp creates the file 0600: never readable by others, not even for a moment.
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode != 0o600:
            os.chmod(name, mode)
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


def secret_file(path: Path, create: Callable[[], bytes]) -> bytes:
    """The content of the secret file ``path``, which ``create()`` makes if it is missing.

    The folder is made 0700 and the file is 0600. When several processes (replicas on
    one mounted folder) create it at once, one's content wins and all return it.
    """
    private_dir(path.parent)
    if not path.exists():
        tmp = _write_temp(path, create(), 0o600)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another replica was first: its key is the key
        finally:
            tmp.unlink()
    _tighten(path, 0o600)
    return path.read_bytes()


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<path>.lock`` (every process on the mounted folder,
    NFS included, takes turns) for a read-modify-write of ``path``."""
    private_dir(path.parent)
    fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
