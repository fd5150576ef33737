"""The embeddings plugin's part of the simulated cluster.

``register(sim)`` (from the plugin's ``spark_sim`` hook) adds the service
``embeddings-worker`` on the head node: ``server.py``, a bge-m3-like embedding worker
and reranker on the plugin's default port, speaking the bge-m3 worker, TEI and OpenAI
APIs with deterministic vectors (see ``server.py`` and ``concepts.json``); and, for the
demo's config, ``sample_corpus``: the notes the gateway loads into the ``demo``
collection at start-up, so the tile's try-it search works at once.
"""

from __future__ import annotations

import sys
import time
import urllib.request
from pathlib import Path

from spark_control.api import ContainerContext, ProcessSpec, SimRegistrar
from spark_control_embeddings.settings import DEFAULT_PORT

__all__ = ["SAMPLE_CORPUS", "SERVER", "WORKER", "register", "wait_ready", "worker_spec"]

WORKER = "embeddings-worker"
SERVER = Path(__file__).with_name("server.py")
#: The demo's pre-filled collection (and the tests' corpus): 16 short notes.
SAMPLE_CORPUS = Path(__file__).with_name("corpus.json")


def worker_spec(address: str, port: int = DEFAULT_PORT, **env: str) -> ProcessSpec:
    """The worker's process: listening on ``address:port``; ``env`` sets ``SIM_DIM``,
    ``SIM_MAX_BATCH``."""
    return ProcessSpec(
        [sys.executable, "-I", str(SERVER)], env={"BIND": address, "PORT": str(port), **env}
    )


def wait_ready(address: str, port: int = DEFAULT_PORT, timeout_s: float = 30.0) -> None:
    """Block until the worker answers ``/health`` (its start, numpy's import included,
    takes a moment on a loaded machine); TimeoutError after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"http://{address}:{port}/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"the simulated embedding worker on {address}:{port} never answered")
        time.sleep(0.1)


def start_worker(ctx: ContainerContext) -> ProcessSpec:
    return worker_spec(ctx.address)


def register(sim: SimRegistrar) -> None:
    sim.service(WORKER, start_worker)
    sim.settings({"sample_corpus": str(SAMPLE_CORPUS)})
