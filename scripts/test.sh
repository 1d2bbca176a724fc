#!/usr/bin/env bash
# Builds everything and runs every test; CI runs exactly this (.ci/run).
# Installs missing Debian packages first. Usage: scripts/test.sh
#   1. the `ci` preset: portable code, warnings as errors; every suite, the
#      GUI ones on one virtual X display (they take it in turn). The display
#      runs with -noreset: by default Xvfb resets whenever its last client
#      disconnects, and a test that connects during that reset is refused;
#   2. the `ci-sanitize` preset: the command-line-only build (no GL) under
#      AddressSanitizer and UBSan, running every suite that needs no window;
#      it is built while the ci tests run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)
started=$SECONDS
stamp() { echo "test.sh: $1 after $((SECONDS - started)) s" >&2; }

scripts/configure.sh ci
cmake --build --preset ci -j "$jobs"
stamp "ci build"

# The sanitizer build compiles while the ci tests run: the GUI tests, most of
# that time, take the display one at a time and leave a core free.
scripts/configure.sh ci-sanitize
sanitize_log=$(mktemp)
cmake --build --preset ci-sanitize -j "$jobs" >"$sanitize_log" 2>&1 &
sanitize_build=$!
trap 'kill "$sanitize_build" 2>/dev/null || true; rm -f "$sanitize_log"' EXIT
ci_status=0
xvfb-run -a -s "-screen 0 1920x1080x24 -noreset" \
  ctest --preset ci -j "$jobs" || ci_status=$?
stamp "ci tests"
build_status=0
wait "$sanitize_build" || build_status=$?
cat "$sanitize_log"
stamp "sanitizer build"
if [ "$ci_status" -ne 0 ]; then echo "test.sh: the ci tests failed" >&2; exit "$ci_status"; fi
if [ "$build_status" -ne 0 ]; then echo "test.sh: the sanitizer build failed" >&2; exit "$build_status"; fi
ctest --preset ci-sanitize -j "$jobs"
stamp "sanitizer tests"
