"""spaCy NER for people, organisations and places: loaded lazily, run on worker
threads of its own, with concurrent requests batched through ``nlp.pipe``.

Only the pipes NER needs are loaded: ``ner`` and an embedding pipe (``tok2vec``,
``transformer``) only if ``ner`` listens to it, which in spaCy's own CNN pipelines it
does not (their ``ner`` embeds words itself). Its matrix products run through numpy's
BLAS on the calling thread (``matmul``) where that is faster than blis on the CPU (it is
not on every one: the choice is measured once per process). Each worker thread loads
its own copy of the pipeline on its first text (about 30 MB each; a pipeline is not
shared between threads) and takes whatever texts are waiting each time it is free, so
one request pays no batching delay and many requests share the per-batch cost. spaCy
releases the GIL in its numeric code, so two workers use two cores.

The model reads only what can hold a name (``View``): lines with a capitalised word or
another script, without addresses, URLs and long tokens; a text with none is not read
at all. The model's cost grows with what it reads, and in logs, code and configuration
most of it cannot be a name. Leak figures were checked unchanged or lower with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import importlib
import logging
import os
import queue
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from typing import Any

from spark_control.api import Unavailable
from spark_control_redaction.encoder import fuse
from spark_control_redaction.entities import LOCATION, ORG, PERSON, Span
from spark_control_redaction.matmul import use_one_thread_products

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
# Strings whose entities are remembered (a digest and a few offsets each, ~200 bytes).
CACHE_ENTRIES = 4096


class NerModel:
    """The spaCy NER of a process, shared by every request of every gateway in it."""

    def __init__(
        self, model: str, workers: int = 1, *, views: bool = True, cache: int = CACHE_ENTRIES
    ) -> None:
        self.model = model
        # Read only what can hold a name (see ``View``); False: every text whole.
        self.views = views
        self.workers = workers
        # What the model found in strings it read lately, by a keyed digest of the
        # string (no text is kept): the proxy sends a chat's every earlier message again
        # with each turn, and the same message needs no second pass. 0: no cache.
        self.cache_entries = cache
        self._cache: OrderedDict[bytes, tuple[tuple[str, int, int], ...]] = OrderedDict()
        self._cache_key = os.urandom(16)
        self._cache_lock = threading.Lock()
        # Strings the model actually read (cache hits and skipped texts not counted).
        self.model_reads = 0
        self._local = threading.local()
        self._loaded = False
        self._queue: queue.SimpleQueue[tuple[list[str], Future[list[list[Span]]]] | None] = (
            queue.SimpleQueue()
        )
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def resize_cache(self, entries: int) -> None:
        with self._cache_lock:
            self.cache_entries = entries
            while len(self._cache) > entries:
                self._cache.popitem(last=False)

    @property
    def loaded(self) -> bool:
        return self._loaded

    def installed(self) -> bool:
        """Whether the pipeline is there to load (a package, or a folder spaCy loads
        from): what the health probe says before the first use would find out."""
        if self._loaded:
            return True
        import importlib.util
        from pathlib import Path

        import spacy.util

        with contextlib.suppress(ImportError, ValueError):
            if importlib.util.find_spec(self.model) is not None:
                return True
        return spacy.util.is_package(self.model) or Path(self.model).is_dir()

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
            _drop_unheard(nlp)
            if use_one_thread_products(nlp):
                log.info(
                    "NER products: numpy's BLAS in single-thread blocks (faster than blis here)"
                )
            else:
                log.info("NER products: blis (numpy's BLAS is not faster on this CPU)")
            if fuse(nlp):
                log.info("NER encoder: one function (the same output as thinc's layers)")
            self._local.nlp = nlp
            self._loaded = True
        return nlp

    def find_sync(self, texts: list[str]) -> list[list[Span]]:
        """NER spans of each text, on the calling thread."""
        pieces = self._pieces(texts)
        found: list[list[Span]] = [[] for _ in texts]
        ents = self._entities([p[2] for p in pieces])
        for (index, offset, _, view), piece_ents in zip(pieces, ents, strict=True):
            for type_, a, b in piece_ents:
                where = [(a, b)] if view is None else view.spans(a, b)
                for start, end in where:
                    span = Span(type_, offset + start, offset + end)
                    if not (type_ == ORG and _capitals_line(texts[index], span.start)):
                        found[index].append(span)
        return found

    def _entities(self, reads: list[str]) -> list[tuple[tuple[str, int, int], ...]]:
        """(type, start, end) of what the model finds in each string, batched through
        ``nlp.pipe``; a string read lately comes from the cache."""
        nlp = self._load()
        out: list[tuple[tuple[str, int, int], ...] | None] = [None] * len(reads)
        keys = [self._digest(r) for r in reads] if self.cache_entries else []
        if keys:
            with self._cache_lock:
                for i, key in enumerate(keys):
                    hit = self._cache.get(key)
                    if hit is not None:
                        self._cache.move_to_end(key)
                        out[i] = hit
        todo = [i for i, hit in enumerate(out) if hit is None]
        # One string (one request at a time): a plain call finds the same and skips
        # ``nlp.pipe``'s batching machinery (about 0.25 ms of CPU per call here).
        # The memory zone: every word read adds to the vocabulary's strings, which
        # would grow without end in a long-running gateway; the zone forgets them.
        with nlp.memory_zone():
            if len(todo) == 1:
                docs: Iterable[Any] = [nlp(reads[todo[0]])]
            else:
                docs = nlp.pipe((reads[i] for i in todo), batch_size=BATCH)
            for i, doc in zip(todo, docs, strict=True):
                out[i] = tuple(
                    (LABELS[ent.label_], ent.start_char, ent.end_char)
                    for ent in doc.ents
                    if ent.label_ in LABELS
                )
        with self._cache_lock:  # two workers count and store at once
            self.model_reads += len(todo)
            if keys:
                for i in todo:
                    self._cache[keys[i]] = out[i]  # type: ignore[assignment]
                while len(self._cache) > self.cache_entries:
                    self._cache.popitem(last=False)
        return [hit or () for hit in out]

    def _digest(self, read: str) -> bytes:
        # Keyed per process: the cache holds no text, and its keys say nothing outside.
        data = read.encode("utf-8", "surrogatepass")
        return hashlib.blake2b(data, key=self._cache_key, digest_size=16).digest()

    def _pieces(self, texts: list[str]) -> list[tuple[int, int, str, View | None]]:
        """What the model reads: (text index, offset, the words, their view or None when
        whole), for each piece of each text that may name someone."""
        pieces: list[tuple[int, int, str, View | None]] = []
        for index, text in enumerate(texts):
            if not _may_name(text):
                continue
            for offset, whole in _pieces(text):
                piece = read_capitals(whole)
                if not self.views:
                    pieces.append((index, offset, piece.translate(_LAYOUT), None))
                    continue
                cut = View(piece)
                if cut.text:  # nothing that could be a name: no pass at all
                    pieces.append((index, offset, cut.text.translate(_LAYOUT), cut))
        return pieces

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


# What no name is made of, cut from what the model reads: addresses, URLs, words with
# digits (numbers, versions, ids, keys, times) and long tokens.
_NOISE = re.compile(r"\S*(?:@|://)\S*|\S{25,}")
# A line worth reading: a capitalised word, or letters of another script.
_NAME_LINE = re.compile(r"[A-Z][a-z]|[^\x00-\x7f]")


class View:
    """The part of a text the model reads: its lines with a capitalised word (or
    another script), without the tokens that are never part of a name. The model's
    cost grows with the tokens it reads; in logs, code and configuration most of
    them cannot be a name. ``spans`` maps a span of the view back to the text."""

    __slots__ = ("_map", "text")

    def __init__(self, text: str) -> None:
        parts: list[str] = []
        self._map: list[tuple[int, int, int]] = []  # (view start, text start, length)
        length = 0
        position = 0
        for line in text.split("\n"):
            if _NAME_LINE.search(line):
                kept = 0
                for m in _NOISE.finditer(line):
                    length = self._keep(parts, line[kept : m.start()], position + kept, length)
                    # One short token where the cut one stood keeps the sentence's shape
                    # ("starts in Aarhus on the 3rd" still reads as a place).
                    parts.append("x ")
                    length += 2
                    kept = m.end()
                length = self._keep(parts, line[kept:], position + kept, length)
            elif parts and parts[-1] != ". ":
                # A line left out still ends what stood before it.
                parts.append(". ")
                length += 2
            position += len(line) + 1
        self.text = "".join(parts)

    def _keep(self, parts: list[str], piece: str, at: int, length: int) -> int:
        if not piece.strip():
            return length
        self._map.append((length, at, len(piece)))
        parts.append(piece + " ")
        return length + len(piece) + 1

    def spans(self, start: int, end: int) -> list[tuple[int, int]]:
        """The text's spans under ``[start, end)`` of the view (one per kept piece)."""
        out = []
        for view_start, text_start, length in self._map:
            a, b = max(start, view_start), min(end, view_start + length)
            if a < b:
                out.append((text_start + a - view_start, text_start + b - view_start))
        return out


