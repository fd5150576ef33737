"""One upstream OpenAI-compatible server: its connection pools, its limiter, its key.

The ``/v1`` exchanges go through :class:`~spark_control_vllm.proxy.h1.H1Pool` (one
callback per streamed chunk; see its module). An aiohttp session serves the rest (the
upstream's model list): measured here, httpx's pool cost 3.6-28 ms of CPU per request
and grew with concurrency, aiohttp's stayed at 1.5-2.2 ms (``bench/proxy``).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from spark_control_vllm.proxy.h1 import H1Pool
from spark_control_vllm.proxy.limiter import Limiter
from spark_control_vllm.settings import ProxySettings

# How long a static upstream's model list read from its /v1/models is trusted.
MODELS_TTL_S = 30.0


@dataclass
class Upstream:
    """``base_url`` ends before ``/v1`` (``http://<spark-1-ip>:8888``)."""

    name: str
    base_url: str
    limiter: Limiter
    # The /v1 exchanges' connections (proxy/h1.py); the session serves the rest
    # (model lists).
    pool: H1Pool
    session: aiohttp.ClientSession
    api_key: str | None = None
    static: bool = False
    # Where health observations of requests go (a probe name), if any.
    probe: str | None = None
    declared_models: tuple[str, ...] = ()
    # Longest silence mid-request (``proxy.read_timeout_s``): the proxy's own watchdog
    # enforces it (``forward.Silence``), not aiohttp's per-read timer.
    read_timeout_s: float = 600.0
    discovered_models: tuple[str, ...] = ()
    discovered_at: float = field(default=0.0)
    _discovery: asyncio.Future[tuple[str, ...]] | None = field(default=None, repr=False)

    @classmethod
    def open(
        cls,
        name: str,
        base_url: str,
        settings: ProxySettings,
        *,
        api_key: str | None = None,
        static: bool = False,
        probe: str | None = None,
        models: tuple[str, ...] = (),
    ) -> Upstream:
        # No sock_read: aiohttp re-arms that timer for every read (a cancel and a
        # call_later, ~2 us each on uvloop), which was most of what a streamed answer
        # cost above the floor; forward() watches for silence with one timer instead.
        timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=settings.connect_timeout_s, sock_read=None
        )
        session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0, ttl_dns_cache=300),
            timeout=timeout,
            auto_decompress=False,
            # The client's own headers go up as they are; aiohttp adds none of its own.
            skip_auto_headers=("User-Agent", "Accept-Encoding"),
            raise_for_status=False,
        )
        limiter = Limiter(settings.max_concurrency, settings.max_queue, settings.queue_wait_s)
        return cls(
            name=name,
            base_url=base_url.rstrip("/"),
            limiter=limiter,
            pool=H1Pool(base_url, connect_timeout_s=settings.connect_timeout_s),
            session=session,
            api_key=api_key,
            static=static,
            probe=probe,
            declared_models=models,
            read_timeout_s=settings.read_timeout_s,
        )

    @property
    def models(self) -> tuple[str, ...]:
        return self.declared_models or self.discovered_models

    async def current_models(self) -> tuple[str, ...]:
        """The model names to route by. Declared ones as they are; read ones are read
        once up front, then refreshed in the background when stale, so no request
        waits on a slow or dead upstream's ``/v1/models`` but the first."""
        if self.declared_models:
            return self.declared_models
        if self._discovery is None:
            if self.discovered_at == 0.0:
                self._discovery = asyncio.ensure_future(self.discover_models())
            elif time.monotonic() - self.discovered_at >= MODELS_TTL_S:
                self._discovery = asyncio.ensure_future(self.discover_models())
                self._discovery.add_done_callback(self._discovered)
                return self.discovered_models
            else:
                return self.discovered_models
        if self.discovered_at == 0.0:
            # The first read: every request that needs it shares it.
            await asyncio.shield(self._discovery)
            self._discovery = None
        return self.discovered_models

    def _discovered(self, _: asyncio.Future[tuple[str, ...]]) -> None:
        self._discovery = None

    async def model_cards(self) -> list[dict[str, Any]]:
        """The cards of the upstream's ``/v1/models``; [] when it does not answer."""
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            async with self.session.get(
                self.base_url + "/v1/models",
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=5),
            ) as response:
                data = await response.json(content_type=None) if response.status == 200 else {}
        except (aiohttp.ClientError, TimeoutError, ValueError):
            data = {}
        cards = data.get("data") if isinstance(data, dict) else None
        return [
            card
            for card in (cards if isinstance(cards, list) else [])
            if isinstance(card, dict) and isinstance(card.get("id"), str)
        ]

    async def discover_models(self) -> tuple[str, ...]:
        """Read the model names from the upstream's ``/v1/models``; () when it fails."""
        names = tuple(card["id"] for card in await self.model_cards())
        self.discovered_models, self.discovered_at = names, time.monotonic()
        return names

    async def aclose(self) -> None:
        if self._discovery is not None:
            self._discovery.cancel()
        self.pool.close()
        await self.session.close()
        # aiohttp recommends a short pause so the transports' close completes.
        await asyncio.sleep(0)
