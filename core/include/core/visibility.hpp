#pragma once
// Which cells of S_h and A_h (n_kv × n_q: row = key, column = query) a query
// sees, as ranges of rows per column, for drawing the mask: the causal
// triangle, the sliding-window band, and a decode step's last queries alike.
// Cell by cell the ranges equal Shape::visible; a matrix drawn as block means
// gets them per block (display_grid), a block visible when any cell in it is.

#include <cstdint>
#include <vector>

#include "core/display_trace.hpp" // BlockGrid
#include "core/shape.hpp"

namespace abh {

// Rows [first, last] of one column are visible, both inclusive.
struct VisibleRows {
  std::int64_t first = 0, last = -1;
  bool contains(std::int64_t row) const { return row >= first && row <= last; }
  bool operator==(const VisibleRows&) const = default;
};

// Whether any cell of S is masked (causal, a window, or a decode step that
// does not see every key).
bool has_mask(const Shape& shape);

// One range per query column: the keys [first_key, last_key] it sees.
std::vector<VisibleRows> visible_keys(const Shape& shape);

// One range per block column of `grid` (grid.rows = n_kv, grid.cols = n_q):
// the block rows holding a key that some query of the block column sees.
// With 1 × 1 blocks, visible_keys.
std::vector<VisibleRows> visible_key_blocks(const Shape& shape, const BlockGrid& grid);

} // namespace abh
