#!/usr/bin/env bash
# Configures one CMake preset (scripts/configure.sh ci). A build folder that
# another generator made is started afresh: CMake refuses to switch in place.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=$1
cache=build/$preset/CMakeCache.txt
if [ -f "$cache" ] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$cache"; then
  echo "configure: build/$preset was made by another generator; starting it afresh" >&2
  rm -rf "build/$preset"
fi
cmake --preset "$preset" >/dev/null
