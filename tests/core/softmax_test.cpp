// Softmax down each column of every A: a probability distribution over the
// keys the query may see; causal masking zeroes the rest exactly.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/trace.hpp"
#include "test_support.hpp"

namespace abh {
namespace {

void expect_softmax_properties(const AttentionTrace& trace) {
  const Shape& shape = trace.shape;
  for (const HeadTrace& head : trace.heads) {
    const Eigen::MatrixXf& A = head.A.values;
    const Eigen::MatrixXf& S = head.S.values;
    ASSERT_EQ(A.rows(), shape.seq);
    ASSERT_EQ(A.cols(), shape.seq);
    for (Eigen::Index query = 0; query < A.cols(); ++query) {
      double sum = 0;
      for (Eigen::Index key = 0; key < A.rows(); ++key) {
        const float a = A(key, query);
        EXPECT_GE(a, 0.0f) << "A(" << key << "," << query << ")";
        EXPECT_LE(a, 1.0f) << "A(" << key << "," << query << ")";
        if (trace.masked(key, query)) {
          EXPECT_EQ(a, 0.0f) << "masked A(" << key << "," << query << ")";
          EXPECT_EQ(S(key, query), 0.0f) << "masked S(" << key << "," << query << ")";
        }
        sum += static_cast<double>(a);
      }
      EXPECT_NEAR(sum, 1.0, 1e-5) << "column " << query << " of " << head.A.name;
    }
  }
}

TEST(Softmax, ColumnsSumToOneAndMaskedEntriesAreZero) {
  int i = 0;
  for (const test::ShapeCase& c : test::small_cases()) {
    for (ValueMode mode : {ValueMode::gaussian, ValueMode::small_integers}) {
      SCOPED_TRACE(std::string(c.name) + " " + std::string(value_mode_key(mode)));
      TraceOptions options;
      options.values = mode;
      options.seed = static_cast<std::uint64_t>(i++);
      expect_softmax_properties(compute_trace(c.shape, options));
    }
  }
}

TEST(Softmax, LongCausalSequenceAcrossQueryBlocks) {
  Shape shape;
  shape.seq = 260;
  shape.d_model = 16;
  shape.heads = 2;
  shape.head_dim = 8;
  shape.kv_heads = 1;
  shape.causal = true;
  for (ValueMode mode : {ValueMode::gaussian, ValueMode::small_integers}) {
    TraceOptions options;
    options.values = mode;
    const AttentionTrace trace = compute_trace(shape, options);
    expect_softmax_properties(trace);
    // The first query sees only itself.
    for (const HeadTrace& head : trace.heads) EXPECT_EQ(head.A.values(0, 0), 1.0f);
  }
}

TEST(Softmax, WorkedExampleCausalAndNot) {
  for (bool causal : {false, true}) {
    Shape shape = worked_example();
    shape.causal = causal;
    for (ValueMode mode : {ValueMode::gaussian, ValueMode::small_integers}) {
      TraceOptions options;
      options.values = mode;
      expect_softmax_properties(compute_trace(shape, options));
    }
  }
}

// scaled_scores: S/√dh where visible, −∞ where masked; softmax of it is A.
TEST(Softmax, ScaledScoresAreScaledAndMasked) {
  Shape shape = worked_example();
  shape.seq = 12;
  for (bool causal : {false, true}) {
    shape.causal = causal;
    TraceOptions options;
    options.values = ValueMode::gaussian;
    const AttentionTrace trace = compute_trace(shape, options);
    EXPECT_FLOAT_EQ(trace.scale, 1.0f / std::sqrt(12.0f));
    for (std::int64_t h = 0; h < shape.heads; ++h) {
      const Eigen::MatrixXf scaled = trace.scaled_scores(h);
      const HeadTrace& head = trace.heads[static_cast<std::size_t>(h)];
      for (Eigen::Index query = 0; query < shape.seq; ++query) {
        double top = -std::numeric_limits<double>::infinity();
        for (Eigen::Index key = 0; key < shape.seq; ++key) {
          if (trace.masked(key, query)) {
            EXPECT_EQ(scaled(key, query), -std::numeric_limits<float>::infinity());
          } else {
            EXPECT_FLOAT_EQ(scaled(key, query), head.S.values(key, query) * trace.scale);
            top = std::max(top, static_cast<double>(scaled(key, query)));
          }
        }
        double sum = 0;
        for (Eigen::Index key = 0; key < shape.seq; ++key)
          sum += std::exp(static_cast<double>(scaled(key, query)) - top);
        for (Eigen::Index key = 0; key < shape.seq; ++key)
          EXPECT_NEAR(head.A.values(key, query),
                      std::exp(static_cast<double>(scaled(key, query)) - top) / sum, 1e-6);
      }
    }
  }
}

// Masking is exactly "key > query": the diagonal and above stay visible.
TEST(Softmax, MaskIsKeyAfterQuery) {
  Shape shape = worked_example();
  shape.causal = true;
  AttentionTrace trace;
  trace.shape = shape;
  EXPECT_FALSE(trace.masked(0, 0));
  EXPECT_FALSE(trace.masked(3, 3));
  EXPECT_FALSE(trace.masked(2, 5));
  EXPECT_TRUE(trace.masked(5, 2));
  trace.shape.causal = false;
  EXPECT_FALSE(trace.masked(5, 2));
}

} // namespace
} // namespace abh
