// CPU: a few strong cores, each running SIMD FMAs on a tile of the output
// blocked so its operands fit that core's L2 (cache blocking); L3 shared, DRAM
// beyond. One parallel region (fork/join) per stage.

#include <algorithm>
#include <cmath>

#include "core/hardware/models.hpp"
#include "core/hardware/tiled_schedule.hpp"

namespace abh {

// Largest tile side T, a multiple of the SIMD lanes, with three T×T blocks
// (two operands, one result) in the per-core cache.
std::int64_t cpu_block_side(const HardwareSpec& spec, Dtype dtype) {
  const MemoryLevel* l2 = spec.level(MemoryRole::unit);
  const double cache = l2 ? l2->capacity.value : 256.0 * 1024;
  const auto lanes = std::max<std::int64_t>(1, std::llround(spec.lanes.value));
  const auto side = static_cast<std::int64_t>(std::sqrt(cache / (3 * dtype_bytes(dtype))));
  return std::max(lanes, side / lanes * lanes);
}

Schedule model_cpu(const Shape& shape, const ModelOptions& opt, const HardwareSpec& spec) {
  TilePolicy p;
  p.units = std::max<std::int64_t>(1, std::llround(spec.units.value));
  p.tile_rows = p.tile_cols = p.fused_tile_cols = cpu_block_side(spec, opt.dtype);
  p.overhead_per_stage = spec.launch_overhead.value;
  p.balanced_granule = std::max<std::int64_t>(1, std::llround(spec.lanes.value));
  return tiled_schedule(shape, opt, spec, p);
}

} // namespace abh
