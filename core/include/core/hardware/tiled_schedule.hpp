#pragma once
// The schedule of a machine whose units each take whole output tiles (CPU
// cores, GPU SMs, NPU engines, LPU chips): tile, dispatch in waves, add the
// memory traffic, apply the shared roofline, emit events. Each model only
// chooses its policy.

#include "core/hardware/schedule.hpp"
#include "core/hardware/stage_work.hpp"
#include "core/shape.hpp"

namespace abh {

struct TilePolicy {
  std::int64_t units = 1;          // parallel units taking tiles
  std::int64_t tile_rows = 128;    // matmul and element-wise output tile
  std::int64_t tile_cols = 128;
  std::int64_t fused_tile_cols = 128; // fused attention: queries per tile (rows = dh)
  double overhead_per_stage = 0;   // s: kernel launch / dispatch
  double rate_scale = 1;           // multiplies the per-unit rates (LPU: chips)
  // > 0: the work is shared evenly (a BLAS's threads, an NPU compiler's
  // engines) in micro-tiles of granule × granule outputs: compute = micro-tiles ×
  // micro-tile time / min(units, micro-tiles), no wave tail. The cache-sized
  // tiles still set the traffic. 0: whole tiles in waves (GPU SMs, LPU chips).
  std::int64_t balanced_granule = 0;
  // Element-wise stages work on the blocks the previous stage just wrote,
  // still in the shared cache when the heads in flight fit it: no main-memory
  // traffic then (CPU: scale and softmax run in cache).
  bool elementwise_in_cache = false;
};

// One stage of a tiled machine, roofline applied (traffic from add_tiled_traffic).
StageCost tiled_stage_cost(const StageWork& work, const TilePolicy& policy,
                           const HardwareSpec& spec, Dtype dtype);

Schedule tiled_schedule(const Shape& shape, const ModelOptions& options,
                        const HardwareSpec& spec, const TilePolicy& policy);

} // namespace abh
