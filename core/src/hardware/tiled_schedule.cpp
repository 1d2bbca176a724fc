#include "core/hardware/tiled_schedule.hpp"

#include <algorithm>

#include "core/hardware/events.hpp"
#include "core/hardware/models.hpp"
#include "core/hardware/roofline.hpp"
#include "core/hardware/tiling.hpp"

namespace abh {

StageCost tiled_stage_cost(const StageWork& w, const TilePolicy& p, const HardwareSpec& spec,
                           Dtype dtype) {
  const double units = static_cast<double>(p.units);
  UnitRates r = unit_rates(spec, dtype, units / p.rate_scale);
  const TileGrid g = w.stage == Stage::attention ? tile_grid(w, w.rows, p.fused_tile_cols)
                                          : tile_grid(w, p.tile_rows, p.tile_cols);
  StageCost st = tiled_stage(w, g, p.units, r);
  if (p.balanced_granule > 0) {
    // Work shared in micro-tiles of granule × granule outputs over the units.
    const std::int64_t l = p.balanced_granule;
    const TileGrid micro = w.stage == Stage::attention ? tile_grid(w, w.rows, l) : tile_grid(w, l, l);
    const double per_micro = tile_seconds(w, micro, r);
    const double micro_tiles = static_cast<double>(micro.tiles());
    st.compute_seconds = micro_tiles * per_micro / std::min(units, std::max(1.0, micro_tiles));
  }
  st.vector_unit = !w.is_matmul();
  // Batch entries (heads) in flight at once: the units cover whole heads' tiles.
  const double in_flight = std::min(static_cast<double>(w.batch),
                                    static_cast<double>(ceil_div(p.units, g.per_batch())));
  add_tiled_traffic(st, w, spec, dtype_bytes(dtype), in_flight);
  if (p.elementwise_in_cache && !w.is_matmul() && w.stage != Stage::attention) {
    const MemoryLevel* shared = spec.level(MemoryRole::shared);
    if (shared != nullptr && w.working_set * in_flight * dtype_bytes(dtype) <= shared->capacity.value) {
      for (LevelTraffic& t : st.traffic)
        if (t.role == MemoryRole::main) t.bytes = 0;
      st.bytes = 0;
    }
  }
  for (LevelTraffic& t : st.traffic) t.bandwidth *= p.rate_scale;
  st.overhead_seconds = p.overhead_per_stage;
  finish_stage(st);
  return st;
}

Schedule tiled_schedule(const Shape& shape, const ModelOptions& opt, const HardwareSpec& spec,
                        const TilePolicy& p) {
  Schedule s = empty_schedule(opt, spec, static_cast<double>(p.units));
  for (const StageWork& w : stage_work(shape, opt.fused))
    s.stages.push_back(tiled_stage_cost(w, p, spec, opt.dtype));
  emit_all_events(s, p.units);
  finish_schedule(s, spec);
  return s;
}

} // namespace abh