def _drop_unheard(nlp: Any) -> None:
    """Remove the embedding pipes (``tok2vec``, ``transformer``) no loaded pipe listens
    to. In spaCy's CNN pipelines (``en_core_web_sm``/``md``/``lg``) the shared
    ``tok2vec`` feeds only the tagger and the parser, which are left out, while ``ner``
    has its own: running it was over a third of the NER pass's CPU, and its output
    reaches no entity. A pipeline whose ``ner`` listens to it keeps it."""
    for name, pipe in list(nlp.pipeline):
        listening = getattr(pipe, "listening_components", None)
        if listening is not None and not listening:
            nlp.remove_pipe(name)


def _may_name(text: str) -> bool:
    """Whether the model could find anything: it reads capitals, so an ASCII text
    without one ("ok, thanks", a lower-case log line) is not worth its pass."""
    return not text.isascii() or any(c.isupper() for c in text)


# Round 13: a line in capitals ("PRESENT: DAVID KOWALCZYK, AMARA NWOSU") is read by the
# model as a sentence with each word capitalised, these small words in lower case.
# (Written by hand: English function words and auxiliaries, which a headline in capitals
# makes look like part of a name, "BARNABY OKONKWO IS COVERING".)
_SMALL_WORDS_TEXT = """
    a an and at by for from in into of on or the to with de del der di du la le van von
    is are was were be been being am has have had do does did will would shall should
    can could may might must not no yes as if so but than then this that these those
    it its he she we they you i me him her us them my his our their your who whom whose
    which what when where why how all any each every both some such only own same too
    very just also again further once here there about above after before below under
    over out off up down through during until while because against between
    please pls thanks thank re
"""
_SMALL_WORDS = frozenset(_SMALL_WORDS_TEXT.split())
_CAPS_LINE = re.compile(r"(?m)^[^\n]*$")
_WORD_RUN = re.compile(r"[^\W\d_]+")


