"""SSH to the nodes: validators, the one command builder, the executor and key handling."""

from spark_control.ssh.command import (
    STDOUT,
    RemoteCommand,
    Script,
    UnsafeLiteral,
    Value,
    arg,
    const,
    value,
    write_secret_file,
)
from spark_control.ssh.executor import (
    CommandFailed,
    CommandResult,
    CommandTimeout,
    HostKeyChanged,
    SSHAuthFailed,
    SSHExecutor,
    SSHTarget,
    SSHUnreachable,
    Target,
)
from spark_control.ssh.keys import (
    GatewayKey,
    HostKeyStore,
    create_key_pair,
    ensure_gateway_key,
    fingerprint,
)

__all__ = [
    "STDOUT",
    "CommandFailed",
    "CommandResult",
    "CommandTimeout",
    "GatewayKey",
    "HostKeyChanged",
    "HostKeyStore",
    "RemoteCommand",
    "SSHAuthFailed",
    "SSHExecutor",
    "SSHTarget",
    "SSHUnreachable",
    "Script",
    "Target",
    "UnsafeLiteral",
    "Value",
    "arg",
    "const",
    "create_key_pair",
    "ensure_gateway_key",
    "fingerprint",
    "value",
    "write_secret_file",
]
