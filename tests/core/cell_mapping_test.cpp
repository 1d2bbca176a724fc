// The other panel's cell: Wqkv and QKV rows follow the slicing (the mapped
// cell holds the same number), S and A match by (key, query), Z_h by its rows
// of the one head's Z_1, and a round trip returns to the cell it started at.

#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "core/cell_mapping.hpp"
#include "core/trace.hpp"
#include "test_support.hpp"

namespace abh {
namespace {

struct Pair {
  AttentionTrace single, multi;
};

Pair traces(const Shape& shape, WqkvLayout layout) {
  TraceOptions options;
  options.layout = layout;
  return {compute_trace(single_head_of(shape), options), compute_trace(shape, options)};
}

// Every cell of `m` maps to one cell holding the same value, and back.
void expect_same_numbers_both_ways(const AttentionTrace& from, const NamedMatrix& m,
                                   const AttentionTrace& to) {
  for (std::int64_t r = 0; r < m.values.rows(); ++r)
    for (std::int64_t c = 0; c < m.values.cols(); ++c) {
      const std::vector<MatrixCell> there = corresponding_cells(from, m, r, c, to);
      ASSERT_EQ(there.size(), 1u) << m.name << "[" << r << ", " << c << "]";
      const MatrixCell& cell = there[0];
      EXPECT_EQ(cell.matrix->name, m.name);
      EXPECT_EQ(cell.matrix->values(cell.row, cell.col), m.values(r, c)) << m.name << " row " << r;
      const std::vector<MatrixCell> back = corresponding_cells(to, *cell.matrix, cell.row, cell.col, from);
      ASSERT_EQ(back.size(), 1u);
      EXPECT_EQ(back[0], (MatrixCell{&m, r, c}));
    }
}

TEST(CellMapping, WqkvAndQkvRowsFollowTheSlicingInBothLayouts) {
  for (const WqkvLayout layout : {WqkvLayout::triples, WqkvLayout::blocks}) {
    SCOPED_TRACE(layout_key(layout));
    const Pair p = traces(test::make_shape(4, 6, 2, 3, 2), layout);
    for (const auto member : {&AttentionTrace::Wqkv, &AttentionTrace::QKV, &AttentionTrace::X,
                              &AttentionTrace::Wo})
      expect_same_numbers_both_ways(p.multi, p.multi.*member, p.single);
  }
}

TEST(CellMapping, TheSecondHeadsQueryRowIsTheOneHeadsRowDhOn) {
  const Pair p = traces(test::make_shape(4, 6, 2, 3, 2), WqkvLayout::triples);
  // Triples: q2 starts at row 9 of the H-heads Wqkv; in the one head q is
  // rows 0…5, so q2's first row is row 3 there.
  const std::vector<MatrixCell> cells = corresponding_cells(p.multi, p.multi.Wqkv, 9, 4, p.single);
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(cells[0], (MatrixCell{&p.single.Wqkv, 3, 4}));
  // k1's second row (row 4) is the one head's k row 1 (row 6 + 1).
  EXPECT_EQ(corresponding_cells(p.multi, p.multi.QKV, 4, 2, p.single),
            (std::vector<MatrixCell>{{&p.single.QKV, 7, 2}}));
}

TEST(CellMapping, SharedKvRowsBeyondTheKvHeadsHaveNoCounterpart) {
  const Pair p = traces(test::make_shape(3, 8, 4, 2, 1), WqkvLayout::blocks);
  // One head: q rows 0…7, k rows 8…15. H heads (one kv head): k rows 8, 9.
  expect_same_numbers_both_ways(p.multi, p.multi.Wqkv, p.single);
  EXPECT_EQ(corresponding_cells(p.single, p.single.Wqkv, 9, 0, p.multi),
            (std::vector<MatrixCell>{{&p.multi.Wqkv, 9, 0}}));
  EXPECT_TRUE(corresponding_cells(p.single, p.single.Wqkv, 10, 0, p.multi).empty());
  EXPECT_TRUE(corresponding_cells(p.single, p.single.QKV, 23, 0, p.multi).empty());
}

TEST(CellMapping, ScoresMatchByKeyAndQueryInEveryHead) {
  const Pair p = traces(test::make_shape(5, 6, 3, 2, 3), WqkvLayout::triples);
  EXPECT_EQ(corresponding_cells(p.multi, p.multi.heads[1].S, 4, 2, p.single),
            (std::vector<MatrixCell>{{&p.single.heads[0].S, 4, 2}}));
  EXPECT_EQ(corresponding_cells(p.multi, p.multi.heads[2].A, 0, 3, p.single),
            (std::vector<MatrixCell>{{&p.single.heads[0].A, 0, 3}}));
  EXPECT_EQ(corresponding_cells(p.single, p.single.heads[0].A, 1, 4, p.multi),
            (std::vector<MatrixCell>{{&p.multi.heads[0].A, 1, 4},
                                     {&p.multi.heads[1].A, 1, 4},
                                     {&p.multi.heads[2].A, 1, 4}}));
  // The same trace on both sides: the same head only.
  EXPECT_EQ(corresponding_cells(p.multi, p.multi.heads[1].S, 0, 0, p.multi),
            (std::vector<MatrixCell>{{&p.multi.heads[1].S, 0, 0}}));
}

TEST(CellMapping, HeadOutputsAreRowsOfTheOneHeadsOutput) {
  const Pair p = traces(test::make_shape(4, 6, 3, 2, 3), WqkvLayout::triples);
  EXPECT_EQ(corresponding_cells(p.multi, p.multi.heads[2].Z, 1, 3, p.single),
            (std::vector<MatrixCell>{{&p.single.heads[0].Z, 5, 3}}));
  EXPECT_EQ(corresponding_cells(p.single, p.single.heads[0].Z, 2, 0, p.multi),
            (std::vector<MatrixCell>{{&p.multi.heads[1].Z, 0, 0}}));
  EXPECT_EQ(corresponding_cells(p.multi, p.multi.O, 5, 1, p.single),
            (std::vector<MatrixCell>{{&p.single.O, 5, 1}}));
  EXPECT_EQ(corresponding_cells(p.single, p.single.Z, 3, 2, p.multi),
            (std::vector<MatrixCell>{{&p.multi.Z, 3, 2}}));
}

TEST(CellMapping, ACellOutsideItsMatrixMapsToNothing) {
  const Pair p = traces(test::make_shape(4, 6, 2, 3, 2), WqkvLayout::triples);
  EXPECT_TRUE(corresponding_cells(p.multi, p.multi.Wqkv, 18, 0, p.single).empty());
  EXPECT_TRUE(corresponding_cells(p.multi, p.multi.heads[0].S, 0, -1, p.single).empty());
  EXPECT_TRUE(corresponding_cells(p.multi, p.multi.O, 0, 4, p.single).empty());
}

} // namespace
} // namespace abh
