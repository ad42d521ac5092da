#!/usr/bin/env bash
# The peer benchmark (issue 13): Fairground in WebAssembly (headless Chromium) and natively beside
# pandas + scikit-learn + Fairlearn + lime + shap, on the same files and the same steps, in one run.
#
#   bash benches/peers.sh           # full: Adult, German, COMPAS, synthetic 10k/100k/1M × 30 columns
#   bash benches/peers.sh --smoke   # tiny: 400 synthetic rows, 1 repetition; fails if any side
#                                   # is missing a number
#   bash benches/peers.sh --only adult,german   # some datasets of the full plan
#
# 1. builds `fairground-bench` natively and for wasm32 (release profile, LTO) in its own target
#    dir ($FAIRGROUND_BENCH_TARGET, default target/bench), runs wasm-bindgen --target web;
# 2. writes the data and the plan (benches/work/peers/www/data/), runs the native side;
# 3. creates benches/.venv from PyPI (benches/peers/requirements.txt) once and runs the Python
#    reference (benches/peers/reference.py);
# 4. runs the browser side through playwright-core (benches/peers/drive.mjs);
# 5. prints the table and writes it as JSON: benches/results/<date>-<host>.json (full run) or
#    benches/work/peers/smoke.json; the full run also draws benches/results/latest.png.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source scripts/env.sh
SMOKE=0
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=1 ;;
    --only) ONLY=$2; shift ;;
    *) echo "usage: bash benches/peers.sh [--smoke] [--only id,id,...]" >&2; exit 2 ;;
  esac
  shift
done
# The release profile's opt-level can be overridden for a comparison run
# (CARGO_PROFILE_RELEASE_OPT_LEVEL=3, with its own FAIRGROUND_BENCH_TARGET); the app ships "z".
OPT=${CARGO_PROFILE_RELEASE_OPT_LEVEL:-z}
start=$(date +%s)
log() { printf '\033[1m[peers %ss]\033[0m %s\n' "$(( $(date +%s) - start ))" "$*" >&2; }

export CARGO_TARGET_DIR=${FAIRGROUND_BENCH_TARGET:-$ROOT/target/bench}
WORK=$ROOT/benches/work/peers
WWW=$WORK/www
DATA=$WWW/data
mkdir -p "$WWW/pkg" "$DATA"
rm -f "$DATA"/{native,wasm,python}*.json

log "building fairground-bench (native and wasm32, release) in $CARGO_TARGET_DIR"
cargo build --locked --release --bin fairground-bench
cargo build --locked --release --target wasm32-unknown-unknown --bin fairground-bench
wasm-bindgen --target web --no-typescript --out-name bench --out-dir "$WWW/pkg" \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/fairground-bench.wasm"
cp benches/peers/page/index.html benches/peers/page/bench.js "$WWW/"
BENCH=$CARGO_TARGET_DIR/release/fairground-bench

if [ ! -d tests/e2e/node_modules/playwright-core ]; then
  log "npm ci in tests/e2e (playwright-core)"
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

VENV=$ROOT/benches/.venv
REQ=benches/peers/requirements.txt
if [ ! -x "$VENV/bin/python" ] || ! cmp -s "$REQ" "$VENV/requirements.txt"; then
  log "creating $VENV from PyPI"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQ"
  cp "$REQ" "$VENV/requirements.txt"
fi

log "data and plan"
if [ $SMOKE = 1 ]; then "$BENCH" data "$DATA" --smoke; else "$BENCH" data "$DATA"; fi
if [ -n "$ONLY" ]; then
  "$VENV/bin/python" - "$DATA/plan.json" "$ONLY" <<'PY'
import json, sys
plan = json.load(open(sys.argv[1]))
keep = sys.argv[2].split(",")
plan["datasets"] = [d for d in plan["datasets"] if d["id"] in keep]
json.dump(plan, open(sys.argv[1], "w"), indent=2)
PY
fi

# Dataset by dataset, the three sides one after the other, so that they meet the same load
# (the Python side reads the test scores the native side wrote).
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for id in $("$VENV/bin/python" -c 'import json, sys; print(" ".join(d["id"] for d in json.load(open(sys.argv[1]))["datasets"]))' "$DATA/plan.json"); do
  log "$id: native"
  "$BENCH" run "$DATA" "$id"
  log "$id: Python"
  "$VENV/bin/python" benches/peers/reference.py "$DATA" "$id"
  log "$id: WebAssembly (headless Chromium)"
  node benches/peers/drive.mjs run "$WWW" "$id"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

cpu=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)
host=$(hostname -s 2>/dev/null || hostname)
day=$(date -u +%F)
cat > "$DATA/meta.json" <<EOF
{
  "date": "$(date -u +%FT%TZ)",
  "host": "$host",
  "machine": {
    "cpu": "$cpu",
    "cores": $(nproc),
    "ram_gb": $(awk '/MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo),
    "os": "$(. /etc/os-release && echo "$PRETTY_NAME")",
    "load_average_before": "$load_before",
    "load_average_after": "$load_after"
  },
  "versions": {
    "rustc": "$(rustc --version)",
    "wasm_bindgen": "$(wasm-bindgen --version)",
    "chromium": "$(${CHROMIUM:-chromium} --version 2>/dev/null | tail -1)",
    "node": "$(node --version)",
    "profile": "release (opt-level $OPT, LTO, codegen-units 1) on both Fairground sides"
  }
}
EOF

if [ $SMOKE = 1 ]; then
  "$BENCH" report "$DATA" "$WORK/smoke.json" "$WORK/smoke.svg"
  log "smoke run passed: all three sides reported every step"
else
  mkdir -p benches/results
  suffix=""
  [ "$OPT" != z ] && suffix="-opt$OPT"
  [ -n "$ONLY" ] && suffix="$suffix-only"
  out=benches/results/$day-$host$suffix.json
  "$BENCH" report "$DATA" "$out" "$WORK/latest.svg"
  if [ -z "$suffix" ]; then
    node benches/peers/drive.mjs png "$WORK/latest.svg" benches/results/latest.png
    log "wrote $out and benches/results/latest.png"
  else
    log "wrote $out (latest.png is drawn by full runs of the shipped profile only)"
  fi
fi
