"""Manual check of docs/REPLICAS.md's nginx snippet (TLS left out): two gateways on one
throwaway PostgreSQL behind nginx on 127.0.0.1:18080. Prints whether nginx accepts the
configuration, ``/health`` (GET and HEAD) through it, how long an event takes to come
through the unbuffered stream, and what two streams resumed with ``Last-Event-ID``
through the round robin (so on each replica once) get: exactly the next event, no reset.

Run from the repository root, inside a network namespace:
``bench/netns-run uv run --frozen python bench/replicas_nginx_smoke.py``. Needs
``nginx`` (Debian's ``nginx-light``) and ``postgresql``; stops both, ends by itself.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

from spark_control.pg_cluster import PostgresCluster
from spark_control.settings import LoadedConfig
from spark_control.testing import RunningGateway, make_config, running_gateway

NAME = "spark.example"
LISTEN = "127.0.0.1:18080"
PROXY = """
        proxy_pass http://spark_control;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;"""
CONF = """
worker_processes 1; pid {d}/nginx.pid; error_log {d}/error.log;
events {{ worker_connections 256; }}
http {{
  access_log off; client_body_temp_path {d}/body; proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/f; uwsgi_temp_path {d}/u; scgi_temp_path {d}/s;
  upstream spark_control {{
    server {a} max_fails=2 fail_timeout=5s;
    server {b} max_fails=2 fail_timeout=5s;
    keepalive 16;
  }}
  server {{
    listen {listen};
    server_name {name};
    location / {{{proxy}
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_read_timeout 300s;
        proxy_send_timeout 300s;
        client_max_body_size 1g;
    }}
    location = /api/events {{{proxy}
        proxy_buffering off;
        proxy_cache off;
        proxy_read_timeout 1h;
    }}
  }}
}}
"""


def replica(folder: Path, dsn: str) -> LoadedConfig:
    gateway = {"database_url": dsn, "leader_lease_s": 3, "allowed_hosts": [NAME]}
    return make_config(folder, {"plugins": {"enabled": []}, "gateway": gateway})


async def events(lines: AsyncIterator[str], until: str) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = []
    async with asyncio.timeout(10):
        async for line in lines:
            if line.startswith("data: "):
                got.append(json.loads(line.removeprefix("data: ")))
                if got[-1]["type"] == until:
                    return got
    raise RuntimeError("the stream ended")


async def check(folder: Path, a: RunningGateway, b: RunningGateway) -> None:
    address = {n: gw.url.removeprefix("http://") for n, gw in (("a", a), ("b", b))}
    conf = folder / "nginx.conf"
    conf.write_text(CONF.format(d=folder, listen=LISTEN, name=NAME, proxy=PROXY, **address))
    await asyncio.to_thread(subprocess.run, ["nginx", "-t", "-c", str(conf)], check=True)
    await asyncio.to_thread(subprocess.run, ["nginx", "-c", str(conf)], check=True)
    try:
        async with httpx.AsyncClient(
            base_url=f"http://{LISTEN}", headers={"Host": NAME}, timeout=30
        ) as lb:
            got = (await lb.get("/health")).status_code, (await lb.head("/health")).status_code
            print("GET and HEAD /health through nginx:", *got)
            async with lb.stream("GET", "/api/events") as stream:
                lines = stream.aiter_lines()
                await asyncio.sleep(0.5)
                start = time.perf_counter()
                a.host.events.publish("smoke.one", {}, source="bench")
                one = (await events(lines, "smoke.one"))[-1]
                took = time.perf_counter() - start
                print(f"an event through nginx's unbuffered stream: {took * 1000:.1f} ms")
                a.host.events.publish("smoke.two", {}, source="bench")
                await events(lines, "smoke.two")
            for _ in range(2):  # round robin: one resume on each replica
                headers = {"Last-Event-ID": one["id"]}
                async with lb.stream("GET", "/api/events", headers=headers) as stream:
                    got_back = await events(stream.aiter_lines(), "smoke.two")
                shown = [(e["type"], e["id"]) for e in got_back if e["type"] != "health.changed"]
                print(f"resumed after {one['id']}:", shown)
    finally:
        quit_ = ["nginx", "-c", str(conf), "-s", "quit"]
        await asyncio.to_thread(subprocess.run, quit_, check=False)
        await asyncio.sleep(0.5)  # nginx's workers end


async def main() -> None:
    with PostgresCluster() as pg, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        async with (
            running_gateway(replica(folder / "a", pg.dsn)) as a,
            running_gateway(replica(folder / "b", pg.dsn)) as b,
        ):
            await check(folder, a, b)


if __name__ == "__main__":
    if shutil.which("nginx") is None:
        raise SystemExit("nginx is not installed (apt-get install nginx-light)")
    asyncio.run(main())
