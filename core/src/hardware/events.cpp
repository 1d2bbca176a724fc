#include "core/hardware/events.hpp"

#include <algorithm>

#include "core/hardware/tiling.hpp"

namespace abh {

void emit_stage_events(Schedule& s, int index, double start, std::int64_t units,
                       std::size_t budget) {
  const StageCost& st = s.stages[static_cast<std::size_t>(index)];
  const std::int64_t tiles = st.grid.tiles();
  const std::int64_t w = std::max<std::int64_t>(1, st.waves);
  const double body_start = start + st.overhead_seconds;
  const double wave_time = (st.seconds - st.overhead_seconds) / static_cast<double>(w);
  if (st.overhead_seconds > 0)
    s.events.push_back({EventKind::overhead, index, start, body_start, 0, static_cast<int>(units),
                        0, 0, -1, -1, 0});
  const std::int64_t transfer_groups = std::min<std::int64_t>(w, 16);
  const std::int64_t levels = static_cast<std::int64_t>(st.traffic.size());
  const std::int64_t compute_budget = std::max<std::int64_t>(
      1, static_cast<std::int64_t>(budget) - 1 - transfer_groups * levels);
  const std::int64_t used_units = std::max<std::int64_t>(1, std::min(units, tiles));

  if (tiles > 0) {
    // Groups of waves, each split into unit chunks, within the budget.
    const std::int64_t wave_group = ceil_div(w, compute_budget);
    const std::int64_t groups = ceil_div(w, wave_group);
    const std::int64_t chunks_per_group =
        wave_group > 1 ? 1 : std::max<std::int64_t>(1, std::min(used_units, compute_budget / groups));
    const std::int64_t units_per_chunk = ceil_div(used_units, chunks_per_group);
    for (std::int64_t g = 0; g < groups; ++g) {
      const std::int64_t w0 = g * wave_group, w1 = std::min(w, w0 + wave_group);
      for (std::int64_t u0 = 0; u0 < used_units; u0 += units_per_chunk) {
        const std::int64_t u1 = std::min(used_units, u0 + units_per_chunk);
        std::int64_t first = w0 * units + u0;
        std::int64_t last = wave_group > 1 ? w1 * units : w0 * units + u1; // exclusive
        last = std::min(last, tiles);
        if (first >= last) continue;
        ScheduleEvent e;
        e.kind = EventKind::compute;
        e.stage = index;
        e.start = body_start + wave_time * static_cast<double>(w0);
        e.end = body_start + wave_time * static_cast<double>(w1);
        e.unit = static_cast<int>(u0);
        e.unit_count = static_cast<int>(wave_group > 1 ? used_units : u1 - u0);
        e.tile = first;
        e.tile_count = last - first;
        e.vector_unit = st.vector_unit;
        s.events.push_back(e);
      }
    }
  }

  // Bytes crossing each level, spread evenly over the stage body.
  for (std::int64_t l = 0; l < levels; ++l) {
    const LevelTraffic& t = st.traffic[static_cast<std::size_t>(l)];
    if (t.bytes <= 0) continue;
    const double span = (st.seconds - st.overhead_seconds) / static_cast<double>(transfer_groups);
    for (std::int64_t g = 0; g < transfer_groups; ++g) {
      ScheduleEvent e;
      e.kind = EventKind::transfer;
      e.stage = index;
      e.start = body_start + span * static_cast<double>(g);
      e.end = e.start + span;
      e.from_level = static_cast<int>(l);
      e.to_level = static_cast<int>(l) - 1; // toward the units
      e.bytes = t.bytes / static_cast<double>(transfer_groups);
      s.events.push_back(e);
    }
  }
}

void emit_all_events(Schedule& s, std::int64_t units) {
  s.events.clear();
  const std::size_t stages = std::max<std::size_t>(1, s.stages.size());
  double t = 0;
  for (std::size_t i = 0; i < s.stages.size(); ++i) {
    emit_stage_events(s, static_cast<int>(i), t, units, max_events / stages);
    t += s.stages[i].seconds;
  }
}

} // namespace abh
