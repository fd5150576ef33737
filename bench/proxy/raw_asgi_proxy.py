#!/usr/bin/env python3
"""The floor probe: the least a Python proxy hop can cost on this stack.

Raw ASGI under uvicorn (uvloop + httptools), one pooled aiohttp session, no
framework, no parsing, no logging: each upstream chunk is written as it arrives.
Whatever the gateway costs above this is its own code, not the stack's.

  UPSTREAM=http://127.0.0.1:18001 python raw_asgi_proxy.py --port 18005
"""

import argparse
import os

import aiohttp
import uvicorn

UP = os.environ.get("UPSTREAM", "http://127.0.0.1:18001").rstrip("/")
KEEP = (b"content-type", b"authorization")
session = None


async def app(scope, receive, send):
    global session
    if scope["type"] != "http":
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
        return
    if session is None:
        session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=1024),
            timeout=aiohttp.ClientTimeout(total=60),
            auto_decompress=False,
        )
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    headers = {k.decode(): v.decode() for k, v in scope["headers"] if k in KEEP}
    r = await session.request(
        scope["method"], UP + scope["path"], data=body or None, headers=headers
    )
    try:
        await send(
            {
                "type": "http.response.start",
                "status": r.status,
                "headers": [
                    (b"content-type", r.headers.get("content-type", "application/json").encode())
                ],
            }
        )
        async for chunk in r.content.iter_any():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    finally:
        r.release()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=18005)
    a = ap.parse_args()
    uvicorn.run(
        app,
        host=a.host,
        port=a.port,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_level="warning",
        backlog=4096,
    )
