"""SSH key material the gateway owns: its own ed25519 key pair and its pinned host keys.

The key pair lives in ``<secrets_dir>/ssh/`` (directory 0700, private key 0600;
``secrets_dir`` is ``data_dir`` unless set). Host keys are pinned per (address, port) in a
file in OpenSSH ``known_hosts`` format, so an operator can read or edit it with the usual
tools. Several gateway replicas may share the folder: the key is created by exactly one
of them, and pins are written under a lock file (``spark_control.secret_files``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import asyncssh

from spark_control.secret_files import file_lock, secret_file, write_atomic

__all__ = ["GatewayKey", "HostKeyStore", "create_key_pair", "ensure_gateway_key", "fingerprint"]

log = logging.getLogger(__name__)
_KEY_NAME = "id_ed25519"
_COMMENT = "spark-control-gateway"


@dataclass(frozen=True)
class GatewayKey:
    """A key pair on disk: where the private half is, and the public half as one line."""

    private_path: Path
    public_openssh: str


def fingerprint(key: asyncssh.SSHKey) -> str:
    """The ``SHA256:...`` fingerprint OpenSSH shows for a key."""
    return key.get_fingerprint("sha256")


def _write_private(path: Path, data: bytes) -> None:
    # O_EXCL with mode 0600 so the private key is never readable by others, not even
    # for the moment between writing and a later chmod.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def create_key_pair(private_path: Path, comment: str = _COMMENT) -> GatewayKey:
    """Generate a new ed25519 key pair at ``private_path`` (and ``.pub`` beside it)."""
    key = asyncssh.generate_private_key("ssh-ed25519", comment=comment)
    _write_private(private_path, key.export_private_key("openssh"))
    public = key.export_public_key("openssh").decode().strip()
    Path(f"{private_path}.pub").write_text(public + "\n")
    return GatewayKey(private_path, public)


def ensure_gateway_key(secrets_dir: Path | str) -> GatewayKey:
    """Return the gateway's key pair in ``<secrets_dir>/ssh/``, creating it on first use.

    Replicas starting at once on one shared folder all end with the one key that was
    linked into place first (loose permissions of a copied-in key are tightened).
    """
    private_path = Path(secrets_dir) / "ssh" / _KEY_NAME

    def generate() -> bytes:
        new = asyncssh.generate_private_key("ssh-ed25519", comment=_COMMENT)
        return bytes(new.export_private_key("openssh"))

    key = asyncssh.import_private_key(secret_file(private_path, generate))
    public = key.export_public_key("openssh").decode().strip()
    _write_public(Path(f"{private_path}.pub"), public)
    return GatewayKey(private_path, public)


def _write_public(path: Path, public: str) -> None:
    """The ``.pub`` beside the key, for operators; derived from the key that won, so
    replicas writing it at once write the same line. A read-only mount keeps its own."""
    line = public + "\n"
    with contextlib.suppress(OSError):
        if path.read_text() == line:
            return
    try:
        write_atomic(path, line.encode(), mode=0o644)
    except OSError as exc:
        log.warning("cannot write %s (%s); the key itself is fine", path, exc.strerror)


def _host_pattern(address: str, port: int) -> str:
    if port == 22 and ":" not in address:
        return address
    return f"[{address}]:{port}"


class HostKeyStore:
    """Host keys pinned on first use, one line per (address, port), known_hosts format."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        # asyncssh calls host-key validation synchronously; a thread lock is enough to
        # keep read-modify-write of the file whole if executors share a store.
        self._lock = threading.Lock()

    def _read(self) -> list[tuple[str, asyncssh.SSHKey]]:
        if not self.path.exists():
            return []
        entries: list[tuple[str, asyncssh.SSHKey]] = []
        for line in self.path.read_text().splitlines():
            fields = line.split()
            if len(fields) < 3 or line.lstrip().startswith("#"):
                continue
            try:
                key = asyncssh.import_public_key(f"{fields[1]} {fields[2]}")
            except (asyncssh.KeyImportError, ValueError):
                continue
            entries.append((fields[0], key))
        return entries

    def _write(self, entries: list[tuple[str, asyncssh.SSHKey]]) -> None:
        # Algorithm and base64 only: the key comment is not part of the pin.
        lines = [
            " ".join([pattern, *key.export_public_key("openssh").decode().split()[:2]])
            for pattern, key in entries
        ]
        # Replaced whole: a replica reading at the same time sees the old or new file.
        write_atomic(self.path, "".join(line + "\n" for line in lines).encode())

    def get(self, address: str, port: int) -> list[asyncssh.SSHKey]:
        """The keys pinned for this address and port (empty if none yet)."""
        pattern = _host_pattern(address, port)
        with self._lock:
            return [key for p, key in self._read() if p == pattern]

    def pin(self, address: str, port: int, key: asyncssh.SSHKey) -> bool:
        """Pin ``key`` for this address and port unless a key is pinned already; True
        when ``key`` is (now) the pinned key, False when another replica sharing the
        file pinned a different one meanwhile (that one stands: the first pin wins)."""
        pattern = _host_pattern(address, port)
        # The lock file makes read-merge-write whole across processes sharing the file
        # (gateway replicas on one secrets_dir), the thread lock within this one.
        with self._lock, file_lock(self.path):
            entries = self._read()
            pinned = [k for p, k in entries if p == pattern]
            if pinned:
                return key in pinned
            entries.append((pattern, key))
            self._write(entries)
            return True

    def forget(self, address: str, port: int) -> bool:
        """Drop the pinned keys for this address and port; True if there were any."""
        pattern = _host_pattern(address, port)
        with self._lock, file_lock(self.path):
            entries = self._read()
            kept = [(p, k) for p, k in entries if p != pattern]
            if len(kept) == len(entries):
                return False
            self._write(kept)
            return True
