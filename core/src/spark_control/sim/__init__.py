"""The simulated cluster: SSH nodes on loopback that run commands in a real shell."""

from spark_control.sim.cluster import DEFAULT_NODES, SimCluster, SimNode, SimNodeSpec
from spark_control.sim.registry import ContainerContext, ProcessSpec
from spark_control.sim.sshd import ExecRecord, SimNodeServer, make_client_key

__all__ = [
    "DEFAULT_NODES",
    "ContainerContext",
    "ExecRecord",
    "ProcessSpec",
    "SimCluster",
    "SimNode",
    "SimNodeServer",
    "SimNodeSpec",
    "make_client_key",
]
