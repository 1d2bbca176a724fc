// layout_pipeline over a sweep of shapes: no two matrices of a panel overlap,
// in cells or in the fixed title gaps between grid rows and columns, so they
// cannot overlap at any zoom. Needs no window.

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "app/session/trace_snapshot.hpp"
#include "app/ui/pipeline_layout.hpp"
#include "tests/support/shapes.hpp"

namespace abh {
namespace {

struct Box {
  float x0, y0, x1, y1;
  int col, row;
};

Box box_of(const PlacedMatrix& p) {
  const Eigen::MatrixXf& v = p.display->source->values;
  return {p.x, p.y, p.x + static_cast<float>(v.cols()), p.y + static_cast<float>(v.rows()),
          p.grid_col, p.grid_row};
}

// Two matrices are apart when one lies wholly left of, or wholly above, the
// other, both in cells and in grid gaps (so the gaps only add space).
bool apart(const Box& a, const Box& b) {
  const bool left = a.x1 <= b.x0 && a.col < b.col, right = b.x1 <= a.x0 && b.col < a.col;
  const bool above = a.y1 <= b.y0 && a.row < b.row, below = b.y1 <= a.y0 && b.row < a.row;
  return left || right || above || below;
}

TEST(PipelineLayout, NoTwoMatricesOverlapOverASweepOfShapes) {
  int checked = 0;
  for (std::int64_t n : {1, 2, 4, 8, 16, 40})
    for (std::int64_t heads : {1, 2, 3, 4, 6})
      for (std::int64_t head_dim : {1, 3, 12, 50})
        for (bool causal : {false, true})
          for (std::int64_t queries : {std::int64_t{0}, std::int64_t{1}}) { // prefill, decode
          Shape shape = test::make_shape(n, 7, heads, head_dim, heads, causal);
          shape.queries = queries;
          const auto snapshot = build_snapshot({shape, TraceOptions{}}, default_trace_budget, nullptr, nullptr);
          ASSERT_TRUE(snapshot->multi) << snapshot->hidden_reason;
          for (const AttentionTrace* t : {snapshot->single.get(), snapshot->multi.get()})
            for (int per_row : {1, 2, 3}) {
              const PipelineLayout layout = layout_pipeline(*snapshot, *t, per_row);
              for (std::size_t i = 0; i < layout.matrices.size(); ++i)
                for (std::size_t j = i + 1; j < layout.matrices.size(); ++j) {
                  const Box a = box_of(layout.matrices[i]), b = box_of(layout.matrices[j]);
                  EXPECT_TRUE(apart(a, b))
                      << layout.matrices[i].title << " and " << layout.matrices[j].title
                      << " overlap at " << describe(t->shape) << ", " << per_row << " heads a row";
                  ++checked;
                }
              // The extent holds every matrix.
              for (const PlacedMatrix& p : layout.matrices) {
                EXPECT_LE(box_of(p).x1, layout.width + 1e-3f) << p.title;
                EXPECT_LE(box_of(p).y1, layout.height + 1e-3f) << p.title;
              }
            }
        }
  EXPECT_GT(checked, 1000);
}

// A decode step's S_h, A_h and Z_h are one query wide, and the heads sit
// that close: the panel is no wider than the projection row needs.
TEST(PipelineLayout, ADecodeStepsHeadsAreAsNarrowAsTheirOneQuery) {
  Shape shape = test::make_shape(16, 12, 2, 12, 2, true);
  shape.queries = 1;
  const auto snapshot = build_snapshot({shape, TraceOptions{}}, default_trace_budget, nullptr, nullptr);
  ASSERT_TRUE(snapshot->multi) << snapshot->hidden_reason;
  const PipelineLayout layout = layout_pipeline(*snapshot, *snapshot->multi, 2);
  int per_head = 0;
  float right = 0;
  for (const PlacedMatrix& p : layout.matrices)
    if (p.name.rfind("S_", 0) == 0 || p.name.rfind("A_", 0) == 0 || p.name.rfind("Z_", 0) == 0) {
      EXPECT_EQ(box_of(p).x1 - box_of(p).x0, 1.0f) << p.title;
      right = std::max(right, box_of(p).x1);
      ++per_head;
    }
  EXPECT_EQ(per_head, 6);
  // Both heads side by side take less room than one prefill head's three
  // n-wide matrices (48 cells).
  EXPECT_LT(right, 3.0f * 16);
}

} // namespace
} // namespace abh
