#!/usr/bin/env python3
"""The proxy table of docs/PERFORMANCE.md from one run's results.jsonl: per cell the
median proxy CPU per request over the rounds with its range, each gateway against the
naive FastAPI + aiohttp passthrough and the raw-ASGI floor, the load average, and the
access-log check (lines written against requests the gateway counted).

  python summary.py runs/<stamp>            # prints Markdown
"""

import json
import os
import re
import statistics
import sys

run = sys.argv[1]
with open(os.path.join(run, "results.jsonl")) as f:
    rows = [json.loads(line) for line in f]
rows = [r for r in rows if "skipped" not in r and "fatal" not in r]
cells = {}
for r in rows:
    cells.setdefault((r["concurrency"], r["mode"]), {}).setdefault(r["label"], []).append(r)
gateways = [g for g in ("gw", "gw-vllm") if any(g in t for t in cells.values())]
BASE, FLOOR = "naive-aiohttp", "raw-asgi"


def cpu(rs):
    vals = [r["proxy_cpu_ms_per_req"] for r in rs if r.get("proxy_cpu_ms_per_req") is not None]
    return statistics.median(vals), min(vals), max(vals), len(vals)


def fmt(rs):
    if not rs:
        return "-"
    med, lo, hi, _n = cpu(rs)
    return f"{med:.2f} ({lo:.2f}-{hi:.2f})"


out = []
peers = [p for p in ("litellm", "naive-httpx", BASE, FLOOR) if any(p in t for t in cells.values())]
head = ["c", "mode", *gateways, *peers]
head += [f"{g} / naive" for g in gateways] + [f"{g} / floor" for g in gateways] + ["load (1 min)"]
out.append("| " + " | ".join(head) + " |")
out.append("|" + "---|" * len(head))
for (c, mode), targets in sorted(cells.items()):
    line = [str(c), mode] + [fmt(targets.get(t)) for t in gateways + peers]
    for ref in (BASE, FLOOR):
        for g in gateways:
            if targets.get(g) and targets.get(ref):
                line.append(f"{cpu(targets[g])[0] / cpu(targets[ref])[0]:.2f}x")
            else:
                line.append("-")
    loads = [r["loadavg"][0] for rs in targets.values() for r in rs if r.get("loadavg")]
    line.append(f"{min(loads):.1f}-{max(loads):.1f}" if loads else "-")
    out.append("| " + " | ".join(line) + " |")
rounds = max((r["round"] for r in rows), default=-1) + 1
out.append("")
out.append(f"Proxy CPU ms per request: median of {rounds} rounds (min-max of the rounds).")

# Added latency at c=1 over direct, medians.
for g in gateways:
    for mode in ("nonstream", "stream"):
        t = cells.get((1, mode), {})
        if t.get(g) and t.get("direct"):
            d = statistics.median(r["lat_ms"]["p50"] for r in t["direct"])
            x = statistics.median(r["lat_ms"]["p50"] for r in t[g])
            out.append(f"- {g} {mode} c=1: p50 {x:.2f} ms vs direct {d:.2f} ms (+{x - d:.2f} ms)")
errs = {
    (g, c): sum(r["errors"] for r in rs)
    for (c, _m), t in cells.items()
    for g, rs in t.items()
    if g in gateways
}
out.append(
    "- errors through the gateways: "
    + ", ".join(f"{g} c={c}: {n}" for (g, c), n in sorted(errs.items()))
)

# Access log: lines written against the requests the gateway itself counted.
for g in gateways:
    log_path, metrics_path = os.path.join(run, f"{g}.log"), os.path.join(run, f"{g}.metrics")
    if not (os.path.exists(log_path) and os.path.exists(metrics_path)):
        out.append(f"- {g} access log: not checked (no {g}.log or {g}.metrics)")
        continue
    with open(log_path, errors="replace") as f:
        lines = sum(1 for ln in f if '"POST /v1/chat/completions"' in ln)
    with open(metrics_path) as f:
        metrics = f.read()
    counted = sum(
        float(m.group(1))
        for m in re.finditer(r"^spark_control_proxy_requests_total\{[^}]*\} (\S+)$", metrics, re.M)
    )
    measured = sum(r["requests"] for t in cells.values() for r in t.get(g, []))
    verdict = "none lost" if lines == counted else f"MISMATCH ({counted - lines:+.0f})"
    out.append(
        f"- {g} access log: {lines} request lines, the gateway counted "
        f"{counted:.0f} /v1 requests ({measured} in measured windows): {verdict}"
    )
print("\n".join(out))
