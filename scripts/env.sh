# Sourced by the scripts: puts the project's own tools first on PATH.
# binaryen's wasm-opt from npm must come before any other (Debian's 108 breaks the build).
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
export PATH="$ROOT/scripts/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
