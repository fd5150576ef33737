"""The simulated backends speak HTTP/1.1 as strictly as the real ones on reused connections.

A server that answers a POST without reading its body leaves the body on the connection,
where it is read as the next request: one client's request mixes into another's. Each
stand-in (vLLM, the speech services, the embedding worker) runs here as its own process
and is driven over one keep-alive connection: a body it does not want, a chunked body,
then a plain GET, all on the same socket.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import spark_control_embeddings.sim
import spark_control_vllm.sim
from tests.sim.fakes import free_port

ADDRESS = "127.0.0.1"


def _at(port: int) -> list[str]:
    return ["--host", ADDRESS, "--port", str(port)]


@dataclass
class Backend:
    argv: list[str]
    env: dict[str, str]
    post_path: str  # a route that takes a JSON body
    post_body: dict[str, object]


def _backends(port: int, tmp_path: Path) -> dict[str, Backend]:
    vllm_server = Path(spark_control_vllm.sim.__file__).with_name("server.py")
    embeddings_server = Path(spark_control_embeddings.sim.__file__).with_name("server.py")
    bind = {"BIND": ADDRESS, "PORT": str(port)}
    return {
        "vllm": Backend(
            [sys.executable, str(vllm_server), "serve", "sim-model", *_at(port)],
            {"HF_HOME": str(tmp_path / "hf")},
            "/v1/completions",
            {"model": "sim-model", "prompt": "hello there", "max_tokens": 2},
        ),
        "tts": Backend(
            [sys.executable, "-m", "spark_control_speech.sim.servers", "tts"],
            bind,
            "/v1/audio/speech",
            {"input": "alpha", "voice": "af_heart", "response_format": "wav", "stream": False},
        ),
        "embeddings": Backend(
            [sys.executable, str(embeddings_server)], bind, "/embed", {"inputs": "hello"}
        ),
    }


@pytest.fixture(params=["vllm", "tts", "embeddings"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Backend, int]]:
    port = free_port(ADDRESS)
    spec = _backends(port, tmp_path)[request.param]
    process = subprocess.Popen(
        spec.argv,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **spec.env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"{request.param} exited with {process.returncode}"
            try:
                conn = http.client.HTTPConnection(ADDRESS, port, timeout=5)
                conn.request("GET", "/health")
                if conn.getresponse().status == 200:
                    conn.close()
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"{request.param} never became healthy"
            time.sleep(0.05)
        yield spec, port
    finally:
        process.kill()
        process.wait()


def test_a_reused_connection_stays_in_step_after_bodies_of_every_kind(
    backend: tuple[Backend, int],
) -> None:
    spec, port = backend
    conn = http.client.HTTPConnection(ADDRESS, port, timeout=10)
    try:
        # A body for a route that does not exist: answered 404, and read all the same.
        unwanted = json.dumps({"padding": "x" * 2000}).encode()
        conn.request("POST", "/no-such-route", body=unwanted)
        first = conn.getresponse()
        first.read()
        assert first.status == 404
        sock = conn.sock
        assert sock is not None and not first.will_close

        # A chunked body, as a streaming client sends it.
        payload = json.dumps(spec.post_body).encode()
        pieces = iter([payload[:5], payload[5:]])
        conn.request(
            "POST",
            spec.post_path,
            body=pieces,
            headers={"Content-Type": "application/json"},
            encode_chunked=True,
        )
        second = conn.getresponse()
        answer = second.read()
        assert second.status == 200, answer[:300]

        conn.request("GET", "/health")
        third = conn.getresponse()
        third.read()
        assert third.status == 200
        assert conn.sock is sock, "the server closed the connection instead of reusing it"
    finally:
        conn.close()
