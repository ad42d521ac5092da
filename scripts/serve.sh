#!/usr/bin/env bash
# Installs whatever is missing, builds the app in release mode (scripts/build.sh) and serves it at
# http://127.0.0.1:8080 (override with PORT=...). A plain static server: no autoreload script,
# no websocket, exactly the files a static host would serve.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
PORT=${PORT:-8080}
echo "Fairground: http://127.0.0.1:$PORT/  (Ctrl-C to stop)"
exec python3 -m http.server --bind 127.0.0.1 "$PORT" --directory dist
