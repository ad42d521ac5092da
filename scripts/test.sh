#!/usr/bin/env bash
# Runs every test of Fairground, installing whatever is missing first (scripts/setup.sh):
#   1. lint: rustfmt, the GitHub workflows parse, no import loop or upward import between modules
#      (scripts/imports.py), clippy (native and wasm32) with warnings as errors;
#   2. native tests of the core, the session, the charts and the CLI (cargo test);
#   3. browser unit tests in headless Chromium (wasm-bindgen-test);
#   4. the release build of the app (Trunk) and its size budget;
#   5. a smoke run of the peer benchmark (benches/peers.sh --smoke: wasm, native and Python);
#   6. end-to-end journeys in headless Chromium (playwright-core), including the privacy checks.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
start=$(date +%s)
step() { printf '\n\033[1m== %s (%ss)\033[0m\n' "$*" "$(( $(date +%s) - start ))"; }

step "setup"
bash scripts/setup.sh

step "format and lints"
cargo fmt --all -- --check
node scripts/tools/check_workflows.mjs
python3 scripts/imports.py > /dev/null || { python3 scripts/imports.py; exit 1; }
cargo clippy --locked --all-targets -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown --lib --bin fairground-app --bin fairground-worker --tests -- -D warnings
# The page's split points (src/bin/fairground-app/split.rs) compile only in the split build.
FAIRGROUND_SPLIT=1 cargo clippy --locked --target wasm32-unknown-unknown --bin fairground-app -- -D warnings

step "native tests"
cargo test --locked

step "browser unit tests (wasm-bindgen-test in headless Chromium)"
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
cargo test --locked --target wasm32-unknown-unknown --test web

step "release build"
bash scripts/release.sh
bash scripts/size.sh

step "peer benchmark smoke (the same steps in wasm, natively and in Python, on a tiny table)"
FAIRGROUND_BENCH_TARGET=target bash benches/peers.sh --smoke

step "end-to-end tests (Playwright in headless Chromium)"
cargo build --locked --bin fairground
(cd tests/e2e && npm test)

step "all tests passed in $(( $(date +%s) - start ))s"
