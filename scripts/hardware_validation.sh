#!/bin/sh
# Regenerates docs/hardware-validation.md: builds the hardware_validation tool
# (ci preset) and runs the GPU model against the measured H200 in
# tests/hardware/calib/. Usage: scripts/hardware_validation.sh [BUILD_PRESET]
set -eu
cd "$(dirname "$0")/.."
preset="${1:-ci}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target hardware_validation hardware_tests
out=docs/hardware-validation.md.new
"build/$preset/tests/hardware_validation" assets/hardware.json tests/hardware/calib H200 > "$out"
{
  echo
  echo "## H100 vs published FlashAttention speeds"
  echo
  echo "The GPU model with the NVIDIA H100 SXM entry against the attention forward-pass speeds of the"
  echo "FlashAttention-3 paper (Shah et al. 2024, Figure 5: bf16, non-causal, 16k tokens per batch,"
  echo "H·dh = 2048; batch folded into heads; TFLOP/s = 4·n²·dh·H / time of the attention stages;"
  echo "bar labels read from a transcription of the figure, ±2%). Printed by the test"
  echo "HardwareValidation.H100AgainstPublishedAtLongSequences, which also asserts its bounds."
  echo
  "build/$preset/tests/hardware_tests" --gtest_filter='HardwareValidation.*' | grep '^|'
} >> "$out"
mv docs/hardware-validation.md.new docs/hardware-validation.md
echo "wrote docs/hardware-validation.md"
