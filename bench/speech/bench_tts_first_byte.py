"""TTS first audio byte: through the gateway vs straight from the backend.

Starts the simulated Kokoro-FastAPI server on 127.0.2.60:8880 and a gateway with only
the speech plugin in front of it, then alternates the same ``/v1/audio/speech`` request
(streamed, mp3) between the two and times the first body byte each time.

    uv run python bench/speech/bench_tts_first_byte.py [--requests 100]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from spark_control.testing import make_config, running_gateway

ADDRESS, PORT = "127.0.2.60", 8880
BODY = {
    "model": "kokoro",
    "input": "Hello Alice, the meeting starts at ten.",
    "voice": "af_heart",
    "response_format": "mp3",
    "stream": True,
}


async def first_byte(client: httpx.AsyncClient, url: str) -> float:
    started = time.perf_counter()
    elapsed: float | None = None
    async with client.stream("POST", url, json=BODY) as response:
        response.raise_for_status()
        async for _ in response.aiter_raw():
            if elapsed is None:
                elapsed = time.perf_counter() - started
    assert elapsed is not None, "no audio came back"
    return elapsed * 1000


def summary(name: str, values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    median = statistics.median(values)
    return f"  {name}: median={median:.2f} ms p95={p95:.2f} ms min={values[0]:.2f} ms"


async def main(requests: int) -> None:
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "spark_control_speech.sim.servers",
        "tts",
        env={**os.environ, "BIND": ADDRESS, "PORT": str(PORT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        assert server.stdout is not None
        await asyncio.wait_for(server.stdout.readline(), 20)
        tmp = Path(tempfile.mkdtemp(prefix="bench-tts-"))
        # Port 9: nothing answers the node probe there (this bench needs no SSH).
        nodes = {
            "spark-1": {
                "address": ADDRESS,
                "port": 9,
                "user": "alice",
                "key_path": str(tmp / "none"),
            }
        }
        config = make_config(tmp, {"nodes": nodes, "plugins": {"enabled": ["speech"]}})
        async with running_gateway(config) as gateway:
            direct_url = f"http://{ADDRESS}:{PORT}/v1/audio/speech"
            proxied_url = f"{gateway.url}/v1/audio/speech"
            direct, proxied = [], []
            async with httpx.AsyncClient(trust_env=False, timeout=30) as client:
                for _ in range(5):  # warm both paths' connections
                    await first_byte(client, direct_url)
                    await first_byte(client, proxied_url)
                for _ in range(requests):
                    direct.append(await first_byte(client, direct_url))
                    proxied.append(await first_byte(client, proxied_url))
        extra = [p - d for p, d in zip(proxied, direct, strict=True)]
        print(f"TTS first byte, {requests} requests each, alternating")
        print(f"  load average (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(summary("backend direct", direct))
        print(summary("through gateway", proxied))
        print(summary("gateway - backend (pairwise)", extra))
    finally:
        server.terminate()
        await server.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    asyncio.run(main(parser.parse_args().requests))
