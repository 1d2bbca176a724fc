#pragma once
// What a hardware model produces: per-stage cost (the numbers beside the
// panel) and timed events (the animation replays them). Values, no pixels.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/hardware/hardware_spec.hpp"
#include "core/program.hpp"

namespace abh {

struct ModelOptions {
  Dtype dtype = Dtype::fp32;
  bool fused = false; // fused attention keeps S and A on chip
  bool graph = false; // operators replayed as a captured graph (launch_overhead), not eager (framework_overhead)
  bool operator==(const ModelOptions&) const = default;
};

enum class Bound { compute, memory, overhead };
std::string_view bound_key(Bound bound); // "compute"

// Bytes that crossed one memory level during a stage.
struct LevelTraffic {
  std::string level;   // MemoryLevel::name
  MemoryRole role = MemoryRole::main;
  double bytes = 0;
  double bandwidth = 0; // bytes/s used for the time
  double seconds = 0;   // bytes / bandwidth
};

// The output grid a stage is tiled over: batch × rows × cols, in tiles of
// tile_rows × tile_cols (triangular: only tiles on or below the diagonal).
struct TileGrid {
  std::int64_t batch = 1, rows = 0, cols = 0;
  std::int64_t tile_rows = 1, tile_cols = 1;
  bool triangular = false;
  std::int64_t row_tiles() const;
  std::int64_t col_tiles() const;
  std::int64_t per_batch() const; // tiles in one batch entry
  std::int64_t tiles() const;     // all tiles
};

struct StageCost {
  Stage stage = Stage::projection; // Stage::attention when fused
  double flops = 0;            // multiplies + adds + exps + divides, from abh::count
  double bytes = 0;            // bytes through the outermost memory (main; LPU: SRAM)
  std::vector<LevelTraffic> traffic; // every level, innermost first
  double compute_seconds = 0;  // structural: waves, folds…
  double memory_seconds = 0;   // slowest level
  double overhead_seconds = 0; // launches, dispatch
  double seconds = 0;          // max(compute, memory) + overhead
  Bound bound = Bound::compute;
  TileGrid grid;               // what the events' tile indices refer to
  std::int64_t waves = 0;      // rounds of the grid's tiles over the units (what events replay)
  bool vector_unit = false;    // element-wise stage on vector/special-function units
  std::string formula;         // "max(C, M) + L" with values, for hover text
  std::string kernel;          // which kernel ran, when the model tells them apart ("flash", "fallback: …")
  double joules = 0;           // energy of the stage (stage_joules), 0 without a power figure
};

enum class EventKind { compute, transfer, overhead };

// One thing happening: units [unit, unit+unit_count) compute tiles
// [tile, tile+tile_count) of a stage's grid (tile_position in tiling.hpp
// decodes an index), or bytes move from one memory to another.
struct ScheduleEvent {
  EventKind kind = EventKind::compute;
  int stage = 0;                 // index into Schedule::stages
  double start = 0, end = 0;     // seconds from the start of the run
  int unit = 0, unit_count = 1;  // compute: which units
  std::int64_t tile = 0, tile_count = 0;
  int from_level = -1, to_level = -1; // transfer: indices into spec.memory (-1: the units)
  double bytes = 0;
  bool vector_unit = false;      // compute on the vector unit, not the matrix unit
};

struct Schedule {
  ArchKind kind = ArchKind::cpu;
  std::string chip;
  int chips = 1;               // chips needed (LPU: to hold weights and KV cache)
  int units = 1;               // units drawn per chip
  std::string unit_name;
  Dtype dtype = Dtype::fp32;
  bool fused = false;
  std::vector<std::string> memory_levels; // spec.memory names, innermost first
  std::vector<StageCost> stages;
  std::vector<ScheduleEvent> events;  // sorted by start; bounded (max_events)
  double total_seconds = 0;
  double total_flops = 0;
  std::optional<double> energy_joules; // Σ stage joules × chips (power follows the bound)
  double achieved_flops() const { return total_seconds > 0 ? total_flops / total_seconds : 0; }
  double utilisation = 0;      // achieved / (peak at dtype × chips)
};

inline constexpr std::size_t max_events = 4096;

} // namespace abh
