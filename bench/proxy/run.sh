#!/usr/bin/env bash
# The proxy benchmark: the shared harness (compare.py) with our gateway as one more
# proxy, started by the harness on the server core. Extra arguments go to compare.py,
# e.g. a 30-second smoke:  bench/proxy/run.sh --concurrency 1,16 --rounds 1 --duration 2
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT
export SPARK_CONTROL__GATEWAY__DATA_DIR="$DATA"
export SPARK_CONTROL__GATEWAY__LOG_LEVEL=warning
exec "$ROOT/.venv/bin/python" compare.py --no-litellm \
  --proxy gw=http://127.0.0.1:18080,key=sk-test \
  --proxy-cmd "gw=$ROOT/.venv/bin/spark-control serve -c $ROOT/bench/proxy/gateway.yaml --host 127.0.0.1 --port 18080" \
  "$@"
