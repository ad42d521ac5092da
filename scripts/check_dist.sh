#!/usr/bin/env bash
# Checks a built site (default dist/): what a static host will serve.
#  - index.html's Content-Security-Policy <meta> and the one in _headers are the same policy;
#  - the policy lets the page start its Web Worker from a blob: URL (which inherits the policy)
#    and nothing else off the page's origin;
#  - only the app's own files are there: nothing from tests/ (the e2e tests' fixtures and
#    anything test-only stay out of what ships).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-$ROOT/dist}
fail() { echo "check_dist: $*" >&2; exit 1; }
[ -f "$DIR/index.html" ] || fail "$DIR/index.html is missing"
meta=$(grep -o 'http-equiv="Content-Security-Policy" content="[^"]*"' "$DIR/index.html" | sed 's/.*content="//; s/"$//')
header=$(grep -m1 '^ *Content-Security-Policy:' "$DIR/_headers" 2>/dev/null | sed 's/^ *Content-Security-Policy: *//')
[ -n "$meta" ] || fail "index.html carries no Content-Security-Policy <meta> tag"
[ -n "$header" ] || fail "_headers carries no Content-Security-Policy"
[ "$meta" = "$header" ] || fail "the policy in index.html and in _headers differ:
  index.html: $meta
  _headers:   $header"
case "$meta" in *"worker-src 'self' blob:;"*) ;; *) fail "the policy must allow the blob: worker (worker-src 'self' blob:)";; esac
case "$meta" in *"connect-src 'self';"*) ;; *) fail "the policy must keep connect-src 'self'";; esac
# The app's files: anything else (a test fixture, a test-only script, a source map) is refused.
unexpected=$(cd "$DIR" && find . -type f | sed 's#^\./##' | grep -Ev '^(index\.html|_headers|lessons\.json|boot\.js|worker\.js|sw\.js|main(-[0-9a-f]+)?\.css|fairground-(app|worker)(-[0-9a-f]+)?(_bg\.wasm|\.js)|__wasm_split\.js|split_[a-z_]+\.wasm|chunk_[0-9]+\.wasm|data/[A-Za-z0-9_.-]+)$' || true)
[ -z "$unexpected" ] || fail "files that are not part of the app: $unexpected"
if grep -rlq "__FAIRGROUND_BUILD_ID__" "$DIR/sw.js"; then fail "sw.js was not versioned (run through scripts/trunk_post_build.sh)"; fi
echo "check_dist: $DIR holds the app's files only, with one policy in index.html and _headers"
