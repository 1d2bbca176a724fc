// The Eigen trace (float, blocked, threaded) against the plain-loop reference
// (double): QKV, each head's S, A and Z, and O.

#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "core/naive_attention.hpp"
#include "core/trace.hpp"
#include "core/values.hpp"
#include "test_support.hpp"

namespace abh {
namespace {

constexpr double gaussian_tolerance = 1e-6; // nmse, float vs double

void expect_trace_matches_naive(const Shape& shape, const TraceOptions& options) {
  SCOPED_TRACE(test::shape_text(shape) + " layout " + std::string(layout_key(options.layout)) +
               " values " + std::string(value_mode_key(options.values)));
  const Inputs inputs = make_inputs(shape, options.values, options.seed);
  const NaiveAttention naive = naive_attention(shape, inputs);
  const AttentionTrace trace = compute_trace(shape, options);

  ASSERT_EQ(trace.heads.size(), static_cast<std::size_t>(shape.heads));
  ASSERT_EQ(naive.S.size(), static_cast<std::size_t>(shape.heads));
  EXPECT_TRUE(test::nmse_below("QKV", trace.QKV.values,
                               test::naive_qkv_in_layout(shape, options.layout, naive),
                               gaussian_tolerance));
  for (std::int64_t h = 0; h < shape.heads; ++h) {
    SCOPED_TRACE("head " + std::to_string(h));
    const auto i = static_cast<std::size_t>(h);
    EXPECT_TRUE(test::nmse_below("S", trace.heads[i].S.values, test::to_eigen(naive.S[i]),
                                 gaussian_tolerance));
    EXPECT_TRUE(test::nmse_below("A", trace.heads[i].A.values, test::to_eigen(naive.A[i]),
                                 gaussian_tolerance));
    EXPECT_TRUE(test::nmse_below("Z_h", trace.heads[i].Z.values, test::to_eigen(naive.Z[i]),
                                 gaussian_tolerance));
    EXPECT_TRUE(test::nmse_below(
        "Z rows of head", trace.Z.values.middleRows(h * shape.head_dim, shape.head_dim),
        test::to_eigen(naive.Z[i]), gaussian_tolerance));
  }
  EXPECT_TRUE(test::nmse_below("O", trace.O.values, test::to_eigen(naive.O), gaussian_tolerance));
}

TEST(TraceVsNaive, GaussianSmallCasesBothLayouts) {
  std::uint64_t seed = 100;
  for (const test::ShapeCase& c : test::small_cases())
    for (WqkvLayout layout : {WqkvLayout::blocks, WqkvLayout::triples}) {
      SCOPED_TRACE(c.name);
      TraceOptions options;
      options.values = ValueMode::gaussian;
      options.seed = seed++;
      options.layout = layout;
      expect_trace_matches_naive(c.shape, options);
    }
}

// Sequences longer than the trace's 128-query blocks, causal and not, with
// enough heads to take the across-heads threaded path.
TEST(TraceVsNaive, GaussianSeveralQueryBlocks) {
  for (bool causal : {false, true})
    for (std::int64_t seq : {129, 300}) {
      Shape shape;
      shape.seq = seq;
      shape.d_model = 12;
      shape.heads = 4;
      shape.head_dim = 4;
      shape.kv_heads = 2;
      shape.causal = causal;
      TraceOptions options;
      options.values = ValueMode::gaussian;
      options.seed = 11;
      options.layout = causal ? WqkvLayout::triples : WqkvLayout::blocks;
      expect_trace_matches_naive(shape, options);
    }
}

TEST(TraceVsNaive, GaussianWorkedExample) {
  for (bool causal : {false, true}) {
    Shape shape = worked_example();
    shape.causal = causal;
    TraceOptions options;
    options.values = ValueMode::gaussian;
    expect_trace_matches_naive(shape, options);
    expect_trace_matches_naive(single_head_of(shape), options);
  }
}

// Small integers: QKV and S are exact integers in float; softmax is nearly
// one-hot, so A, Z and O are compared element by element with a looser bound
// (exp() turns a float rounding of a large score into a relative error).
TEST(TraceVsNaive, SmallIntegersSmallCases) {
  int i = 0;
  for (const test::ShapeCase& c : test::small_cases()) {
    const Shape& shape = c.shape;
    TraceOptions options;
    options.values = ValueMode::small_integers;
    options.seed = static_cast<std::uint64_t>(1 + i);
    options.layout = i % 2 == 0 ? WqkvLayout::triples : WqkvLayout::blocks;
    ++i;
    SCOPED_TRACE(c.name);
    const Inputs inputs = make_inputs(shape, options.values, options.seed);
    const NaiveAttention naive = naive_attention(shape, inputs);
    const AttentionTrace trace = compute_trace(shape, options);
    EXPECT_TRUE(test::elementwise_close(
        "QKV", trace.QKV.values, test::naive_qkv_in_layout(shape, options.layout, naive), 0));
    for (std::int64_t h = 0; h < shape.heads; ++h) {
      const auto k = static_cast<std::size_t>(h);
      EXPECT_TRUE(test::elementwise_close("S", trace.heads[k].S.values,
                                          test::to_eigen(naive.S[k]), 0));
      EXPECT_TRUE(test::elementwise_close("A", trace.heads[k].A.values,
                                          test::to_eigen(naive.A[k]), 1e-4));
      EXPECT_TRUE(test::elementwise_close("Z_h", trace.heads[k].Z.values,
                                          test::to_eigen(naive.Z[k]), 1e-4, true));
    }
    EXPECT_TRUE(
        test::elementwise_close("O", trace.O.values, test::to_eigen(naive.O), 1e-4, true));
  }
}

TEST(TraceVsNaive, SmallIntegersWorkedExampleQkvAndScoresExact) {
  const Shape shape = worked_example();
  TraceOptions options; // small integers, triples, seed 1
  const NaiveAttention naive = naive_attention(shape, make_inputs(shape, options.values, 1));
  const AttentionTrace trace = compute_trace(shape, options);
  EXPECT_TRUE(test::elementwise_close(
      "QKV", trace.QKV.values, test::naive_qkv_in_layout(shape, options.layout, naive), 0));
  for (std::size_t h = 0; h < 3; ++h)
    EXPECT_TRUE(test::elementwise_close("S", trace.heads[h].S.values,
                                        test::to_eigen(naive.S[h]), 0));
}

// The comparison must be able to fail: a trace of other values is far off.
TEST(TraceVsNaive, SelfCheckDetectsWrongValues) {
  const Shape shape = worked_example();
  TraceOptions options;
  options.values = ValueMode::gaussian;
  const NaiveAttention naive = naive_attention(shape, make_inputs(shape, options.values, 1));
  options.seed = 2;
  const AttentionTrace other = compute_trace(shape, options);
  EXPECT_FALSE(test::nmse_below("O", other.O.values, test::to_eigen(naive.O), gaussian_tolerance));
  // One element nudged by 5% of the matrix's largest value is detected as well.
  options.seed = 1;
  AttentionTrace same = compute_trace(shape, options);
  ASSERT_TRUE(test::nmse_below("O", same.O.values, test::to_eigen(naive.O), gaussian_tolerance));
  Eigen::MatrixXf nudged = same.O.values;
  nudged(3, 5) += 0.05f * nudged.cwiseAbs().maxCoeff();
  EXPECT_FALSE(test::nmse_below("O", nudged, test::to_eigen(naive.O), gaussian_tolerance));
  // And a QKV compared in the wrong row order fails.
  options.layout = WqkvLayout::triples;
  same = compute_trace(shape, options);
  EXPECT_FALSE(test::nmse_below("QKV", same.QKV.values, test::to_eigen(naive.QKV),
                                gaussian_tolerance));
}

} // namespace
} // namespace abh
