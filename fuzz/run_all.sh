#!/bin/sh
# Runs the three fuzz targets one after another, each for $SECONDS_EACH seconds on one core
# (libFuzzer's fork mode with one worker, continuing past crashes so every finding is kept).
# Logs: $LOGS/<target>.log; wall times: $LOGS/times.txt. The last lines of each log (libFuzzer's
# final statistics) and the wall time are kept in results/<target>.txt, which is committed, so the
# figures in README.md can be checked. Usage: fuzz/run_all.sh [seconds] [targets…]
set -u
cd "$(dirname "$0")"
SECONDS_EACH=${1:-1800}
shift 2>/dev/null || true
TARGETS=${*:-ingest pipeline cli}
LOGS=${LOGS:-logs}
BIN=target/x86_64-unknown-linux-gnu/release
mkdir -p "$LOGS" results
for t in $TARGETS; do
  case $t in ingest) dict=dict/csv.dict; len=16384 ;; pipeline) dict=dict/csv.dict; len=8192 ;; *) dict=dict/cli.dict; len=8192 ;; esac
  mkdir -p corpus/$t artifacts/$t
  start=$(date +%s)
  echo "$t start $(date -u +%H:%M:%S)" >> "$LOGS/times.txt"
  $BIN/$t corpus/$t seeds/$t -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time="$SECONDS_EACH" -timeout=20 -rss_limit_mb=2048 -max_len=$len -dict=$dict \
    -artifact_prefix=artifacts/$t/ -print_final_stats=1 > "$LOGS/$t.log" 2>&1
  wall=$(( $(date +%s) - start ))
  echo "$t end $(date -u +%H:%M:%S) wall $wall s" >> "$LOGS/times.txt"
  {
    echo "# fuzz/run_all.sh $SECONDS_EACH $t, $(date -u +%Y-%m-%d), wall $wall s, $(nproc) cores"
    echo "# crashes saved: $(ls artifacts/$t | wc -l); corpus files: $(ls corpus/$t | wc -l)"
    grep -E '^#[0-9]+|^INFO: fuzzed for|^stat::|^==[0-9]+== ERROR|^INFO: exiting' "$LOGS/$t.log" | tail -n 12
  } > results/$t.txt
done
