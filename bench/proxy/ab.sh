#!/usr/bin/env bash
# The shipped gateway of another commit ("gw-old") against this tree's ("gw"), with the
# naive passthrough and the raw-ASGI floor, interleaved in one run: how a change moved
# the CPU per request. Both gateways run every first-party plugin with the access log
# on (gateway.yaml); the old one's code comes from an export of COMMIT put first on
# PYTHONPATH (the venv's packages are this tree's). Run it inside a private netns:
#
#   bench/netns-run bench/proxy/ab.sh main --concurrency 1,16,64,256 --rounds 2 --duration 4
#
# Extra arguments go to compare.py. Prints compare.py's report; the per-row figures are
# in the run's results.jsonl (target gw-old and gw).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
COMMIT=${1:?usage: ab.sh COMMIT [compare.py arguments]}
shift
PY=$ROOT/.venv/bin/python
SC=$ROOT/.venv/bin/spark-control
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
git -C "$ROOT" archive "$COMMIT" core plugins | tar -x -C "$WORK"
OLDPP=$(ls -d "$WORK"/core/src "$WORK"/plugins/*/src | paste -sd:)
OUT=$(pwd)/runs/ab-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
ALL=coordination,embeddings,matrix_bridge,redaction,speech,vllm
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; old = $COMMIT" | tee "$OUT/load.txt"
"$PY" compare.py --no-litellm --naive-clients aiohttp --out-dir "$OUT" \
  --proxy raw-asgi=http://127.0.0.1:18005 \
  --proxy-cmd "raw-asgi=UPSTREAM={upstream} $PY raw_asgi_proxy.py --port 18005" \
  --proxy gw-old=http://127.0.0.1:18082,key=sk-test \
  --proxy-cmd "gw-old=PYTHONPATH=$OLDPP SPARK_CONTROL__GATEWAY__DATA_DIR=$WORK/old $SC serve -c $ROOT/bench/proxy/gateway.yaml --host 127.0.0.1 --port 18082" \
  --ready-check "gw-old=$PY check_plugins.py http://127.0.0.1:18082 $ALL" \
  --proxy gw=http://127.0.0.1:18080,key=sk-test \
  --proxy-cmd "gw=SPARK_CONTROL__GATEWAY__DATA_DIR=$WORK/gw $SC serve -c $ROOT/bench/proxy/gateway.yaml --host 127.0.0.1 --port 18080" \
  --ready-check "gw=$PY check_plugins.py http://127.0.0.1:18080 $ALL" \
  "$@"
