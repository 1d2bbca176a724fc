// The trace as the UI sees it: names, sizes, reuse, progress, cancellation.

#include <atomic>
#include <cmath>
#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "core/trace.hpp"
#include "test_support.hpp"

namespace abh {
namespace {

TEST(TraceApi, NamesAndSizes) {
  Shape shape = worked_example();
  shape.kv_heads = 1;
  const AttentionTrace t = compute_trace(shape, TraceOptions{});
  EXPECT_EQ(t.shape, shape);
  EXPECT_EQ(t.options, TraceOptions{});
  EXPECT_FLOAT_EQ(t.scale, 1.0f / std::sqrt(12.0f));
  EXPECT_EQ(t.X.name, "X");
  EXPECT_EQ(t.X.title(), "X 36×40");
  EXPECT_EQ(t.Wqkv.title(), "Wqkv 60×36"); // 36 + 2·1·12 rows
  EXPECT_EQ(t.QKV.title(), "QKV 60×40");
  EXPECT_EQ(t.Z.title(), "Z 36×40");
  EXPECT_EQ(t.Wo.title(), "Wo 36×36");
  EXPECT_EQ(t.O.title(), "O 36×40");
  ASSERT_EQ(t.heads.size(), 3u);
  EXPECT_EQ(t.heads[1].S.title(), "S_2 40×40");
  EXPECT_EQ(t.heads[0].A.name, "A_1");
  EXPECT_EQ(t.heads[2].Z.title(), "Z_3 12×40");
  for (std::int64_t h = 0; h < 3; ++h) {
    EXPECT_EQ(t.q(h).rows(), 12);
    EXPECT_EQ(t.q(h).cols(), 40);
    EXPECT_EQ(t.heads[static_cast<std::size_t>(h)].kv_head, 0);
    // MQA: every head reads the same k and v rows.
    EXPECT_TRUE(test::bitwise_equal(t.k(h), t.k(0)));
    EXPECT_TRUE(test::bitwise_equal(t.v(h), t.v(0)));
  }
  // X and Wo are the inputs as made.
  const Inputs in = make_inputs(shape, TraceOptions{}.values, 1);
  EXPECT_TRUE(test::bitwise_equal(t.X.values, in.X));
  EXPECT_TRUE(test::bitwise_equal(t.Wo.values, in.Wo));
}

TEST(TraceApi, InputsOverloadEqualsSeedOverload) {
  const Shape shape = worked_example();
  TraceOptions options;
  options.values = ValueMode::gaussian;
  options.seed = 77;
  AttentionTrace a, b;
  compute_trace(a, shape, options);
  compute_trace(b, shape, options, make_inputs(shape, options.values, options.seed));
  EXPECT_TRUE(test::bitwise_equal(a.O.values, b.O.values));
  EXPECT_TRUE(test::bitwise_equal(a.heads[2].A.values, b.heads[2].A.values));
}

// Reusing one AttentionTrace across shape changes gives what a fresh one gives.
TEST(TraceApi, ReuseAcrossShapesMatchesFreshTraces) {
  Shape big = worked_example();
  big.heads = 6;
  big.kv_heads = 2;
  big.head_dim = 6;
  big.causal = true;
  Shape small;
  small.seq = 5;
  small.d_model = 4;
  small.heads = 2;
  small.kv_heads = 1;
  small.head_dim = 3;
  TraceOptions options;
  options.values = ValueMode::gaussian;
  AttentionTrace reused;
  for (const Shape* s : {&big, &small, &big, &big}) {
    compute_trace(reused, *s, options);
    const AttentionTrace fresh = compute_trace(*s, options);
    ASSERT_EQ(reused.heads.size(), fresh.heads.size());
    EXPECT_TRUE(test::bitwise_equal(reused.QKV.values, fresh.QKV.values));
    EXPECT_TRUE(test::bitwise_equal(reused.Z.values, fresh.Z.values));
    EXPECT_TRUE(test::bitwise_equal(reused.O.values, fresh.O.values));
    for (std::size_t h = 0; h < fresh.heads.size(); ++h) {
      EXPECT_TRUE(test::bitwise_equal(reused.heads[h].S.values, fresh.heads[h].S.values));
      EXPECT_TRUE(test::bitwise_equal(reused.heads[h].A.values, fresh.heads[h].A.values));
      EXPECT_EQ(reused.heads[h].S.name, fresh.heads[h].S.name);
    }
    options.layout = options.layout == WqkvLayout::blocks ? WqkvLayout::triples : WqkvLayout::blocks;
  }
}

TEST(TraceApi, ProgressEndsAtOne) {
  std::atomic<float> progress{0.0f};
  AttentionTrace t;
  compute_trace(t, worked_example(), TraceOptions{}, nullptr, &progress);
  EXPECT_EQ(progress.load(), 1.0f);
}

TEST(TraceApi, CancelledBeforeStartThrows) {
  std::atomic<bool> cancel{true};
  AttentionTrace t;
  EXPECT_THROW(compute_trace(t, worked_example(), TraceOptions{}, &cancel), TraceCancelled);
  std::atomic<bool> go{false};
  EXPECT_NO_THROW(compute_trace(t, worked_example(), TraceOptions{}, &go));
}

TEST(TraceApi, TraceIsDeterministic) {
  TraceOptions options;
  options.values = ValueMode::gaussian;
  Shape shape = worked_example();
  shape.seq = 200;
  shape.heads = 4;
  shape.kv_heads = 4;
  shape.head_dim = 9;
  const AttentionTrace a = compute_trace(shape, options);
  const AttentionTrace b = compute_trace(shape, options);
  EXPECT_TRUE(test::bitwise_equal(a.O.values, b.O.values));
}

} // namespace
} // namespace abh

namespace abh {
namespace {

// Every stored matrix once, in the program's order, with its producing stage.
TEST(TraceMatrices, ListsEveryStoredMatrixInProgramOrder) {
  const AttentionTrace t = compute_trace(test::make_shape(4, 6, 2, 3, 1), TraceOptions{});
  std::vector<std::string> names;
  for (const TraceMatrix& m : trace_matrices(t)) names.push_back(m.matrix->name);
  const std::vector<std::string> expected{"Wqkv", "X",   "QKV", "S_1", "S_2", "A_1", "A_2",
                                          "Z_1",  "Z_2", "Wo",  "Z",   "O"};
  EXPECT_EQ(names, expected);
  for (const TraceMatrix& m : trace_matrices(t)) {
    if (m.matrix == &t.X || m.matrix == &t.Wqkv || m.matrix == &t.Wo) {
      EXPECT_FALSE(m.stage);
    }
    if (m.matrix == &t.Z) {
      EXPECT_EQ(m.stage, Stage::weighted_sum);
    }
    if (m.matrix == &t.heads[1].A) {
      EXPECT_EQ(m.stage, Stage::softmax);
      EXPECT_EQ(m.head, 1);
    }
  }
}

} // namespace
} // namespace abh
