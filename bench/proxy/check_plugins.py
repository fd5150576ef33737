#!/usr/bin/env python3
"""Exit 0 only if the gateway at URL started every plugin named (GET /api/plugins).

python check_plugins.py http://127.0.0.1:18080 vllm,coordination,speech
"""

import json
import sys
import urllib.request

url, wanted = sys.argv[1].rstrip("/"), [n for n in sys.argv[2].split(",") if n]
with urllib.request.urlopen(url + "/api/plugins", timeout=30) as answer:  # noqa: S310
    plugins = {p["name"]: p for p in json.load(answer)}
problems = []
for name in wanted:
    p = plugins.get(name)
    if p is None:
        problems.append(f"{name}: not installed")
    elif p["status"] != "loaded" or not p.get("started"):
        problems.append(f"{name}: {p['status']}, started={p.get('started')} ({p.get('reason')})")
started = sorted(n for n, p in plugins.items() if p["status"] == "loaded" and p.get("started"))
print(f"started: {', '.join(started) or 'none'}")
if problems:
    print("NOT STARTED: " + "; ".join(problems))
    sys.exit(1)
