"""The node commands of the simulated cluster.

Two kinds live here. Entry scripts run on the node: ``client.py`` (installed as
``docker``, ``nvidia-smi``, ``ip`` and ``df``) forwards its argv to the controller and
prints the answer; ``ssh_client.py`` (installed as ``ssh``) is a real SSH client for
head-to-worker hops. Both use nothing from this package, so they start fast. The other
modules are what the controller runs for each forwarded command.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spark_control.sim.controller import Handler

__all__ = ["CLIENT_COMMANDS", "FLAGS", "SCRIPTS", "handlers"]

_HERE = Path(__file__).parent

#: Commands served by the controller through ``client.py``.
CLIENT_COMMANDS = ("docker", "nvidia-smi", "ip", "df")
#: Entry script source for each node command.
SCRIPTS = {
    **{name: _HERE / "client.py" for name in CLIENT_COMMANDS},
    "ssh": _HERE / "ssh_client.py",
}
#: The interpreter's flags for each entry script: ``-I`` always (no user site, no
#: environment); ``-S`` too (no ``site``: a third of an idle start-up, more on a busy
#: machine, for a command run several times per swap) for the standard-library-only
#: client; ``ssh`` needs asyncssh from site-packages.
FLAGS = {**{name: "-IS" for name in CLIENT_COMMANDS}, "ssh": "-I"}


def handlers(*, engine: bool = False) -> dict[str, Handler]:
    """The controller's handler for each command ``client.py`` forwards (in engine mode,
    ``docker`` is the thin shim in front of the real CLI)."""
    from spark_control.sim.standins.disk import df
    from spark_control.sim.standins.docker import docker
    from spark_control.sim.standins.engine_docker import engine_docker
    from spark_control.sim.standins.gpu import nvidia_smi
    from spark_control.sim.standins.net import ip

    docker_handler = engine_docker if engine else docker
    return {"docker": docker_handler, "nvidia-smi": nvidia_smi, "ip": ip, "df": df}
