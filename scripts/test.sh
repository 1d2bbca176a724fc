#!/usr/bin/env bash
# Builds everything and runs every test (GUI tests on a virtual display).
# Installs missing Debian packages first. Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
# One virtual X display for the whole run; GUI tests take it in turn
# (RESOURCE_LOCK xvfb), core tests run beside them.
xvfb-run -a -s "-screen 0 1920x1080x24" \
  ctest --test-dir build/release --output-on-failure -j "$(nproc)"
