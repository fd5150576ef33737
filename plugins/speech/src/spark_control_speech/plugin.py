"""The hooks of the speech plugin (its entry point).

The entry point is this module, shared by every gateway in the process; what belongs to
one gateway (its settings, HTTP client, backends) is kept per host.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
import httpx

from spark_control import hookimpl
from spark_control.errors import Unavailable
from spark_control.health import Probe, http_check
from spark_control_speech.backends import AsrAdapter, DiarizerClient
from spark_control_speech.openapi import V1_DOCS
from spark_control_speech.pipeline import Speech
from spark_control_speech.routes import api_router, merge_router, tts_router, v1_app
from spark_control_speech.services import (
    KINDS,
    add_default_services,
    check_private,
    service_for,
)
from spark_control_speech.settings import SpeechSettings

if TYPE_CHECKING:
    from spark_control.host import Host
    from spark_control.sim.registry import SimRegistrar

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

_speech: weakref.WeakKeyDictionary[Host, Speech] = weakref.WeakKeyDictionary()
_prepared: weakref.WeakSet[Host] = weakref.WeakSet()


def _settings(host: Host) -> SpeechSettings:
    settings = host.plugin_settings("speech")
    assert isinstance(settings, SpeechSettings)
    return settings


def _prepare(host: Host) -> None:
    """Add the default services and check they are on the LAN (once per gateway)."""
    if host in _prepared:
        return
    settings = _settings(host)
    add_default_services(host, settings)
    check_private(host, settings)
    _prepared.add(host)


def _get(host: Host) -> Speech:
    speech = _speech.get(host)
    if speech is None:
        raise Unavailable("the speech plugin has not started")
    return speech


@hookimpl
def spark_settings_model() -> type[SpeechSettings]:
    return SpeechSettings


@hookimpl
def spark_models(host: Host) -> list[dict[str, str]]:
    settings = _settings(host)
    return [
        {"id": name, "served_name": name}
        for name in [*settings.transcription_models, *settings.speech_models]
    ]


@hookimpl
def spark_routes(host: Host, register: Any) -> None:
    _prepare(host)
    settings = _settings(host)

    def get() -> Speech:
        return _get(host)

    uploads = settings.max_upload_bytes
    register(api_router(get), max_body_bytes=uploads)
    register(tts_router(get), max_body_bytes=settings.max_tts_body_bytes)
    register(merge_router(get), max_body_bytes=settings.max_merge_body_bytes)
    app = v1_app(get)
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
def spark_probes(host: Host, register: Any) -> None:
    _prepare(host)
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
def spark_tiles(host: Host, register: Any) -> None:
    register.static(STATIC_DIR)
    register(TILE)


@hookimpl
def spark_lifespan(host: Host) -> Any:
    @contextlib.asynccontextmanager
    async def run() -> AsyncIterator[None]:
        _prepare(host)
        settings = _settings(host)
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
            _speech[host] = Speech(
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
                _speech.pop(host, None)

    return run()


@hookimpl
def spark_sim(sim: SimRegistrar) -> None:
    # Imported here: only the demo and the tests build a simulated cluster.
    from spark_control_speech.sim import register

    register(sim)
