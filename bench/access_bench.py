"""What access control costs per request: keys off, a Bearer key, a session cookie.

Starts a real gateway (one throwaway route, ``GET /api/bench/ping``) and sends
``--requests`` sequential requests per mode straight into its ASGI app (the whole
middleware stack and router, no sockets: loopback TCP timing on a shared VM is noisier
than what is measured here), then times the key check alone (a cached hit).
Prints one table; ends by itself.

    uv run python bench/access_bench.py --requests 2000
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from fastapi import APIRouter

from spark_control import hookimpl
from spark_control.testing import make_config, running_gateway


class Ping:
    @hookimpl
    def spark_routes(self, register: Any) -> None:
        router = APIRouter()

        @router.get("/api/bench/ping")
        async def ping() -> dict[str, bool]:
            return {"ok": True}

        register(router)


async def _timed(client: httpx.AsyncClient, n: int, headers: dict[str, str]) -> list[float]:
    for _ in range(50):  # warm the connection and the key cache
        (await client.get("/api/bench/ping", headers=headers)).raise_for_status()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        response = await client.get("/api/bench/ping", headers=headers)
        samples.append(time.perf_counter() - started)
        response.raise_for_status()
    return samples


async def _mode(root: Path, keys_on: bool, n: int) -> dict[str, list[float]]:
    config = make_config(
        root / ("on" if keys_on else "off"),
        {"plugins": {"enabled": []}, "access": {"require_keys": keys_on}},
    )
    results: dict[str, list[float]] = {}
    async with (
        running_gateway(config, extra_plugins={"ping": Ping()}) as gw,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=gw.gateway.app, client=("127.0.0.1", 50000)),
            base_url="http://127.0.0.1",
        ) as client,
    ):
        if not keys_on:
            results["keys off"] = await _timed(client, n, {})
            return results
        access = gw.gateway.access
        _, secret = await access.keys.create("bench", ["read"], access.known_scopes())
        results["Bearer key"] = await _timed(client, n, {"Authorization": f"Bearer {secret}"})
        (await client.post("/api/session", json={"key": secret})).raise_for_status()
        results["session cookie"] = await _timed(client, n, {})
        checks = n * 10
        started = time.perf_counter()
        for _ in range(checks):
            await access.keys.check(secret)
        per_check = (time.perf_counter() - started) / checks
        results["key check alone (cached)"] = [per_check]
    return results


async def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        rows = {**await _mode(root, False, n), **await _mode(root, True, n)}
    print(f"{'mode':<26} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8}")
    for mode, samples in rows.items():
        if len(samples) == 1:
            print(f"{mode:<26} {samples[0] * 1e3:>8.4f} {'':>8} {'':>8}")
            continue
        ordered = sorted(samples)
        p50 = statistics.median(ordered) * 1e3
        p95 = ordered[int(len(ordered) * 0.95)] * 1e3
        print(f"{mode:<26} {p50:>8.3f} {p95:>8.3f} {len(samples) / sum(samples):>8.0f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    asyncio.run(main(parser.parse_args().requests))
