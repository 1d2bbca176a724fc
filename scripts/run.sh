#!/usr/bin/env bash
# Builds the app and opens it. Installs missing Debian packages first.
# Usage: scripts/run.sh [attention-by-hand options, e.g. --heads 4]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/configure.sh release
cmake --build --preset release -j "$(nproc)" --target attention-by-hand
exec build/release/app/attention-by-hand "$@"
