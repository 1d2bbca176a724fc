#include "core/hardware/tiling.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "core/checked_int.hpp"

namespace abh {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
  if (b <= 0) return 0;
  return a / b + (a % b > 0 ? 1 : 0);
}

std::int64_t whole_figure(double value, std::int64_t lo, std::int64_t hi, std::string_view what) {
  const double r = std::round(value);
  if (!std::isfinite(r) || r < static_cast<double>(lo) || r > static_cast<double>(hi))
    throw std::invalid_argument(std::string(what) + " must be between " + std::to_string(lo) +
                                " and " + std::to_string(hi) + ", got " + std::to_string(value));
  return static_cast<std::int64_t>(r);
}

std::int64_t waves(std::int64_t tiles, std::int64_t units) { return ceil_div(tiles, units); }

std::int64_t TileGrid::row_tiles() const { return ceil_div(rows, tile_rows); }
std::int64_t TileGrid::col_tiles() const { return ceil_div(cols, tile_cols); }
namespace {

// Tiles in rows 0 … r−1 of a triangular grid: r(r+1)/2, checked.
std::int64_t triangle(std::int64_t r) {
  const std::int64_t next = checked_add(r, 1);
  return r % 2 == 0 ? checked_mul(r / 2, next) : checked_mul(r, next / 2);
}

} // namespace

std::int64_t TileGrid::per_batch() const {
  const std::int64_t r = row_tiles(), c = col_tiles();
  return triangular ? triangle(r) : checked_mul(r, c);
}

TilePosition tile_position(const TileGrid& g, std::int64_t index) {
  const std::int64_t per = std::max<std::int64_t>(1, g.per_batch());
  TilePosition p;
  p.batch = index / per;
  const std::int64_t in_batch = index % per;
  if (!g.triangular) {
    const std::int64_t cols = std::max<std::int64_t>(1, g.col_tiles());
    p.row = in_batch / cols;
    p.col = in_batch % cols;
    return p;
  }
  // The row r with r(r+1)/2 ≤ in_batch < (r+1)(r+2)/2: a square-root
  // estimate, corrected for rounding.
  auto r = static_cast<std::int64_t>((std::sqrt(8.0 * static_cast<double>(in_batch) + 1) - 1) / 2);
  while (r > 0 && triangle(r) > in_batch) --r;
  while (triangle(r + 1) <= in_batch) ++r;
  p.row = r;
  p.col = in_batch - triangle(r);
  return p;
}

std::int64_t tile_index(const TileGrid& g, const TilePosition& p) {
  const std::int64_t in_batch =
      g.triangular ? checked_add(triangle(p.row), p.col) : checked_add(checked_mul(p.row, g.col_tiles()), p.col);
  return checked_add(checked_mul(p.batch, g.per_batch()), in_batch);
}
std::int64_t TileGrid::tiles() const { return checked_mul(batch, per_batch()); }

TileGrid tile_grid(const StageWork& w, std::int64_t max_rows, std::int64_t max_cols) {
  TileGrid g;
  g.batch = w.batch, g.rows = w.rows, g.cols = w.cols, g.triangular = w.triangular;
  g.tile_rows = std::max<std::int64_t>(1, std::min(max_rows, w.rows));
  g.tile_cols = std::max<std::int64_t>(1, std::min(max_cols, w.cols));
  if (g.triangular) g.tile_cols = g.tile_rows = std::min(g.tile_rows, g.tile_cols);
  return g;
}

UnitRates unit_rates(const HardwareSpec& spec, Dtype dtype, double units) {
  return {spec.peak(dtype) * spec.matrix_efficiency.value / units,
          spec.vector_flops.value * spec.vector_efficiency.value / units,
          spec.special_ops.value * spec.vector_efficiency.value / units};
}

double tile_seconds(const StageWork& w, const TileGrid& g, const UnitRates& r) {
  if (w.outputs <= 0) return 0;
  const double area = static_cast<double>(g.tile_rows) * static_cast<double>(g.tile_cols);
  double s = 0;
  if (w.matrix_flops > 0) s += area * (w.matrix_flops / w.outputs) / r.matrix;
  if (w.vector_ops > 0) s += area * (w.vector_ops / w.outputs) / r.vector;
  if (w.special_ops > 0) s += area * (w.special_ops / w.outputs) / r.special;
  return s;
}

StageCost tiled_stage(const StageWork& w, const TileGrid& g, std::int64_t units,
                      const UnitRates& r) {
  StageCost st;
  st.stage = w.stage;
  st.flops = w.flops;
  st.grid = g;
  st.waves = waves(g.tiles(), units);
  st.compute_seconds = static_cast<double>(st.waves) * tile_seconds(w, g, r);
  return st;
}

void add_tiled_traffic(StageCost& st, const StageWork& w, const HardwareSpec& spec,
                       double bytes_per_element, double concurrent) {
  const double tiles = static_cast<double>(st.grid.tiles());
  const double tile_reads = w.tiled_reads(st.grid.tile_rows, st.grid.tile_cols, tiles);
  const double on_chip = (tile_reads + w.outputs) * bytes_per_element;
  const double compulsory = (w.main_reads + w.main_writes) * bytes_per_element;
  const MemoryLevel* shared = spec.level(MemoryRole::shared);
  const double capacity = shared ? shared->capacity.value : 0;
  const bool fits = w.working_set * concurrent * bytes_per_element <= capacity;
  const double main = fits ? compulsory : std::max(compulsory, on_chip);
  st.traffic.clear();
  for (const MemoryLevel& m : spec.memory) {
    double bytes = 0;
    switch (m.role) {
    case MemoryRole::unit:
    case MemoryRole::shared: bytes = std::max(on_chip, compulsory); break;
    case MemoryRole::main: bytes = main; break;
    case MemoryRole::link: bytes = 0; break;
    }
    st.traffic.push_back({m.name, m.role, bytes, m.bandwidth.value, 0});
  }
  st.bytes = main;
}

} // namespace abh
