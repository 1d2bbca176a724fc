#pragma once
// Output tiles dispatched over parallel units in waves, and the bytes those
// tiles move: the structure CPU cores, GPU SMs, NPU engines and LPU chips
// share (the TPU's systolic folds are in systolic.hpp).

#include <cstdint>
#include <string_view>

#include "core/hardware/schedule.hpp"
#include "core/hardware/stage_work.hpp"

namespace abh {

// ceil(a / b) for a ≥ 0, without overflow; 0 when b ≤ 0.
std::int64_t ceil_div(std::int64_t a, std::int64_t b);

// A spec figure as a whole number for the models' integer arithmetic:
// rounded, or std::invalid_argument naming `what` when it is not finite or
// lies outside [lo, hi].
std::int64_t whole_figure(double value, std::int64_t lo, std::int64_t hi, std::string_view what);

// Where tile `index` of a grid sits, by the one numbering rule of
// ScheduleEvent (schedule.hpp): index = batch·per_batch + position in the
// batch entry; rectangular grids row-major (row·col_tiles + col),
// triangular grids the tiles on or below the diagonal row by row.
struct TilePosition {
  std::int64_t batch = 0, row = 0, col = 0;
  bool operator==(const TilePosition&) const = default;
};
TilePosition tile_position(const TileGrid& grid, std::int64_t index);
std::int64_t tile_index(const TileGrid& grid, const TilePosition& position); // the inverse

// Rounds of `tiles` over `units`: ceil(tiles / units) (wave quantisation).
std::int64_t waves(std::int64_t tiles, std::int64_t units);

// The grid of a stage cut into tiles of at most max_rows × max_cols
// (a matrix smaller than a tile is one tile of its own size).
TileGrid tile_grid(const StageWork& work, std::int64_t max_rows, std::int64_t max_cols);

// Rates of one unit, already multiplied by the efficiencies.
struct UnitRates {
  double matrix = 0;  // FLOP/s on the matrix unit at the datatype
  double vector = 0;  // element-wise ops/s
  double special = 0; // exp/s
};
UnitRates unit_rates(const HardwareSpec& spec, Dtype dtype, double units);

// Seconds one unit needs for one tile of the grid (work per output element ×
// tile area: edge tiles cost a full tile, as padded hardware tiles do).
double tile_seconds(const StageWork& work, const TileGrid& grid, const UnitRates& rates);

// compute_seconds = waves × tile_seconds, grid and waves set; flops from work.
StageCost tiled_stage(const StageWork& work, const TileGrid& grid, std::int64_t units,
                      const UnitRates& rates);

// Adds the bytes of each memory level of spec: tiles read their operands from
// the shared level (through the unit level), outputs are written back; main
// memory sees each operand once when `concurrent` batch entries' working sets
// fit the shared level, else every tile's reads. stage.bytes = main bytes.
void add_tiled_traffic(StageCost& stage, const StageWork& work, const HardwareSpec& spec,
                       double element_bytes, double concurrent);

} // namespace abh