def _title_word(word: str, *, first: bool = False) -> str:
    """``word`` with its first letter kept and the others in lower case, one character
    for one (a letter whose lower case is longer stays as it is)."""
    if not first and word.casefold() in _SMALL_WORDS:
        head, rest = "", word
    else:
        head, rest = word[0], word[1:]
    return head + "".join(c.lower() if len(c.lower()) == 1 else c for c in rest)


def _in_capitals(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    words = _WORD_RUN.findall(line)
    tokens = line.split()
    # a line of codes ("METAR EGLL 121250Z 24015KT"), not of words
    coded = sum(any(c.isdigit() for c in t) for t in tokens)
    return (
        3 * coded <= len(tokens)
        and len(letters) >= 8
        and sum(len(w) >= 2 for w in words) >= 2
        and sum(c.isupper() for c in letters) >= 0.9 * len(letters)
    )


def _capitals_line(text: str, at: int) -> bool:
    """Whether the line holding ``at`` is in capitals: the model read it title-cased,
    and an organisation it finds there is a headline's words ("WITHOUT WARRANTY")."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return _in_capitals(text[start : end if end >= 0 else len(text)])


def read_capitals(text: str) -> str:
    """``text`` with each line written in capitals as the model reads names best: each
    word capitalised, small words in lower case. Same length, so offsets stay."""
    if not any(c.isupper() for c in text):
        return text

    def line(m: re.Match[str]) -> str:
        if not _in_capitals(m.group()):
            return m.group()
        start = m.group().lstrip()[:1]
        return _WORD_RUN.sub(
            lambda w: _title_word(w.group(), first=w.start() == m.group().index(start)),
            m.group(),
        )

    return _CAPS_LINE.sub(line, text)


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
