#!/usr/bin/env bash
# Installs, idempotently, everything Fairground's build and tests need on a fresh machine of this
# kind (Debian 12, rustup Rust, only the package registries reachable). Nothing here downloads a
# prebuilt tool from elsewhere: Rust tools come from crates.io, wasm-opt and Playwright's driver
# from npm, Chromium from Debian.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TRUNK_VERSION=0.21.14
log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# 1. The WebAssembly target of the installed toolchain (rustup's distribution is reachable).
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 1b. The pinned nightly that builds the app's release modules with a size-optimised standard
# library (scripts/release.sh): its rust-src and wasm32 target, and the standard library's own
# crates fetched, since Trunk's build is offline. Native builds and tests stay on the stable one.
source scripts/nightly.sh
if ! rustup component list --toolchain "$FAIRGROUND_NIGHTLY" --installed 2>/dev/null | grep -qx rust-src \
  || ! rustup target list --toolchain "$FAIRGROUND_NIGHTLY" --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "installing $FAIRGROUND_NIGHTLY (minimal, rust-src, wasm32) for the release build"
  rustup toolchain install "$FAIRGROUND_NIGHTLY" --profile minimal --component rust-src --target wasm32-unknown-unknown
fi
cargo "+$FAIRGROUND_NIGHTLY" fetch --manifest-path \
  "$(rustc "+$FAIRGROUND_NIGHTLY" --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml" >/dev/null 2>&1 \
  || cargo "+$FAIRGROUND_NIGHTLY" fetch --manifest-path \
    "$(rustc "+$FAIRGROUND_NIGHTLY" --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"

# 2. Trunk, pinned: newer releases need a newer rustc than the machine's.
if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION"; then
  log "installing trunk $TRUNK_VERSION (about 7 minutes on 2 cores)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

# 3. wasm-bindgen-cli, exactly the version in Cargo.lock (Trunk runs the one on PATH).
[ -f Cargo.lock ] || cargo generate-lockfile
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$WB_VERSION" ]; then echo "setup: no wasm-bindgen in Cargo.lock" >&2; exit 1; fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WB_VERSION\b"; then
  log "installing wasm-bindgen-cli $WB_VERSION"
  cargo install --locked wasm-bindgen-cli --version "$WB_VERSION" \
    || cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi

# 3b. wasm-split-cli (crate wasm_split_cli_support), pinned: scripts/split.sh cuts the page's
#     release module into the part the page starts with and its steps' chunks.
WASM_SPLIT_VERSION=0.2.4
if ! command -v wasm-split-cli >/dev/null \
  || ! cargo install --list | grep -q "^wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  log "installing wasm-split-cli $WASM_SPLIT_VERSION (about 3 minutes on 2 cores)"
  cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
fi

# 4. Debian's Chromium and its driver (browser unit tests and end-to-end tests).
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  log "installing chromium and chromium-driver from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# 5. npm packages from the committed lock files: binaryen's wasm-opt and playwright-core.
for dir in scripts/tools tests/e2e; do
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

# 6. The crates, so that Trunk's offline build finds them.
cargo fetch --locked >/dev/null 2>&1 || cargo fetch
log "tools ready: $(trunk --version), wasm-bindgen $WB_VERSION, $(chromium --version 2>/dev/null | tail -1)"
