// NPU: a few engines, each a MAC array with its share of the on-chip SRAM
// (a scratchpad, or on Lunar Lake the compute tile's side cache); tiles are
// sized to that share, and whatever the SRAM cannot hold streams from
// low-power system memory (LPDDR). Every operator is
// a dispatch from the driver, which is slow next to the math for small work.

#include <algorithm>
#include <cmath>

#include "core/hardware/models.hpp"
#include "core/hardware/tiled_schedule.hpp"
#include "core/hardware/tiling.hpp"

namespace abh {

std::int64_t npu_tile_side(const HardwareSpec& spec, Dtype dtype) {
  const MemoryLevel* sram = spec.level(MemoryRole::shared);
  const double units = static_cast<double>(whole_figure(spec.units.value, 1, 1'000'000, spec.chip + ": units"));
  const double share = sram ? sram->capacity.value / units : 512.0 * 1024;
  const std::int64_t side = whole_figure(std::floor(std::sqrt(share / (3 * dtype_bytes(dtype)))), 0,
                                         std::int64_t{1} << 40, spec.chip + ": SRAM capacity");
  const std::int64_t align = 32; // MAC-array width granule (assumed)
  return std::max(align, side / align * align);
}

Schedule model_npu(const Shape& shape, const ModelOptions& opt, const HardwareSpec& spec) {
  TilePolicy p;
  p.units = whole_figure(spec.units.value, 1, 1'000'000, spec.chip + ": units");
  p.tile_rows = p.tile_cols = p.fused_tile_cols = npu_tile_side(spec, opt.dtype);
  p.overhead_per_stage = spec.launch_overhead.value;
  p.balanced_granule = 32; // the compiler splits each operator over the engines
  return tiled_schedule(shape, opt, spec, p);
}

} // namespace abh
