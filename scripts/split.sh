#!/usr/bin/env bash
# Cuts the page's release module into the module the page starts with and the chunks its steps
# load when first shown (src/ui/chunks.rs), in a built site (default dist/), after
# `trunk build --release` (scripts/release.sh runs it):
#  1. `wasm-split-cli` (wasm_split_cli_support, installed by scripts/setup.sh) reads the linked
#     module (target/wasm32-unknown-unknown/release/fairground-app.wasm, linked with
#     --emit-relocs and built with --cfg fairground_split) and writes the main module, one
#     split_<name>.wasm per split point's chunk, chunk_<n>.wasm for code two chunks share, and
#     __wasm_split.js, which fetches them from the page's own origin;
#  2. wasm-bindgen (keeping the linker's exports the chunks link to) and wasm-opt -Oz, as Trunk
#     does for the unsplit module, replace Trunk's fairground-app.js and fairground-app_bg.wasm;
#  3. index.html's integrity hashes of those two files are recomputed, and the service worker
#     is versioned again with the chunks in its list (scripts/trunk_post_build.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-$ROOT/dist}
source "$ROOT/scripts/env.sh"
INPUT="$ROOT/target/wasm32-unknown-unknown/release/fairground-app.wasm"
fail() { echo "split: $*" >&2; exit 1; }
[ -f "$INPUT" ] || fail "$INPUT is missing (run bash scripts/release.sh)"
command -v wasm-split-cli >/dev/null || fail "wasm-split-cli is missing (run bash scripts/setup.sh)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wasm-split-cli --target web --out-name fairground-app "$INPUT" "$work/split"
ls "$work/split"/split_*.wasm >/dev/null 2>&1 || fail "no split point was found: was the page built with --cfg fairground_split and --emit-relocs?"
wasm-bindgen --target web --keep-lld-exports --no-demangle --out-name fairground-app \
  --out-dir "$work/bindgen" "$work/split/fairground-app.wasm"
# The features Trunk's wasm-opt run enables (the modules use them).
FEATURES="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types"
rm -f "$DIR"/split_*.wasm "$DIR"/chunk_*.wasm "$DIR/__wasm_split.js"
# shellcheck disable=SC2086
wasm-opt -Oz $FEATURES "$work/bindgen/fairground-app_bg.wasm" -o "$DIR/fairground-app_bg.wasm"
cp "$work/bindgen/fairground-app.js" "$DIR/fairground-app.js"
cp "$work/split/__wasm_split.js" "$DIR/__wasm_split.js"
for chunk in "$work/split"/split_*.wasm "$work/split"/chunk_*.wasm; do
  [ -f "$chunk" ] || continue
  # shellcheck disable=SC2086
  wasm-opt -Oz $FEATURES "$chunk" -o "$DIR/$(basename "$chunk")" 2>/dev/null
done
# Trunk wrote sha384 integrity attributes for the files it built; the split replaced two.
for file in fairground-app.js fairground-app_bg.wasm; do
  hash=$(python3 -c 'import base64, hashlib, sys; print(base64.b64encode(hashlib.sha384(open(sys.argv[1], "rb").read()).digest()).decode())' "$DIR/$file")
  sed -i -E "s#(href=\"\./$file\"[^>]*integrity=\")sha384-[^\"]*\"#\1sha384-$hash\"#" "$DIR/index.html"
  grep -q "sha384-$hash" "$DIR/index.html" || fail "index.html has no integrity attribute for $file to update"
done
echo "split: the page's module and $(ls "$DIR"/split_*.wasm "$DIR"/chunk_*.wasm | wc -l) chunks written to $DIR"
bash "$ROOT/scripts/trunk_post_build.sh" "$DIR"
