#include "core/visibility.hpp"

#include <algorithm>

namespace abh {

bool has_mask(const Shape& shape) {
  // first_key and last_key never decrease from one query to the next: every
  // column sees every key exactly when the last column sees key 0 and the
  // first column sees key n − 1.
  return shape.first_key(shape.query_count() - 1) > 0 || shape.last_key(0) < shape.seq - 1;
}

std::vector<VisibleRows> visible_keys(const Shape& shape) {
  return visible_key_blocks(shape, BlockGrid{shape.seq, shape.query_count(), 1, 1});
}

std::vector<VisibleRows> visible_key_blocks(const Shape& shape, const BlockGrid& grid) {
  std::vector<VisibleRows> out;
  const std::int64_t columns = grid.grid_cols();
  out.reserve(static_cast<std::size_t>(columns));
  for (std::int64_t b = 0; b < columns; ++b) {
    // first_key and last_key never decrease from one query to the next, and
    // each query sees at least itself, so the keys a block column's queries
    // see together run from its first query's first key to its last query's
    // last key without a gap.
    const std::int64_t c0 = b * grid.block_cols;
    const std::int64_t c1 = std::min(grid.cols, c0 + grid.block_cols) - 1;
    out.push_back({shape.first_key(c0) / grid.block_rows, shape.last_key(c1) / grid.block_rows});
  }
  return out;
}

} // namespace abh
