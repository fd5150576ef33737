#!/usr/bin/env bash
# The proxy benchmark: the shared harness (compare.py) with our gateway as one more
# proxy, started by the harness on the server core. Extra arguments go to compare.py,
# e.g. a 30-second smoke:  bench/proxy/run.sh --concurrency 16 --rounds 1 --duration 1 --no-naive
#
# LiteLLM joins the run when BENCH_PY names a Python whose venv has it (see
# requirements.txt and bench/README.md); by default the project's venv runs the harness.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT
export SPARK_CONTROL__GATEWAY__DATA_DIR="$DATA"
export SPARK_CONTROL__GATEWAY__LOG_LEVEL=warning
PY=${BENCH_PY:-$ROOT/.venv/bin/python}
LITELLM=--no-litellm
if [ -x "$(dirname "$PY")/litellm" ]; then LITELLM=""; fi
"$PY" compare.py $LITELLM \
  --proxy gw=http://127.0.0.1:18080,key=sk-test \
  --proxy-cmd "gw=$ROOT/.venv/bin/spark-control serve -c $ROOT/bench/proxy/gateway.yaml --host 127.0.0.1 --port 18080" \
  "$@"
