"""A simulated bge-m3 embedding worker and reranker: a real HTTP server speaking every
API the plugin's adapters talk to, with deterministic vectors in which related texts
are close.

- ``POST /encode``: the bge-m3 worker contract (dense vectors and lexical weights in
  one call; see docs/EMBEDDINGS.md);
- ``POST /embed``, ``/embed_sparse``, ``/rerank``: text-embeddings-inference;
- ``POST /v1/embeddings``: OpenAI-compatible;
- ``GET /health``.

Vectors: a text's words (lower-cased, stop words dropped) each add a hashed random
direction (weight 0.3), and every word listed in ``concepts.json`` adds its concept's
direction (weight 1.0), normalised. So "feline napping on a carpet" is close to "the
cat slept on the rug" with no word in common, while a rare token (an error code) only
matches itself. Lexical weights are per distinct word, a hashed index in bge-m3's
vocabulary size. The reranker scores 0.7 * dense cosine + 0.3 * the share of query
words found in the text.

Like TEI, a request with more than ``SIM_MAX_BATCH`` texts is refused (413) with
TEI's message. Run as a script: ``BIND``/``PORT`` say where to listen, ``SIM_DIM``
the dense size (default 1024, bge-m3's).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import socket
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np

DIM = int(os.environ.get("SIM_DIM", "1024"))
MAX_BATCH = int(os.environ.get("SIM_MAX_BATCH", "32"))
VOCAB = 250_002  # bge-m3's vocabulary size
WORD_WEIGHT, CONCEPT_WEIGHT = 0.3, 1.0
_STOP_WORDS = (
    "a an and are as at be by did do does for from had has have he her his how i in is it "
    "its me my of on or our she so that the their them then there these they this to was "
    "we were what when where which who why will with you your"
)
STOP_WORDS = frozenset(_STOP_WORDS.split())
_CONCEPTS_FILE = Path(__file__).with_name("concepts.json")


def _load_concepts() -> dict[str, str]:
    data = json.loads(_CONCEPTS_FILE.read_text())
    return {
        word: concept
        for concept, words in data.items()
        if not concept.startswith("_")
        for word in words
    }


CONCEPTS = _load_concepts()


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP_WORDS]


def _seed(kind: str, value: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{kind}:{value}".encode(), digest_size=8).digest())


@functools.lru_cache(maxsize=65_536)
def direction(kind: str, value: str) -> np.ndarray:
    vector = np.random.default_rng(_seed(kind, value)).standard_normal(DIM)
    return vector / np.linalg.norm(vector)


def dense(text: str) -> np.ndarray:
    vector = np.zeros(DIM)
    tokens = words(text)
    for word in tokens:
        vector += WORD_WEIGHT * direction("word", word)
        concept = CONCEPTS.get(word)
        if concept is not None:
            vector += CONCEPT_WEIGHT * direction("concept", concept)
    if not tokens:  # only stop words: still a vector, its own
        vector = direction("text", text).copy()
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def lexical_weights(text: str) -> dict[str, float]:
    counts: dict[str, int] = {}
    for word in words(text):
        counts[word] = counts.get(word, 0) + 1
    weights: dict[str, float] = {}
    for word, count in counts.items():
        index = str(_seed("token", word) % VOCAB)
        weight = round(0.15 + 0.05 * min(count, 4) + 0.02 * min(len(word), 10), 4)
        weights[index] = max(weights.get(index, 0.0), weight)
    return weights


def rerank_score(query: str, text: str) -> float:
    cosine = float(np.dot(dense(query), dense(text)))
    asked = set(words(query))
    overlap = len(asked & set(words(text))) / len(asked) if asked else 0.0
    return round(max(0.0, min(1.0, 0.7 * cosine + 0.3 * overlap)), 6)


def _floats(vector: np.ndarray) -> list[float]:
    return [round(float(x), 6) for x in vector]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without NODELAY the body of every
        # keep-alive answer would wait ~40 ms for the client's delayed ACK.
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the container log is for errors

    def _read_body(self) -> bytes:
        """The whole request body, Content-Length or chunked, read before any answer:
        what is left unread would be parsed as the connection's next request.
        ValueError when the framing is bad (then the connection cannot be reused)."""
        if "chunked" in (self.headers.get("transfer-encoding") or "").lower():
            parts = []
            while size := int(self.rfile.readline().split(b";")[0].strip(), 16):
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            while self.rfile.readline().strip():
                pass  # trailers, up to the blank line
            return b"".join(parts)
        length = int(self.headers.get("content-length") or 0)
        if length < 0:
            raise ValueError(f"negative content-length {length}")
        return self.rfile.read(length)

    def do_GET(self) -> None:
        if self.path == "/health":
            if os.environ.get("SPARK_SIM_FAILURE") == "slow_health":
                time.sleep(3)
            self._json(200, {"status": "ok"})
        elif self.path == "/info":
            self._json(200, {"model_id": "BAAI/bge-m3", "max_client_batch_size": MAX_BATCH})
        else:
            self._json(404, {"error": f"no route {self.path}"})

    def do_POST(self) -> None:
        try:
            raw = self._read_body()
        except ValueError:
            self.close_connection = True
            self._json(400, {"error": "Invalid HTTP request", "error_type": "Validation"})
            return
        try:
            body = json.loads(raw)
        except ValueError:
            self._json(422, {"error": "body is not JSON", "error_type": "Validation"})
            return
        routes = {
            "/encode": self._encode,
            "/embed": self._embed,
            "/embed_sparse": self._embed_sparse,
            "/rerank": self._rerank,
            "/v1/embeddings": self._openai,
        }
        route = routes.get(self.path)
        if route is None:
            self._json(404, {"error": f"no route {self.path}"})
            return
        try:
            status, answer = route(body)
        except (KeyError, TypeError, ValueError) as exc:
            status, answer = 422, {"error": f"bad request: {exc}", "error_type": "Validation"}
        self._json(status, answer)

    # -- the APIs -------------------------------------------------------------------

    def _encode(self, body: dict[str, Any]) -> tuple[int, Any]:
        texts = _texts(body["texts"])
        if len(texts) > MAX_BATCH:
            return 413, {"error": _too_many(len(texts))}
        answer: dict[str, Any] = {}
        if body.get("return_dense", True):
            answer["dense_vecs"] = [_floats(dense(t)) for t in texts]
        if body.get("return_sparse", False):
            answer["lexical_weights"] = [lexical_weights(t) for t in texts]
        return 200, answer

    def _embed(self, body: dict[str, Any]) -> tuple[int, Any]:
        texts = _texts(body["inputs"])
        if len(texts) > MAX_BATCH:
            return 413, {"error": _too_many(len(texts)), "error_type": "Validation"}
        return 200, [_floats(dense(t)) for t in texts]

    def _embed_sparse(self, body: dict[str, Any]) -> tuple[int, Any]:
        texts = _texts(body["inputs"])
        if len(texts) > MAX_BATCH:
            return 413, {"error": _too_many(len(texts)), "error_type": "Validation"}
        return 200, [
            [{"index": int(i), "value": v} for i, v in lexical_weights(t).items()] for t in texts
        ]

    def _rerank(self, body: dict[str, Any]) -> tuple[int, Any]:
        texts = _texts(body["texts"])
        if len(texts) > MAX_BATCH:
            return 413, {"error": _too_many(len(texts)), "error_type": "Validation"}
        scores = [(i, rerank_score(body["query"], t)) for i, t in enumerate(texts)]
        scores.sort(key=lambda pair: pair[1], reverse=True)
        return 200, [{"index": i, "score": s} for i, s in scores]

    def _openai(self, body: dict[str, Any]) -> tuple[int, Any]:
        texts = _texts(body["input"])
        if len(texts) > MAX_BATCH:
            error = {"message": _too_many(len(texts)), "type": "BadRequestError", "code": 400}
            return 400, {"error": error}
        data = [
            {"object": "embedding", "index": i, "embedding": _floats(dense(t))}
            for i, t in enumerate(texts)
        ]
        tokens = sum(len(t.split()) for t in texts)
        usage = {"prompt_tokens": tokens, "total_tokens": tokens}
        return 200, {"object": "list", "data": data, "model": body.get("model"), "usage": usage}

    def _json(self, status: int, payload: Any) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _texts(value: Any) -> list[str]:
    texts = [value] if isinstance(value, str) else value
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise TypeError("texts must be a string or a list of strings")
    if not texts or any(not t for t in texts):
        raise ValueError("`inputs` cannot be empty")
    return texts


def _too_many(count: int) -> str:
    # TEI's own wording, so the gateway's 502 shows what a real backend says.
    return f"batch size {count} > maximum allowed batch size {MAX_BATCH}"


class Server(ThreadingHTTPServer):
    # A gateway's pooled client opens many connections at once; the default backlog
    # of 5 would refuse some, which a real TEI or worker does not.
    request_queue_size = 128
    daemon_threads = True


def main() -> None:
    if os.environ.get("SPARK_SIM_FAILURE") == "hang":
        while True:
            time.sleep(3600)
    server = Server((os.environ["BIND"], int(os.environ["PORT"])), Handler)
    print(f"bge-m3 worker (simulated) on {server.server_address}, dim {DIM}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
