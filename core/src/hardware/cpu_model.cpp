// CPU: a few strong cores, each running SIMD FMAs on a tile of the output
// blocked so its operands fit that core's L2 (cache blocking); L3 shared, DRAM
// beyond. Scale and softmax run on blocks still in cache. One parallel region (fork/join) per stage.

#include <algorithm>
#include <cmath>

#include "core/hardware/models.hpp"
#include "core/hardware/tiled_schedule.hpp"
#include "core/hardware/tiling.hpp"

namespace abh {

// Largest tile side T, a multiple of the SIMD lanes, with three T×T blocks
// (two operands, one result) in the per-core cache.
std::int64_t cpu_block_side(const HardwareSpec& spec, Dtype dtype) {
  const MemoryLevel* l2 = spec.level(MemoryRole::unit);
  const double cache = l2 ? l2->capacity.value : 256.0 * 1024;
  const std::int64_t lanes = std::max<std::int64_t>(1, whole_figure(spec.lanes.value, 0, 65536, spec.chip + ": lanes"));
  const std::int64_t side = whole_figure(std::floor(std::sqrt(cache / (3 * dtype_bytes(dtype)))), 0,
                                         std::int64_t{1} << 40, spec.chip + ": L2 capacity");
  return std::max(lanes, side / lanes * lanes);
}

Schedule model_cpu(const Shape& shape, const ModelOptions& opt, const HardwareSpec& spec) {
  TilePolicy p;
  p.units = whole_figure(spec.units.value, 1, 1'000'000, spec.chip + ": units");
  p.tile_rows = p.tile_cols = p.fused_tile_cols = cpu_block_side(spec, opt.dtype);
  p.overhead_per_stage = spec.launch_overhead.value;
  p.elementwise_in_cache = true;
  p.balanced_granule = std::max<std::int64_t>(1, whole_figure(spec.lanes.value, 0, 65536, spec.chip + ": lanes"));
  return tiled_schedule(shape, opt, spec, p);
}

} // namespace abh
