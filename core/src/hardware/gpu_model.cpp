// GPU: each stage is a kernel (one launch each); thread blocks own 128×128
// output tiles (fused: 128 queries of one head, as FlashAttention) and are
// dispatched in waves over the SMs: ceil(tiles / SMs) rounds, the last one
// possibly nearly empty (wave quantisation). Shared memory, L2, HBM.

#include <algorithm>
#include <cmath>

#include "core/hardware/models.hpp"
#include "core/hardware/tiled_schedule.hpp"
#include "core/hardware/tiling.hpp"

namespace abh {

inline constexpr std::int64_t gpu_tile = 128; // a CUTLASS/FlashAttention-style block

Schedule model_gpu(const Shape& shape, const ModelOptions& opt, const HardwareSpec& spec) {
  TilePolicy p;
  p.units = whole_figure(spec.units.value, 1, 1'000'000, spec.chip + ": units");
  p.tile_rows = p.tile_cols = p.fused_tile_cols = gpu_tile;
  p.overhead_per_stage = spec.launch_overhead.value;
  return tiled_schedule(shape, opt, spec, p);
}

} // namespace abh
