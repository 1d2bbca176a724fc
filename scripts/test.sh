#!/usr/bin/env bash
# Builds everything and runs every test; CI runs exactly this (.ci/run).
# Installs missing Debian packages first. Usage: scripts/test.sh
#   1. the `ci` preset: portable code, warnings as errors; every suite, the
#      GUI ones on one virtual X display (they take it in turn). The display
#      runs with -noreset: by default Xvfb resets whenever its last client
#      disconnects, and a test that connects during that reset is refused;
#   2. the `ci-sanitize` preset: the command-line-only build (no GL) under
#      AddressSanitizer and UBSan, running every suite that needs no window.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)
started=$SECONDS
stamp() { echo "test.sh: $1 after $((SECONDS - started)) s" >&2; }

scripts/configure.sh ci
cmake --build --preset ci -j "$jobs"
stamp "ci build"
xvfb-run -a -s "-screen 0 1920x1080x24 -noreset" \
  ctest --preset ci -j "$jobs"
stamp "ci tests"

scripts/configure.sh ci-sanitize
cmake --build --preset ci-sanitize -j "$jobs"
stamp "sanitizer build"
ctest --preset ci-sanitize -j "$jobs"
stamp "sanitizer tests"
