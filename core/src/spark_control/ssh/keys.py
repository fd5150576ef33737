"""SSH key material the gateway owns: its own ed25519 key pair and its pinned host keys.

The key pair lives in ``<data_dir>/ssh/`` (directory 0700, private key 0600). Host keys
are pinned per (address, port) in a file in OpenSSH ``known_hosts`` format, so an
operator can read or edit it with the usual tools.
"""

from __future__ import annotations

import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import asyncssh

__all__ = ["GatewayKey", "HostKeyStore", "create_key_pair", "ensure_gateway_key", "fingerprint"]

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


def _private_dir(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)


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


def ensure_gateway_key(data_dir: Path | str) -> GatewayKey:
    """Return the gateway's key pair, creating it on first use."""
    directory = Path(data_dir) / "ssh"
    _private_dir(directory)
    private_path = directory / _KEY_NAME
    if not private_path.exists():
        return create_key_pair(private_path)
    # An operator may have copied the key in with loose permissions; OpenSSH would
    # refuse such a key, so tighten it rather than fail later.
    private_path.chmod(0o600)
    key = asyncssh.read_private_key(private_path)
    public = key.export_public_key("openssh").decode().strip()
    return GatewayKey(private_path, public)


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
        _private_dir(self.path.parent)
        # Algorithm and base64 only: the key comment is not part of the pin.
        lines = [
            " ".join([pattern, *key.export_public_key("openssh").decode().split()[:2]])
            for pattern, key in entries
        ]
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".known_hosts.")
        with os.fdopen(fd, "w") as f:
            f.write("".join(line + "\n" for line in lines))
        os.replace(tmp, self.path)

    def get(self, address: str, port: int) -> list[asyncssh.SSHKey]:
        """The keys pinned for this address and port (empty if none yet)."""
        pattern = _host_pattern(address, port)
        with self._lock:
            return [key for p, key in self._read() if p == pattern]

    def pin(self, address: str, port: int, key: asyncssh.SSHKey) -> None:
        """Record ``key`` for this address and port (a no-op if already there)."""
        pattern = _host_pattern(address, port)
        with self._lock:
            entries = self._read()
            if (pattern, key) not in entries:
                entries.append((pattern, key))
                self._write(entries)

    def forget(self, address: str, port: int) -> bool:
        """Drop the pinned keys for this address and port; True if there were any."""
        pattern = _host_pattern(address, port)
        with self._lock:
            entries = self._read()
            kept = [(p, k) for p, k in entries if p != pattern]
            if len(kept) == len(entries):
                return False
            self._write(kept)
            return True
