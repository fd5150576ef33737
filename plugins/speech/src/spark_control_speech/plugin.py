"""The speech plugin (its entry point is :class:`SpeechPlugin`).

The host builds the class once per gateway, so each gateway has its own HTTP clients
and backends.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import httpx

from spark_control.api import (
    Plugin,
    Probe,
    ProbeRegistrar,
    RouteRegistrar,
    ServiceRegistrar,
    Started,
    TileRegistrar,
    hookimpl,
    http_check,
    with_aliases,
)
from spark_control_speech.backends import AsrAdapter, DiarizerClient
from spark_control_speech.openapi import V1_DOCS
from spark_control_speech.pipeline import Speech
from spark_control_speech.services import (
    KINDS,
    check_private,
    declare_services,
    service_for,
)
from spark_control_speech.settings import SpeechSettings

if TYPE_CHECKING:
    from spark_control.api import Host, SimRegistrar

STATIC_DIR = Path(__file__).parent / "static"
TILE: dict[str, Any] = {
    "id": "speech",
    "title": "Speech",
    "order": 30,
    "kind": "module",
    "module": "speech-tile.js",
    "status_probe": "asr",
}
# A GPU busy with a long file answers health slowly: degraded, not down.
DEGRADED_AFTER_MS = 1500.0


class SpeechPlugin(Plugin[SpeechSettings]):
    """One per gateway: the speech pipeline (clients and backends) once started."""

    settings_model = SpeechSettings

    def __init__(self, host: Host, settings: SpeechSettings) -> None:
        super().__init__(host, settings)
        self.speech = Started[Speech]("the speech plugin")
        self._prepared = False

    def _prepare(self) -> None:
        """Check the services are on the LAN (once per gateway)."""
        if self._prepared:
            return
        check_private(self.host, self.settings)
        self._prepared = True

    @hookimpl
    def spark_services(self, register: ServiceRegistrar) -> None:
        declare_services(self.host, self.settings, register)

    @hookimpl
    def spark_models(self) -> list[dict[str, str]]:
        settings = self.settings
        return [
            {"id": name, "served_name": name}
            for name in [*settings.transcription_models, *settings.speech_models]
        ]

    @hookimpl
    def spark_routes(self, register: RouteRegistrar) -> None:
        self._prepare()
        settings, get = self.settings, self.speech
        uploads = settings.max_upload_bytes
        # Imported here: the route module imports this class for its dependency.
        from spark_control_speech import routes

        register(with_aliases(routes.api_router, routes.API_ALIASES), max_body_bytes=uploads)
        register(
            with_aliases(routes.tts_router, routes.TTS_ALIASES),
            max_body_bytes=settings.max_tts_body_bytes,
        )
        register(
            with_aliases(routes.merge_router, routes.MERGE_ALIASES),
            max_body_bytes=settings.max_merge_body_bytes,
        )
        app = routes.v1_app(get)
        register.v1(
            "/audio/transcriptions",
            app,
            models=lambda: settings.transcription_models,
            max_body_bytes=uploads,
        )
        register.v1(
            "/audio/speech",
            app,
            models=lambda: settings.speech_models,
            max_body_bytes=settings.max_tts_body_bytes,
        )
        register.v1("/audio/voices", app, models=None)
        for path, operations in V1_DOCS.items():
            register.v1_docs(path, operations)

    @hookimpl
    def spark_probes(self, register: ProbeRegistrar) -> None:
        self._prepare()
        host = self.host
        for kind in KINDS:
            service = service_for(host, kind)
            register(
                Probe(
                    name=service.name,
                    check=http_check(
                        host.http_client,
                        host.topology.service_url(service, service.health_path),
                        f"{kind} answers",
                    ),
                    service=service.name,
                    node=service.node,
                    degraded_after_ms=DEGRADED_AFTER_MS,
                    disabled=service.disabled,
                )
            )

    @hookimpl
    def spark_tiles(self, register: TileRegistrar) -> None:
        register.static(STATIC_DIR)
        register(TILE)

    @hookimpl
    def spark_lifespan(self) -> Any:
        host = self.host

        @contextlib.asynccontextmanager
        async def run() -> AsyncIterator[None]:
            self._prepare()
            settings = self.settings
            asr, diarizer, tts = (service_for(host, kind) for kind in KINDS)
            url = host.topology.service_url
            timeout = httpx.Timeout(settings.backend_timeout_s, connect=3.0)
            tts_timeout = aiohttp.ClientTimeout(
                total=None, sock_connect=3.0, sock_read=settings.backend_timeout_s
            )
            async with (
                host.http_client(timeout=timeout) as client,
                aiohttp.ClientSession(timeout=tts_timeout, trust_env=False) as session,
            ):
                self.speech.value = Speech(
                    settings=settings,
                    host=host,
                    client=client,
                    session=session,
                    asr=AsrAdapter(
                        settings.asr_style,
                        url(asr, settings.transcription_path()),
                        settings.asr_model,
                    ),
                    diarizer=DiarizerClient(
                        url(diarizer, settings.diarizer_path), settings.max_speakers
                    ),
                    tts_url=url(tts, "/v1/audio/speech"),
                    voices_url=url(tts, "/v1/audio/voices"),
                )
                try:
                    yield
                finally:
                    self.speech.value = None

        return run()

    @staticmethod
    @hookimpl
    def spark_sim(sim: SimRegistrar) -> None:
        # Imported here: only the demo and the tests build a simulated cluster.
        from spark_control_speech.sim import register

        register(sim)
