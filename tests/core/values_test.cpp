// Input values: deterministic from the seed, independent of the rest of the
// shape, small integers in {-3..3}, Gaussian with fan-in scaling.

#include <array>
#include <cmath>
#include <cstdint>

#include <gtest/gtest.h>

#include "core/values.hpp"
#include "test_support.hpp"

namespace abh {
namespace {

using test::make_shape;

bool same_inputs(const Inputs& a, const Inputs& b) {
  return test::bitwise_equal(a.X, b.X) && test::bitwise_equal(a.Wqkv_blocks, b.Wqkv_blocks) &&
         test::bitwise_equal(a.Wo, b.Wo);
}

TEST(Values, ShapesOfTheInputs) {
  const Shape s = make_shape(7, 5, 4, 3, 2);
  const Inputs in = make_inputs(s, ValueMode::gaussian, 1);
  EXPECT_EQ(in.X.rows(), 5);
  EXPECT_EQ(in.X.cols(), 7);
  EXPECT_EQ(in.Wqkv_blocks.rows(), (4 + 2 * 2) * 3);
  EXPECT_EQ(in.Wqkv_blocks.cols(), 5);
  EXPECT_EQ(in.Wo.rows(), 5);
  EXPECT_EQ(in.Wo.cols(), 12);
  EXPECT_EQ(value_mode_key(ValueMode::small_integers), "small_integers");
  EXPECT_EQ(value_mode_key(ValueMode::gaussian), "gaussian");
}

TEST(Values, SameSeedSameValuesOtherSeedOtherValues) {
  for (const Shape& shape : {worked_example(), make_shape(9, 8, 6, 5, 2)})
    for (ValueMode mode : {ValueMode::small_integers, ValueMode::gaussian}) {
      SCOPED_TRACE(test::shape_text(shape));
      EXPECT_TRUE(same_inputs(make_inputs(shape, mode, 1), make_inputs(shape, mode, 1)));
      EXPECT_TRUE(same_inputs(make_inputs(shape, mode, 123456789), make_inputs(shape, mode, 123456789)));
      const Inputs a = make_inputs(shape, mode, 1), b = make_inputs(shape, mode, 2);
      EXPECT_FALSE(test::bitwise_equal(a.X, b.X));
      EXPECT_FALSE(test::bitwise_equal(a.Wqkv_blocks, b.Wqkv_blocks));
      EXPECT_FALSE(test::bitwise_equal(a.Wo, b.Wo));
      // Most elements differ, not just a few.
      EXPECT_GT((a.X.array() != b.X.array()).count(), a.X.size() / 2);
    }
}

TEST(Values, SmallIntegersAreIntegersFromMinusThreeToThree) {
  const Shape shape = make_shape(64, 48, 4, 8, 2);
  std::array<int, 7> histogram{};
  const Inputs in = make_inputs(shape, ValueMode::small_integers, 42);
  for (const Eigen::MatrixXf* m : {&in.X, &in.Wqkv_blocks, &in.Wo})
    for (Eigen::Index i = 0; i < m->size(); ++i) {
      const float v = m->data()[i];
      ASSERT_EQ(v, std::round(v)) << v;
      ASSERT_GE(v, -3.0f);
      ASSERT_LE(v, 3.0f);
      ++histogram[static_cast<std::size_t>(static_cast<int>(v) + 3)];
    }
  const int total = static_cast<int>(in.X.size() + in.Wqkv_blocks.size() + in.Wo.size());
  for (int h : histogram) {
    EXPECT_GT(h, total / 7 * 8 / 10); // each value roughly equally often
    EXPECT_LT(h, total / 7 * 12 / 10);
  }
}

TEST(Values, GaussianHasFanInScaling) {
  const Shape shape = make_shape(256, 64, 4, 16, 4); // da = 64
  const Inputs in = make_inputs(shape, ValueMode::gaussian, 3);
  auto mean = [](const Eigen::MatrixXf& m) { return static_cast<double>(m.mean()); };
  auto variance = [&](const Eigen::MatrixXf& m) {
    const double mu = mean(m);
    return (m.cast<double>().array() - mu).square().mean();
  };
  EXPECT_NEAR(mean(in.X), 0.0, 0.05);
  EXPECT_NEAR(variance(in.X), 1.0, 0.1);
  EXPECT_NEAR(variance(in.Wqkv_blocks) * 64, 1.0, 0.1); // 1/√d
  EXPECT_NEAR(variance(in.Wo) * 64, 1.0, 0.15);          // 1/√da
  EXPECT_TRUE(in.X.allFinite());
  EXPECT_TRUE(in.Wqkv_blocks.allFinite());
  // Not integers.
  EXPECT_GT((in.X.array() != in.X.array().round()).count(), in.X.size() * 9 / 10);
}

TEST(Values, LongerSequencesOnlyAddColumns) {
  for (ValueMode mode : {ValueMode::small_integers, ValueMode::gaussian}) {
    const Inputs short_seq = make_inputs(make_shape(10, 36, 3, 12, 3), mode, 5);
    const Inputs long_seq = make_inputs(make_shape(40, 36, 3, 12, 3), mode, 5);
    EXPECT_TRUE(test::bitwise_equal(long_seq.X.leftCols(10), short_seq.X));
    EXPECT_TRUE(test::bitwise_equal(long_seq.Wqkv_blocks, short_seq.Wqkv_blocks));
    EXPECT_TRUE(test::bitwise_equal(long_seq.Wo, short_seq.Wo));
  }
}

TEST(Values, HeadsAtFixedWidthKeepTheWeights) {
  for (ValueMode mode : {ValueMode::small_integers, ValueMode::gaussian}) {
    // MHA, blocks order: H=3, dh=12 and H=1, dh=36 have the same Wqkv rows.
    const Inputs three = make_inputs(make_shape(40, 36, 3, 12, 3), mode, 8);
    const Inputs one = make_inputs(make_shape(40, 36, 1, 36, 1), mode, 8);
    const Inputs six = make_inputs(make_shape(40, 36, 6, 6, 6), mode, 8);
    EXPECT_TRUE(same_inputs(three, one));
    EXPECT_TRUE(same_inputs(three, six));
    // GQA at the same dh: the K and V blocks of fewer kv heads are the first
    // rows of those of more kv heads; Q and X are unchanged.
    const Inputs gqa = make_inputs(make_shape(40, 36, 6, 6, 2), mode, 8);
    EXPECT_TRUE(test::bitwise_equal(gqa.X, six.X));
    EXPECT_TRUE(test::bitwise_equal(gqa.Wqkv_blocks.topRows(36), six.Wqkv_blocks.topRows(36)));
    EXPECT_TRUE(test::bitwise_equal(gqa.Wqkv_blocks.middleRows(36, 12),
                                    six.Wqkv_blocks.middleRows(36, 12))); // k heads 1-2
    EXPECT_TRUE(test::bitwise_equal(gqa.Wqkv_blocks.bottomRows(12),
                                    six.Wqkv_blocks.middleRows(72, 12))); // v heads 1-2
  }
}

TEST(Values, QKVAndWoUseDifferentStreams) {
  const Inputs in = make_inputs(make_shape(8, 12, 1, 12, 1), ValueMode::gaussian, 1);
  // Q, K and V blocks are each 12 × 12: no two equal, none equal to X or Wo.
  const Eigen::MatrixXf q = in.Wqkv_blocks.topRows(12), k = in.Wqkv_blocks.middleRows(12, 12),
                        v = in.Wqkv_blocks.bottomRows(12);
  EXPECT_FALSE(test::bitwise_equal(q, k));
  EXPECT_FALSE(test::bitwise_equal(k, v));
  EXPECT_FALSE(test::bitwise_equal(q, v));
  EXPECT_FALSE(test::bitwise_equal(q, in.Wo));
}

} // namespace
} // namespace abh
