#!/usr/bin/env bash
# The browser app's release build (`trunk build --release` into dist/) with the standard library
# rebuilt for size: a pinned nightly compiles std with the rest (`-Z build-std`) and every panic
# aborts at once (`-C panic=immediate-abort`), so no panic message formatting, location tables
# or unwinding glue is linked. The page's module is ~40 KB gzip smaller, the worker's ~32 KB
# (docs/architecture.md, "Two modules"). Only this build sees these settings: they are set here,
# for this one command, so native builds, tests and clippy keep the stable toolchain.
# A panic then leaves no message: the module traps ("unreachable"); the page says so through
# static/boot.js, and a worker's trap reaches the page as the worker's `error` event.
# scripts/setup.sh installs the toolchain (with rust-src and the wasm32 target) and wasm-split-cli.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/nightly.sh
export RUSTUP_TOOLCHAIN="$FAIRGROUND_NIGHTLY"
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
# Replaces .cargo/config.toml's target rustflags for this build, so they are repeated here.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components -Zunstable-options -Cpanic=immediate-abort"
# The page's module is built for splitting (scripts/build.rs: `--cfg fairground_split`, linked with
# --emit-relocs) and scripts/split.sh cuts it into the part the page starts with and the chunks
# its steps load when first shown (src/ui/chunks.rs); the worker's module is not cut.
export FAIRGROUND_SPLIT=1
trunk build --release "$@"
bash scripts/split.sh dist
