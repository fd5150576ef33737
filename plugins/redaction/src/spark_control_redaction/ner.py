"""spaCy NER for people, organisations and places: loaded once, lazily, run on its own
thread, with concurrent requests batched through ``nlp.pipe``.

Only the pipes NER needs (``tok2vec``, ``ner``) are loaded, which keeps the model near
100 MB resident. The worker thread takes whatever texts are waiting each time it is
free, so one request pays no batching delay and many requests share the model's
per-batch cost.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import queue
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from typing import Any

from spark_control.errors import Unavailable
from spark_control_redaction.entities import LOCATION, ORG, PERSON, Span

log = logging.getLogger(__name__)

LABELS = {"PERSON": PERSON, "ORG": ORG, "GPE": LOCATION, "LOC": LOCATION, "FAC": LOCATION}
_UNNEEDED = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "morphologizer"]
# spaCy's memory grows with document length; long texts go through in pieces.
PIECE_CHARS = 20_000
BATCH = 64


class NerModel:
    """One spaCy pipeline shared by every request of a gateway."""

    def __init__(self, model: str) -> None:
        self.model = model
        self._nlp: Any = None
        self._error: str | None = None
        self._queue: queue.SimpleQueue[tuple[list[str], Future[list[list[Span]]]] | None] = (
            queue.SimpleQueue()
        )
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._nlp is not None

    def _load(self) -> Any:
        if self._nlp is None:
            import spacy

            try:
                # An installed pipeline package (our default is one) imports faster and
                # works without spaCy's download machinery.
                module = importlib.import_module(self.model)
                self._nlp = module.load(exclude=_UNNEEDED)
            except ImportError:
                try:
                    self._nlp = spacy.load(self.model, exclude=_UNNEEDED)
                except OSError as exc:
                    self._error = f"spaCy model {self.model!r} is not installed: {exc}"
                    raise Unavailable(self._error) from exc
        return self._nlp

    def find_sync(self, texts: list[str]) -> list[list[Span]]:
        """NER spans of each text, on the calling thread."""
        nlp = self._load()
        pieces: list[tuple[int, int, str]] = []  # (text index, offset, piece)
        for index, text in enumerate(texts):
            for offset, piece in _pieces(text):
                pieces.append((index, offset, piece))
        found: list[list[Span]] = [[] for _ in texts]
        docs = nlp.pipe((p for _, _, p in pieces), batch_size=BATCH)
        for (index, offset, _), doc in zip(pieces, docs, strict=True):
            for ent in doc.ents:
                type_ = LABELS.get(ent.label_)
                if type_ is not None:
                    found[index].append(Span(type_, offset + ent.start_char, offset + ent.end_char))
        return found

    async def find(self, text: str) -> list[Span]:
        """NER spans of ``text``, computed on the model's thread."""
        self._ensure_thread()
        future: Future[list[list[Span]]] = Future()
        self._queue.put(([text], future))
        result = await asyncio.wrap_future(future)
        return result[0]

    async def warm_up(self) -> None:
        await self.find("Alice met Bob in Paris.")

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._work, name="redaction-ner", daemon=True
                )
                self._thread.start()

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            batch = [item]
            while len(batch) < BATCH:
                try:
                    extra = self._queue.get_nowait()
                except queue.Empty:
                    break
                if extra is None:
                    self._queue.put(None)  # finish this batch, then stop
                    break
                batch.append(extra)
            texts = [t for texts, _ in batch for t in texts]
            try:
                spans = self.find_sync(texts)
            except Exception as exc:  # handed to each waiting request
                for _, future in batch:
                    future.set_exception(exc)
                continue
            position = 0
            for item_texts, future in batch:
                future.set_result(spans[position : position + len(item_texts)])
                position += len(item_texts)

    def close(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._queue.put(None)


def _pieces(text: str) -> Iterator[tuple[int, str]]:
    """``text`` cut at whitespace into pieces of at most about ``PIECE_CHARS``."""
    start = 0
    while len(text) - start > PIECE_CHARS:
        cut = text.rfind("\n", start + PIECE_CHARS // 2, start + PIECE_CHARS)
        if cut == -1:
            cut = text.rfind(" ", start + PIECE_CHARS // 2, start + PIECE_CHARS)
        if cut == -1:
            cut = start + PIECE_CHARS
        yield start, text[start:cut]
        start = cut
    yield start, text[start:]
