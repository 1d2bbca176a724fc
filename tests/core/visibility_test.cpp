// The mask the slicing panels draw: per query column, the keys it sees, for
// causal, sliding windows (causal and centred) and decode steps, cell by
// cell against Shape::visible, and per block of a reduced drawing.

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/visibility.hpp"
#include "tests/support/shapes.hpp"

namespace abh {
namespace {

using test::make_shape;

// Every combination of mask that matters on a few lengths: causal or not,
// no window, a window shorter and longer than half the keys, prefill, a few
// queries and a decode step.
std::vector<Shape> masked_shapes() {
  std::vector<Shape> out;
  for (std::int64_t n : {1, 2, 7, 16, 33})
    for (bool causal : {false, true})
      for (std::int64_t w : {0, 1, 3, 8})
        for (std::int64_t nq : {0, 1, 3}) {
          if (w > n || nq > n) continue;
          Shape s = make_shape(n, 6, 2, 3, 2, causal);
          s.window = w;
          s.queries = nq;
          out.push_back(s);
        }
  return out;
}

TEST(Visibility, EachColumnsRangeIsExactlyTheKeysShapeVisibleAccepts) {
  for (const Shape& s : masked_shapes()) {
    const std::vector<VisibleRows> ranges = visible_keys(s);
    ASSERT_EQ(static_cast<std::int64_t>(ranges.size()), s.query_count()) << describe(s);
    std::int64_t pairs = 0;
    for (std::int64_t q = 0; q < s.query_count(); ++q)
      for (std::int64_t k = 0; k < s.seq; ++k) {
        EXPECT_EQ(ranges[static_cast<std::size_t>(q)].contains(k), s.visible(k, q))
            << describe(s) << " key " << k << " query " << q;
        pairs += s.visible(k, q) ? 1 : 0;
      }
    EXPECT_EQ(pairs, s.scored_pairs()) << describe(s);
  }
}

TEST(Visibility, KnownRangesOfAWindowAndADecodeStep) {
  Shape window = make_shape(8, 6, 2, 3, 2, true);
  window.window = 3;
  const std::vector<VisibleRows> w = visible_keys(window);
  EXPECT_EQ(w[0], (VisibleRows{0, 0}));
  EXPECT_EQ(w[1], (VisibleRows{0, 1}));
  EXPECT_EQ(w[5], (VisibleRows{3, 5})) << "the 3 most recent keys";
  Shape decode = window;
  decode.queries = 1;
  EXPECT_EQ(visible_keys(decode), (std::vector<VisibleRows>{{5, 7}})) << "the last position's window";
  Shape centred = make_shape(8, 6, 2, 3, 2);
  centred.window = 3;
  EXPECT_EQ(visible_keys(centred)[4], (VisibleRows{3, 5})) << "one key either side";
}

TEST(Visibility, HasMaskExactlyWhenSomeCellIsHidden) {
  for (const Shape& s : masked_shapes()) {
    bool hidden = false;
    for (std::int64_t q = 0; q < s.query_count(); ++q)
      for (std::int64_t k = 0; k < s.seq; ++k) hidden = hidden || !s.visible(k, q);
    EXPECT_EQ(has_mask(s), hidden) << describe(s);
  }
}

TEST(Visibility, ABlockIsVisibleExactlyWhenOneOfItsCellsIs) {
  for (const Shape& s : masked_shapes())
    for (std::int64_t max_side : {1, 2, 3, 5, 512}) {
      const BlockGrid grid = display_grid(s.seq, s.query_count(), max_side);
      const std::vector<VisibleRows> blocks = visible_key_blocks(s, grid);
      ASSERT_EQ(static_cast<std::int64_t>(blocks.size()), grid.grid_cols());
      for (std::int64_t bc = 0; bc < grid.grid_cols(); ++bc)
        for (std::int64_t br = 0; br < grid.grid_rows(); ++br) {
          bool any = false;
          for (std::int64_t k = br * grid.block_rows; k < std::min(s.seq, (br + 1) * grid.block_rows); ++k)
            for (std::int64_t q = bc * grid.block_cols;
                 q < std::min(s.query_count(), (bc + 1) * grid.block_cols); ++q)
              any = any || s.visible(k, q);
          EXPECT_EQ(blocks[static_cast<std::size_t>(bc)].contains(br), any)
              << describe(s) << " max_side " << max_side << " block " << br << "," << bc;
        }
    }
}

} // namespace
} // namespace abh
