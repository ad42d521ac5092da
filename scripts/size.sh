#!/usr/bin/env bash
# Prints the size of the built .wasm (raw and gzip) and fails over the budget.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET_GZIP_KB=${BUDGET_GZIP_KB:-800}
wasm=dist/fairground-app_bg.wasm
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
printf 'wasm size: %d KB raw, %d KB gzip (budget %d KB gzip)\n' $((raw / 1024)) $((gz / 1024)) "$BUDGET_GZIP_KB"
if [ $((gz / 1024)) -gt "$BUDGET_GZIP_KB" ]; then
  echo "size: the .wasm is over its gzip budget" >&2
  exit 1
fi
