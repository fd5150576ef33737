"""Benchmark: ingest and hybrid search of 10,000 documents through the gateway.

Starts the simulated bge-m3 worker (``spark_control_embeddings.sim``) on 127.0.3.200
and a gateway (``spark-control serve``, its own process) on 127.0.3.201, then for each
store — the embedded qdrant-edge store, and the remote implementation through
qdrant-client's local mode:

1. creates a collection and upserts N synthetic documents in batches of 256 through
   ``POST /api/embeddings/collections/{name}/documents``; "excluding embedding" is the wall time
   minus the backend time each answer reports (``timing.backend_ms``);
2. sends Q hybrid queries (two prefetches of ``prefetch_limit``, 50, fused with the
   plugin's default, DBSF) one after another through
   ``POST /api/embeddings/collections/{name}/search`` over one keep-alive connection, and reports
   p50 / p99 of each request's wall time minus the backend time it reports, and of the
   store's time alone (``timing.store_ms``);
3. after each unfiltered query, sends the same query with each payload filter of
   ``FILTERS`` (a keyword match, an integer match, a numeric range; each keeps a tenth
   to a third of the documents), so filtered and unfiltered searches share the
   machine's moment; reports their p50 / p99 and the ratio of p50s, and the first
   filtered query of each kind apart (it may create the field's payload index);
4. reports the same client's ``GET /health`` round trip: the floor any request through
   this gateway on this machine pays.

    uv run python bench/embeddings/bench_search.py [--docs 10000] [--queries 1000]
        [--dim 384] [--stores embedded,qdrant-local] [--local-queries 100] [--no-filters]

Only loopback traffic; ends by itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from spark_control.settings import write_config
from spark_control_embeddings.sim import worker_spec

WORKER_ADDRESS, WORKER_PORT = "127.0.3.200", 18089
GATEWAY_ADDRESS, GATEWAY_PORT = "127.0.3.201", 19999
BATCH = 256
_VOCABULARY = (
    "spark node gpu memory fan cooling error fault crash update release meeting agenda "
    "invoice payment refund lunch pizza recipe car repair storm rain flight airport doctor "
    "clinic cat dog puppy kitten rug carpet sleep nap budget cost price team report log "
    "driver kernel cuda model weights tokens latency throughput cluster rack switch cable"
)
WORDS = _VOCABULARY.split()
TOPICS = ("hardware", "software", "network", "billing", "travel", "pets", "food", "weather")
#: The filtered searches: name -> filter (selectivity with the documents below).
FILTERS: dict[str, dict[str, Any]] = {
    "keyword": {"must": [{"key": "topic", "match": {"value": "network"}}]},  # 1/8
    "integer": {"must": [{"key": "n", "match": {"value": 3}}]},  # 1/10
    "range": {"must": [{"key": "year", "range": {"gte": 2023}}]},  # 3/10
}


def documents(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """Deterministic synthetic notes: 8-20 common words and one rare code each."""
    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not secrets)
    out = []
    for i in range(count):
        words = rng.choices(WORDS, k=rng.randint(8, 20))
        words.insert(rng.randrange(len(words)), f"code-{i:05d}")
        payload = {"n": i % 10, "topic": TOPICS[i % len(TOPICS)], "year": 2016 + i % 10}
        out.append({"id": f"doc-{i}", "text": " ".join(words), "payload": payload})
    return out


def queries(count: int, docs: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not secrets)
    out = []
    for _ in range(count):
        words = rng.choices(WORDS, k=rng.randint(3, 6))
        if rng.random() < 0.5:
            words.append(f"code-{rng.randrange(docs):05d}")
        out.append(" ".join(words))
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


class Client:
    """One keep-alive connection (stdlib, so the client's own cost stays small)."""

    def __init__(self, host: str, port: int) -> None:
        self._conn = http.client.HTTPConnection(host, port, timeout=120)

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"content-type": "application/json"} if data is not None else {}
        self._conn.request(method, path, body=data, headers=headers)
        response = self._conn.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw else None

    def close(self) -> None:
        self._conn.close()


