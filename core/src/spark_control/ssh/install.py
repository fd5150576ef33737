"""Install the gateway's public key on a node with a one-time password, then prove it works.

The password opens one connection and is dropped with it: it is never stored, logged,
audited or put on a command line (asyncssh sends it inside the encrypted SSH
authentication). If the node already accepts the key, the password is not even used,
so the install is idempotent. The remote commands come from the one builder; the key
is appended only when ``authorized_keys`` does not hold it yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import asyncssh

from spark_control.errors import InvalidValue, SparkError
from spark_control.ssh.command import RemoteCommand, Script, arg, const
from spark_control.ssh.executor import SSHAuthFailed, SSHExecutor, SSHTarget

__all__ = ["InstallResult", "install_key", "public_key_of"]

_AUTHORIZED_KEYS = ".ssh/authorized_keys"
_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class InstallResult:
    node: str
    status: Literal["installed", "already_installed"]
    fingerprint: str
    appended: bool


def public_key_of(private_path: Path | str) -> tuple[str, str]:
    """The OpenSSH public key line of a private key file, and its SHA256 fingerprint."""
    key = asyncssh.read_private_key(str(private_path))
    return key.export_public_key("openssh").decode().strip(), key.get_fingerprint("sha256")


def prepare_script() -> Script:
    """Create ``~/.ssh`` and ``authorized_keys`` with the modes sshd insists on."""
    return (
        RemoteCommand("umask", "077")
        .and_then(RemoteCommand("mkdir", "-p", ".ssh"))
        .and_then(RemoteCommand("chmod", "700", ".ssh"))
        .and_then(RemoteCommand("touch", _AUTHORIZED_KEYS))
        .and_then(RemoteCommand("chmod", "600", _AUTHORIZED_KEYS))
    )


def has_key_script(public_key: str) -> Script:
    """Exit 0 if ``authorized_keys`` holds the key (type and data; comments may differ)."""
    kind, data = public_key.split()[:2]
    return RemoteCommand(
        "grep", "-qF", "--", arg.env_value(f"{kind} {data}", "public_key"), _AUTHORIZED_KEYS
    )


def append_script(public_key: str) -> Script:
    return RemoteCommand("printf", const("%s\n"), arg.env_value(public_key, "public_key")).redirect(
        stdout=arg.relative_path(_AUTHORIZED_KEYS), append=True
    )


async def install_key(
    ssh: SSHExecutor, node: SSHTarget, password: str, key_path: Path | str | None = None
) -> InstallResult:
    """Make ``node`` accept the key at ``key_path`` (default: the node's own key path)."""
    public_key, fingerprint = public_key_of(key_path or node.key_path)
    if await _key_login_works(ssh, node):
        return InstallResult(node.name, "already_installed", fingerprint, appended=False)
    if not password:
        raise InvalidValue("password", "the node does not accept the key yet: give a password")
    try:
        async with ssh.password_connection(node, password) as conn:
            await _run(conn, node, prepare_script(), "prepare ~/.ssh")
            present = await conn.run(has_key_script(public_key).render(), timeout=_TIMEOUT_S)
            if present.exit_status not in (0, 1):
                raise _failed(node, "look for the key in authorized_keys", present)
            appended = present.exit_status == 1
            if appended:
                await _run(conn, node, append_script(public_key), "append the key")
    except SSHAuthFailed:
        raise InvalidValue(
            "password", f"node {node.name} did not accept this password for user {node.user!r}"
        ) from None
    except (asyncssh.Error, OSError, TimeoutError) as exc:
        raise SparkError(
            f"installing the key on node {node.name} failed: {type(exc).__name__}",
            status=502,
            type="ssh_key_install_failed",
            detail={"node": node.name},
        ) from None
    if not await _key_login_works(ssh, node):
        raise SparkError(
            f"the key is in {_AUTHORIZED_KEYS} on node {node.name}, but logging in with it "
            "still fails; check the node's sshd settings (PubkeyAuthentication, "
            "AuthorizedKeysFile) and the home folder's permissions",
            status=502,
            type="ssh_key_install_failed",
            detail={"node": node.name},
        )
    return InstallResult(node.name, "installed", fingerprint, appended=appended)


async def _key_login_works(ssh: SSHExecutor, node: SSHTarget) -> bool:
    try:
        result = await ssh.run(node, RemoteCommand("true"), observe=True)
    except SSHAuthFailed:
        return False
    return result.ok


async def _run(conn: asyncssh.SSHClientConnection, node: SSHTarget, cmd: Script, what: str) -> None:
    result = await conn.run(cmd.render(), timeout=_TIMEOUT_S)
    if result.exit_status != 0:
        raise _failed(node, what, result)


def _failed(node: SSHTarget, what: str, result: asyncssh.SSHCompletedProcess) -> SparkError:
    stderr = result.stderr if isinstance(result.stderr, str) else ""
    return SparkError(
        f"could not {what} on node {node.name}: {stderr.strip()[-300:] or 'no output'}",
        status=502,
        type="ssh_key_install_failed",
        detail={"node": node.name, "exit_status": result.exit_status},
    )
