#!/usr/bin/env bash
# Builds the app for release into dist/ (a plain static site with relative URLs) and checks the
# .wasm against its size budget. Installs whatever is missing first (scripts/setup.sh), so it
# works on a fresh Debian 12 machine; scripts/serve.sh and the Pages workflow call it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
bash scripts/setup.sh
bash scripts/release.sh
bash scripts/size.sh
