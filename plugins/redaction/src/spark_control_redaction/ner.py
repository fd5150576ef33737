"""spaCy NER for people, organisations and places: loaded lazily, run on worker
threads of its own, with concurrent requests batched through ``nlp.pipe``.

Only the pipes NER needs (``tok2vec``, ``ner``) are loaded. Each worker thread loads
its own copy of the pipeline on its first text (about 30 MB each; a pipeline is not
shared between threads) and takes whatever texts are waiting each time it is free, so
one request pays no batching delay and many requests share the per-batch cost. spaCy
releases the GIL in its numeric code, so two workers use two cores.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import queue
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from typing import Any

from spark_control.api import Unavailable
from spark_control_redaction.entities import LOCATION, ORG, PERSON, Span

log = logging.getLogger(__name__)

LABELS = {"PERSON": PERSON, "ORG": ORG, "GPE": LOCATION, "LOC": LOCATION, "FAC": LOCATION}
_UNNEEDED = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "morphologizer"]
# spaCy's memory grows with document length; long texts go through in pieces.
PIECE_CHARS = 20_000
BATCH = 64
# What the model reads: line breaks as spaces, Markdown table pipes as commas, emphasis
# and code marks as spaces. It was trained on prose: a name broken over two lines
# ("Signed,\nJane\nRoe") or sitting in a table cell ("| **Jane Roe** |") is found only
# when it reads like a list in a sentence. Same length, so offsets stay valid.
_LAYOUT = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "|": ",", "*": " ", "`": " "})
# Texts one worker takes at once: enough to share the per-batch cost, few enough that
# the other worker gets its share of a burst.
WORKER_BATCH = 16


class NerModel:
    """The spaCy NER of a process, shared by every request of every gateway in it."""

    def __init__(self, model: str, workers: int = 1) -> None:
        self.model = model
        self.workers = workers
        self._local = threading.local()
        self._loaded = False
        self._queue: queue.SimpleQueue[tuple[list[str], Future[list[list[Span]]]] | None] = (
            queue.SimpleQueue()
        )
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._loaded

    def _load(self) -> Any:
        """This thread's copy of the pipeline."""
        nlp = getattr(self._local, "nlp", None)
        if nlp is None:
            import spacy

            try:
                # An installed pipeline package (our default is one) imports faster and
                # works without spaCy's download machinery.
                module = importlib.import_module(self.model)
                nlp = module.load(exclude=_UNNEEDED)
            except ImportError:
                try:
                    nlp = spacy.load(self.model, exclude=_UNNEEDED)
                except OSError as exc:
                    raise Unavailable(
                        f"spaCy model {self.model!r} is not installed: {exc}"
                    ) from exc
            self._local.nlp = nlp
            self._loaded = True
        return nlp

    def find_sync(self, texts: list[str]) -> list[list[Span]]:
        """NER spans of each text, on the calling thread."""
        nlp = self._load()
        pieces: list[tuple[int, int, str]] = []  # (text index, offset, piece)
        for index, text in enumerate(texts):
            for offset, piece in _pieces(text.translate(_LAYOUT)):
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
            self._threads = [t for t in self._threads if t.is_alive()]
            while len(self._threads) < self.workers:
                thread = threading.Thread(
                    target=self._work, name=f"redaction-ner-{len(self._threads)}", daemon=True
                )
                thread.start()
                self._threads.append(thread)

    def _work(self) -> None:
        # Workers start with the first request; each loads its copy at once, so the
        # second one is ready when a burst comes rather than loading during it.
        with contextlib.suppress(Exception):  # a failed load is reported per request
            self._load()
        while True:
            item = self._queue.get()
            if item is None:
                return
            batch = [item]
            while len(batch) < WORKER_BATCH:
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
        for _ in self._threads:
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
