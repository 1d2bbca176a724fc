// LPU: no caches and no DRAM. Weights, live activations (the scores too) and
// KV cache live in the SRAM of as many chips as it takes (activations too
// large for the computing chips sit on storage chips); the compiler lays out the work ahead of time, so there
// are no launches and no misses, only a fixed per-stage pipeline latency. The
// chips holding the weights and activations compute; chips added for the KV cache stream it
// to them over the chip-to-chip links.

#include <algorithm>
#include <cmath>

#include "core/counts.hpp"
#include "core/hardware/events.hpp"
#include "core/hardware/models.hpp"
#include "core/hardware/roofline.hpp"
#include "core/hardware/stage_work.hpp"
#include "core/hardware/tiled_schedule.hpp"

namespace abh {

inline constexpr std::int64_t lpu_tile = 320; // one superlane vector: 320 elements

int chips_for_bytes(const HardwareSpec& spec, double bytes) {
  const MemoryLevel* memory = spec.level(MemoryRole::main);
  const double per_chip = memory ? memory->capacity.value : 0;
  if (per_chip <= 0) return 1;
  // More chips than an int holds is no machine anyone builds: refuse it.
  const double chips = std::ceil(bytes / per_chip);
  if (!(chips < 1e9))
    throw ShapeError("shape too large for the " + spec.chip + " model: it would need " +
                     std::to_string(static_cast<long long>(std::min(chips, 9e18))) + " chips");
  return std::max(1, static_cast<int>(chips));
}

double live_activation_elements(const Shape& shape, bool fused) {
  const Counts c = count(shape);
  double live = 0;
  for (const StageWork& w : stage_work(shape, fused)) {
    double weights = 0;
    if (w.stage == Stage::projection) weights = static_cast<double>(c.params.wqkv);
    if (w.stage == Stage::output) weights = static_cast<double>(c.params.wo);
    live = std::max(live, w.main_reads - weights - w.kv_reads + w.main_writes);
  }
  return live;
}

LpuChips lpu_chips(const Shape& shape, const HardwareSpec& spec, Dtype dtype, bool fused) {
  const double b = dtype_bytes(dtype);
  const double weights = weight_elements(shape) * b;
  const double activations = live_activation_elements(shape, fused) * b;
  LpuChips c;
  c.total = chips_for_bytes(spec, weights + activations + kv_cache_elements(shape) * b);
  c.compute = std::min(c.total, chips_for_bytes(spec, weights));
  return c;
}

namespace {

// The share of a stage's activations held on storage chips: what the compute
// chips' SRAM cannot hold beside the weights.
double activation_spill(const Shape& shape, const HardwareSpec& spec, Dtype dtype, bool fused,
                        int compute_chips) {
  const MemoryLevel* sram = spec.level(MemoryRole::main);
  const double b = dtype_bytes(dtype);
  const double activations = live_activation_elements(shape, fused) * b;
  if (sram == nullptr || activations <= 0) return 0;
  const double room = std::max(0.0, compute_chips * sram->capacity.value - weight_elements(shape) * b);
  return std::clamp(1 - room / activations, 0.0, 1.0);
}

} // namespace

Schedule model_lpu(const Shape& shape, const ModelOptions& opt, const HardwareSpec& spec) {
  const LpuChips chips = lpu_chips(shape, spec, opt.dtype, opt.fused);
  TilePolicy p;
  p.units = chips.compute;
  p.rate_scale = chips.compute;
  p.tile_rows = p.tile_cols = p.fused_tile_cols = lpu_tile;
  p.overhead_per_stage = spec.launch_overhead.value;

  Schedule s = empty_schedule(opt, spec, chips.compute);
  s.chips = chips.total;
  const MemoryLevel* link = spec.level(MemoryRole::link);
  const double b = dtype_bytes(opt.dtype);
  const double remote = 1 - static_cast<double>(chips.compute) / chips.total;
  const double kv_per_read = kv_cache_elements(shape) * b * remote;
  const double spill = activation_spill(shape, spec, opt.dtype, opt.fused, chips.compute);
  const Counts counts = count(shape);
  for (const StageWork& w : stage_work(shape, opt.fused)) {
    StageCost st = tiled_stage_cost(w, p, spec, opt.dtype);
    if (link != nullptr) {
      // K and V held on storage chips cross the links once per stage reading them.
      double link_bytes = 0;
      link_bytes += kv_per_read * w.kv_cache_share;
      // Activations handed between compute chips.
      link_bytes += w.outputs * b * (1 - 1.0 / chips.compute);
      // Activations (the scores too) held on storage chips, read and written there.
      double weights = 0;
      if (w.stage == Stage::projection) weights = static_cast<double>(counts.params.wqkv);
      if (w.stage == Stage::output) weights = static_cast<double>(counts.params.wo);
      link_bytes += (w.main_reads - weights - w.kv_reads + w.main_writes) * b * spill;
      for (LevelTraffic& t : st.traffic)
        if (t.role == MemoryRole::link) {
          t.bytes = link_bytes;
          t.bandwidth = link->bandwidth.value * chips.compute; // into the compute chips
        }
      finish_stage(st);
    }
    s.stages.push_back(st);
  }
  emit_all_events(s, p.units);
  finish_schedule(s, spec);
  return s;
}

} // namespace abh
