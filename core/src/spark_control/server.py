"""Running a gateway under uvicorn, with a shutdown that does not wait on open streams.

uvicorn waits for open responses before it runs the lifespan's shutdown, and an SSE
stream never finishes by itself: so the server ends the streams as soon as it is
asked to exit, and browsers reconnect to the next process with Last-Event-ID.

``serve`` and ``demo`` run it inside ``stopping.stop_signals()``: uvicorn hands the
SIGINT or SIGTERM that stopped it back once it has shut down, and that raises
``Stopped`` there.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from types import FrameType
from typing import TYPE_CHECKING

import uvicorn

if TYPE_CHECKING:
    from spark_control.gateway import Gateway


#: How often the idle server wakes to refresh its Date header (uvicorn: every 0.1 s, to
#: look at ``should_exit``, which here wakes it when set).
TICK_S = 1.0


class GatewayServer(uvicorn.Server):
    def __init__(self, gateway: Gateway, config: uvicorn.Config) -> None:
        self._should_exit = False
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        super().__init__(config)
        self.gateway = gateway

    @property
    def should_exit(self) -> bool:
        return self._should_exit

    @should_exit.setter
    def should_exit(self, value: bool) -> None:
        self._should_exit = value
        if value and self._wake is not None and self._loop is not None:
            # From a signal handler or another thread too: wake the main loop now.
            with contextlib.suppress(RuntimeError):  # the loop has closed
                self._loop.call_soon_threadsafe(self._wake.set)

    async def main_loop(self) -> None:
        """uvicorn's, waking once a second instead of ten times (an idle gateway's
        cheapest saving) and at once when asked to exit."""
        self._loop, self._wake = asyncio.get_running_loop(), asyncio.Event()
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + 10) % 864000  # a multiple of 10: the Date is refreshed
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(TICK_S):
                    await self._wake.wait()
            should_exit = await self.on_tick(counter)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        # Not request_exit(): uvicorn reads a SIGINT that finds should_exit already set
        # as a second Ctrl-C, and would skip the graceful shutdown.
        self.gateway.host.events.close_streams()
        super().handle_exit(sig, frame)

    def request_exit(self) -> None:
        """Ask the server to stop, ending the event streams that would hold it up."""
        self.gateway.host.events.close_streams()
        self.should_exit = True


def make_server(
    gateway: Gateway,
    *,
    host: str | None = None,
    port: int | None = None,
    log_level: str | None = None,
) -> GatewayServer:
    settings = gateway.host.settings.gateway
    config = uvicorn.Config(
        gateway.asgi,
        interface="asgi3",  # a bound method: uvicorn's detection would guess ASGI 2
        host=host or settings.host,
        port=port or settings.port,
        log_level=log_level or settings.log_level,
        access_log=False,  # the gateway writes its own (spark_control.access_log)
        proxy_headers=False,
        lifespan="on",
        timeout_graceful_shutdown=5,
    )
    return GatewayServer(gateway, config)


def bind_loopback() -> socket.socket:
    """A socket on 127.0.0.1 with a port the OS picked (tests, parallel runs)."""
    # IPPROTO_TCP, not 0: asyncio turns on TCP_NODELAY only for accepted sockets whose
    # proto says TCP; without it each keep-alive response waits ~40 ms on delayed ACKs.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock
