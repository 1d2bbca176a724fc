#!/bin/sh
# Regenerates docs/hardware-validation.md: builds the hardware_validation tool
# (ci preset) and runs the GPU model against the measured H200 in
# tests/hardware/calib/. Usage: scripts/hardware_validation.sh [BUILD_PRESET]
set -eu
cd "$(dirname "$0")/.."
preset="${1:-ci}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target hardware_validation
"build/$preset/tests/hardware_validation" assets/hardware.json tests/hardware/calib H200 \
  > docs/hardware-validation.md.new
mv docs/hardware-validation.md.new docs/hardware-validation.md
echo "wrote docs/hardware-validation.md"
