// Single-head attention is the same program with H = 1, dh = H·dh: one head
// as wide as all of them, with the same weights (for MHA) sliced differently.

#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "core/counts.hpp"
#include "core/trace.hpp"
#include "core/values.hpp"
#include "test_support.hpp"

namespace abh {
namespace {

void expect_same_trace(const AttentionTrace& a, const AttentionTrace& b) {
  EXPECT_EQ(a.shape, b.shape);
  EXPECT_EQ(a.scale, b.scale);
  EXPECT_TRUE(test::bitwise_equal(a.X.values, b.X.values));
  EXPECT_TRUE(test::bitwise_equal(a.Wqkv.values, b.Wqkv.values));
  EXPECT_TRUE(test::bitwise_equal(a.QKV.values, b.QKV.values));
  ASSERT_EQ(a.heads.size(), b.heads.size());
  for (std::size_t h = 0; h < a.heads.size(); ++h) {
    EXPECT_TRUE(test::bitwise_equal(a.heads[h].S.values, b.heads[h].S.values));
    EXPECT_TRUE(test::bitwise_equal(a.heads[h].A.values, b.heads[h].A.values));
    EXPECT_TRUE(test::bitwise_equal(a.heads[h].Z.values, b.heads[h].Z.values));
  }
  EXPECT_TRUE(test::bitwise_equal(a.Z.values, b.Z.values));
  EXPECT_TRUE(test::bitwise_equal(a.Wo.values, b.Wo.values));
  EXPECT_TRUE(test::bitwise_equal(a.O.values, b.O.values));
}

TEST(SingleHead, OneHeadShapeIsItsOwnSingleHead) {
  for (bool causal : {false, true}) {
    Shape shape;
    shape.seq = 17;
    shape.d_model = 10;
    shape.heads = 1;
    shape.kv_heads = 1;
    shape.head_dim = 7;
    shape.causal = causal;
    const Shape single = single_head_of(shape);
    EXPECT_EQ(single, shape);
    const Counts a = count(shape), b = count(single);
    for (Stage stage : all_stages) EXPECT_TRUE(test::stage_counts_equal(a[stage], b[stage]));
    EXPECT_EQ(a.params.wqkv, b.params.wqkv);
    EXPECT_EQ(a.totals.flops, b.totals.flops);
    EXPECT_EQ(a.memory.scores_elements, b.memory.scores_elements);
    EXPECT_EQ(a.memory.kv_cache_elements, b.memory.kv_cache_elements);
    for (ValueMode mode : {ValueMode::small_integers, ValueMode::gaussian}) {
      TraceOptions options;
      options.values = mode;
      expect_same_trace(compute_trace(shape, options), compute_trace(single, options));
    }
  }
}

TEST(SingleHead, MultiHeadShapeBecomesOneWideHead) {
  for (const test::ShapeCase& c : test::small_cases()) {
    const Shape& shape = c.shape;
    SCOPED_TRACE(c.name);
    const Shape single = single_head_of(shape);
    EXPECT_EQ(single.heads, 1);
    EXPECT_EQ(single.kv_heads, 1);
    EXPECT_EQ(single.head_dim, shape.heads * shape.head_dim);
    EXPECT_EQ(single.seq, shape.seq);
    EXPECT_EQ(single.d_model, shape.d_model);
    EXPECT_EQ(single.causal, shape.causal);
    EXPECT_EQ(single.attention_width(), shape.attention_width());
    EXPECT_EQ(single_head_of(single), single);
  }
  const Shape single = single_head_of(worked_example());
  EXPECT_EQ(single.head_dim, 36);
  EXPECT_EQ(describe(single), "n=40 d=36 H=1 dh=36");
}

// values.hpp: "changing heads at a fixed H·dh keeps exactly the same weights".
// For MHA the single-head comparison therefore has the very same inputs.
TEST(SingleHead, MhaSharesEveryInputWithItsSingleHead) {
  for (const test::ShapeCase& c : test::small_cases()) {
    const Shape& shape = c.shape;
    if (shape.kv_heads != shape.heads) continue;
    SCOPED_TRACE(c.name);
    for (ValueMode mode : {ValueMode::small_integers, ValueMode::gaussian}) {
      const Inputs multi = make_inputs(shape, mode, 5);
      const Inputs single = make_inputs(single_head_of(shape), mode, 5);
      EXPECT_TRUE(test::bitwise_equal(multi.X, single.X));
      EXPECT_TRUE(test::bitwise_equal(multi.Wqkv_blocks, single.Wqkv_blocks));
      EXPECT_TRUE(test::bitwise_equal(multi.Wo, single.Wo));
    }
  }
}

// The single head's scores are the sum of the heads' scores: kᵀq over all
// da rows splits into the heads' dh-row slices. Exact with small integers.
TEST(SingleHead, SingleHeadScoresAreTheSumOfHeadScores) {
  for (bool causal : {false, true}) {
    Shape shape = worked_example();
    shape.causal = causal;
    TraceOptions options; // small integers: every product and sum is exact
    options.layout = WqkvLayout::blocks;
    const AttentionTrace multi = compute_trace(shape, options);
    const AttentionTrace single = compute_trace(single_head_of(shape), options);
    EXPECT_TRUE(test::bitwise_equal(multi.QKV.values, single.QKV.values));
    Eigen::MatrixXf sum = Eigen::MatrixXf::Zero(shape.seq, shape.seq);
    for (const HeadTrace& head : multi.heads) sum += head.S.values;
    EXPECT_TRUE(test::bitwise_equal(sum, single.heads[0].S.values));
    // But the attention patterns differ: softmax is per head.
    EXPECT_FALSE(test::bitwise_equal(multi.heads[0].A.values, single.heads[0].A.values));
  }
}

} // namespace
} // namespace abh
