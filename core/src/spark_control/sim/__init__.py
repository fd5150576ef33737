"""The simulated cluster: SSH nodes on loopback that run commands in a real shell."""

from spark_control.sim.sshd import ExecRecord, SimNodeServer, make_client_key

__all__ = ["ExecRecord", "SimNodeServer", "make_client_key"]