def wait_for(host: str, port: int, path: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            conn = http.client.HTTPConnection(host, port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"nothing answered on {host}:{port}{path}")
        time.sleep(0.2)


class Searcher:
    """Timed searches over one connection: the wall time minus the backend time each
    answer reports, and the store's own time."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.latencies: dict[str, list[float]] = {}
        self.stores: dict[str, list[float]] = {}

    def search(self, kind: str, text: str, flt: dict[str, Any] | None = None) -> float:
        body: dict[str, Any] = {"query": text, "mode": "hybrid"}
        if flt is not None:
            body["filter"] = flt
        t0 = time.perf_counter()
        status, answer = self.client.call("POST", "/api/embeddings/collections/bench/search", body)
        wall_ms = (time.perf_counter() - t0) * 1000
        assert status == 200, answer
        latency = wall_ms - answer["timing"]["backend_ms"]
        self.latencies.setdefault(kind, []).append(latency)
        self.stores.setdefault(kind, []).append(answer["timing"]["store_ms"])
        return latency


def run_store(
    store: str, workdir: Path, docs: list[dict[str, Any]], asked: list[str], filters: bool
) -> dict[str, Any]:
    embeddings: dict[str, Any] = {"port": WORKER_PORT, "max_batch": BATCH}
    if store == "qdrant-local":
        embeddings["qdrant_local_path"] = str(workdir / "qdrant-local")
    config = write_config(
        workdir / "spark-control.yaml",
        {
            "gateway": {"data_dir": str(workdir / "data"), "log_level": "warning"},
            "nodes": {"spark-1": {"address": WORKER_ADDRESS, "user": "alice"}},
            "plugins": {"enabled": ["embeddings"]},
            "embeddings": embeddings,
        },
    )
    gateway = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "spark_control.cli",
            "serve",
            "--config",
            str(config),
            "--host",
            GATEWAY_ADDRESS,
            "--port",
            str(GATEWAY_PORT),
        ],
    )
    try:
        wait_for(GATEWAY_ADDRESS, GATEWAY_PORT, "/health")
        client = Client(GATEWAY_ADDRESS, GATEWAY_PORT)
        status, _ = client.call("POST", "/api/embeddings/collections", {"name": "bench"})
        assert status == 201, status
        started = time.perf_counter()
        backend_ms = store_ms = 0.0
        for i in range(0, len(docs), BATCH):
            status, answer = client.call(
                "POST",
                "/api/embeddings/collections/bench/documents",
                {"documents": docs[i : i + BATCH]},
            )
            assert status == 200, answer
            backend_ms += answer["timing"]["backend_ms"]
            store_ms += answer["timing"]["store_ms"]
        ingest_s = time.perf_counter() - started
        searcher = Searcher(client)
        kinds = list(FILTERS) if filters else []
        first = {kind: searcher.search("first", asked[0], FILTERS[kind]) for kind in kinds}
        for text in asked[:20]:  # warm-up
            searcher.search("warm-up", text)
            for kind in kinds:
                searcher.search("warm-up", text, FILTERS[kind])
        searcher.latencies.clear()
        searcher.stores.clear()
        floor = []
        for text in asked:
            searcher.search("unfiltered", text)
            for kind in kinds:
                searcher.search(kind, text, FILTERS[kind])
            t0 = time.perf_counter()
            client.call("GET", "/health")
            floor.append((time.perf_counter() - t0) * 1000)
        client.close()
        return {
            "ingest_s": ingest_s,
            "ingest_excl_embedding_s": ingest_s - backend_ms / 1000,
            "ingest_store_s": store_ms / 1000,
            "first_filtered_ms": first,
            "searches": {
                kind: {
                    "p50_ms": statistics.median(values),
                    "p99_ms": percentile(values, 99),
                    "store_p50_ms": statistics.median(searcher.stores[kind]),
                    "store_p99_ms": percentile(searcher.stores[kind], 99),
                }
                for kind, values in searcher.latencies.items()
            },
            "health_p50_ms": statistics.median(floor),
            "health_p99_ms": percentile(floor, 99),
        }
    finally:
        gateway.terminate()
        gateway.wait(30)


def report(store: str, count: int, r: dict[str, Any]) -> str:
    lines = [
        f"{store}: ingest {r['ingest_s']:.1f} s, excluding embedding "
        f"{r['ingest_excl_embedding_s']:.1f} s (store {r['ingest_store_s']:.1f} s)",
        f"  hybrid queries through the gateway, excluding embedding ({count} of each kind):",
    ]
    base = r["searches"]["unfiltered"]["p50_ms"]
    for kind, s in r["searches"].items():
        ratio = "" if kind == "unfiltered" else f", {s['p50_ms'] / base:.2f}x unfiltered p50"
        first = r["first_filtered_ms"].get(kind)
        first_text = "" if first is None else f"; first query {first:.1f} ms"
        lines.append(
            f"    {kind:<10} p50 {s['p50_ms']:.2f} ms, p99 {s['p99_ms']:.2f} ms; store alone "
            f"p50 {s['store_p50_ms']:.2f} ms, p99 {s['store_p99_ms']:.2f} ms{ratio}{first_text}"
        )
    lines.append(
        f"  GET /health on the same connection: p50 {r['health_p50_ms']:.2f} ms, "
        f"p99 {r['health_p99_ms']:.2f} ms"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--stores", default="embedded,qdrant-local")
    parser.add_argument(
        "--local-queries",
        type=int,
        default=100,
        help="queries against qdrant-client's local mode (each takes hundreds of ms)",
    )
    parser.add_argument(
        "--no-filters", action="store_true", help="only unfiltered queries (as before)"
    )
    args = parser.parse_args()
    spec = worker_spec(WORKER_ADDRESS, WORKER_PORT, SIM_DIM=str(args.dim), SIM_MAX_BATCH=str(BATCH))
    worker = subprocess.Popen(spec.argv, env={**os.environ, **spec.env})
    try:
        wait_for(WORKER_ADDRESS, WORKER_PORT, "/health")
        docs = documents(args.docs)
        print(f"{args.docs} documents, {args.dim}-d dense + sparse, hybrid queries", flush=True)
        for store in args.stores.split(","):
            count = args.queries if store == "embedded" else args.local_queries
            with tempfile.TemporaryDirectory(prefix="bench-embeddings-") as tmp:
                r = run_store(
                    store, Path(tmp), docs, queries(count, args.docs), not args.no_filters
                )
            print(report(store, count, r), flush=True)
    finally:
        worker.terminate()
        worker.wait(10)


if __name__ == "__main__":
    main()
