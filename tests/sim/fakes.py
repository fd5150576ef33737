"""A plugin for the simulator tests: an image, node commands and a service."""

from __future__ import annotations

import socket
import sys

from spark_control import hookimpl
from spark_control.sim import ContainerContext, ProcessSpec
from spark_control.sim.registry import SimRegistrar

# A few lines of stdlib HTTP server: answers GET with the node's name and the path, and
# logs one line per request so ``docker logs -f`` has something to stream.
SERVER = """
import http.server, os
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = (os.environ["SPARK_SIM_NODE"] + " " + self.path + "\\n").encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, fmt, *args):
        print("request " + self.path, flush=True)
server = http.server.HTTPServer((os.environ["BIND"], int(os.environ["PORT"])), Handler)
print("listening on " + os.environ["BIND"] + ":" + os.environ["PORT"], flush=True)
server.serve_forever()
"""

WEB_IMAGE = "sim/web:*"
WEB_MEMORY_GB = 20


def free_port(address: str) -> int:
    with socket.socket() as probe:
        probe.bind((address, 0))
        return int(probe.getsockname()[1])


def start_web(ctx: ContainerContext) -> ProcessSpec:
    return ProcessSpec(
        [sys.executable, "-u", "-c", SERVER], env={"BIND": ctx.address}, ready_after_s=0.05
    )


ECHO = "import sys; print(' '.join(sys.argv[1:-1])); sys.exit(int(sys.argv[-1]))"


def start_echo(ctx: ContainerContext) -> ProcessSpec:
    """Prints its arguments but the last, and exits with the last as its status."""
    return ProcessSpec([sys.executable, "-c", ECHO, *(ctx.args or ["0"])])


BOTH = "import sys; print('to stdout', flush=True); print('to stderr', file=sys.stderr)"


def start_both(ctx: ContainerContext) -> ProcessSpec:
    """Writes one line on each stream, then exits."""
    return ProcessSpec([sys.executable, "-c", BOTH])


HOG = (
    "import sys, time; held = b'x' * (int(sys.argv[1]) << 20); "
    "print('allocated', flush=True); time.sleep(2)"
)


def start_hog(ctx: ContainerContext) -> ProcessSpec:
    """Fills as many MiB as its argument says, holds them a moment, then exits 0."""
    return ProcessSpec([sys.executable, "-c", HOG, *(ctx.args or ["1"])])


class FakesPlugin:
    """Registers what the tests drive through ``spark_sim``."""

    def __init__(self, service_port: int) -> None:
        self.service_port = service_port

    def start_service(self, ctx: ContainerContext) -> ProcessSpec:
        return ProcessSpec(
            [sys.executable, "-u", "-c", SERVER],
            env={"BIND": ctx.address, "PORT": str(self.service_port)},
        )

    @hookimpl
    def spark_sim(self, sim: SimRegistrar) -> None:
        sim.image(WEB_IMAGE, start_web, memory_gb=WEB_MEMORY_GB, healthcheck=True)
        sim.image("sim/echo:*", start_echo)
        sim.image("sim/both:*", start_both)
        sim.image("sim/hog:*", start_hog)
        sim.command("hello-sim", '#!/bin/sh\necho "hello from $SPARK_SIM_NODE"\n')
        sim.command("docker-compose", '#!/bin/sh\nfor a in "$@"; do echo "compose arg: $a"; done\n')
        sim.service("static", self.start_service)
