"""The redaction service of one gateway: detection, the vault, scrub and rehydrate."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from spark_control.api import InvalidValue, SparkError
from spark_control_redaction.detect import Lists, detect_sync
from spark_control_redaction.entities import DETECTABLE_TYPES, NER_TYPES, Span
from spark_control_redaction.mapping import Mapping
from spark_control_redaction.metrics import RedactionMetrics
from spark_control_redaction.ner import CACHE_ENTRIES, NerModel
from spark_control_redaction.scrub import Rehydrated, Replacement, apply, rehydrate
from spark_control_redaction.settings import RedactionSettings
from spark_control_redaction.vault import Vault

_models: dict[str, NerModel] = {}
# The rules take about a millisecond on a text this long: less than a hop to a thread
# costs on a busy machine. Longer texts are scanned off the event loop.
INLINE_CHARS = 2000


def shared_model(name: str, workers: int = 1, cache: int = CACHE_ENTRIES) -> NerModel:
    """One model per process, whatever the number of gateways (tests run several); its
    cache is sized by the gateway that started last."""
    model = _models.get(name)
    if model is None:
        model = _models[name] = NerModel(name, workers, cache=cache)
    model.workers = max(model.workers, workers)
    model.resize_cache(cache)
    return model


class TextTooLarge(SparkError):
    status = 413
    type = "payload_too_large"


@dataclass
class ScrubOutcome:
    text: str
    session_id: str
    entities: list[Replacement]
    expires_at: float


@dataclass
class RehydrateOutcome:
    text: str
    session_id: str
    restored: int
    unknown: list[str]


class Redactor:
    def __init__(
        self,
        settings: RedactionSettings,
        vault: Vault,
        run_blocking: Callable[..., Awaitable[Any]],
        metrics: RedactionMetrics,
    ) -> None:
        self.settings = settings
        self.metrics = metrics
        self.vault = vault
        self.ner = (
            shared_model(settings.spacy_model, settings.ner_workers, settings.ner_cache)
            if settings.ner
            else None
        )
        self.lists = Lists(
            tuple(settings.deny_list),
            tuple(settings.allow_list),
            cues=settings.context_cues,
            places_need_someone=settings.places_need_someone,
            places_need_a_sign=settings.places_need_a_sign,
            places_without_a_sign_stay=settings.places_without_a_sign_stay,
            phone_regions=settings.phone_regions,
        )
        self._run_blocking = run_blocking

    def check_text(self, text: str, field: str = "text") -> None:
        if not text.strip():
            raise InvalidValue(field, "is empty (or only whitespace)")
        if len(text) > self.settings.max_text_chars:
            raise TextTooLarge(
                f"{field} has {len(text)} characters; at most "
                f"{self.settings.max_text_chars} are accepted in one request",
                detail={"field": field, "limit": self.settings.max_text_chars},
            )

    def entity_types(self, names: Sequence[str] | None) -> frozenset[str]:
        """The types a request asked for, else the configured default, else all."""
        if names is None:
            names = self.settings.entities
        if names is None:
            return frozenset(DETECTABLE_TYPES)
        unknown = [n for n in names if n not in DETECTABLE_TYPES]
        if unknown:
            raise InvalidValue(
                "entities",
                f"unknown entity type(s) {', '.join(unknown)}; known: "
                + ", ".join(DETECTABLE_TYPES),
            )
        return frozenset(names)

    async def _ner(self, texts: Sequence[str], types: frozenset[str]) -> list[list[Span]]:
        """NER spans of each text, all queued at once so the workers batch them."""
        if self.ner is None or not types & set(NER_TYPES):
            return [[] for _ in texts]
        ner = self.ner
        return list(await asyncio.gather(*(ner.find(text) for text in texts)))

    async def scrub_many(
        self, texts: Sequence[str], session_id: str | None, types: frozenset[str]
    ) -> tuple[str, list[tuple[str, list[Replacement]]], float]:
        """Scrub several texts in one session (a chat's messages), saving it once."""
        started = time.monotonic()
        new = session_id is None
        if session_id is None:
            session_id = self.vault.new_session_id()
        async with self.vault.lock(session_id):
            mapping = Mapping() if new else await self.vault.load(session_id)
            found = await self._ner(texts, types)
            results = []
            # In order: each text may meet values an earlier one added to the mapping.
            for text, ner in zip(texts, found, strict=True):
                if len(text) <= INLINE_CHARS:
                    spans = detect_sync(text, ner, mapping, self.lists, types)
                else:
                    spans = await self._run_blocking(
                        detect_sync, text, ner, mapping, self.lists, types
                    )
                scrubbed = apply(text, spans, mapping)
                results.append((scrubbed.text, scrubbed.entities))
            expires = await self.vault.save(session_id, mapping)
        for _, replaced in results:
            for entity in replaced:
                self.metrics.entities.labels(entity.type).inc()
        self.metrics.scrub_seconds.observe(time.monotonic() - started)
        return session_id, results, expires

    async def scrub(self, text: str, session_id: str | None, types: frozenset[str]) -> ScrubOutcome:
        session_id, results, expires = await self.scrub_many([text], session_id, types)
        return ScrubOutcome(results[0][0], session_id, results[0][1], expires)

    async def mapping(self, session_id: str) -> Mapping:
        return await self.vault.load(session_id)

    async def rehydrate(self, text: str, session_id: str) -> RehydrateOutcome:
        mapping = await self.vault.load(session_id)
        result: Rehydrated = rehydrate(text, mapping)
        self.metrics.unknown_placeholders.inc(len(result.unknown))
        await self.vault.touch(session_id)
        return RehydrateOutcome(result.text, session_id, result.restored, result.unknown)
