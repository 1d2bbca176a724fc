// The display path (no window): a matrix larger than display_max_side per side
// is drawn as block means of the full matrix; at most max_heads_drawn heads
// get display matrices.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "app/session/trace_snapshot.hpp"
#include "tests/support/shapes.hpp"

namespace abh {
namespace {

NamedMatrix numbered(Eigen::Index rows, Eigen::Index cols) {
  NamedMatrix m{"M", Eigen::MatrixXf(rows, cols)};
  // Smooth and varied, so a block mean taken over the wrong cells is off.
  for (Eigen::Index c = 0; c < cols; ++c)
    for (Eigen::Index r = 0; r < rows; ++r)
      m.values(r, c) = static_cast<float>(std::sin(0.013 * static_cast<double>(r)) +
                                          std::cos(0.029 * static_cast<double>(c)) +
                                          0.001 * static_cast<double>((r * 7 + c * 3) % 11));
  return m;
}

// Factor for `side` cells: the smallest whole number of cells per block
// that leaves at most display_max_side blocks.
Eigen::Index factor_for(Eigen::Index side) {
  Eigen::Index f = 1;
  while ((side + f - 1) / f > display_max_side) ++f;
  return f;
}

// Mean of the cells of block (i, j), in double, straight from the definition.
double block_mean(const Eigen::MatrixXf& m, Eigen::Index i, Eigen::Index j, Eigen::Index fr,
                  Eigen::Index fc) {
  double sum = 0;
  int cells = 0;
  for (Eigen::Index r = i * fr; r < std::min(m.rows(), (i + 1) * fr); ++r)
    for (Eigen::Index c = j * fc; c < std::min(m.cols(), (j + 1) * fc); ++c) {
      sum += static_cast<double>(m(r, c));
      ++cells;
    }
  return sum / cells;
}

// Sides that are not multiples of the factor, so the last block row or
// column is partial; and one side that needs no reduction.
TEST(DisplayMatrix, BlockMeansOfTheFullMatrix) {
  const std::pair<Eigen::Index, Eigen::Index> sizes[] = {
      {1030, 700}, {513, 5}, {3, 1500}, {1537, 1025}, {2000, 513}};
  for (const auto& [rows, cols] : sizes) {
    SCOPED_TRACE(std::to_string(rows) + "×" + std::to_string(cols));
    const NamedMatrix m = numbered(rows, cols);
    const DisplayMatrix d = make_display_matrix(m, Colormap::diverging);
    ASSERT_TRUE(d.reduced());
    EXPECT_EQ(d.source, &m);
    const Eigen::Index fr = factor_for(rows), fc = factor_for(cols);
    ASSERT_EQ(d.drawn().rows(), (rows + fr - 1) / fr);
    ASSERT_EQ(d.drawn().cols(), (cols + fc - 1) / fc);
    EXPECT_LE(d.drawn().rows(), display_max_side);
    EXPECT_LE(d.drawn().cols(), display_max_side);
    for (Eigen::Index j = 0; j < d.drawn().cols(); ++j)
      for (Eigen::Index i = 0; i < d.drawn().rows(); ++i) {
        const double expected = block_mean(m.values, i, j, fr, fc);
        ASSERT_NEAR(d.drawn()(i, j), expected, 1e-5 * (1 + std::fabs(expected)))
            << "block (" << i << ", " << j << ")";
      }
  }
}

TEST(DisplayMatrix, SmallMatricesAreDrawnAsTheyAre) {
  for (const auto& [rows, cols] : {std::pair<Eigen::Index, Eigen::Index>{512, 512}, {1, 1}, {40, 108}}) {
    const NamedMatrix m = numbered(rows, cols);
    const DisplayMatrix d = make_display_matrix(m, Colormap::diverging);
    EXPECT_FALSE(d.reduced());
    EXPECT_EQ(&d.drawn(), &m.values);
  }
}

// Every head up to the cap has display matrices for S, A and Z, and none
// beyond it; the whole-model matrices of both traces always have one.
TEST(DisplayMatrix, HeadsBeyondTheCapHaveNoDisplayMatrix) {
  ComputeKey key;
  key.shape = test::make_shape(3, 5, max_heads_drawn + 4, 1, 4);
  const auto s = build_snapshot(key, default_trace_budget, nullptr, nullptr);
  ASSERT_TRUE(s->hidden_reason.empty()) << s->hidden_reason;
  ASSERT_NE(s->multi, nullptr);
  ASSERT_NE(s->single, nullptr);
  ASSERT_EQ(static_cast<std::int64_t>(s->multi->heads.size()), max_heads_drawn + 4);
  for (const HeadTrace& h : s->multi->heads) {
    SCOPED_TRACE("head " + std::to_string(h.head));
    const bool drawn = h.head < max_heads_drawn;
    EXPECT_EQ(s->find(h.S) != nullptr, drawn);
    EXPECT_EQ(s->find(h.A) != nullptr, drawn);
    EXPECT_EQ(s->find(h.Z) != nullptr, drawn);
  }
  for (const AttentionTrace* t : {s->multi.get(), s->single.get()}) {
    for (const NamedMatrix* m : {&t->X, &t->Wqkv, &t->QKV, &t->Z, &t->Wo, &t->O})
      EXPECT_NE(s->find(*m), nullptr) << m->name;
  }
  const HeadTrace& single_head = s->single->heads.at(0);
  EXPECT_NE(s->find(single_head.S), nullptr);
  // A is drawn on the probability colormap, the rest on the signed one.
  EXPECT_EQ(s->find(s->multi->heads[0].A)->map, Colormap::sequential);
  EXPECT_EQ(s->find(s->multi->heads[0].S)->map, Colormap::diverging);
}

// A streamed snapshot draws what a full trace of the same choice would:
// the same block means and colour ranges, and hover reads the same cells.
TEST(DisplayMatrix, StreamedSnapshotDrawsWhatTheFullTraceWould) {
  ComputeKey key;
  key.shape = test::make_shape(600, 16, 3, 4, 3, true);
  key.trace.values = ValueMode::gaussian;
  ASSERT_TRUE(streamed_shape(key.shape));
  const auto s = build_snapshot(key, default_trace_budget, nullptr, nullptr);
  ASSERT_TRUE(s->hidden_reason.empty()) << s->hidden_reason;
  ASSERT_NE(s->multi_streamed, nullptr);
  const AttentionTrace full = compute_trace(key.shape, key.trace);
  for (std::size_t h = 0; h < full.heads.size(); ++h) {
    const std::pair<const NamedMatrix*, const NamedMatrix*> pairs[] = {
        {&full.heads[h].S, &s->multi->heads[h].S}, {&full.heads[h].A, &s->multi->heads[h].A}};
    for (const auto& [f, m] : pairs) {
      SCOPED_TRACE(f->name);
      const DisplayMatrix want = make_display_matrix(*f, m == &s->multi->heads[h].A ? Colormap::sequential
                                                                                   : Colormap::diverging);
      const DisplayMatrix* got = s->find(*m);
      ASSERT_NE(got, nullptr);
      EXPECT_EQ(got->rows, 600);
      EXPECT_EQ(got->cols, 600);
      EXPECT_FALSE(got->stored());
      ASSERT_TRUE(got->reduced());
      EXPECT_TRUE(got->drawn().isApprox(want.drawn(), 1e-5f));
      EXPECT_NEAR(got->lo, want.lo, 1e-4f * (1 + std::fabs(want.lo)));
      EXPECT_NEAR(got->hi, want.hi, 1e-4f * (1 + std::fabs(want.hi)));
      for (std::int64_t r : {0, 7, 599})
        for (std::int64_t c : {0, 300, 599})
          EXPECT_NEAR(cell_value(*got, r, c), f->values(r, c), 1e-5f * (1 + std::fabs(f->values(r, c))));
    }
  }
}

// Every shape up to n 16384 at GPT-2 width, and the README's benchmark
// shape, fits the default budget with both panels' matrices.
TEST(DisplayMatrix, LargeShapesFitTheDefaultBudget) {
  for (const Shape& shape : {test::make_shape(16384, 768, 12, 64, 12), test::make_shape(4096, 1024, 16, 64, 16),
                             test::make_shape(16384, 1024, 16, 64, 16)}) {
    ComputeKey key;
    key.shape = shape;
    EXPECT_LE(snapshot_bytes(key), default_trace_budget) << describe(shape);
  }
}

} // namespace
} // namespace abh
