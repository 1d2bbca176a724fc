// The streamed display trace against the full trace: block means and maxima
// of S and A, the matrices linear in n, exact cells on demand, the memory it
// holds, cancellation.

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <set>

#include <gtest/gtest.h>

#include "core/display_trace.hpp"
#include "tests/support/shapes.hpp"

namespace abh {
namespace {

using test::make_shape;
using test::shape_text;

struct Case {
  Shape shape;
  ValueMode values;
  std::int64_t max_side;
};

// Small shapes with blocks that divide n and blocks that do not, causal and
// not, shared kv heads, every value mode that fits.
std::vector<Case> cases() {
  return {
      {make_shape(40, 36, 3, 12, 3), ValueMode::by_hand, 8},
      {make_shape(40, 36, 3, 12, 3, true), ValueMode::gaussian, 8},
      {make_shape(41, 12, 4, 3, 2, true), ValueMode::small_integers, 6},
      {make_shape(300, 24, 2, 12, 1), ValueMode::gaussian, 64},
      {make_shape(300, 24, 2, 12, 2, true), ValueMode::by_hand, 7},
      {make_shape(9, 6, 2, 3, 2), ValueMode::by_hand, 512}, // not reduced at all
  };
}

// Block means and maxima of a full matrix in double, by plain loops.
void expect_reduction_of(const ReducedMatrix& r, const Eigen::MatrixXf& full, const std::string& what) {
  const BlockGrid& g = r.grid;
  ASSERT_EQ(g.rows, full.rows()) << what;
  ASSERT_EQ(g.cols, full.cols()) << what;
  ASSERT_EQ(r.means.rows(), g.grid_rows()) << what;
  ASSERT_EQ(r.means.cols(), g.grid_cols()) << what;
  const double scale = std::max(1.0f, full.cwiseAbs().maxCoeff());
  for (std::int64_t gr = 0; gr < g.grid_rows(); ++gr)
    for (std::int64_t gc = 0; gc < g.grid_cols(); ++gc) {
      double sum = 0, top = -INFINITY;
      std::int64_t cells = 0;
      for (std::int64_t row = gr * g.block_rows; row < std::min(g.rows, (gr + 1) * g.block_rows); ++row)
        for (std::int64_t col = gc * g.block_cols; col < std::min(g.cols, (gc + 1) * g.block_cols); ++col) {
          sum += full(row, col);
          top = std::max<double>(top, full(row, col));
          ++cells;
        }
      EXPECT_NEAR(r.means(gr, gc), sum / static_cast<double>(cells), 2e-6 * scale)
          << what << " block " << gr << "," << gc;
      EXPECT_NEAR(r.maxima(gr, gc), top, 2e-6 * scale) << what << " block " << gr << "," << gc;
    }
  EXPECT_NEAR(r.max, full.maxCoeff(), 2e-6 * scale) << what;
  EXPECT_NEAR(r.max_abs, full.cwiseAbs().maxCoeff(), 2e-6 * scale) << what;
  EXPECT_NEAR(r.rms(), std::sqrt(full.squaredNorm() / static_cast<double>(full.size())), 1e-5 * scale)
      << what;
}

TEST(DisplayTrace, ReducedMatricesAreBlockMeansAndMaximaOfTheFullTrace) {
  for (const Case& c : cases()) {
    SCOPED_TRACE(shape_text(c.shape));
    const TraceOptions options{c.values, 3, WqkvLayout::triples};
    const Inputs inputs = make_inputs(c.shape, options.values, options.seed);
    AttentionTrace full;
    compute_trace(full, c.shape, options, inputs);
    DisplayTrace shown;
    compute_display_trace(shown, c.shape, options, inputs, c.max_side);
    ASSERT_EQ(shown.heads.size(), full.heads.size());
    for (std::size_t h = 0; h < full.heads.size(); ++h) {
      EXPECT_EQ(shown.heads[h].S.title(), full.heads[h].S.title());
      EXPECT_EQ(shown.heads[h].A.name, full.heads[h].A.name);
      expect_reduction_of(shown.heads[h].S, full.heads[h].S.values, full.heads[h].S.name);
      expect_reduction_of(shown.heads[h].A, full.heads[h].A.values, full.heads[h].A.name);
      // Only the reduced S and A are kept.
      EXPECT_EQ(shown.linear.heads[h].S.values.size(), 0);
      EXPECT_EQ(shown.linear.heads[h].A.values.size(), 0);
    }
  }
}

TEST(DisplayTrace, TheMatricesLinearInNEqualTheFullTrace) {
  for (const Case& c : cases()) {
    SCOPED_TRACE(shape_text(c.shape));
    const TraceOptions options{c.values, 2, WqkvLayout::blocks};
    const Inputs inputs = make_inputs(c.shape, options.values, options.seed);
    AttentionTrace full;
    compute_trace(full, c.shape, options, inputs);
    DisplayTrace shown;
    compute_display_trace(shown, c.shape, options, inputs, c.max_side);
    EXPECT_EQ(shown.linear.X.values, full.X.values);
    EXPECT_EQ(shown.linear.Wqkv.values, full.Wqkv.values);
    EXPECT_EQ(shown.linear.Wo.values, full.Wo.values);
    EXPECT_TRUE(shown.linear.QKV.values.isApprox(full.QKV.values, 1e-6f));
    const float tolerance = 1e-5f * std::max(1.0f, full.O.values.cwiseAbs().maxCoeff());
    EXPECT_LE((shown.linear.Z.values - full.Z.values).cwiseAbs().maxCoeff(), tolerance);
    EXPECT_LE((shown.linear.O.values - full.O.values).cwiseAbs().maxCoeff(), tolerance);
    for (std::size_t h = 0; h < full.heads.size(); ++h) {
      EXPECT_EQ(shown.linear.heads[h].Z.name, full.heads[h].Z.name);
      EXPECT_EQ(shown.linear.heads[h].kv_head, full.heads[h].kv_head);
      EXPECT_EQ(shown.linear.heads[h].k_row, full.heads[h].k_row);
    }
  }
}

TEST(DisplayTrace, EveryCellOnDemandEqualsTheFullTrace) {
  for (const Case& c : cases()) {
    SCOPED_TRACE(shape_text(c.shape));
    const TraceOptions options{c.values, 5, WqkvLayout::triples};
    const Inputs inputs = make_inputs(c.shape, options.values, options.seed);
    AttentionTrace full;
    compute_trace(full, c.shape, options, inputs);
    DisplayTrace shown;
    compute_display_trace(shown, c.shape, options, inputs, c.max_side);
    for (std::int64_t h = 0; h < c.shape.heads; ++h) {
      const Eigen::MatrixXf& S = full.heads[static_cast<std::size_t>(h)].S.values;
      const Eigen::MatrixXf& A = full.heads[static_cast<std::size_t>(h)].A.values;
      const float s_tolerance = 1e-6f * std::max(1.0f, S.cwiseAbs().maxCoeff());
      for (std::int64_t key = 0; key < c.shape.seq; ++key)
        for (std::int64_t query = 0; query < c.shape.seq; ++query) {
          if (c.values != ValueMode::gaussian) // integers: every product exact
            ASSERT_EQ(score_value(shown, h, key, query), S(key, query)) << h << " " << key << " " << query;
          else
            ASSERT_NEAR(score_value(shown, h, key, query), S(key, query), s_tolerance);
          ASSERT_NEAR(attention_value(shown, h, key, query), A(key, query), 1e-6f)
              << h << " " << key << " " << query;
        }
    }
  }
}

// A cell's derivation (hover, the stepper's terms) matches the full trace's,
// with the sources named by the display trace's own matrices.
TEST(DisplayTrace, DerivationsMatchTheFullTrace) {
  for (const Case& c : cases()) {
    SCOPED_TRACE(shape_text(c.shape));
    const TraceOptions options{c.values, 4, WqkvLayout::triples};
    const Inputs inputs = make_inputs(c.shape, options.values, options.seed);
    AttentionTrace full;
    compute_trace(full, c.shape, options, inputs);
    DisplayTrace shown;
    compute_display_trace(shown, c.shape, options, inputs, c.max_side);
    const std::int64_t last = c.shape.seq - 1;
    for (std::size_t h = 0; h < full.heads.size(); ++h) {
      const HeadTrace& fh = full.heads[h];
      const HeadTrace& sh = shown.linear.heads[h];
      const std::pair<const NamedMatrix*, const NamedMatrix*> pairs[] = {
          {&fh.S, &sh.S}, {&fh.A, &sh.A}, {&fh.Z, &sh.Z}};
      for (const auto& [f, m] : pairs)
        for (const auto& [row, col] : {std::pair<std::int64_t, std::int64_t>{0, 0}, {0, last},
                                       {std::min<std::int64_t>(2, f->values.rows() - 1), 1},
                                       {f->values.rows() - 1, last}}) {
          SCOPED_TRACE(f->name + " " + std::to_string(row) + "," + std::to_string(col));
          const CellDerivation want = derive_cell(full, *f, row, col);
          const CellDerivation got = derive_display_cell(shown, *m, row, col);
          EXPECT_EQ(got.kind, want.kind);
          EXPECT_EQ(got.cell, want.cell);
          EXPECT_EQ(got.meaning, want.meaning);
          EXPECT_NEAR(got.value, want.value, 1e-5 * (1 + std::fabs(want.value)));
          ASSERT_EQ(got.terms.size(), want.terms.size());
          for (std::size_t i = 0; i < got.terms.size(); ++i) {
            EXPECT_EQ(got.terms[i].left, want.terms[i].left);
            EXPECT_NEAR(got.terms[i].right, want.terms[i].right, 1e-5 * (1 + std::fabs(want.terms[i].right)));
          }
          ASSERT_EQ(got.exps.size(), want.exps.size());
          for (std::size_t i = 0; i < got.exps.size(); ++i) EXPECT_NEAR(got.exps[i], want.exps[i], 1e-5);
          ASSERT_EQ(got.sources.size(), want.sources.size());
          for (std::size_t i = 0; i < got.sources.size(); ++i) {
            EXPECT_EQ(got.sources[i].text, want.sources[i].text);
            EXPECT_EQ(got.sources[i].matrix->name, want.sources[i].matrix->name);
            EXPECT_EQ(got.sources[i].index, want.sources[i].index);
          }
        }
    }
    // Matrices held in full derive as in any trace.
    EXPECT_EQ(derive_display_cell(shown, shown.linear.O, 0, 0).terms.size(),
              derive_cell(full, full.O, 0, 0).terms.size());
  }
}

TEST(DisplayTrace, MemoryGrowsWithWhatIsDrawnNotWithHeadsTimesNSquared) {
  Shape gpt2 = make_shape(16384, 768, 12, 64, 12);
  const std::int64_t streamed = display_trace_bytes(gpt2, 512);
  EXPECT_LT(streamed, std::int64_t{1} << 30); // 16384 at GPT-2 width: under 1 GiB
  EXPECT_GT(trace_bytes(gpt2), std::int64_t{24} << 30); // the full trace: 2·12·16384² floats
  Shape half = gpt2;
  half.seq = 8192;
  // Linear in n: doubling n at most doubles the bytes.
  EXPECT_LE(display_trace_bytes(gpt2, 512), 2 * display_trace_bytes(half, 512));
  // Exactly the floats listed in the header, at a shape small enough to add up by hand:
  // n 4, d 6, H 2, dh 3 → X 24, Wqkv 18·6, QKV 18·4, Z_h and Z 2·6·4, Wo 36, O 24,
  // per head 4 grids of 2×2 (max_side 2) and 2·4 statistics.
  const std::int64_t floats = 24 + 108 + 72 + 48 + 36 + 24 + 2 * (16 + 8);
  EXPECT_EQ(display_trace_bytes(make_shape(4, 6, 2, 3, 2), 2), floats * 4);
}

TEST(DisplayTrace, ReportsEachHeadOnceAndStopsWhenCancelled) {
  const Shape shape = make_shape(300, 24, 4, 6, 4);
  const Inputs inputs = make_inputs(shape, ValueMode::gaussian, 1);
  std::mutex mutex;
  std::multiset<std::int64_t> heads;
  DisplayTrace shown;
  compute_display_trace(shown, shape, TraceOptions{}, inputs, 64, nullptr, nullptr,
                        [&](std::int64_t h) {
                          std::lock_guard lock(mutex);
                          heads.insert(h);
                        });
  EXPECT_EQ(heads, (std::multiset<std::int64_t>{0, 1, 2, 3}));
  std::atomic<bool> cancel{true};
  DisplayTrace cancelled;
  EXPECT_THROW(compute_display_trace(cancelled, shape, TraceOptions{}, inputs, 64, &cancel),
               TraceCancelled);
}

TEST(DisplayTrace, GridNeverExceedsTheSideAsked) {
  for (std::int64_t n : {1, 7, 512, 513, 1024, 1000, 16384}) {
    const BlockGrid g = display_grid(n, n, 512);
    EXPECT_LE(g.grid_rows(), 512) << n;
    EXPECT_EQ(g.reduced(), n > 512) << n;
    EXPECT_GE(g.grid_rows() * g.block_rows, n) << n;
  }
}

} // namespace
} // namespace abh
