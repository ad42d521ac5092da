#!/usr/bin/env bash
# Trunk's post-build hook (Trunk.toml [[hooks]]), run on the staged build before it becomes
# dist/; also usable by hand on a built directory: `bash scripts/trunk_post_build.sh DIR`.
#  1. Versions the service worker by the build: writes a hash of every file of the build into
#     sw.js (from the template static/sw.js), so a new build is a new service worker with a new
#     cache (see static/sw.js), and lists the page's split chunks among the files it caches.
#  2. Checks the built site (scripts/check_dist.sh): the same policy in index.html and _headers,
#     and nothing but the app's own files (no test fixture or test-only code ever ships).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-${TRUNK_STAGING_DIR:?run by Trunk, or give the built directory}}
template="$ROOT/static/sw.js"
grep -q "__FAIRGROUND_BUILD_ID__" "$template" || { echo "post-build: static/sw.js has no build id placeholder" >&2; exit 1; }
# Every file but sw.js itself, in a fixed order, hashed by path and content.
build_id=$(cd "$DIR" && find . -type f ! -name sw.js -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
# The page's split chunks (scripts/split.sh), if any, join the files cached at install.
chunks=$(cd "$DIR" && find . -maxdepth 1 -type f \( -name '__wasm_split.js' -o -name 'split_*.wasm' -o -name 'chunk_*.wasm' \) | LC_ALL=C sort | sed "s#^\./#, './#; s#\$#'#" | tr -d '\n')
sed "s/__FAIRGROUND_BUILD_ID__/$build_id/; s#/\*__FAIRGROUND_CHUNKS__\*/#$chunks#" "$template" > "$DIR/sw.js"
echo "post-build: service worker versioned as build $build_id"
bash "$ROOT/scripts/check_dist.sh" "$DIR"
