#!/usr/bin/env bash
# Instructions per /v1 request of the gateway (vllm only unless CONFIG says), counted by valgrind's callgrind:
# a figure that does not move with the machine's load, for comparing two commits on a
# shared box. The gateway runs under callgrind with instrumentation off; after 50
# warm-up requests it is switched on for N requests at concurrency 1, then off.
#
#   bench/netns-run bench/proxy/instructions.sh [COMMIT]     # default: this tree
#   MODE=nonstream N=300 bench/netns-run bench/proxy/instructions.sh 5cb4a76
#   CONFIG=gateway.yaml C=64 ...      # the shipped gateway (every plugin), 64 in flight
#   KEEP=/tmp/cg ...                  # keep callgrind's output files there (callgrind_annotate)
#   SERVER=floor ...                  # the floor probe (raw_asgi_proxy.py) in the gateway's place
#   SERVER=naive ...                  # the naive FastAPI + aiohttp passthrough (naive_proxy.py)
#
# Needs Debian's valgrind. COMMIT's code is exported and put first on PYTHONPATH (as
# ab.sh does). Prints the instructions per request.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
PY=$ROOT/.venv/bin/python
N=${N:-300}
WORK=$(mktemp -d)
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
PP=""
if [ -n "${1:-}" ]; then
  git -C "$ROOT" archive "$1" core plugins | tar -x -C "$WORK"
  PP=$(ls -d "$WORK"/core/src "$WORK"/plugins/*/src | paste -sd:)
fi
"$PY" fake_upstream.py --port 18001 --chunks 64 > "$WORK/upstream.log" 2>&1 &
PIDS+=($!)
if [ "${SERVER:-gateway}" = floor ]; then
  SERVE=("$PY" raw_asgi_proxy.py --port 18080)
  CONFIG=raw_asgi_proxy.py
  READY=/v1/models  # the floor has no /health: this one is passed to the fake upstream
elif [ "${SERVER:-gateway}" = naive ]; then
  export NAIVE_CLIENT=aiohttp  # (an env prefix would put valgrind on env, not Python)
  SERVE=("$PY" naive_proxy.py --port 18080)
  CONFIG=naive_proxy.py
  READY=/v1/models  # passed through to the fake upstream
else
  SERVE=("$PY" "$ROOT/.venv/bin/spark-control" serve -c "${CONFIG:-gateway-vllm.yaml}" --host 127.0.0.1 --port 18080)
  READY=/health
fi
UPSTREAM=http://127.0.0.1:18001 PYTHONPATH=$PP SPARK_CONTROL__GATEWAY__DATA_DIR=$WORK/data \
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$WORK/cg.out" \
  "${SERVE[@]}" > "$WORK/gw.log" 2>&1 &
GW=$!
PIDS+=($GW)
for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:18080$READY" && break; sleep 1; done
load() {
  "$PY" loadgen.py --url http://127.0.0.1:18080 --api-key sk-test -c "${C:-1}" --duration 300 \
    --max-requests "$1" --warmup 0 --mode "${MODE:-stream}" --model fake-model
}
load 50 > /dev/null
totals() { grep -h '^totals:' "$WORK"/cg.out* 2>/dev/null | awk '{s += $2} END {printf "%.0f\n", s}'; }
callgrind_control -i on "$GW" > /dev/null
t0=$(date +%s.%N)
load "$N" > "$WORK/load.json"
t1=$(date +%s.%N)
callgrind_control -i off "$GW" > /dev/null
callgrind_control -d "$GW" > /dev/null
total=$(totals)
if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$WORK"/cg.out* "$KEEP"/; fi
# The gateway's background work (probes, timers) over as long as the load took, with
# nothing served: on a loaded machine the load takes longer and this grows with it.
callgrind_control -i on "$GW" > /dev/null
sleep "$(echo "$t1 - $t0" | bc)"
callgrind_control -i off "$GW" > /dev/null
callgrind_control -d "$GW" > /dev/null
idle=$(( $(totals) - total ))
ok=$(grep -o '"ok": [0-9]*' "$WORK/load.json" | grep -o '[0-9]*$')
echo "${1:-this tree} ${MODE:-stream} c=${C:-1} ${CONFIG:-gateway-vllm.yaml}: $ok requests in $(printf %.1f "$(echo "$t1 - $t0" | bc)") s," \
  "$((total / ok)) instructions per request, $(((total - idle) / ok)) less the idle gateway's" \
  "over the same time (load $(cut -d' ' -f1 /proc/loadavg))"
