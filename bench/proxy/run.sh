#!/usr/bin/env bash
# The proxy benchmark of the gateway as it ships: `spark-control serve` with default
# logging (access log on), every first-party plugin started (the run fails if one is
# not) and two nodes at loopback addresses where nothing listens; beside it the same
# gateway with only the vllm plugin, the naive passthroughs, the raw-ASGI floor probe
# and (when BENCH_PY's venv has it) LiteLLM, all in one interleaved run. Run it inside
# a private network namespace on a shared machine:
#
#   bench/netns-run bench/proxy/run.sh --rounds 3
#
# Extra arguments go to compare.py, e.g. a smoke:  bench/proxy/run.sh --concurrency 16
# --rounds 1 --duration 1 --no-naive.  IDLE_S=0 skips the idle-cost measurement.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT
PY=${BENCH_PY:-$ROOT/.venv/bin/python}
SC=$ROOT/.venv/bin/spark-control
OUT=$(pwd)/runs/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
ALL=coordination,embeddings,matrix_bridge,redaction,speech,vllm
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" | tee "$OUT/load.txt"

# Idle cost first, while nothing else of ours runs.
if [ "${IDLE_S:-60}" != 0 ]; then
  "$ROOT/.venv/bin/python" idle.py "$SC" gateway.yaml --port 18090 --seconds "${IDLE_S:-60}" | tee "$OUT/idle.txt"
  "$ROOT/.venv/bin/python" idle.py "$SC" gateway-vllm.yaml --port 18090 --seconds "${IDLE_S:-60}" | tee -a "$OUT/idle.txt"
fi

LITELLM=--no-litellm
if [ -x "$(dirname "$PY")/litellm" ]; then LITELLM=""; fi
gw() {  # name port config
  echo "SPARK_CONTROL__GATEWAY__DATA_DIR=$DATA/$1 $SC serve -c $ROOT/bench/proxy/$3 --host 127.0.0.1 --port $2"
}
"$PY" compare.py $LITELLM --out-dir "$OUT" \
  --proxy raw-asgi=http://127.0.0.1:18005 \
  --proxy-cmd "raw-asgi=UPSTREAM={upstream} $PY raw_asgi_proxy.py --port 18005" \
  --proxy gw=http://127.0.0.1:18080,key=sk-test \
  --proxy-cmd "gw=$(gw gw 18080 gateway.yaml)" \
  --ready-check "gw=$ROOT/.venv/bin/python check_plugins.py http://127.0.0.1:18080 $ALL" \
  --proxy gw-vllm=http://127.0.0.1:18081,key=sk-test \
  --proxy-cmd "gw-vllm=$(gw gw-vllm 18081 gateway-vllm.yaml)" \
  --ready-check "gw-vllm=$ROOT/.venv/bin/python check_plugins.py http://127.0.0.1:18081 vllm" \
  --final-cmd "curl -s http://127.0.0.1:18080/metrics > $OUT/gw.metrics; curl -s http://127.0.0.1:18081/metrics > $OUT/gw-vllm.metrics" \
  "$@"
"$ROOT/.venv/bin/python" summary.py "$OUT" | tee "$OUT/summary.md"
